/**
 * Citus's node-management functions that change pg_dist_node (`citus-surface.md` §3.3):
 * citus_add_node / master_add_node, citus_remove_node / master_remove_node,
 * citus_disable_node, citus_activate_node / master_activate_node,
 * citus_set_coordinator_host and citus_set_node_property. The ones that touch placements
 * are asynchronous (`implAsync`); the placement work is in `node-placements.ts`.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { TypeOid, type FunctionDef, type ScalarFunction, type Value } from "@tessera/sql";
import { citusSetting, type Cluster } from "../cluster.js";
import { compareNodes } from "../metadata/placement.js";
import type { DistNode } from "../metadata/node-registry.js";
import {
  checkRemovable, dropGroupPlacements, dropShardTables, replicateReferenceTables,
} from "./node-placements.js";
import { schemasToNewNode } from "./schema-propagation.js";
import { typesAndFunctionsToNewNode } from "./type-function-propagation.js";
import { contextOf } from "./statement-contexts.js";

type AsyncImpl = (args: Value[], ctx: StatementContext) => Promise<Value>;

const mustAwait = (): Value => {
  throw new SqlError(SqlState.internalError, "this function must be awaited");
};

/** A volatile function of (nodename text, nodeport int, …) run as an awaited call. */
function nodeFunction(name: string, extra: Pick<ScalarFunction, "argTypes" | "argNames">
  & Partial<Pick<ScalarFunction, "defaultCount" | "defaults" | "returnType" | "strict">>,
impl: AsyncImpl): ScalarFunction {
  return {
    kind: "scalar", name, volatility: "v", strict: true, returnType: TypeOid.void,
    ...extra, impl: mustAwait,
    implAsync: (args, ctx) => impl(args, contextOf(ctx)),
  };
}

const address = { argTypes: [TypeOid.text, TypeOid.int4], argNames: ["nodename", "nodeport"] };

/** Returns the definitions to register in the coordinator's engine. */
export function nodeManagementFunctions(cluster: Cluster): FunctionDef[] {
  const registry = cluster.registry;
  const nodeOf = (args: Value[]): DistNode => registry.get(String(args[0]), Number(args[1]));
  const add: AsyncImpl = async (args, ctx) => {
    const known = registry.list().map((n) => n.nodeid);
    const nodeid = registry.add(String(args[0]), Number(args[1]));
    const node = registry.list().find((n) => n.nodeid === nodeid)!;
    if (node.isactive && node.noderole === "primary") {
      await schemasToNewNode(cluster, { host: node.nodename, port: node.nodeport,
        groupid: node.groupid }, ctx);
    }
    // A node registering again (a restarted worker) keeps the types it was sent before.
    if (node.isactive && node.noderole === "primary" && !known.includes(nodeid)) {
      await typesAndFunctionsToNewNode(cluster, { host: node.nodename, port: node.nodeport,
        groupid: node.groupid }, ctx);
    }
    await replicateReferenceTables(cluster, node, ctx);
    return nodeid;
  };
  const remove: AsyncImpl = async (args) => {
    const node = nodeOf(args);
    checkRemovable(cluster, node);
    const names = dropGroupPlacements(cluster, node);
    registry.remove(node.nodeid);
    await dropShardTables(cluster, node, names);
    return null;
  };
  const activate: AsyncImpl = async (args, ctx) => {
    const node = registry.update(nodeOf(args).nodeid, { isactive: true, metadatasynced: true });
    await replicateReferenceTables(cluster, node, ctx);
    return node.nodeid;
  };
  const addArgs = {
    argTypes: [TypeOid.text, TypeOid.int4, TypeOid.int4, TypeOid.text, TypeOid.name],
    argNames: ["nodename", "nodeport", "groupid", "noderole", "nodecluster"],
    defaultCount: 3, defaults: [-1, "primary", "default"], returnType: TypeOid.int4,
  };
  return [
    nodeFunction("citus_add_node", addArgs, add),
    nodeFunction("master_add_node", addArgs, add),
    nodeFunction("citus_remove_node", address, remove),
    nodeFunction("master_remove_node", address, remove),
    nodeFunction("citus_disable_node", {
      argTypes: [...address.argTypes, TypeOid.bool],
      argNames: [...address.argNames, "synchronous"], defaultCount: 1, defaults: [false],
    }, (args) => Promise.resolve(disableNode(cluster, nodeOf(args), args[2] === true))),
    nodeFunction("citus_activate_node", { ...address, returnType: TypeOid.int4 }, activate),
    nodeFunction("master_activate_node", { ...address, returnType: TypeOid.int4 }, activate),
    nodeFunction("citus_set_coordinator_host", {
      argTypes: [TypeOid.text, TypeOid.int4, TypeOid.text, TypeOid.name],
      argNames: ["host", "port", "node_role", "node_cluster"], defaultCount: 3,
      defaults: [null, "primary", "default"], strict: false,
    }, (args, ctx) => {
      if (args[0] === null) return Promise.resolve(null);
      const port = args[1] ?? Number(citusSetting(ctx, "port", "5432"));
      registry.setCoordinator(String(args[0]), Number(port));
      return Promise.resolve(null);
    }),
    nodeFunction("citus_set_node_property", {
      argTypes: [...address.argTypes, TypeOid.text, TypeOid.bool],
      argNames: [...address.argNames, "property", "value"],
    }, (args) => {
      if (String(args[2]).toLowerCase() !== "shouldhaveshards") {
        throw new SqlError(SqlState.internalError,
          "only the 'shouldhaveshards' property can be set using this function");
      }
      registry.update(nodeOf(args).nodeid, { shouldhaveshards: args[3] === true });
      return Promise.resolve(null);
    }),
  ];
}

/** citus_disable_node: the first-worker rule, the only-placement check, then isactive false. */
function disableNode(cluster: Cluster, node: DistNode, synchronous: boolean): Value {
  const first = cluster.registry.activeWorkers().sort(compareNodes)[0];
  if (first?.nodeid === node.nodeid && !synchronous) {
    throw new SqlError(SqlState.objectNotInPrerequisiteState,
      "disabling the first worker node in the metadata is not allowed", {
        detail: "Citus uses the first worker node in the metadata for certain internal " +
          "operations when replicated tables are modified. Synchronous mode ensures that all " +
          "nodes have the same view of the first worker node, which is used for certain " +
          "locking operations.",
        hint: "You can force disabling node, SELECT citus_disable_node('" +
          `${node.nodename}', ${node.nodeport}, synchronous:=true);`,
      });
  }
  checkRemovable(cluster, node);
  dropGroupPlacements(cluster, node);
  cluster.registry.update(node.nodeid, { isactive: false });
  return null;
}
