/**
 * The node side of distributed deadlock detection: SQL functions the coordinator's
 * maintenance loop calls over its connections (coordinator/src/operations/
 * distributed-deadlocks.ts).
 *
 *   tessera_local_wait_edges()   one row per transaction of this node waiting for another:
 *       waiting_pid int4, waiting_xid xid, blocking_pid int4 (null: a prepared transaction),
 *       blocking_xid xid, blocking_transaction_waiting bool
 *   tessera_cancel_waiting_backend(pid int4) → bool
 *       cancels the statement of backend `pid` only while its transaction waits for a lock
 *       (57014 in that session); false when it does not wait (any more)
 *
 * Citus's `dump_local_wait_edges()` gives the same edges named by distributed transaction
 * ids (node id, transaction number, stamp) that its coordinator assigns on every node with
 * `assign_distributed_transaction_id`. Tessera's nodes know no such ids, so the function has
 * an internal name and reports backend pids: the coordinator knows which of its transaction
 * blocks holds which backend of each node.
 */
import type { Engine } from "@tessera/engine";
import { TypeOid, type FunctionDef, type Value } from "@tessera/sql";
import type { SessionRegistry } from "./session-bridge.js";

export function waitEdgeFunctions(engine: Engine, sessions: SessionRegistry): FunctionDef[] {
  const manager = engine.txns.manager;
  return [{
    kind: "srf", name: "tessera_local_wait_edges", volatility: "v", strict: false,
    argTypes: [], returnType: TypeOid.record,
    outColumns: [
      { name: "waiting_pid", type: TypeOid.int4 }, { name: "waiting_xid", type: TypeOid.xid },
      { name: "blocking_pid", type: TypeOid.int4 }, { name: "blocking_xid", type: TypeOid.xid },
      { name: "blocking_transaction_waiting", type: TypeOid.bool },
    ],
    impl: (): Value[][] => manager.waitEdges().map((edge) => [
      edge.waitingPid, edge.waitingXid, edge.blockingPid ?? null, edge.blockingXid,
      edge.blockingWaits,
    ]),
  }, {
    kind: "scalar", name: "tessera_cancel_waiting_backend", argTypes: [TypeOid.int4],
    returnType: TypeOid.bool, volatility: "v", strict: true,
    impl: (args: Value[]): Value => {
      const pid = Number(args[0]);
      const waits = manager.waitEdges().some((edge) => edge.waitingPid === pid);
      return waits && sessions.cancel(pid);
    },
  }];
}
