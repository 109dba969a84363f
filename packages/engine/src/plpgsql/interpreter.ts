/**
 * The PL/pgSQL interpreter's control flow, after PostgreSQL's pl_exec.c: blocks (with their
 * DECLARE defaults and EXCEPTION handlers run in a subtransaction), IF, CASE, the loops with
 * EXIT/CONTINUE and labels, RETURN, and COMMIT / ROLLBACK of procedures and DO blocks, which
 * the host carries out (`procedure-transactions.ts`) or refuses with 2D000 where atomic.
 * Statements that run SQL are in `sql-statements.ts`.
 *
 * Every function is a generator that yields only what the host returned as a promise
 * (`host.ts`): with the engine as host nothing is ever yielded and `drive.ts` runs the call
 * to its end synchronously, inside the statement that called the function.
 */
import { SqlError, SqlState, isSqlError } from "@tessera/base";
import { arrayTypeOf, jsonbSubscriptAssign, type PgArray, type SliceBounds, type Value }
  from "@tessera/sql";
import { Oid, formatTypeName, typeInfo } from "../catalog/types.js";
import { wait, type Step } from "./drive.js";
import { parsedExpr, type ParsedExpr } from "./expressions.js";
import type { Frame, Typed } from "./frame.js";
import { evalBool, evalExpr, evalScalar, paramsOf } from "./evaluate.js";
import { execSqlStatement, withContext } from "./sql-statements.js";
import type { Handler, Stmt } from "./tree.js";
import { isUncatchable } from "./uncatchable.js";
import { nestedFieldPath, withNestedField } from "./field-assign.js";

/** How a statement ended: normally (undefined), or leaving loops and blocks. */
export type Flow = undefined | { readonly kind: "exit" | "continue";
  readonly label: string | undefined } | { readonly kind: "return" };

type StmtOf<K extends Stmt["kind"]> = Extract<Stmt, { kind: K }>;

/** Statements run between two pauses of a host that can wait (`PlHost.pause`). */
const statementsPerPause = 2048;
let sincePause = 0;

/** Lets a host that can wait pause, then stops if the statement was cancelled. */
function* breathe(frame: Frame): Step<void> {
  sincePause = 0;
  const pause = frame.host.pause?.();
  if (pause !== undefined) yield pause;
  if (frame.host.signal.aborted) {
    throw new SqlError(SqlState.queryCanceled, "canceling statement due to user request");
  }
}

/** Runs statements in order until one leaves. */
export function* execList(frame: Frame, stmts: readonly Stmt[]): Step<Flow> {
  for (const stmt of stmts) {
    if (++sincePause >= statementsPerPause) yield* breathe(frame);
    let flow: Flow;
    try {
      flow = yield* execStmt(frame, stmt);
    } catch (error) {
      throw withContext(error, frame, stmt);
    }
    if (flow !== undefined) return flow;
  }
  return undefined;
}

function* execStmt(frame: Frame, stmt: Stmt): Step<Flow> {
  switch (stmt.kind) {
    case "block": return yield* execBlock(frame, stmt);
    case "assign": return yield* execAssign(frame, stmt);
    case "if": {
      for (const branch of stmt.branches) {
        if (yield* evalBool(frame, branch.cond)) return yield* execList(frame, branch.body);
      }
      return stmt.otherwise === undefined ? undefined : yield* execList(frame, stmt.otherwise);
    }
    case "case": return yield* execCase(frame, stmt);
    case "loop":
      return yield* loop(frame, stmt.label, function* () {
        return yield* execList(frame, stmt.body);
      });
    case "while": return yield* execWhile(frame, stmt);
    case "fori": return yield* execFori(frame, stmt);
    case "foreach": return yield* execForeach(frame, stmt);
    case "exit": {
      if (stmt.cond !== undefined && !(yield* evalBool(frame, stmt.cond))) return undefined;
      return { kind: stmt.isExit ? "exit" : "continue", label: stmt.label };
    }
    case "endTransaction": {
      const host = frame.host;
      if (host.endTransaction === undefined || host.atomic?.() !== false) {
        throw new SqlError(SqlState.invalidTransactionTermination,
          "invalid transaction termination");
      }
      yield* wait(host.endTransaction(stmt.commit, stmt.chain));
      // Cursors OPEN opened end with the transaction; a FOR loop keeps its rows (holdable).
      frame.cursors.transactionEnded();
      return undefined;
    }
    case "unsupported":
      throw new SqlError(SqlState.featureNotSupported,
        `PL/pgSQL statement ${stmt.what} is not supported`);
    default:
      return yield* execSqlStatement(frame, stmt, execList);
  }
}

/** Sets a block's declared variables to their defaults. */
function* initDeclared(frame: Frame, declared: readonly number[]): Step<void> {
  for (const n of declared) {
    const d = frame.datum(n);
    if (d.kind !== "var" && d.kind !== "rec") continue;
    frame.values[n] = null;
    if (d.kind === "rec" && frame.columns[n] === undefined && frame.isRecord(n)) {
      frame.types[n] = Oid.record;
    }
    if (d.init !== undefined) {
      const v = yield* evalExpr(frame, d.init);
      frame.assign(n, v.value, v.type);
    } else if (d.kind === "var" && d.cursor !== undefined) {
      // A bound cursor opens under its own name (PostgreSQL 15's default for it).
      frame.values[n] = d.name;
    } else if (d.kind === "var" && d.notNull) {
      throw new SqlError(SqlState.nullValueNotAllowed,
        `variable "${d.name}" must have a default value, since it's declared NOT NULL`);
    } else if (frame.domains[n] === true) {
      // A domain variable starts as null only if its domain allows null.
      frame.assign(n, null, Oid.unknown);
    }
  }
}

function* execBlock(frame: Frame, stmt: StmtOf<"block">): Step<Flow> {
  yield* initDeclared(frame, stmt.declared);
  const leave = (flow: Flow): Flow => (flow !== undefined && flow.kind === "exit" &&
    flow.label !== undefined && flow.label === stmt.label ? undefined : flow);
  if (stmt.handlers === undefined) return leave(yield* execList(frame, stmt.body));
  const mark = yield* wait(frame.host.beginSubtransaction());
  const cursorMark = frame.cursors.mark();
  let caught: SqlError;
  try {
    const flow = yield* execList(frame, stmt.body);
    yield* wait(frame.host.releaseSubtransaction(mark));
    return leave(flow);
  } catch (error) {
    if (!isSqlError(error) || isUncatchable(error)) throw error;
    caught = error;
  }
  yield* wait(frame.host.rollbackSubtransaction(mark));
  // Cursors opened in the block close with it, as its portals do in PostgreSQL.
  frame.cursors.rollbackTo(cursorMark);
  const handler = stmt.handlers.find((h) => matches(h, caught.code));
  if (handler === undefined) throw caught;
  setErrorVariables(frame, stmt, caught);
  frame.handling.push(caught);
  try {
    return leave(yield* execList(frame, handler.body));
  } finally {
    frame.handling.pop();
  }
}

/** SQLSTATE and SQLERRM of the handler: the datums named so in its scope. */
function setErrorVariables(frame: Frame, stmt: StmtOf<"block">, error: SqlError): void {
  for (const n of stmt.errorVars) {
    const d = frame.datum(n);
    frame.types[n] = Oid.text;
    if (d.kind === "var" && d.name === "sqlstate") frame.values[n] = error.code;
    if (d.kind === "var" && d.name === "sqlerrm") frame.values[n] = error.message;
  }
}

/** EXCEPTION WHEN: a code, a class (`22000`), or OTHERS (not cancel, not ASSERT). */
function matches(handler: Handler, code: string): boolean {
  return handler.conditions.some((c) => {
    if (c === "others") return code !== SqlState.queryCanceled && code !== "P0004";
    if (c === code) return true;
    return c.endsWith("000") && c.slice(0, 2) === code.slice(0, 2);
  });
}

function* execAssign(frame: Frame, stmt: StmtOf<"assign">): Step<Flow> {
  const d = frame.datum(stmt.varno);
  if ((d.kind === "var" && d.isConst) || (d.kind === "rec" && d.constant === true)) {
    throw new SqlError(SqlState.errorInAssignment, `variable "${d.name}" is declared CONSTANT`);
  }
  const parsed = parsedExpr(stmt.expr, (n) => frame.isRecord(n));
  const value = yield* evalScalar(frame, parsed, stmt.expr.query, true);
  const names = parsed.targetNames ?? [];
  const path = parsed.subscripts.length === 0 ? nestedFieldPath(frame, stmt.varno, names) : [];
  if (path.length > 0) {
    const current = frame.read(stmt.varno);
    frame.assign(stmt.varno, withNestedField(frame, current, path, value, names[0] ?? ""),
      current.type);
    return undefined;
  }
  const elementPath = parsed.elementPath ?? [];
  if (elementPath.length > 0 && parsed.slices !== undefined) {
    throw new SqlError(SqlState.datatypeMismatch, `cannot assign to field "${elementPath[0]}" ` +
      `of column "${names[0] ?? ""}" because its type ` +
      `${formatTypeName(frame.read(stmt.varno).type, -1)} is not a composite type`);
  }
  if (parsed.slices !== undefined) {
    const bounds: SliceBounds[] = [];
    for (const s of parsed.slices) {
      bounds.push({ lower: s.plain ? 1 : yield* subscript(frame, s.lower),
        upper: yield* subscript(frame, s.upper) });
    }
    frame.assignSlice(stmt.varno, bounds, value);
    return undefined;
  }
  if (parsed.subscripts.length === 0) {
    frame.assign(stmt.varno, value.value, value.type);
    return undefined;
  }
  if (frame.types[stmt.varno] === Oid.jsonb) {
    return yield* assignJsonbElement(frame, stmt.varno, parsed.subscripts, value);
  }
  const subscripts: (number | null)[] = [];
  for (const s of parsed.subscripts) subscripts.push(yield* subscript(frame, s));
  const element = elementPath.length === 0 ? value
    : elementWithField(frame, stmt.varno, subscripts, elementPath, value, names[0] ?? "");
  frame.assignElement(stmt.varno, subscripts, element);
  return undefined;
}

/** `a[i].f := v`: element `a[i]` (a composite) with field `f` set to `v`. */
function elementWithField(frame: Frame, varno: number, subscripts: readonly (number | null)[],
  path: readonly string[], value: Typed, column: string): Typed {
  const array = frame.read(varno);
  const type = typeInfo(array.type).elem;
  const current = elementAt(array.value as PgArray | null, subscripts);
  return { value: withNestedField(frame, { value: current, type }, path, value, column), type };
}

/** The element of `array` at `subscripts`, or null outside it. */
function elementAt(array: PgArray | null, subscripts: readonly (number | null)[]): Value {
  if (array === null || array.dims.length !== subscripts.length) return null;
  let offset = 0;
  for (let d = 0; d < subscripts.length; d++) {
    const i = (subscripts[d] ?? Number.NaN) - array.lowerBounds[d]!;
    if (!(i >= 0 && i < array.dims[d]!)) return null;
    offset = offset * array.dims[d]! + i;
  }
  return array.items[offset] ?? null;
}

/** A subscript's value as an integer; null when it is null or left out. */
function* subscript(frame: Frame, s: ParsedExpr | undefined): Step<number | null> {
  if (s === undefined) return null;
  const v = yield* evalScalar(frame, s, "subscript");
  return v.value === null ? null : Number(frame.host.cast(v.value, v.type, Oid.int4, -1));
}

/** `j['k'][0] := v` on a jsonb variable: text keys and integer indexes, v as jsonb. */
function* assignJsonbElement(frame: Frame, varno: number, parsed: readonly ParsedExpr[],
  value: Typed): Step<Flow> {
  const path: Value[] = [];
  let expectArray = false;
  for (const [i, s] of parsed.entries()) {
    const v = yield* evalScalar(frame, s, "subscript");
    if (i === 0) expectArray = v.type === Oid.int4 || v.type === Oid.int8 || v.type === Oid.int2;
    path.push(v.value === null ? null : frame.host.text(v.value, v.type));
  }
  const json = value.value === null || value.type === Oid.jsonb ? value.value
    : frame.host.cast(value.value, value.type, Oid.jsonb, -1);
  frame.assign(varno, jsonbSubscriptAssign(frame.values[varno] ?? null, path, expectArray,
    json), Oid.jsonb);
  return undefined;
}

function* execCase(frame: Frame, stmt: StmtOf<"case">): Step<Flow> {
  if (stmt.test !== undefined) {
    const v = yield* evalExpr(frame, stmt.test);
    frame.values[stmt.testVar] = v.value;
    frame.types[stmt.testVar] = v.type;
  }
  for (const when of stmt.whens) {
    if (yield* evalBool(frame, when.cond)) return yield* execList(frame, when.body);
  }
  if (stmt.otherwise !== undefined) return yield* execList(frame, stmt.otherwise);
  throw new SqlError("20000", "case not found",
    { hint: "CASE statement is missing ELSE part." });
}

/** Runs `body` until it leaves; EXIT and CONTINUE without a label or with `label` stay here. */
export function* loop(frame: Frame, label: string | undefined, body: () => Step<Flow>,
  more: () => Step<boolean> = function* () { return true; }): Step<Flow> {
  while (yield* more()) {
    if (++sincePause >= statementsPerPause) yield* breathe(frame);
    const flow = yield* body();
    if (flow === undefined) continue;
    if (flow.kind === "return") return flow;
    const own = flow.label === undefined || flow.label === label;
    if (!own) return flow;
    if (flow.kind === "exit") return undefined;
  }
  return undefined;
}

function* execWhile(frame: Frame, stmt: StmtOf<"while">): Step<Flow> {
  return yield* loop(frame, stmt.label, function* () {
    return yield* execList(frame, stmt.body);
  }, function* () {
    return yield* evalBool(frame, stmt.cond);
  });
}

function* bound(frame: Frame, expr: StmtOf<"fori">["lower"], what: string): Step<number> {
  const v = yield* evalExpr(frame, expr);
  if (v.value === null) {
    throw new SqlError(SqlState.nullValueNotAllowed, `${what} of FOR loop cannot be null`);
  }
  return Number(frame.host.cast(v.value, v.type, Oid.int4, -1));
}

function* execFori(frame: Frame, stmt: StmtOf<"fori">): Step<Flow> {
  const lower = yield* bound(frame, stmt.lower, "lower bound");
  const upper = yield* bound(frame, stmt.upper, "upper bound");
  const step = stmt.step === undefined ? 1 : yield* bound(frame, stmt.step, "BY value");
  if (step <= 0) {
    throw new SqlError(SqlState.invalidParameterValue,
      "BY value of FOR loop must be greater than zero");
  }
  let i = lower;
  let found = false;
  const flow = yield* loop(frame, stmt.label, function* () {
    frame.values[stmt.varno] = i;
    found = true;
    const result = yield* execList(frame, stmt.body);
    i = stmt.reverse ? i - step : i + step;
    return result;
  }, function* () {
    return stmt.reverse ? i >= upper : i <= upper;
  });
  frame.setFound(found);
  return flow;
}

function* execForeach(frame: Frame, stmt: StmtOf<"foreach">): Step<Flow> {
  const array = yield* evalExpr(frame, stmt.expr);
  if (array.value === null) {
    throw new SqlError(SqlState.nullValueNotAllowed, "FOREACH expression must not be null");
  }
  const value = array.value as { kind?: string; items?: readonly Value[]; elementType?: number };
  if (value.kind !== "array") {
    throw new SqlError(SqlState.datatypeMismatch, "FOREACH expression must yield an array, " +
      `not type ${formatTypeName(array.type, -1)}`);
  }
  if (stmt.slice > 0 && !frame.isRecord(stmt.varno) &&
    typeInfo(frame.types[stmt.varno]!).category !== "A") {
    throw new SqlError(SqlState.datatypeMismatch,
      "FOREACH ... SLICE loop variable must be of an array type");
  }
  const items = value.items ?? [];
  const elementType = value.elementType ?? Oid.unknown;
  const next = stmt.slice === 0 ? undefined : slicer(value as PgArray, stmt.slice);
  let at = 0;
  return yield* loop(frame, stmt.label, function* () {
    const item: Typed = next !== undefined ? next(at++)
      : { value: items[at++] ?? null, type: elementType };
    frame.assign(stmt.varno, item.value, item.type);
    return yield* execList(frame, stmt.body);
  }, function* () {
    return next === undefined ? at < items.length
      : at * sliceSize(value as PgArray, stmt.slice) < items.length;
  });
}

/** Items in one slice of `slice` trailing dimensions. */
function sliceSize(array: PgArray, slice: number): number {
  return array.dims.slice(array.dims.length - slice).reduce((a, b) => a * b, 1);
}

/**
 * FOREACH … SLICE n: the n-dimensional slices of `array`, in order, each an array with
 * lower bounds 1 (the loop variable must be of an array type).
 */
function slicer(array: PgArray, slice: number): (n: number) => Typed {
  if (slice < 0 || slice > array.dims.length) {
    throw new SqlError(SqlState.arraySubscriptError,
      `slice dimension (${slice}) is out of the valid range 0..${array.dims.length}`);
  }
  const type = arrayTypeOf(array.elementType)?.oid ?? Oid.unknown;
  const size = sliceSize(array, slice);
  const dims = array.dims.slice(array.dims.length - slice);
  return (n) => ({ type, value: { kind: "array", elementType: array.elementType, dims,
    lowerBounds: dims.map(() => 1), items: array.items.slice(n * size, (n + 1) * size) } });
}

export { paramsOf };
