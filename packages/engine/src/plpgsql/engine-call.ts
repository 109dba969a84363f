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
import { baseTypeOf } from "../catalog/domains.js";
import type { Engine } from "../engine.js";
import type { DeclaredParam } from "./frame.js";
import { callFunction, plFunctionOf, shapeOf, type CallOutcome } from "./call.js";
import { setCallRunner, type CallTypes } from "./call-expr.js";
import { runSync } from "./drive.js";
import { EngineHost, runtimeOf } from "./engine-host.js";
import type { ResultShape } from "./host.js";
import type { PlFunction } from "./tree.js";
import { concreteType, type PolyBinding } from "./polymorphic.js";

/** How deep PL/pgSQL calls may nest before 54001, as max_stack_depth stops PostgreSQL. */
const callDepthMax = 200;
let callDepth = 0;

/** `f(integer)`, as CONTEXT lines name a function. */
export function plSignature(fn: SqlFunction): string {
  return `${fn.name}(${fn.argTypes.map((t) => formatTypeName(t, -1)).join(", ")})`;
}

/** Runs `fn` on `values` inside the statement whose EvalContext is `ctx`. */
function invoke(fn: SqlFunction, values: Value[], ctx: EvalLike, types: CallTypes):
  CallOutcome {
  const binding = types.binding;
  const bound = runtimeOf(ctx);
  if (bound === undefined) throw notSupported(`calling PL/pgSQL function ${fn.name} here`);
  if (callDepth >= callDepthMax) {
    throw new SqlError("54001", "stack depth limit exceeded", {
      hint: "Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), " +
        "after ensuring the platform's stack depth limit is adequate." });
  }
  const { engine, rt } = bound;
  const rel = rowTypeRelation(engine.catalog, fn.returnType);
  const shape = boundShape(shapeOf(fn, types.recordColumns ??
    (rel === undefined ? compositeAttributes(fn.returnType) : rowTypeColumns(rel))), binding);
  const host = new EngineHost(engine, rt, fn.volatility);
  callDepth++;
  try {
    const pl = plFunctionOf(fn, () => plSignature(fn));
    const params = paramDatums(engine, fn, pl, binding);
    return runSync(callFunction(pl, host, shape, values, (frame) => frame.bindParams(params)));
  } finally {
    callDepth--;
  }
}

/**
 * The declared types of `fn`'s parameters and result variable (`$0`) for this call, by datum
 * (parameters are a body's first datums, in order), polymorphic ones bound.
 */
function paramDatums(engine: Engine, fn: SqlFunction, pl: PlFunction,
  binding: PolyBinding | undefined): Map<number, DeclaredParam> {
  const out = new Map<number, DeclaredParam>();
  const params = fn.plpgsql?.inArgs.length ?? 0;
  pl.datums.forEach((d, n) => {
    if (d.kind !== "var" && d.kind !== "rec") return;
    const arg = pl.argVarnos.indexOf(n);
    const outColumn = fn.outColumns.find((c) => c.name === d.name);
    const declared = arg >= 0 ? fn.argTypes[arg]!
      : n < params ? outColumn?.type ?? fn.returnType
      : d.name === "$0" ? fn.returnType : undefined;
    if (declared === undefined) return;
    const type = concreteType(declared, binding);
    const base = baseTypeOf(type).type;
    const rel = rowTypeRelation(engine.catalog, base);
    out.set(n, { type, domain: base !== type,
      columns: rel === undefined ? compositeAttributes(base) : rowTypeColumns(rel) });
  });
  return out;
}

/** A polymorphic function's result shape with the call's concrete types. */
function boundShape(shape: ResultShape, binding: PolyBinding | undefined): ResultShape {
  if (binding === undefined) return shape;
  return { ...shape, type: concreteType(shape.type, binding),
    columns: shape.columns?.map((c) => ({ ...c, type: concreteType(c.type, binding) })) };
}

setCallRunner(invoke);
