/**
 * EXPLAIN of INSERT, UPDATE and DELETE on Citus tables, in Citus's shape
 * (`citus-surface.md` §5):
 *
 *     Custom Scan (Citus Adaptive)  (cost=0.00..0.00 rows=0 width=0)
 *       Task Count: 1
 *       Tasks Shown: All
 *       ->  Task
 *             Node: host=127.0.0.1 port=5433 dbname=postgres
 *             ->  Update on events_102008 events  (cost=…)
 *                   ->  Seq Scan on events_102008 events  (cost=…)
 *
 * The modification is planned as it would run (planner/distributed-modify.ts) with a task
 * runner of its own: plain EXPLAIN runs only the nodes' EXPLAIN of the shown tasks and none
 * of the tasks; EXPLAIN ANALYZE performs the modification, as PostgreSQL does, running the
 * shown tasks under EXPLAIN ANALYZE on their nodes and the others as they are.
 *
 * INSERT … SELECT from Citus tables pulls the SELECT's rows to the coordinator:
 *
 *     Custom Scan (Citus INSERT ... SELECT)
 *       INSERT/SELECT method: pull to coordinator
 *       ->  Custom Scan (Citus Adaptive) …   (the SELECT's own distributed plan)
 *
 * whose EXPLAIN ANALYZE Citus refuses (XX000), as here. FORMAT JSON and YAML give the
 * Custom Scan as a document (explain-json.ts); for INSERT … SELECT they are 0A000.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { PreparedStatement, StatementContext } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import type { RemoteResult } from "../connection/pool.js";
import { classify, type Classification } from "../planner/classify.js";
import {
  prepareInsert, prepareUpdateOrDelete, targetOf, type ModifyRunner,
} from "../planner/distributed-modify.js";
import { prepareMerge } from "../planner/distributed-merge.js";
import { planInsertSelectPushdown } from "../planner/insert-select-pushdown.js";
import { planSelect } from "../planner/recursive.js";
import { preparedStatement } from "./cursor.js";
import { explainTasks } from "./explain.js";
import { customScanFields, routerDoc, summaryFields } from "./explain-json.js";
import {
  explainColumn, explainFlags, requireTextFormat, type ExplainFlags,
} from "./explain-options.js";
import {
  actualText, costsText, customScanLines, explainText, planLines, showsAllTasks, summaryLines,
  type ShownTask,
} from "./explain-tasks.js";
import { explainPlanned } from "./plan-explain.js";
import { runTasks, type Task } from "./tasks.js";

const textColumn = { name: "QUERY PLAN", tableOid: 0, columnNumber: 0, typeOid: 25,
  typeSize: -1, typeModifier: -1 };

/** What the runner saw of one execution's tasks. */
interface Shown {
  taskCount: number;
  all: boolean;
  tasks: ShownTask[];
  scanMs: number;
  /** Rows the shown tasks returned (RETURNING), read off their plans' top node. */
  shownRows: number;
}

/** Plans EXPLAIN [ANALYZE] of an INSERT, UPDATE or DELETE naming Citus tables. */
export function prepareExplainModify(cluster: Cluster, explain: ast.ExplainStmt,
  classification: Classification, ctx: StatementContext): PreparedStatement {
  const query = explain.query;
  const options = explain.options ?? [];
  const flags = explainFlags(options);
  if (query !== undefined && "InsertStmt" in query) {
    if (!classification.citus.some((ref) => ref.position === "InsertStmt.relation")) {
      throw notSupported("EXPLAIN of INSERT into a local table from distributed tables");
    }
    if (pullsToCoordinator(cluster, query.InsertStmt, classification, ctx)) {
      return explainInsertSelect(cluster, query.InsertStmt, options, flags, ctx);
    }
  }
  if (query !== undefined && "CreateTableAsStmt" in query) {
    return explainCreateTableAs(cluster, query.CreateTableAsStmt, options, flags, ctx);
  }
  let seen: Shown | undefined;
  let width = 0;
  const runner: ModifyRunner = async (_cluster, tasks, runCtx) => {
    const result = await runShowing(cluster, tasks, options, flags, width, runCtx);
    seen = result.shown;
    return result.results;
  };
  const planStart = performance.now();
  const modify = query === undefined ? undefined
    : "InsertStmt" in query ? prepareInsert(cluster, query.InsertStmt, classification, [], ctx,
      runner)
    : "UpdateStmt" in query || "DeleteStmt" in query
      ? prepareUpdateOrDelete(cluster, query, classification, [], ctx, runner)
      : "MergeStmt" in query
        ? prepareMerge(cluster, query.MergeStmt, classification, [], ctx, { runner }) : undefined;
  if (modify === undefined) throw notSupported("EXPLAIN of this statement on distributed tables");
  const planningMs = performance.now() - planStart;
  width = modify.columns?.length ?? 0;
  return preparedStatement([explainColumn(options)], modify.paramTypes,
    async (params, runCtx) => {
    const started = performance.now();
    seen = undefined;
    const cursor = modify.open(params, runCtx);
    let rows = 0;
    try {
      rows = (await cursor.fetch(0)).rows.length;
    } finally {
      cursor.close();
    }
    const shown = seen as Shown | undefined;
    if (shown === undefined) throw new SqlError(SqlState.internalError, "no tasks were planned");
    const actualRows = rows + shown.shownRows;
    const suffix = costsText(flags, 0, 0) +
      (flags.analyze ? actualText(flags, shown.scanMs, shown.scanMs, actualRows) : "");
    const head = { name: "Citus Adaptive", suffix, taskCount: shown.taskCount };
    if (flags.format !== "text") {
      const actual = { startMs: shown.scanMs, totalMs: shown.scanMs, rows: actualRows };
      const scan = customScanFields(cluster, head,
        { rows: 0, width: 0, ...(flags.analyze ? { actual } : {}) }, shown.tasks, flags,
        shown.all);
      const summary = summaryFields(flags, planningMs, performance.now() - started);
      return { rows: [[routerDoc(flags.format, scan, summary)]], commandTag: "EXPLAIN" };
    }
    const lines = customScanLines(cluster, head, shown.tasks, flags, shown.all);
    lines.push(...summaryLines(flags, planningMs, performance.now() - started));
    return { rows: lines.map((line) => [line]), commandTag: "EXPLAIN" };
  });
}

/**
 * Whether an INSERT … SELECT goes through the coordinator: its SELECT reads Citus tables it
 * cannot be pushed down with, or reads none (a function, a local table; Citus pulls those too).
 * A VALUES list is a multi-row INSERT.
 */
function pullsToCoordinator(cluster: Cluster, insert: ast.InsertStmt,
  classification: Classification, ctx: StatementContext): boolean {
  const source = insert.selectStmt;
  if (source === undefined || !("SelectStmt" in source)) return false;
  if (classification.citus.length === 1) {
    return source.SelectStmt.valuesLists === undefined && insert.withClause === undefined;
  }
  return planInsertSelectPushdown(cluster, insert, classification,
    targetOf(classification, "InsertStmt.relation"), [], ctx)?.tasks([]) === undefined;
}

/**
 * Runs a modification's tasks for EXPLAIN. A reference table's write has one task per
 * placement; Citus counts and shows it as one task (its first placement).
 */
async function runShowing(cluster: Cluster, tasks: readonly Task[],
  options: readonly ast.Node[], flags: ExplainFlags, width: number, ctx: StatementContext):
  Promise<{ shown: Shown; results: RemoteResult[] }> {
  // What the modification reads in place of a task's result: no rows, RETURNING's width.
  const empty: RemoteResult = { rows: [], commandTag: "EXPLAIN", rowCount: 0,
    fields: Array.from({ length: width }, () => ({ name: "", typeOid: 25 })) };
  const keys = new Set<string>();
  const distinct: number[] = [];
  tasks.forEach((task, i) => {
    const key = `${task.shardId ?? ""}\u0000${task.sql}`;
    if (!keys.has(key)) distinct.push(i);
    keys.add(key);
  });
  const all = showsAllTasks(ctx, distinct.length);
  const picked = all ? distinct : distinct.slice(0, 1);
  const shownTasks = picked.map((i) => tasks[i]!);
  if (!flags.analyze) {
    const explained = await explainTasks(cluster, shownTasks, options, ctx);
    return { shown: { taskCount: distinct.length, all, tasks: explained, scanMs: 0,
      shownRows: 0 },
      results: tasks.map(() => empty) };
  }
  const wrapped = tasks.map((task, i) => (picked.includes(i)
    ? { ...task, sql: explainText(task.sql, options) } : task));
  const started = performance.now();
  const results = await runTasks(cluster, wrapped, ctx);
  const scanMs = performance.now() - started;
  const explained = picked.map((i) => ({ task: tasks[i]!, plan: planLines(results[i]!) }));
  // The top node's actual rows: the first "(actual … rows=n" line, "Actual Rows": n, or
  // <Actual-Rows>n</Actual-Rows>.
  const actualRows = /\(actual .*rows=(\d+) loops=\d+\)|Actual.Rows"?:? ?>?(\d+)/;
  const shownRows = explained.reduce((sum, { plan }) => {
    const match = actualRows.exec(flags.format === "text" ? plan[0] ?? "" : plan.join("\n"));
    return sum + Number(match?.[1] ?? match?.[2] ?? 0);
  }, 0);
  return {
    shown: { taskCount: distinct.length, all, tasks: explained, scanMs, shownRows },
    results: results.map((result, i) => (picked.includes(i) ? empty : result)),
  };
}

/**
 * EXPLAIN CREATE TABLE … AS SELECT (or CREATE MATERIALIZED VIEW) over Citus tables: the
 * SELECT's distributed plan, as Citus shows it; nothing is created. With ANALYZE PostgreSQL
 * would create the table, which is 0A000 here.
 */
function explainCreateTableAs(cluster: Cluster, create: ast.CreateTableAsStmt,
  options: readonly ast.Node[], flags: ExplainFlags, ctx: StatementContext): PreparedStatement {
  const source = create.query;
  if (flags.analyze || source === undefined || !("SelectStmt" in source)) {
    throw notSupported(`EXPLAIN${flags.analyze ? " ANALYZE" : ""} of CREATE TABLE AS over ` +
      "distributed tables");
  }
  const path = cluster.local.statementScope([], ctx).path;
  const found = classify(source, cluster.local.catalog, path, cluster.metadata.cache);
  const planned = planSelect(cluster, source.SelectStmt, found, [], ctx);
  return preparedStatement([explainColumn(options)], planned.paramTypes,
    async (params, runCtx) => ({ commandTag: "EXPLAIN",
      rows: (await explainPlanned(cluster, planned, options, flags, params, runCtx))
        .map((line) => [line]) }));
}

/** INSERT … SELECT from Citus tables: the SELECT's plan under the pull-to-coordinator scan. */
function explainInsertSelect(cluster: Cluster, insert: ast.InsertStmt,
  options: readonly ast.Node[], flags: ExplainFlags, ctx: StatementContext): PreparedStatement {
  if (flags.analyze) {
    throw new SqlError(SqlState.internalError, "EXPLAIN ANALYZE is currently not supported for " +
      "INSERT ... SELECT commands via coordinator");
  }
  requireTextFormat(flags, "INSERT ... SELECT from distributed tables");
  const source = insert.selectStmt;
  if (source === undefined || !("SelectStmt" in source)) {
    throw notSupported("EXPLAIN of this INSERT into distributed tables");
  }
  const path = cluster.local.statementScope([], ctx).path;
  const found = classify(source, cluster.local.catalog, path, cluster.metadata.cache);
  const head = [`Custom Scan (Citus INSERT ... SELECT)${costsText(flags, 0, 0)}`,
    "  INSERT/SELECT method: pull to coordinator"];
  const under = (plan: readonly string[]): { rows: string[][]; commandTag: string } => ({
    rows: [...head, ...plan.map((line, k) => (k === 0 ? `  ->  ${line}` : `      ${line}`))]
      .map((line) => [line]),
    commandTag: "EXPLAIN",
  });
  if (found.citus.length === 0) {
    // The SELECT reads no Citus table: the coordinator's own plan of it.
    const local = cluster.local.prepare({ ExplainStmt: { query: source, options: [...options] } },
      [], ctx);
    return preparedStatement([textColumn], local.paramTypes, async (params, runCtx) => {
      const cursor = local.open(params, runCtx);
      try {
        return under((await cursor.fetch(0)).rows.map((row) => String(row[0])));
      } finally {
        cursor.close();
      }
    });
  }
  const planned = planSelect(cluster, source.SelectStmt, found, [], ctx);
  return preparedStatement([textColumn], planned.paramTypes, async (params, runCtx) =>
    under(await explainPlanned(cluster, planned, options, flags, params, runCtx)));
}
