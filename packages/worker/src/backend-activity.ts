/**
 * What each session of a daemon is doing, for pg_stat_activity: Postgres keeps this in
 * shared memory (`PgBackendStatus`, pgstat_report_activity); a daemon keeps one
 * `BackendActivity` per connection and hands the engine's catalog a source of rows
 * (engine/src/catalog/system-catalogs/pg-stat-activity.ts).
 *
 * The session bridge reports two events, as Postgres's traffic cop does:
 *
 *   a Query, Parse, Bind or Execute arrives  -> state 'active'; query_start, and xact_start
 *                                               when no transaction was open; the query
 *                                               text is the Query's, the Parse's, or at a
 *                                               Bind that of the statement it binds
 *   ReadyForQuery is sent with status I/T/E  -> 'idle' (xact_start cleared),
 *                                               'idle in transaction',
 *                                               'idle in transaction (aborted)'
 *
 * The query text stays after the statement ends, as in Postgres (the last query of an idle
 * session). Wait events come from the engine's lock manager when the rows are read: a
 * session whose transaction waits for another's is Lock / transactionid; an idle session
 * waits for its client (Client / ClientRead).
 */
import { nowMicros, type Engine } from "@tessera/engine";
import type { FrontendMessage } from "@tessera/protocol";
import { TypeOid, typeOf, defaultFormatContext, type Row, type Value } from "@tessera/sql";

/** pg_stat_activity.state values. */
export type BackendState = "active" | "idle" | "idle in transaction" |
  "idle in transaction (aborted)";

/** Who a session is, from its startup. */
export interface BackendIdentity {
  readonly pid: number;
  readonly user: string;
  readonly database: string;
  /** The client's address as the socket reports it ("" for a Unix socket). */
  readonly remoteAddress: string;
  /** The client's port and the server's address and port, on TCP connections. */
  readonly remotePort?: number;
  readonly localAddress?: string;
  readonly localPort?: number;
  /** The session's current application_name (it follows SET). */
  readonly applicationName: () => string | null;
  /** Whether the connection runs over TLS (pg_stat_ssl.ssl). */
  readonly tls?: boolean;
}

/** One session's activity, updated by the session bridge. */
export class BackendActivity {
  readonly backendStartMicros = nowMicros();
  state: BackendState = "idle";
  query = "";
  queryStartMicros: bigint | null = null;
  stateChangeMicros: bigint = this.backendStartMicros;
  xactStartMicros: bigint | null = null;

  /** The text of each named prepared statement, for the query of a Bind. */
  private readonly statements = new Map<string, string>();

  constructor(readonly identity: BackendIdentity) {}

  /** Notes a message from the client; those that run SQL make the session active. */
  arrived(message: FrontendMessage): void {
    switch (message.type) {
      case "query":
        return this.began(message.sql);
      case "parse":
        this.statements.set(message.name, message.sql);
        return this.began(message.sql);
      case "bind":
        return this.began(this.statements.get(message.statement));
      case "execute":
        return this.began(undefined);
      case "close":
        if (message.kind === "S") this.statements.delete(message.name);
        return;
      default:
        return;
    }
  }

  /** A statement runs; `text` is its SQL when the message says. */
  private began(text: string | undefined): void {
    if (text !== undefined) this.query = text;
    if (this.state === "active") return;
    const now = nowMicros();
    this.state = "active";
    this.stateChangeMicros = now;
    this.queryStartMicros = now;
    this.xactStartMicros ??= now;
  }

  /** ReadyForQuery went out with transaction status `status`. */
  ready(status: "I" | "T" | "E"): void {
    const state: BackendState = status === "I" ? "idle"
      : status === "T" ? "idle in transaction" : "idle in transaction (aborted)";
    if (status === "I") this.xactStartMicros = null;
    if (state !== this.state) {
      this.state = state;
      this.stateChangeMicros = nowMicros();
    }
  }
}

/** The sessions of one daemon by backend pid. */
export class BackendActivities {
  private readonly byPid = new Map<number, BackendActivity>();

  open(identity: BackendIdentity): BackendActivity {
    const activity = new BackendActivity(identity);
    this.byPid.set(identity.pid, activity);
    return activity;
  }

  close(pid: number): void {
    this.byPid.delete(pid);
  }

  /** Who the session with backend pid `pid` is, while it lives. */
  identity(pid: number): BackendIdentity | undefined {
    return this.byPid.get(pid)?.identity;
  }

  /** Each session's pid and whether TLS carries it, for pg_stat_ssl. */
  transports(): { pid: number; ssl: boolean }[] {
    return [...this.byPid.values()].map((a) => ({ pid: a.identity.pid,
      ssl: a.identity.tls === true }));
  }

  /** pg_stat_activity's rows, oldest session first; usesysid is left to the catalog. */
  rows(engine: Engine): Row[] {
    const waiting = new Set(engine.txns.manager.waitEdges().map((edge) => edge.waitingPid));
    return [...this.byPid.values()]
      .sort((a, b) => (a.backendStartMicros < b.backendStartMicros ? -1 : 1))
      .map((activity) => activityRow(activity, waiting.has(activity.identity.pid)));
  }
}

/** Postgres's OID of the one database, `postgres`. */
const postgresDatabaseOid = 5;

function activityRow(activity: BackendActivity, waitsForLock: boolean): Row {
  const { identity } = activity;
  const [waitType, waitEvent] = waitsForLock ? ["Lock", "transactionid"]
    : activity.state === "active" ? [null, null] : ["Client", "ClientRead"];
  return [postgresDatabaseOid, identity.database, identity.pid, null, null, identity.user,
    identity.applicationName() ?? "", clientAddress(identity.remoteAddress), null,
    clientPort(identity),
    activity.backendStartMicros, activity.xactStartMicros, activity.queryStartMicros,
    activity.stateChangeMicros, waitType, waitEvent, activity.state, null, null, null,
    activity.query, "client backend"];
}

/** The client's TCP port; -1 over a Unix socket, as Postgres shows it. */
function clientPort(identity: BackendIdentity): Value {
  const remote = identity.remoteAddress;
  if (remote === "" || remote.startsWith("/")) return -1;
  return identity.remotePort ?? null;
}

/** The client's address as inet (IPv4 clients of a dual-stack socket without ::ffff:). */
function clientAddress(remote: string): Value {
  if (remote === "" || remote.startsWith("/")) return null;
  const text = remote.startsWith("::ffff:") && remote.includes(".") ? remote.slice(7) : remote;
  return typeOf(TypeOid.inet).input(text, -1, defaultFormatContext);
}
