/**
 * CTEs over local tables next to distributed tables: Citus plans such a CTE as a subplan
 * whose rows are sent to the tasks. A plain CTE that reads only local tables and that the
 * query's top-level FROM names exactly once is inlined there as a FROM subquery (as
 * PostgreSQL itself inlines a CTE referenced once), which `local-join.ts` then ships:
 *
 *     WITH x AS (SELECT * FROM dx_local) SELECT count(*) FROM x JOIN dx_events USING (…)
 *  -> SELECT count(*) FROM (SELECT * FROM dx_local) x JOIN dx_events USING (…)
 *
 * The distributed tables then run shard by shard instead of being read whole into the
 * coordinator. Other CTEs are left to recursive planning.
 */
import type { ast } from "@tessera/sql";
import { fromItems } from "./table-subquery.js";

/** The CTEs a tree names in FROM anywhere (CTE references and tables alike), by name. */
function nameCounts(tree: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const record = node as Record<string, unknown>;
    const rangeVar = record["RangeVar"] as ast.RangeVar | undefined;
    if (rangeVar !== undefined && rangeVar.schemaname === undefined) {
      const name = rangeVar.relname ?? "";
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    Object.values(record).forEach(visit);
  };
  visit(tree);
  return counts;
}

/**
 * Returns `select` with the inlinable local CTEs moved into its FROM clause, or undefined
 * when there is none. `readsOnlyLocal` tells whether a CTE body reads local tables and no
 * Citus table.
 */
export function inlineLocalCtes(select: ast.SelectStmt,
  readsOnlyLocal: (body: ast.SelectStmt) => boolean): ast.SelectStmt | undefined {
  const withClause = select.withClause;
  if (withClause === undefined || withClause.recursive === true) return undefined;
  const ctes = withClause.ctes ?? [];
  const counts = nameCounts({ ...select, withClause: undefined });
  const ctesCounts = nameCounts(ctes);
  const top = new Map<string, ast.RangeVar>();
  for (const item of fromItems(select)) {
    if ("RangeVar" in item.node && item.node.RangeVar.schemaname === undefined) {
      top.set(item.node.RangeVar.relname ?? "", item.node.RangeVar);
    }
  }
  const inline = new Map<string, ast.CommonTableExpr>();
  for (const node of ctes) {
    if (!("CommonTableExpr" in node)) continue;
    const cte = node.CommonTableExpr;
    const name = cte.ctename ?? "";
    const body = cte.ctequery;
    if (body === undefined || !("SelectStmt" in body)) continue;
    if (cte.ctematerialized === "CTEMaterializeAlways") continue;
    if (counts.get(name) !== 1 || (ctesCounts.get(name) ?? 0) > 0 || !top.has(name)) continue;
    if (readsOnlyLocal(body.SelectStmt)) inline.set(name, cte);
  }
  if (inline.size === 0) return undefined;
  const replace = (node: ast.Node): ast.Node => {
    if ("JoinExpr" in node) {
      const join = node.JoinExpr;
      return { JoinExpr: { ...join,
        ...(join.larg !== undefined && { larg: replace(join.larg) }),
        ...(join.rarg !== undefined && { rarg: replace(join.rarg) }) } };
    }
    if (!("RangeVar" in node) || node.RangeVar.schemaname !== undefined) return node;
    const cte = inline.get(node.RangeVar.relname ?? "");
    if (cte?.ctequery === undefined) return node;
    const alias: ast.Alias = node.RangeVar.alias ?? { aliasname: cte.ctename ?? "" };
    const colnames = cte.aliascolnames;
    return { RangeSubselect: { subquery: cte.ctequery,
      alias: alias.colnames === undefined && colnames !== undefined
        ? { ...alias, colnames } : alias } };
  };
  const left = ctes.filter((node) => !("CommonTableExpr" in node) ||
    !inline.has(node.CommonTableExpr.ctename ?? ""));
  const result: ast.SelectStmt = { ...select,
    fromClause: (select.fromClause ?? []).map(replace) };
  if (left.length === 0) delete result.withClause;
  else result.withClause = { ...withClause, ctes: left };
  return result;
}
