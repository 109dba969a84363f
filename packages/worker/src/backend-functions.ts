/**
 * Functions about the backends of this daemon that only the daemon can answer:
 *
 *   pg_cancel_backend(pid)              cancels the session's running statement (57014)
 *   pg_terminate_backend(pid, timeout)  ends the session with FATAL 57P01; with a positive
 *                                       timeout (ms) waits for it to be gone, else warns
 *   inet_client_addr/port, inet_server_addr/port   the calling session's TCP endpoints;
 *                                       NULL over a Unix socket, as Postgres
 *
 * A pid that is none of this daemon's sessions gives false with Postgres's WARNING
 * `PID %d is not a PostgreSQL backend process`. These replace session-control.ts's
 * pg_cancel_backend, which could not warn.
 */
import { SqlError, SqlState } from "@tessera/base";
import { statementContextOf } from "@tessera/engine";
import { TypeOid, typeOf, defaultFormatContext, type EvalContext, type FunctionDef,
  type Value } from "@tessera/sql";
import type { BackendActivities, BackendIdentity } from "./backend-activity.js";
import type { SessionRegistry } from "./session-bridge.js";

/** How the daemon ends a session: its protocol server's terminate. */
export type TerminateBackend = (pid: number) => boolean;

function warn(ctx: EvalContext, message: string): void {
  statementContextOf(ctx).notice(new SqlError("01000", message, { severity: "WARNING" }));
}

function notBackend(ctx: EvalContext, pid: number): false {
  warn(ctx, `PID ${pid} is not a PostgreSQL backend process`);
  return false;
}

async function waitGone(sessions: SessionRegistry, pid: number, timeoutMs: number,
  signal: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (sessions.get(pid) !== undefined) {
    if (Date.now() >= deadline) return false;
    if (signal.aborted) {
      throw new SqlError(SqlState.queryCanceled, "canceling statement due to user request");
    }
    await new Promise((done) => setTimeout(done, 10));
  }
  return true;
}

function terminateFunction(sessions: SessionRegistry, terminate: TerminateBackend):
  FunctionDef {
  const run = async (args: Value[], ctx: EvalContext): Promise<Value> => {
    const pid = args[0] as number;
    const timeout = args[1] === undefined ? 0n : args[1] as bigint;
    if (timeout < 0n) {
      throw new SqlError(SqlState.numericValueOutOfRange, "\"timeout\" must not be negative");
    }
    if (sessions.get(pid) === undefined || !terminate(pid)) return notBackend(ctx, pid);
    if (timeout === 0n || pid === ctx.backendPid) return true;
    if (await waitGone(sessions, pid, Number(timeout), ctx.signal)) return true;
    warn(ctx, `backend with PID ${pid} did not terminate within ${timeout} milliseconds`);
    return false;
  };
  return {
    kind: "scalar", name: "pg_terminate_backend", argTypes: [TypeOid.int4, TypeOid.int8],
    argNames: ["pid", "timeout"], defaultCount: 1, defaults: [0n],
    returnType: TypeOid.bool, volatility: "v", strict: true,
    impl: () => {
      throw new SqlError(SqlState.internalError, "pg_terminate_backend runs asynchronously");
    },
    implAsync: run,
  };
}

function inetOf(address: string | undefined): Value {
  if (address === undefined || address === "" || address.startsWith("/")) return null;
  const text = address.startsWith("::ffff:") && address.includes(".")
    ? address.slice(7) : address;
  return typeOf(TypeOid.inet).input(text, -1, defaultFormatContext);
}

function endpointFunctions(activities: BackendActivities): FunctionDef[] {
  const fn = (name: string, returnType: number,
    pick: (who: BackendIdentity) => Value): FunctionDef => ({
    kind: "scalar", name, argTypes: [], returnType, volatility: "s", strict: false,
    impl: (_args, ctx) => {
      const who = ctx.backendPid === undefined ? undefined : activities.identity(ctx.backendPid);
      return who === undefined ? null : pick(who);
    },
  });
  return [
    fn("inet_client_addr", TypeOid.inet, (who) => inetOf(who.remoteAddress)),
    fn("inet_client_port", TypeOid.int4, (who) => who.remotePort ?? null),
    fn("inet_server_addr", TypeOid.inet, (who) => inetOf(who.localAddress)),
    fn("inet_server_port", TypeOid.int4, (who) => who.localPort ?? null),
  ];
}

export function backendFunctions(sessions: SessionRegistry, activities: BackendActivities,
  terminate: TerminateBackend): FunctionDef[] {
  return [
    {
      kind: "scalar", name: "pg_cancel_backend", argTypes: [TypeOid.int4],
      returnType: TypeOid.bool, volatility: "v", strict: true,
      impl: (args, ctx) => {
        const pid = args[0] as number;
        return sessions.cancel(pid) ? true : notBackend(ctx, pid);
      },
    },
    terminateFunction(sessions, terminate),
    ...endpointFunctions(activities),
  ];
}
