/**
 * OVERLAPS, to_char's TZ abbreviations from the tz database, and extract(julian from date),
 * against PostgreSQL 15's printed results.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { testContext, text } from "./test-util.js";
import { dateFromYmd, fromFields } from "./calendar.js";
import { abbreviationAt, localToUtc } from "./tz.js";
import { T } from "./type-oids.js";

const ts = (y: number, mo: number, d: number, h = 0): bigint =>
  fromFields({ year: y, month: mo, day: d, hour: h, minute: 0, second: 0, micro: 0 });
const four = [T.timestamp, T.timestamp, T.timestamp, T.timestamp];

test("overlaps orders each pair and answers null only where a null decides", () => {
  const jan = (d: number): bigint => ts(2024, 1, d);
  assert.equal(text("overlaps", four, [jan(1), jan(10), jan(5), jan(20)]), "t");
  assert.equal(text("overlaps", four, [jan(10), jan(1), jan(20), jan(5)]), "t");
  assert.equal(text("overlaps", four, [jan(1), jan(5), jan(5), jan(20)]), "f");
  assert.equal(text("overlaps", four, [jan(1), null, jan(5), jan(20)]), null);
  assert.equal(text("overlaps", four, [jan(6), null, jan(5), jan(20)]), "t");
  const withSpan = [T.timestamp, T.interval, T.timestamp, T.interval];
  const day = { months: 0, days: 1, micros: 0n };
  assert.equal(text("overlaps", withSpan, [jan(1), day, jan(1), day]), "t");
});

test("to_char TZ prints the tz database's abbreviation", () => {
  const kolkata = testContext({ TimeZone: "Asia/Kolkata" });
  const instant = localToUtc("UTC", ts(2024, 1, 15, 10, ));
  assert.equal(text("to_char", [T.timestamptz, T.text], [instant, "HH24:MI TZ"], undefined,
    kolkata), "15:30 IST");
  assert.equal(abbreviationAt("Europe/Berlin", ts(2024, 7, 1)), "CEST");
  assert.equal(abbreviationAt("Europe/Berlin", ts(2024, 1, 1)), "CET");
  assert.equal(abbreviationAt("<+03>-03", ts(2024, 1, 1)), "+03");
});

test("extract(julian from date) is a whole number", () => {
  assert.equal(text("extract", [T.text, T.date], ["julian", dateFromYmd(2000, 1, 1)]),
    "2451545");
});
