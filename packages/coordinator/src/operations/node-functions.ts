/**
 * The Citus node-management functions, as SQL functions of the coordinator's engine:
 * citus_get_active_worker_nodes / master_get_active_worker_nodes (active workers only);
 * citus_version is every node's (`@tessera/worker`'s citus-functions.ts). The functions that
 * change nodes are in `node-management.ts`.
 */
import { TypeOid, type FunctionDef, type Value } from "@tessera/sql";
import type { NodeRegistry } from "../metadata/node-registry.js";

/** Returns the definitions to register in the coordinator's engine. */
export function nodeFunctions(registry: NodeRegistry): FunctionDef[] {
  const activeWorkers = (name: string): FunctionDef => ({
    kind: "srf",
    name,
    volatility: "v",
    strict: true,
    argTypes: [],
    returnType: TypeOid.record,
    outColumns: [
      { name: "node_name", type: TypeOid.text },
      { name: "node_port", type: TypeOid.int8 },
    ],
    impl: () => registry.activeWorkers().map((n): Value[] => [n.nodename, BigInt(n.nodeport)]),
  });
  return [
    activeWorkers("citus_get_active_worker_nodes"),
    activeWorkers("master_get_active_worker_nodes"),
  ];
}
