/**
 * Date/time operators and functions against PostgreSQL 15's printed results, in a DST zone
 * where it matters (America/New_York).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Interval } from "../types/value.js";
import { opText, testContext, text } from "./test-util.js";
import { dateFromYmd, fromFields } from "./calendar.js";
import { localToUtc } from "./tz.js";
import { T } from "./type-oids.js";

const ny = testContext({ TimeZone: "America/New_York" });
const ts = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, us = 0): bigint =>
  fromFields({ year: y, month: mo, day: d, hour: h, minute: mi, second: s, micro: us });
const tz = (local: bigint): bigint => localToUtc("America/New_York", local);
const iv = (months: number, days: number, micros: bigint): Interval => ({ months, days, micros });
const hour = 3_600_000_000n;

test("timestamptz arithmetic follows the wall clock across DST", () => {
  assert.equal(
    opText("+", T.timestamptz, T.interval, tz(ts(2021, 3, 13, 12)), iv(0, 1, 0n), ny),
    "2021-03-14 12:00:00-04",
  );
  assert.equal(
    opText("+", T.timestamptz, T.interval, tz(ts(2021, 11, 7, 0, 30)), iv(0, 0, hour), ny),
    "2021-11-07 01:30:00-04",
  );
  assert.equal(
    text("date_trunc", [T.text, T.timestamptz], ["day", tz(ts(2021, 3, 14, 12))], undefined, ny),
    "2021-03-14 00:00:00-05",
  );
  assert.equal(
    text("extract", [T.text, T.timestamptz], ["epoch", tz(ts(2021, 3, 14, 12))], undefined, ny),
    "1615737600.000000",
  );
  assert.equal(
    text("extract", [T.text, T.timestamptz], ["hour", tz(ts(2021, 3, 14, 12))], undefined, ny),
    "12",
  );
  assert.equal(
    text(
      "to_char",
      [T.timestamptz, T.text],
      [tz(ts(2021, 3, 14, 12)), "YYYY-MM-DD HH24 TZ OF"],
      undefined,
      ny,
    ),
    "2021-03-14 12 EDT -04",
  );
  assert.equal(
    text("to_timestamp", [T.float8], [1614834367.5], undefined, ny),
    "2021-03-04 00:06:07.5-05",
  );
});

test("timestamp, date and interval arithmetic", () => {
  assert.equal(
    opText("+", T.timestamp, T.interval, ts(2021, 1, 31), iv(1, 0, 0n)),
    "2021-02-28 00:00:00",
  );
  assert.equal(opText("+", T.date, T.int4, dateFromYmd(2020, 2, 29), 1), "2020-03-01");
  assert.equal(
    opText("-", T.date, T.date, dateFromYmd(2021, 3, 1), dateFromYmd(2020, 3, 1)),
    "365",
  );
  assert.equal(
    opText("+", T.date, T.interval, dateFromYmd(2021, 1, 1), iv(0, 1, 2n * hour)),
    "2021-01-02 02:00:00",
  );
  assert.equal(
    opText("-", T.timestamp, T.timestamp, ts(2021, 1, 1), ts(2020, 12, 25, 12)),
    "6 days 12:00:00",
  );
  assert.equal(opText("*", T.interval, T.float8, iv(0, 1, 0n), 2.5), "2 days 12:00:00");
  assert.equal(opText("/", T.interval, T.float8, iv(1, 0, 0n), 3), "10 days");
  assert.equal(opText("*", T.interval, T.float8, iv(1, 0, 0n), 1.5), "1 mon 15 days");
  assert.equal(opText("/", T.interval, T.float8, iv(0, 1, 0n), 7), "03:25:42.857143");
  assert.equal(opText("/", T.interval, T.float8, iv(5, 7, 0n), 3), "1 mon 22 days 08:00:00");
});

test("age, justify and make_*", () => {
  assert.equal(
    text("age", [T.timestamp, T.timestamp], [ts(2021, 3, 4), ts(2020, 1, 31, 10)]),
    "1 year 1 mon 3 days 14:00:00",
  );
  assert.equal(
    text("age", [T.timestamp, T.timestamp], [ts(2020, 1, 31), ts(2021, 3, 4, 10)]),
    "-1 years -1 mons -4 days -10:00:00",
  );
  assert.equal(text("justify_interval", [T.interval], [iv(1, -1, -hour)]), "28 days 23:00:00");
  assert.equal(text("justify_days", [T.interval], [iv(0, 65, 0n)]), "2 mons 5 days");
  assert.equal(text("justify_hours", [T.interval], [iv(0, 0, 50n * hour)]), "2 days 02:00:00");
  assert.equal(text("make_date", [T.int4, T.int4, T.int4], [2021, 2, 28]), "2021-02-28");
  assert.equal(
    text(
      "make_timestamp",
      [T.int4, T.int4, T.int4, T.int4, T.int4, T.float8],
      [2021, 1, 2, 3, 4, 5.5],
    ),
    "2021-01-02 03:04:05.5",
  );
  assert.equal(
    text(
      "make_interval",
      [T.int4, T.int4, T.int4, T.int4, T.int4, T.int4, T.float8],
      [0, 0, 0, 10, 2, 0, 0],
    ),
    "10 days 02:00:00",
  );
});

test("extract, date_part and date_trunc", () => {
  const p = (unit: string, v: bigint): string | null =>
    text("extract", [T.text, T.timestamp], [unit, v]);
  const x = ts(2021, 3, 4, 5, 6, 7, 500000);
  assert.equal(p("second", x), "7.500000");
  assert.equal(p("epoch", x), "1614834367.500000");
  assert.equal(p("milliseconds", x), "7500.000");
  assert.equal(p("julian", ts(2021, 3, 4, 12)), "2459278.50000000000000000000");
  assert.equal(p("week", ts(2021, 1, 3)), "53");
  assert.equal(p("quarter", ts(2021, 8, 1)), "3");
  assert.equal(text("date_part", [T.text, T.timestamp], ["second", x]), "7.5");
  assert.equal(text("date_part", [T.text, T.timestamp], ["dow", ts(2021, 3, 4)]), "4");
  assert.equal(text("extract", [T.text, T.date], ["doy", dateFromYmd(2021, 12, 31)]), "365");
  assert.equal(text("extract", [T.text, T.date], ["epoch", dateFromYmd(2021, 3, 4)]), "1614816000");
  assert.equal(
    text("extract", [T.text, T.interval], ["epoch", iv(1, 2, 3_000_000n)]),
    "2764803.000000",
  );
  assert.equal(
    text("date_trunc", [T.text, T.timestamp], ["week", ts(2021, 3, 4, 5, 6)]),
    "2021-03-01 00:00:00",
  );
  assert.equal(
    text("date_trunc", [T.text, T.timestamp], ["quarter", ts(2021, 8, 15, 10)]),
    "2021-07-01 00:00:00",
  );
  assert.equal(
    text("date_trunc", [T.text, T.timestamp], ["millennium", ts(2001, 3, 4)]),
    "2001-01-01 00:00:00",
  );
  assert.equal(
    text("date_trunc", [T.text, T.timestamp], ["century", ts(2000, 3, 4)]),
    "1901-01-01 00:00:00",
  );
  assert.equal(
    text("date_trunc", [T.text, T.interval], ["minute", iv(0, 0, 3_723_500_000n)]),
    "01:02:00",
  );
});

test("to_char and to_timestamp", () => {
  assert.equal(
    text(
      "to_char",
      [T.timestamp, T.text],
      [
        ts(2021, 3, 4, 15, 6, 7, 123456),
        "YYYY-MM-DD HH24:MI:SS.US Month Mon Day Dy FMMonth FMDay HH12 AM pm DDD IW IYYY Q " +
          '"quoted" ddth FMDDth J CC W WW MS FF3 SSSS',
      ],
    ),
    "2021-03-04 15:06:07.123456 March     Mar Thursday  Thu March Thursday 03 PM pm 063 09 " +
      "2021 1 quoted 04th 4th 2459278 21 1 09 123 123 54367",
  );
  assert.equal(
    text("to_char", [T.interval, T.text], [iv(0, 0, 25n * hour + 180_000_000n), "HH24:MI"]),
    "25:03",
  );
  assert.equal(
    text("to_char", [T.interval, T.text], [iv(0, 1, 15n * hour + 367_000_000n), "HH24:MI:SS DD"]),
    "15:06:07 01",
  );
  assert.equal(
    text(
      "to_timestamp",
      [T.text, T.text],
      ["2021-03-04 15:06:07", "YYYY-MM-DD HH24:MI:SS"],
      undefined,
      ny,
    ),
    "2021-03-04 15:06:07-05",
  );
  assert.equal(text("to_date", [T.text, T.text], ["04 Mar 2021", "DD Mon YYYY"]), "2021-03-04");
  const numbers: [number, string, string][] = [
    [-12, "S999", " -12"],
    [12, "S999", " +12"],
    [-12, "999MI", " 12-"],
    [-12, "999PR", " <12>"],
    [-485, "999PR", "<485>"],
    [-5, "999PR", "  <5>"],
    [5, "FM999PR", "5"],
    [-5, "FM999PR", "<5>"],
    [1000000.125, "S9999.9", "+####.#"],
    [-0.001, "0000.0", " 0000.0"],
    [-0.001, "999G999D99", "        .00"],
    [12345, "999", " ###"],
    [0.5, "9.99", "  .50"],
    [-0.5, "0.99", "-0.50"],
    [1234567.891, "FM9,999,999.999", "1,234,567.891"],
    [12.5, "FM999.00", "12.50"],
    [-12, "FMS999", "-12"],
    [12, "99th", " 12th"],
    [485, "RN", "        CDLXXXV"],
  ];
  for (const [value, template, expected] of numbers) {
    assert.equal(
      text("to_char", [T.float8, T.text], [value, template]),
      expected,
      `${value} ${template}`,
    );
  }
});
