/**
 * PL/pgSQL run by a host that waits: the coordinator's, whose statements on distributed
 * tables go to the workers. The host runs each statement through `query` (a statement of
 * its own: its own transaction outside BEGIN … COMMIT); types, casts and output come from
 * the local engine. EXCEPTION blocks are refused (0A000): there is no subtransaction across
 * the nodes to roll back.
 */
import { notSupported } from "@tessera/base";
import type { ast, Value } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import { rowTypeColumns, rowTypeRelation } from "../catalog/row-types.js";
import { compositeAttributes } from "../catalog/composite-types.js";
import type { SqlFunction } from "../catalog/sql-functions.js";
import { Oid } from "../catalog/types.js";
import type { Engine } from "../engine.js";
import { callFunction, plFunctionOf, shapeOf } from "./call.js";
import { doBlockBody, inlineName } from "./do-block.js";
import { runAsync } from "./drive.js";
import { plSignature } from "./engine-call.js";
import { EngineHost } from "./engine-host.js";
import type { PlHost, QueryRequest, QueryResult } from "./host.js";
import { parseFunction } from "./parse-tree.js";
import { parsedExpr } from "./expressions.js";
import type { PlExpr } from "./tree.js";
import { createFunctionText } from "./source-text.js";

export type RunQuery = (request: QueryRequest) => Promise<QueryResult>;

function asyncHost(engine: Engine, ctx: StatementContext, query: RunQuery): PlHost {
  const local = new EngineHost(engine, engine.runtime([], ctx), "v");
  const refuse = (): never => {
    throw notSupported("EXCEPTION blocks in PL/pgSQL that runs distributed statements");
  };
  return {
    query,
    beginSubtransaction: refuse, rollbackSubtransaction: refuse, releaseSubtransaction: refuse,
    notice: (notice) => ctx.notice(notice),
    cast: (value, from, to, typmod) => local.cast(value, from, to, typmod),
    text: (value, type) => local.text(value, type),
    resolveType: (typeName) => local.resolveType(typeName),
    typeScope: () => local.typeScope(),
    signal: ctx.signal,
  };
}

/** Runs a DO block with `query` running its statements. */
export async function runDoAsync(engine: Engine, stmt: ast.DoStmt, ctx: StatementContext,
  query: RunQuery): Promise<void> {
  const fn = parseFunction(createFunctionText(inlineName, [], "void", doBlockBody(stmt)),
    inlineName, inlineName, []);
  await runAsync(callFunction(fn, asyncHost(engine, ctx, query),
    { setOf: false, type: Oid.void, columns: undefined }, []));
}

/** Calls a scalar PL/pgSQL function with `args` (of its argument types). */
export async function callPlpgsqlAsync(engine: Engine, fn: SqlFunction, args: readonly Value[],
  ctx: StatementContext, query: RunQuery): Promise<Value> {
  if (fn.strict && args.some((a) => a === null)) return null;
  const rel = rowTypeRelation(engine.catalog, fn.returnType);
  const shape = shapeOf(fn,
    rel === undefined ? compositeAttributes(fn.returnType) : rowTypeColumns(rel));
  const outcome = await runAsync(callFunction(plFunctionOf(fn, () => plSignature(fn)),
    asyncHost(engine, ctx, query), shape, args));
  return outcome.value;
}

/** Every expression and statement a tree holds, in order (not EXECUTE's strings). */
function exprsOf(value: unknown, out: PlExpr[]): PlExpr[] {
  if (Array.isArray(value)) {
    for (const item of value) exprsOf(item, out);
  } else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record["query"] === "string" && typeof record["mode"] === "number") {
      out.push(record as unknown as PlExpr);
      return out;
    }
    for (const [key, inner] of Object.entries(record)) if (key !== "scope") exprsOf(inner, out);
  }
  return out;
}

/**
 * The SQL a DO block runs as written (its statements and expressions, not what EXECUTE
 * builds), for a host that routes statements before running them: the coordinator sends a
 * block naming a distributed table to its distributed planner at once.
 */
export function doBlockStatements(stmt: ast.DoStmt): ast.Node[] {
  const fn = parseFunction(createFunctionText(inlineName, [], "void", doBlockBody(stmt)),
    inlineName, inlineName, []);
  const isRecord = (n: number): boolean => fn.datums[n]?.kind !== "var";
  const out: ast.Node[] = [];
  for (const expr of exprsOf(fn.body, [])) {
    try {
      out.push(parsedExpr(expr, isRecord).stmt);
    } catch {
      // A text that does not parse fails when run, with the error the user should see.
    }
  }
  return out;
}
