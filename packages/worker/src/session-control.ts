/**
 * SQL functions that act on other sessions of this daemon: pg_cancel_backend(pid). A pid that
 * is not one of ours gives false (Postgres also warns; functions cannot send notices yet).
 */
import { TypeOid, type FunctionDef, type Value } from "@tessera/sql";
import type { SessionRegistry } from "./session-bridge.js";

export function sessionControlFunctions(sessions: SessionRegistry): FunctionDef[] {
  return [{
    kind: "scalar", name: "pg_cancel_backend", argTypes: [TypeOid.int4],
    returnType: TypeOid.bool, volatility: "v", strict: true,
    impl: (args: Value[]) => sessions.cancel(Number(args[0])),
  }];
}
