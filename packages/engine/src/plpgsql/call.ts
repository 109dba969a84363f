/**
 * Calling PL/pgSQL: a function of `catalog/sql-functions.ts` with language plpgsql, or a DO
 * block. The body is parsed once per function (`parse-tree.ts`) and run by the interpreter
 * with a host (`host.ts`): the engine's for calls inside a statement. `callFunction` is the
 * host-independent entry a coordinator would drive with `runAsync` and a distributed host.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "@tessera/sql";
import type { SqlFunction } from "../catalog/sql-functions.js";
import { Oid } from "../catalog/types.js";
import type { Step } from "./drive.js";
import { Frame, type Typed } from "./frame.js";
import type { PlHost, QueryColumn, ResultShape } from "./host.js";
import { execList } from "./interpreter.js";
import { addWhere } from "./sql-statements.js";
import { parseFunction } from "./parse-tree.js";
import {
  enterFunctionSettings, needsAtomicCall, noteFunctionSettings,
} from "./function-settings.js";
import type { PlFunction } from "./tree.js";
import { runsAsCall, sqlFunctionAsBlock } from "./sql-function-block.js";

/** What a call gives back: the value, or the rows of a set-returning function. */
export interface CallOutcome {
  readonly value: Value;
  readonly rows: readonly Value[][];
}

/** Runs `fn` with `args` (already of the argument types) on `host`. */
export function* callFunction(fn: PlFunction, host: PlHost, shape: ResultShape,
  args: readonly Value[], setup?: (frame: Frame) => void): Step<CallOutcome> {
  const frame = new Frame(fn, needsAtomicCall(fn) ? atomicHost(host) : host, shape);
  fn.argVarnos.forEach((n, i) => {
    frame.values[n] = args[i] ?? null;
  });
  setup?.(frame);
  const leave = enterFunctionSettings(fn, host);
  try {
    yield* execList(frame, [fn.body]);
  } finally {
    leave?.();
  }
  if (!shape.setOf && !frame.returned && shape.type !== Oid.void) {
    if (fn.outVarno === undefined) {
      throw addWhere(new SqlError("2F005", "control reached end of function without RETURN"),
        `PL/pgSQL function ${fn.signature}`);
    }
    frame.returnValue = frame.read(fn.outVarno).value;
  }
  // A void result prints as an empty string, as PostgreSQL's void_out; a SQL function's is
  // NULL, as fmgr_sql returns it.
  const voidValue = sqlBodies.has(fn) ? null : "";
  return { value: shape.type === Oid.void ? voidValue : frame.returnValue,
    rows: frame.results };
}

/**
 * `host` where COMMIT and ROLLBACK are refused: a call with SET clauses or SECURITY DEFINER
 * (PostgreSQL's ExecuteCallStmt makes its context atomic), and the calls made inside it.
 */
function atomicHost(host: PlHost): PlHost {
  return Object.create(host, { atomic: { value: () => true } }) as PlHost;
}

/**
 * Runs procedure `fn` with `args` (its input parameters' values) on `host`; returns the
 * final values of the parameters at `outs` (its OUT and INOUT ones, as datums: parameters
 * are a body's first datums, in order), which CALL returns or writes back.
 */
export function* callProcedure(fn: PlFunction, host: PlHost, args: readonly Value[],
  outs: readonly number[]): Step<Typed[]> {
  let frame: Frame | undefined;
  yield* callFunction(fn, host, { setOf: false, type: Oid.void, columns: undefined }, args,
    (f) => { frame = f; });
  return outs.map((n) => frame!.read(n));
}

const parsed = new WeakMap<SqlFunction, PlFunction>();
/** LANGUAGE sql functions running as calls (`sql-function-block.ts`). */
const sqlBodies = new WeakSet<PlFunction>();

/** The interpreter's tree of a PL/pgSQL function, parsed on its first call. */
export function plFunctionOf(fn: SqlFunction, signature: () => string): PlFunction {
  let found = parsed.get(fn);
  if (found === undefined) {
    const plpgsql = fn.plpgsql ?? (runsAsCall(fn) ? sqlFunctionAsBlock(fn) : undefined);
    if (plpgsql === undefined) {
      throw new SqlError(SqlState.internalError, `function ${fn.name} is not PL/pgSQL`);
    }
    found = parseFunction(plpgsql.createSql, signature(), fn.name, plpgsql.inArgs);
    parsed.set(fn, found);
    if (fn.plpgsql === undefined) sqlBodies.add(found);
    noteFunctionSettings(found, fn);
  }
  return found;
}

/** pg_type "trigger". */
const triggerTypeOid = 2279;

/** The result shape of a function: its OUT or TABLE columns, or a row type's columns. */
export function shapeOf(fn: SqlFunction, rowColumns: readonly QueryColumn[] | undefined):
  ResultShape {
  // Every call but a trigger's (`triggers.ts`, which makes its own shape) asks for a shape.
  if (fn.returnType === triggerTypeOid) {
    throw new SqlError(SqlState.featureNotSupported,
      "trigger functions can only be called as triggers");
  }
  const columns = fn.outColumns.length > 0
    ? fn.outColumns.map((c) => ({ name: c.name, type: c.type })) : rowColumns;
  return { setOf: fn.setOf, type: fn.returnType, columns };
}
