/**
 * Assignment through jsonb subscripts in INSERT and UPDATE target lists:
 * `SET doc['a']['b'] = '1'`, `SET doc['tags'][0] = '"x"'` (Postgres's jsonb subscripting
 * assignment). The subscripts become text path elements as for a jsonb fetch, the value is
 * coerced to jsonb, and `@tessera/sql`'s jsonbSubscriptAssign builds the new document.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import { jsonbSubscriptAssign, type ast } from "@tessera/sql";
import type { Column } from "../catalog/relation.js";
import { Oid, formatTypeName } from "../catalog/types.js";
import { canCoerce, tryCoerce } from "./coerce.js";
import type { Expr } from "./expr.js";
import { analyzeExpr } from "./expr-analyze.js";
import { jsonbSubscriptPath } from "./indirection.js";
import type { Scope } from "./scope.js";

/** Returns the column's new value: `base` with the value at the subscripted path replaced. */
export function assignJsonbSubscripts(base: Expr, column: Column,
  indirection: readonly ast.Node[], valueExpr: Expr, scope: Scope): Expr {
  const subscripts = indirection.map((step) => {
    if (!("A_Indices" in step)) throw notSupported("assignment to a subfield");
    return step.A_Indices;
  });
  const path = jsonbSubscriptPath(subscripts, scope);
  const first = analyzeExpr(subscripts[0]!.uidx!, scope);
  const expectArray = first.type !== Oid.unknown && canCoerce(first.type, Oid.int4, "i");
  const value = tryCoerce(valueExpr, Oid.jsonb, -1, "a", scope.statement.params);
  if (value === undefined) {
    throw new SqlError(SqlState.datatypeMismatch, `subscripted assignment to ` +
      `"${column.name}" requires type jsonb but expression is of ` +
      `type ${formatTypeName(valueExpr.type, valueExpr.typmod)}`,
      { hint: "You will need to rewrite or cast the expression." });
  }
  const args: Expr[] = [base, value, ...path];
  return { kind: "call", name: "jsonb_assign", operator: false, args, strict: false,
    volatile: false, type: Oid.jsonb, typmod: -1,
    impl: (values) => jsonbSubscriptAssign(values[0] ?? null, values.slice(2), expectArray,
      values[1] ?? null),
    deparse: (texts) => `${texts[0]}${texts.slice(2).map((t) => `[${t}]`).join("")} := ` +
      `${texts[1]}` };
}
