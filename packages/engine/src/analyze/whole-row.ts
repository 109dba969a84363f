/**
 * Whole-row references and field selection: `select t from t`, `t::text`, `(p).name`.
 *
 * A whole-row reference is a ROW() of the FROM item's visible columns. A table's or view's
 * whole row has the relation's row type (`row-types.ts`), as in Postgres; any other item's
 * (subquery, VALUES, WITH query, join) has type `record` with a typmod naming the row's
 * shape (field names and types) in a per-process registry, as Postgres blesses anonymous
 * record types with a typmod (assign_record_type_typmod); the typmod travels with the value
 * through subqueries, so `(p).name` can find its field later.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { PgRecord } from "@tessera/sql";
import { rowTypeColumns, rowTypeOid } from "../catalog/row-types.js";
import { Oid, typeInfo } from "../catalog/types.js";
import { namedAttributes } from "./composite-coerce.js";
import { PresenceColumnsWanted, systemColumn } from "./system-columns.js";
import type { Expr } from "./expr.js";
import type { RangeItem, Scope } from "./scope.js";
import { baseTypeOf } from "../catalog/domains.js";

export interface RecordField {
  readonly name: string;
  readonly type: number;
  readonly typmod: number;
}

const shapes: (readonly RecordField[])[] = [];
const shapeIds = new Map<string, number>();

/** Returns the typmod naming a record shape, registering it on first sight. */
export function recordTypmod(fields: readonly RecordField[]): number {
  const key = JSON.stringify(fields);
  let id = shapeIds.get(key);
  if (id === undefined) {
    id = shapes.length;
    shapes.push(Object.freeze([...fields]));
    shapeIds.set(key, id);
  }
  return id;
}

/** Returns the whole row of the FROM item `name` at this level, or undefined. */
export function wholeRowRef(name: string, scope: Scope): Expr | undefined {
  const items = scope.items.filter((i) => i.visible && i.alias === name);
  if (items.length !== 1) return undefined;
  // All the item's columns, as `name.*` expands: USING hides some only from unqualified names.
  const columns = items[0]!.columns;
  if (items[0]!.scalarRow === true && columns.length === 1) return columns[0]!.expr;
  const rowType = relationRowType(items[0]!, columns.length, scope);
  const typmod = rowType !== undefined ? -1 : recordTypmod(columns.map((c) =>
    ({ name: c.name, type: c.expr.type, typmod: c.expr.typmod })));
  const type = rowType?.oid ?? Oid.record;
  const row: Expr = { kind: "row", type, typmod, args: columns.map((c) => c.expr),
    names: rowType?.names ?? columns.map((c) => c.name) };
  // The whole row of a null-extended table (the outer side of a join) is NULL, not a row of
  // NULLs: a NOT NULL column that reads NULL tells the two apart.
  const marker = notNullColumn(items[0]!, scope) ?? presenceMarker(items[0]!, scope);
  if (marker === undefined) return row;
  return { kind: "case", type, typmod, arg: null, otherwise: row,
    whens: [{ cond: { kind: "nullTest", type: Oid.bool, typmod: -1, arg: marker,
      negated: false }, result: { kind: "const", type, typmod, value: null } }] };
}

/**
 * The row type of a table or view in FROM (makeWholeRowVar's reltype), or the composite type
 * a function in FROM returns, with its attribute names, which column aliases do not rename;
 * undefined for other items, which stay records.
 */
function relationRowType(item: RangeItem, width: number, scope: Scope):
  { oid: number; names: string[] } | undefined {
  if (item.rowType !== undefined) {
    const attributes = namedAttributes(item.rowType);
    if (attributes === undefined || attributes.length !== width) return undefined;
    return { oid: item.rowType, names: attributes.map((a) => a.name) };
  }
  if (item.relationOid === 0) return undefined;
  const catalog = scope.statement.catalog;
  const rel = catalog.relation(item.relationOid);
  if (rel === undefined) return undefined;
  const attributes = rowTypeColumns(rel);
  if (attributes.length !== width) return undefined;
  return { oid: rowTypeOid(catalog, rel), names: attributes.map((a) => a.name) };
}

/** A column of `item`'s table that the catalog declares NOT NULL, when there is one. */
function notNullColumn(item: RangeItem, scope: Scope): Expr | undefined {
  if (item.relationOid === 0) return undefined;
  const rel = scope.statement.catalog.relation(item.relationOid);
  if (rel === undefined) return undefined;
  const found = item.columns.find((c) => c.expr.kind === "var" &&
    c.expr.tableOid === rel.oid && rel.columns.some((r, i) => r.notNull && !r.dropped &&
      (c.expr as Expr & { kind: "var" }).attnum === i + 1));
  return found?.expr;
}

/**
 * For an item on the nullable side of an outer join, a value that is NULL exactly when its
 * row is null-extended: a table's ctid, or a derived table's presence column. Either may
 * need the statement's second pass (`system-columns.ts`), which carries them.
 */
function presenceMarker(item: RangeItem, scope: Scope): Expr | undefined {
  if (item.nullable !== true) return undefined;
  if (item.presence !== undefined) {
    if (item.presence < 0) throw new PresenceColumnsWanted();
    return { kind: "var", index: item.presence, type: Oid.bool, typmod: -1,
      name: `${item.alias}.*`, tableOid: 0, attnum: 0 };
  }
  return systemColumn(scope.statement, item, "ctid");
}

/**
 * The whole row of FROM item `name` here or in an enclosing level (`(SELECT t) FROM t`),
 * passed down as an outer value like a column; levels a derived table cannot see are skipped.
 */
export function wholeRowRefAnyLevel(name: string, scope: Scope): Expr | undefined {
  const local = wholeRowRef(name, scope);
  if (local !== undefined) return local;
  const parent = scope.parent;
  if (parent === undefined) return undefined;
  let outer: Expr | undefined;
  if (!scope.skipParentItems) outer = wholeRowRefAnyLevel(name, parent);
  else if (parent.parent !== undefined) {
    const above = wholeRowRefAnyLevel(name, parent.parent);
    outer = above === undefined ? undefined : parent.outerRef(above, name);
  }
  return outer === undefined ? undefined : scope.outerRef(outer, name);
}

/** The fields of record typmod `typmod` (a registered shape), or undefined. */
export function recordShape(typmod: number): readonly RecordField[] | undefined {
  return typmod >= 0 ? shapes[typmod] : undefined;
}

/**
 * The field name `search-cycle.ts` reads the depth of a SEARCH BREADTH FIRST value by: its
 * first field, an int8. No user can name it unquoted.
 */
export const searchDepthField = "*search depth*";

/** Builds `(arg).field`, or raises Postgres's error for a type without that field. */
export function selectField(arg: Expr, field: string): Expr {
  // A domain over a composite type has its base type's fields.
  const named = namedAttributes(arg.type) ?? namedAttributes(baseTypeOf(arg.type).type);
  if (arg.type !== Oid.record && named === undefined) {
    throw new SqlError(SqlState.wrongObjectType, `column notation .${field} applied to type ` +
      `${typeInfo(arg.type).sqlName}, which is not a composite type`);
  }
  if (field === searchDepthField) {
    return { kind: "call", name: "fieldselect", operator: false, args: [arg], strict: true,
      volatile: false, type: Oid.int8, typmod: -1,
      impl: (values) => (values[0] as PgRecord).fields[0] ?? null,
      deparse: (texts) => `(${texts[0]}).depth`, detail: "search depth" };
  }
  // ROW(a, b) without a registered shape names its fields f1, f2, … as Postgres does.
  const fields = named ?? (arg.kind === "row" && arg.typmod < 0
    ? arg.args.map((a, i) => ({ name: `f${i + 1}`, type: a.type, typmod: a.typmod }))
    : shapes[arg.typmod] ?? []);
  const index = fields.findIndex((f) => f.name === field);
  if (index < 0 && named !== undefined) {
    throw new SqlError(SqlState.undefinedColumn,
      `column "${field}" not found in data type ${typeInfo(arg.type).sqlName}`);
  }
  if (index < 0) {
    throw new SqlError(SqlState.undefinedColumn,
      `could not identify column "${field}" in record data type`);
  }
  const { type, typmod } = fields[index]!;
  return { kind: "call", name: "fieldselect", operator: false, args: [arg], strict: true,
    volatile: false, type, typmod, impl: (values) => (values[0] as PgRecord).fields[index] ?? null,
    deparse: (texts) => `(${texts[0]}).${field}`, detail: `field ${index}` };
}
