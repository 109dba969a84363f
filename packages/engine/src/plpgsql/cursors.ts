/**
 * PL/pgSQL cursors: OPEN (a bound cursor with its arguments, `FOR query`, `FOR EXECUTE …
 * USING`, SCROLL / NO SCROLL), FETCH / MOVE in every direction, CLOSE, and FOR over a bound
 * cursor, as pl_exec.c runs them through SPI portals.
 *
 * OPEN runs the query and gives its rows to the session's cursors (`Frame.cursors`: the
 * host's, `session/sql-cursors.ts`) under the name the cursor variable holds, or under a new
 * `<unnamed portal n>` when it is null, which it then holds. The cursor outlives the call,
 * until CLOSE or the end of the transaction: a function returns its name as a refcursor and
 * the caller FETCHes from it, in SQL or in another function. FETCH reads any cursor of the
 * session by name, one DECLARE opened included. As in PostgreSQL 15, a bound cursor
 * variable starts out holding its own name (`interpreter.ts`).
 *
 * The query runs whole when the cursor opens, with the snapshot of that moment as in
 * PostgreSQL; its errors come at OPEN rather than at the first FETCH.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { FetchDirection } from "../api.js";
import { Oid } from "../catalog/types.js";
import { scrollableByDefault } from "../session/cursor-scrollability.js";
import { wait, type Step } from "./drive.js";
import { evalExpr, runParsed } from "./evaluate.js";
import { parsedExpr } from "./expressions.js";
import type { Frame } from "./frame.js";
import type { QueryResult } from "./host.js";
import type { Flow } from "./interpreter.js";
import { loop } from "./interpreter.js";
import { cursorOptions, type Stmt } from "./tree.js";

type StmtOf<K extends Stmt["kind"]> = Extract<Stmt, { kind: K }>;
type ExecList = (frame: Frame, stmts: readonly Stmt[]) => Step<Flow>;

/** A cursor's query once run: its result, its statement (undefined: unknown) and text. */
export interface OpenedQuery {
  readonly result: QueryResult;
  readonly stmt: ast.Node | undefined;
  readonly text: string;
}

type RunQuery = (frame: Frame, stmt: StmtOf<"open">) => Step<OpenedQuery>;

/** PLpgSQL_stmt_fetch's direction: FETCH_FORWARD, BACKWARD, ABSOLUTE, RELATIVE. */
const directions: readonly FetchDirection[] = ["FETCH_FORWARD", "FETCH_BACKWARD",
  "FETCH_ABSOLUTE", "FETCH_RELATIVE"];

/** FETCH ALL arrives as LONG_MAX or INT_MAX. */
const fetchAllAtLeast = 2_147_483_647;

/** The portal name cursor variable `curvar` holds; 22004 when it is null. */
function cursorName(frame: Frame, curvar: number): string {
  const name = frame.values[curvar] as string | null;
  if (name === null) {
    throw new SqlError(SqlState.nullValueNotAllowed,
      `cursor variable "${frame.name(curvar)}" is null`);
  }
  return name;
}

/** Runs a bound cursor's query after setting its arguments. */
function* boundQuery(frame: Frame, curvar: number, args: StmtOf<"open">["args"]):
  Step<OpenedQuery> {
  const d = frame.datum(curvar);
  if (d.kind !== "var" || d.cursor === undefined) {
    throw new SqlError(SqlState.syntaxError, `cursor "${frame.name(curvar)}" has no query`);
  }
  if (args !== undefined && d.cursor.argRow !== undefined) {
    const values = yield* runParsed(frame, parsedExpr(args, (n) => frame.isRecord(n)));
    frame.assignFromRow(d.cursor.argRow, values.rows[0], values.columns);
  }
  const parsed = parsedExpr(d.cursor.query, (n) => frame.isRecord(n));
  return { result: yield* runParsed(frame, parsed), stmt: parsed.stmt,
    text: d.cursor.query.query };
}

/** SCROLL, NO SCROLL, or (neither) whether PostgreSQL's plan for the query runs backward. */
function scrollOf(options: number, stmt: ast.Node | undefined): boolean {
  if ((options & cursorOptions.scroll) !== 0) return true;
  if ((options & cursorOptions.noScroll) !== 0) return false;
  return stmt !== undefined && scrollableByDefault(stmt);
}

/** Opens the cursor of `stmt`; returns its name and its query's result. */
function* openCursor(frame: Frame, stmt: StmtOf<"open">, run: RunQuery):
  Step<{ name: string; result: QueryResult }> {
  const cursors = frame.cursors;
  const given = frame.values[stmt.curvar] as string | null;
  if (given !== null && cursors.has(given)) {
    throw new SqlError(SqlState.duplicateCursor, `cursor "${given}" already in use`);
  }
  const d = frame.datum(stmt.curvar);
  const bound = d.kind === "var" ? d.cursor : undefined;
  const opened = bound !== undefined && stmt.query === undefined && stmt.dynquery === undefined
    ? yield* boundQuery(frame, stmt.curvar, stmt.args) : yield* run(frame, stmt);
  const result = opened.result;
  if (!result.returnsRows) {
    throw new SqlError(SqlState.invalidCursorDefinition,
      `cannot open ${result.command} query as cursor`);
  }
  const name = given ?? cursors.unnamedName();
  cursors.openRows(name, { columns: result.columns, rows: result.rows,
    scroll: scrollOf(bound?.options ?? stmt.options, opened.stmt), statement: opened.text });
  frame.values[stmt.curvar] = name;
  return { name, result };
}

export function* execOpen(frame: Frame, stmt: StmtOf<"open">, run: RunQuery): Step<Flow> {
  yield* openCursor(frame, stmt, run);
  return undefined;
}

/** FETCH's count: its expression's value when it has one, FETCH ALL as infinity. */
function* countOf(frame: Frame, stmt: StmtOf<"fetch">): Step<number> {
  let count = stmt.count;
  if (stmt.countExpr !== undefined) {
    const v = yield* evalExpr(frame, stmt.countExpr);
    if (v.value === null) {
      throw new SqlError(SqlState.nullValueNotAllowed,
        "relative or absolute cursor position is null");
    }
    count = Number(frame.host.cast(v.value, v.type, Oid.int8, -1));
  }
  return Math.abs(count) >= fetchAllAtLeast ? Math.sign(count) * Infinity : count;
}

/** FETCH [direction] FROM c INTO target, or MOVE: FOUND and ROW_COUNT as PostgreSQL sets. */
export function* execFetch(frame: Frame, stmt: StmtOf<"fetch">): Step<Flow> {
  const name = cursorName(frame, stmt.curvar);
  const count = yield* countOf(frame, stmt);
  const fetched = yield* wait(frame.cursors.fetch(name,
    directions[stmt.direction] ?? "FETCH_FORWARD", count, stmt.move,
    frame.host.canWait === true));
  if (!stmt.move && stmt.target !== undefined) {
    frame.assignFromRow(stmt.target, fetched.rows[0], fetched.columns);
  }
  frame.rowCount = fetched.count;
  frame.setFound(fetched.count > 0);
  return undefined;
}

export function execClose(frame: Frame, stmt: StmtOf<"close">): Flow {
  frame.cursors.close(cursorName(frame, stmt.curvar));
  return undefined;
}

/**
 * FOR r IN c[(args)] LOOP: opens the bound cursor, runs the body per row, closes it. The loop
 * keeps its rows, so a COMMIT in a procedure's loop does not end it (PostgreSQL holds the
 * portal of a FOR loop).
 */
export function* execForc(frame: Frame, stmt: StmtOf<"forc">, execList: ExecList):
  Step<Flow> {
  const generated = frame.values[stmt.curvar] === null;
  const open: StmtOf<"open"> = { kind: "open", line: stmt.line, curvar: stmt.curvar,
    query: undefined, dynquery: undefined, params: [], args: stmt.args, options: 0 };
  const { name, result } = yield* openCursor(frame, open, function* () {
    throw new SqlError(SqlState.internalError, "FOR over a cursor needs a bound cursor");
  });
  const rows = result.rows;
  let at = 0;
  try {
    const flow = yield* loop(frame, stmt.label, function* () {
      frame.assignFromRow(stmt.target, rows[at++], result.columns);
      return yield* execList(frame, stmt.body);
    }, function* () {
      return at < rows.length;
    });
    frame.setFound(at > 0);
    return flow;
  } finally {
    if (frame.cursors.has(name)) frame.cursors.close(name);
    if (generated) frame.values[stmt.curvar] = null;
  }
}
