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
import { addSystemRelation, type StatementContext } from "@tessera/engine";
import { typeOf, type Row, type Value, type ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { pieceRelname, type PlannedSelect, type RecursiveSelect }
  from "../planner/recursive.js";
import { walkTree } from "../planner/tree-walk.js";
import { unsupported } from "../planner/raw.js";
import { explainSelect } from "./explain.js";
import { scanOutputLine } from "./explain-remote-names.js";
import { requireTextFormat, type ExplainFlags } from "./explain-options.js";
import {
  actualText, costsText, prettyBytes, summaryLines, withoutSummary,
} from "./explain-tasks.js";
import { runPlannedSelect } from "./recursive-exec.js";
import { valueText, type ColumnType } from "./tasks.js";
import { explainShipped, nestedPlan, nextPlanId } from "./subplan-exec.js";

/** EXPLAIN of any planned SELECT. */
export async function explainPlanned(cluster: Cluster, planned: PlannedSelect,
  options: readonly ast.Node[], flags: ExplainFlags, params: readonly Value[],
  ctx: StatementContext): Promise<string[]> {
  if ("modify" in planned) {
    throw unsupported("EXPLAIN of data-modifying CTEs over Citus tables is not supported yet");
  }
  if ("subplans" in planned || "pieces" in planned) {
    requireTextFormat(flags, "queries with distributed subplans");
  }
  if ("subplans" in planned) return explainShipped(cluster, planned, options, flags, params, ctx);
  if ("pieces" in planned) return explainRecursive(cluster, planned, options, flags, params, ctx);
  return explainSelect(cluster, planned, options, flags, params, ctx);
}

async function explainRecursive(cluster: Cluster, planned: RecursiveSelect,
  options: readonly ast.Node[], flags: ExplainFlags, params: readonly Value[],
  ctx: StatementContext): Promise<string[]> {
  const started = performance.now();
  const planId = nextPlanId();
  const lines: string[] = [];
  const pieceRows: (readonly Row[])[] = [];
  for (const [i, piece] of planned.pieces.entries()) {
    lines.push(`  ->  Distributed Subplan ${planId}_${i + 1}`);
    if (flags.analyze) {
      const pieceStart = performance.now();
      const rows = (await runPlannedSelect(cluster, piece.planned, params, ctx)).rows;
      const ms = performance.now() - pieceStart;
      pieceRows.push(rows);
      if (flags.timing) lines.push(`        Subplan Duration: ${ms.toFixed(2)} ms`);
      lines.push(`        Intermediate Data Size: ${prettyBytes(rowBytes(rows,
        piece.planned.outputTypes))}`, "        Result destination: Write locally");
    }
    lines.push(...nestedPlan(withoutSummary(await explainPlanned(cluster, piece.planned,
      options, flags, params, ctx))));
  }
  const outerStart = performance.now();
  const outer = await explainOuter(cluster, planned, options, flags, params, ctx, pieceRows);
  const outerMs = performance.now() - outerStart;
  const bytes = outer.rows === undefined ? undefined : rowBytes(outer.rows, planned.outputTypes);
  const actual = outer.rows === undefined ? ""
    : actualText(flags, outerMs, outerMs, outer.rows.length);
  lines.unshift(`Custom Scan (Citus Adaptive)${costsText(flags, 0, 0)}${actual}`,
    ...(flags.verbose ? scanOutputLine(planned.columns.map((column) => column.name)) : []));
  lines.push("  Task Count: 1");
  if (bytes !== undefined) lines.push(`  Tuple data received from nodes: ${prettyBytes(bytes)}`);
  lines.push("  Tasks Shown: All", "  ->  Task");
  if (bytes !== undefined) {
    lines.push(`        Tuple data received from node: ${prettyBytes(bytes)}`);
  }
  lines.push(`        Node: ${coordinatorNode(cluster)}`);
  lines.push(...withoutSummary(outer.plan).map((line, k) =>
    (k === 0 ? `        ->  ${line}` : `            ${line}`)));
  if (!flags.analyze) return lines;
  // The outer query's local planning; the pieces' planning happened when the statement was.
  const planning = outer.plan.map((line) => /^Planning Time: ([\d.]+) ms$/.exec(line))
    .find((match) => match !== null)?.[1];
  return [...lines, ...summaryLines(flags, Number(planning ?? 0), performance.now() - started)];
}

/** The bytes of coordinator-held rows, counted as explain-tasks.ts counts a node's. */
function rowBytes(rows: readonly Row[], types: readonly ColumnType[]): number {
  let bytes = 0;
  for (const row of rows) {
    row.forEach((value, i) => {
      const type = types[i];
      if (value === null || type === undefined) return;
      const len = typeOf(type.typeOid).len;
      bytes += len > 0 ? len : Buffer.byteLength(valueText(value, type.typeOid) ?? "");
    });
  }
  return bytes;
}

/** The coordinator as a task's node: its pg_dist_node entry (group 0) when it has one. */
function coordinatorNode(cluster: Cluster): string {
  const dbname = cluster.pools.settings.database;
  const self = cluster.registry.list().find((node) => node.groupid === 0);
  return self === undefined ? `coordinator dbname=${dbname}`
    : `host=${self.nodename} port=${self.nodeport} dbname=${dbname}`;
}

/**
 * The local EXPLAIN of the outer query over the intermediate results: empty ones, or with
 * ANALYZE the pieces' rows, when the outer query also runs once for its rows.
 */
async function explainOuter(cluster: Cluster, planned: RecursiveSelect,
  options: readonly ast.Node[], flags: ExplainFlags, params: readonly Value[],
  ctx: StatementContext, pieceRows: readonly (readonly Row[])[]):
  Promise<{ plan: string[]; rows?: readonly Row[] }> {
  const catalog = cluster.local.catalog;
  const names = new Map<string, string>();
  const added: number[] = [];
  const runLocal = async (stmt: ast.Node): Promise<Row[]> => {
    const cursor = cluster.local.prepare(stmt, planned.paramTypes, ctx).open(params, ctx);
    try {
      return (await cursor.fetch(0)).rows;
    } finally {
      cursor.close();
    }
  };
  try {
    for (const [index, piece] of planned.pieces.entries()) {
      const oid = catalog.allocateOid();
      const relname = `intermediate_result_${oid}`;
      const rows = pieceRows[index] ?? [];
      addSystemRelation(catalog, {
        oid, schema: "pg_catalog", name: relname, rows: () => rows.map((row) => [...row]),
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
    const plan = (await runLocal({ ExplainStmt: { query, options: [...options] } }))
      .map((row) => String(row[0]));
    return flags.analyze ? { plan, rows: await runLocal(query) } : { plan };
  } finally {
    for (const oid of added) {
      const relation = catalog.relation(oid);
      if (relation !== undefined) catalog.removeRelation(relation);
    }
  }
}
