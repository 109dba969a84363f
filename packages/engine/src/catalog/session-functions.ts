/**
 * Functions about the session itself, which only the engine can answer: pg_backend_pid(),
 * current_schema() and set_config(). Functions that reach other sessions (pg_cancel_backend) are
 * registered by the daemon, which knows them.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { Value } from "@tessera/sql";
import type { EvalLike } from "../analyze/expr.js";
import { Oid } from "./types.js";
import { registerEngineFunction } from "./builtins.js";
import type { Catalog } from "./catalog.js";
import { isTempSchema } from "./catalog.js";

export function registerSessionFunctions(catalog: Catalog): void {
  registerEngineFunction({
    kind: "scalar", name: "pg_backend_pid", argTypes: [], returnType: Oid.int4,
    volatility: "s", strict: false, impl: (_args, ctx) => ctx.backendPid ?? 0,
  });
  // The first schema of search_path that exists, as the CURRENT_SCHEMA keyword gives.
  registerEngineFunction({
    kind: "scalar", name: "current_schema", argTypes: [], returnType: Oid.name,
    volatility: "s", strict: false, impl: (_args, ctx) => {
      const setting = ctx.setting("search_path");
      const path = catalog.searchPath(setting, ctx.user, ctx.backendPid ?? 0);
      return path.find((s) => s !== "pg_catalog" && !isTempSchema(s)) ?? null;
    },
  });
  registerEngineFunction({
    kind: "scalar", name: "set_config", argTypes: [Oid.text, Oid.text, Oid.bool],
    returnType: Oid.text, volatility: "v", strict: false, impl: setConfig,
  });
}

/** set_config(name, value, is_local): SET [LOCAL] as a function. */
function setConfig(args: Value[], ctx: EvalLike): Value {
  const [name, value, local] = args;
  if (name === null || name === undefined) {
    throw new SqlError(SqlState.nullValueNotAllowed, "SET requires parameter name");
  }
  if (ctx.setSetting === undefined) throw notSupported("set_config() outside a session");
  return ctx.setSetting(name as string, (value ?? "") as string, local === true);
}
