/**
 * The extended query protocol of one session: named and unnamed prepared statements
 * (Parse), portals (Bind), Describe, Execute with a row limit, Close and Sync — Postgres's
 * exec_parse_message … exec_execute_message. After an error every message until Sync is
 * skipped; Sync itself is answered by the session.
 */
import { SqlError, SqlState } from "@tessera/base";
import { parseStatements, type Value, type ast } from "@tessera/sql";
import type { ColumnInfo, Cursor, FetchResult, PreparedStatement, StatementContext }
  from "../api.js";
import type { Session } from "./session.js";
import { isUtility, utilityColumns } from "./utility.js";
import { isCursorStatement } from "./sql-cursors.js";
import { currentOfCursor, currentOfPlaceholder } from "./cursor-current-of.js";
import { isSqlPrepared, sqlPreparedColumns } from "./sql-prepared.js";
import { decodeParameter, expandFormats, rowEncoder } from "./codec.js";
import { limits } from "@tessera/base";
import { nowMicros } from "./clock.js";
import { cachePlan, changesCatalog, catalogMayHaveChanged, currentEpoch, invalidatePlan,
  planMayBeStale, revalidatePlan, type CachedPlan, type PlanScope } from "./plan-cache.js";

/** A statement after Parse: a utility the session runs, or a plan from the engine. */
export interface SessionStatement {
  readonly stmt: ast.Node | null;
  readonly paramTypes: readonly number[];
  /** The engine's plan, kept valid by plan-cache.ts; null for utilities and COPY. */
  readonly plan: CachedPlan | null;
  /** Running it may change the catalog: prepared plans are checked again afterwards. */
  readonly ddl: boolean;
  /** For pg_prepared_statements: the text, when it was made, whether by SQL PREPARE. */
  readonly sql: string;
  readonly prepareTime: bigint;
  readonly fromSql: boolean;
  /** Runs so far (every run of a cached plan counts as a custom plan here). */
  runs: number;
  /** The row encoder of the last Execute, reused while formats and settings stay the same. */
  encoder?: CachedEncoder | undefined;
}

type RowEncode = (row: readonly Value[]) => (Uint8Array | null)[];

interface CachedEncoder {
  readonly formats: readonly number[];
  readonly settingsVersion: number;
  readonly encode: RowEncode;
}

interface Portal {
  readonly statement: SessionStatement;
  readonly params: readonly Value[];
  readonly formats: readonly number[];
  cursor: Cursor | undefined;
  done: boolean;
  /** A FETCH's rows run by an Execute with a row limit, sent a part at a time. */
  held?: { readonly rows: (Uint8Array | null)[][]; readonly tag: string; at: number };
}

export interface BindRequest {
  readonly portal: string;
  readonly statement: string;
  readonly paramFormats: readonly number[];
  readonly params: readonly (Uint8Array | null)[];
  readonly resultFormats: readonly number[];
}

/** Rows per fetch when an Execute asks for all of them (`fetchAndSend`). */
const rowsPerChunk = 1_000;

export class ExtendedQuery {
  private readonly statements = new Map<string, SessionStatement>();
  private readonly portals = new PortalTable();
  private skipping = false;

  constructor(private readonly session: Session) {}

  failUntilSync(): void {
    this.skipping = true;
  }

  parse(name: string, sql: string, paramTypes: readonly number[]): void {
    this.guard(() => {
      if (name !== "" && this.statements.has(name)) {
        throw new SqlError(
          SqlState.duplicatePreparedStatement,
          `prepared statement "${name}" already exists`,
        );
      }
      const parsed = parseStatements(sql);
      if (parsed.length > 1) {
        throw new SqlError(
          SqlState.syntaxError,
          "cannot insert multiple commands into a prepared statement",
        );
      }
      const stmt = parsed[0]?.stmt ?? null;
      if (stmt !== null) this.session.checkBlockAccepts(stmt);
      this.statements.set(name, this.prepare(stmt, paramTypes, sql, false));
      this.session.output.parseComplete();
    });
  }

  /** Analyses and plans a statement for later runs (Parse, SQL PREPARE). */
  prepare(stmt: ast.Node | null, paramTypes: readonly number[], sql: string, fromSql: boolean):
    SessionStatement {
    const common = { sql, fromSql, prepareTime: nowMicros(), runs: 0,
      ddl: stmt !== null && changesCatalog(stmt) };
    if (stmt === null || isUtility(stmt) || isCopyStdio(stmt)) {
      return { stmt, paramTypes, plan: null, ...common };
    }
    const epoch = currentEpoch();
    // WHERE CURRENT OF: planned with a placeholder here, with the cursor's row at Execute.
    const planned = this.session.options.engine.ctidNamesOneRow === true &&
      currentOfCursor(stmt) !== undefined ? currentOfPlaceholder(stmt) : stmt;
    const prepared = this.planScope.replan(planned, paramTypes);
    const plan = cachePlan(planned, prepared, epoch, this.planScope);
    return { stmt, paramTypes: prepared.paramTypes, plan, ...common };
  }

  /** How plans are made again and what they depend on. */
  private readonly planScope: PlanScope = {
    settingsVersion: () => this.session.settings.version,
    searchPath: () => this.session.settings.get("search_path"),
    replan: (stmt, paramTypes) => {
      const ctx = this.session.statementContext();
      try {
        return this.session.options.engine.prepare(stmt, paramTypes, ctx);
      } finally {
        this.session.statementDone();
      }
    },
  };

  /** Plans the statement again if the catalog or search_path changed since it was planned. */
  revalidate(statement: SessionStatement): void {
    const plan = statement.plan;
    if (plan === null || !planMayBeStale(plan, this.session.settings.version)) return;
    if (revalidatePlan(plan, this.planScope)) statement.encoder = undefined;
  }

  bind(request: BindRequest): void {
    // `guard` without its closure: a Bind comes with nearly every query.
    if (this.skipping) return;
    try {
      this.bindPortal(request);
    } catch (error) {
      this.session.reportError(error);
      this.skipping = true;
    }
  }

  private bindPortal(request: BindRequest): void {
    const statement = this.statements.get(request.statement);
    if (statement === undefined) {
      throw new SqlError(
        SqlState.invalidSqlStatementName,
        `prepared statement "${request.statement}" does not exist`,
      );
    }
    if (statement.stmt !== null) this.session.checkBlockAccepts(statement.stmt);
    this.revalidate(statement);
    if (request.portal !== "" && this.portals.has(request.portal)) {
      throw new SqlError(SqlState.duplicateCursor, `portal "${request.portal}" already exists`);
    }
    const params = this.decodeParams(statement, request);
    const columns = columnsOf(statement, this.session);
    const formats = expandFormats(request.resultFormats, columns?.length ?? 0);
    this.closePortal(request.portal);
    this.portals.set(request.portal, {
      statement,
      params,
      formats,
      cursor: undefined,
      done: false,
    });
    this.session.output.bindComplete();
  }

  private decodeParams(statement: SessionStatement, request: BindRequest): Value[] {
    const expected = statement.paramTypes.length;
    if (request.params.length !== expected || request.params.length > limits.parameterCountMax) {
      throw new SqlError(
        SqlState.protocolViolation,
        `bind message supplies ${request.params.length} parameters, but prepared statement ` +
          `"${request.statement}" requires ${expected}`,
      );
    }
    const formats = expandFormats(request.paramFormats, expected);
    const context = this.session.formatContext();
    const types = statement.paramTypes;
    const values = new Array<Value>(expected);
    for (let i = 0; i < expected; i++) {
      values[i] = decodeParameter(request.params[i] ?? null, types[i] ?? 0, formats[i] ?? 0,
        context);
    }
    return values;
  }

  describe(kind: "S" | "P", name: string): void {
    this.guard(() => {
      const output = this.session.output;
      if (kind === "S") {
        const statement = this.statements.get(name);
        if (statement === undefined) {
          throw new SqlError(
            SqlState.invalidSqlStatementName,
            `prepared statement "${name}" does not exist`,
          );
        }
        this.revalidate(statement);
        output.parameterDescription(statement.paramTypes);
        const columns = columnsOf(statement, this.session);
        if (columns === null) output.noData();
        else
          output.rowDescription(
            columns,
            columns.map(() => 0),
          );
        return;
      }
      const portal = this.portals.get(name);
      if (portal === undefined) {
        const cursor = this.session.cursors.portalDescription(name);
        if (cursor === undefined) {
          throw new SqlError(SqlState.invalidCursorName, `portal "${name}" does not exist`);
        }
        output.rowDescription(cursor.columns, cursor.formats);
        return;
      }
      const columns = columnsOf(portal.statement, this.session);
      if (columns === null) output.noData();
      else output.rowDescription(columns, portal.formats);
    });
  }

  /** Execute; returns the wait for the portal's run (nothing when it did not start). */
  execute(name: string, maxRows: number): Promise<void> | undefined {
    if (this.skipping) return undefined;
    const portal = this.portals.get(name);
    if (portal === undefined) {
      this.failExecute(undefined,
        new SqlError(SqlState.invalidCursorName, `portal "${name}" does not exist`));
      return undefined;
    }
    return this.run(portal, maxRows);
  }

  /** An Execute failed: the portal's cursor closes and messages are skipped until Sync. */
  private failExecute(portal: Portal | undefined, error: unknown): void {
    if (portal !== undefined) this.closeCursor(portal);
    this.session.reportError(error);
    this.skipping = true;
  }

  /**
   * Runs the portal. A plan whose cursor has its rows at once (`fetchNow`: a point lookup in
   * the session's block) runs and answers here without a promise; anything else continues in
   * `fetchAndSend`, or `runUtility` for statements without a plan.
   */
  private run(portal: Portal, maxRows: number): Promise<void> | undefined {
    const statement = portal.statement;
    const stmt = statement.stmt;
    if (portal.held !== undefined) {
      this.sendHeld(portal, maxRows);
      return undefined;
    }
    if (stmt === null || statement.plan === null || portal.done) {
      return this.runWithoutPlan(portal, maxRows);
    }
    const prepared = statement.plan.prepared;
    statement.runs++;
    let wait: Promise<void> | undefined;
    try {
      this.session.checkBlockAccepts(stmt);
      // CALL and DO run as their own transaction, which a procedure may COMMIT (as Postgres).
      if (!("TransactionStmt" in stmt || "CallStmt" in stmt || "DoStmt" in stmt)) {
        this.session.beginImplicit();
      }
      const ctx = this.session.statementContext();
      try {
        portal.cursor ??= this.atCursorRow(statement, prepared, ctx).open(portal.params, ctx);
        const encode =
          prepared.columns === null ? undefined : this.encoderOf(portal, prepared.columns);
        const result = portal.cursor.fetchNow?.(maxRows);
        if (result === undefined) wait = this.fetchAndSend(portal, portal.cursor, maxRows, encode);
        else this.send(portal, result, encode);
      } finally {
        if (wait === undefined) this.session.statementDone();
      }
    } catch (error) {
      this.failExecute(portal, error);
    } finally {
      if (wait === undefined && statement.ddl) catalogMayHaveChanged();
    }
    return wait;
  }

  /**
   * The plan to run (Execute, SQL EXECUTE): a WHERE CURRENT OF statement's planned again with
   * the cursor's row.
   */
  atCursorRow(statement: SessionStatement, prepared: PreparedStatement,
    ctx: StatementContext): PreparedStatement {
    const stmt = statement.stmt!;
    const resolved = this.session.cursors.resolveCurrentOf(stmt);
    if (resolved === stmt) return prepared;
    return this.session.options.engine.prepare(resolved, statement.paramTypes, ctx);
  }

  /**
   * The rest of `run` for a cursor that must be awaited. An Execute without a row limit takes
   * the rows in chunks and flushes between them, so a cursor that streams (a distributed
   * SELECT's tasks) is never asked to hold its whole result.
   */
  private async fetchAndSend(portal: Portal, cursor: Cursor, maxRows: number,
    encode: RowEncode | undefined): Promise<void> {
    try {
      try {
        let result = await cursor.fetch(maxRows === 0 ? rowsPerChunk : maxRows);
        while (maxRows === 0 && result.commandTag === undefined) {
          this.sendRows(result, encode);
          await this.session.output.flush();
          result = await cursor.fetch(rowsPerChunk);
        }
        this.send(portal, result, encode);
      } finally {
        this.session.statementDone();
      }
    } catch (error) {
      this.failExecute(portal, error);
    } finally {
      if (portal.statement.ddl) catalogMayHaveChanged();
    }
  }

  /** Sends a fetch's rows as DataRows. */
  private sendRows(result: FetchResult, encode: RowEncode | undefined): void {
    const output = this.session.output;
    if (encode !== undefined) for (const row of result.rows) output.dataRow(encode(row));
  }

  /** Sends a fetch's rows, then PortalSuspended or CommandComplete (closing the cursor). */
  private send(portal: Portal, result: FetchResult, encode: RowEncode | undefined): void {
    const output = this.session.output;
    this.sendRows(result, encode);
    if (result.commandTag === undefined) {
      output.portalSuspended();
      return;
    }
    output.commandComplete(result.commandTag);
    this.closeCursor(portal);
    portal.done = true;
  }

  /** Execute of an empty statement, a finished portal, a utility or COPY. */
  private async runWithoutPlan(portal: Portal, maxRows: number): Promise<void> {
    const statement = portal.statement;
    const stmt = statement.stmt;
    const output = this.session.output;
    statement.runs++;
    try {
      if (stmt === null) {
        output.emptyQuery();
        return;
      }
      this.session.checkBlockAccepts(stmt);
      if (!("TransactionStmt" in stmt)) this.session.beginImplicit();
      if (statement.plan === null) {
        if ("CopyStmt" in stmt) await this.session.startExtendedCopy(stmt.CopyStmt);
        else if (maxRows > 0 && "FetchStmt" in stmt && stmt.FetchStmt.ismove !== true) {
          const fetched = await this.session.cursors.fetchEncoded(stmt.FetchStmt,
            portal.formats);
          portal.held = { rows: fetched.rows, tag: fetched.tag, at: 0 };
          this.sendHeld(portal, maxRows);
        } else {
          this.session.statementText = statement.sql;
          await this.session.runUtilityStatement(stmt, portal.formats);
        }
        return;
      }
      output.commandComplete("SELECT 0");
    } catch (error) {
      this.failExecute(portal, error);
    } finally {
      if (statement.ddl) catalogMayHaveChanged();
    }
  }

  /**
   * Sends up to `maxRows` (0: all) of a FETCH's kept rows: PortalSuspended when it sent as
   * many as asked, else the FETCH's tag (again at each later Execute), as Postgres's portal
   * over a utility's rows.
   */
  private sendHeld(portal: Portal, maxRows: number): void {
    const held = portal.held!;
    const output = this.session.output;
    const start = held.at;
    const end = maxRows === 0 ? held.rows.length : Math.min(held.rows.length, start + maxRows);
    for (; held.at < end; held.at++) output.dataRow(held.rows[held.at]!);
    if (maxRows !== 0 && end - start === maxRows) {
      output.portalSuspended();
      return;
    }
    output.commandComplete(held.tag);
  }

  /** The portal's row encoder, built once per statement, result formats and settings. */
  private encoderOf(portal: Portal, columns: readonly ColumnInfo[]): RowEncode {
    const statement = portal.statement;
    const version = this.session.settings.version;
    const cached = statement.encoder;
    if (cached !== undefined && cached.settingsVersion === version &&
      sameFormats(cached.formats, portal.formats)) {
      return cached.encode;
    }
    const encode = rowEncoder(columns, portal.formats, this.session.formatContext());
    statement.encoder = { formats: portal.formats, settingsVersion: version, encode };
    return encode;
  }

  close(kind: "S" | "P", name: string): void {
    this.guard(() => {
      if (kind === "S") this.statements.delete(name);
      else this.closePortal(name);
      this.session.output.closeComplete();
    });
  }

  /** Sync: stop skipping; the unnamed portal and all portals outside a block are dropped. */
  sync(): void {
    this.skipping = false;
    if (this.session.block.status === "I" || this.session.block.implicit) this.closeAllPortals();
  }

  clear(): void {
    this.closeAllPortals();
    this.statements.clear();
  }

  /** A prepared statement by name, for SQL EXECUTE; 26000 when there is none. */
  statement(name: string): SessionStatement {
    const statement = this.statements.get(name);
    if (statement === undefined) {
      throw new SqlError(SqlState.invalidSqlStatementName,
        `prepared statement "${name}" does not exist`);
    }
    return statement;
  }

  hasStatement(name: string): boolean {
    return this.statements.has(name);
  }

  /** 42P05 when a statement of that name exists. */
  checkNameFree(name: string): void {
    if (this.statements.has(name)) {
      throw new SqlError(SqlState.duplicatePreparedStatement,
        `prepared statement "${name}" already exists`);
    }
  }

  /** SQL PREPARE: adds a statement; 42P05 when the name is taken. */
  addStatement(name: string, statement: SessionStatement): void {
    this.checkNameFree(name);
    this.statements.set(name, statement);
  }

  /** DEALLOCATE name (26000 when unknown), or every statement (DEALLOCATE ALL, DISCARD ALL). */
  deallocate(name: string | null): void {
    if (name === null) {
      this.statements.clear();
      return;
    }
    if (!this.statements.delete(name)) this.statement(name);
  }

  /** DISCARD PLANS: every statement is planned again at its next run. */
  discardPlans(): void {
    for (const statement of this.statements.values()) {
      if (statement.plan !== null) invalidatePlan(statement.plan);
    }
  }

  /** The named statements, for pg_prepared_statements. */
  namedStatements(): [string, SessionStatement][] {
    return [...this.statements].filter(([name]) => name !== "");
  }

  private closeAllPortals(): void {
    if (this.portals.empty) return;
    // The usual case after a Sync: the unnamed portal alone, closed without listing names.
    if (this.portals.onlyUnnamed) {
      this.closePortal("");
      return;
    }
    for (const name of this.portals.names()) this.closePortal(name);
  }

  private closePortal(name: string): void {
    const portal = this.portals.get(name);
    if (portal === undefined) return;
    this.closeCursor(portal);
    this.portals.delete(name);
  }

  private closeCursor(portal: Portal): void {
    portal.cursor?.close();
    portal.cursor = undefined;
  }

  /** Runs a message handler unless skipping; an error starts skipping until Sync. */
  private guard(handler: () => void): void {
    if (this.skipping) return;
    try {
      handler();
    } catch (error) {
      this.session.reportError(error);
      this.skipping = true;
    }
  }
}

/**
 * The session's portals by name. The unnamed portal, which nearly every Bind replaces, lives
 * in a field of its own, so the per-query churn touches no Map; `names()` keeps the order in
 * which the portals were made, as one Map would.
 */
class PortalTable {
  /** Named portals with the sequence number of their making. */
  private readonly named = new Map<string, { readonly portal: Portal; readonly seq: number }>();
  private unnamed: Portal | undefined;
  private unnamedSeq = 0;
  private seq = 0;

  get empty(): boolean {
    return this.unnamed === undefined && this.named.size === 0;
  }

  get onlyUnnamed(): boolean {
    return this.named.size === 0;
  }

  get(name: string): Portal | undefined {
    return name === "" ? this.unnamed : this.named.get(name)?.portal;
  }

  has(name: string): boolean {
    return name === "" ? this.unnamed !== undefined : this.named.has(name);
  }

  set(name: string, portal: Portal): void {
    const seq = this.seq++;
    if (name !== "") {
      this.named.set(name, { portal, seq });
      return;
    }
    this.unnamed = portal;
    this.unnamedSeq = seq;
  }

  delete(name: string): void {
    if (name === "") this.unnamed = undefined;
    else this.named.delete(name);
  }

  /** Every portal's name, oldest first; a copy, so portals may be deleted while iterating. */
  names(): string[] {
    const names: string[] = [];
    let unnamedDue = this.unnamed !== undefined;
    for (const [name, { seq }] of this.named) {
      if (unnamedDue && this.unnamedSeq < seq) {
        names.push("");
        unnamedDue = false;
      }
      names.push(name);
    }
    if (unnamedDue) names.push("");
    return names;
  }
}

function sameFormats(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isCopyStdio(stmt: ast.Node): boolean {
  return "CopyStmt" in stmt && (stmt.CopyStmt.filename ?? "") === "";
}

function columnsOf(statement: SessionStatement, session: Session): readonly ColumnInfo[] | null {
  if (statement.plan !== null) return statement.plan.prepared.columns;
  if (statement.stmt === null) return null;
  if (isCursorStatement(statement.stmt)) return session.cursors.columnsOf(statement.stmt);
  if (isSqlPrepared(statement.stmt)) {
    return sqlPreparedColumns(statement.stmt, session.extendedQuery);
  }
  return utilityColumns(statement.stmt, session.settings);
}
