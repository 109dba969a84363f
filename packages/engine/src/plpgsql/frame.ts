/**
 * The variables of one PL/pgSQL call (PostgreSQL's PLpgSQL_execstate datums): their values and
 * types, reading them as query parameters and assigning to them with the conversion an
 * assignment makes. A record variable holds a PgRecord (with field names) or null until
 * assigned; a row (a list of INTO targets, OUT parameters) is read as a record of its fields.
 */
import { SqlError, SqlState } from "@tessera/base";
import { arraySetElement, arraySetSlice, type PgArray, type PgRecord, type Row,
  type SliceBounds, type Value } from "@tessera/sql";
import { Oid, formatTypeName, typeInfo } from "../catalog/types.js";
import { baseTypeOf } from "../catalog/domains.js";
import type { Ref } from "./expressions.js";
import type { PlHost, QueryColumn, QueryResult, ResultShape } from "./host.js";
import type { Datum, PlFunction } from "./tree.js";
import type { SessionCursors } from "../api.js";
import { LocalCursors } from "./local-cursors.js";

/** A parameter's type for one call (`Frame.bindParams`). */
export interface DeclaredParam {
  readonly type: number;
  readonly columns: readonly QueryColumn[] | undefined;
  readonly domain: boolean;
}

export interface Typed {
  readonly value: Value;
  readonly type: number;
}

/** The values one call works on. */
export class Frame {
  readonly values: Value[];
  readonly types: number[];
  readonly typmods: number[];
  /** The fixed columns of `%ROWTYPE` and table-typed variables. */
  readonly columns: (readonly QueryColumn[] | undefined)[];
  /** Variables of a domain type: assignments check its constraints. */
  readonly domains: boolean[];
  /** Variables whose `name.field` is a field: records and row-typed variables. */
  private readonly records: boolean[];
  /** GET DIAGNOSTICS ROW_COUNT. */
  rowCount = 0;
  /** RETURN NEXT / RETURN QUERY rows so far, one value per result column. */
  readonly results: Value[][] = [];
  /** The errors handlers are handling now, innermost last (RAISE; GET STACKED …). */
  readonly handling: SqlError[] = [];
  private localCursors: LocalCursors | undefined;
  returned = false;
  returnValue: Value = null;

  constructor(readonly fn: PlFunction, readonly host: PlHost, readonly shape: ResultShape) {
    const n = fn.datums.length;
    this.values = new Array<Value>(n).fill(null);
    const scope = host.typeScope();
    let types = datumTypes.get(fn);
    if (types === undefined || types.scope !== scope) {
      types = resolveDatumTypes(fn, host, scope);
      datumTypes.set(fn, types);
    }
    this.types = [...types.types];
    this.typmods = types.typmods;
    this.columns = [...types.columns];
    this.domains = [...types.domains];
    this.records = [...types.records];
    this.values[fn.foundVarno] = false;
  }

  /**
   * Gives the parameters and the result variable their declared types (the parser, which
   * knows no catalog, takes a user type for a record and a polymorphic one for integer),
   * and the `%TYPE`s copying them their types too.
   */
  bindParams(declared: ReadonlyMap<number, DeclaredParam>): void {
    for (const [n, p] of declared) {
      if (p.type === this.types[n] && p.columns === this.columns[n]) continue;
      const d = this.datum(n);
      this.types[n] = p.type;
      this.domains[n] = p.domain;
      if (d.kind === "rec" && p.type !== Oid.record) {
        this.columns[n] = p.columns;
        this.records[n] = p.columns !== undefined;
      }
    }
    this.fn.datums.forEach((d, i) => {
      const j = d.kind === "var" ? variableTypeOf(this.fn, i, d.typeName) : undefined;
      if (j === undefined || !declared.has(j)) return;
      this.types[i] = this.types[j]!;
      this.columns[i] = this.columns[j];
      this.domains[i] = this.domains[j]!;
      this.records[i] = this.records[j]!;
    });
  }

  /** The cursors OPEN adds to and FETCH reads: the session's, else the call's own. */
  get cursors(): SessionCursors {
    return this.host.cursors ?? (this.localCursors ??= new LocalCursors());
  }

  datum(n: number): Datum {
    return this.fn.datums[n]!;
  }

  /** True for datums whose `name.field` is a field. */
  isRecord(n: number): boolean {
    const d = this.fn.datums[n];
    return d !== undefined && (d.kind === "row" || this.columns[n] !== undefined ||
      this.records[n] === true);
  }

  /** True for a `record` variable with no row structure yet. */
  isUnassignedRecord(n: number): boolean {
    const d = this.datum(n);
    return d.kind === "rec" && this.columns[n] === undefined && this.records[n] === true &&
      this.values[n] === null;
  }

  name(n: number): string {
    const d = this.datum(n);
    return d.kind === "var" || d.kind === "rec" ? d.name : d.kind === "recfield" ? d.field : "";
  }

  /** The value and type of datum `n`. */
  read(n: number): Typed {
    const d = this.datum(n);
    if (d.kind === "row") {
      const fields = d.fields.map((f) => this.read(f.varno));
      return { value: { kind: "record", fields: fields.map((f) => f.value),
        types: fields.map((f) => f.type), names: d.fields.map((f) => f.name) },
      type: Oid.record };
    }
    if (d.kind === "recfield") return this.field(d.parent, d.field);
    return { value: this.values[n] ?? null, type: this.types[n]! };
  }

  readRef(ref: Ref): Typed {
    return ref.field === undefined ? this.read(ref.datum) : this.field(ref.datum, ref.field);
  }

  /**
   * The fields of record datum `n`: its value's, else its declared columns (a trigger's OLD
   * in an INSERT); undefined when neither is known.
   */
  recordColumns(n: number): readonly QueryColumn[] | undefined {
    const record = this.read(n).value as PgRecord | null;
    if (record === null || typeof record !== "object" || record.kind !== "record") {
      return this.columns[n];
    }
    const names = fieldNames(record, this.columns[n]);
    return names.map((name, i) => ({ name, type: record.types[i] ?? Oid.unknown }));
  }

  /** Field `name` of record datum `n`. */
  field(n: number, name: string): Typed {
    const record = this.read(n).value as PgRecord | null;
    const columns = this.columns[n];
    if (record === null) {
      if (columns === undefined) throw notAssigned(this.name(n));
      const at = columns.findIndex((c) => c.name === name);
      if (at < 0) {
        throw new SqlError(SqlState.undefinedColumn,
          `record "${this.name(n)}" has no field "${name}"`);
      }
      return { value: null, type: columns[at]!.type };
    }
    const at = fieldNames(record, columns).indexOf(name);
    if (at < 0) {
      throw new SqlError(SqlState.undefinedColumn,
        `record "${this.name(n)}" has no field "${name}"`);
    }
    return { value: record.fields[at] ?? null, type: record.types[at] ?? Oid.unknown };
  }

  /** Assigns to datum `n` a value of type `type`, converted as an assignment does. */
  assign(n: number, value: Value, type: number): void {
    const d = this.datum(n);
    if (d.kind === "recfield") {
      this.assignField(d.parent, d.field, value, type);
      return;
    }
    if (d.kind === "row") {
      this.assignRow(n, recordFields(value, d.fields.length));
      return;
    }
    if (this.isRecord(n)) {
      this.assignRecord(n, value, type);
      return;
    }
    const target = this.types[n]!;
    const checked = this.domains[n] === true && type !== target;
    const from = value === null && checked ? baseTypeOf(target).type : type;
    const converted = !checked && (value === null ||
      (type === target && this.typmods[n] === -1)) ? value
      : this.host.cast(value, from, target, this.typmods[n]!);
    if (converted === null && d.kind === "var" && d.notNull) {
      throw new SqlError(SqlState.nullValueNotAllowed,
        `null value cannot be assigned to variable "${d.name}" declared NOT NULL`);
    }
    this.values[n] = converted;
  }

  private assignRecord(n: number, value: Value, type: number): void {
    const columns = this.columns[n];
    if (value === null) {
      const d = this.datum(n);
      if (d.kind === "rec" && d.notNull === true) {
        throw new SqlError(SqlState.nullValueNotAllowed,
          `null value cannot be assigned to variable "${d.name}" declared NOT NULL`);
      }
      this.values[n] = this.domainChecked(n, null);
      return;
    }
    if (typeof value !== "object" || !("kind" in value) || value.kind !== "record") {
      throw new SqlError(SqlState.datatypeMismatch,
        `cannot assign non-composite value to a record variable`);
    }
    if (columns === undefined) {
      this.values[n] = value;
      if (type !== Oid.unknown) this.types[n] = type;
      return;
    }
    const fields = columns.map((c, i) => {
      const v = value.fields[i] ?? null;
      const t = value.types[i] ?? c.type;
      return v === null || t === c.type ? v : this.host.cast(v, t, c.type, -1);
    });
    this.values[n] = this.domainChecked(n, { kind: "record", fields,
      types: columns.map((c) => c.type), names: columns.map((c) => c.name) });
  }

  /** A row-typed variable's new value, checked against its domain's constraints if any. */
  private domainChecked(n: number, value: Value): Value {
    if (this.domains[n] !== true) return value;
    const domain = this.types[n]!;
    return this.host.cast(value, baseTypeOf(domain).type, domain, -1);
  }

  private assignField(parent: number, name: string, value: Value, type: number): void {
    const columns = this.columns[parent];
    // A variable of a known row type starts as a row of nulls, as in Postgres.
    const record = (this.values[parent] as PgRecord | null) ?? (columns === undefined ? null
      : { kind: "record", fields: columns.map(() => null), types: columns.map((c) => c.type),
        names: columns.map((c) => c.name) });
    if (record === null) throw notAssigned(this.name(parent));
    const at = fieldNames(record, columns).indexOf(name);
    if (at < 0) {
      throw new SqlError(SqlState.undefinedColumn,
        `record "${this.name(parent)}" has no field "${name}"`);
    }
    const target = record.types[at]!;
    const v = value === null || type === target ? value : this.host.cast(value, type, target, -1);
    const fields = [...record.fields];
    fields[at] = v;
    this.values[parent] = this.domainChecked(parent, { ...record, fields });
  }

  private assignRow(n: number, fields: readonly Typed[]): void {
    const d = this.datum(n);
    if (d.kind !== "row") return;
    d.fields.forEach((f, i) => {
      const given = fields[i] ?? { value: null, type: Oid.unknown };
      this.assign(f.varno, given.value, given.type);
    });
  }

  /** `a[i] := v`: sets an element of array variable (or field) `n`. */
  assignElement(n: number, subscripts: readonly (number | null)[], value: Typed): void {
    const current = this.subscripted(n);
    const elementType = typeInfo(current.type).elem;
    const v = value.value === null || value.type === elementType ? value.value
      : this.host.cast(value.value, value.type, elementType, -1);
    this.assign(n, arraySetElement(current.value as PgArray | null, elementType, subscripts, v),
      current.type);
  }

  /** `a[i:j] := v`: sets a slice of array variable (or field) `n` from array `v`. */
  assignSlice(n: number, bounds: readonly SliceBounds[], value: Typed): void {
    const current = this.subscripted(n);
    const v = value.value === null || value.type === current.type ? value.value
      : this.host.cast(value.value, value.type, current.type, -1);
    this.assign(n, arraySetSlice(current.value as PgArray | null, typeInfo(current.type).elem,
      bounds, v as PgArray | null), current.type);
  }

  /** The array a subscripted assignment changes; 42804 for a type without subscripts. */
  private subscripted(n: number): Typed {
    const current = this.read(n);
    if (typeInfo(current.type).category !== "A") {
      throw new SqlError(SqlState.datatypeMismatch, `cannot subscript type ` +
        `${formatTypeName(current.type, -1)} because it does not support subscripting`);
    }
    return current;
  }

  /** SELECT … INTO / FETCH target: the first row (or nulls), spread over the target. */
  assignFromRow(target: number, row: Row | undefined, columns: readonly QueryColumn[]): void {
    const values = columns.map((c, i): Typed => ({ value: (row?.[i] ?? null) as Value,
      type: c.type }));
    const d = this.datum(target);
    if (d.kind === "row") {
      const only = d.fields.length === 1 ? d.fields[0]!.varno : undefined;
      if (only !== undefined && this.isRecord(only)) {
        this.assignFromRow(only, row, columns);
        return;
      }
      if (only !== undefined) {
        const first = values[0] ?? { value: null, type: Oid.unknown };
        this.assign(only, first.value, first.type);
        return;
      }
      this.assignRow(target, values);
      return;
    }
    if (!this.isRecord(target)) {
      // One scalar target takes the first column; the others are dropped, as in PostgreSQL.
      const first = values[0] ?? { value: null, type: Oid.unknown };
      this.assign(target, first.value, first.type);
      return;
    }
    if (row === undefined && this.columns[target] === undefined) {
      this.values[target] = { kind: "record", fields: columns.map(() => null),
        types: columns.map((c) => c.type), names: columns.map((c) => c.name) };
      return;
    }
    this.assignRecord(target, { kind: "record", fields: values.map((v) => v.value),
      types: columns.map((c) => c.type), names: columns.map((c) => c.name) }, Oid.record);
  }

  setFound(found: boolean): void {
    this.values[this.fn.foundVarno] = found;
  }

  /** Sets ROW_COUNT (and FOUND when `found`) after a statement. */
  counted(result: QueryResult, found: boolean): void {
    this.rowCount = result.rowCount;
    if (found) this.setFound(result.rowCount > 0);
  }
}

interface DatumTypes {
  readonly scope: string;
  readonly types: readonly number[];
  readonly typmods: number[];
  readonly columns: readonly (readonly QueryColumn[] | undefined)[];
  readonly domains: readonly boolean[];
  readonly records: readonly boolean[];
}

/** The declared types of a function's datums, per type scope (`PlHost.typeScope`). */
const datumTypes = new WeakMap<PlFunction, DatumTypes>();

function resolveDatumTypes(fn: PlFunction, host: PlHost, scope: string): DatumTypes {
  const n = fn.datums.length;
  const types = new Array<number>(n).fill(Oid.record);
  const typmods = new Array<number>(n).fill(-1);
  const columns = new Array<readonly QueryColumn[] | undefined>(n).fill(undefined);
  const domains = new Array<boolean>(n).fill(false);
  const records = fn.datums.map((d) => d.kind === "rec" || d.kind === "row");
  fn.datums.forEach((d, i) => {
    if (d.kind === "var" && (d.cursor !== undefined || isRefcursor(d.typeName))) {
      types[i] = Oid.refcursor;
    } else if (d.kind === "var" && variableTypeOf(fn, i, d.typeName) !== undefined) {
      // `v2 v%TYPE`: the type of an earlier variable.
      const j = variableTypeOf(fn, i, d.typeName)!;
      types[i] = types[j]!;
      typmods[i] = typmods[j]!;
      columns[i] = columns[j];
      domains[i] = domains[j]!;
      records[i] = records[j]!;
    } else if (d.kind === "var") {
      const resolved = host.resolveType(d.typeName);
      types[i] = resolved.type;
      typmods[i] = resolved.typmod;
      columns[i] = resolved.columns;
      domains[i] = resolved.domain === true;
    } else if (d.kind === "rec" && /^record\s*\[/i.test(d.typeName.trim())) {
      throw new SqlError(SqlState.featureNotSupported,
        `variable "${d.name}" has pseudo-type record[]`);
    } else if (d.kind === "rec" && d.typeName !== "record" && d.typeName !== "unknown") {
      const resolved = host.resolveType(d.typeName);
      types[i] = resolved.type;
      typmods[i] = resolved.typmod;
      columns[i] = resolved.columns;
      domains[i] = resolved.domain === true;
      // The parser takes every type it does not know for a row type; a domain over a
      // scalar type is a scalar variable.
      records[i] = resolved.columns !== undefined || resolved.type === Oid.record;
    }
  });
  types[fn.foundVarno] = Oid.bool;
  return { scope, types, typmods, columns, domains, records };
}

/** The datum before `at` that `name%TYPE` names, if any (`t.c%TYPE` is a column's). */
function variableTypeOf(fn: PlFunction, at: number, typeName: string): number | undefined {
  const match = /^([^.]+)%type$/i.exec(typeName.trim());
  if (match === null) return undefined;
  const name = match[1]!.trim().toLowerCase();
  for (let j = at - 1; j >= 0; j--) {
    const d = fn.datums[j]!;
    if ((d.kind === "var" || d.kind === "rec") && d.name === name) return j;
  }
  return undefined;
}

function isRefcursor(typeName: string): boolean {
  const t = typeName.trim().toLowerCase();
  return t === "refcursor" || t === "pg_catalog.refcursor";
}

function notAssigned(name: string): SqlError {
  return new SqlError(SqlState.objectNotInPrerequisiteState,
    `record "${name}" is not assigned yet`,
    { detail: "The tuple structure of a not-yet-assigned record is indeterminate." });
}

/** A record's field names; an anonymous ROW(…) has f1, f2, … as in PostgreSQL. */
function fieldNames(record: PgRecord, columns: readonly QueryColumn[] | undefined):
  readonly string[] {
  return record.names ?? columns?.map((c) => c.name) ?? record.fields.map((_, i) => `f${i + 1}`);
}

/** The fields of a record value as typed values (nulls for a null record). */
export function recordFields(value: Value, width: number): Typed[] {
  if (value === null) return new Array<Typed>(width).fill({ value: null, type: Oid.unknown });
  const record = value as PgRecord;
  if (typeof record !== "object" || record.kind !== "record") {
    return [{ value, type: Oid.unknown }];
  }
  return record.fields.map((v, i) => ({ value: v, type: record.types[i] ?? Oid.unknown }));
}
