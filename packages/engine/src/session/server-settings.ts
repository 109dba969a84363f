/**
 * The rest of PostgreSQL 15's settings: those that steer parts of a PostgreSQL server Tessera
 * does not have in that form (the cost-based planner's choices, shared buffers, log files,
 * replication, autovacuum's workers). Applications and scripts set them (`SET enable_hashagg
 * = off`, `SET random_page_cost = 1.1`, `SET log_statement = 'all'`) and tools read them
 * (`SHOW shared_buffers`, pg_settings); an unknown name would fail them with 42704. So each is
 * a real setting here: SET checks its value against its type and range with PostgreSQL's
 * errors, SHOW and current_setting give what was set, pg_settings lists it with PostgreSQL's
 * metadata, and its context decides who may change it when (55P02 for a server-start setting).
 * Tessera's own planner and storage do not read them; a result never depends on them.
 *
 * Settings that change what a statement means are different: a value other than the built-in
 * one fails with 0A000 naming it (`transform_null_equals = on` would make `x = NULL` mean
 * `x IS NULL`), as a missing feature must.
 *
 * The rows themselves are in `server-settings-planning.ts`, `server-settings-logging.ts` and
 * `server-settings-storage.ts`, one per group of pg_settings categories, and Citus's own in
 * `citus-setting-rows.ts` (those Tessera acts on are defined in `settings.ts` and win).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { SettingCatalogEntry } from "./setting-catalog.js";
import { booleanSetting, integerSetting, oneOf, realSetting, showWithUnit, type BaseUnit }
  from "./setting-values.js";
import type { SettingDefinition } from "./settings.js";
import { citusSettingRows } from "./citus-setting-rows.js";
import { loggingSettingRows } from "./server-settings-logging.js";
import { planningSettingRows } from "./server-settings-planning.js";
import { storageSettingRows } from "./server-settings-storage.js";

/** One pg_settings row: name, vartype, context, unit, boot_val, min, max, enumvals (|). */
export type ServerSettingRow = readonly [name: string, vartype: string, context: string,
  unit: string, boot: string, min: string, max: string, enumvals: string, category: string,
  shortDesc: string, extraDesc: string];

/** Settings whose other values change a statement's meaning: only the built-in one works. */
const onlyBuiltIn: ReadonlySet<string> = new Set(["transform_null_equals", "array_nulls",
  "quote_all_identifiers", "backslash_quote", "exit_on_error", "allow_system_table_mods",
  "timezone_abbreviations", "idle_session_timeout"]);

/**
 * restrict_nonsystem_relation_kind (pg_dump sets it to "view, foreign-table"): a list of
 * relation kinds a statement may not read unless they are system ones; the FROM clause
 * enforces it (`analyze/from.ts`). Tessera has no foreign tables.
 */
function relationKindList(value: string, _current?: string, given?: string): string {
  for (const word of value.split(",").map((w) => w.trim().toLowerCase())) {
    if (word === "" || word === "view" || word === "foreign-table") continue;
    throw new SqlError(SqlState.invalidParameterValue,
      `invalid value for parameter "${given ?? "restrict_nonsystem_relation_kind"}": ` +
      `"${value}"`, { detail: `Unrecognized key word: "${word}".` });
  }
  return value;
}

const baseUnits: ReadonlySet<string> = new Set(["ms", "s", "min", "kB", "MB", "8kB"]);

const allRows: readonly ServerSettingRow[] = [...planningSettingRows, ...loggingSettingRows,
  ...storageSettingRows, ...citusSettingRows];

/**
 * What PostgreSQL shows where its built-in value is computed at start-up (initdb's
 * log_timezone, the stack limit, wal_buffers' automatic size) or shown by a hook; Tessera
 * listens on no Unix socket.
 */
const shownOverrides: Readonly<Record<string, string>> = {
  log_timezone: "Etc/UTC", max_stack_depth: "2MB", timezone_abbreviations: "Default",
  unix_socket_directories: "", wal_buffers: "4MB", archive_command: "(disabled)",
};

/** File modes PostgreSQL shows in octal (show_log_file_mode, show_unix_socket_permissions). */
const octalSettings: ReadonlySet<string> = new Set(["log_file_mode", "unix_socket_permissions"]);

/** A value as SHOW prints it: integers with a unit in the largest unit dividing them. */
function shownValue(name: string, vartype: string, unit: string, boot: string): string {
  const override = shownOverrides[name];
  if (override !== undefined) return override;
  if (octalSettings.has(name)) return `0${Number(boot).toString(8)}`;
  if (vartype === "real" && unit !== "" && Number(boot) > 0) return `${boot}${unit}`;
  if (vartype !== "integer" || unit === "") return boot;
  const value = Number(boot);
  if (unit === "B") return value > 0 ? showBytes(value) : boot;
  return baseUnits.has(unit) ? showWithUnit(value, unit as BaseUnit) : boot;
}

/** A byte count as SHOW prints a setting in bytes (wal_segment_size: "16MB"). */
function showBytes(value: number): string {
  const units: readonly [string, number][] = [["TB", 1024 ** 4], ["GB", 1024 ** 3],
    ["MB", 1024 ** 2], ["kB", 1024]];
  for (const [unit, size] of units) {
    if (value > 0 && value % size === 0) return `${value / size}${unit}`;
  }
  return `${value}B`;
}

function checkerOf(row: ServerSettingRow): (value: string, current: string, given: string) =>
  string {
  const [name, vartype, , unit, , min, max, enumvals] = row;
  switch (vartype) {
    case "bool": return booleanSetting(name);
    case "integer":
      return integerSetting(name, Number(min), Number(max),
        baseUnits.has(unit) ? unit as BaseUnit : undefined);
    case "real": return realSetting(name, Number(min), Number(max));
    case "enum": return oneOf(name, enumvals.split("|"));
    default: return name === "restrict_nonsystem_relation_kind" ? relationKindList
      : (value) => value;
  }
}

/** Wraps `check` so that a value other than `builtIn` fails with 0A000. */
function refusingOthers(name: string, builtIn: string,
  check: (value: string, current: string, given: string) => string) {
  return (value: string, current: string, given: string): string => {
    const normalized = check(value, current, given);
    if (normalized === builtIn) return normalized;
    throw new SqlError(SqlState.featureNotSupported,
      `${name} = ${normalized} is not supported by Tessera`,
      { detail: `Only ${name} = ${builtIn === "" ? "''" : builtIn} is.` });
  };
}

const fixedMessages: Readonly<Record<string, string>> = {
  postmaster: "cannot be changed without restarting the server",
  "superuser-backend": "cannot be set after connection start",
  backend: "cannot be set after connection start",
};

/** The settings of these rows, by lower-case name, as `settings.ts` defines its own. */
export function serverSettingDefinitions(): Map<string, SettingDefinition> {
  const definitions = new Map<string, SettingDefinition>();
  for (const row of allRows) {
    const [name, vartype, context, unit, boot] = row;
    const defaultValue = shownValue(name, vartype, unit, boot);
    const check = checkerOf(row);
    const fixedMessage = fixedMessages[context];
    definitions.set(name.toLowerCase(), {
      displayName: name, defaultValue, report: false,
      ...(context === "internal" ? { readOnly: true } : {}),
      ...(context === "sighup" || fixedMessage !== undefined ? { sighup: true } : {}),
      ...(fixedMessage === undefined ? {} : { fixedMessage }),
      normalize: onlyBuiltIn.has(name) ? refusingOthers(name, defaultValue, check) : check,
    });
  }
  return definitions;
}

/** Their pg_settings metadata, by lower-case name. */
export function serverSettingCatalog(): Map<string, SettingCatalogEntry> {
  return new Map(allRows.map(([name, vartype, context, unit, , min, max, enumvals, category,
    shortDesc, extraDesc]) => [name.toLowerCase(), {
    name, unit: unit === "" ? null : unit, category, shortDesc,
    extraDesc: extraDesc === "" ? null : extraDesc, context, vartype,
    minVal: min === "" ? null : min, maxVal: max === "" ? null : max,
    enumvals: enumvals === "" ? null : enumvals.split("|") }]));
}
