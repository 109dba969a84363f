/**
 * The server's checkpoint settings, PostgreSQL's `max_wal_size` and `checkpoint_timeout`:
 * set once per process from the daemon's configuration (flags, TESSERA_* variables, config
 * file), read by the durability layer, shown by SHOW and pg_settings in Postgres's units, and
 * never changed by a session (they are sighup settings: SET is 55P02).
 *
 *   max_wal_size        a checkpoint starts once the WAL written since the last one passes
 *                       it. Tessera's default is 1GB, as Postgres's: a checkpoint writes the
 *                       whole database image (not only dirty pages), so checkpointing less
 *                       often saves the most. The cost: recovery replays up to this much
 *                       WAL (about 20 MiB/s in the recovery benchmark, so close to a minute
 *                       at 1GB; lower it where restarts must be quicker).
 *   checkpoint_timeout  a checkpoint starts once this long has passed since the last one, if
 *                       anything was logged since. Default 5min, as Postgres's.
 *
 * Values are parsed as Postgres parses them: an integer with an optional unit (MB and
 * seconds when none), rounded to the base unit, range-checked.
 */
import { limits, SqlError, SqlState } from "@tessera/base";
import type { Row } from "@tessera/sql";

const MiB = limits.MiB;

/** Postgres's bounds: max_wal_size in MB, checkpoint_timeout in seconds. */
const maxWalSizeRange = { min: 2, max: 2_147_483_647 } as const;
const checkpointTimeoutRange = { min: 30, max: 86_400 } as const;
export const maxWalSizeMbDefault = 1024;
export const checkpointTimeoutSecondsDefault = 300;

export interface CheckpointSettings {
  readonly maxWalSizeMb: number;
  /** Milliseconds; the setting is whole seconds, tests may ask for less. */
  readonly checkpointTimeoutMs: number;
}

let current: CheckpointSettings = { maxWalSizeMb: maxWalSizeMbDefault,
  checkpointTimeoutMs: checkpointTimeoutSecondsDefault * 1000 };

/** The process's settings. */
export function checkpointSettings(): CheckpointSettings {
  return current;
}

/** Sets the process's settings (the daemon at start-up, from its configuration). */
export function setCheckpointSettings(settings: Partial<CheckpointSettings>): void {
  current = { ...current, ...settings };
}

/** WAL bytes after which a checkpoint starts. */
export function maxWalBytes(): number {
  return current.maxWalSizeMb * MiB;
}

const memoryUnits: Record<string, number> = { B: 1 / MiB, kB: 1 / 1024, MB: 1, GB: 1024,
  TB: 1024 * 1024 };
const timeUnits: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, min: 60, h: 3600,
  d: 86_400 };

/** Parses max_wal_size ("1GB", "512MB", "2048" in MB) into MB; throws 22023. */
export function parseMaxWalSize(text: string): number {
  return parseWithUnit("max_wal_size", text, memoryUnits, maxWalSizeRange,
    'Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".');
}

/** Parses checkpoint_timeout ("5min", "30s", "300" in seconds) into seconds; throws 22023. */
export function parseCheckpointTimeout(text: string): number {
  return parseWithUnit("checkpoint_timeout", text, timeUnits, checkpointTimeoutRange,
    'Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".');
}

function parseWithUnit(name: string, text: string, units: Record<string, number>,
  range: { min: number; max: number }, hint: string): number {
  const match = /^\s*(\d+)\s*([A-Za-z]*)\s*$/.exec(text);
  const unit = match === null ? undefined : match[2] === "" ? 1 : units[match[2]!];
  if (match === null || unit === undefined) {
    throw new SqlError(SqlState.invalidParameterValue,
      `invalid value for parameter "${name}": "${text}"`,
      match === null ? {} : { hint });
  }
  const value = Math.round(Number(match[1]) * unit);
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new SqlError(SqlState.invalidParameterValue, `${value} ${units === timeUnits ? "s" :
      "MB"} is outside the valid range for parameter "${name}" (${range.min} .. ${range.max})`);
  }
  return value;
}

/** SHOW's text: the largest unit that divides the value, as Postgres prints it. */
function showWithUnit(value: number, units: readonly (readonly [string, number])[]): string {
  for (const [unit, size] of units) if (value % size === 0) return `${value / size}${unit}`;
  return String(value);
}

/** SHOW max_wal_size: "1GB", "64MB". */
export function showMaxWalSize(): string {
  return showWithUnit(current.maxWalSizeMb, [["TB", 1024 * 1024], ["GB", 1024], ["MB", 1]]);
}

/** SHOW checkpoint_timeout: "5min", "30s" (whole seconds; under one second shows 1s). */
export function showCheckpointTimeout(): string {
  return showWithUnit(timeoutSeconds(), [["d", 86_400], ["h", 3600], ["min", 60], ["s", 1]]);
}

function timeoutSeconds(): number {
  return Math.max(1, Math.round(current.checkpointTimeoutMs / 1000));
}

/** pg_settings's row for one of these settings, in Postgres's columns and units. */
export function checkpointSettingRow(name: string): Row | undefined {
  const category = "Write-Ahead Log / Checkpoints";
  const row = (setting: number, unit: string, desc: string, range: { min: number; max: number },
    boot: number): Row => {
    const source = setting === boot ? "default" : "configuration file";
    return [name, String(setting), unit, category, desc, null, "sighup", "integer", source,
      String(range.min), String(range.max), null, String(boot), String(setting), null, null,
      false];
  };
  if (name === "max_wal_size") {
    return row(current.maxWalSizeMb, "MB", "Sets the WAL size that triggers a checkpoint.",
      maxWalSizeRange, maxWalSizeMbDefault);
  }
  if (name === "checkpoint_timeout") {
    return row(timeoutSeconds(), "s", "Sets the maximum time between automatic WAL checkpoints.",
      checkpointTimeoutRange, checkpointTimeoutSecondsDefault);
  }
  return undefined;
}
