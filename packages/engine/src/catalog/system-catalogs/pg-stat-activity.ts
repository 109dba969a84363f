/**
 * Where pg_stat_activity finds the sessions of its daemon. The engine knows one session at a
 * time (the statement's context); the daemon that owns the connections knows them all, so
 * it hands the catalog a source of rows (worker/src/backend-activity.ts). Without a source,
 * as in an engine used alone, the view shows the current session only.
 *
 * A source returns rows in pg_stat_activity's column order (Postgres 15):
 *
 *   datid, datname, pid, leader_pid, usesysid, usename, application_name, client_addr,
 *   client_hostname, client_port, backend_start, xact_start, query_start, state_change,
 *   wait_event_type, wait_event, state, backend_xid, backend_xmin, query_id, query,
 *   backend_type
 *
 * with timestamps as microseconds since 2000-01-01 (bigint), as the engine keeps them. A
 * null usesysid is filled in from usename.
 */
import { assert } from "@tessera/base";
import type { Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import { rolesOf } from "./pg-roles.js";

/** Produces the rows of pg_stat_activity for one statement. */
export type ActivitySource = (ctx: StatementContext) => Row[];

const sources = new WeakMap<Catalog, ActivitySource>();

/** Number of columns in pg_stat_activity (Postgres 15). */
export const statActivityColumnCount = 22;

const usesysid = 4;
const usename = 5;

/** Makes `source` the one pg_stat_activity of `catalog` reads. */
export function setActivitySource(catalog: Catalog, source: ActivitySource): void {
  sources.set(catalog, source);
}

/** The daemon's rows for the statement, or undefined when no daemon gave a source. */
export function daemonActivity(catalog: Catalog, ctx: StatementContext): Row[] | undefined {
  const source = sources.get(catalog);
  if (source === undefined) return undefined;
  const rows = source(ctx);
  const roles = rolesOf(catalog);
  return rows.map((row) => {
    assert(row.length === statActivityColumnCount, "a pg_stat_activity row has every column");
    if (row[usesysid] !== null) return row;
    const role = roles.find(([, name]) => name === row[usename]);
    return row.map((value, i) => (i === usesysid ? role?.[0] ?? null : value));
  });
}
