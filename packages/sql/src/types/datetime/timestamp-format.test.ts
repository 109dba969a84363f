import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultFormatContext } from "../context.js";
import {
  formatClock, formatOffset, formatYmd, j2date, postgresEpochJulian, splitTime, splitTimestamp,
} from "./calendar.js";
import { formatTimestamp, formatTimestamptz, offsetOfUtc, parseTimestamp, sessionZone }
  from "./timestamp.js";

const berlin = { ...defaultFormatContext, timeZone: "Europe/Berlin" };
const kolkata = { ...defaultFormatContext, timeZone: "Asia/Kolkata" };
const utc = { ...defaultFormatContext, timeZone: "UTC" };

/** The output by bigint arithmetic alone, as for timestamps far from 2000. */
function reference(value: bigint, ctx: typeof utc | undefined): string {
  const offset = ctx === undefined ? 0 : offsetOfUtc(value, sessionZone(ctx));
  const { days, timeMicros } = splitTimestamp(value + BigInt(offset) * 1_000_000n);
  const ymd = j2date(days + postgresEpochJulian);
  const text = `${formatYmd(ymd)} ${formatClock(splitTime(timeMicros))}` +
    (ctx === undefined ? "" : formatOffset(offset));
  return ymd.year <= 0 ? text + " BC" : text;
}

test("timestamps near 2000 print as by bigint arithmetic, in any zone", () => {
  let seed = 7;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const span = 9_007_199_254_740_991;
  for (let i = 0; i < 20_000; i++) {
    const scale = [1e3, 1e6, 1e9, 1e12, 1e15, span][i % 6]!;
    let micros = Math.round((random() * 2 - 1) * scale);
    if (i % 3 === 0) micros -= micros % 1_000_000; // whole seconds
    const value = BigInt(micros);
    for (const ctx of [utc, berlin, kolkata]) {
      assert.equal(formatTimestamptz(value, ctx), reference(value, ctx), `${value}`);
    }
    assert.equal(formatTimestamp(value), reference(value, undefined), `${value}`);
  }
});

test("timestamp output keeps Postgres's text at the edges of the number path", () => {
  const at = (text: string, ctx = berlin): string =>
    formatTimestamptz(parseTimestamp(text, ctx, true), ctx);
  assert.equal(at("2024-07-01 12:00"), "2024-07-01 12:00:00+02");
  assert.equal(at("2024-01-01 00:00:00.5 UTC"), "2024-01-01 01:00:00.5+01");
  assert.equal(at("1999-12-31 23:59:59.999999+00", utc), "1999-12-31 23:59:59.999999+00");
  assert.equal(at("1900-01-01 00:00", kolkata), "1900-01-01 00:00:00+05:21:10");
  assert.equal(at("0044-03-15 12:00 BC", utc), "0044-03-15 12:00:00+00 BC");
  assert.equal(at("294276-12-31 23:59:59 UTC", utc), "294276-12-31 23:59:59+00");
  for (const edge of [9_007_199_254_740_991n, 9_007_026_454_740_991n, 9_007_026_454_740_992n]) {
    for (const value of [edge, -edge]) {
      assert.equal(formatTimestamptz(value, berlin), reference(value, berlin));
      assert.equal(formatTimestamp(value), reference(value, undefined));
    }
  }
});
