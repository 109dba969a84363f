export { startDaemon, type Daemon, type DaemonParts } from "./daemon.js";
export {
  configFromEnv, configFromFile, resolveConfig, parseUsers, type DaemonConfig, type ConfigInput,
} from "./config.js";
export { DataDirectoryLock, lockFileName } from "./data-dir.js";
export { SessionRegistry, openBridgedSession } from "./session-bridge.js";
export { startWorker } from "./worker.js";
