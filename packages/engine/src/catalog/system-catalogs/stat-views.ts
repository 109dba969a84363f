/**
 * The cumulative statistics views (PostgreSQL 15's pg_stat_* and pg_statio_*), with PG 15's
 * columns in order. The engine's activity counters (`../activity-counters.ts`) give
 * pg_stat_database's transactions committed and rolled back, rows returned, fetched,
 * inserted, updated and deleted, deadlocks, sessions and session_time (on the row of the
 * database the session is in), and pg_stat_*_tables's seq_scan, seq_tup_read, idx_scan,
 * idx_tup_fetch and n_tup_ins/upd/del. What Tessera does not count is 0 (blocks read or hit:
 * there are no buffers; HOT updates; active and idle-in-transaction time; per-index scans;
 * the current transaction's counts of pg_stat_xact_user_tables; checkpoints, archiving,
 * vacuum and analyze runs), and the times of such events are NULL.
 * What the catalog knows is real: one row per user table, materialized view and index
 * (relid, schemaname, relname, indexrelname), n_live_tup (the table store's live row count,
 * the planner's estimate) and n_dead_tup (versions not yet vacuumed), one row per database
 * in pg_stat_database with numbackends from pg_stat_activity's sessions, pg_stat_wal's
 * records, bytes, writes and syncs from the WAL writer of a durable engine (`setWalSource`;
 * full-page images do not exist here, so wal_fpi is 0), pg_stat_ssl from the daemon's
 * connections (`setTransportSource`: ssl true over TLS; version, cipher and bits NULL).
 *
 * The sys variants (pg_stat_sys_tables / indexes) are empty: Tessera's catalogs in pg_catalog
 * and information_schema are computed at scan time, not stored tables with statistics.
 * Views of features Tessera does not have are empty: replication (pg_stat_replication,
 * pg_replication_slots, pg_stat_subscription), vacuum progress, function call counts
 * (track_functions is off in PostgreSQL by default, so pg_stat_user_functions is empty there
 * too), GSSAPI (pg_stat_gssapi has one row per session with gss_authenticated false).
 */
import { Decimal } from "decimal.js";
import type { Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import type { Relation } from "../relation.js";
import type { SystemRelationDef } from "../system-relations.js";
import { isSystemRelation } from "./oids.js";
import { countedTable, databaseCounters, TableCounters } from "../activity-counters.js";
import { daemonActivity } from "./pg-stat-activity.js";
import { pgDatabase } from "./pg-roles.js";
import { fixedView } from "./view-columns.js";

const pg = "pg_catalog";

const tableColumns = `relid:o schemaname:n relname:n seq_scan:l seq_tup_read:l idx_scan:l
  idx_tup_fetch:l n_tup_ins:l n_tup_upd:l n_tup_del:l n_tup_hot_upd:l n_live_tup:l
  n_dead_tup:l n_mod_since_analyze:l n_ins_since_vacuum:l last_vacuum:T
  last_autovacuum:T last_analyze:T last_autoanalyze:T vacuum_count:l
  autovacuum_count:l analyze_count:l autoanalyze_count:l`;
const xactTableColumns = `relid:o schemaname:n relname:n seq_scan:l seq_tup_read:l
  idx_scan:l idx_tup_fetch:l n_tup_ins:l n_tup_upd:l n_tup_del:l n_tup_hot_upd:l`;
const indexColumns = `relid:o indexrelid:o schemaname:n relname:n indexrelname:n
  idx_scan:l idx_tup_read:l idx_tup_fetch:l`;
const ioTableColumns = `relid:o schemaname:n relname:n heap_blks_read:l heap_blks_hit:l
  idx_blks_read:l idx_blks_hit:l toast_blks_read:l toast_blks_hit:l tidx_blks_read:l
  tidx_blks_hit:l`;
const ioIndexColumns = `relid:o indexrelid:o schemaname:n relname:n indexrelname:n
  idx_blks_read:l idx_blks_hit:l`;

/** The tables and materialized views the statistics views list, in OID order. */
export function statTables(catalog: Catalog): Relation[] {
  return [...catalog.allRelations()]
    .filter((r) => !isSystemRelation(r) && (r.kind === "r" || r.kind === "m"))
    .sort((a, b) => a.oid - b.oid);
}

const zeros = (n: number): bigint[] => Array.from({ length: n }, () => 0n);

/**
 * A table's scan and write counters in pg_stat_*_tables's order (seq_scan … n_tup_hot_upd);
 * idx_scan and idx_tup_fetch are NULL for a table without indexes, as in PostgreSQL.
 */
function tableActivity(catalog: Catalog, r: Relation): Row {
  const c = countedTable(catalog, r.oid) ?? new TableCounters();
  const indexed = r.indexes.length > 0;
  return [BigInt(c.seqScan), BigInt(c.seqTupRead), indexed ? BigInt(c.idxScan) : null,
    indexed ? BigInt(c.idxTupFetch) : null, BigInt(c.inserted), BigInt(c.updated),
    BigInt(c.deleted), BigInt(c.hotUpdated)];
}

function tableRow(catalog: Catalog, r: Relation): Row {
  const live = BigInt(r.store.liveCount);
  const dead = BigInt(Math.max(0, r.store.versions.length - r.store.liveCount
    - r.store.reclaimed));
  return [r.oid, r.schema, r.name, ...tableActivity(catalog, r), live, dead, 0n, 0n, null,
    null, null, null, ...zeros(4)];
}

function indexRows(catalog: Catalog, tail: number): Row[] {
  return statTables(catalog).flatMap((r) => r.indexes.map((ix): Row =>
    [r.oid, ix.oid, r.schema, r.name, ix.name, ...zeros(tail)]));
}

/** pg_stat_{all,user,sys}_tables, pg_stat_xact_user_tables, pg_statio_*_tables. */
function tableViews(catalog: Catalog): SystemRelationDef[] {
  const rows = (): Row[] => statTables(catalog).map((r) => tableRow(catalog, r));
  const ioRows = (): Row[] => statTables(catalog).map((r): Row =>
    [r.oid, r.schema, r.name, ...zeros(8)]);
  return [
    fixedView(12142, pg, "pg_stat_all_tables", tableColumns, rows),
    fixedView(12161, pg, "pg_stat_user_tables", tableColumns, rows),
    fixedView(12152, pg, "pg_stat_sys_tables", tableColumns),
    fixedView(12166, pg, "pg_stat_xact_user_tables", xactTableColumns, () =>
      statTables(catalog).map((r): Row => [r.oid, r.schema, r.name, ...zeros(8)])),
    fixedView(12170, pg, "pg_statio_all_tables", ioTableColumns, ioRows),
    fixedView(12179, pg, "pg_statio_user_tables", ioTableColumns, ioRows),
  ];
}

function indexViews(catalog: Catalog): SystemRelationDef[] {
  return [
    fixedView(12183, pg, "pg_stat_all_indexes", indexColumns, () => indexRows(catalog, 3)),
    fixedView(12192, pg, "pg_stat_user_indexes", indexColumns, () => indexRows(catalog, 3)),
    fixedView(12188, pg, "pg_stat_sys_indexes", indexColumns),
    fixedView(12205, pg, "pg_statio_user_indexes", ioIndexColumns,
      () => indexRows(catalog, 2)),
  ];
}

/**
 * One session's transport for pg_stat_ssl: whether TLS carries it and, if so, the protocol
 * version ("TLSv1.3"), cipher and its key bits, as node:tls reports them.
 */
export interface SessionTransport {
  readonly pid: number;
  readonly ssl: boolean;
  readonly version?: string;
  readonly cipher?: string;
  readonly bits?: number;
}

const transportSources = new WeakMap<Catalog, () => readonly SessionTransport[]>();

/** Makes `source` the sessions' transports pg_stat_ssl of `catalog` shows (the daemon's). */
export function setTransportSource(catalog: Catalog,
  source: () => readonly SessionTransport[]): void {
  transportSources.set(catalog, source);
}

/** The WAL writer's counters pg_stat_wal shows (`../../wal/wal-writer.ts`'s WalStats). */
export interface WalCounters {
  readonly recordsAppended: number;
  readonly bytesAppended: number;
  readonly writeCount: number;
  readonly fsyncCount: number;
}

const walSources = new WeakMap<Catalog, () => WalCounters | undefined>();

/** Makes `source` the WAL counters pg_stat_wal of `catalog` shows. */
export function setWalSource(catalog: Catalog, source: () => WalCounters | undefined): void {
  walSources.set(catalog, source);
}

function walRow(catalog: Catalog): Row {
  const wal = walSources.get(catalog)?.();
  return [BigInt(wal?.recordsAppended ?? 0), 0n, new Decimal(wal?.bytesAppended ?? 0), 0n,
    BigInt(wal?.writeCount ?? 0), BigInt(wal?.fsyncCount ?? 0), 0, 0, null];
}

/** pg_stat_ssl: the daemon's sessions; without a daemon no connection, so ssl is false. */
function sslRows(catalog: Catalog, ctx: StatementContext): Row[] {
  const source = transportSources.get(catalog);
  const transports = source?.() ?? [{ pid: ctx.backendPid, ssl: false }];
  return transports.map((t): Row => [t.pid, t.ssl, t.version ?? null, t.cipher ?? null,
    t.bits ?? null, null, null, null]);
}

/** The sessions of the daemon: pid and database name of each (this session alone without). */
export function sessionPids(catalog: Catalog, ctx: StatementContext): [number, string][] {
  const rows = daemonActivity(catalog, ctx);
  if (rows === undefined) return [[ctx.backendPid, ctx.database]];
  return rows.map((row) => [Number(row[2]), String(row[1])]);
}

/**
 * The counters of the database this engine holds (`activity-counters.ts`), from xact_commit
 * to stats_reset: rows read sum the tables' scans (tup_returned: seq scans' rows and index
 * scans' rows; tup_fetched: index scans' rows), sessions count the ended ones and those open.
 */
function databaseActivity(catalog: Catalog, open: number): Row {
  const db = databaseCounters(catalog);
  let seqRead = 0;
  let idxFetch = 0;
  for (const t of db.tables.values()) {
    seqRead += t.seqTupRead;
    idxFetch += t.idxTupFetch;
  }
  const n = (v: number): bigint => BigInt(v);
  return [n(db.xactCommit), n(db.xactRollback), 0n, 0n, n(seqRead + idxFetch), n(idxFetch),
    n(db.tupInserted), n(db.tupUpdated), n(db.tupDeleted), 0n, 0n, 0n, n(db.deadlocks), 0n,
    null, 0, 0, db.sessionTime, db.activeTime, db.idleInTransactionTime, n(db.sessions + open),
    n(db.sessionsAbandoned), n(db.sessionsFatal), n(db.sessionsKilled), null];
}

function databaseRows(catalog: Catalog, ctx: StatementContext): Row[] {
  const sessions = sessionPids(catalog, ctx);
  const databases = pgDatabase(catalog).rows(ctx).map((d) => [d[0] ?? null, d[1] ?? null] as const);
  return [[0, null], ...databases].map(([oid, name]): Row => {
    const open = name === null ? 0 : sessions.filter(([, db]) => db === name).length;
    const activity = name === ctx.database ? databaseActivity(catalog, open)
      : [...zeros(14), null, 0, 0, 0, 0, 0, ...zeros(4), null];
    return [oid, name, open, ...activity];
  });
}

/** pg_stat_database (one row per database and one for shared objects), bgwriter, wal … */
function serverViews(catalog: Catalog): SystemRelationDef[] {
  return [
    fixedView(12266, pg, "pg_stat_database", `datid:o datname:n numbackends:i
      xact_commit:l xact_rollback:l blks_read:l blks_hit:l tup_returned:l tup_fetched:l
      tup_inserted:l tup_updated:l tup_deleted:l conflicts:l temp_files:l temp_bytes:l
      deadlocks:l checksum_failures:l checksum_last_failure:T blk_read_time:f
      blk_write_time:f session_time:f active_time:f idle_in_transaction_time:f sessions:l
      sessions_abandoned:l sessions_fatal:l sessions_killed:l stats_reset:T`,
    (ctx) => databaseRows(catalog, ctx)),
    fixedView(12289, pg, "pg_stat_bgwriter", `checkpoints_timed:l checkpoints_req:l
      checkpoint_write_time:f checkpoint_sync_time:f buffers_checkpoint:l buffers_clean:l
      maxwritten_clean:l buffers_backend:l buffers_backend_fsync:l buffers_alloc:l
      stats_reset:T`, () => [[0n, 0n, 0, 0, ...zeros(6), null]]),
    fixedView(12293, pg, "pg_stat_wal", `wal_records:l wal_fpi:l wal_bytes:N
      wal_buffers_full:l wal_write:l wal_sync:l wal_write_time:f wal_sync_time:f
      stats_reset:T`, () => [walRow(catalog)]),
    fixedView(12285, pg, "pg_stat_archiver", `archived_count:l last_archived_wal:t
      last_archived_time:T failed_count:l last_failed_wal:t last_failed_time:T
      stats_reset:T`, () => [[0n, null, null, 0n, null, null, null]]),
    fixedView(12249, pg, "pg_stat_ssl", `pid:i ssl:b version:t cipher:t bits:i client_dn:t
      client_serial:N issuer_dn:t`, (ctx) => sslRows(catalog, ctx)),
    fixedView(12253, pg, "pg_stat_gssapi", "pid:i gss_authenticated:b principal:t encrypted:b",
      (ctx) => sessionPids(catalog, ctx).map(([pid]): Row => [pid, false, null, false])),
  ];
}

/** Views of features Tessera does not have: no rows. */
const emptyViews: readonly SystemRelationDef[] = [
  fixedView(12227, pg, "pg_stat_replication", `pid:i usesysid:o usename:n
    application_name:t client_addr:inet client_hostname:t client_port:i backend_start:T
    backend_xmin:xid state:t sent_lsn:lsn write_lsn:lsn flush_lsn:lsn replay_lsn:lsn
    write_lag:interval flush_lag:interval replay_lag:interval sync_priority:i sync_state:t
    reply_time:T`),
  fixedView(12257, pg, "pg_replication_slots", `slot_name:n plugin:n slot_type:t datoid:o
    database:n temporary:b active:b active_pid:i xmin:xid catalog_xmin:xid restart_lsn:lsn
    confirmed_flush_lsn:lsn wal_status:t safe_wal_size:l two_phase:b`),
  fixedView(12244, pg, "pg_stat_subscription", `subid:o subname:n pid:i relid:o
    received_lsn:lsn last_msg_send_time:T last_msg_receipt_time:T latest_end_lsn:lsn
    latest_end_time:T`),
  fixedView(12302, pg, "pg_stat_progress_vacuum", `pid:i datid:o datname:n relid:o phase:t
    heap_blks_total:l heap_blks_scanned:l heap_blks_vacuumed:l index_vacuum_count:l
    max_dead_tuples:l num_dead_tuples:l`),
  fixedView(12275, pg, "pg_stat_user_functions", `funcid:o schemaname:n funcname:n calls:l
    total_time:f self_time:f`),
];

/** Every statistics view of this module. */
export function statViews(catalog: Catalog): SystemRelationDef[] {
  return [...tableViews(catalog), ...indexViews(catalog), ...serverViews(catalog),
    ...emptyViews];
}
