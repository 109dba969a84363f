/**
 * The variables of one PL/pgSQL call (PostgreSQL's PLpgSQL_execstate datums): their values and
 * types, reading them as query parameters and assigning to them with the conversion an
 * assignment makes. A record variable holds a PgRecord (with field names) or null until
 * assigned; a row (a list of INTO targets, OUT parameters) is read as a record of its fields.
 */
import { SqlError, SqlState } from "@tessera/base";
import { arraySetElement, type PgArray, type PgRecord, type Row, type Value }
  from "@tessera/sql";
import { Oid, typeInfo } from "../catalog/types.js";
import type { Ref } from "./expressions.js";
import type { PlHost, QueryColumn, QueryResult, ResultShape } from "./host.js";
import type { Datum, PlFunction } from "./tree.js";
import type { SessionCursors } from "../api.js";
import { LocalCursors } from "./local-cursors.js";

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
    this.values[fn.foundVarno] = false;
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
    return d !== undefined && (d.kind === "rec" || d.kind === "row" ||
      (d.kind === "var" && this.columns[n] !== undefined));
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

  /** Field `name` of record datum `n`. */
  field(n: number, name: string): Typed {
    const record = this.read(n).value as PgRecord | null;
    const columns = this.columns[n];
    if (record === null) {
      if (columns !== undefined) {
        const at = columns.findIndex((c) => c.name === name);
        if (at >= 0) return { value: null, type: columns[at]!.type };
      }
      throw notAssigned(this.name(n));
    }
    const at = (record.names ?? []).indexOf(name);
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
    const converted = value === null || (type === target && this.typmods[n] === -1) ? value
      : this.host.cast(value, type, target, this.typmods[n]!);
    if (converted === null && d.kind === "var" && d.notNull) {
      throw new SqlError(SqlState.nullValueNotAllowed,
        `null value cannot be assigned to variable "${d.name}" declared NOT NULL`);
    }
    this.values[n] = converted;
  }

  private assignRecord(n: number, value: Value, type: number): void {
    const columns = this.columns[n];
    if (value === null) {
      this.values[n] = null;
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
    this.values[n] = { kind: "record", fields, types: columns.map((c) => c.type),
      names: columns.map((c) => c.name) };
  }

  private assignField(parent: number, name: string, value: Value, type: number): void {
    const columns = this.columns[parent];
    // A variable of a known row type starts as a row of nulls, as in Postgres.
    const record = (this.values[parent] as PgRecord | null) ?? (columns === undefined ? null
      : { kind: "record", fields: columns.map(() => null), types: columns.map((c) => c.type),
        names: columns.map((c) => c.name) });
    if (record === null) throw notAssigned(this.name(parent));
    const at = (record.names ?? []).indexOf(name);
    if (at < 0) {
      throw new SqlError(SqlState.undefinedColumn,
        `record "${this.name(parent)}" has no field "${name}"`);
    }
    const target = record.types[at]!;
    const v = value === null || type === target ? value : this.host.cast(value, type, target, -1);
    const fields = [...record.fields];
    fields[at] = v;
    this.values[parent] = { ...record, fields };
  }

  private assignRow(n: number, fields: readonly Typed[]): void {
    const d = this.datum(n);
    if (d.kind !== "row") return;
    d.fields.forEach((f, i) => {
      const given = fields[i] ?? { value: null, type: Oid.unknown };
      this.assign(f.varno, given.value, given.type);
    });
  }

  /** `a[i] := v`: sets an element of array variable `n`. */
  assignElement(n: number, subscripts: readonly (number | null)[], value: Typed): void {
    const arrayType = this.types[n]!;
    const elementType = typeInfo(arrayType).elem;
    const v = value.value === null || value.type === elementType ? value.value
      : this.host.cast(value.value, value.type, elementType, -1);
    this.values[n] = arraySetElement(this.values[n] as PgArray | null, elementType,
      subscripts, v);
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
}

/** The declared types of a function's datums, per type scope (`PlHost.typeScope`). */
const datumTypes = new WeakMap<PlFunction, DatumTypes>();

function resolveDatumTypes(fn: PlFunction, host: PlHost, scope: string): DatumTypes {
  const n = fn.datums.length;
  const types = new Array<number>(n).fill(Oid.record);
  const typmods = new Array<number>(n).fill(-1);
  const columns = new Array<readonly QueryColumn[] | undefined>(n).fill(undefined);
  fn.datums.forEach((d, i) => {
    if (d.kind === "var" && (d.cursor !== undefined || isRefcursor(d.typeName))) {
      types[i] = Oid.refcursor;
    } else if (d.kind === "var") {
      const resolved = host.resolveType(d.typeName);
      types[i] = resolved.type;
      typmods[i] = resolved.typmod;
      columns[i] = resolved.columns;
    } else if (d.kind === "rec" && d.typeName !== "record" && d.typeName !== "unknown") {
      const resolved = host.resolveType(d.typeName);
      types[i] = resolved.type;
      columns[i] = resolved.columns;
    }
  });
  types[fn.foundVarno] = Oid.bool;
  return { scope, types, typmods, columns };
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

/** The fields of a record value as typed values (nulls for a null record). */
export function recordFields(value: Value, width: number): Typed[] {
  if (value === null) return new Array<Typed>(width).fill({ value: null, type: Oid.unknown });
  const record = value as PgRecord;
  if (typeof record !== "object" || record.kind !== "record") {
    return [{ value, type: Oid.unknown }];
  }
  return record.fields.map((v, i) => ({ value: v, type: record.types[i] ?? Oid.unknown }));
}
