/**
 * The traffic cop of one client session, after Postgres's tcop/postgres.c: it takes protocol
 * requests one at a time (simple Query, or Parse/Bind/Describe/Execute/Close/Sync, or COPY
 * data) and drives parse → engine.prepare → cursor → rows, reporting through SessionOutput.
 *
 * Simple query: every statement of the string runs in turn; the first error stops the rest,
 * and one ReadyForQuery ends it. Several statements outside a block run as one implicit
 * transaction (exec_simple_query's implicit block); so do the Executes before a Sync.
 * COPY FROM STDIN suspends the string: the remaining statements run after CopyDone arrives
 * (`resumeSimple`).
 * Extended query: after an error, every message until Sync is skipped.
 */
import { SqlError, SqlState, isSqlError } from "@tessera/base";
import { type FormatContext, type ParsedStatement, type Value, type ast } from "@tessera/sql";
import type { ColumnInfo, CopyInSink, PreparedStatementInfo, QueryEngine, StatementContext }
  from "../api.js";
import type { SessionOutput } from "./output.js";
import { noticeReachesClient } from "./message-levels.js";
import { SessionSettings } from "./settings.js";
import { FunctionSettings } from "./function-settings.js";
import { startupOptionSettings } from "./setting-values.js";
import { TransactionBlock } from "./transaction-block.js";
import { isUtility, outsideBlockOnly, runUtility } from "./utility.js";
import { ExtendedQuery } from "./extended-query.js";
import { isTwoPhase, runTwoPhase } from "./two-phase.js";
import { SqlCursors, isCursorStatement } from "./sql-cursors.js";
import { rowEncoder, formatContextOf, textCell } from "./codec.js";
import { nowMicros } from "./clock.js";
import { catalogMayHaveChanged, changesCatalog } from "./plan-cache.js";
import { isSqlPrepared, runSqlPrepared, statementInfo } from "./sql-prepared.js";
import { explainExecuteTarget } from "./explain-execute.js";
import { SessionStatementContext, StatementAbort, type SessionContextShared }
  from "./statement-context.js";
import { parseSimpleQueryShaped, type BindableShape } from "./statement-shape-cache.js";
import { LiteralPlans } from "./literal-plans.js";
import { acceptNewColumns, waitsForLocks } from "../txn/statement-cursor.js";
import { SessionNotifications, isNotificationStatement, type NotificationDelivery,
  type NotificationHub } from "./notifications.js";

import { currentUserOf, switchRole } from "./role-switch.js";
import { discardSequences } from "../catalog/sequence-functions.js";
export interface SessionOptions {
  readonly engine: QueryEngine;
  readonly output: SessionOutput;
  readonly user: string;
  readonly database: string;
  readonly backendPid: number;
  /** Startup packet parameters other than user and database (application_name, options…). */
  readonly parameters: Readonly<Record<string, string>>;
  /**
   * The daemon's LISTEN/NOTIFY hub and the way to the client for what the session receives;
   * without them those statements are refused.
   */
  readonly notifications?: { readonly hub: NotificationHub;
    readonly delivery: NotificationDelivery };
}

/** Rows fetched per round before flushing to the client, bounding what a session buffers. */
const rowsPerFlush = 1_000;

interface PendingSimple {
  readonly statements: ParsedStatement[];
  /** The shape of a one-statement query whose literals can share a plan. */
  readonly bindable: BindableShape | undefined;
  next: number;
}

interface CopyInProgress {
  readonly sink: CopyInSink;
  readonly extended: boolean;
}

export class Session {
  readonly settings: SessionSettings;
  readonly block: TransactionBlock;
  readonly cursors = new SqlCursors(this);
  private readonly extended: ExtendedQuery;
  get extendedQuery(): ExtendedQuery {
    return this.extended;
  }
  private readonly contextShared: SessionContextShared;
  private readonly functionSettings: FunctionSettings;
  private readonly literalPlans: LiteralPlans;
  private pending: PendingSimple | undefined;
  private copy: CopyInProgress | undefined;
  private running: StatementAbort | undefined;
  private abortReason: "cancel" | "timeout" | undefined;
  /** LISTEN/NOTIFY state, made on first use (`notifications`). */
  private notificationState: SessionNotifications | undefined;
  /** When the session started (performance.now()), for pg_stat_database's session_time. */
  private readonly startedAt = performance.now();

  constructor(readonly options: SessionOptions) {
    this.settings = new SessionSettings((name, value) =>
      options.output.parameterStatus(name, value),
    );
    this.block = new TransactionBlock(this.settings);
    this.extended = new ExtendedQuery(this);
    this.functionSettings = new FunctionSettings(this.settings, this.block,
      (n) => this.sendNotice(n));
    this.contextShared = this.makeContextShared();
    this.literalPlans = new LiteralPlans(options.engine, () => this.settings.version);
  }

  get output(): SessionOutput {
    return this.options.output;
  }

  /** Sends a notice unless client_min_messages filters it out (`message-levels.ts`). */
  sendNotice(notice: SqlError): void {
    if (noticeReachesClient(notice, this.settings.get("client_min_messages"))) {
      this.output.notice(notice);
    }
  }

  /** The session's LISTEN/NOTIFY state, made on first use; undefined until then. */
  get notificationsIfUsed(): SessionNotifications | undefined {
    return this.notificationState;
  }

  /** The session's LISTEN/NOTIFY state (notifications.ts), made now if it was not yet. */
  get notifications(): SessionNotifications {
    if (this.notificationState !== undefined) return this.notificationState;
    const parts = this.options.notifications;
    if (parts === undefined) throw new SqlError(SqlState.featureNotSupported,
      "LISTEN and NOTIFY are not supported outside a server session");
    const state = new SessionNotifications({ ...parts, processId: this.options.backendPid,
      block: this.block });
    this.notificationState = state;
    this.block.notifications = state;
    return state;
  }

  /** Applies the startup parameters and reports every GUC_REPORT setting to the client. */
  start(): void {
    this.settings.applyStartup("session_authorization", this.options.user);
    for (const [name, value] of Object.entries(this.options.parameters)) {
      if (name === "replication") continue;
      if (name === "options") {
        for (const [n, v] of startupOptionSettings(value)) this.settings.applyStartup(n, v);
      } else this.settings.applyStartup(name, value);
    }
    for (const [name, value] of this.settings.reported()) this.output.parameterStatus(name, value);
  }

  /** Handles a simple Query message. */
  async simpleQuery(sql: string): Promise<void> {
    let statements: ParsedStatement[];
    let bindable: BindableShape | undefined;
    try {
      ({ statements, bindable } = parseSimpleQueryShaped(sql));
    } catch (error) {
      this.reportError(error);
      this.output.readyForQuery(this.block.status);
      return;
    }
    if (statements.length === 0) {
      this.output.emptyQuery();
      this.output.readyForQuery(this.block.status);
      return;
    }
    this.pending = { statements, bindable, next: 0 };
    // pg_prepared_statements and pg_cursors show the whole query string, as Postgres does.
    this.statementText = sql;
    await this.resumeSimple();
  }

  /** Runs the remaining statements of the current simple query, until done or COPY IN. */
  private async resumeSimple(): Promise<void> {
    const pending = this.pending;
    if (pending === undefined) return;
    const implicit = pending.statements.length > 1;
    while (pending.next < pending.statements.length) {
      const statement = pending.statements[pending.next++]!;
      try {
        if (implicit) this.block.beginImplicit();
        const copying = await this.runSimpleStatement(statement.stmt, pending.bindable);
        if (copying) return;
      } catch (error) {
        this.reportError(error);
        break;
      }
    }
    this.pending = undefined;
    this.cursors.statementEnded();
    await this.endImplicit();
    this.notificationState?.statementEnded(false);
    this.output.readyForQuery(this.block.status);
    await this.output.flush();
  }

  /** Runs one statement of a simple query; returns true when it left COPY IN running. */
  private async runSimpleStatement(stmt: ast.Node, bindable: BindableShape | undefined):
    Promise<boolean> {
    if (!changesCatalog(stmt)) return this.runSimpleStatementNeutral(stmt, bindable);
    try {
      return await this.runSimpleStatementNeutral(stmt, undefined);
    } finally {
      catalogMayHaveChanged();
    }
  }

  private async runSimpleStatementNeutral(stmt: ast.Node, bindable: BindableShape | undefined):
    Promise<boolean> {
    this.checkBlockAccepts(stmt);
    const explained = await explainExecuteTarget(this, this.extended, stmt);
    if (explained !== stmt) return this.runSimpleStatementNeutral(explained, undefined);
    if (isUtility(stmt)) {
      await this.runUtilityStatement(stmt, null);
      return false;
    }
    if ("CopyStmt" in stmt && (stmt.CopyStmt.filename ?? "") === "") {
      return this.startCopy(stmt.CopyStmt, false);
    }
    const ctx = this.statementContext();
    try {
      // WHERE CURRENT OF names a SQL cursor's row: put in, the statement has no shared shape.
      const resolved = this.cursors.resolveCurrentOf(stmt);
      const { prepared, params } = this.literalPlans.prepare(resolved,
        resolved === stmt ? bindable : undefined, ctx);
      const cursor = prepared.open(params, ctx);
      try {
        // A statement waiting for a table lock describes its result after the wait: planned
        // again, it may have other columns by then (ALTER TABLE ADD COLUMN).
        let encode: ((row: readonly Value[]) => (Uint8Array | null)[]) | undefined;
        let described = false;
        const describe = (columns: readonly ColumnInfo[] | null): void => {
          described = true;
          if (columns === null) return;
          const formats = columns.map(() => 0);
          encode = rowEncoder(columns, formats, this.formatContext());
          this.output.rowDescription(columns, formats);
        };
        if (waitsForLocks(cursor)) acceptNewColumns(ctx);
        else describe(prepared.columns);
        for (;;) {
          const result = await cursor.fetch(rowsPerFlush);
          if (!described) describe(result.columns !== undefined ? result.columns
            : prepared.columns);
          if (encode !== undefined) for (const row of result.rows) this.output.dataRow(encode(row));
          if (result.commandTag !== undefined) {
            this.output.commandComplete(result.commandTag);
            break;
          }
          await this.output.flush();
        }
      } finally {
        cursor.close();
      }
    } finally {
      this.statementDone();
    }
    return false;
  }

  /** Runs SET/SHOW/BEGIN…; `formats` are the portal's result formats (null: text). */
  async runUtilityStatement(stmt: ast.Node, formats: readonly number[] | null): Promise<void> {
    if (isCursorStatement(stmt)) return this.cursors.run(stmt, formats);
    if (isSqlPrepared(stmt)) {
      return runSqlPrepared(this, this.extended, stmt, this.statementText, formats);
    }
    if (isNotificationStatement(stmt)) {
      this.output.commandComplete(this.notifications.run(stmt));
      return;
    }
    await this.cursors.beforeUtility(stmt);
    if ("DiscardStmt" in stmt) this.discardStatements(stmt.DiscardStmt.target ?? "DISCARD_ALL");
    if (isTwoPhase(stmt)) {
      this.refusePrepareAfterNotify(stmt.TransactionStmt);
      this.output.commandComplete(await runTwoPhase(this, stmt.TransactionStmt));
      return;
    }
    const switched = switchRole(stmt, { settings: this.settings, engine: this.options.engine,
      authenticatedUser: this.options.user });
    if (switched !== undefined) {
      this.output.commandComplete(switched);
      return;
    }
    const result = runUtility(stmt, {
      settings: this.settings,
      block: this.block,
      notice: (n) => this.sendNotice(n),
    });
    if (result.columns !== null && formats === null) {
      this.output.rowDescription(
        result.columns,
        result.columns.map(() => 0),
      );
    }
    if (result.columns !== null) {
      const binary = formats !== null && formats.some((f) => f === 1);
      if (binary) {
        const encode = rowEncoder(result.columns, formats, this.formatContext());
        for (const row of result.rows) this.output.dataRow(encode(row));
      } else {
        for (const row of result.rows) this.output.dataRow(row.map(textCell));
      }
    }
    if (
      "TransactionStmt" in stmt &&
      this.block.status === "T" &&
      this.block.startMicros === undefined
    ) {
      this.block.startMicros = nowMicros();
    }
    // COMMIT answers once its WAL records are durable (not with synchronous_commit=off).
    await this.block.takeDurable();
    this.output.commandComplete(result.commandTag);
  }

  /** The text of the statement running, for pg_prepared_statements of a SQL PREPARE. */
  statementText = "";

  /** PREPARE TRANSACTION of a block that used LISTEN or NOTIFY fails and ends the block. */
  private refusePrepareAfterNotify(stmt: ast.TransactionStmt): void {
    if (stmt.kind !== "TRANS_STMT_PREPARE") return;
    if (this.notificationState?.hasPending !== true || this.block.status !== "T") return;
    this.block.abandon();
    throw new SqlError(SqlState.featureNotSupported,
      "cannot PREPARE a transaction that has executed LISTEN, UNLISTEN, or NOTIFY");
  }

  /** DISCARD ALL deallocates every prepared statement; DISCARD PLANS forces re-planning. */
  private discardStatements(target: string): void {
    const outsideBlock = this.block.status === "I" || this.block.implicit;
    if (target === "DISCARD_SEQUENCES" || (target === "DISCARD_ALL" && outsideBlock)) {
      discardSequences(this.options.backendPid);
    }
    if (target === "DISCARD_PLANS" || target === "DISCARD_ALL") this.literalPlans.clear();
    if (target === "DISCARD_PLANS") this.extended.discardPlans();
    if (target !== "DISCARD_ALL") return;
    if (this.block.status !== "I" && !this.block.implicit) return; // runUtility refuses it
    this.extended.deallocate(null);
    this.notificationState?.unlistenAll();
  }

  /** Refuses everything but ending the block while the block has failed. */
  checkBlockAccepts(stmt: ast.Node): void {
    if (this.block.status === "T" && !this.block.implicit) {
      const refused = outsideBlockOnly(stmt);
      if (refused !== undefined) {
        throw new SqlError(SqlState.activeSqlTransaction,
          `${refused} cannot run inside a transaction block`);
      }
    }
    if (this.block.status !== "E") return;
    if ("TransactionStmt" in stmt) {
      const kind = stmt.TransactionStmt.kind;
      if (
        kind === "TRANS_STMT_COMMIT" ||
        kind === "TRANS_STMT_ROLLBACK" ||
        kind === "TRANS_STMT_ROLLBACK_TO" ||
        kind === "TRANS_STMT_PREPARE"
      )
        return;
    }
    this.block.checkNotFailed();
  }

  private async startCopy(stmt: ast.CopyStmt, extended: boolean): Promise<boolean> {
    const engine = this.options.engine;
    const ctx = this.statementContext();
    if (stmt.is_from === true) {
      if (engine.copyIn === undefined) throw unsupportedCopy();
      const sink = engine.copyIn(stmt, ctx);
      this.copy = { sink, extended };
      const formats = new Array<number>(sink.columnCount).fill(sink.binary ? 1 : 0);
      this.output.copyInResponse(sink.binary ? 1 : 0, formats);
      await this.output.flush();
      return true;
    }
    if (engine.copyOut === undefined) throw unsupportedCopy();
    try {
      const source = engine.copyOut(stmt, ctx);
      const formats = new Array<number>(source.columnCount).fill(source.binary ? 1 : 0);
      this.output.copyOutResponse(source.binary ? 1 : 0, formats);
      for await (const chunk of source.chunks()) {
        let start = 0;
        for (const end of chunk.rowEnds) {
          this.output.copyData(chunk.bytes.subarray(start, end));
          start = end;
        }
        await this.output.flush();
      }
      this.output.copyDone();
      this.output.commandComplete(source.commandTag());
    } finally {
      this.statementDone();
    }
    return false;
  }

  /** CopyData from the client; ignored when no COPY is running, as Postgres does. */
  copyData(data: Uint8Array): Promise<void> | void {
    if (this.copy === undefined) return;
    try {
      // A sink that must catch up returns a promise; the next message waits for it.
      const wait = this.copy.sink.accept(data);
      if (wait !== undefined) return wait.catch((error: unknown) => this.failCopy(error));
    } catch (error) {
      this.failCopy(error);
    }
  }

  async copyDone(): Promise<void> {
    const copy = this.copy;
    if (copy === undefined) return;
    this.copy = undefined;
    try {
      const tag = await copy.sink.finish();
      this.output.commandComplete(tag);
    } catch (error) {
      copy.sink.abort();
      this.reportError(error);
      this.pending = undefined;
      if (!copy.extended) {
        await this.endImplicit();
        this.output.readyForQuery(this.block.status);
      }
      return;
    } finally {
      this.statementDone();
    }
    if (copy.extended) return;
    await this.resumeSimple();
  }

  copyFail(message: string): void {
    this.failCopy(new SqlError(SqlState.queryCanceled, `COPY from stdin failed: ${message}`));
  }

  /** Aborts a COPY IN: the error ends the simple query (or waits for Sync when extended). */
  private failCopy(error: unknown): void {
    const copy = this.copy;
    if (copy === undefined) return;
    this.copy = undefined;
    copy.sink.abort();
    this.statementDone();
    this.reportError(error);
    this.pending = undefined;
    if (copy.extended) {
      this.extended.failUntilSync();
      return;
    }
    // Flushed here: the connection may already wait for the client, who waits for this.
    void this.endImplicit().then(async () => {
      this.output.readyForQuery(this.block.status);
      await this.output.flush();
    });
  }

  get copyInProgress(): boolean {
    return this.copy !== undefined;
  }

  /** Starts COPY for an extended-protocol Execute. */
  startExtendedCopy(stmt: ast.CopyStmt): Promise<boolean> {
    return this.startCopy(stmt, true);
  }

  parse(name: string, sql: string, paramTypes: readonly number[]): void {
    this.extended.parse(name, sql, paramTypes);
  }
  bind(
    portal: string,
    statement: string,
    paramFormats: readonly number[],
    params: readonly (Uint8Array | null)[],
    resultFormats: readonly number[],
  ): void {
    this.extended.bind({ portal, statement, paramFormats, params, resultFormats });
  }
  describe(kind: "S" | "P", name: string): void {
    this.extended.describe(kind, name);
  }
  execute(portal: string, maxRows: number): Promise<void> | undefined {
    return this.extended.execute(portal, maxRows);
  }
  close(kind: "S" | "P", name: string): void {
    this.extended.close(kind, name);
  }
  /** Sync: ends the implicit block and answers ReadyForQuery; a wait only when one is due. */
  sync(): Promise<void> | void {
    this.extended.sync();
    const ending = this.endImplicitSoon();
    if (ending !== undefined) return this.readyAfter(ending);
    this.output.readyForQuery(this.block.status);
    return this.output.flush();
  }

  private async readyAfter(ending: Promise<void>): Promise<void> {
    await ending;
    this.output.readyForQuery(this.block.status);
    await this.output.flush();
  }

  /** Starts the implicit transaction of the extended protocol's messages up to Sync. */
  beginImplicit(): void {
    this.block.beginImplicit(true);
  }

  /** Ends the implicit block, if one is open: commits it (awaiting the WAL) or rolls back. */
  private async endImplicit(): Promise<void> {
    await this.endImplicitSoon();
  }

  /**
   * `endImplicit` without a wait where none is needed: no block, or a block without SQL
   * cursors whose end has nothing to await. Returns the wait otherwise.
   */
  private endImplicitSoon(): Promise<void> | undefined {
    if (!this.block.implicit) return undefined;
    if (this.cursors.count > 0) return this.endImplicitWithCursors();
    let durable: Promise<void> | undefined;
    try {
      this.block.endImplicit();
      durable = this.block.takeDurable();
    } catch (error) {
      this.failImplicitEnd(error);
      return undefined;
    }
    if (durable === undefined) return undefined;
    return durable.then(undefined, (error: unknown) => this.failImplicitEnd(error));
  }

  private async endImplicitWithCursors(): Promise<void> {
    const failed = this.block.status === "E";
    try {
      await this.cursors.beforeUtility({ TransactionStmt: {
        kind: failed ? "TRANS_STMT_ROLLBACK" : "TRANS_STMT_COMMIT" } });
      this.block.endImplicit();
      await this.block.takeDurable();
    } catch (error) {
      this.failImplicitEnd(error);
    }
  }

  private failImplicitEnd(error: unknown): void {
    this.block.abandon();
    this.reportError(error);
  }

  /** Cancels the running statement, if any (CancelRequest, pg_cancel_backend). */
  cancel(): void {
    if (this.running === undefined) return;
    this.abortReason = "cancel";
    this.running.abort();
  }

  /** Ends the session: aborts what runs and forgets prepared statements. */
  terminate(): void {
    this.options.engine.countSession?.(performance.now() - this.startedAt);
    this.cancel();
    this.copy?.sink.abort();
    this.copy = undefined;
    this.extended.clear();
    this.cursors.clear();
    this.notificationState?.close();
  }

  /**
   * Makes the context one statement sees; starts its statement_timeout clock. The abort signal
   * is made on first use (most statements never look at it); a cancel before then aborts it as
   * it is made.
   */
  statementContext(): StatementContext {
    const run = new StatementAbort();
    this.running = run;
    this.abortReason = undefined;
    const timeoutMs = this.statementTimeoutMs();
    if (timeoutMs > 0) {
      const signal = run.signal;
      const timer = setTimeout(() => {
        this.abortReason = "timeout";
        run.abort();
      }, timeoutMs);
      signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
      timer.unref();
      this.timer = timer;
    }
    const statementStart = nowMicros();
    if (this.block.status !== "I" && this.block.startMicros === undefined) {
      this.block.startMicros = statementStart;
    }
    return new SessionStatementContext(this.contextShared, run,
      this.block.startMicros ?? statementStart, statementStart);
  }

  /** What every statement context shares, made once: its functions only reach the session. */
  private makeContextShared(): SessionContextShared {
    const currentUser = (): string => currentUserOf(this.settings, this.options.user);
    return {
      setting: (name: string): string => this.settings.get(name),
      settingNames: (): readonly string[] => this.settings.all().map((s) => s.name),
      settingOrigin: (name: string) => this.settings.origin(name),
      preparedStatements: (): readonly PreparedStatementInfo[] =>
        this.extended.namedStatements().map(([name, s]) => statementInfo(name, s)),
      sqlCursors: () => this.cursors.list(),
      cursors: this.cursors,
      setSetting: (name: string, value: string, local: boolean): string =>
        this.functionSettings.setConfig(name, value, local),
      settingChanges: this.functionSettings,
      notice: (n: SqlError): void => this.sendNotice(n),
      random: (): number => this.random.next(),
      setSeed: (seed: number): void => this.random.seed(seed),
      get user(): string {
        return currentUser();
      },
      database: this.options.database,
      backendPid: this.options.backendPid,
      transaction: this.block,
    };
  }

  private timeoutCache = { version: -1, ms: 0 };

  /** statement_timeout in milliseconds, parsed again only after a setting changed. */
  private statementTimeoutMs(): number {
    const cache = this.timeoutCache;
    if (cache.version !== this.settings.version) {
      cache.ms = parseDurationMs(this.settings.get("statement_timeout"));
      cache.version = this.settings.version;
    }
    return cache.ms;
  }

  private formatCache: { version: number; context: FormatContext } | undefined;

  /** The settings that shape value formats, read again only after a setting changed. */
  formatContext(): FormatContext {
    const version = this.settings.version;
    if (this.formatCache?.version !== version) {
      this.formatCache = { version, context: formatContextOf(this.settings,
        this.options.backendPid) };
    }
    return this.formatCache.context;
  }

  private timer: NodeJS.Timeout | undefined;
  private readonly random = new SessionRandom();

  /** Stops the statement's timeout clock. */
  statementDone(): void {
    this.functionSettings.statementEnded(true);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = undefined;
  }

  /** Sends an error to the client and fails the transaction block. */
  reportError(error: unknown): void {
    this.functionSettings.statementEnded(false);
    this.statementDone();
    this.block.fail();
    this.notificationState?.statementEnded(true);
    this.output.error(this.asSqlError(error));
  }

  private asSqlError(error: unknown): SqlError {
    if (isSqlError(error)) {
      if (error.code === SqlState.queryCanceled && this.abortReason === "timeout") {
        return new SqlError(SqlState.queryCanceled, "canceling statement due to statement timeout");
      }
      return error;
    }
    if (error instanceof RangeError && /Maximum call stack/.test(error.message)) {
      return new SqlError(SqlState.statementTooComplex, "stack depth limit exceeded");
    }
    // Anything else is a bug: report it as Postgres reports internal errors, keep the session.
    const message = error instanceof Error ? error.message : String(error);
    return new SqlError(SqlState.internalError, message);
  }
}

/**
 * The session's random numbers: Math.random until setseed, then a seeded mulberry32 stream,
 * so `SELECT setseed(0.5); SELECT random();` repeats across runs as in Postgres.
 */
class SessionRandom {
  private state: number | undefined;

  seed(seed: number): void {
    this.state = Math.floor(seed * 0x7fffffff) >>> 0;
  }

  next(): number {
    if (this.state === undefined) return Math.random();
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** Parses a duration setting ("0", "1500", "2s", "1min") into milliseconds. */
export function parseDurationMs(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/.exec(text);
  if (match === null) return 0;
  const units: Record<string, number> = {
    ms: 1,
    s: 1000,
    min: 60_000,
    h: 3_600_000,
    d: 86_400_000,
  };
  return Number(match[1]) * (units[match[2] ?? "ms"] ?? 1);
}

function unsupportedCopy(): SqlError {
  return new SqlError(SqlState.featureNotSupported, "COPY is not supported by this engine yet");
}

export type { Value };
