/**
 * The cumulative activity counters the statistics views show (pg_stat_database,
 * pg_stat_user_tables): transactions committed and rolled back, rows inserted, updated and
 * deleted, scans and the rows they read, deadlocks and sessions, kept per engine (one
 * database) and per table. They are plain numbers bumped once per transaction, statement or
 * scan, never per row: a seq scan adds the table's live rows when it opens, an index scan
 * the rows it fetched when it ends, a statement's writes are added when it finishes.
 * As PostgreSQL's, they start at 0 when the server starts (no stats file).
 */
import type { Catalog } from "./catalog.js";

/** One table's counters (pg_stat_user_tables). */
export class TableCounters {
  seqScan = 0;
  seqTupRead = 0;
  idxScan = 0;
  idxTupFetch = 0;
  inserted = 0;
  updated = 0;
  deleted = 0;
  hotUpdated = 0;
}

/** One database's counters (pg_stat_database). Times are in milliseconds. */
export class DatabaseCounters {
  xactCommit = 0;
  xactRollback = 0;
  tupInserted = 0;
  tupUpdated = 0;
  tupDeleted = 0;
  deadlocks = 0;
  sessions = 0;
  sessionsAbandoned = 0;
  sessionsFatal = 0;
  sessionsKilled = 0;
  sessionTime = 0;
  activeTime = 0;
  idleInTransactionTime = 0;
  /** The tables' counters, by pg_class OID. */
  readonly tables = new Map<number, TableCounters>();
}

const byCatalog = new WeakMap<Catalog, DatabaseCounters>();

/** The counters of the database `catalog` holds, made on first use. */
export function databaseCounters(catalog: Catalog): DatabaseCounters {
  let counters = byCatalog.get(catalog);
  if (counters === undefined) {
    counters = new DatabaseCounters();
    byCatalog.set(catalog, counters);
  }
  return counters;
}

/** The counters of table `oid` of `catalog`, made on first use. */
export function tableCounters(catalog: Catalog, oid: number): TableCounters {
  const tables = databaseCounters(catalog).tables;
  let counters = tables.get(oid);
  if (counters === undefined) {
    counters = new TableCounters();
    tables.set(oid, counters);
  }
  return counters;
}

/** The counters of table `oid` if it was ever counted (the views read them). */
export function countedTable(catalog: Catalog, oid: number): TableCounters | undefined {
  return byCatalog.get(catalog)?.tables.get(oid);
}
