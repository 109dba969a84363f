/**
 * Zone abbreviations from the system's compiled tz database (TZif files under
 * /usr/share/zoneinfo), the same data PostgreSQL prints for to_char's TZ and timeofday():
 * Asia/Kolkata is "IST", Europe/Berlin "CET" or "CEST". Intl only knows a locale's names
 * ("GMT+5:30" in en-US), so it is the fallback when no TZif file can be read.
 *
 * A TZif file lists transition instants, each naming a local time type (UTC offset, DST flag,
 * abbreviation); instants past the last transition follow the footer's POSIX TZ string
 * ("CET-1CEST,M3.5.0,M10.5.0/3": standard name CET, daylight name CEST).
 */
import { readFileSync } from "node:fs";

interface TimeType {
  readonly offset: number;
  readonly isDst: boolean;
  readonly abbreviation: string;
}

interface ZoneData {
  readonly transitions: readonly number[];
  readonly typeIndexes: readonly number[];
  readonly types: readonly TimeType[];
  readonly standardName: string | undefined;
  readonly daylightName: string | undefined;
  readonly standardOffset: number | undefined;
}

const zoneDirectory = "/usr/share/zoneinfo";
const cacheMax = 200;
const cache = new Map<string, ZoneData | null>();

/**
 * Returns the abbreviation in force in `zoneName` at `unixSeconds`, given the offset (seconds
 * east) in force there; undefined when the zone has no readable TZif file.
 */
export function tzifAbbreviation(zoneName: string, unixSeconds: number, offset: number):
  string | undefined {
  const data = load(zoneName);
  if (data === null) return undefined;
  const { transitions } = data;
  const last = transitions[transitions.length - 1];
  if (last === undefined || unixSeconds >= last) {
    if (data.standardName !== undefined) {
      return offset === data.standardOffset || data.daylightName === undefined
        ? data.standardName : data.daylightName;
    }
  }
  return data.types[typeAt(data, unixSeconds)]?.abbreviation;
}

/**
 * Returns the UTC offset (seconds east) in force in `zoneName` at `unixSeconds` by the TZif
 * transitions, as Postgres's own tz code reads them; undefined past the last transition when
 * the zone still changes (the footer's DST rules; Intl knows those), or without a TZif file.
 */
export function tzifOffset(zoneName: string, unixSeconds: number): number | undefined {
  const data = load(zoneName);
  if (data === null) return undefined;
  const { transitions, types } = data;
  const last = transitions[transitions.length - 1];
  if (last === undefined || unixSeconds >= last) {
    return data.daylightName === undefined ? data.standardOffset : undefined;
  }
  return types[typeAt(data, unixSeconds)]?.offset;
}

/**
 * The offset (seconds east) `abbreviation` stood for in `zoneName` around `unixSeconds`, as
 * pg_interpret_timezone_abbrev finds it: the latest period at or before that instant using
 * the abbreviation, else the first one after; undefined when the zone never used it.
 */
export function tzifAbbreviationOffset(zoneName: string, abbreviation: string,
  unixSeconds: number): number | undefined {
  const data = load(zoneName);
  if (data === null) return undefined;
  const { transitions, typeIndexes, types } = data;
  let found: number | undefined;
  for (let i = 0; i < transitions.length; i++) {
    const type = types[typeIndexes[i]!];
    if (type?.abbreviation !== abbreviation) continue;
    if (transitions[i]! <= unixSeconds) found = type.offset;
    else return found ?? type.offset;
  }
  if (found !== undefined) return found;
  return abbreviation === data.standardName ? data.standardOffset : undefined;
}

/** True when the system's tz database has a file for `zoneName`. */
export function hasTzif(zoneName: string): boolean {
  return load(zoneName) !== null;
}

/** The index of the time type in force at `unixSeconds`, by the zone's transitions. */
function typeAt(data: ZoneData, unixSeconds: number): number {
  const transitions = data.transitions;
  let low = 0;
  let high = transitions.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (transitions[mid]! <= unixSeconds) low = mid + 1;
    else high = mid;
  }
  return low === 0 ? firstStandardType(data.types) : data.typeIndexes[low - 1]!;
}

function firstStandardType(types: readonly TimeType[]): number {
  const index = types.findIndex((t) => !t.isDst);
  return index < 0 ? 0 : index;
}

function load(zoneName: string): ZoneData | null {
  const cached = cache.get(zoneName);
  if (cached !== undefined) return cached;
  let data: ZoneData | null = null;
  if (/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zoneName) && !zoneName.includes("..")) {
    try {
      data = parse(readFileSync(`${zoneDirectory}/${zoneName}`));
    } catch {
      data = null;
    }
  }
  if (cache.size >= cacheMax) cache.clear();
  cache.set(zoneName, data);
  return data;
}

/** Parses a TZif file, preferring the 64-bit (version 2+) block. */
export function parse(bytes: Uint8Array): ZoneData | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 44 || String.fromCharCode(...bytes.subarray(0, 4)) !== "TZif") return null;
  const header = (at: number): number[] =>
    [0, 1, 2, 3, 4, 5].map((i) => view.getUint32(at + 20 + i * 4));
  let [isUt, isStd, leap, timeCount, typeCount, charCount] = header(0) as
    [number, number, number, number, number, number];
  let at = 44;
  let timeSize = 4;
  if (bytes[4]! >= 0x32) {
    at += timeCount * 5 + typeCount * 6 + charCount + leap * 8 + isStd + isUt;
    [isUt, isStd, leap, timeCount, typeCount, charCount] = header(at) as
      [number, number, number, number, number, number];
    at += 44;
    timeSize = 8;
  }
  const transitions: number[] = [];
  for (let i = 0; i < timeCount; i++, at += timeSize) {
    transitions.push(timeSize === 8 ? Number(view.getBigInt64(at)) : view.getInt32(at));
  }
  const typeIndexes = [...bytes.subarray(at, at + timeCount)];
  at += timeCount;
  const chars = at + typeCount * 6;
  const types: TimeType[] = [];
  for (let i = 0; i < typeCount; i++, at += 6) {
    const start = chars + bytes[at + 5]!;
    let end = start;
    while (end < chars + charCount && bytes[end] !== 0) end++;
    types.push({ offset: view.getInt32(at), isDst: bytes[at + 4] === 1,
      abbreviation: String.fromCharCode(...bytes.subarray(start, end)) });
  }
  at = chars + charCount + leap * (timeSize + 4) + isStd + isUt;
  const footer = timeSize === 8 ? readFooter(bytes, at) : "";
  return { transitions, typeIndexes, types, ...footerNames(footer) };
}

function readFooter(bytes: Uint8Array, at: number): string {
  if (bytes[at] !== 0x0a) return "";
  const end = bytes.indexOf(0x0a, at + 1);
  return end < 0 ? "" : String.fromCharCode(...bytes.subarray(at + 1, end));
}

/** Reads the names and standard offset of a POSIX TZ string: "IST-5:30", "<+03>-3". */
function footerNames(tz: string): Pick<ZoneData, "standardName" | "daylightName" |
  "standardOffset"> {
  const match = /^(<[^>]*>|[A-Za-z]+)([+-]?\d+(?::\d+){0,2})(<[^>]*>|[A-Za-z]+)?/.exec(tz);
  if (match === null) {
    return { standardName: undefined, daylightName: undefined, standardOffset: undefined };
  }
  const unquote = (name: string | undefined): string | undefined =>
    name?.replace(/^<(.*)>$/, "$1");
  const [h = 0, m = 0, s = 0] = match[2]!.replace(/^[+-]/, "").split(":").map(Number);
  const west = (h * 3600 + m * 60 + s) * (match[2]!.startsWith("-") ? -1 : 1);
  return { standardName: unquote(match[1]), daylightName: unquote(match[3]),
    standardOffset: -west };
}
