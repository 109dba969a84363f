/**
 * SQL-level cursors of one session: DECLARE … CURSOR, FETCH, MOVE and CLOSE, as Postgres
 * runs them through portals (commands/portalcmds.c). A cursor is the query prepared and
 * opened through the session's `QueryEngine`, so any engine's statements (the coordinator's
 * distributed SELECTs too) can be read a few rows at a time.
 *
 * Lifetime follows Postgres: a cursor lives until CLOSE or the end of its transaction. At
 * COMMIT a WITH HOLD cursor reads its remaining rows into memory and stays open; every other
 * cursor of the transaction closes, as do all of them at ROLLBACK. Outside a transaction
 * block only WITH HOLD cursors may be declared; they are read into memory at once.
 *
 * PL/pgSQL's OPEN adds cursors here too (`SessionCursors`, through the statement context):
 * their query ran when they opened and their rows are in memory, so a function can return
 * the cursor's name (a refcursor) and its caller FETCH from it in the same transaction.
 * Outside a transaction block they close when the statement that opened them ends.
 */
import { SqlError, SqlState } from "@tessera/base";
import { tidOutput, type ast } from "@tessera/sql";
import type { ColumnInfo, CursorFetch, CursorInfo, FetchDirection, FetchedRows, OpenedRows,
  PreparedStatement, SessionCursors, StatementContext } from "../api.js";
import { typeInfo } from "../catalog/types.js";
import { nowMicros } from "./clock.js";
import type { Session } from "./session.js";
import { CursorRows } from "./cursor-rows.js";
import { formatContextOf, rowEncoder } from "./codec.js";
import { lockingClauseOf, scrollableByDefault } from "./cursor-scrollability.js";
import { currentOfCursor, resolveCurrentOf, widenForCurrentOf } from "./cursor-current-of.js";
import { signalCancellation } from "../txn/manager.js";

/** DeclareCursorStmt option bits (nodes/parsenodes.h). */
const cursorOptBinary = 0x0001;
const cursorOptScroll = 0x0002;
const cursorOptNoScroll = 0x0004;
const cursorOptHold = 0x0020;

/** How many rows back a cursor scrollable without SCROLL can move (see CursorRows). */
const defaultScrollWindow = 10_000;

/** FETCH ALL arrives as LONG_MAX (or INT_MAX from a 32-bit parser). */
const fetchAllAtLeast = 2_147_483_647;

interface SqlCursor {
  readonly columns: readonly ColumnInfo[];
  readonly binary: boolean;
  readonly hold: boolean;
  /** pg_cursors: the DECLARE text, SCROLL, and when it was declared. */
  readonly statement: string;
  readonly scroll: boolean;
  readonly createdMicros: bigint;
  readonly rows: CursorRows;
  /** The table a simple scan reads; its rows then end in that table's ctid, not shown. */
  readonly table: ast.RangeVar | undefined;
  /** How many savepoints were open when it was declared: ROLLBACK TO an outer one ends it. */
  readonly depth: number;
  /** The ctid of the row an UPDATE … WHERE CURRENT OF last changed. */
  updatedCtid?: string;
  /** Aborts the cursor's run when a FETCH on it is canceled. */
  readonly controller: AbortController;
  /** Its place in the order cursors opened, for `rollbackTo` (an EXCEPTION block). */
  readonly serial: number;
}

export function isCursorStatement(stmt: ast.Node): boolean {
  return "DeclareCursorStmt" in stmt || "FetchStmt" in stmt || "ClosePortalStmt" in stmt;
}

/** SCROLL, NO SCROLL, or (neither) whether Postgres's plan for the query runs backward. */
function scrollOf(options: number, query: ast.Node): boolean {
  if ((options & cursorOptScroll) !== 0) {
    const locking = lockingClauseOf(query);
    if (locking !== undefined) {
      throw new SqlError(SqlState.featureNotSupported,
        `DECLARE SCROLL CURSOR ... ${locking} is not supported`,
        { detail: "Scrollable cursors must be READ ONLY." });
    }
    return true;
  }
  if ((options & cursorOptNoScroll) !== 0) return false;
  return scrollableByDefault(query);
}

export class SqlCursors implements SessionCursors {
  private readonly cursors = new Map<string, SqlCursor>();
  /** The last `<unnamed portal n>` given out (portalmem.c's unnamed_portal_count). */
  private unnamedCount = 0;
  private serial = 0;

  constructor(private readonly session: Session) {}

  /** How many cursors are open: ending a transaction without any has nothing to do here. */
  get count(): number {
    return this.cursors.size;
  }

  /** The open cursors, for pg_cursors. */
  list(): CursorInfo[] {
    return [...this.cursors].map(([name, c]) => ({ name, statement: c.statement,
      holdable: c.hold, binary: c.binary, scrollable: c.scroll, createdMicros: c.createdMicros }));
  }

  /** The RowDescription a FETCH will send, for Describe; null for DECLARE, MOVE, CLOSE. */
  columnsOf(stmt: ast.Node): readonly ColumnInfo[] | null {
    if (!("FetchStmt" in stmt) || stmt.FetchStmt.ismove === true) return null;
    return this.cursors.get(stmt.FetchStmt.portalname ?? "")?.columns ?? null;
  }

  /**
   * What Describe of a portal shows for a cursor DECLARE opened (PostgreSQL's cursors are
   * portals, open to the protocol's Describe too): its columns and their formats.
   */
  portalDescription(name: string):
    { columns: readonly ColumnInfo[]; formats: number[] } | undefined {
    const cursor = this.cursors.get(name);
    if (cursor === undefined) return undefined;
    return { columns: cursor.columns, formats: cursor.columns.map(() => (cursor.binary ? 1 : 0)) };
  }

  /** Runs one cursor statement; `formats` are the portal's result formats (null: text). */
  async run(stmt: ast.Node, formats: readonly number[] | null): Promise<void> {
    if ("DeclareCursorStmt" in stmt) {
      await this.declare(stmt.DeclareCursorStmt);
      this.session.output.commandComplete("DECLARE CURSOR");
    } else if ("FetchStmt" in stmt) {
      await this.fetchStatement(stmt.FetchStmt, formats);
    } else if ("ClosePortalStmt" in stmt) {
      this.close(stmt.ClosePortalStmt.portalname);
      const all = stmt.ClosePortalStmt.portalname === undefined;
      this.session.output.commandComplete(all ? "CLOSE CURSOR ALL" : "CLOSE CURSOR");
    }
  }

  private async declare(stmt: ast.DeclareCursorStmt): Promise<void> {
    const name = stmt.portalname ?? "";
    const options = stmt.options ?? 0;
    const hold = (options & cursorOptHold) !== 0;
    if (this.cursors.has(name)) {
      throw new SqlError(SqlState.duplicateCursor, `cursor "${name}" already exists`);
    }
    const inBlock = this.session.block.isTransactionBlock;
    if (!inBlock && !hold) {
      throw new SqlError(SqlState.noActiveSqlTransaction,
        "DECLARE CURSOR can only be used in transaction blocks");
    }
    if (stmt.query === undefined) throw new SqlError(SqlState.syntaxError, "DECLARE without query");
    const scroll = scrollOf(options, stmt.query);
    const controller = new AbortController();
    const ctx = this.cursorContext(controller);
    const { prepared, table } = this.prepareQuery(stmt.query, ctx);
    if (prepared.columns === null) {
      throw new SqlError(SqlState.invalidCursorDefinition,
        "DECLARE CURSOR must be used with a statement that returns rows");
    }
    const columns = table === undefined ? prepared.columns : prepared.columns.slice(0, -1);
    // A default cursor scrolls within a window: it may stream a table too big to keep.
    const explicit = (options & cursorOptScroll) !== 0;
    const rows = new CursorRows(prepared.open([], ctx), scroll,
      explicit ? Infinity : defaultScrollWindow);
    const depth = this.session.block.savepointDepth;
    const cursor: SqlCursor = { columns, hold, rows, controller, table, depth,
      binary: (options & cursorOptBinary) !== 0, statement: this.session.statementText,
      scroll, createdMicros: nowMicros(), serial: ++this.serial };
    this.cursors.set(name, cursor);
    if (!inBlock) await this.materialize(name, cursor);
  }

  /**
   * Prepares the cursor's query; a simple scan of one table also reads the table's ctid, for
   * WHERE CURRENT OF (when that cannot be planned, e.g. for a view, the query runs as given).
   */
  private prepareQuery(query: ast.Node, ctx: StatementContext):
    { prepared: PreparedStatement; table: ast.RangeVar | undefined } {
    const engine = this.session.options.engine;
    const scan = engine.ctidNamesOneRow === true ? widenForCurrentOf(query) : undefined;
    if (scan !== undefined) {
      try {
        return { prepared: engine.prepare(scan.query, [], ctx), table: scan.table };
      } catch {
        // Not a table with a ctid: no WHERE CURRENT OF through this cursor.
      }
    }
    return { prepared: engine.prepare(query, [], ctx), table: undefined };
  }

  /** An UPDATE or DELETE … WHERE CURRENT OF with the cursor's row put in; others as given. */
  resolveCurrentOf(stmt: ast.Node): ast.Node {
    const name = currentOfCursor(stmt);
    if (name === undefined || this.session.options.engine.ctidNamesOneRow !== true) return stmt;
    const cursor = this.cursors.get(name);
    let ctid: string | undefined;
    const resolved = resolveCurrentOf(stmt, name, cursor === undefined ? undefined : {
      table: cursor.table,
      held: cursor.hold && cursor.rows.materialized,
      currentCtid: () => {
        const row = cursor.rows.currentRow();
        const value = row?.[row.length - 1];
        ctid = typeof value === "number" ? tidOutput(value) : undefined;
        return ctid;
      },
    });
    if (cursor !== undefined && ctid !== undefined) {
      // An UPDATE gave the row a new version the cursor does not know (Postgres follows the
      // update chain to it): another WHERE CURRENT OF on it would silently miss it.
      if (ctid === cursor.updatedCtid) {
        throw new SqlError(SqlState.featureNotSupported, `WHERE CURRENT OF a row already ` +
          `updated through cursor "${name}" is not supported: FETCH the next row first`);
      }
      if ("UpdateStmt" in stmt) cursor.updatedCtid = ctid;
    }
    return resolved;
  }

  /** The cursor's own context: the session's, with a signal that outlives one statement. */
  private cursorContext(controller: AbortController): StatementContext {
    const ctx = this.session.statementContext();
    this.session.statementDone();
    const signal = controller.signal;
    return { ...ctx, signal, cancellation: signalCancellation(signal) };
  }

  unnamedName(): string {
    let name: string;
    do name = `<unnamed portal ${++this.unnamedCount}>`; while (this.cursors.has(name));
    return name;
  }

  has(name: string): boolean {
    return this.cursors.has(name);
  }

  /** PL/pgSQL's OPEN: a cursor over rows its query gave (see the file's comment). */
  openRows(name: string, opened: OpenedRows): void {
    if (this.cursors.has(name)) {
      throw new SqlError(SqlState.duplicateCursor, `cursor "${name}" already in use`);
    }
    const columns = opened.columns.map((c): ColumnInfo => ({ name: c.name, tableOid: 0,
      columnNumber: 0, typeOid: c.type, typeSize: typeInfo(c.type).len, typeModifier: -1 }));
    this.cursors.set(name, { columns, hold: false, binary: false, table: undefined,
      rows: CursorRows.ofRows(opened.rows, opened.scroll), controller: new AbortController(),
      depth: this.session.block.savepointDepth, statement: opened.statement,
      scroll: opened.scroll, createdMicros: nowMicros(), serial: ++this.serial });
  }

  /** FETCH or MOVE from PL/pgSQL: at once unless a DECLAREd cursor must read rows. */
  fetch(name: string, direction: FetchDirection, count: number, move: boolean,
    canWait: boolean): CursorFetch | Promise<CursorFetch> {
    const cursor = this.find(name);
    if (!cursor.rows.materialized && !canWait) {
      throw new SqlError(SqlState.featureNotSupported, `FETCH from cursor "${name}", ` +
        "opened by DECLARE, in a function called by a query is not supported",
      { hint: "Read it from a DO block or a procedure." });
    }
    const columns = cursor.columns.map((c) => ({ name: c.name, type: c.typeOid }));
    const hidden = cursor.table !== undefined;
    const done = (fetched: FetchedRows): CursorFetch => ({ columns, count: fetched.count,
      rows: hidden ? fetched.rows.map((row) => row.slice(0, -1)) : fetched.rows });
    const fetched = cursor.rows.run(direction, count, move);
    return fetched instanceof Promise ? fetched.then(done) : done(fetched);
  }

  mark(): number {
    return this.serial;
  }

  rollbackTo(mark: number): void {
    for (const [name, cursor] of [...this.cursors]) {
      if (cursor.serial > mark) this.drop(name, cursor);
    }
  }

  /** COMMIT or ROLLBACK in a procedure ends the transaction's cursors (not held ones). */
  transactionEnded(): void {
    for (const [name, cursor] of [...this.cursors]) {
      if (!(cursor.hold && cursor.rows.materialized)) this.drop(name, cursor);
    }
  }

  /**
   * A statement outside any transaction block ended: the cursors its functions opened close
   * with its transaction (a WITH HOLD cursor stays).
   */
  statementEnded(): void {
    if (this.cursors.size === 0 || this.session.block.status !== "I") return;
    this.transactionEnded();
  }

  private async fetchStatement(stmt: ast.FetchStmt, formats: readonly number[] | null):
    Promise<void> {
    const output = this.session.output;
    const fetched = await this.fetchEncoded(stmt, formats);
    if (fetched.described !== undefined) output.rowDescription(...fetched.described);
    for (const cells of fetched.rows) output.dataRow(cells);
    output.commandComplete(fetched.tag);
  }

  /**
   * Runs FETCH or MOVE: its rows encoded in `formats` (null: the cursor's, with the columns
   * to describe them by) and its tag. The extended protocol keeps them, for an Execute with a
   * row limit to send a part at a time (Postgres's PORTAL_UTIL_SELECT).
   */
  async fetchEncoded(stmt: ast.FetchStmt, formats: readonly number[] | null): Promise<{
    rows: (Uint8Array | null)[][]; tag: string;
    described: [readonly ColumnInfo[], readonly number[]] | undefined }> {
    const cursor = this.find(stmt.portalname ?? "");
    const move = stmt.ismove === true;
    const howMany = Number(stmt.howMany ?? 0);
    const count = howMany >= fetchAllAtLeast ? Infinity
      : howMany <= -fetchAllAtLeast ? -Infinity : howMany;
    const signal = this.session.statementContext().signal;
    const cancel = (): void => cursor.controller.abort();
    signal.addEventListener("abort", cancel, { once: true });
    let result;
    try {
      result = await cursor.rows.run(stmt.direction ?? "FETCH_FORWARD", count, move);
    } finally {
      signal.removeEventListener("abort", cancel);
      this.session.statementDone();
    }
    if (move) return { rows: [], tag: `MOVE ${result.count}`, described: undefined };
    const columnFormats = formats ?? cursor.columns.map(() => (cursor.binary ? 1 : 0));
    const encode = rowEncoder(cursor.columns, columnFormats,
      formatContextOf(this.session.settings));
    const hidden = cursor.table !== undefined;
    return { rows: result.rows.map((row) => encode(hidden ? row.slice(0, -1) : row)),
      tag: `FETCH ${result.count}`,
      described: formats === null ? [cursor.columns, columnFormats] : undefined };
  }

  /** CLOSE name, or CLOSE ALL when `name` is undefined. */
  close(name: string | undefined): void {
    if (name === undefined) {
      this.clear();
      return;
    }
    this.find(name).rows.close();
    this.cursors.delete(name);
  }

  /** Called before a utility statement runs: ending the block or DISCARD ALL end cursors. */
  async beforeUtility(stmt: ast.Node): Promise<void> {
    if ("DiscardStmt" in stmt && (stmt.DiscardStmt.target ?? "DISCARD_ALL") === "DISCARD_ALL") {
      if (this.session.block.status === "I") this.clear();
      return;
    }
    if (!("TransactionStmt" in stmt) || this.session.block.status === "I") return;
    const kind = stmt.TransactionStmt.kind;
    if (kind === "TRANS_STMT_COMMIT" || kind === "TRANS_STMT_PREPARE") {
      await this.endTransaction(this.session.block.status === "T");
    } else if (kind === "TRANS_STMT_ROLLBACK") {
      await this.endTransaction(false);
    } else if (kind === "TRANS_STMT_ROLLBACK_TO") {
      this.rollbackToSavepoint(stmt.TransactionStmt.savepoint_name ?? "");
    }
  }

  /** ROLLBACK TO a savepoint closes the cursors declared after it, as Postgres's portals. */
  private rollbackToSavepoint(name: string): void {
    const at = this.session.block.savepointIndex(name);
    if (at < 0) return;
    for (const [cursorName, cursor] of [...this.cursors]) {
      if (cursor.depth > at && !(cursor.hold && cursor.rows.materialized)) {
        this.drop(cursorName, cursor);
      }
    }
  }

  /**
   * Ends the cursors of the transaction before COMMIT or ROLLBACK ends it: at a commit WITH
   * HOLD cursors read their rows into memory; every cursor still tied to the transaction
   * closes. A failed materialization fails the COMMIT, as in Postgres.
   */
  private async endTransaction(committing: boolean): Promise<void> {
    for (const [name, cursor] of [...this.cursors]) {
      if (cursor.rows.materialized && cursor.hold) continue;
      if (committing && cursor.hold) await this.materialize(name, cursor);
      else this.drop(name, cursor);
    }
  }

  private async materialize(name: string, cursor: SqlCursor): Promise<void> {
    try {
      await cursor.rows.materialize();
    } catch (error) {
      this.drop(name, cursor);
      throw error;
    }
  }

  private drop(name: string, cursor: SqlCursor): void {
    cursor.rows.close();
    this.cursors.delete(name);
  }

  /** Closes every cursor (CLOSE ALL, DISCARD ALL, the end of the session). */
  clear(): void {
    for (const [name, cursor] of [...this.cursors]) this.drop(name, cursor);
  }

  private find(name: string): SqlCursor {
    const cursor = this.cursors.get(name);
    if (cursor === undefined) {
      throw new SqlError(SqlState.invalidCursorName, `cursor "${name}" does not exist`);
    }
    return cursor;
  }
}
