/**
 * GROUP BY items of a view printed back as ruleutils.c's get_rule_groupingset prints them:
 *
 *   GROUP BY ROLLUP(t.a, (t.b, t.c))      GROUP BY GROUPING SETS ((t.a, t.b), t.a, ())
 *
 * A grouping set of several columns gets parentheses; so does one of a single column inside
 * GROUPING SETS, but not at the top or inside ROLLUP and CUBE. Plain items are printed by the
 * caller (`view-deparse.ts`).
 */
import type { ast } from "@tessera/sql";

const heads: Readonly<Record<string, string>> = {
  GROUPING_SET_ROLLUP: "ROLLUP(",
  GROUPING_SET_CUBE: "CUBE(",
  GROUPING_SET_SETS: "GROUPING SETS (",
};

/** Prints one GROUP BY item; `plain` prints an ordinary grouping expression. */
export function groupingItemText(node: ast.Node, plain: (n: ast.Node) => string,
  omitParens = true): string {
  if ("RowExpr" in node && node.RowExpr.row_format === "COERCE_IMPLICIT_CAST") {
    return `(${(node.RowExpr.args ?? []).map(plain).join(", ")})`;
  }
  if (!("GroupingSet" in node)) return omitParens ? plain(node) : `(${plain(node)})`;
  const set = node.GroupingSet;
  const content = set.content ?? [];
  if (set.kind === "GROUPING_SET_EMPTY") return "()";
  if (set.kind === "GROUPING_SET_SIMPLE") {
    const text = content.map(plain).join(", ");
    return omitParens && content.length === 1 ? text : `(${text})`;
  }
  const head = heads[set.kind ?? ""] ?? "GROUPING SETS (";
  const sets = set.kind === "GROUPING_SET_SETS";
  return `${head}${content.map((n) => groupingItemText(n, plain, !sets)).join(", ")})`;
}
