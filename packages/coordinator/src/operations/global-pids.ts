/**
 * Global process ids (Citus 11+, `backend_data.c`): one number names a session anywhere in
 * the cluster, the node id times 10^10 plus the backend's pid.
 *
 *   citus_calculate_gpid(nodeid int4, pid int4) → int8    nodeid * 10000000000 + pid
 *   citus_nodeid_for_gpid(gpid int8) → int4                gpid / 10000000000
 *   citus_pid_for_gpid(gpid int8) → int4                   gpid % 10000000000
 *   citus_backend_gpid() → int8                            this session's gpid
 *
 * The coordinator's node id is its pg_dist_node row (group 0, citus_set_coordinator_host);
 * a node that has no row uses Citus's 99999999, GLOBAL_PID_NODE_ID_FOR_NODES_NOT_IN_METADATA.
 * Example: backend 4242 of node 2 is 20000004242.
 */
import { SqlError, SqlState } from "@tessera/base";
import { TypeOid, type FunctionDef, type Value } from "@tessera/sql";
import type { Cluster } from "../cluster.js";

const nodeIdMultiplier = 10_000_000_000n;
/** Citus's node id for a node that has no pg_dist_node row. */
export const nodeIdNotInMetadata = 99_999_999;

/** nodeid * 10^10 + pid, as citus_calculate_gpid. */
export function calculateGpid(nodeId: number, pid: number): bigint {
  return BigInt(nodeId) * nodeIdMultiplier + BigInt(pid);
}

/** The coordinator's node id: its group 0 row, or Citus's id for nodes not in metadata. */
export function coordinatorNodeId(cluster: Cluster): number {
  return cluster.registry.list().find((n) => n.groupid === 0)?.nodeid ?? nodeIdNotInMetadata;
}

/** The gpid functions, registered in the coordinator's engine. */
export function globalPidFunctions(cluster: Cluster): FunctionDef[] {
  return [{
    kind: "scalar", name: "citus_calculate_gpid", volatility: "i", strict: true,
    argTypes: [TypeOid.int4, TypeOid.int4], argNames: ["nodeid", "pid"],
    returnType: TypeOid.int8,
    impl: (args: Value[]): Value => calculateGpid(Number(args[0]), Number(args[1])),
  }, {
    kind: "scalar", name: "citus_nodeid_for_gpid", volatility: "i", strict: true,
    argTypes: [TypeOid.int8], argNames: ["global_pid"], returnType: TypeOid.int4,
    impl: (args: Value[]): Value => Number(gpidOf(args[0]) / nodeIdMultiplier),
  }, {
    kind: "scalar", name: "citus_pid_for_gpid", volatility: "i", strict: true,
    argTypes: [TypeOid.int8], argNames: ["global_pid"], returnType: TypeOid.int4,
    impl: (args: Value[]): Value => Number(gpidOf(args[0]) % nodeIdMultiplier),
  }, {
    kind: "scalar", name: "citus_backend_gpid", volatility: "s", strict: false,
    argTypes: [], returnType: TypeOid.int8,
    impl: (_args, ctx): Value => calculateGpid(coordinatorNodeId(cluster), ctx.backendPid ?? 0),
  }];
}

function gpidOf(value: Value | undefined): bigint {
  const gpid = BigInt(value as bigint | number);
  if (gpid < 0n) {
    throw new SqlError(SqlState.invalidParameterValue, "global pid cannot be negative");
  }
  return gpid;
}
