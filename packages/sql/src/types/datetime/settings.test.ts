/**
 * Session settings that change how date/time text is read: numeric TimeZone values (named
 * as pg_tzset_offset names them) and IntervalStyle sql_standard's leading sign.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultFormatContext } from "../context.js";
import { typeByOid } from "../registry.js";
import { TypeOid } from "../oids.js";
import { findZone, timeZoneSettingName } from "./zone.js";

test("a numeric TimeZone becomes a POSIX zone name with the same meaning", () => {
  assert.equal(timeZoneSettingName("+03"), "<+03>-03");
  assert.equal(timeZoneSettingName("-5.5"), "<-05:30>+05:30");
  assert.equal(timeZoneSettingName("0"), "<+00>-00");
  assert.equal(timeZoneSettingName("Europe/Oslo"), "Europe/Oslo");
  assert.equal(findZone("<+03>-03")?.offsetAt(0), 10800);
  assert.equal(findZone("<-05:30>+05:30")?.offsetAt(0), -19800);
});

test("sql_standard interval input applies a lone leading minus to every field", () => {
  const interval = typeByOid(TypeOid.interval)!;
  const standard = { ...defaultFormatContext, intervalStyle: "sql_standard" };
  const read = (text: string, ctx = standard): string =>
    interval.output(interval.input(text, -1, ctx), ctx);
  assert.equal(read("-1 day 2 hours"), "-1 2:00:00");
  assert.equal(read("-1 day +2 hours"), "+0-0 -1 +2:00:00");
  assert.equal(read("-1 day 2 hours", defaultFormatContext), "-1 days +02:00:00");
});
