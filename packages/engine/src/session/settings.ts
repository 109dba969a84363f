/**
 * Run-time settings (GUCs) of one session: the known parameters with their defaults, SET and
 * RESET with Postgres's validation, SHOW's column name, and which changes must be reported
 * to the client as ParameterStatus (GUC_REPORT in Postgres).
 *
 * Transaction-scoped changes (SET inside a block, SET LOCAL) are remembered on a stack so
 * ROLLBACK can undo them and COMMIT can drop the SET LOCAL ones, as guc.c's AtEOXact_GUC.
 */
import { SqlError, SqlState } from "@tessera/base";
import { findZone, timeZoneSettingName, tsConfigSettingValue } from "@tessera/sql";
import { showCheckpointTimeout, showMaxWalSize } from "../storage/checkpoint-settings.js";
import { isHiddenSetting, type SettingOrigin } from "./setting-metadata.js";
import { serverSettingDefinitions } from "./server-settings.js";
import { booleanSetting, integerSetting, oneOf, realSetting } from "./setting-values.js";

export interface SettingDefinition {
  /** The spelling SHOW uses for its column name, e.g. "TimeZone". */
  readonly displayName: string;
  readonly defaultValue: string;
  /** Sent as ParameterStatus at startup and on every change. */
  readonly report: boolean;
  /** Cannot be changed by SET (server_version, integer_datetimes …). */
  readonly readOnly?: boolean;
  /** Set in the server's configuration only (Postgres's PGC_SIGHUP): SET is 55P02. */
  readonly sighup?: boolean;
  /** With `sighup`: the 55P02 message ("cannot be changed now" unless given). */
  readonly fixedMessage?: string;
  /**
   * Normalises a value given to SET (`current`: the value now, `given`: the name as the
   * statement spelled it); throws for a bad one.
   */
  readonly normalize?: (value: string, current: string, given: string) => string;
}

const bool = booleanSetting;

/** A setting naming an object of which only `existing` exist (tablespaces, access methods). */
const only =
  (name: string, kind: string, existing: readonly string[]) =>
  (value: string): string => {
    if (existing.includes(value)) return value;
    throw new SqlError(SqlState.invalidParameterValue,
      `invalid value for parameter "${name}": "${value}"`,
      { detail: `${kind} "${value}" does not exist.` });
  };

const integer = integerSetting;
const int32Max = 2_147_483_647;

/**
 * Normalises DateStyle the way Postgres echoes it: "ISO, MDY". A part left out keeps its
 * current value, except that German alone implies DMY (check_datestyle).
 */
function normalizeDateStyle(value: string, current = "ISO, MDY"): string {
  const [currentStyle = "ISO", currentOrder = "MDY"] = current.split(",").map((p) => p.trim());
  let style = "";
  let order = "";
  const before = [style, order];
  for (const part of value.split(",").map((p) => p.trim().toLowerCase())) {
    [before[0], before[1]] = [style, order];
    if (part === "iso") style = "ISO";
    else if (part === "sql") style = "SQL";
    else if (part === "postgres") style = "Postgres";
    else if (part === "german") style = "German";
    else if (part === "mdy" || part === "us" || part === "noneuropean") order = "MDY";
    else if (part === "dmy" || part === "euro" || part === "european") order = "DMY";
    else if (part === "ymd") order = "YMD";
    else if (part !== "") {
      throw new SqlError(
        SqlState.invalidParameterValue,
        `invalid value for parameter "DateStyle": "${value}"`,
        { detail: `Unrecognized key word: "${part}".` },
      );
    }
    // Two different styles or orders ("ISO, Postgres") conflict, as check_datestyle.
    if ((before[0] !== "" && before[0] !== style) || (before[1] !== "" && before[1] !== order)) {
      throw new SqlError(SqlState.invalidParameterValue,
        `invalid value for parameter "DateStyle": "${value}"`,
        { detail: 'Conflicting "datestyle" specifications.' });
    }
  }
  if (order === "") order = style === "German" ? "DMY" : currentOrder;
  return `${style === "" ? currentStyle : style}, ${order}`;
}

/** Checks a TimeZone value: an IANA zone Intl knows, UTC aliases, or a numeric offset. */
function normalizeTimeZone(value: string): string {
  const text = value.trim();
  if (/^[+-]?\d+(\.\d*)?$/.test(text)) return timeZoneSettingName(text);
  if (/^[+-]?\d{1,2}(:\d{2})?$/.test(text)) return text;
  if (/^(utc|gmt|z|zulu)$/i.test(text)) return text.toUpperCase() === "Z" ? "UTC" : text;
  // A zone name as pg_tzset knows one: IANA or POSIX; an abbreviation such as PST is not.
  if (findZone(text) !== undefined) return text;
  throw new SqlError(
    SqlState.invalidParameterValue,
    `invalid value for parameter "TimeZone": "${value}"`,
  );
}

/**
 * Sets a read-only server setting to what the daemon knows once it runs (`port`, the port
 * it listens on; `max_connections`; `max_prepared_transactions`, nonzero on a worker, whose
 * engine takes PREPARE TRANSACTION; `data_directory`; `ssl`, on when it has a certificate):
 * SHOW and current_setting read it from then on.
 */
export function setServerSetting(name: "port" | "max_connections" | "max_prepared_transactions"
  | "data_directory" | "ssl", value: string): void {
  definitions[name] = { ...definitions[name]!, defaultValue: value };
}

export const serverVersion = "15.0";
export const serverVersionNum = "150000";

/** The settings Tessera knows, by lower-case name. */
const definitions: Record<string, SettingDefinition> = {
  application_name: { displayName: "application_name", defaultValue: "", report: true },
  client_encoding: {
    displayName: "client_encoding",
    defaultValue: "UTF8",
    report: true,
    normalize: (v) => {
      const up = v.trim().toUpperCase().replace(/[-_]/g, "");
      if (up === "UTF8" || up === "UNICODE") return "UTF8";
      if (up === "SQLASCII") return "SQL_ASCII";
      throw new SqlError(
        SqlState.featureNotSupported,
        `conversion between ${v} and UTF8 is not supported`,
      );
    },
  },
  datestyle: {
    displayName: "DateStyle",
    defaultValue: "ISO, MDY",
    report: true,
    normalize: normalizeDateStyle,
  },
  intervalstyle: {
    displayName: "IntervalStyle",
    defaultValue: "postgres",
    report: true,
    normalize: oneOf("IntervalStyle", ["postgres", "postgres_verbose", "sql_standard", "iso_8601"]),
  },
  timezone: {
    displayName: "TimeZone",
    defaultValue: "UTC",
    report: true,
    normalize: normalizeTimeZone,
  },
  integer_datetimes: {
    displayName: "integer_datetimes",
    defaultValue: "on",
    report: true,
    readOnly: true,
  },
  is_superuser: { displayName: "is_superuser", defaultValue: "on", report: true, readOnly: true },
  server_encoding: {
    displayName: "server_encoding",
    defaultValue: "UTF8",
    report: true,
    readOnly: true,
  },
  server_version: {
    displayName: "server_version",
    defaultValue: serverVersion,
    report: true,
    readOnly: true,
  },
  server_version_num: {
    displayName: "server_version_num",
    defaultValue: serverVersionNum,
    report: false,
    readOnly: true,
  },
  role: { displayName: "role", defaultValue: "none", report: false, readOnly: true },
  session_authorization: {
    displayName: "session_authorization",
    defaultValue: "",
    report: true,
    readOnly: true,
  },
  standard_conforming_strings: {
    displayName: "standard_conforming_strings",
    defaultValue: "on",
    report: true,
    normalize: bool("standard_conforming_strings"),
  },
  search_path: { displayName: "search_path", defaultValue: '"$user", public', report: false },
  extra_float_digits: {
    displayName: "extra_float_digits",
    defaultValue: "1",
    report: false,
    normalize: integer("extra_float_digits", -15, 3),
  },
  bytea_output: {
    displayName: "bytea_output",
    defaultValue: "hex",
    report: false,
    normalize: oneOf("bytea_output", ["hex", "escape"]),
  },
  statement_timeout: { displayName: "statement_timeout", defaultValue: "0", report: false,
    normalize: integer("statement_timeout", 0, int32Max, "ms") },
  // Accepted as in Postgres (pg_dump turns it off); scans here always start at the beginning.
  synchronize_seqscans: {
    displayName: "synchronize_seqscans",
    defaultValue: "on",
    report: false,
    normalize: bool("synchronize_seqscans"),
  },
  // Settings a pg_dump script opens with. SQL function bodies are checked when first called.
  check_function_bodies: {
    displayName: "check_function_bodies",
    defaultValue: "on",
    report: false,
    normalize: bool("check_function_bodies"),
  },
  xmloption: {
    displayName: "xmloption",
    defaultValue: "content",
    report: false,
    normalize: oneOf("xmloption", ["content", "document"]),
  },
  default_tablespace: {
    displayName: "default_tablespace",
    defaultValue: "",
    report: false,
    normalize: only("default_tablespace", "Tablespace", ["", "pg_default"]),
  },
  default_table_access_method: {
    displayName: "default_table_access_method",
    defaultValue: "heap",
    report: false,
    normalize: only("default_table_access_method", "Table access method", ["heap"]),
  },
  lock_timeout: { displayName: "lock_timeout", defaultValue: "0", report: false,
    normalize: integer("lock_timeout", 0, int32Max, "ms") },
  idle_in_transaction_session_timeout: {
    displayName: "idle_in_transaction_session_timeout",
    defaultValue: "0",
    report: false,
    normalize: integer("idle_in_transaction_session_timeout", 0, int32Max, "ms"),
  },
  client_min_messages: {
    displayName: "client_min_messages",
    defaultValue: "notice",
    report: false,
    normalize: oneOf("client_min_messages", [
      "debug5",
      "debug4",
      "debug3",
      "debug2",
      "debug1",
      "log",
      "notice",
      "warning",
      "error",
    ], { debug: "debug2", info: "info" }),
  },
  default_transaction_isolation: {
    displayName: "default_transaction_isolation",
    defaultValue: "read committed",
    report: false,
    normalize: oneOf("default_transaction_isolation", [
      "serializable",
      "repeatable read",
      "read committed",
      "read uncommitted",
    ]),
  },
  transaction_isolation: {
    displayName: "transaction_isolation",
    defaultValue: "read committed",
    report: false,
    normalize: oneOf("transaction_isolation", [
      "serializable",
      "repeatable read",
      "read committed",
      "read uncommitted",
    ]),
  },
  transaction_read_only: {
    displayName: "transaction_read_only",
    defaultValue: "off",
    report: false,
    normalize: bool("transaction_read_only"),
  },
  default_transaction_read_only: {
    displayName: "default_transaction_read_only",
    defaultValue: "off",
    report: false,
    normalize: bool("default_transaction_read_only"),
  },
  // DEFERRABLE changes nothing here (SERIALIZABLE is snapshot isolation); the settings show it.
  transaction_deferrable: {
    displayName: "transaction_deferrable",
    defaultValue: "off",
    report: false,
    normalize: bool("transaction_deferrable"),
  },
  default_transaction_deferrable: {
    displayName: "default_transaction_deferrable",
    defaultValue: "off",
    report: false,
    normalize: bool("default_transaction_deferrable"),
  },
  max_prepared_transactions: {
    displayName: "max_prepared_transactions",
    defaultValue: "0",
    report: false,
    readOnly: true,
  },
  // Which triggers fire (`plpgsql/triggers.ts`): ORIGIN and ALWAYS ones, or REPLICA and ALWAYS.
  session_replication_role: {
    displayName: "session_replication_role",
    defaultValue: "origin",
    report: false,
    normalize: oneOf("session_replication_role", ["origin", "replica", "local"]),
  },
  synchronous_commit: {
    displayName: "synchronous_commit",
    defaultValue: "on",
    report: false,
    normalize: oneOf("synchronous_commit", ["local", "remote_write", "remote_apply", "on", "off"],
      { true: "on", yes: "on", "1": "on", false: "off", no: "off", "0": "off" }),
  },
  max_parallel_workers_per_gather: {
    displayName: "max_parallel_workers_per_gather",
    defaultValue: "2",
    report: false,
    normalize: integer("max_parallel_workers_per_gather", 0, 1024),
  },
  work_mem: { displayName: "work_mem", defaultValue: "4MB", report: false,
    normalize: integer("work_mem", 64, int32Max, "kB") },
  maintenance_work_mem: {
    displayName: "maintenance_work_mem",
    defaultValue: "64MB",
    report: false,
    normalize: integer("maintenance_work_mem", 1024, int32Max, "kB"),
  },
  max_connections: {
    displayName: "max_connections",
    defaultValue: "100",
    report: false,
    readOnly: true,
  },
  port: { displayName: "port", defaultValue: "5432", report: false, readOnly: true },
  log_min_duration_statement: {
    displayName: "log_min_duration_statement",
    defaultValue: "-1",
    report: false,
    normalize: integer("log_min_duration_statement", -1, int32Max, "ms"),
  },
  row_security: {
    displayName: "row_security",
    defaultValue: "on",
    report: false,
    normalize: bool("row_security"),
  },
  escape_string_warning: {
    displayName: "escape_string_warning",
    defaultValue: "on",
    report: false,
    normalize: bool("escape_string_warning"),
  },
  enable_seqscan: {
    displayName: "enable_seqscan",
    defaultValue: "on",
    report: false,
    normalize: bool("enable_seqscan"),
  },
  enable_indexscan: {
    displayName: "enable_indexscan",
    defaultValue: "on",
    report: false,
    normalize: bool("enable_indexscan"),
  },
  enable_hashjoin: {
    displayName: "enable_hashjoin",
    defaultValue: "on",
    report: false,
    normalize: bool("enable_hashjoin"),
  },
  jit: { displayName: "jit", defaultValue: "off", report: false, normalize: bool("jit") },
  lc_messages: { displayName: "lc_messages", defaultValue: "C", report: false },
  lc_monetary: { displayName: "lc_monetary", defaultValue: "C", report: false },
  lc_numeric: { displayName: "lc_numeric", defaultValue: "C", report: false },
  lc_time: { displayName: "lc_time", defaultValue: "C", report: false },
  lc_collate: { displayName: "lc_collate", defaultValue: "C", report: false, readOnly: true },
  lc_ctype: { displayName: "lc_ctype", defaultValue: "C", report: false, readOnly: true },
  default_text_search_config: {
    displayName: "default_text_search_config",
    defaultValue: "pg_catalog.english",
    report: false,
    normalize: tsConfigSettingValue,
  },
  max_identifier_length: {
    displayName: "max_identifier_length",
    defaultValue: "63",
    report: false,
    readOnly: true,
  },
  block_size: { displayName: "block_size", defaultValue: "8192", report: false, readOnly: true },
  // Postgres's INDEX_MAX_KEYS; JDBC's getImportedKeys reads it to number key columns.
  max_index_keys: { displayName: "max_index_keys", defaultValue: "32", report: false,
    readOnly: true },
  data_directory_mode: {
    displayName: "data_directory_mode",
    defaultValue: "0700",
    report: false,
    readOnly: true,
  },
  geqo: { displayName: "geqo", defaultValue: "on", report: false, normalize: bool("geqo") },
  // The server's values (its configuration), as Postgres's sighup settings: SET is 55P02.
  max_wal_size: { displayName: "max_wal_size", get defaultValue() { return showMaxWalSize(); },
    report: false, sighup: true },
  checkpoint_timeout: { displayName: "checkpoint_timeout",
    get defaultValue() { return showCheckpointTimeout(); }, report: false, sighup: true },
  ...citusDefinitions(),
};
// The rest of PostgreSQL 15's settings (`server-settings.ts`).
for (const [key, definition] of serverSettingDefinitions()) definitions[key] ??= definition;

/** The Citus settings a coordinator reads, with Citus's defaults, so SHOW works before SET. */
function citusDefinitions(): Record<string, SettingDefinition> {
  const flag = (name: string, on = false): SettingDefinition => ({ displayName: name,
    defaultValue: on ? "on" : "off", report: false, normalize: bool(name) });
  const int = (name: string, value: number, min: number, max: number): SettingDefinition => ({
    displayName: name, defaultValue: String(value), report: false,
    normalize: integer(name, min, max) });
  const choice = (name: string, values: readonly string[], value: string):
    SettingDefinition => ({ displayName: name, defaultValue: value, report: false,
    normalize: oneOf(name, values) });
  return {
    "citus.version": { displayName: "citus.version", defaultValue: "15.0devel", report: false,
      readOnly: true },
    "citus.shard_count": int("citus.shard_count", 32, 1, 64_000),
    "citus.shard_replication_factor": int("citus.shard_replication_factor", 1, 1, 100),
    "citus.next_shard_id": int("citus.next_shard_id", 0, 0, int32Max),
    "citus.next_placement_id": int("citus.next_placement_id", 0, 0, int32Max),
    "citus.max_adaptive_executor_pool_size": int("citus.max_adaptive_executor_pool_size", 16,
      1, int32Max),
    "citus.explain_all_tasks": flag("citus.explain_all_tasks"),
    "citus.log_remote_commands": flag("citus.log_remote_commands"),
    "citus.enable_fast_path_router_planner": flag("citus.enable_fast_path_router_planner", true),
    "citus.enable_repartition_joins": flag("citus.enable_repartition_joins"),
    "citus.enable_schema_based_sharding": flag("citus.enable_schema_based_sharding"),
    "citus.enable_ddl_propagation": flag("citus.enable_ddl_propagation", true),
    "citus.enable_unsafe_triggers": flag("citus.enable_unsafe_triggers"),
    "citus.local_table_join_policy": choice("citus.local_table_join_policy",
      ["never", "prefer-local", "prefer-distributed", "auto"], "auto"),
    ...citusAcceptedSettings(flag, int, choice),
    // The server's value, as the coordinator's transaction recovery reads it (environment).
    "citus.recover_2pc_interval": { displayName: "citus.recover_2pc_interval",
      defaultValue: process.env["TESSERA_RECOVER_2PC_INTERVAL"] || "1min", report: false,
      sighup: true },
    // The server's value, as the coordinator's deadlock detection reads it (environment).
    "citus.distributed_deadlock_detection_factor": {
      displayName: "citus.distributed_deadlock_detection_factor", report: false, sighup: true,
      defaultValue: process.env["TESSERA_DISTRIBUTED_DEADLOCK_DETECTION_FACTOR"] || "2" },
    "citus.multi_shard_modify_mode": { displayName: "citus.multi_shard_modify_mode",
      defaultValue: "parallel", report: false,
      normalize: oneOf("citus.multi_shard_modify_mode", ["parallel", "sequential"]) },
  };
}

type Flag = (name: string, on?: boolean) => SettingDefinition;
type Int = (name: string, value: number, min: number, max: number) => SettingDefinition;
type Choice = (name: string, values: readonly string[], value: string) => SettingDefinition;

/**
 * Citus settings applications set that Tessera accepts with Citus's defaults and ranges but
 * whose value changes nothing here (the behaviour they tune is fixed, or does not exist:
 * local execution, secondary nodes, HLL approximations …). Since "citus" is a reserved
 * prefix, a setting missing from this list would fail to SET.
 */
function citusAcceptedSettings(flag: Flag, int: Int, choice: Choice):
  Record<string, SettingDefinition> {
  const text = (name: string, value: string, sighup = false): SettingDefinition => ({
    displayName: name, defaultValue: value, report: false, ...(sighup ? { sighup } : {}) });
  const list: SettingDefinition[] = [
    flag("citus.explain_distributed_queries", true),
    choice("citus.explain_analyze_sort_method", ["execution-time", "taskId"], "execution-time"),
    flag("citus.enable_single_hash_repartition_joins"),
    { displayName: "citus.count_distinct_error_rate", defaultValue: "0", report: false,
      normalize: realSetting("citus.count_distinct_error_rate", 0, 1) },
    choice("citus.coordinator_aggregation_strategy", ["disabled", "row-gather"], "row-gather"),
    int("citus.limit_clause_row_fetch_count", -1, -1, int32Max),
    choice("citus.task_assignment_policy", ["greedy", "round-robin", "first-replica"],
      "greedy"),
    { ...int("citus.max_intermediate_result_size", 0, -1, int32Max),
      defaultValue: "1GB", normalize: integer("citus.max_intermediate_result_size", -1,
        int32Max, "kB") },
    flag("citus.enable_local_execution", true),
    flag("citus.enable_repartitioned_insert_select", true),
    flag("citus.enable_router_execution", true),
    int("citus.values_materialization_threshold", 100, -1, int32Max),
    { ...int("citus.node_connection_timeout", 0, 10, 3_600_000), defaultValue: "30s",
      normalize: integer("citus.node_connection_timeout", 10, 3_600_000, "ms") },
    text("citus.max_shared_pool_size", "0", true),
    int("citus.max_cached_conns_per_worker", 1, 0, int32Max),
    text("citus.node_conninfo", "sslmode=prefer", true),
    choice("citus.use_secondary_nodes", ["never", "always"], "never"),
    text("citus.cluster_name", "default"),
    text("citus.local_hostname", "localhost"),
    flag("citus.select_opens_transaction_block", true),
    flag("citus.force_max_query_parallelization"),
    flag("citus.enable_binary_protocol", true),
    choice("citus.propagate_set_commands", ["none", "local"], "none"),
    flag("citus.enable_metadata_sync", true),
    flag("citus.allow_nested_distributed_execution"),
    flag("citus.log_distributed_deadlock_detection"),
    choice("citus.multi_task_query_log_level", ["off", "debug5", "debug4", "debug3", "debug2",
      "debug1", "log", "notice", "warning", "error"], "off"),
    choice("citus.stat_statements_track", ["none", "all"], "none"),
    flag("citus.enable_create_role_propagation", true),
    flag("citus.enable_alter_role_propagation", true),
    flag("citus.enable_local_reference_table_foreign_keys", true),
    flag("citus.enable_unique_job_ids", true),
    flag("citus.skip_constraint_validation"),
    flag("citus.enable_non_colocated_router_query_pushdown"),
  ];
  return Object.fromEntries(list.map((d) => [d.displayName, d]));
}

/** SET or RESET of a setting only the server's configuration may change. */
function cannotChangeNow(key: string): SqlError {
  const message = definitionOf(key)?.fixedMessage ?? "cannot be changed now";
  return new SqlError(SqlState.cantChangeRuntimeParam, `parameter "${key}" ${message}`);
}

/** Returns the definition of a known setting, or undefined for a custom or unknown name. */
export function definitionOf(name: string): SettingDefinition | undefined {
  return definitions[name.toLowerCase()];
}

/** Custom "prefix.name" settings are accepted as placeholders, as Postgres does. */
function isCustomName(name: string): boolean {
  return /^[a-z_][a-z0-9_$]*\.[a-z_][a-z0-9_$.]*$/i.test(name);
}

/**
 * Prefixes no placeholder may use: Citus reserves "citus" (PostgreSQL 15's
 * MarkGUCPrefixReserved), so only the citus.* settings defined above exist.
 */
const reservedPrefixes = ["citus"];

/** Fails as Postgres does for an undefined setting under a reserved prefix. */
function checkReservedPrefix(key: string): void {
  const prefix = reservedPrefixes.find((p) => key.startsWith(`${p}.`));
  if (prefix === undefined) return;
  throw new SqlError(SqlState.invalidName, `invalid configuration parameter name "${key}"`,
    { detail: `"${prefix}" is a reserved prefix.` });
}

/**
 * Checks a value for a setting as SET would, without setting it (ALTER ROLE … SET and ALTER
 * DATABASE … SET check theirs when they run): 42704 for an unknown name, 22023 for a bad
 * value, 55P02 for one only the server's configuration sets.
 */
export function checkSettingValue(name: string, value: string): void {
  const key = name.toLowerCase();
  const definition = definitionOf(key);
  if (definition === undefined) {
    if (!isCustomName(key)) {
      throw new SqlError(SqlState.undefinedObject,
        `unrecognized configuration parameter "${name}"`);
    }
    checkReservedPrefix(key);
    return;
  }
  if (definition.readOnly === true) {
    throw new SqlError(SqlState.cantChangeRuntimeParam, `parameter "${key}" cannot be changed`);
  }
  if (definition.sighup === true) throw cannotChangeNow(key);
  definition.normalize?.(value, definition.defaultValue, name);
}

interface UndoEntry {
  readonly name: string;
  readonly previous: string | undefined;
  readonly local: boolean;
}

/** Receives the name and value of every reported setting that changes. */
export type ReportListener = (displayName: string, value: string) => void;

export class SessionSettings {
  private readonly values = new Map<string, string>();
  /** Values as the session started (from the startup packet), for RESET. */
  private readonly startValues = new Map<string, string>();
  private undo: UndoEntry[] = [];
  private inTransaction = false;
  private changes = 0;
  /** Settings changed by SET since the session started (pg_settings's source "session"). */
  private readonly setKeys = new Set<string>();

  constructor(private readonly onReport: ReportListener) {}

  /** Applies a startup-packet parameter; unknown ones fail the connection as in Postgres. */
  applyStartup(name: string, value: string): void {
    const key = name.toLowerCase();
    this.set(key, value, { local: false, internal: true });
    this.startValues.set(key, this.values.get(key) ?? value);
  }

  /** Bumped on every change of a value, so callers can cache what they derive from settings. */
  get version(): number {
    return this.changes;
  }

  /** Returns the current value of a setting; throws 42704 for an unknown name. */
  get(name: string): string {
    const key = name.toLowerCase();
    const value = this.values.get(key);
    if (value !== undefined) return value;
    // Outside a block each statement is a transaction begun with the session's default.
    if (key === "transaction_isolation") return this.get("default_transaction_isolation");
    const definition = definitionOf(key);
    if (definition !== undefined) return definition.defaultValue;
    throw new SqlError(SqlState.undefinedObject, `unrecognized configuration parameter "${name}"`);
  }

  /** Like `get`, but undefined instead of an error (current_setting(name, true)). */
  find(name: string): string | undefined {
    try {
      return this.get(name);
    } catch {
      return undefined;
    }
  }

  /** SHOW's column name for a setting. */
  displayName(name: string): string {
    return definitionOf(name)?.displayName ?? name.toLowerCase();
  }

  /** SET name = value; `internal` lets the server itself set read-only parameters. */
  set(name: string, value: string, options: { local: boolean; internal?: boolean }): void {
    const key = name.toLowerCase();
    const definition = definitionOf(key);
    if (definition === undefined && !isCustomName(key)) {
      throw new SqlError(
        SqlState.undefinedObject,
        `unrecognized configuration parameter "${name}"`,
      );
    }
    if (definition === undefined) checkReservedPrefix(key);
    if (definition?.readOnly === true && options.internal !== true) {
      throw new SqlError(SqlState.cantChangeRuntimeParam, `parameter "${key}" cannot be changed`);
    }
    if (definition?.sighup === true) throw cannotChangeNow(key);
    const normalized = definition?.normalize === undefined ? value
      : definition.normalize(value, this.values.get(key) ?? definition.defaultValue, name);
    if (this.inTransaction) {
      this.undo.push({ name: key, previous: this.values.get(key), local: options.local });
    }
    if (options.internal !== true) this.setKeys.add(key);
    this.assign(key, normalized);
  }

  /** RESET name: back to the session's start value, or the default. */
  reset(name: string): void {
    const key = name.toLowerCase();
    const start = this.startValues.get(key) ?? definitionOf(key)?.defaultValue;
    if (start === undefined && !isCustomName(key)) {
      throw new SqlError(
        SqlState.undefinedObject,
        `unrecognized configuration parameter "${name}"`,
      );
    }
    if (definitionOf(key) === undefined) checkReservedPrefix(key);
    if (definitionOf(key)?.readOnly === true) {
      throw new SqlError(SqlState.cantChangeRuntimeParam, `parameter "${key}" cannot be changed`);
    }
    if (definitionOf(key)?.sighup === true) throw cannotChangeNow(key);
    if (this.inTransaction) {
      this.undo.push({ name: key, previous: this.values.get(key), local: false });
    }
    this.setKeys.delete(key);
    if (start === undefined) this.remove(key);
    else this.assign(key, start);
  }

  /** RESET ALL: every changeable setting back to its start value. */
  resetAll(): void {
    for (const key of [...this.values.keys()]) {
      const definition = definitionOf(key);
      if (definition?.readOnly === true || definition?.sighup === true) continue;
      this.reset(key);
    }
  }

  /**
   * Every known setting with its current value, for SHOW ALL and pg_settings: placeholders
   * and the settings PostgreSQL marks GUC_NO_SHOW_ALL are left out, as there.
   */
  all(): { name: string; setting: string }[] {
    return Object.keys(definitions).filter((name) => !isHiddenSetting(name)).sort()
      .map((name) => ({ name, setting: this.get(name) }));
  }

  /** pg_settings's source, reset_val and boot_val of a known setting (SHOW's spelling). */
  origin(name: string): SettingOrigin {
    const key = name.toLowerCase();
    const boot = definitionOf(key)?.defaultValue ?? "";
    const start = this.startValues.get(key);
    const value = this.values.get(key);
    const source = key === "transaction_isolation" || key === "transaction_read_only"
      ? "override" : value === undefined ? "default" : this.setKeys.has(key) ? "session"
        : start !== undefined ? "client" : "default";
    return { source, reset: start ?? boot, boot };
  }

  /** The settings reported at startup, as ParameterStatus pairs. */
  reported(): [string, string][] {
    return Object.entries(definitions)
      .filter(([, d]) => d.report)
      .map(([key, d]) => [d.displayName, this.get(key)]);
  }

  beginTransaction(): void {
    this.inTransaction = true;
    this.undo = [];
  }

  /** Where a savepoint starts in the transaction's changes (`rollbackToMark` goes back). */
  savepointMark(): number {
    return this.undo.length;
  }

  /** ROLLBACK TO SAVEPOINT: undoes every SET and SET LOCAL since the savepoint's mark. */
  rollbackToMark(mark: number): void {
    for (const entry of this.undo.splice(mark).reverse()) {
      if (entry.previous === undefined) this.remove(entry.name);
      else this.assign(entry.name, entry.previous);
    }
  }

  /** COMMIT keeps plain SETs and undoes SET LOCAL; ROLLBACK undoes both. */
  endTransaction(committed: boolean): void {
    for (const entry of this.undo.reverse()) {
      if (committed && !entry.local) continue;
      if (entry.previous === undefined) this.remove(entry.name);
      else this.assign(entry.name, entry.previous);
    }
    this.undo = [];
    this.inTransaction = false;
  }

  private remove(key: string): void {
    const before = this.effective(key);
    this.values.delete(key);
    if (this.effective(key) !== before) this.changes++;
  }

  /**
   * The value in force: set, or the default. Versions count changes of it, so a block that
   * sets transaction_isolation to what it already was (every BEGIN) keeps cached plans.
   */
  private effective(key: string): string | undefined {
    return this.values.get(key) ?? definitionOf(key)?.defaultValue;
  }

  private assign(key: string, value: string): void {
    const changed = this.effective(key) !== value;
    this.values.set(key, value);
    if (changed) this.changes++;
    const definition = definitionOf(key);
    if (changed && definition?.report === true) this.onReport(definition.displayName, value);
  }
}
