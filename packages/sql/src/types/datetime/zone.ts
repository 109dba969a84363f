/**
 * Time zones: fixed offsets, and IANA zones from the system's TZif files where they reach (as
 * Postgres reads them: Amsterdam's +00:19:32 in 1900), else through Intl (DST and history
 * included, e.g. Berlin's local mean time +00:53:28 before 1893). Offsets are seconds east
 * of Greenwich, ISO's sign convention. An IANA zone caches the offset of each day (and of
 * each 15-minute bucket on transition days) whose two ends agree, so scanning a million
 * timestamps calls Intl rarely.
 *
 * Local time to UTC follows Postgres's DetermineTimeZoneOffset: in a spring-forward gap or
 * a fall-back overlap, take the interpretation that is later in UTC, i.e. the smaller
 * offset: '2024-03-31 02:30' Berlin is 03:30+02 and '2024-10-27 02:30' is 02:30+01.
 */
import { SqlError, SqlState } from "@tessera/base";
import { date2j, unixEpochJulian } from "./calendar.js";
import { hasTzif, tzifAbbreviation, tzifAbbreviationOffset, tzifOffset } from "./tzif.js";
import { dynamicAbbreviations, fixedAbbreviations } from "./zone-abbreviations.js";

export interface Zone {
  readonly name: string;
  /** Offset in seconds east of UTC in force at the instant `unixSeconds`. */
  offsetAt(unixSeconds: number): number;
  /**
   * The abbreviation in force at `unixSeconds` ("EST", "IST", "+03"), as Postgres prints it in
   * to_char's TZ and non-ISO DateStyles; "" for a POSIX offset with no name ("+05:30").
   */
  abbreviationAt(unixSeconds: number): string;
}

class FixedZone implements Zone {
  constructor(readonly name: string, private readonly offset: number,
    private readonly abbreviation?: string) {}
  offsetAt(): number {
    return this.offset;
  }
  abbreviationAt(): string {
    if (this.abbreviation !== undefined) return this.abbreviation;
    return this.offset === 0 ? "UTC" : offsetAbbreviation(this.offset);
  }
}

/** An offset as an abbreviation: +05:30, -08, with seconds when present. */
function offsetAbbreviation(seconds: number): string {
  const abs = Math.abs(seconds);
  const two = (n: number): string => String(n).padStart(2, "0");
  let text = `${seconds < 0 ? "-" : "+"}${two(Math.floor(abs / 3600))}`;
  if (abs % 3600 !== 0) text += `:${two(Math.floor(abs / 60) % 60)}`;
  if (abs % 60 !== 0) text += `:${two(abs % 60)}`;
  return text;
}

const daySeconds = 86_400;
const bucketSeconds = 900;
const bucketCacheMax = 200_000;
/** Intl works within JavaScript's Date range; outside it the nearest offset holds. */
const unixSecondsMax = 8.64e12;

class IanaZone implements Zone {
  private readonly format: Intl.DateTimeFormat;
  private readonly days = new Map<number, number>();
  private readonly buckets = new Map<number, number>();

  /** `name`: Intl's canonical id; `dataName`: the TZif file to read (the name as given). */
  constructor(readonly name: string, private readonly dataName: string = name) {
    this.format = new Intl.DateTimeFormat("en-US", {
      timeZone: name, hourCycle: "h23", era: "short", year: "numeric", month: "numeric",
      day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
    });
  }

  /**
   * Looks in a day-sized bucket first (a zone's offset changes on few days), then in a
   * 15-minute bucket on the days it does change, then asks Intl for the exact second.
   */
  offsetAt(unixSeconds: number): number {
    const day = Math.floor(unixSeconds / daySeconds);
    const daily = this.days.get(day);
    if (daily !== undefined) return daily;
    const dayStart = this.exactOffset(day * daySeconds);
    if (dayStart === this.exactOffset(day * daySeconds + daySeconds - 1)) {
      remember(this.days, day, dayStart);
      return dayStart;
    }
    const bucket = Math.floor(unixSeconds / bucketSeconds);
    const cached = this.buckets.get(bucket);
    if (cached !== undefined) return cached;
    const start = this.exactOffset(bucket * bucketSeconds);
    const end = this.exactOffset(bucket * bucketSeconds + bucketSeconds - 1);
    if (start !== end) return this.exactOffset(unixSeconds);
    remember(this.buckets, bucket, start);
    return start;
  }

  abbreviationAt(unixSeconds: number): string {
    const offset = this.offsetAt(unixSeconds);
    const fromTzif = tzifAbbreviation(this.dataName, unixSeconds, offset);
    if (fromTzif !== undefined) return fromTzif;
    const instant = Math.max(-unixSecondsMax, Math.min(unixSecondsMax, unixSeconds));
    const name = new Intl.DateTimeFormat("en-US", { timeZone: this.name, timeZoneName: "short" })
      .formatToParts(new Date(instant * 1000))
      .find((p) => p.type === "timeZoneName")?.value ?? "";
    return /^(GMT|UTC)[+-]/.test(name) || name === "" ? offsetAbbreviation(offset) : name;
  }

  /** The system's TZif data first (what Postgres reads), Intl past its last transition. */
  private exactOffset(unixSeconds: number): number {
    const fromTzif = tzifOffset(this.dataName, Math.floor(unixSeconds));
    if (fromTzif !== undefined) return fromTzif;
    const instant = Math.max(-unixSecondsMax, Math.min(unixSecondsMax, Math.floor(unixSeconds)));
    let year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
    let bc = false;
    for (const part of this.format.formatToParts(instant * 1000)) {
      switch (part.type) {
        case "year": year = Number(part.value); break;
        case "month": month = Number(part.value); break;
        case "day": day = Number(part.value); break;
        case "hour": hour = Number(part.value); break;
        case "minute": minute = Number(part.value); break;
        case "second": second = Number(part.value); break;
        case "era": bc = part.value.startsWith("B"); break;
        default: break;
      }
    }
    if (bc) year = 1 - year;
    const localDays = date2j(year, month, day) - unixEpochJulian;
    const local = localDays * 86400 + hour * 3600 + minute * 60 + second;
    return local - instant;
  }
}

/** Caches an offset, emptying the cache when it reaches its bound. */
function remember(cache: Map<number, number>, key: number, offset: number): void {
  if (cache.size >= bucketCacheMax) cache.clear();
  cache.set(key, offset);
}

export const utcZone: Zone = new FixedZone("UTC", 0, "UTC");

const zoneCache = new Map<string, Zone | null>();

/**
 * Resolves a zone name as Postgres's pg_tzset: an IANA name (CET has DST here) or a POSIX
 * offset, west positive ("+05:30", "UTC+5", "<+03>-03"); abbreviations are not names here.
 */
export function findZone(name: string): Zone | undefined {
  const cached = zoneCache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  const zone = lookupZone(name);
  if (zoneCache.size > 1000) zoneCache.clear();
  zoneCache.set(name, zone ?? null);
  return zone;
}

/**
 * Resolves a zone written inside a date/time literal: abbreviations first (there 'CET' is
 * fixed +01), then full names, as Postgres's DecodeTimezoneAbbrev then pg_tzset.
 */
export function findInputZone(name: string): Zone | undefined {
  const abbreviation = zoneAbbreviations.get(name.toLowerCase());
  if (abbreviation !== undefined) return new FixedZone(name, abbreviation);
  return dynamicAbbreviationZone(name) ?? findZone(name);
}

/** Resolves an input zone or throws 22023 `time zone "x" not recognized`. */
export function zoneOrThrow(name: string): Zone {
  const zone = findInputZone(name);
  if (zone === undefined) {
    throw new SqlError(SqlState.invalidParameterValue, `time zone "${name}" not recognized`);
  }
  return zone;
}

function lookupZone(name: string): Zone | undefined {
  const lower = name.toLowerCase();
  if (lower === "utc" || lower === "gmt" || lower === "z" || lower === "zulu") return utcZone;
  const posix = posixOffsetZone(name);
  if (posix !== undefined) return posix;
  // An abbreviation is a zone only where the tz database has a file of that name ("EST").
  if (zoneAbbreviations.has(lower) && !hasTzif(name) && !hasTzif(name.toUpperCase())) {
    return undefined;
  }
  try {
    const options = { timeZone: name };
    const canonical = new Intl.DateTimeFormat("en-US", options).resolvedOptions().timeZone;
    if (canonical === "UTC") {
      return new FixedZone(name, 0, lower === "etc/utc" ? "UTC" : undefined);
    }
    return new IanaZone(canonical, hasTzif(name) ? name : canonical);
  } catch {
    // Abbreviations ("PST") are not zone names: input and zone arguments look them up first
    // (findInputZone, explicitZoneName); the TimeZone setting refuses them, as Postgres.
    return undefined;
  }
}

/**
 * A POSIX TZ string without DST rules, as pg_tzset reads one: an optional name ("UTC",
 * "<+03>") and an offset counted *west* of Greenwich: "+05:30" and "UTC+5" are behind UTC,
 * "<+03>-03" three hours ahead. The name is the abbreviation ("" when absent).
 */
function posixOffsetZone(name: string): Zone | undefined {
  const match = /^(?:<([^<>]*)>|([A-Za-z]{3,}))?([+-]?)(\d+)(?::(\d+))?(?::(\d+))?$/
    .exec(name);
  if (match === null) return undefined;
  const [, quoted, letters, sign, hours, minutes, seconds] = match;
  // As the tz code's getsecs: hours up to a week less one ("GMT+0100" is 100 hours west).
  if (Number(hours) > 167 || Number(minutes ?? 0) > 59 || Number(seconds ?? 0) > 60) {
    return undefined;
  }
  const west = Number(hours) * 3600 + Number(minutes ?? 0) * 60 + Number(seconds ?? 0);
  return new FixedZone(name, sign === "-" ? west : -west, quoted ?? letters ?? "");
}

/**
 * Returns the zone name make_timestamptz means (Postgres's parse_sane_timezone): a numeric
 * offset is ISO, east positive, so "+05:30" becomes the POSIX name "<+05:30>-05:30"; a name
 * starting with a digit is refused; anything else is returned as given.
 */
export function isoOffsetZoneName(name: string): string {
  if (/^\d/.test(name)) {
    throw new SqlError(SqlState.invalidParameterValue,
      `invalid input syntax for type numeric time zone: "${name}"`,
      { hint: "Numeric time zones must have \"-\" or \"+\" as first character." });
  }
  const numeric = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::(\d{2}))?$/.exec(name);
  if (numeric === null) return name;
  const east = Number(numeric[2]) * 3600 + Number(numeric[3] ?? 0) * 60 +
    Number(numeric[4] ?? 0);
  const text = offsetAbbreviation(numeric[1] === "-" ? -east : east);
  return `<${text}>${text.startsWith("-") ? "+" : "-"}${text.slice(1)}`;
}

/**
 * Returns the name a TimeZone setting takes, as check_timezone: a plain number is hours east
 * and becomes pg_tzset_offset's POSIX name ('+03' is "<+03>-03", '-5.5' is "<-05:30>+05:30");
 * anything else stays as given.
 */
export function timeZoneSettingName(value: string): string {
  const text = value.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return value;
  return offsetSettingName(-Math.trunc(-Number(text) * 3600));
}

/** pg_tzset_offset's POSIX name for a fixed offset east: 19800 is "<+05:30>-05:30". */
export function offsetSettingName(eastSeconds: number): string {
  const west = -eastSeconds;
  let abs = Math.abs(west);
  let offset = String(Math.floor(abs / 3600)).padStart(2, "0");
  abs %= 3600;
  if (abs !== 0) {
    offset += `:${String(Math.floor(abs / 60)).padStart(2, "0")}`;
    abs %= 60;
    if (abs !== 0) offset += `:${String(abs).padStart(2, "0")}`;
  }
  return west > 0 ? `<-${offset}>+${offset}` : `<+${offset}>-${offset}`;
}

/** Fixed abbreviations from Postgres's "Default" timezone_abbreviations set, seconds east. */
export const zoneAbbreviations: ReadonlyMap<string, number> = fixedAbbreviations;

/** True for an abbreviation of the set, fixed or dynamic ("cet", "msk"). */
export function isZoneAbbreviation(name: string): boolean {
  const lower = name.toLowerCase();
  return fixedAbbreviations.has(lower) || dynamicAbbreviations.has(lower);
}

/** A dynamic abbreviation: the offset its zone gave it at the time ("MSK" in 2012 is +04). */
class AbbreviationZone implements Zone {
  constructor(readonly name: string, readonly zone: Zone, private readonly zoneName: string) {}
  offsetAt(unixSeconds: number): number {
    return tzifAbbreviationOffset(this.zoneName, this.name.toUpperCase(), unixSeconds) ??
      this.zone.offsetAt(unixSeconds);
  }
  abbreviationAt(): string {
    return this.name.toUpperCase();
  }
}

/** The zone a dynamic abbreviation ("MSK", "SGT") stands for, or undefined. */
export function dynamicAbbreviationZone(name: string): Zone | undefined {
  const zoneName = dynamicAbbreviations.get(name.toLowerCase());
  const zone = zoneName === undefined ? undefined : findZone(zoneName);
  return zone === undefined || zoneName === undefined
    ? undefined : new AbbreviationZone(name, zone, zoneName);
}

/**
 * Converts local wall-clock seconds (since 1970, as if UTC) in `zone` to UTC seconds,
 * choosing the later instant for gaps and overlaps as Postgres does.
 */
export function localToUnix(zone: Zone, localSeconds: number): number {
  // A dynamic abbreviation means one offset: its meaning at the instant its zone gives the
  // local time (DetermineTimeZoneAbbrevOffset).
  if (zone instanceof AbbreviationZone) {
    return localSeconds - zone.offsetAt(localToUnix(zone.zone, localSeconds));
  }
  const before = zone.offsetAt(localSeconds - 86400);
  const after = zone.offsetAt(localSeconds + 86400);
  if (before === after) {
    const guess = zone.offsetAt(localSeconds - before);
    if (guess === before) return localSeconds - before;
    return localSeconds - zone.offsetAt(localSeconds - guess);
  }
  const beforeValid = zone.offsetAt(localSeconds - before) === before;
  const afterValid = zone.offsetAt(localSeconds - after) === after;
  if (beforeValid !== afterValid) return localSeconds - (beforeValid ? before : after);
  return Math.max(localSeconds - before, localSeconds - after);
}

/** Returns the offset (seconds east) a local time gets in `zone`. */
export function offsetForLocal(zone: Zone, localSeconds: number): number {
  return localSeconds - localToUnix(zone, localSeconds);
}
