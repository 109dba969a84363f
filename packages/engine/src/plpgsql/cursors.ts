/**
 * PL/pgSQL cursors within one call: OPEN (a bound cursor with its arguments, `FOR query`,
 * `FOR EXECUTE … USING`), FETCH / MOVE in every direction, CLOSE, and FOR over a bound
 * cursor. A cursor's rows are read whole when it opens and kept in the call's frame under
 * its portal name (the variable's name for a bound cursor, `<unnamed portal n>` otherwise),
 * so a cursor does not outlive the call that opened it (no refcursor results).
 */
import { SqlError, SqlState } from "@tessera/base";
import { Oid } from "../catalog/types.js";
import type { Step } from "./drive.js";
import { evalExpr, runParsed } from "./evaluate.js";
import { parsedExpr } from "./expressions.js";
import type { Frame } from "./frame.js";
import type { QueryResult } from "./host.js";
import type { Flow } from "./interpreter.js";
import { loop } from "./interpreter.js";
import type { Stmt } from "./tree.js";

type StmtOf<K extends Stmt["kind"]> = Extract<Stmt, { kind: K }>;
type ExecList = (frame: Frame, stmts: readonly Stmt[]) => Step<Flow>;
type RunQuery = (frame: Frame, stmt: Extract<Stmt, { kind: "open" }>) => Step<QueryResult>;

/** An open cursor: its rows and the position FETCH moves (0 before the first row). */
export interface CursorState {
  readonly result: QueryResult;
  position: number;
}

let unnamed = 0;

function portalName(frame: Frame, curvar: number): string {
  return (frame.values[curvar] as string | null) ?? frame.name(curvar);
}

/** Runs a bound cursor's query after setting its arguments. */
function* boundQuery(frame: Frame, curvar: number, args: StmtOf<"open">["args"]):
  Step<QueryResult> {
  const d = frame.datum(curvar);
  if (d.kind !== "var" || d.cursor === undefined) {
    throw new SqlError(SqlState.syntaxError, `cursor "${frame.name(curvar)}" has no query`);
  }
  if (args !== undefined && d.cursor.argRow !== undefined) {
    const values = yield* runParsed(frame, parsedExpr(args, (n) => frame.isRecord(n)));
    frame.assignFromRow(d.cursor.argRow, values.rows[0], values.columns);
  }
  return yield* runParsed(frame, parsedExpr(d.cursor.query, (n) => frame.isRecord(n)));
}

export function* execOpen(frame: Frame, stmt: StmtOf<"open">, run: RunQuery): Step<Flow> {
  let name = frame.values[stmt.curvar] as string | null;
  const d = frame.datum(stmt.curvar);
  if (name === null) {
    name = d.kind === "var" && d.cursor !== undefined ? d.name : `<unnamed portal ${++unnamed}>`;
  }
  if (frame.cursors.has(name)) {
    throw new SqlError("42P03", `cursor "${name}" already in use`);
  }
  const result = stmt.query === undefined && stmt.dynquery === undefined
    ? yield* boundQuery(frame, stmt.curvar, stmt.args) : yield* run(frame, stmt);
  frame.values[stmt.curvar] = name;
  frame.cursors.set(name, { result, position: 0 });
  return undefined;
}

function stateOf(frame: Frame, curvar: number): CursorState {
  const name = portalName(frame, curvar);
  const state = frame.cursors.get(name);
  if (state === undefined) throw new SqlError("34000", `cursor "${name}" does not exist`);
  return state;
}

export function* execFetch(frame: Frame, stmt: StmtOf<"fetch">): Step<Flow> {
  const state = stateOf(frame, stmt.curvar);
  let count = stmt.count;
  if (stmt.countExpr !== undefined) {
    const v = yield* evalExpr(frame, stmt.countExpr);
    count = v.value === null ? 0 : Number(frame.host.cast(v.value, v.type, Oid.int8, -1));
  }
  const rows = state.result.rows;
  const last = rows.length + 1;
  const before = state.position;
  if (stmt.direction === 0) state.position += count;
  else if (stmt.direction === 1) state.position -= count;
  else if (stmt.direction === 2) state.position = count >= 0 ? count : last + count;
  else state.position += count;
  state.position = Math.max(0, Math.min(last, state.position));
  const at = state.position;
  const row = at >= 1 && at <= rows.length ? rows[at - 1] : undefined;
  if (stmt.move) {
    const moved = stmt.direction <= 1 ? Math.abs(at - before) - (row === undefined ? 1 : 0)
      : row === undefined ? 0 : 1;
    frame.rowCount = Math.max(0, moved);
    frame.setFound(frame.rowCount > 0);
    return undefined;
  }
  if (stmt.target !== undefined) frame.assignFromRow(stmt.target, row, state.result.columns);
  frame.rowCount = row === undefined ? 0 : 1;
  frame.setFound(row !== undefined);
  return undefined;
}

export function execClose(frame: Frame, stmt: StmtOf<"close">): Flow {
  stateOf(frame, stmt.curvar);
  frame.cursors.delete(portalName(frame, stmt.curvar));
  return undefined;
}

/** FOR r IN c[(args)] LOOP: opens the bound cursor, runs the body per row, closes it. */
export function* execForc(frame: Frame, stmt: StmtOf<"forc">, execList: ExecList):
  Step<Flow> {
  const open: StmtOf<"open"> = { kind: "open", line: stmt.line, curvar: stmt.curvar,
    query: undefined, dynquery: undefined, params: [], args: stmt.args };
  yield* execOpen(frame, open, function* () {
    throw new SqlError(SqlState.internalError, "FOR over a cursor needs a bound cursor");
  });
  const state = stateOf(frame, stmt.curvar);
  const rows = state.result.rows;
  let at = 0;
  try {
    const flow = yield* loop(frame, stmt.label, function* () {
      frame.assignFromRow(stmt.target, rows[at++], state.result.columns);
      return yield* execList(frame, stmt.body);
    }, function* () {
      return at < rows.length;
    });
    frame.setFound(at > 0);
    return flow;
  } finally {
    frame.cursors.delete(portalName(frame, stmt.curvar));
    const d = frame.datum(stmt.curvar);
    if (d.kind === "var" && d.cursor !== undefined) frame.values[stmt.curvar] = null;
  }
}
