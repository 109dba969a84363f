/**
 * Time zones for timestamptz: the offset a zone has at an instant, and the instant a local
 * wall-clock time names, resolved as PostgreSQL resolves DST gaps and overlaps.
 *
 * Offsets here are seconds east of Greenwich (+05:30 is 19800), the ISO sign, which is the
 * opposite of PostgreSQL's internal convention. IANA zones come from Intl; fixed zones ("UTC",
 * "+05", "-03:30") are parsed here. POSIX-style names such as "UTC+3" mean 3 hours *west*.
 */
import { SqlError, SqlState } from "@tessera/base";
import { usecsPerDay, usecsPerSec, unixToPostgresSeconds } from "./calendar.js";

type Zone = { readonly fixed: number } | { readonly format: Intl.DateTimeFormat };

const zones = new Map<string, Zone>();

/** Returns the zone named `name`, or raises 22023 as PostgreSQL does for unknown zones. */
export function findZone(name: string): Zone {
  const cached = zones.get(name);
  if (cached !== undefined) return cached;
  const zone = parseZone(name);
  if (zone === undefined) {
    throw new SqlError(SqlState.invalidParameterValue, `time zone "${name}" not recognized`);
  }
  zones.set(name, zone);
  return zone;
}

function parseZone(name: string): Zone | undefined {
  const upper = name.toUpperCase();
  if (upper === "UTC" || upper === "GMT" || upper === "Z" || upper === "ETC/UTC") {
    return { fixed: 0 };
  }
  const iso = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(name);
  if (iso !== null) return { fixed: signedSeconds(iso, 1) };
  const posix = /^(?:UTC|GMT)([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/i.exec(name);
  if (posix !== null) return { fixed: signedSeconds(posix, -1) };
  try {
    const format = new Intl.DateTimeFormat("en-US", {
      timeZone: name,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    return { format };
  } catch {
    return undefined;
  }
}

function signedSeconds(m: RegExpExecArray, sign: number): number {
  const seconds = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return (m[1] === "-" ? -1 : 1) * sign * seconds;
}

/** Returns the zone's offset, in seconds east, at the instant `utcMicros`. */
export function offsetAt(zoneName: string, utcMicros: bigint): number {
  const zone = findZone(zoneName);
  if ("fixed" in zone) return zone.fixed;
  const unixMs = Number(utcMicros / 1000n) + unixToPostgresSeconds * 1000;
  const floorMs = Math.floor(unixMs / 1000) * 1000;
  const parts = zone.format.formatToParts(new Date(floorMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const era = parts.find((p) => p.type === "era")?.value;
  const year = era === "BC" || era === "B" ? 1 - get("year") : get("year");
  const local = new Date(0);
  local.setUTCFullYear(year, get("month") - 1, get("day"));
  local.setUTCHours(get("hour"), get("minute"), get("second"), 0);
  return Math.round((local.getTime() - floorMs) / 1000);
}

/**
 * Returns the instant at which the zone's clocks show `localMicros`. In a spring-forward gap
 * and in a fall-back overlap PostgreSQL takes the later of the two candidate instants.
 */
export function localToUtc(zoneName: string, localMicros: bigint): bigint {
  const zone = findZone(zoneName);
  if ("fixed" in zone) return localMicros - BigInt(zone.fixed) * usecsPerSec;
  const before = offsetAt(zoneName, localMicros - usecsPerDay);
  const after = offsetAt(zoneName, localMicros + usecsPerDay);
  const utcBefore = localMicros - BigInt(before) * usecsPerSec;
  const utcAfter = localMicros - BigInt(after) * usecsPerSec;
  const beforeValid = offsetAt(zoneName, utcBefore) === before;
  const afterValid = offsetAt(zoneName, utcAfter) === after;
  if (beforeValid && !afterValid) return utcBefore;
  if (afterValid && !beforeValid) return utcAfter;
  if (before === after) {
    const exact = offsetAt(zoneName, utcBefore);
    return localMicros - BigInt(exact) * usecsPerSec;
  }
  return utcBefore > utcAfter ? utcBefore : utcAfter;
}

/** Returns the wall-clock time in the zone at instant `utcMicros`. */
export function utcToLocal(zoneName: string, utcMicros: bigint): bigint {
  return utcMicros + BigInt(offsetAt(zoneName, utcMicros)) * usecsPerSec;
}

/** Returns the session zone from the TimeZone setting. */
export function sessionZone(setting: (name: string) => string): string {
  const name = setting("TimeZone");
  return name === "" ? "UTC" : name;
}

/** Returns the zone's abbreviation at an instant, as to_char's TZ pattern prints it. */
export function abbreviationAt(zoneName: string, utcMicros: bigint): string {
  const zone = findZone(zoneName);
  const offset = offsetAt(zoneName, utcMicros);
  if ("fixed" in zone) return offset === 0 ? "UTC" : formatOffset(offset, false);
  const unixMs = Number(utcMicros / 1000n) + unixToPostgresSeconds * 1000;
  const name =
    new Intl.DateTimeFormat("en-US", { timeZone: zoneName, timeZoneName: "short" })
      .formatToParts(new Date(unixMs))
      .find((p) => p.type === "timeZoneName")?.value ?? "";
  return /^(GMT|UTC)[+-]/.test(name) || name === "" ? formatOffset(offset, false) : name;
}

/** Formats an offset as PostgreSQL prints it: +05:30, -08, and seconds when present. */
export function formatOffset(seconds: number, alwaysMinutes: boolean): string {
  const sign = seconds < 0 ? "-" : "+";
  const abs = Math.abs(seconds);
  const h = Math.floor(abs / 3600);
  const m = Math.floor(abs / 60) % 60;
  const s = abs % 60;
  let text = `${sign}${String(h).padStart(2, "0")}`;
  if (m !== 0 || s !== 0 || alwaysMinutes) text += `:${String(m).padStart(2, "0")}`;
  if (s !== 0) text += `:${String(s).padStart(2, "0")}`;
  return text;
}
