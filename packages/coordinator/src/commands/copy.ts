/**
 * COPY … FROM STDIN into a Citus table: the local engine's COPY loader parses the client's
 * bytes into checked rows (text or CSV, defaults and sequences evaluated here on the
 * coordinator), and instead of loading them into the shell table the rows are routed by the
 * hash of their distribution column and inserted into the shards in batches.
 */
import { startCopyIn, type CopyInSink, type StatementContext } from "@tessera/engine";
import type { Row, ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { runTasks, sumCounts } from "../executor/tasks.js";
import { insertTasks, routeRows, type InsertTarget } from "../planner/insert-tasks.js";

/** Starts a COPY FROM STDIN whose rows go to the shards of `target`. */
export function startDistributedCopy(cluster: Cluster, stmt: ast.CopyStmt,
  target: InsertTarget, ctx: StatementContext): CopyInSink {
  const loader = startCopyIn(cluster.local, stmt, ctx);
  const live = target.relation.columns.map((c, i) => (c.dropped ? -1 : i)).filter((i) => i >= 0);
  return {
    columnCount: loader.columnCount,
    binary: loader.binary,
    accept: (chunk) => loader.accept(chunk),
    finish: async () => {
      const rows: Row[] = loader.takeRows().map((row) => live.map((i) => row[i] ?? null));
      const tasks = insertTasks(cluster, target, routeRows(target, rows));
      const results = await runTasks(cluster, tasks, ctx);
      const copied = target.table.kind === "reference" ? rows.length : sumCounts(results);
      return `COPY ${copied}`;
    },
    abort: () => loader.abort(),
  };
}
