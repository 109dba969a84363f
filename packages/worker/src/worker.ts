/**
 * The worker daemon: the single-node engine behind the wire protocol. To a worker a shard
 * is an ordinary table; it keeps no distribution metadata.
 */
import type { Logger } from "@tessera/base";
import { Engine } from "@tessera/engine";
import type { DaemonConfig } from "./config.js";
import { startDaemon, type Daemon } from "./daemon.js";

export function startWorker(config: DaemonConfig, logger: Logger): Promise<Daemon> {
  return startDaemon(config, {
    role: "worker",
    makeEngine: async ({ logger: log }) =>
      ({ local: await Engine.open({ logger: log, dataDir: config.dataDir,
        loginRoles: Object.keys(config.users) }) }),
  }, logger);
}
