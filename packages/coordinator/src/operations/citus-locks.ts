/**
 * citus_locks (Citus 11.1+): the pg_locks rows of every node in one view, each with the
 * global pid of the session it belongs to and the node's id, and the locked relation's name
 * as that node resolves it:
 *
 *   global_pid int8, nodeid int4, locktype text, database oid, relation oid,
 *   relation_name text, page int4, tuple int2, virtualxid text, transactionid xid,
 *   classid oid, objid oid, objsubid int2, virtualtransaction text, pid int4, mode text,
 *   granted bool, fastpath bool, waitstart timestamptz
 *
 * Also the function citus_locks() with those columns, which Citus's view reads. Citus runs
 * its query on every node with run_command_on_all_nodes; so do we, before the statement
 * (`utility-prefetch.ts`): the coordinator's rows from its own engine, each active primary
 * worker's over a pool connection. An unreachable node gives a WARNING and no rows. Global
 * pids follow citus_stat_activity (`activity-views.ts`): a worker backend that serves a
 * coordinator transaction block carries that session's gpid, any other backend its own
 * node's; a lock of a prepared transaction (no pid) has none.
 */
import { SqlError, SqlState } from "@tessera/base";
import { addSystemRelation, type Engine, type StatementContext } from "@tessera/engine";
import {
  TypeOid, defaultFormatContext, parseStatements, typeOf, type FunctionDef, type Row, type Value,
} from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { blockBackendOwners } from "./activity-views.js";
import { calculateGpid, coordinatorNodeId } from "./global-pids.js";

const T = TypeOid;
const xidType = 28;

/** pg_locks's columns after relation, which citus_locks puts relation_name before. */
const lockColumns: readonly [string, number][] = [["locktype", T.text], ["database", T.oid],
  ["relation", T.oid], ["relation_name", T.text], ["page", T.int4], ["tuple", T.int2],
  ["virtualxid", T.text], ["transactionid", xidType], ["classid", T.oid], ["objid", T.oid],
  ["objsubid", T.int2], ["virtualtransaction", T.text], ["pid", T.int4], ["mode", T.text],
  ["granted", T.bool], ["fastpath", T.bool], ["waitstart", T.timestamptz]];

export const citusLocksColumns: readonly [string, number][] = [["global_pid", T.int8],
  ["nodeid", T.int4], ...lockColumns];

const pidColumn = lockColumns.findIndex(([name]) => name === "pid");

/** One node's locks, with the application name of each lock's backend last. */
const nodeLocksQuery = "SELECT l.locktype, l.database, l.relation, " +
  "l.relation::pg_catalog.regclass::text AS relation_name, l.page, l.tuple, l.virtualxid, " +
  "l.transactionid, l.classid, l.objid, l.objsubid, l.virtualtransaction, l.pid, l.mode, " +
  "l.granted, l.fastpath, l.waitstart, a.application_name " +
  "FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid";

const prefetched = new WeakMap<AbortSignal, Row[]>();

export const citusLocksName = "citus_locks";

/** The function citus_locks(). */
export function citusLocksFunctions(): FunctionDef[] {
  return [{
    kind: "srf", name: citusLocksName, volatility: "v", strict: false, argTypes: [],
    returnType: TypeOid.record,
    outColumns: citusLocksColumns.map(([name, type]) => ({ name, type })),
    impl: (_args, ctx): Value[][] => locksOf(ctx),
  }];
}

/** The view pg_catalog.citus_locks. */
export function addCitusLocksView(engine: Engine): void {
  addSystemRelation(engine.catalog, { oid: 15_070, schema: "pg_catalog", name: citusLocksName,
    columns: [...citusLocksColumns], rows: (ctx) => locksOf(ctx) });
}

function locksOf(ctx: { readonly signal: AbortSignal }): Row[] {
  const rows = prefetched.get(ctx.signal);
  if (rows === undefined) {
    throw new SqlError(SqlState.featureNotSupported,
      `${citusLocksName} can only be read by a statement that reads no distributed tables`);
  }
  return rows;
}

/** Gathers the locks of every node and keeps them for the statement. */
export async function prefetchCitusLocks(cluster: Cluster, ctx: StatementContext):
  Promise<void> {
  const coordinator = coordinatorNodeId(cluster);
  const owners = blockBackendOwners();
  const ownerAt = (host: string, port: number) => (pid: number): number | undefined =>
    owners.get(`${host}:${port}:${pid}`);
  const rows: Row[] = [];
  const self = cluster.registry.list().find((n) => n.groupid === 0);
  const selfOwner = self === undefined ? undefined : ownerAt(self.nodename, self.nodeport);
  for (const row of await localLocks(cluster.local, ctx)) {
    rows.push(citusLockRow(row, coordinator, coordinator, selfOwner));
  }
  const workers = cluster.registry.list()
    .filter((n) => n.isactive && n.noderole === "primary" && n.groupid !== 0)
    .sort((a, b) => a.nodeid - b.nodeid);
  const reports = await Promise.all(workers.map(async (node) => {
    try {
      const result = await cluster.pools.run({ host: node.nodename, port: node.nodeport },
        nodeLocksQuery, [], ctx.signal);
      return result.rows.map((cells): Row => cells.map((text, i): Value => {
        const type = lockColumns[i]?.[1] ?? T.text;
        return text === null ? null : typeOf(type).input(text, -1, defaultFormatContext);
      }));
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      ctx.notice(new SqlError(SqlState.warning,
        error instanceof Error ? error.message : String(error), { severity: "WARNING" }));
      return [];
    }
  }));
  reports.forEach((report, i) => {
    const node = workers[i]!;
    const owner = ownerAt(node.nodename, node.nodeport);
    for (const row of report) rows.push(citusLockRow(row, node.nodeid, coordinator, owner));
  });
  prefetched.set(ctx.signal, rows);
}

/** The coordinator's own locks, read through its engine. */
async function localLocks(local: Engine, ctx: StatementContext): Promise<Row[]> {
  const stmt = parseStatements(nodeLocksQuery)[0]!.stmt;
  const cursor = local.prepare(stmt, [], ctx).open([], ctx);
  try {
    return (await cursor.fetch(0)).rows;
  } finally {
    cursor.close();
  }
}

/** A node's lock row (application name last) as a citus_locks row. */
function citusLockRow(row: Row, nodeid: number, coordinator: number,
  ownerOf: ((pid: number) => number | undefined) | undefined): Row {
  const cells = row.slice(0, lockColumns.length);
  const name = row[lockColumns.length];
  const pidValue = cells[pidColumn];
  const applicationName = typeof name === "string" ? name : "";
  let gpid: Value = null;
  if (pidValue !== null && pidValue !== undefined) {
    const pid = Number(pidValue);
    const named = /^citus_internal gpid=(\d+)$/.exec(applicationName)?.[1];
    const owner = applicationName.startsWith("citus_internal") ? ownerOf?.(pid) : undefined;
    gpid = named !== undefined ? BigInt(named)
      : owner !== undefined ? calculateGpid(coordinator, owner) : calculateGpid(nodeid, pid);
  }
  return [gpid, nodeid, ...cells];
}
