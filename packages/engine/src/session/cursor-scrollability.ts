/**
 * Whether a cursor declared with neither SCROLL nor NO SCROLL may fetch backward. Postgres
 * (portalcmds.c, PerformCursorOpen) makes such a cursor scrollable when its query has no
 * FOR UPDATE/SHARE and its plan can run backward (execAmi.c, ExecSupportsBackwardScan): scans
 * of a table, VALUES, a function or a CTE, and sorts can; joins, aggregation, DISTINCT,
 * window functions and a bare Result cannot.
 *
 * Tessera's plans are not Postgres's, so this reads the query's shape and predicts the plan
 * Postgres makes for it: a join is not scrollable; an ORDER BY over rows of one FROM item
 * that are neither grouped nor made distinct ends in a Sort (scrollable); without ORDER BY
 * the query is scrollable when its one FROM item is. Where the prediction is wrong the cursor
 * only differs in whether FETCH BACKWARD is refused (a scrollable cursor keeps its rows in
 * memory).
 */
import type { ast } from "@tessera/sql";
import { functionsNamed } from "../catalog/builtins.js";

/** Whether Postgres would make a cursor over `query` scrollable by default. */
export function scrollableByDefault(query: ast.Node): boolean {
  if (!("SelectStmt" in query)) return false;
  return selectScrolls(query.SelectStmt);
}

const strengthNames: Record<string, string> = {
  LCS_FORUPDATE: "FOR UPDATE", LCS_FORNOKEYUPDATE: "FOR NO KEY UPDATE",
  LCS_FORSHARE: "FOR SHARE", LCS_FORKEYSHARE: "FOR KEY SHARE",
};

/** The query's first FOR UPDATE / FOR SHARE clause as SQL text (SCROLL refuses it), if any. */
export function lockingClauseOf(query: ast.Node): string | undefined {
  if (!("SelectStmt" in query)) return undefined;
  const first = query.SelectStmt.lockingClause?.[0];
  if (first === undefined || !("LockingClause" in first)) return undefined;
  return strengthNames[first.LockingClause.strength ?? ""] ?? "FOR UPDATE";
}

function selectScrolls(select: ast.SelectStmt): boolean {
  if ((select.lockingClause?.length ?? 0) > 0) return false;
  const sorted = (select.sortClause?.length ?? 0) > 0;
  if (select.op !== undefined && select.op !== "SETOP_NONE") {
    // UNION ALL is an Append of its arms; a set operation removing duplicates is not.
    if (select.op !== "SETOP_UNION" || select.all !== true) return false;
    if (sorted) return true;
    return select.larg !== undefined && select.rarg !== undefined &&
      selectScrolls(select.larg) && selectScrolls(select.rarg);
  }
  if (select.valuesLists !== undefined) return true;
  if (groupsOrAggregates(select)) return false;
  const from = select.fromClause ?? [];
  // A join is planned as a join node (a merge join often delivers the ORDER BY itself).
  if (from.length > 1 || from.some((item) => "JoinExpr" in item)) return false;
  if (sorted) return true;
  return from.length === 1 && fromItemScrolls(from[0]!);
}

function fromItemScrolls(item: ast.Node): boolean {
  if ("RangeVar" in item || "RangeFunction" in item) return true;
  if ("RangeSubselect" in item) {
    const sub = item.RangeSubselect.subquery;
    return sub !== undefined && "SelectStmt" in sub && selectScrolls(sub.SelectStmt);
  }
  return false;
}

function groupsOrAggregates(select: ast.SelectStmt): boolean {
  if ((select.groupClause?.length ?? 0) > 0 || select.havingClause !== undefined) return true;
  if (select.distinctClause !== undefined || (select.windowClause?.length ?? 0) > 0) return true;
  return (select.targetList ?? []).some((target) => callsAggregate(target));
}

/** Whether an expression calls an aggregate or window function (a shallow AST walk). */
function callsAggregate(node: unknown): boolean {
  if (node === null || typeof node !== "object") return false;
  if (Array.isArray(node)) return node.some((child) => callsAggregate(child));
  const record = node as Record<string, unknown>;
  if ("SubLink" in record) return false;
  const call = record["FuncCall"] as ast.FuncCall | undefined;
  if (call !== undefined) {
    if (call.over !== undefined || call.agg_star === true) return true;
    const names = call.funcname ?? [];
    const last = names[names.length - 1];
    const name = last !== undefined && "String" in last ? last.String.sval ?? "" : "";
    if (functionsNamed(name).some((d) => d.kind === "aggregate")) return true;
  }
  return Object.values(record).some((child) => callsAggregate(child));
}
