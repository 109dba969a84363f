/**
 * Functions about the session itself, which only the engine can answer: pg_backend_pid().
 * Functions that reach other sessions (pg_cancel_backend) are registered by the daemon, which
 * knows them.
 */
import { Oid } from "./types.js";
import { registerEngineFunction } from "./builtins.js";

export function registerSessionFunctions(): void {
  registerEngineFunction({
    kind: "scalar", name: "pg_backend_pid", argTypes: [], returnType: Oid.int4,
    volatility: "s", strict: false, impl: (_args, ctx) => ctx.backendPid ?? 0,
  });
}
