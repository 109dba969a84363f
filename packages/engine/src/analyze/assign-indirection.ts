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
import { arraySetElement, arraySetSlice, type ast, type PgArray, type PgRecord,
  type Value } from "@tessera/sql";
import type { Column } from "../catalog/relation.js";
import { Oid, formatTypeName, typeInfo } from "../catalog/types.js";
import { tryCoerce } from "./coerce.js";
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
  const field = indirection.length === 1 && "String" in indirection[0]! ?
    indirection[0].String.sval ?? "" : undefined;
  if (field !== undefined) return assignField(base, target, field, scope);
  const subscripts = indirection.map((step) => {
    if (!("A_Indices" in step)) throw notSupported("assignment to a subfield");
    return step.A_Indices;
  });
  const info = typeInfo(column.type);
  if (column.type === Oid.jsonb) {
    return assignJsonbSubscripts(base, column, indirection, target.value, scope);
  }
  if (info.elem === 0) {
    throw new SqlError(SqlState.datatypeMismatch, `cannot subscript type ${info.sqlName} ` +
      "because it does not support subscripting");
  }
  const slice = subscripts.some((s) => s.is_slice === true);
  const wanted = slice ? column.type : info.elem;
  const value = tryCoerce(target.value, wanted, column.typmod, "a", scope.statement.params);
  if (value === undefined) {
    throw new SqlError(SqlState.datatypeMismatch, `subscripted assignment to ` +
      `"${column.name}" requires type ${formatTypeName(wanted, -1)} but expression is of ` +
      `type ${formatTypeName(target.value.type, target.value.typmod)}`,
      { hint: "You will need to rewrite or cast the expression." });
  }
  const args: Expr[] = [base, value];
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
    ? (values: Value[]): Value => arraySetSlice(values[0] as PgArray | null, info.elem,
      subscripts.map((s, d) => ({
        lower: s.lidx === undefined && s.is_slice !== true ? 1 : read(values, lowerAt[d]!),
        upper: read(values, upperAt[d]!),
      })), values[1] as PgArray | null)
    : (values: Value[]): Value => arraySetElement(values[0] as PgArray | null, info.elem,
      upperAt.map((at) => read(values, at)), values[1]!);
  return { kind: "call", name: "array_assign", operator: false, args, strict: false,
    volatile: false, type: column.type, typmod: column.typmod, impl,
    deparse: (texts) => `${texts[0]}${subscriptText(subscripts, texts, lowerAt, upperAt)} := ` +
      `${texts[1]}` };
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
 * with that field replaced, as Postgres's FieldStore.
 */
function assignField(base: Expr, target: IndirectAssignment, field: string, scope: Scope): Expr {
  const { column } = target;
  const attributes = namedAttributes(column.type);
  const typeName = typeInfo(column.type).sqlName;
  if (attributes === undefined) {
    throw new SqlError(SqlState.datatypeMismatch, `cannot assign to field "${field}" of ` +
      `column "${column.name}" because its type ${typeName} is not a composite type`);
  }
  const index = attributes.findIndex((a) => a.name === field);
  if (index < 0) {
    throw new SqlError(SqlState.undefinedColumn, `cannot assign to field "${field}" of column ` +
      `"${column.name}" because there is no such column in data type ${typeName}`);
  }
  const attribute = attributes[index]!;
  const value = tryCoerce(target.value, attribute.type, attribute.typmod, "a",
    scope.statement.params);
  if (value === undefined) {
    throw new SqlError(SqlState.datatypeMismatch, `column "${column.name}" is of type ` +
      `${formatTypeName(attribute.type, attribute.typmod)} but expression is of type ` +
      `${formatTypeName(target.value.type, target.value.typmod)}`,
      { hint: "You will need to rewrite or cast the expression." });
  }
  const types = attributes.map((a) => a.type);
  const names = attributes.map((a) => a.name);
  return { kind: "call", name: "fieldstore", operator: false, args: [base, value], strict: false,
    volatile: false, type: column.type, typmod: column.typmod,
    impl: (values) => {
      const old = values[0] as PgRecord | null;
      const fields = old === null ? attributes.map(() => null as Value) : [...old.fields];
      fields[index] = values[1] ?? null;
      return { kind: "record", fields, types, names };
    },
    deparse: (texts) => `FIELDSTORE(${texts[0]}, ${field} := ${texts[1]})` };
}
