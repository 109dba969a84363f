/**
 * The contract between the session (the traffic cop, `session/`) and the query engine
 * (catalog, analyze, plan, execute). The session owns the protocol flow, settings and
 * transaction block state; for every statement it does not handle itself it asks the engine to
 * prepare a plan, then runs that plan through a cursor.
 *
 *   session.simpleQuery("select * from t where id = 1")
 *     -> parseStatements()                      (sql/parse)
 *     -> engine.prepare(stmt, paramTypes, ctx)  -> PreparedStatement (analyzed + planned)
 *     -> prepared.open(params, ctx)             -> Cursor
 *     -> cursor.fetch(maxRows) ...              -> rows, then the command tag
 */
import type { ast } from "@tessera/sql";
import type { Row, Value } from "@tessera/sql";
import type { SqlError } from "@tessera/base";

/** One column of a result, as RowDescription reports it. */
export interface ColumnInfo {
  readonly name: string;
  /** pg_class OID of the source table, or 0. */
  readonly tableOid: number;
  /** Attribute number in that table, or 0. */
  readonly columnNumber: number;
  readonly typeOid: number;
  /** pg_type.typlen: -1 for varlena, -2 for cstring. */
  readonly typeSize: number;
  /** typmod, -1 when none (varchar(10) is 14, numeric(10,2) is (10<<16 | 2) + 4). */
  readonly typeModifier: number;
}

/**
 * Settings changed from inside a function (`session/function-settings.ts`): SET statements of
 * PL/pgSQL bodies and the SET clauses of CREATE FUNCTION, nested as PostgreSQL's guc.c does.
 */
export interface SettingChanges {
  /** Runs SET [LOCAL] / RESET inside a function; returns the command tag. */
  run(stmt: ast.VariableSetStmt): string;
  /** A point in the transaction's setting changes that `rollbackTo` goes back to. */
  mark(): number;
  rollbackTo(mark: number): void;
  /** Applies a function's SET clauses; the returned function restores them at its exit. */
  enter(config: readonly (readonly [string, string])[]): () => void;
  /** Runs a SECURITY DEFINER function as `owner`; the returned function restores the user. */
  enterRole?(owner: string): () => void;
}

/** What a statement sees of its session: settings, identity and a way to say notices. */
export interface StatementContext {
  /** Current value of a setting by lower-case name (search_path, timezone, datestyle …). */
  setting(name: string): string;
  /** Every setting's name, for pg_settings; absent where the host keeps no session. */
  settingNames?(): readonly string[];
  /** A setting's pg_settings source, reset_val and boot_val (as SHOW prints values). */
  settingOrigin?(name: string): { source: string; reset: string; boot: string };
  /** The session's named prepared statements, for pg_prepared_statements. */
  preparedStatements?(): readonly PreparedStatementInfo[];
  /** The session's open SQL cursors (DECLARE), for pg_cursors. */
  sqlCursors?(): readonly CursorInfo[];
  /** The session's cursors as PL/pgSQL opens and reads them; absent without a session. */
  readonly cursors?: SessionCursors;
  /**
   * Changes a setting as SET [LOCAL] does and returns its new value, for set_config();
   * absent where the host keeps no session.
   */
  setSetting?(name: string, value: string, local: boolean): string;
  /** SET / RESET inside functions and functions' SET clauses; absent without a session. */
  readonly settingChanges?: SettingChanges;
  /** Sends a NoticeResponse (or WARNING) to the client, as ereport(NOTICE) does. */
  notice(notice: SqlError): void;
  readonly user: string;
  readonly database: string;
  /** Backend process id of this session, as pg_backend_pid() returns it. */
  readonly backendPid: number;
  /** Aborted by cancel requests and statement_timeout; long loops check it. */
  readonly signal: AbortSignal;
  /**
   * The same cancel as `signal`, without making an AbortController: lock waits listen here
   * (a TPC-B transaction waits about once). Absent where the host has only the signal.
   */
  readonly cancellation?: Cancellation;
  /**
   * The session's transaction block, when the host keeps one: statements inside a block run
   * in the block's engine transaction; without one each statement is its own transaction.
   */
  readonly transaction?: TransactionHandle;
  /** Statement start, for now()/current_timestamp (transaction start inside a block). */
  readonly transactionStartMicros: bigint;
  readonly statementStartMicros: bigint;
  /** The session's random generator, in [0, 1); `setSeed` makes it repeatable (setseed). */
  random(): number;
  setSeed(seed: number): void;
}

/** A statement's cancel, listened to without an AbortSignal (`StatementContext`). */
export interface Cancellation {
  readonly aborted: boolean;
  /** Calls `listener` once when the statement is cancelled; returns the way to stop. */
  listen(listener: () => void): () => void;
}

/**
 * The session's transaction block as the engine sees it (Postgres's TransactionState): its
 * status, its savepoint count, and the engine transaction attached on its first statement.
 */
export interface TransactionHandle {
  /** "I" idle, "T" in a block, "E" in a failed block. */
  readonly status: "I" | "T" | "E";
  /** Postgres's IsTransactionBlock (not the extended protocol's implicit transaction). */
  readonly isTransactionBlock?: boolean;
  readonly savepointDepth: number;
  /** Set by the engine on the block's first statement; the block reports its ends to it. */
  participant: TransactionParticipant | undefined;
}

/** What a transaction block tells the engine transaction attached to it. */
export interface TransactionParticipant {
  /**
   * Makes the block's writes visible now; resolves once they are durable. A commit with
   * nothing to wait for returns `committedAtOnce`, which the session need not await.
   */
  commit(options: { readonly synchronous: boolean }): Promise<void>;
  /** Undoes the block's writes, catalog changes included. */
  rollback(): void;
  /** SAVEPOINT: the block now has `savepointDepth` savepoints, the new one last. */
  savepoint(): void;
  /** ROLLBACK TO the savepoint at `depth` (0-based), which stays. */
  rollbackTo(depth: number): void;
  /** RELEASE the savepoint at `depth` and those after it. */
  release(depth: number): void;
}

/** FETCH and MOVE directions, as the parser names them (FetchStmt.direction). */
export type FetchDirection = "FETCH_FORWARD" | "FETCH_BACKWARD" | "FETCH_ABSOLUTE"
  | "FETCH_RELATIVE";

/** What a FETCH or MOVE gave: the rows (none for MOVE) and the count of its command tag. */
export interface FetchedRows {
  readonly rows: Row[];
  readonly count: number;
}

/** A result column as PL/pgSQL sees it. */
export interface NamedColumn {
  readonly name: string;
  readonly type: number;
}

/** What a FETCH from PL/pgSQL gave: the rows, the count, the cursor's columns. */
export interface CursorFetch extends FetchedRows {
  readonly columns: readonly NamedColumn[];
}

/** A cursor PL/pgSQL opened: its query ran, its rows are read. */
export interface OpenedRows {
  readonly columns: readonly NamedColumn[];
  readonly rows: readonly Row[];
  readonly scroll: boolean;
  /** The query's text, for pg_cursors. */
  readonly statement: string;
}

/**
 * The session's cursors (Postgres's portals) as PL/pgSQL reaches them: OPEN adds one that
 * outlives the call, until CLOSE or the end of the transaction, so a function can return its
 * name (a refcursor) and the caller FETCH from it; FETCH in a body reads any of them, SQL
 * DECLAREd ones too (`session/sql-cursors.ts`).
 */
export interface SessionCursors {
  /** The next `<unnamed portal n>` of the session (also taken by FOR over a query). */
  unnamedName(): string;
  has(name: string): boolean;
  /** Opens cursor `name` over rows already read. */
  openRows(name: string, opened: OpenedRows): void;
  /**
   * FETCH or MOVE, with the cursor's columns; 34000 when there is no such cursor. A cursor
   * DECLARE opened may have rows to read: a promise then, or 0A000 unless `canWait`.
   */
  fetch(name: string, direction: FetchDirection, count: number, move: boolean,
    canWait: boolean): CursorFetch | Promise<CursorFetch>;
  close(name: string): void;
  /** A point `rollbackTo` closes the cursors opened after (BEGIN … EXCEPTION). */
  mark(): number;
  rollbackTo(mark: number): void;
  /** COMMIT or ROLLBACK in a procedure: the cursors of the transaction close. */
  transactionEnded(): void;
}

/** One row of pg_cursors: a cursor DECLARE opened. */
export interface CursorInfo {
  readonly name: string;
  /** The text of the DECLARE statement. */
  readonly statement: string;
  readonly holdable: boolean;
  readonly binary: boolean;
  readonly scrollable: boolean;
  /** Microseconds since 2000-01-01 UTC. */
  readonly createdMicros: bigint;
}

/** One row of pg_prepared_statements. */
export interface PreparedStatementInfo {
  readonly name: string;
  readonly statement: string;
  /** Microseconds since 2000-01-01 UTC. */
  readonly prepareMicros: bigint;
  readonly parameterTypes: readonly number[];
  readonly fromSql: boolean;
  readonly genericPlans: number;
  readonly customPlans: number;
}

/** A statement analyzed and planned once, run any number of times with parameters. */
export interface PreparedStatement {
  /** Parameter type OIDs, resolved from the statement where the client gave 0. */
  readonly paramTypes: readonly number[];
  /** Result columns; null when the statement returns no rows (NoData). */
  readonly columns: readonly ColumnInfo[] | null;
  /** Starts a run; the first fetch does the work for statements without rows. */
  open(params: readonly Value[], ctx: StatementContext): Cursor;
}

/** A running statement. `fetch` returns at most `maxRows` rows (0 means all). */
/** What a commit that is durable (or need not be) already returns: nothing to await. */
export const committedAtOnce: Promise<void> = Promise.resolve();

export interface Cursor {
  fetch(maxRows: number): Promise<FetchResult>;
  /**
   * The result `fetch` would resolve to, computed at once, for a cursor whose run never waits
   * (a point lookup); undefined when this run must go through `fetch`. Sparing the promises
   * matters on the hottest path, a prepared lookup repeated by every client.
   */
  fetchNow?(maxRows: number): FetchResult | undefined;
  /** Releases what the run holds; called once, also when the portal closes early. */
  close(): void;
}

export interface FetchResult {
  readonly rows: Row[];
  /** Set when the statement has finished: "SELECT 3", "INSERT 0 1", "CREATE TABLE" … */
  readonly commandTag?: string;
  /**
   * Set on the first result of a statement planned again after waiting for a table lock,
   * when its result columns changed; only for callers that describe the result late
   * (`acceptNewColumns` in txn/statement-cursor.ts), others get 0A000.
   */
  readonly columns?: readonly ColumnInfo[] | null;
}

/** Receives the data of COPY … FROM STDIN as the client sends it, in any chunking. */
export interface CopyInSink {
  readonly columnCount: number;
  readonly binary: boolean;
  /** May return a promise: the sender waits for it before the next chunk (backpressure). */
  accept(chunk: Uint8Array): Promise<void> | void;
  /** Called at CopyDone: loads what remains and returns the tag, "COPY n". */
  finish(): Promise<string>;
  /** Called at CopyFail or on error: nothing of the COPY stays. */
  abort(): void;
}

/**
 * A stretch of COPY … TO output: `bytes` hold whole rows, row i ending at `rowEnds[i]`. A
 * client gets each row in a CopyData message of its own, as PostgreSQL sends them (drivers
 * such as psycopg 3 read a row per message): the header line of HEADER is a row here, the
 * binary format's header rides with its first row and its trailer comes alone.
 */
export interface CopyOutChunk {
  readonly bytes: Uint8Array;
  readonly rowEnds: readonly number[];
}

/** Produces the data of COPY … TO STDOUT. */
export interface CopyOutSource {
  readonly columnCount: number;
  readonly binary: boolean;
  chunks(): AsyncIterable<CopyOutChunk>;
  /** Valid after `chunks()` is exhausted: "COPY n". */
  commandTag(): string;
}

/** The query engine as the session sees it. */
export interface QueryEngine {
  /**
   * A table's ctid names one row, so a SQL cursor's row can be found again for WHERE CURRENT
   * OF (`session/cursor-current-of.ts`); absent for an engine spreading tables over nodes.
   */
  readonly ctidNamesOneRow?: boolean;
  prepare(stmt: ast.Node, paramTypes: readonly number[], ctx: StatementContext): PreparedStatement;
  /** COPY … FROM STDIN; absent when the engine cannot load data. */
  copyIn?(stmt: ast.CopyStmt, ctx: StatementContext): CopyInSink;
  /** COPY … TO STDOUT (a table or a query). */
  copyOut?(stmt: ast.CopyStmt, ctx: StatementContext): CopyOutSource;
  /**
   * PREPARE TRANSACTION (of the block `ctx.transaction`), COMMIT PREPARED, ROLLBACK PREPARED;
   * absent when the engine has no two-phase commit.
   */
  twoPhase?(kind: "prepare" | "commit" | "rollback", gid: string, ctx: StatementContext):
    Promise<void>;
  /** Drops what a session owned (its temporary tables) when it ends. */
  dropSessionObjects?(backendPid: number): void;
  /** Counts a session that ended after `millis` (pg_stat_database's sessions, session_time). */
  countSession?(millis: number): void;
  /**
   * Throws unless `user` may SET ROLE (or SET SESSION AUTHORIZATION) to `target`
   * (`session/role-switch.ts`); absent when the engine keeps no roles.
   */
  checkRoleSwitch?(kind: "role" | "session_authorization", target: string, user: string): void;
}

export type { Value };
