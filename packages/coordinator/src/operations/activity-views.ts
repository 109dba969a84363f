/**
 * The Citus monitoring views: what every node of the cluster is doing, and who waits for
 * whom (Citus 12's `citus_stat_activity`, `citus_dist_stat_activity`, `citus_lock_waits`).
 *
 *   citus_stat_activity       global_pid int8, nodeid int4, is_worker_query bool, then
 *                             pg_stat_activity's 22 columns, of every node
 *                             (also as the function citus_stat_activity())
 *   citus_dist_stat_activity  the rows of citus_stat_activity with is_worker_query = false
 *   citus_lock_waits          waiting_gpid, blocking_gpid, blocked_statement,
 *                             current_statement_in_blocking_process, waiting_nodeid,
 *                             blocking_nodeid
 *
 * Citus gathers pg_stat_activity with run_command_on_all_nodes; so do we, before the
 * statement runs (the views are computed synchronously, as `shard-sizes.ts` explains): the
 * coordinator's rows from its own engine, each active primary worker's over a pool
 * connection. A node that cannot be reached gives a WARNING and no rows, as Citus's
 * give_warning_for_connection_errors.
 *
 * Which rows are worker queries, and whose: the coordinator opens its connections to nodes
 * with application_name `citus_internal` (connection/pool.ts), so a backend with that name
 * is a worker query (Citus: `citus_internal gpid=<gpid>`, whose gpid we also honour). Our
 * connections are pooled and shared by sessions, so the name cannot carry one session's
 * gpid; instead a worker backend held by a coordinator transaction block takes the gpid of
 * the block's session (the blocks know their backends, as distributed deadlock detection
 * uses them). Any other backend has the gpid of its own node and pid (`global-pids.ts`).
 *
 * citus_lock_waits is Citus's view over the same data: the wait edges of every node
 * (`tessera_local_wait_edges()`, worker/src/wait-edges.ts; the coordinator's own lock
 * manager) with both ends turned into gpids, kept when both gpids are rows of
 * citus_dist_stat_activity, once per (waiting, blocking) pair.
 */
import { SqlError, SqlState } from "@tessera/base";
import { addSystemRelation, type Engine, type StatementContext } from "@tessera/engine";
import {
  TypeOid, defaultFormatContext, parseStatements, typeOf, type FunctionDef, type Row,
  type Value, type ast,
} from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import type { NodeAddress } from "../connection/pool.js";
import { openDistributedTransactions } from "../connection/remote-transaction.js";
import { functionName } from "../planner/raw.js";
import { someNode } from "../planner/tree-walk.js";
import { calculateGpid, coordinatorNodeId } from "./global-pids.js";

const T = TypeOid;

/** pg_stat_activity's columns in Postgres 15, as every node reports them. */
const statActivityColumns: readonly [string, number][] = [["datid", T.oid],
  ["datname", T.name], ["pid", T.int4], ["leader_pid", T.int4], ["usesysid", T.oid],
  ["usename", T.name], ["application_name", T.text], ["client_addr", T.inet],
  ["client_hostname", T.text], ["client_port", T.int4], ["backend_start", T.timestamptz],
  ["xact_start", T.timestamptz], ["query_start", T.timestamptz],
  ["state_change", T.timestamptz], ["wait_event_type", T.text], ["wait_event", T.text],
  ["state", T.text], ["backend_xid", T.xid], ["backend_xmin", T.xid], ["query_id", T.int8],
  ["query", T.text], ["backend_type", T.text]];

const columnIndex = (name: string): number =>
  statActivityColumns.findIndex(([column]) => column === name);
const pidColumn = columnIndex("pid");
const applicationNameColumn = columnIndex("application_name");
const queryColumn = columnIndex("query");

/** citus_stat_activity's columns: the gpid, node and kind of each row, then the node's. */
export const citusStatActivityColumns: readonly [string, number][] = [
  ["global_pid", T.int8], ["nodeid", T.int4], ["is_worker_query", T.bool],
  ...statActivityColumns];

export const citusLockWaitsColumns: readonly [string, number][] = [
  ["waiting_gpid", T.int8], ["blocking_gpid", T.int8], ["blocked_statement", T.text],
  ["current_statement_in_blocking_process", T.text], ["waiting_nodeid", T.int4],
  ["blocking_nodeid", T.int4]];

/** One row of citus_stat_activity, with what the lock waits need kept apart. */
interface ActivityRow {
  readonly gpid: bigint;
  readonly nodeid: number;
  readonly workerQuery: boolean;
  readonly pid: number;
  readonly query: string | null;
  readonly row: Row;
}

/** A wait edge of one node: backend `waitingPid` waits for backend `blockingPid`. */
interface NodeWaitEdge {
  readonly nodeid: number;
  readonly waitingPid: number;
  readonly blockingPid: number;
}

interface ActivitySnapshot {
  readonly rows: readonly ActivityRow[];
  readonly edges: readonly NodeWaitEdge[];
}

const prefetched = new WeakMap<AbortSignal, ActivitySnapshot>();

const relations = new Set(["citus_stat_activity", "citus_dist_stat_activity",
  "citus_lock_waits"]);

/** Tells whether a statement reads one of the views, or calls citus_stat_activity(). */
export function readsActivityViews(stmt: ast.Node): boolean {
  return someNode(stmt, (record) => {
    const rangeVar = record["RangeVar"] as ast.RangeVar | undefined;
    const call = record["FuncCall"] as ast.FuncCall | undefined;
    return (rangeVar !== undefined && relations.has(rangeVar.relname ?? ""))
      || (call !== undefined && functionName(call) === "citus_stat_activity");
  });
}

/** citus_stat_activity(), the function Citus's view reads, with the view's columns. */
export function activityFunctions(): FunctionDef[] {
  return [{
    kind: "srf", name: "citus_stat_activity", volatility: "v", strict: false,
    argTypes: [], returnType: TypeOid.record,
    outColumns: citusStatActivityColumns.map(([name, type]) => ({ name, type })),
    impl: (_args, ctx): Value[][] => activityViewRows(ctx, false),
  }];
}

/** Gathers every node's activity and wait edges, and keeps them for the statement. */
export async function prefetchActivity(cluster: Cluster, ctx: StatementContext):
  Promise<void> {
  const coordinator = coordinatorNodeId(cluster);
  const owners = blockBackendOwners();
  const rows: ActivityRow[] = [];
  const edges: NodeWaitEdge[] = [];
  const self = cluster.registry.list().find((n) => n.groupid === 0);
  const ownersAt = (host: string, port: number) => (pid: number): number | undefined =>
    owners.get(`${host}:${port}:${pid}`);
  const ownersHere = self === undefined ? undefined : ownersAt(self.nodename, self.nodeport);
  for (const row of await localActivity(cluster.local, ctx)) {
    rows.push(activityRow(row, coordinator, coordinator, ownersHere));
  }
  for (const edge of cluster.local.txns.manager.waitEdges()) {
    if (edge.blockingPid === undefined) continue;
    edges.push({ nodeid: coordinator, waitingPid: edge.waitingPid,
      blockingPid: edge.blockingPid });
  }
  const workers = cluster.registry.list()
    .filter((n) => n.isactive && n.noderole === "primary" && n.groupid !== 0)
    .sort((a, b) => a.nodeid - b.nodeid);
  const reports = await Promise.all(workers.map(async (node) => {
    const address = { host: node.nodename, port: node.nodeport };
    try {
      return await nodeReport(cluster, address, ctx);
    } catch (error) {
      ctx.notice(new SqlError(SqlState.warning, `${error instanceof Error ? error.message
        : String(error)}`, { severity: "WARNING" }));
      return undefined;
    }
  }));
  reports.forEach((report, i) => {
    if (report === undefined) return;
    const node = workers[i]!;
    const ownersThere = ownersAt(node.nodename, node.nodeport);
    for (const row of report.rows) {
      rows.push(activityRow(row, node.nodeid, coordinator, ownersThere));
    }
    for (const [waitingPid, blockingPid] of report.edges) {
      edges.push({ nodeid: node.nodeid, waitingPid, blockingPid });
    }
  });
  prefetched.set(ctx.signal, { rows, edges });
}

/** The rows of citus_stat_activity (or only the non-worker ones) for the statement. */
export function activityViewRows(ctx: Pick<StatementContext, "signal">,
  distributedOnly: boolean): Row[] {
  const rows = snapshotOf(ctx, distributedOnly ? "citus_dist_stat_activity"
    : "citus_stat_activity").rows;
  return rows.filter((r) => !distributedOnly || !r.workerQuery).map((r) => r.row);
}

/** The rows of citus_lock_waits for the statement. */
export function lockWaitRows(ctx: Pick<StatementContext, "signal">): Row[] {
  const snapshot = snapshotOf(ctx, "citus_lock_waits");
  const byBackend = new Map(snapshot.rows.map((r) => [`${r.nodeid}:${r.pid}`, r]));
  const distributed = new Map(snapshot.rows.filter((r) => !r.workerQuery)
    .map((r) => [r.gpid, r]));
  const seen = new Set<string>();
  const result: Row[] = [];
  for (const edge of snapshot.edges) {
    const waiterGpid = byBackend.get(`${edge.nodeid}:${edge.waitingPid}`)?.gpid;
    const holderGpid = byBackend.get(`${edge.nodeid}:${edge.blockingPid}`)?.gpid;
    if (waiterGpid === undefined || holderGpid === undefined) continue;
    const waiting = distributed.get(waiterGpid);
    const blocking = distributed.get(holderGpid);
    const key = `${waiterGpid}:${holderGpid}`;
    if (waiting === undefined || blocking === undefined || seen.has(key)) continue;
    seen.add(key);
    result.push([waiting.gpid, blocking.gpid, waiting.query, blocking.query, waiting.nodeid,
      blocking.nodeid]);
  }
  return result;
}

function snapshotOf(ctx: Pick<StatementContext, "signal">, view: string): ActivitySnapshot {
  const snapshot = prefetched.get(ctx.signal);
  if (snapshot === undefined) {
    throw new SqlError(SqlState.featureNotSupported,
      `${view} can only be read by a statement that reads no distributed tables`);
  }
  return snapshot;
}

/** Registers the three views in the coordinator's engine. */
export function addActivityViews(engine: Engine): void {
  addSystemRelation(engine.catalog, { oid: 15_060, schema: "pg_catalog",
    name: "citus_stat_activity", columns: [...citusStatActivityColumns],
    rows: (ctx) => activityViewRows(ctx, false) });
  addSystemRelation(engine.catalog, { oid: 15_061, schema: "pg_catalog",
    name: "citus_dist_stat_activity", columns: [...citusStatActivityColumns],
    rows: (ctx) => activityViewRows(ctx, true) });
  addSystemRelation(engine.catalog, { oid: 15_062, schema: "pg_catalog",
    name: "citus_lock_waits", columns: [...citusLockWaitsColumns],
    rows: (ctx) => lockWaitRows(ctx) });
}

/** The coordinator session that holds each worker backend of a transaction block. */
export function blockBackendOwners(): Map<string, number> {
  const owners = new Map<string, number>();
  for (const block of openDistributedTransactions()) {
    for (const backend of block.backends()) {
      owners.set(`${backend.node.host}:${backend.node.port}:${backend.backendPid}`,
        block.backendPid);
    }
  }
  return owners;
}

/** The coordinator's own pg_stat_activity, read through its engine. */
async function localActivity(local: Engine, ctx: StatementContext): Promise<Row[]> {
  const stmt = parseStatements(activityQuery)[0]!.stmt;
  const cursor = local.prepare(stmt, [], ctx).open([], ctx);
  try {
    return (await cursor.fetch(0)).rows;
  } finally {
    cursor.close();
  }
}

const activityQuery = `SELECT ${statActivityColumns.map(([name]) => name).join(", ")} ` +
  "FROM pg_catalog.pg_stat_activity";

/** One worker's pg_stat_activity rows (typed) and wait edges. */
async function nodeReport(cluster: Cluster, node: NodeAddress, ctx: StatementContext):
  Promise<{ rows: Row[]; edges: [number, number][] }> {
  const [activity, waits] = await Promise.all([
    cluster.pools.run(node, activityQuery, [], ctx.signal),
    cluster.pools.run(node, "SELECT waiting_pid, blocking_pid FROM " +
      "tessera_local_wait_edges() WHERE blocking_pid IS NOT NULL", [], ctx.signal),
  ]);
  const rows = activity.rows.map((cells): Row => cells.map((text, i): Value =>
    (text === null ? null
      : typeOf(statActivityColumns[i]![1]).input(text, -1, defaultFormatContext))));
  const edges = waits.rows.map(([w, b]): [number, number] => [Number(w), Number(b)]);
  return { rows, edges };
}

/**
 * Adds gpid, node id and worker-query flag to a node's pg_stat_activity row; `ownerOf`
 * names the coordinator session holding a backend (workers only).
 */
function activityRow(row: Row, nodeid: number, coordinator: number,
  ownerOf: ((pid: number) => number | undefined) | undefined): ActivityRow {
  const pid = Number(row[pidColumn]);
  const name = row[applicationNameColumn];
  const applicationName = typeof name === "string" ? name : "";
  const workerQuery = applicationName.startsWith("citus_internal");
  const named = /^citus_internal gpid=(\d+)$/.exec(applicationName)?.[1];
  const owner = workerQuery ? ownerOf?.(pid) : undefined;
  const gpid = named !== undefined ? BigInt(named)
    : owner !== undefined ? calculateGpid(coordinator, owner) : calculateGpid(nodeid, pid);
  const query = row[queryColumn];
  return { gpid, nodeid, workerQuery, pid, query: typeof query === "string" ? query : null,
    row: [gpid, nodeid, workerQuery, ...row] };
}
