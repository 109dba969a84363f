export { assert, assertNever, AssertionError } from "./assert.js";
export * as limits from "./limits.js";
export { SqlState, type SqlStateCode } from "./sqlstate.js";
export {
  SqlError,
  notSupported,
  isSqlError,
  type SqlErrorFields,
  type Severity,
} from "./sql-error.js";
export {
  oid,
  xid,
  nodeId,
  shardId,
  lsn,
  type Oid,
  type Xid,
  type NodeId,
  type ShardId,
  type Lsn,
} from "./ids.js";
export {
  createLogger,
  silentLogger,
  type Logger,
  type LogLevel,
  type LoggerOptions,
} from "./logger.js";
export {
  onProgress,
  reportProgress,
  throttledProgress,
  type Progress,
  type ProgressListener,
} from "./progress.js";
