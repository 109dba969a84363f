/**
 * Daemon configuration: one resolved record per process. Values come from command-line
 * flags, then `TESSERA_*` environment variables, then an optional JSON config file, then the
 * defaults here — in that order of precedence.
 */
import { readFileSync } from "node:fs";
import { SqlError, SqlState, limits, type LogLevel } from "@tessera/base";
import { parseCheckpointTimeout, parseMaxWalSize } from "@tessera/engine";

export interface DaemonConfig {
  /** Listen address; "0.0.0.0" or "*" for every interface. */
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly logLevel: LogLevel;
  /** user -> password; empty means trust authentication. */
  readonly users: Readonly<Record<string, string>>;
  readonly tlsCertFile: string | undefined;
  readonly tlsKeyFile: string | undefined;
  readonly maxConnections: number;
  /** HTTP port for /metrics; none when unset. */
  readonly metricsPort: number | undefined;
  /** The password of the internal cluster user the coordinator connects as; none: off. */
  readonly clusterPassword: string | undefined;
  /** Bytes of memory the process may use; a statement that would pass it gets 53200. */
  readonly memoryLimit: number;
  /** max_wal_size in MB: a checkpoint starts once the WAL since the last one passes it. */
  readonly maxWalSize: number;
  /** checkpoint_timeout in seconds: the longest time between checkpoints. */
  readonly checkpointTimeout: number;
}

/** The settings as they may arrive from any source, all optional and untyped strings. */
export type ConfigInput = Partial<Record<keyof DaemonConfig, string | undefined>>;

const envNames: Record<keyof DaemonConfig, string> = {
  host: "TESSERA_HOST",
  port: "TESSERA_PORT",
  dataDir: "TESSERA_DATA_DIR",
  logLevel: "TESSERA_LOG_LEVEL",
  users: "TESSERA_USERS",
  tlsCertFile: "TESSERA_TLS_CERT",
  tlsKeyFile: "TESSERA_TLS_KEY",
  maxConnections: "TESSERA_MAX_CONNECTIONS",
  metricsPort: "TESSERA_METRICS_PORT",
  clusterPassword: "TESSERA_CLUSTER_PASSWORD",
  memoryLimit: "TESSERA_MEMORY_LIMIT",
  maxWalSize: "TESSERA_MAX_WAL_SIZE",
  checkpointTimeout: "TESSERA_CHECKPOINT_TIMEOUT",
};

/** Reads `TESSERA_*` variables into a ConfigInput. */
export function configFromEnv(env: NodeJS.ProcessEnv): ConfigInput {
  const input: ConfigInput = {};
  for (const [key, name] of Object.entries(envNames) as [keyof DaemonConfig, string][]) {
    const value = env[name];
    if (value !== undefined && value !== "") input[key] = value;
  }
  return input;
}

/** Reads a JSON config file: { "port": 5432, "users": { "alice": "secret" }, … }. */
export function configFromFile(path: string): ConfigInput {
  const parsed = JSON.parse(readFileSync(path, "utf8")) as unknown;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`config file ${path} must hold a JSON object`);
  }
  const input: ConfigInput = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(key in envNames)) throw new Error(`config file ${path}: unknown setting "${key}"`);
    if (key === "users" && typeof value === "object" && value !== null) {
      input.users = Object.entries(value as Record<string, unknown>)
        .map(([user, password]) => `${user}:${String(password)}`).join(",");
    } else {
      input[key as keyof DaemonConfig] = String(value);
    }
  }
  return input;
}

/** Merges sources, earlier ones winning, and checks every value. */
export function resolveConfig(sources: readonly ConfigInput[],
  defaults: { port: number; dataDir: string }): DaemonConfig {
  const pick = (key: keyof DaemonConfig): string | undefined => {
    for (const source of sources) {
      const value = source[key];
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const port = Number(pick("port") ?? defaults.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`invalid port: ${pick("port")}`);
  }
  const maxConnections = Number(pick("maxConnections") ?? limits.connectionCountMaxDefault);
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    throw new Error(`invalid max connections: ${pick("maxConnections")}`);
  }
  const logLevel = (pick("logLevel") ?? "info") as LogLevel;
  if (!["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(logLevel)) {
    throw new Error(`invalid log level: ${logLevel}`);
  }
  return {
    host: pick("host") ?? "127.0.0.1",
    port,
    dataDir: pick("dataDir") ?? defaults.dataDir,
    logLevel,
    users: parseUsers(pick("users") ?? ""),
    tlsCertFile: pick("tlsCertFile"),
    tlsKeyFile: pick("tlsKeyFile"),
    maxConnections,
    metricsPort: optionalPort(pick("metricsPort")),
    clusterPassword: pick("clusterPassword"),
    memoryLimit: parseBytes(pick("memoryLimit")),
    maxWalSize: serverSetting(pick("maxWalSize"), "1GB", parseMaxWalSize),
    checkpointTimeout: serverSetting(pick("checkpointTimeout"), "5min", parseCheckpointTimeout),
  };
}

/** A Postgres-style setting's value ("2GB", "30s"); a bad one stops the daemon with PG's text. */
function serverSetting(text: string | undefined, fallback: string,
  parse: (text: string) => number): number {
  try {
    return parse(text ?? fallback);
  } catch (error) {
    throw new Error(error instanceof Error ? error.message : String(error));
  }
}

function optionalPort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`invalid metrics port: ${text}`);
  }
  return port;
}

const byteUnits: Record<string, number> = { "": 1, b: 1, k: limits.KiB, kb: limits.KiB,
  m: limits.MiB, mb: limits.MiB, g: limits.GiB, gb: limits.GiB };

/** Parses a byte count: "314572800", "300MB", "4GB" (units of 1024, as Postgres's). */
export function parseBytes(text: string | undefined): number {
  if (text === undefined) return limits.memoryBytesMaxDefault;
  const match = /^\s*(\d+)\s*([kmg]?b?)\s*$/i.exec(text);
  const unit = byteUnits[match?.[2]?.toLowerCase() ?? ""];
  const bytes = match === null || unit === undefined ? NaN : Number(match[1]) * unit;
  if (!Number.isSafeInteger(bytes) || bytes < limits.MiB) {
    throw new Error(`invalid memory limit: ${text} (at least 1MB)`);
  }
  return bytes;
}

/** Parses "alice:secret,bob:pw" into a map; a password may itself contain ':'. */
export function parseUsers(text: string): Record<string, string> {
  const users: Record<string, string> = {};
  for (const item of text.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const colon = item.indexOf(":");
    if (colon <= 0) throw new Error(`invalid user entry "${item}": expected name:password`);
    users[item.slice(0, colon)] = item.slice(colon + 1);
  }
  return users;
}

/** A refusal a daemon reports at start-up and exits on. */
export function startupError(message: string): SqlError {
  return new SqlError(SqlState.objectInUse, message, { severity: "FATAL" });
}
