/**
 * jsonpath's .datetime() and .datetime(template) (PostgreSQL 15's executeDateTimeMethod) and
 * the comparison of the datetime items they make (compareDatetime).
 *
 * A string becomes a date, time, timetz, timestamp or timestamptz item: without a template
 * by the first of the ISO formats below that reads it whole, with one by the template in the
 * standard (strict) mode of to_timestamp, the result type following the template's fields
 * (date fields, time fields, TZH/TZM). Datetime items are no jsonb values: they live inside
 * the path's evaluation and become ISO strings ("2017-03-10T12:34:56+03:00") when the path's
 * result is returned (`datetimeToJsonb`).
 *
 * Comparing items of different types casts one to the other's as PostgreSQL does; a cast
 * between a type without and a type with a time zone needs the session's TimeZone, which only
 * the *_tz functions allow (else 0A000, an error that `silent` does not suppress). Dates and
 * times, and times and timestamps, do not compare (unknown).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Jsonb } from "../types/value.js";
import { postgresEpochJd, usecsPerDay, usecsPerSec, date2j, toFields } from "./calendar.js";
import { parseTemplate } from "./datetime-template.js";
import { JsonPathError } from "./jsonpath-methods.js";
import { toTm, type Tm } from "./to-timestamp.js";
import { formatOffset, localToUtc, offsetAt } from "./tz.js";

export type DatetimeType = "date" | "time" | "timetz" | "timestamp" | "timestamptz";

/** A datetime item of a path's evaluation. */
export interface JsonDatetime {
  readonly kind: "datetime";
  readonly type: DatetimeType;
  /**
   * Microseconds: date and timestamp from 2000-01-01 (local), time and timetz from midnight
   * (local), timestamptz from 2000-01-01 UTC.
   */
  readonly micros: bigint;
  /** timetz and timestamptz: the offset the input gave, seconds east of UTC; else 0. */
  readonly offset: number;
}

/** How datetime items compare: whether casts may use the session's zone, and which it is. */
export interface DatetimeSettings {
  readonly useTz: boolean;
  /** The session's TimeZone, asked for only when a cast needs it. */
  readonly zone: () => string;
}

export function isDatetime(v: Jsonb): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) &&
    (v as { kind?: string }).kind === "datetime";
}

export function asDatetime(v: Jsonb): JsonDatetime | undefined {
  return isDatetime(v) ? v as unknown as JsonDatetime : undefined;
}

/** .type() of a datetime item. */
export const datetimeTypeNames: Readonly<Record<DatetimeType, string>> = {
  date: "date", time: "time without time zone", timetz: "time with time zone",
  timestamp: "timestamp without time zone", timestamptz: "timestamp with time zone",
};

/** The SQL/JSON standard's ISO formats, in the order PostgreSQL tries them. */
const isoFormats = ["yyyy-mm-dd",
  "HH24:MI:SS.USTZH:TZM", "HH24:MI:SS.USTZH", "HH24:MI:SSTZH:TZM", "HH24:MI:SSTZH",
  "HH24:MI:SS.US", "HH24:MI:SS",
  ...["yyyy-mm-dd HH24:MI:SS", "yyyy-mm-dd\"T\"HH24:MI:SS"].flatMap((dt) => [
    `${dt}.USTZH:TZM`, `${dt}.USTZH`, `${dt}TZH:TZM`, `${dt}TZH`]),
  ...["yyyy-mm-dd HH24:MI:SS", "yyyy-mm-dd\"T\"HH24:MI:SS"].flatMap((dt) => [`${dt}.US`, dt]),
];

/** .datetime() and .datetime(template) of one item. */
export function datetimeMethod(v: Jsonb, template: string | undefined): Jsonb {
  if (typeof v !== "string") {
    throw new JsonPathError("22031",
      "jsonpath item method .datetime() can only be applied to a string");
  }
  if (template !== undefined) return suppressible(() => parseDatetime(v, template));
  for (const format of isoFormats) {
    try {
      return parseDatetime(v, format);
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
    }
  }
  throw new JsonPathError("22031", `datetime format is not recognized: "${v}"`,
    { hint: "Use a datetime template argument to specify the input data format." });
}

/** Runs `f`, its SQL errors made suppressible (silent mode, predicates). */
function suppressible<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof SqlError) || e instanceof JsonPathError) throw e;
    throw new JsonPathError(e.code, e.message, e.fields);
  }
}

/** Which kinds of fields a template has (PostgreSQL's DCH_datetime_type). */
function templateKinds(template: string): { dated: boolean; timed: boolean; zoned: boolean } {
  const out = { dated: false, timed: false, zoned: false };
  for (const node of parseTemplate(template)) {
    if (node.kind !== "keyword") continue;
    const name = node.name.toUpperCase();
    if (name === "FX") continue;
    if (name === "TZ" || name === "TZH" || name === "TZM" || name === "OF") out.zoned = true;
    else if (/^(A\.?M\.?|P\.?M\.?|HH(12|24)?|MI|SSS?S?S?|MS|US|FF[1-6])$/.test(name)) {
      out.timed = true;
    } else out.dated = true;
  }
  return out;
}

/** Reads `input` by `template` in standard mode into a datetime item (parse_datetime). */
function parseDatetime(input: string, template: string): Jsonb {
  const kinds = templateKinds(template);
  const tm = toTm(input, template, true);
  let type: DatetimeType;
  if (kinds.dated) {
    if (kinds.timed) type = kinds.zoned ? "timestamptz" : "timestamp";
    else if (kinds.zoned) throw formatError("datetime format is zoned but not timed");
    else type = "date";
  } else if (kinds.timed) {
    type = kinds.zoned ? "timetz" : "time";
  } else {
    throw formatError("datetime format is not dated and not timed");
  }
  return makeItem(type, tm) as unknown as Jsonb;
}

function formatError(message: string): SqlError {
  return new SqlError(SqlState.invalidDatetimeFormat, message);
}

function makeItem(type: DatetimeType, tm: Tm): JsonDatetime {
  const time = BigInt(((tm.hour * 60 + tm.minute) * 60 + tm.second) * 1_000_000 + tm.micro);
  const days = BigInt(date2j(tm.year, tm.month, tm.day) - postgresEpochJd);
  const offset = tm.offset ?? 0;
  switch (type) {
    case "date": return { kind: "datetime", type, micros: days * usecsPerDay, offset: 0 };
    case "time": return { kind: "datetime", type, micros: time, offset: 0 };
    case "timetz": return { kind: "datetime", type, micros: time, offset };
    case "timestamp":
      return { kind: "datetime", type, micros: days * usecsPerDay + time, offset: 0 };
    case "timestamptz": return { kind: "datetime", type,
      micros: days * usecsPerDay + time - BigInt(offset) * usecsPerSec, offset };
  }
}

/** The ISO string a datetime item becomes in the path's result (JsonEncodeDateTime). */
export function datetimeToJsonb(v: Jsonb): Jsonb {
  const d = asDatetime(v);
  if (d === undefined) return v;
  const zone = d.type === "timetz" || d.type === "timestamptz"
    ? formatOffset(d.offset, true) : "";
  if (d.type === "time" || d.type === "timetz") return clock(d.micros) + zone;
  const local = d.type === "timestamptz" ? d.micros + BigInt(d.offset) * usecsPerSec : d.micros;
  const f = toFields(local);
  const date = `${String(f.year > 0 ? f.year : 1 - f.year).padStart(4, "0")}-` +
    `${String(f.month).padStart(2, "0")}-${String(f.day).padStart(2, "0")}`;
  const bc = f.year > 0 ? "" : " BC";
  if (d.type === "date") return date + bc;
  return `${date}T${clock(((local % usecsPerDay) + usecsPerDay) % usecsPerDay)}${zone}${bc}`;
}

/** HH:MM:SS with the fraction's significant digits. */
function clock(micros: bigint): string {
  const total = Number(micros);
  const micro = total % 1_000_000;
  const secs = (total - micro) / 1_000_000;
  const two = (n: number): string => String(n).padStart(2, "0");
  const text = `${two(Math.floor(secs / 3600))}:${two(Math.floor(secs / 60) % 60)}:` +
    two(secs % 60);
  return micro === 0 ? text : `${text}.${String(micro).padStart(6, "0").replace(/0+$/, "")}`;
}

/**
 * Compares two datetime items: negative, zero or positive, or undefined when their types do
 * not compare. Raises 0A000 when a cast needs the time zone and `settings.useTz` is off.
 */
export function compareDatetime(a: JsonDatetime, b: JsonDatetime,
  settings: DatetimeSettings): number | undefined {
  if (a.type === b.type) return compareSame(a, b);
  const [x, y, swapped] = rank(a.type) < rank(b.type) ? [a, b, false] : [b, a, true];
  const cast = castTo(x, y.type, settings);
  if (cast === undefined) return undefined;
  const cmp = compareSame(cast, y);
  return swapped ? -cmp : cmp;
}

/** Casts go from the type of lower rank to that of the higher. */
function rank(type: DatetimeType): number {
  return ["date", "time", "timetz", "timestamp", "timestamptz"].indexOf(type);
}

function compareSame(a: JsonDatetime, b: JsonDatetime): number {
  if (a.type !== "timetz") return a.micros < b.micros ? -1 : a.micros > b.micros ? 1 : 0;
  // timetz_cmp: the instant first, then the zone (one farther west sorts later).
  const ua = a.micros - BigInt(a.offset) * usecsPerSec;
  const ub = b.micros - BigInt(b.offset) * usecsPerSec;
  if (ua !== ub) return ua < ub ? -1 : 1;
  return a.offset === b.offset ? 0 : a.offset < b.offset ? 1 : -1;
}

/** `v` cast to `type`, or undefined when PostgreSQL does not compare the two types. */
function castTo(v: JsonDatetime, type: DatetimeType, settings: DatetimeSettings):
  JsonDatetime | undefined {
  const zoned = (): string => {
    if (!settings.useTz) {
      throw new SqlError(SqlState.featureNotSupported,
        `cannot convert value from ${v.type} to ${type} without time zone usage`,
        { hint: "Use *_tz() function for time zone support." });
    }
    return settings.zone();
  };
  if (v.type === "date" && type === "timestamp") return { ...v, type };
  if ((v.type === "date" || v.type === "timestamp") && type === "timestamptz") {
    const zone = zoned();
    const micros = localToUtc(zone, v.micros);
    return { kind: "datetime", type, micros, offset: offsetAt(zone, micros) };
  }
  if (v.type === "time" && type === "timetz") {
    // time_timetz: the zone's offset today.
    const zone = zoned();
    const now = BigInt(Date.now() - 946_684_800_000) * 1000n;
    return { kind: "datetime", type, micros: v.micros, offset: offsetAt(zone, now) };
  }
  return undefined;
}
