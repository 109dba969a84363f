export {
  startDaemon, type Daemon, type DaemonParts, type DaemonEngines, type EngineContext,
} from "./daemon.js";
export {
  DaemonMetrics, commandOfTag, type StatementKind, type StatementKindSource,
} from "./metrics.js";
export {
  configFromEnv, configFromFile, resolveConfig, parseUsers, parseBytes, type DaemonConfig,
  type ConfigInput,
} from "./config.js";
export { clusterUser, authConfigOf } from "./cluster-auth.js";
export { DataDirectoryLock, lockFileName } from "./data-dir.js";
export { SessionRegistry, openBridgedSession, type BridgeContext } from "./session-bridge.js";
export { BackendActivities, type BackendActivity } from "./backend-activity.js";
export { startWorker } from "./worker.js";
export { checkConnection, connectionCheckFunction, peerCredentials, type ConnectionWarning,
  type Credentials } from "./connection-check.js";
export { adjustNodeClock, clockText, clusterClockOid, nextNodeClock } from "./cluster-clock.js";
