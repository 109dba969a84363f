/**
 * to_char for timestamp, timestamptz and interval (PostgreSQL docs table 9.27): a template is
 * read left to right, longest pattern first, each pattern replaced by a field of the value.
 * `FM` drops padding, `TH`/`th` add an ordinal suffix, double quotes and backslashes quote.
 * Month and day names pad to nine characters unless FM, as PostgreSQL does.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Interval, Value } from "../types/value.js";
import { TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY } from "../types/value.js";
import type { EvalContext, ScalarFunction } from "./defs.js";
import { fn, str } from "./builders.js";
import { type Fields, toFields } from "./calendar.js";
import { abbreviationAt, offsetAt, sessionZone } from "./tz.js";
import { type Moment, field } from "./to-char-fields.js";
import { T } from "./type-oids.js";
import { toNumber } from "./to-number.js";
import { numberToChar } from "./to-char-number.js";

const patterns = [
  "HH24",
  "HH12",
  "HH",
  "MI",
  "SSSSS",
  "SSSS",
  "SS",
  "MS",
  "US",
  "FF1",
  "FF2",
  "FF3",
  "FF4",
  "FF5",
  "FF6",
  "A.M.",
  "a.m.",
  "P.M.",
  "p.m.",
  "AM",
  "am",
  "PM",
  "pm",
  "Y,YYY",
  "YYYY",
  "yyyy",
  "YYY",
  "YY",
  "Y",
  "IYYY",
  "IYY",
  "IY",
  "I",
  "B.C.",
  "b.c.",
  "A.D.",
  "a.d.",
  "BC",
  "bc",
  "AD",
  "ad",
  "MONTH",
  "Month",
  "month",
  "MON",
  "Mon",
  "mon",
  "MM",
  "DAY",
  "Day",
  "day",
  "DY",
  "Dy",
  "dy",
  "DDD",
  "IDDD",
  "DD",
  "D",
  "ID",
  "WW",
  "W",
  "IW",
  "CC",
  "J",
  "Q",
  "RM",
  "rm",
  "TZH",
  "TZM",
  "TZ",
  "tz",
  "OF",
].sort((a, b) => b.length - a.length);

/** Patterns PostgreSQL also accepts in all lower case ("yyyy", not "Yyyy"), same digits. */
const caseless: ReadonlySet<string> = new Set([
  "HH24",
  "HH12",
  "HH",
  "MI",
  "SSSSS",
  "SSSS",
  "SS",
  "MS",
  "US",
  "FF1",
  "FF2",
  "FF3",
  "FF4",
  "FF5",
  "FF6",
  "Y,YYY",
  "YYYY",
  "YYY",
  "YY",
  "Y",
  "IYYY",
  "IYY",
  "IY",
  "I",
  "MM",
  "DDD",
  "IDDD",
  "DD",
  "D",
  "ID",
  "WW",
  "W",
  "IW",
  "CC",
  "J",
  "Q",
]);

export function toCharFunctions(): ScalarFunction[] {
  const zone = (c: EvalContext): string => sessionZone((n) => c.setting(n));
  return [
    fn("to_number", [T.text, T.text], T.numeric, (a) =>
      toNumber(str(a[0] ?? ""), str(a[1] ?? ""))),
    fn("to_char", [T.timestamp, T.text], T.text, (a) =>
      timestampToChar(a[0] as bigint, str(a[1] ?? ""), "UTC", false),
    ),
    fn(
      "to_char",
      [T.timestamptz, T.text],
      T.text,
      (a, c) => timestampToChar(a[0] as bigint, str(a[1] ?? ""), zone(c), true),
      { volatility: "s" },
    ),
    fn("to_char", [T.interval, T.text], T.text, (a) =>
      intervalToChar(a[0] as Interval, str(a[1] ?? "")),
    ),
    ...[T.int2, T.int4, T.int8, T.float4, T.float8, T.numeric].map((type) =>
      fn("to_char", [type, T.text], T.text, (a) =>
        numberToChar(a[0] ?? null, type, str(a[1] ?? "")),
      ),
    ),
  ];
}

function timestampToChar(ts: bigint, template: string, zone: string, withZone: boolean): Value {
  if (ts === TIMESTAMP_INFINITY || ts === TIMESTAMP_MINUS_INFINITY || template === "") return null;
  const offset = withZone ? offsetAt(zone, ts) : 0;
  const f = toFields(ts + BigInt(offset) * 1_000_000n);
  const zoneAbbrev = withZone ? abbreviationAt(zone, ts) : "";
  return format(template, { f, offset, zoneAbbrev, interval: false });
}

function intervalToChar(v: Interval, template: string): Value {
  if (template === "") return null;
  const total = v.micros;
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const hours = Number(abs / 3_600_000_000n) * (negative ? -1 : 1);
  const rest = Number(abs % 3_600_000_000n);
  const f: Fields = {
    year: Math.trunc(v.months / 12),
    month: v.months % 12,
    day: v.days,
    hour: hours,
    minute: Math.floor(rest / 60_000_000) * (negative ? -1 : 1),
    second: (Math.floor(rest / 1e6) % 60) * (negative ? -1 : 1),
    micro: (rest % 1e6) * (negative ? -1 : 1),
  };
  return format(template, { f, offset: 0, zoneAbbrev: "", interval: true });
}

/** Name patterns: a TM prefix prints them unpadded; TH never follows them. */
const namePatterns: ReadonlySet<string> = new Set(["MONTH", "Month", "month", "MON", "Mon",
  "mon", "DAY", "Day", "day", "DY", "Dy", "dy"]);

/** Patterns whose TH/th suffix is read but ignored (Postgres applies it to digits only). */
const wordPatterns: ReadonlySet<string> = new Set([...namePatterns, "AM", "am", "PM", "pm",
  "A.M.", "a.m.", "P.M.", "p.m.", "BC", "bc", "AD", "ad", "B.C.", "b.c.", "A.D.", "a.d.",
  "RM", "rm", "TZ", "tz", "TZH", "OF"]);

/** Patterns that name calendar things an interval does not have. */
const notForIntervals: ReadonlySet<string> = new Set([...namePatterns, "A.D.", "a.d.", "AD",
  "ad", "B.C.", "b.c.", "BC", "bc", "D", "ID", "TZ", "tz", "OF", "TZH", "TZM"]);

/**
 * Expands `template` for one moment. Inside double quotes a backslash quotes the next
 * character; outside them it is special only before a double quote, as parse_format.
 */
function format(template: string, m: Moment): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const ch = template[i] ?? "";
    if (ch === '"') {
      i++;
      while (i < template.length && template[i] !== '"') {
        if (template[i] === "\\" && i + 1 < template.length) i++;
        out += template[i];
        i++;
      }
      i++;
      continue;
    }
    if (ch === "\\" && template[i + 1] === '"') {
      out += '"';
      i += 2;
      continue;
    }
    if (template.startsWith("FX", i) || template.startsWith("fx", i)) {
      i += 2; // fixed-format mode: it matters to to_timestamp only
      continue;
    }
    let fm = false;
    let tm = false;
    let j = i;
    const prefix = template.slice(j, j + 2);
    if (prefix === "FM" || prefix === "fm" || prefix === "TM" || prefix === "tm") {
      fm = prefix[0] === "F" || prefix[0] === "f";
      tm = !fm;
      j += 2;
    }
    const pattern = patterns.find(
      (p) =>
        template.startsWith(p, j) ||
        (caseless.has(p) && template.startsWith(p.toLowerCase(), j)),
    );
    if (pattern === undefined) {
      // A prefix with no pattern after it is dropped, as Postgres does.
      if (j === i) out += ch;
      i = j === i ? i + 1 : j;
      continue;
    }
    j += pattern.length;
    if (m.interval && notForIntervals.has(pattern)) {
      throw new SqlError(SqlState.invalidDatetimeFormat,
        "invalid format specification for an interval value",
        { hint: "Intervals are not tied to specific calendar dates." });
    }
    let text = field(pattern, m, fm || (tm && namePatterns.has(pattern)));
    const suffix = /^(TH|th|SP)/.exec(template.slice(j));
    if (suffix !== null) {
      if (suffix[1] !== "SP" && !wordPatterns.has(pattern)) {
        text += ordinal(Number(text), suffix[1] === "TH");
      }
      j += 2;
    }
    out += text;
    i = j;
  }
  return out;
}

function ordinal(n: number, upper: boolean): string {
  const last2 = Math.abs(n) % 100;
  const last = Math.abs(n) % 10;
  const s =
    last2 >= 11 && last2 <= 13
      ? "th"
      : last === 1
        ? "st"
        : last === 2
          ? "nd"
          : last === 3
            ? "rd"
            : "th";
  return upper ? s.toUpperCase() : s;
}
