/**
 * TABLESAMPLE on Citus tables, pushed down: each shard samples its own rows, so
 * `SELECT count(*) FROM events TABLESAMPLE BERNOULLI (10) REPEATABLE (7)` runs
 * `… FROM events_102008 events TABLESAMPLE bernoulli (10) REPEATABLE (7)` on every shard and
 * the coordinator adds the counts up. The same seed gives the same sample of each shard.
 *
 * The planner knows FROM items as tables, joins and subqueries, not as samples. So before it
 * plans, `hideCitusSamples` replaces a sampled Citus table of the top-level FROM (directly or
 * inside its joins) by the bare table carrying the sample in a field of its own; the planner
 * handles it as the table it is, keeping that field as it copies and renames the reference,
 * and `restoreSamples`, run when a task's tree is made (`shard-query.ts`, only for trees
 * whose references carry a sample), puts the TABLESAMPLE back around the shard name. A
 * sampled Citus table anywhere else (a subquery, a CTE, a write) stays as written and is
 * refused (`classify.ts`, 0A000).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { isRecord, type TreeRecord } from "./tree-walk.js";

/** The field of a RangeVar that carries its hidden sample. */
const sampleField = "tesseraTableSample";

type Sample = Omit<ast.RangeTableSample, "relation">;

/**
 * Returns `stmt` with the sampled Citus tables of its top-level FROM hidden as plain table
 * references, or undefined when it has none. Only SELECT statements (and EXPLAIN of one).
 */
export function hideCitusSamples(stmt: ast.Node, isCitus: (rv: ast.RangeVar) => boolean):
  ast.Node | undefined {
  if ("ExplainStmt" in stmt && stmt.ExplainStmt.query !== undefined) {
    const query = hideCitusSamples(stmt.ExplainStmt.query, isCitus);
    return query === undefined ? undefined : { ExplainStmt: { ...stmt.ExplainStmt, query } };
  }
  if (!("SelectStmt" in stmt) || stmt.SelectStmt.fromClause === undefined) return undefined;
  const ctes = new Set((stmt.SelectStmt.withClause?.ctes ?? []).map((c) =>
    ("CommonTableExpr" in c ? c.CommonTableExpr.ctename ?? "" : "")));
  const citus = (rv: ast.RangeVar): boolean =>
    (rv.schemaname !== undefined || !ctes.has(rv.relname ?? "")) && isCitus(rv);
  let hidden = false;
  const item = (node: ast.Node): ast.Node => {
    if ("RangeTableSample" in node) {
      const { relation, ...sample } = node.RangeTableSample;
      if (relation === undefined || !("RangeVar" in relation) || !citus(relation.RangeVar)) {
        return node;
      }
      hidden = true;
      return { RangeVar: { ...relation.RangeVar, [sampleField]: sample } as ast.RangeVar };
    }
    if ("JoinExpr" in node) {
      const join = node.JoinExpr;
      return { JoinExpr: { ...join,
        ...(join.larg !== undefined && { larg: item(join.larg) }),
        ...(join.rarg !== undefined && { rarg: item(join.rarg) }) } };
    }
    return node;
  };
  const fromClause = stmt.SelectStmt.fromClause.map(item);
  return hidden ? { SelectStmt: { ...stmt.SelectStmt, fromClause } } : undefined;
}

/** True when a table reference carries a hidden sample. */
export function carriesSample(rangeVar: ast.RangeVar): boolean {
  return sampleField in rangeVar;
}

/**
 * Returns `tree` with every hidden sample around its table again (a copy when any). A sample
 * left where no TABLESAMPLE can stand is refused: the rows must never come back unsampled.
 */
export function restoreSamples<T>(tree: T): T {
  if (!hasHidden(tree)) return tree;
  const restored = restore(tree);
  if (hasHidden(restored)) {
    throw new SqlError(SqlState.featureNotSupported,
      "TABLESAMPLE on distributed tables is not supported in this query");
  }
  return restored as T;
}

function hasHidden(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasHidden);
  if (!isRecord(value)) return false;
  if (sampleField in value) return true;
  return Object.values(value).some(hasHidden);
}

function restore(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(restore);
  if (!isRecord(value)) return value;
  const rangeVar = value["RangeVar"];
  if (isRecord(rangeVar) && sampleField in rangeVar) {
    const { [sampleField]: sample, ...plain } = rangeVar;
    return { RangeTableSample: { ...(sample as Sample), relation: { RangeVar: plain } } };
  }
  const copy: TreeRecord = {};
  for (const [key, field] of Object.entries(value)) copy[key] = restore(field);
  return copy;
}
