/**
 * Sort keys (ORDER BY inside aggregates and windows) and window specifications (PARTITION BY,
 * ORDER BY, frame options) shared by `expr-call.ts` and `select.ts`.
 */
import { notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { compareFor } from "../catalog/type-io.js";
import { Oid } from "../catalog/types.js";
import { coerceTo } from "./coerce.js";
import type { Expr, SortKey, WindowSpec } from "./expr.js";
import { analyzeExpr } from "./expr-analyze.js";
import type { Scope } from "./scope.js";

/** Builds a sort key over `expr` with a SortBy's direction and null ordering. */
export function sortKeyFor(expr: Expr, sortBy: ast.SortBy, scope: Scope): SortKey {
  const typed = expr.type === Oid.unknown
    ? coerceTo(expr, Oid.text, -1, "i", scope.statement.params) : expr;
  if (sortBy.useOp !== undefined) throw notSupported("ORDER BY ... USING");
  const descending = sortBy.sortby_dir === "SORTBY_DESC";
  const nulls = sortBy.sortby_nulls;
  const nullsFirst = nulls === "SORTBY_NULLS_FIRST" ? true
    : nulls === "SORTBY_NULLS_LAST" ? false : descending;
  return { expr: typed, descending, nullsFirst, compare: compareFor(typed.type) };
}

/** Analyzes a list of SortBy nodes as plain expressions. */
export function analyzeSortKeys(list: readonly ast.Node[], scope: Scope): SortKey[] {
  return list.map((node) => {
    if (!("SortBy" in node)) throw notSupported("this ORDER BY item");
    return sortKeyFor(analyzeExpr(node.SortBy.node!, scope), node.SortBy, scope);
  });
}

/** Analyzes an OVER clause. */
export function analyzeWindowSpec(def: ast.WindowDef, scope: Scope): WindowSpec {
  if (def.refname !== undefined || (def.name !== undefined && def.partitionClause === undefined &&
    def.orderClause === undefined)) {
    const named = scope.namedWindows?.get(def.refname ?? def.name ?? "");
    if (named === undefined) throw notSupported("this window reference");
    const merged: ast.WindowDef = { ...named, ...stripUndefined(def) };
    delete merged.refname;
    delete merged.name;
    return analyzeWindowSpec(merged, scope);
  }
  const partition = (def.partitionClause ?? []).map((p) => analyzeExpr(p, scope));
  const order = analyzeSortKeys(def.orderClause ?? [], scope);
  const startOffset = def.startOffset === undefined ? null : analyzeExpr(def.startOffset, scope);
  const endOffset = def.endOffset === undefined ? null : analyzeExpr(def.endOffset, scope);
  return { partition, order, frameOptions: def.frameOptions ?? 1058, startOffset, endOffset };
}

function stripUndefined(def: ast.WindowDef): Partial<ast.WindowDef> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(def)) {
    if (v !== undefined && k !== "name" && k !== "refname" && k !== "location") out[k] = v;
  }
  if (def.frameOptions === 1058) delete out["frameOptions"];
  return out as Partial<ast.WindowDef>;
}
