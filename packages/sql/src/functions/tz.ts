/**
 * Time zones for timestamptz: the offset a zone has at an instant, and the instant a local
 * wall-clock time names, resolved as PostgreSQL resolves DST gaps and overlaps.
 *
 * Offsets here are seconds east of Greenwich (+05:30 is 19800), the ISO sign, which is the
 * opposite of PostgreSQL's internal convention. IANA zones come from Intl; fixed zones ("UTC",
 * "+05", "-03:30") are parsed here. POSIX-style names such as "UTC+3" mean 3 hours *west*.
 */
import { SqlError, SqlState } from "@tessera/base";
import {
  dynamicAbbreviationZone, findZone as findTypesZone, localToUnix, timeZoneSettingName,
  zoneAbbreviations, type Zone,
} from "../types/datetime/zone.js";
import { usecsPerSec, unixToPostgresSeconds } from "./calendar.js";

/**
 * Returns the zone named `name`, or raises 22023 as PostgreSQL does for unknown zones. The
 * zone rules are the type system's (`types/datetime/zone.ts`), so a TimeZone setting means
 * the same to functions as to timestamptz output.
 */
export function findZone(name: string): Zone {
  // A dynamic abbreviation ("MSK") reaches here from explicitZoneName; settings refuse them.
  const zone = findTypesZone(name) ?? dynamicAbbreviationZone(name);
  if (zone === undefined) {
    throw new SqlError(SqlState.invalidParameterValue, `time zone "${name}" not recognized`);
  }
  return zone;
}

/**
 * Returns the zone a function's zone argument names (AT TIME ZONE, date_trunc's third
 * argument): an abbreviation of the timezone_abbreviations set first, fixed ("CET" is +01 even
 * in summer), as a POSIX name; anything else as given. The TimeZone setting skips this step.
 */
export function explicitZoneName(name: string): string {
  const east = zoneAbbreviations.get(name.toLowerCase());
  if (east === undefined || /[<>]/.test(name)) return name;
  const abs = Math.abs(east);
  const hhmm = `${String(Math.floor(abs / 3600)).padStart(2, "0")}:` +
    String(Math.floor(abs / 60) % 60).padStart(2, "0");
  return `<${name.toUpperCase()}>${east > 0 ? "-" : "+"}${hhmm}`;
}

/** Returns the zone's offset, in seconds east, at the instant `utcMicros`. */
export function offsetAt(zoneName: string, utcMicros: bigint): number {
  return findZone(zoneName).offsetAt(unixSecondsOf(utcMicros));
}

function unixSecondsOf(utcMicros: bigint): number {
  const seconds = utcMicros / usecsPerSec - (utcMicros % usecsPerSec < 0n ? 1n : 0n);
  return Number(seconds) + unixToPostgresSeconds;
}

/**
 * Returns the instant at which the zone's clocks show `localMicros`. In a spring-forward gap
 * and in a fall-back overlap PostgreSQL takes the later of the two candidate instants.
 */
export function localToUtc(zoneName: string, localMicros: bigint): bigint {
  const zone = findZone(zoneName);
  const localSeconds = unixSecondsOf(localMicros);
  const utcSeconds = localToUnix(zone, localSeconds);
  return localMicros - BigInt(localSeconds - utcSeconds) * usecsPerSec;
}

/** Returns the wall-clock time in the zone at instant `utcMicros`. */
export function utcToLocal(zoneName: string, utcMicros: bigint): bigint {
  return utcMicros + BigInt(offsetAt(zoneName, utcMicros)) * usecsPerSec;
}

/** Returns the session zone from the TimeZone setting. */
export function sessionZone(setting: (name: string) => string): string {
  const name = setting("TimeZone");
  return name === "" ? "UTC" : timeZoneSettingName(name);
}

/** Returns the zone's abbreviation at an instant, as to_char's TZ pattern prints it. */
export function abbreviationAt(zoneName: string, utcMicros: bigint): string {
  return findZone(zoneName).abbreviationAt(unixSecondsOf(utcMicros));
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
