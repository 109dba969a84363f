/**
 * Row constructor comparisons, `ROW(a, b) op ROW(c, d)` (Postgres's make_row_comparison_op):
 * not a comparison of two record values but of their fields, with SQL null semantics.
 * `=` is the AND of the fields' `=`, `<>` the OR of their `<>`; `<` `<=` `>` `>=` compare
 * left to right and the first pair that is not equal decides, a null there making it null:
 *
 *   row(1, null) = row(1, 2)   -> null        row(1, 2, 3) > row(1, 2, 2) -> true
 *   (3, 1.50) > (3, 1.00)      -> true        (null, 1) < (2, 1)          -> null
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "@tessera/sql";
import { Oid } from "../catalog/types.js";
import type { BoundImpl, EvalLike, Expr } from "./expr.js";
import type { Scope } from "./scope.js";

type MakeOperator = (name: string, left: Expr, right: Expr, scope: Scope,
  location: number | undefined) => Expr;

const ordering = new Set(["<", "<=", ">", ">="]);

/** True when `name` between these operands is a row comparison. */
export function isRowComparison(name: string, left: Expr | null, right: Expr): boolean {
  return left !== null && left.kind === "row" && right.kind === "row" &&
    (name === "=" || name === "<>" || ordering.has(name));
}

export function makeRowComparison(name: string, left: Expr & { kind: "row" },
  right: Expr & { kind: "row" }, scope: Scope, location: number | undefined,
  makeOperator: MakeOperator): Expr {
  const n = left.args.length;
  if (n !== right.args.length) {
    throw new SqlError(SqlState.syntaxError, "unequal number of entries in row expressions",
      location === undefined ? {} : { location });
  }
  if (n === 0) {
    throw new SqlError(SqlState.featureNotSupported, "cannot compare rows of zero length",
      location === undefined ? {} : { location });
  }
  const pairs = left.args.map((l, i) =>
    pairOf(makeOperator(name, l, right.args[i]!, scope, location)));
  const equals = ordering.has(name)
    ? left.args.map((l, i) => pairOf(makeOperator("=", l, right.args[i]!, scope, location)))
    : [];
  const args = [...pairs.map((p) => p.args[0]!), ...pairs.map((p) => p.args[1]!)];
  const impl: BoundImpl = (values, ctx) => {
    const at = (i: number): [Value, Value] => [values[i] ?? null, values[n + i] ?? null];
    if (name === "=" || name === "<>") return combine(pairs, at, ctx, name === "=");
    return lexicographic(pairs, equals, at, ctx, name);
  };
  return { kind: "call", name, operator: true, args, strict: false, volatile: false,
    type: Oid.bool, typmod: -1, impl,
    deparse: (texts) => `ROW(${texts.slice(0, n).join(", ")}) ${name} ` +
      `ROW(${texts.slice(n).join(", ")})` };
}

function pairOf(expr: Expr): Expr & { kind: "call" } {
  if (expr.kind !== "call" || expr.type !== Oid.bool) {
    throw new SqlError(SqlState.datatypeMismatch,
      `row comparison operator must yield type boolean, not type ${expr.type}`);
  }
  return expr;
}

/** AND (for =) or OR (for <>) of the pairwise results, three-valued. */
function combine(pairs: readonly (Expr & { kind: "call" })[], at: (i: number) => [Value, Value],
  ctx: EvalLike, all: boolean): Value {
  let sawNull = false;
  for (let i = 0; i < pairs.length; i++) {
    const [l, r] = at(i);
    const v = l === null || r === null ? null : pairs[i]!.impl([l, r], ctx);
    if (v === null) sawNull = true;
    else if (v !== all) return !all;
  }
  return sawNull ? null : all;
}

/** The first unequal pair decides; all equal answers whether the operator allows equality. */
function lexicographic(pairs: readonly (Expr & { kind: "call" })[],
  equals: readonly (Expr & { kind: "call" })[], at: (i: number) => [Value, Value],
  ctx: EvalLike, name: string): Value {
  for (let i = 0; i < pairs.length; i++) {
    const [l, r] = at(i);
    if (l === null || r === null) return null;
    if (equals[i]!.impl([l, r], ctx) === true) continue;
    return pairs[i]!.impl([l, r], ctx);
  }
  return name === "<=" || name === ">=";
}
