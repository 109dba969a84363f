/**
 * Whole-row references and field selection: `select t from t`, `t::text`, `(p).name`.
 *
 * A whole-row reference is a ROW() of the FROM item's visible columns. Its type is `record`
 * with a typmod naming the row's shape (field names and types) in a per-process registry, as
 * Postgres blesses anonymous record types with a typmod (assign_record_type_typmod); the
 * typmod travels with the value through subqueries, so `(p).name` can find its field later.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { PgRecord } from "@tessera/sql";
import { Oid, typeInfo } from "../catalog/types.js";
import { compositeAttributes } from "../catalog/composite-types.js";
import type { Expr } from "./expr.js";
import type { Scope } from "./scope.js";

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
  const columns = items[0]!.columns.filter((c) => c.hidden !== true);
  const typmod = recordTypmod(columns.map((c) =>
    ({ name: c.name, type: c.expr.type, typmod: c.expr.typmod })));
  return { kind: "row", type: Oid.record, typmod, args: columns.map((c) => c.expr),
    names: columns.map((c) => c.name) };
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
  const named = compositeAttributes(arg.type);
  if (arg.type !== Oid.record && named === undefined) {
    throw new SqlError(SqlState.wrongObjectType, `column notation .${field} applied to type ` +
      `${typeInfo(arg.type).sqlName}, which is not a composite type`);
  }
  if (field === searchDepthField) {
    return { kind: "call", name: "fieldselect", operator: false, args: [arg], strict: true,
      volatile: false, type: Oid.int8, typmod: -1,
      impl: (values) => (values[0] as PgRecord).fields[0] ?? null,
      deparse: (texts) => `(${texts[0]}).depth` };
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
    deparse: (texts) => `(${texts[0]}).${field}` };
}
