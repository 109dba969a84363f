/**
 * The coordinator daemon: the worker's engine and protocol server, plus the cluster's
 * metadata (the node registry) and the Citus functions that act on it. The distributed
 * planner and executor hang off this engine as the distributed-tables issue lands.
 */
import type { Logger } from "@tessera/base";
import { Engine } from "@tessera/engine";
import { startDaemon, type Daemon, type DaemonConfig } from "@tessera/worker";
import { NodeRegistry } from "./metadata/node-registry.js";
import { nodeFunctions } from "./operations/node-functions.js";
import { addCitusCatalogs } from "./metadata/system-tables.js";

export function startCoordinator(config: DaemonConfig, logger: Logger): Promise<Daemon> {
  return startDaemon(config, {
    role: "coordinator",
    makeEngine: async ({ logger: log }) => {
      const registry = NodeRegistry.open(config.dataDir);
      const engine = Engine.create({ logger: log });
      for (const def of nodeFunctions(registry)) engine.registerFunction(def);
      addCitusCatalogs(engine, registry);
      return engine;
    },
  }, logger);
}
