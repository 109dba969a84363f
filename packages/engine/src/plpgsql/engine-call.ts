/**
 * Runs PL/pgSQL calls made by queries in the engine: the call's EvalContext leads to the
 * running statement (`engine-host.ts`), the interpreter runs synchronously inside it.
 * Importing this module installs the runner into `call-expr.ts`.
 */
import { SqlError, notSupported } from "@tessera/base";
import type { Value } from "@tessera/sql";
import type { EvalLike } from "../analyze/expr.js";
import { rowTypeColumns, rowTypeRelation } from "../catalog/row-types.js";
import { compositeAttributes } from "../catalog/composite-types.js";
import type { SqlFunction } from "../catalog/sql-functions.js";
import { formatTypeName } from "../catalog/types.js";
import { callFunction, plFunctionOf, shapeOf, type CallOutcome } from "./call.js";
import { setCallRunner } from "./call-expr.js";
import { runSync } from "./drive.js";
import { EngineHost, runtimeOf } from "./engine-host.js";

/** How deep PL/pgSQL calls may nest before 54001, as max_stack_depth stops PostgreSQL. */
const callDepthMax = 200;
let callDepth = 0;

/** `f(integer)`, as CONTEXT lines name a function. */
export function plSignature(fn: SqlFunction): string {
  return `${fn.name}(${fn.argTypes.map((t) => formatTypeName(t, -1)).join(", ")})`;
}

/** Runs `fn` on `values` inside the statement whose EvalContext is `ctx`. */
function invoke(fn: SqlFunction, values: Value[], ctx: EvalLike): CallOutcome {
  const bound = runtimeOf(ctx);
  if (bound === undefined) throw notSupported(`calling PL/pgSQL function ${fn.name} here`);
  if (callDepth >= callDepthMax) {
    throw new SqlError("54001", "stack depth limit exceeded", {
      hint: "Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), " +
        "after ensuring the platform's stack depth limit is adequate." });
  }
  const { engine, rt } = bound;
  const rel = rowTypeRelation(engine.catalog, fn.returnType);
  const shape = shapeOf(fn,
    rel === undefined ? compositeAttributes(fn.returnType) : rowTypeColumns(rel));
  const host = new EngineHost(engine, rt, fn.volatility);
  callDepth++;
  try {
    return runSync(callFunction(plFunctionOf(fn, () => plSignature(fn)), host, shape, values));
  } finally {
    callDepth--;
  }
}

setCallRunner(invoke);
