/**
 * Assignment through subscripts in INSERT and UPDATE target lists (Postgres's
 * transformAssignmentIndirection): `SET ia[2] = 99`, `SET m[1][2] = 0`, `SET ia[2:3] = '{8,9}'`,
 * `INSERT INTO t (ia[2]) VALUES (5)`.
 *
 * The column's new value is the old one with the element or slice replaced, so the target
 * becomes an expression over a base: the column itself in UPDATE, a null in INSERT (as in
 * Postgres, the column default is not used), or the previous assignment when one statement
 * assigns several subscripts of one column: `SET ia[1] = 1, ia[2] = 2` nests the second
 * assignment around the first. The value is coerced to the element type, or for a slice to the
 * array type; `@tessera/sql`'s arraySetElement / arraySetSlice do the work at run time.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import { arraySetElement, arraySetSlice, arraySubscript, type ast, type PgArray,
  type PgRecord, type Value } from "@tessera/sql";
import type { Column } from "../catalog/relation.js";
import { Oid, formatTypeName, typeInfo } from "../catalog/types.js";
import { coerceTo, tryCoerce } from "./coerce.js";
import { baseTypeOf, domainOfArray } from "../catalog/domains.js";
import { relabelToBase, smashedType } from "./domain-coerce.js";
import { selectField } from "./whole-row.js";
import { namedAttributes } from "./composite-coerce.js";
import type { Expr } from "./expr.js";
import { arraySubscriptExpr } from "./indirection.js";
import { assignJsonbSubscripts } from "./jsonb-assign.js";
import type { Scope } from "./scope.js";

/** What one subscripted target assigns: the column, its subscripts and the new value. */
export interface IndirectAssignment {
  readonly column: Column;
  readonly indirection: readonly ast.Node[];
  readonly value: Expr;
}

/** Returns the column's new value: `base` with the subscripted element or slice replaced. */
export function assignThroughSubscripts(base: Expr, target: IndirectAssignment,
  scope: Scope): Expr {
  const { column, indirection } = target;
  if (column.type === Oid.jsonb && indirection.every((step) => "A_Indices" in step)) {
    return assignJsonbSubscripts(base, column, indirection, target.value, scope);
  }
  const slot = { name: column.name, type: column.type, typmod: column.typmod };
  return assignPath(base, slot, indirection, target.value, scope, true);
}

/** What one step of an assignment path writes into: a column, a field or an element. */
interface Slot {
  /** The column's name, or the field's for a field assignment (for messages). */
  readonly name: string;
  readonly type: number;
  readonly typmod: number;
  /** Set when the slot is an array element (or slice): the message names the subscript. */
  readonly subscripted?: boolean;
}

/**
 * transformAssignmentIndirection: `base` with the place `steps` name set to `value`, field by
 * field and subscript by subscript (`f4[1].if2[2]`). The value of an inner step is assigned
 * over the old value there (the field or element of `base`). A domain is assigned through its
 * base type and checked on the finished value; the column's own domain is checked when the
 * row is written (after every assignment to the column), as Postgres checks it once.
 */
function assignPath(base: Expr, slot: Slot, steps: readonly ast.Node[], value: Expr,
  scope: Scope, top = false): Expr {
  if (steps.length === 0) return coerceAssigned(value, slot, scope);
  const container = baseTypeOf(slot.type, slot.typmod);
  const old = relabelToBase(base);
  const first = steps[0]!;
  let result: Expr;
  if ("String" in first) {
    result = assignField(old, slot, container.type, first.String.sval ?? "", steps.slice(1),
      value, scope);
  } else if ("A_Indices" in first) {
    const count = steps.findIndex((step) => !("A_Indices" in step));
    const subscripts = steps.slice(0, count < 0 ? steps.length : count)
      .map((step) => (step as { A_Indices: ast.A_Indices }).A_Indices);
    result = assignSubscripts(old, { ...slot, ...container }, slot.type, subscripts,
      steps.slice(subscripts.length), value, scope);
  } else {
    throw notSupported("assignment to a subfield");
  }
  if (container.type === slot.type) return result;
  if (top) return { kind: "cast", type: slot.type, typmod: slot.typmod, arg: result,
    explicit: false, fn: (v) => v };
  return coerceTo(result, slot.type, slot.typmod, "a", scope.statement.params);
}

/** The assigned value as the slot's type, or Postgres's 42804 for a value that is not. */
function coerceAssigned(value: Expr, slot: Slot, scope: Scope): Expr {
  const coerced = tryCoerce(value, slot.type, slot.typmod, "a", scope.statement.params);
  if (coerced !== undefined) return coerced;
  const wanted = formatTypeName(slot.type, slot.typmod);
  const actual = formatTypeName(value.type, value.typmod);
  throw new SqlError(SqlState.datatypeMismatch, slot.subscripted === true
    ? `subscripted assignment to "${slot.name}" requires type ${wanted} but expression is of ` +
      `type ${actual}`
    : `subfield "${slot.name}" is of type ${wanted} but expression is of type ${actual}`,
  { hint: "You will need to rewrite or cast the expression." });
}

/** The element type of an array type, a domain over one or an array of a domain; or 0. */
function elementTypeOf(container: number, declared: number): number {
  const ofDomain = domainOfArray(declared);
  if (ofDomain !== undefined) return ofDomain.oid;
  return typeInfo(container).elem;
}

/** `old[subscripts]` with the element (or slice) replaced by `value`, assigned through `rest`. */
function assignSubscripts(old: Expr, slot: Slot, declared: number,
  subscripts: readonly ast.A_Indices[], rest: readonly ast.Node[], value: Expr,
  scope: Scope): Expr {
  const elem = elementTypeOf(slot.type, declared);
  if (elem === 0) {
    throw new SqlError(SqlState.datatypeMismatch, `cannot subscript type ` +
      `${typeInfo(declared).sqlName} because it does not support subscripting`);
  }
  const slice = subscripts.some((s) => s.is_slice === true);
  if (slice && rest.length > 0) throw notSupported("assignment to a subfield of an array slice");
  const inner: Slot = { name: slot.name, type: slice ? declared : elem,
    typmod: slice ? slot.typmod : -1, subscripted: true };
  const innerBase = rest.length === 0 ? old
    : elementFetch(old, subscripts.map((s) => arraySubscriptExpr(s.uidx!, scope)), elem);
  const assigned = assignPath(innerBase, inner, rest, value, scope);
  return arrayAssignment(old, slot, smashedType(elem), subscripts, assigned, scope);
}

/** `array[i][j]` read as the base of an inner assignment (null when out of range). */
function elementFetch(array: Expr, indexes: readonly Expr[], elem: number): Expr {
  return { kind: "call", name: "array_fetch", operator: false, args: [array, ...indexes],
    strict: true, volatile: false, type: elem, typmod: -1,
    impl: (values) => arraySubscript(values[0] as PgArray, values.slice(1) as number[]),
    deparse: (texts) => `${texts[0]}${texts.slice(1).map((t) => `[${t}]`).join("")}` };
}

/** The SubscriptingRef assignment: `old` with the element or slice set to `value`. */
function arrayAssignment(old: Expr, slot: Slot, elem: number,
  subscripts: readonly ast.A_Indices[], value: Expr, scope: Scope): Expr {
  const slice = subscripts.some((s) => s.is_slice === true);
  const args: Expr[] = [old, relabelToBase(value)];
  const place = (raw: ast.Node | undefined): number | null => {
    if (raw === undefined) return null;
    args.push(arraySubscriptExpr(raw, scope));
    return args.length - 1;
  };
  const lowerAt = subscripts.map((s) => (slice ? place(s.lidx) : null));
  const upperAt = subscripts.map((s) => place(s.uidx));
  const read = (values: readonly Value[], at: number | null): number | null => {
    if (at === null) return null;
    if (values[at] === null) {
      throw new SqlError(SqlState.nullValueNotAllowed,
        "array subscript in assignment must not be null");
    }
    return values[at] as number;
  };
  const impl = slice
    ? (values: Value[]): Value => arraySetSlice(values[0] as PgArray | null, elem,
      subscripts.map((s, d) => ({
        lower: s.lidx === undefined && s.is_slice !== true ? 1 : read(values, lowerAt[d]!),
        upper: read(values, upperAt[d]!),
      })), values[1] as PgArray | null)
    : (values: Value[]): Value => arraySetElement(values[0] as PgArray | null, elem,
      upperAt.map((at) => read(values, at)), values[1]!);
  return { kind: "call", name: "array_assign", operator: false, args, strict: false,
    volatile: false, type: slot.type, typmod: slot.typmod, impl,
    deparse: (texts) => `${texts[0]}${subscriptText(subscripts, texts, lowerAt, upperAt)} := ` +
      `${texts[1]}` };
}

/** INSERT's `(f2[1], f2[2]) VALUES (1, DEFAULT)`: a DEFAULT cannot go through indirection. */
export function refuseIndirectDefault(indirection: readonly ast.Node[]): void {
  if (indirection.length === 0) return;
  throw new SqlError(SqlState.featureNotSupported, "A_Indices" in indirection[0]!
    ? "cannot set an array element to DEFAULT" : "cannot set a subfield to DEFAULT");
}

/** A null of the column's type: the base of subscripted assignments in INSERT. */
export function nullBase(column: Column): Expr {
  return { kind: "const", type: column.type, typmod: column.typmod, value: null };
}

function subscriptText(subscripts: readonly ast.A_Indices[], texts: readonly string[],
  lowerAt: readonly (number | null)[], upperAt: readonly (number | null)[]): string {
  return subscripts.map((s, d) => {
    const upper = upperAt[d] === null ? "" : texts[upperAt[d]!];
    if (s.is_slice !== true) return `[${upper}]`;
    const lower = lowerAt[d] === null ? "" : texts[lowerAt[d]!];
    return `[${lower}:${upper}]`;
  }).join("");
}

/**
 * `SET col.field = v` on a composite column: the old row (or a row of NULLs when it is NULL)
 * with that field replaced, as Postgres's FieldStore; `rest` assigns inside the field.
 */
function assignField(old: Expr, slot: Slot, composite: number, field: string,
  rest: readonly ast.Node[], value: Expr, scope: Scope): Expr {
  const attributes = namedAttributes(composite);
  const typeName = typeInfo(slot.type).sqlName;
  if (attributes === undefined) {
    throw new SqlError(SqlState.datatypeMismatch, `cannot assign to field "${field}" of ` +
      `column "${slot.name}" because its type ${typeName} is not a composite type`);
  }
  const index = attributes.findIndex((a) => a.name === field);
  if (index < 0) {
    throw new SqlError(SqlState.undefinedColumn, `cannot assign to field "${field}" of column ` +
      `"${slot.name}" because there is no such column in data type ${typeName}`);
  }
  const attribute = attributes[index]!;
  const inner: Slot = { name: field, type: attribute.type, typmod: attribute.typmod };
  const innerBase = rest.length === 0 ? old : selectField(old, field);
  const assigned = assignPath(innerBase, inner, rest, value, scope);
  const types = attributes.map((a) => a.type);
  const names = attributes.map((a) => a.name);
  return { kind: "call", name: "fieldstore", operator: false, args: [old, assigned],
    strict: false, volatile: false, type: composite, typmod: -1,
    impl: (values) => {
      const prior = values[0] as PgRecord | null;
      const fields = prior === null ? attributes.map(() => null as Value) : [...prior.fields];
      fields[index] = values[1] ?? null;
      return { kind: "record", fields, types, names };
    },
    deparse: (texts) => `FIELDSTORE(${texts[0]}, ${field} := ${texts[1]})` };
}
