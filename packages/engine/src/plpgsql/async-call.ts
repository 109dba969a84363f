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
  const shape = shapeOf(fn, rel === undefined ? undefined : rowTypeColumns(rel));
  const outcome = await runAsync(callFunction(plFunctionOf(fn, plSignature(fn)),
    asyncHost(engine, ctx, query), shape, args));
  return outcome.value;
}
