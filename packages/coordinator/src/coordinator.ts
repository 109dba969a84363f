/**
 * The coordinator daemon: the worker's engine and protocol server, plus the cluster's
 * metadata (the node registry and the distribution catalogs), the Citus functions that act
 * on them, and the distributed engine in front of the local one.
 */
import { addTimePartitionsView, timePartitionFunctions } from "./operations/time-partitions.js";
import type { Logger } from "@tessera/base";
import { setRemoteCommandLogger } from "./connection/remote-command-log.js";
import { Engine } from "@tessera/engine";
import { clusterUser, startDaemon, type Daemon, type DaemonConfig } from "@tessera/worker";
import type { Cluster } from "./cluster.js";
import { ConnectionPools } from "./connection/pool.js";
import { initHash } from "./metadata/hash.js";
import { MetadataStore } from "./metadata/metadata-store.js";
import { NodeRegistry } from "./metadata/node-registry.js";
import { addCitusCatalogs } from "./metadata/system-tables.js";
import { citusTableFunctions } from "./operations/citus-functions.js";
import { voidResultAsEmpty } from "./operations/void-result.js";
import type { FunctionDef } from "@tessera/sql";
import { distributedFunctionFunctions } from "./operations/distributed-functions.js";
import { nodeFunctions } from "./operations/node-functions.js";
import { nodeManagementFunctions } from "./operations/node-management.js";
import { addUtilityFunctions } from "./operations/utility-prefetch.js";
import { shardSizesFunctionDef, sizeFunctions } from "./operations/shard-sizes.js";
import { shardMovementFunctions } from "./operations/shard-movement-functions.js";
import { addRebalanceStrategyCatalog } from "./operations/rebalance-strategies.js";
import { addBackgroundJobCatalogs } from "./operations/rebalance-jobs.js";
import { DistributedEngine } from "./session/distributed-engine.js";
import { DistTransactionLog } from "./metadata/dist-transaction-log.js";
import { executionStats } from "./executor/execution-stats.js";
import { placementsPerNode } from "./metadata/placements-per-node.js";
import { setUpTransactionRecovery } from "./transaction-recovery/setup.js";

/** citus.max_adaptive_executor_pool_size's default: connections per node. */
const poolSizeMax = 16;

export function startCoordinator(config: DaemonConfig, logger: Logger): Promise<Daemon> {
  return startDaemon(config, {
    role: "coordinator",
    makeEngine: async ({ logger: log, metrics }) => {
      await initHash();
      setRemoteCommandLogger(log);
      const registry = NodeRegistry.open(config.dataDir);
      const metadata = MetadataStore.open(config.dataDir);
      const local = await Engine.open({ logger: log, dataDir: config.dataDir,
        loginRoles: Object.keys(config.users) });
      const [user, password] = config.clusterPassword !== undefined
        ? [clusterUser, config.clusterPassword]
        : Object.entries(config.users)[0] ?? ["postgres", undefined];
      const pools = new ConnectionPools({
        user, ...(password !== undefined && { password }), database: "postgres",
        poolSizeMax, connectTimeoutMs: 30_000, acquireTimeoutMs: 60_000,
      });
      const cluster: Cluster = { local, registry, metadata, pools };
      const register = (def: FunctionDef): void => local.registerFunction(voidResultAsEmpty(def));
      for (const def of nodeFunctions(registry)) register(def);
      for (const def of nodeManagementFunctions(cluster)) register(def);
      for (const def of citusTableFunctions(cluster)) register(def);
      for (const def of timePartitionFunctions(cluster)) register(def);
      for (const def of distributedFunctionFunctions(cluster)) register(def);
      for (const def of sizeFunctions(cluster)) register(def);
      register(shardSizesFunctionDef(cluster));
      for (const def of shardMovementFunctions(cluster)) register(def);
      addUtilityFunctions(local, cluster, config);
      addRebalanceStrategyCatalog(local);
      addBackgroundJobCatalogs(local);
      addCitusCatalogs(local, registry, metadata);
      addTimePartitionsView(local);
      setUpTransactionRecovery(cluster, DistTransactionLog.open(config.dataDir), log);
      const stats = executionStats(cluster);
      metrics.watchTasks(() => stats.taskCounts());
      metrics.watchShards(() => placementsPerNode(cluster));
      return { local, query: new DistributedEngine(cluster), statementKinds: stats };
    },
  }, logger);
}
