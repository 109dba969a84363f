/**
 * date_trunc, date_part (float8) and extract (numeric, as PostgreSQL 15 made it) for
 * timestamp, timestamptz, date and interval. timestamptz fields are read in the session
 * TimeZone (or the zone argument of date_trunc's three-argument form).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Interval, Value } from "../types/value.js";
import { TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY } from "../types/value.js";
import type { EvalContext, ScalarFunction } from "./defs.js";
import { fn, str } from "./builders.js";
import { type Fields, date2j, fromFields, j2date, toFields, usecsPerDay } from "./calendar.js";
import { Decimal, add, dec, div, withScale } from "./decimal.js";
import { interval } from "./interval.js";
import { explicitZoneName, localToUtc, offsetAt, sessionZone } from "./tz.js";
import { T } from "./type-oids.js";
import { isoWeek, isoYear, isoWeekStart } from "./iso-week.js";
import { timetzFunctions, unsupportedUnit } from "./datetime-timetz.js";

const typeNames: Record<number, string> = {
  [T.timestamp]: "timestamp without time zone",
  [T.timestamptz]: "timestamp with time zone",
  [T.date]: "date",
  [T.interval]: "interval",
};

function unitError(unit: string, type: number, supported: boolean): SqlError {
  const verb = supported ? "not supported" : "not recognized";
  return new SqlError(
    supported ? SqlState.featureNotSupported : SqlState.invalidParameterValue,
    `unit "${unit}" ${verb} for type ${typeNames[type] ?? "timestamp"}`,
  );
}

const zoneOf = (ctx: EvalContext): string => sessionZone((n) => ctx.setting(n));

export function datePartFunctions(): ScalarFunction[] {
  const u = (a: Value[]): string => normalizeUnit(str(a[0] ?? ""));
  return [
    fn("date_trunc", [T.text, T.timestamp], T.timestamp, (a) =>
      truncTimestamp(u(a), a[1] as bigint, T.timestamp),
    ),
    fn(
      "date_trunc",
      [T.text, T.timestamptz],
      T.timestamptz,
      (a, ctx) => truncTimestamptz(u(a), a[1] as bigint, zoneOf(ctx)),
      { volatility: "s" },
    ),
    fn("date_trunc", [T.text, T.timestamptz, T.text], T.timestamptz, (a) =>
      truncTimestamptz(u(a), a[1] as bigint, explicitZoneName(str(a[2] ?? ""))),
    ),
    fn("date_trunc", [T.text, T.interval], T.interval, (a) =>
      truncInterval(u(a), a[1] as Interval),
    ),
    ...(["extract", "date_part"] as const).flatMap((name) => {
      const out = name === "extract" ? T.numeric : T.float8;
      const wrap = (d: Decimal | null): Value =>
        d === null ? null : name === "extract" ? d : d.toNumber();
      return [
        fn(name, [T.text, T.timestamp], out, (a) =>
          wrap(partOfTimestamp(u(a), a[1] as bigint, T.timestamp, 0)),
        ),
        fn(
          name,
          [T.text, T.timestamptz],
          out,
          (a, ctx) => wrap(partOfTimestamptz(u(a), a[1] as bigint, zoneOf(ctx))),
          { volatility: "s" },
        ),
        fn(name, [T.text, T.date], out, (a) => wrap(partOfDate(u(a), a[1] as number))),
        fn(name, [T.text, T.interval], out, (a) => wrap(partOfInterval(u(a), a[1] as Interval))),
      ];
    }),
    ...timetzFunctions(normalizeUnit),
  ];
}

/** Maps PostgreSQL's unit spellings (plural, abbreviated) to one name. */
export function normalizeUnit(unit: string): string {
  const u = unit.toLowerCase();
  const aliases: Record<string, string> = {
    microsecond: "microseconds",
    us: "microseconds",
    usec: "microseconds",
    usecs: "microseconds",
    millisecond: "milliseconds",
    ms: "milliseconds",
    msec: "milliseconds",
    msecs: "milliseconds",
    seconds: "second",
    sec: "second",
    secs: "second",
    s: "second",
    minutes: "minute",
    min: "minute",
    mins: "minute",
    m: "minute",
    hours: "hour",
    hr: "hour",
    hrs: "hour",
    h: "hour",
    days: "day",
    d: "day",
    weeks: "week",
    w: "week",
    months: "month",
    mon: "month",
    mons: "month",
    quarters: "quarter",
    qtr: "quarter",
    years: "year",
    y: "year",
    yr: "year",
    yrs: "year",
    decades: "decade",
    dec: "decade",
    centuries: "century",
    c: "century",
    cent: "century",
    millennia: "millennium",
    millenniums: "millennium",
    mil: "millennium",
    mils: "millennium",
    tz: "timezone",
    j: "julian",
  };
  return aliases[u] ?? u;
}

function truncFields(unit: string, f: Fields, type: number): Fields {
  const g = { ...f };
  const y = g.year;
  switch (unit) {
    case "millennium":
      g.year =
        y > 0
          ? Math.trunc((y + 999) / 1000) * 1000 - 999
          : -Math.trunc((999 - (y - 1)) / 1000) * 1000 + 1;
      return { ...g, month: 1, day: 1, hour: 0, minute: 0, second: 0, micro: 0 };
    case "century":
      g.year =
        y > 0 ? Math.trunc((y + 99) / 100) * 100 - 99 : -Math.trunc((99 - (y - 1)) / 100) * 100 + 1;
      return { ...g, month: 1, day: 1, hour: 0, minute: 0, second: 0, micro: 0 };
    case "decade":
      g.year = y > 0 ? Math.trunc(y / 10) * 10 : -Math.trunc((8 - (y - 1)) / 10) * 10;
      return { ...g, month: 1, day: 1, hour: 0, minute: 0, second: 0, micro: 0 };
    case "year":
      return { ...g, month: 1, day: 1, hour: 0, minute: 0, second: 0, micro: 0 };
    case "quarter":
      return {
        ...g,
        month: 3 * Math.trunc((g.month - 1) / 3) + 1,
        day: 1,
        hour: 0,
        minute: 0,
        second: 0,
        micro: 0,
      };
    case "month":
      return { ...g, day: 1, hour: 0, minute: 0, second: 0, micro: 0 };
    case "week": {
      const [wy, wm, wd] = j2date(isoWeekStart(g.year, g.month, g.day));
      return { year: wy, month: wm, day: wd, hour: 0, minute: 0, second: 0, micro: 0 };
    }
    case "day":
      return { ...g, hour: 0, minute: 0, second: 0, micro: 0 };
    case "hour":
      return { ...g, minute: 0, second: 0, micro: 0 };
    case "minute":
      return { ...g, second: 0, micro: 0 };
    case "second":
      return { ...g, micro: 0 };
    case "milliseconds":
      return { ...g, micro: Math.trunc(g.micro / 1000) * 1000 };
    case "microseconds":
      return g;
    default:
      // Zone units are units to Postgres (DecodeUnits), just not ones date_trunc takes.
      throw unitError(unit, type, unit.startsWith("timezone"));
  }
}

function truncTimestamp(unit: string, ts: bigint, type: number): bigint {
  if (ts === TIMESTAMP_INFINITY || ts === TIMESTAMP_MINUS_INFINITY) return ts;
  return fromFields(truncFields(unit, toFields(ts), type));
}

/** Units below a day keep the value's own offset (no new zone lookup), as Postgres. */
const subDayUnits: ReadonlySet<string> = new Set(["hour", "minute", "second", "milliseconds",
  "microseconds"]);

function truncTimestamptz(unit: string, ts: bigint, zone: string): bigint {
  if (ts === TIMESTAMP_INFINITY || ts === TIMESTAMP_MINUS_INFINITY) return ts;
  const offset = BigInt(offsetAt(zone, ts)) * 1_000_000n;
  const local = truncTimestamp(unit, ts + offset, T.timestamptz);
  return subDayUnits.has(unit) ? local - offset : localToUtc(zone, local);
}

function truncInterval(unit: string, v: Interval): Interval {
  const years = Math.trunc(v.months / 12);
  const micros = v.micros;
  const per = (n: bigint): bigint => (micros / n) * n;
  switch (unit) {
    case "millennium":
      return interval(Math.trunc(years / 1000) * 12000, 0, 0n);
    case "century":
      return interval(Math.trunc(years / 100) * 1200, 0, 0n);
    case "decade":
      return interval(Math.trunc(years / 10) * 120, 0, 0n);
    case "year":
      return interval(years * 12, 0, 0n);
    case "quarter":
      return interval(years * 12 + Math.trunc((v.months % 12) / 3) * 3, 0, 0n);
    case "month":
      return interval(v.months, 0, 0n);
    case "day":
      return interval(v.months, v.days, 0n);
    case "hour":
      return interval(v.months, v.days, per(3_600_000_000n));
    case "minute":
      return interval(v.months, v.days, per(60_000_000n));
    case "second":
      return interval(v.months, v.days, per(1_000_000n));
    case "milliseconds":
      return interval(v.months, v.days, per(1000n));
    case "microseconds":
      return v;
    case "week":
      throw new SqlError(
        SqlState.featureNotSupported,
        `unit "week" not supported for type interval`,
        { detail: "Months usually have fractional weeks." },
      );
    default:
      throw unsupportedUnit(unit, "interval");
  }
}

const n = (v: number): Decimal => dec(v);

/** Returns a field of a wall-clock timestamp; `offset` is the zone offset for tz fields. */
function partOfTimestamp(unit: string, ts: bigint, type: number, offset: number): Decimal | null {
  if (ts === TIMESTAMP_INFINITY || ts === TIMESTAMP_MINUS_INFINITY) {
    return infinitePart(unit, ts === TIMESTAMP_INFINITY, type);
  }
  const f = toFields(ts);
  const y = f.year;
  const secMicros = f.second * 1_000_000 + f.micro;
  switch (unit) {
    case "microseconds":
      return n(secMicros);
    case "milliseconds":
      return withScale(new Decimal(secMicros).div(1000), 3);
    case "second":
      return withScale(new Decimal(secMicros).div(1_000_000), 6);
    case "minute":
      return n(f.minute);
    case "hour":
      return n(f.hour);
    case "day":
      return n(f.day);
    case "month":
      return n(f.month);
    case "quarter":
      return n(Math.trunc((f.month - 1) / 3) + 1);
    case "week":
      return n(isoWeek(y, f.month, f.day));
    case "year":
      return n(y > 0 ? y : y - 1);
    case "decade":
      return n(y >= 0 ? Math.trunc(y / 10) : -Math.trunc((8 - (y - 1)) / 10));
    case "century":
      return n(y > 0 ? Math.trunc((y + 99) / 100) : -Math.trunc((99 - (y - 1)) / 100));
    case "millennium":
      return n(y > 0 ? Math.trunc((y + 999) / 1000) : -Math.trunc((999 - (y - 1)) / 1000));
    case "julian": {
      const time = ts - (ts / usecsPerDay - (ts % usecsPerDay < 0n ? 1n : 0n)) * usecsPerDay;
      return add(
        n(date2j(y, f.month, f.day)),
        div(
          withScale(new Decimal(time.toString()), 0),
          withScale(new Decimal(usecsPerDay.toString()), 0),
        ),
      );
    }
    case "isoyear": {
      const iy = isoYear(y, f.month, f.day);
      return n(iy > 0 ? iy : iy - 1);
    }
    case "dow":
      return n((date2j(y, f.month, f.day) + 1) % 7);
    case "isodow":
      return n((date2j(y, f.month, f.day) + 1) % 7 || 7);
    case "doy":
      return n(date2j(y, f.month, f.day) - date2j(y, 1, 1) + 1);
    case "epoch":
      return withScale(
        new Decimal((ts - BigInt(offset) * 1_000_000n + 946684800000000n).toString()).div(1e6),
        6,
      );
    case "timezone":
    case "timezone_hour":
    case "timezone_minute":
      if (type !== T.timestamptz) throw unitError(unit, type, true);
      return n(
        unit === "timezone"
          ? offset
          : unit === "timezone_hour"
            ? Math.trunc(offset / 3600)
            : Math.trunc(offset / 60) % 60,
      );
    default:
      throw unitError(unit, type, false);
  }
}

function partOfTimestamptz(unit: string, ts: bigint, zone: string): Decimal | null {
  if (ts === TIMESTAMP_INFINITY || ts === TIMESTAMP_MINUS_INFINITY) {
    return infinitePart(unit, ts === TIMESTAMP_INFINITY, T.timestamptz);
  }
  const offset = offsetAt(zone, ts);
  return partOfTimestamp(unit, ts + BigInt(offset) * 1_000_000n, T.timestamptz, offset);
}

function partOfDate(unit: string, d: number): Decimal | null {
  const timeUnits = [
    "microseconds",
    "milliseconds",
    "second",
    "minute",
    "hour",
    "timezone",
    "timezone_hour",
    "timezone_minute",
  ];
  if (timeUnits.includes(unit)) throw unitError(unit, T.date, true);
  if (!Number.isFinite(d)) return infinitePart(unit, d > 0, T.date);
  const v = partOfTimestamp(unit, BigInt(d) * usecsPerDay, T.date, 0);
  return v === null ? v : withScale(v, 0);
}

function infinitePart(unit: string, positive: boolean, type: number): Decimal | null {
  const monotonic = ["year", "decade", "century", "millennium", "julian", "isoyear", "epoch"];
  if (monotonic.includes(unit)) return new Decimal(positive ? Infinity : -Infinity);
  const known = [
    "microseconds",
    "milliseconds",
    "second",
    "minute",
    "hour",
    "day",
    "month",
    "quarter",
    "week",
    "dow",
    "isodow",
    "doy",
    "timezone",
    "timezone_hour",
    "timezone_minute",
  ];
  if (!known.includes(unit)) throw unitError(unit, type, false);
  return null;
}

function partOfInterval(unit: string, v: Interval): Decimal | null {
  const years = Math.trunc(v.months / 12);
  const secMicros = v.micros % 60_000_000n;
  switch (unit) {
    case "microseconds":
      return withScale(new Decimal(secMicros.toString()), 0);
    case "milliseconds":
      return withScale(new Decimal(secMicros.toString()).div(1000), 3);
    case "second":
      return withScale(new Decimal(secMicros.toString()).div(1e6), 6);
    case "minute":
      return n(Number((v.micros / 60_000_000n) % 60n));
    case "hour":
      return n(Number(v.micros / 3_600_000_000n));
    case "day":
      return n(v.days);
    case "month":
      return n(v.months % 12);
    case "quarter":
      return n(Math.trunc((v.months % 12) / 3) + 1);
    case "year":
      return n(years);
    case "decade":
      return n(Math.trunc(years / 10));
    case "century":
      return n(Math.trunc(years / 100));
    case "millennium":
      return n(Math.trunc(years / 1000));
    case "epoch": {
      const secs = new Decimal(v.micros.toString())
        .div(1e6)
        .plus(new Decimal(years).times(365.25 * 86400))
        .plus(new Decimal(v.months % 12).times(30 * 86400))
        .plus(new Decimal(v.days).times(86400));
      return withScale(secs, 6);
    }
    default:
      throw unsupportedUnit(unit, "interval");
  }
}
