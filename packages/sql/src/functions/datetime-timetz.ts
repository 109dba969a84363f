/**
 * time and timetz beyond comparison: extract/date_part on them (time_part, timetz_part),
 * timetz ± interval, date + timetz, and the AT TIME ZONE forms Postgres has besides the text
 * zone on timestamps: a zone given as an interval (timestamp_izone, timestamptz_izone) and
 * timetz converted to a zone (timetz_zone, timetz_izone). A named zone's offset for a timetz
 * is the one in force at the transaction's start, as Postgres takes it.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Interval, TimeTz, Value } from "../types/value.js";
import { TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY } from "../types/value.js";
import type { OperatorDef, ScalarFunction } from "./defs.js";
import { fn, op, str } from "./builders.js";
import { usecsPerDay } from "./calendar.js";
import { dateToTimestamp } from "./comparison.js";
import { Decimal, dec, withScale } from "./decimal.js";
import { explicitZoneName, offsetAt } from "./tz.js";
import { T } from "./type-oids.js";
import { defaultFormatContext } from "../types/context.js";
import { formatInterval } from "../types/datetime/interval-format.js";

const dayMicros = Number(usecsPerDay);

/** Every unit extract knows for some type; the rest are "not recognized". */
export const knownUnits: ReadonlySet<string> = new Set(["microseconds", "milliseconds", "second",
  "minute", "hour", "day", "week", "month", "quarter", "year", "decade", "century",
  "millennium", "dow", "doy", "isodow", "isoyear", "julian", "timezone", "timezone_hour",
  "timezone_minute", "epoch"]);

/** 0A000 for a unit known elsewhere, else 22023, naming the type as Postgres does. */
export function unsupportedUnit(unit: string, typeName: string): SqlError {
  return knownUnits.has(unit)
    ? new SqlError(SqlState.featureNotSupported,
      `unit "${unit}" not supported for type ${typeName}`)
    : new SqlError(SqlState.invalidParameterValue,
      `unit "${unit}" not recognized for type ${typeName}`);
}

function scaled(micros: number, scale: number): Decimal {
  return withScale(new Decimal(micros).div(10 ** scale), scale);
}

/** extract(unit from time), and from timetz when `zoneWest` is given. */
export function partOfTime(unit: string, time: number, zoneWest: number | undefined): Decimal {
  const second = time % 60_000_000;
  switch (unit) {
    case "microseconds": return dec(second);
    case "milliseconds": return scaled(second, 3);
    case "second": return scaled(second, 6);
    case "minute": return dec(Math.floor(time / 60_000_000) % 60);
    case "hour": return dec(Math.floor(time / 3_600_000_000));
    case "epoch": return scaled(time + (zoneWest ?? 0) * 1_000_000, 6);
    default: break;
  }
  if (zoneWest !== undefined) {
    const east = -zoneWest;
    if (unit === "timezone") return dec(east);
    if (unit === "timezone_hour") return dec(Math.trunc(east / 3600));
    if (unit === "timezone_minute") return dec(Math.trunc(east / 60) % 60);
  }
  throw unsupportedUnit(unit, zoneWest === undefined
    ? "time without time zone" : "time with time zone");
}

function wrapTime(time: number): number {
  const t = time % dayMicros;
  return t < 0 ? t + dayMicros : t;
}

/** An interval zone's offset, seconds east; months or days are refused. */
function intervalZone(zone: Interval): number {
  if (zone.months !== 0 || zone.days !== 0) {
    throw new SqlError(SqlState.invalidParameterValue,
      `interval time zone "${formatInterval(zone, defaultFormatContext)}" must not include ` +
      "months or days");
  }
  return Number(zone.micros / 1_000_000n);
}

function finite(ts: bigint, f: (ts: bigint) => bigint): bigint {
  return ts === TIMESTAMP_INFINITY || ts === TIMESTAMP_MINUS_INFINITY ? ts : f(ts);
}

function timetzAt(t: TimeTz, east: number): TimeTz {
  return { micros: wrapTime(t.micros + (t.zoneSeconds + east) * 1_000_000), zoneSeconds: -east };
}

/** The functions; `normalizeUnit` maps extract's unit spellings to one name each. */
export function timetzFunctions(normalizeUnit: (unit: string) => string): ScalarFunction[] {
  const unit = (a: Value[]): string => normalizeUnit(str(a[0] ?? ""));
  return [
    ...(["extract", "date_part"] as const).flatMap((name) => {
      const out = name === "extract" ? T.numeric : T.float8;
      const wrap = (d: Decimal): Value => (name === "extract" ? d : d.toNumber());
      return [
        fn(name, [T.text, T.time], out, (a) =>
          wrap(partOfTime(unit(a), a[1] as number, undefined))),
        fn(name, [T.text, T.timetz], out, (a) => {
          const t = a[1] as TimeTz;
          return wrap(partOfTime(unit(a), t.micros, t.zoneSeconds));
        }),
      ];
    }),
    fn("timezone", [T.interval, T.timestamp], T.timestamptz, (a) =>
      finite(a[1] as bigint, (ts) => ts - BigInt(intervalZone(a[0] as Interval)) * 1_000_000n)),
    fn("timezone", [T.interval, T.timestamptz], T.timestamp, (a) =>
      finite(a[1] as bigint, (ts) => ts + BigInt(intervalZone(a[0] as Interval)) * 1_000_000n)),
    fn("timezone", [T.interval, T.timetz], T.timetz, (a) =>
      timetzAt(a[1] as TimeTz, intervalZone(a[0] as Interval))),
    fn("timezone", [T.text, T.timetz], T.timetz, (a, ctx) =>
      timetzAt(a[1] as TimeTz,
        offsetAt(explicitZoneName(str(a[0] ?? "")), ctx.transactionStartMicros)),
    { volatility: "v" }),
  ];
}

export function timetzOperators(): OperatorDef[] {
  const plus = (t: Value, span: Value, sign: number): TimeTz => {
    const tz = t as TimeTz;
    const micros = Number((span as Interval).micros % usecsPerDay) * sign;
    return { micros: wrapTime(tz.micros + micros), zoneSeconds: tz.zoneSeconds };
  };
  const atDate = (date: Value, t: Value): bigint => {
    const tz = t as TimeTz;
    const local = dateToTimestamp(date as number) + BigInt(tz.micros);
    return local + BigInt(tz.zoneSeconds) * 1_000_000n;
  };
  return [
    op("+", T.timetz, T.interval, T.timetz, (l, r) => plus(l, r, 1)),
    op("+", T.interval, T.timetz, T.timetz, (l, r) => plus(r, l, 1)),
    op("-", T.timetz, T.interval, T.timetz, (l, r) => plus(l, r, -1)),
    op("+", T.date, T.timetz, T.timestamptz, (l, r) => atDate(l, r)),
    op("+", T.timetz, T.date, T.timestamptz, (l, r) => atDate(r, l)),
  ];
}
