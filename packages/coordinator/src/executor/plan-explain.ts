/**
 * EXPLAIN of any planned SELECT (`planner/recursive.ts`): a distributed query
 * (`explain.ts`), one with shipped subplans (`subplan-exec.ts`), or a recursively planned one,
 * whose pieces run first and whose outer query runs on the coordinator. The last is shown
 * in Citus's shape for a query over intermediate results: one Custom Scan with a
 * `->  Distributed Subplan` per piece (each explained in turn) and one task, the coordinator,
 * under which the local engine's plan of the outer query appears:
 *
 *     Custom Scan (Citus Adaptive)
 *       ->  Distributed Subplan 4_1
 *             ->  Custom Scan (Citus Adaptive) …
 *       Task Count: 1
 *       Tasks Shown: All
 *       ->  Task
 *             Node: coordinator dbname=postgres     (host= port= once it is in pg_dist_node)
 *             ->  Aggregate
 *                   ->  Seq Scan on intermediate_result_16400 ir
 *
 * The outer plan is made over empty intermediate results: EXPLAIN runs no piece.
 */
import { notSupported } from "@tessera/base";
import { addSystemRelation, type StatementContext } from "@tessera/engine";
import type { Value, ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { pieceRelname, type PlannedSelect, type RecursiveSelect }
  from "../planner/recursive.js";
import { walkTree } from "../planner/tree-walk.js";
import { explainSelect } from "./explain.js";
import type { ExplainFlags } from "./explain-options.js";
import { explainShipped, nestedPlan, nextPlanId } from "./subplan-exec.js";

/** EXPLAIN of any planned SELECT. */
export async function explainPlanned(cluster: Cluster, planned: PlannedSelect,
  options: readonly ast.Node[], flags: ExplainFlags, params: readonly Value[],
  ctx: StatementContext): Promise<string[]> {
  if ("subplans" in planned) return explainShipped(cluster, planned, options, flags, params, ctx);
  if ("pieces" in planned) return explainRecursive(cluster, planned, options, flags, params, ctx);
  return explainSelect(cluster, planned, options, flags, params, ctx);
}

async function explainRecursive(cluster: Cluster, planned: RecursiveSelect,
  options: readonly ast.Node[], flags: ExplainFlags, params: readonly Value[],
  ctx: StatementContext): Promise<string[]> {
  if (flags.analyze) throw notSupported("EXPLAIN ANALYZE of distributed queries");
  const planId = nextPlanId();
  const costs = flags.costs ? "  (cost=0.00..0.00 rows=0 width=0)" : "";
  const lines = [`Custom Scan (Citus Adaptive)${costs}`];
  for (const [i, piece] of planned.pieces.entries()) {
    lines.push(`  ->  Distributed Subplan ${planId}_${i + 1}`);
    lines.push(...nestedPlan(await explainPlanned(cluster, piece.planned, options, flags,
      params, ctx)));
  }
  const outer = await explainOuter(cluster, planned, options, params, ctx);
  lines.push("  Task Count: 1", "  Tasks Shown: All", "  ->  Task",
    `        Node: ${coordinatorNode(cluster)}`);
  lines.push(...outer.map((line, k) => (k === 0 ? `        ->  ${line}` : `            ${line}`)));
  return lines;
}

/** The coordinator as a task's node: its pg_dist_node entry (group 0) when it has one. */
function coordinatorNode(cluster: Cluster): string {
  const dbname = cluster.pools.settings.database;
  const self = cluster.registry.list().find((node) => node.groupid === 0);
  return self === undefined ? `coordinator dbname=${dbname}`
    : `host=${self.nodename} port=${self.nodeport} dbname=${dbname}`;
}

/** The local EXPLAIN of the outer query over empty intermediate results. */
async function explainOuter(cluster: Cluster, planned: RecursiveSelect,
  options: readonly ast.Node[], params: readonly Value[],
  ctx: StatementContext): Promise<string[]> {
  const catalog = cluster.local.catalog;
  const names = new Map<string, string>();
  const added: number[] = [];
  try {
    for (const [index, piece] of planned.pieces.entries()) {
      const oid = catalog.allocateOid();
      const relname = `intermediate_result_${oid}`;
      addSystemRelation(catalog, {
        oid, schema: "pg_catalog", name: relname, rows: () => [],
        columns: piece.planned.outputTypes.map((type, i) =>
          [`c${i + 1}`, type.typeOid, type.typmod] as const),
      });
      added.push(oid);
      names.set(pieceRelname(index), relname);
    }
    const query = walkTree({ SelectStmt: planned.outer }, {
      rangeVar: (rangeVar) => {
        const name = names.get(rangeVar.relname ?? "");
        return name === undefined || rangeVar.schemaname !== "pg_catalog" ? undefined
          : { ...rangeVar, relname: name };
      },
    }) as ast.Node;
    const stmt: ast.Node = { ExplainStmt: { query, options: [...options] } };
    const cursor = cluster.local.prepare(stmt, planned.paramTypes, ctx).open(params, ctx);
    try {
      return (await cursor.fetch(0)).rows.map((row) => String(row[0]));
    } finally {
      cursor.close();
    }
  } finally {
    for (const oid of added) {
      const relation = catalog.relation(oid);
      if (relation !== undefined) catalog.removeRelation(relation);
    }
  }
}
