/**
 * The Citus node-management functions, as SQL functions of the coordinator's engine:
 * citus_get_active_worker_nodes / master_get_active_worker_nodes (active workers only) and
 * citus_version. The functions that change nodes are in `node-management.ts`.
 */
import { TypeOid, type FunctionDef, type Value } from "@tessera/sql";
import type { NodeRegistry } from "../metadata/node-registry.js";

export const citusVersion = "Citus 15.0devel on x86_64-pc-linux-gnu, compiled by Tessera";

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
    {
      kind: "scalar",
      name: "citus_version",
      volatility: "s",
      strict: true,
      argTypes: [],
      returnType: TypeOid.text,
      impl: () => citusVersion,
    },
  ];
}
