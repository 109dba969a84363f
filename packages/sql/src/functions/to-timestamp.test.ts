/**
 * to_timestamp/to_date template reading, POSIX zone names and the non-ISO DateStyles, against
 * what PostgreSQL 15 prints for the same calls.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SqlError } from "@tessera/base";
import { parseTemplate } from "./datetime-template.js";
import { testContext, text } from "./test-util.js";
import { T } from "./type-oids.js";
import { dateIo } from "../types/datetime/date.js";
import { timestampIo, timestamptzIo } from "../types/datetime/timestamp.js";
import { defaultFormatContext } from "../types/context.js";
import { findZone } from "../types/datetime/zone.js";

const utc = testContext({ TimeZone: "UTC" });
const toTs = (input: string, format: string): string | null =>
  text("to_timestamp", [T.text, T.text], [input, format], undefined, utc);
const toDate = (input: string, format: string): string | null =>
  text("to_date", [T.text, T.text], [input, format], undefined, utc);

function sqlState(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof SqlError ? e.code : "not an SqlError";
  }
  return undefined;
}

test("a template splits into keywords, separators and quoted characters", () => {
  const nodes = parseTemplate('FMDDth "of" Mon\\"x');
  assert.deepEqual(nodes.map((n) => (n.kind === "keyword" ? n.name : `${n.kind}:${n.char}`)), [
    "DD", "space: ", "char:o", "char:f", "space: ", "Mon", 'separator:"', "char:x",
  ]);
  assert.equal(nodes[0]?.kind === "keyword" && nodes[0].fm && nodes[0].th, true);
});

test("numeric fields read a fixed width only when digits follow", () => {
  assert.equal(toDate("20240305", "YYYYMMDD"), "2024-03-05");
  assert.equal(toDate("2024-3-5", "YYYY-MM-DD"), "2024-03-05");
  assert.equal(toDate("5th of March 2024", 'DDth "of" Month YYYY'), "2024-03-05");
  assert.equal(toTs("123045", "HH24MISS"), "0001-01-01 12:30:45+00 BC");
  assert.equal(toTs("1230", "HH24MISS"), "0001-01-01 12:30:00+00 BC");
  assert.equal(sqlState(() => toTs("12a045", "HH24MISS")), "22007");
});

test("years, centuries, ISO weeks and days of year settle as in Postgres", () => {
  assert.equal(toDate("70-1-5", "YY-MM-DD"), "1970-01-05");
  assert.equal(toDate("524-3-5", "YYY-MM-DD"), "1524-03-05");
  assert.equal(toDate("21 century", 'CC "century"'), "2001-01-01");
  assert.equal(toDate("2024 10 3", "IYYY IW ID"), "2024-03-06");
  assert.equal(toDate("2024-060", "YYYY-DDD"), "2024-02-29");
  assert.equal(sqlState(() => toDate("2024 10", "YYYY IW")), "22007");
  assert.equal(sqlState(() => toDate("2024-02-30", "YYYY-MM-DD")), "22008");
});

test("zones: TZH/TZM, FF rounding, and SSSS", () => {
  assert.equal(toTs("2024-03-05 13:45 -08", "YYYY-MM-DD HH24:MI TZH"), "2024-03-05 21:45:00+00");
  assert.equal(toTs("2024-03-05 14:07:09.1234", "YYYY-MM-DD HH24:MI:SS.FF3"),
    "2024-03-05 14:07:09.123+00");
  assert.equal(toTs("2024-03-05 49530", "YYYY-MM-DD SSSS"), "2024-03-05 13:45:30+00");
  assert.equal(sqlState(() => toTs("2024-03-05 10:00 EST", "YYYY-MM-DD HH24:MI TZ")), "0A000");
});

test("a POSIX TimeZone counts west; a bare number counts east", () => {
  assert.equal(findZone("+05:30")?.offsetAt(0), -19800);
  assert.equal(findZone("UTC+5")?.abbreviationAt(0), "UTC");
  assert.equal(findZone("<+03>-03")?.offsetAt(0), 10800);
  const ctx = { ...defaultFormatContext, timeZone: "+05:30" };
  assert.equal(timestamptzIo.output(0n, ctx), "1999-12-31 18:30:00-05:30");
});

test("DateStyle SQL, German and Postgres print dates and timestamps their way", () => {
  const style = (dateStyle: string) => ({ ...defaultFormatContext, dateStyle });
  const day = 8766; // 2024-01-01
  const noon = BigInt(day) * 86_400_000_000n + 43_200_000_000n;
  assert.equal(dateIo.output(day, style("SQL, MDY")), "01/01/2024");
  assert.equal(dateIo.output(day, style("German, DMY")), "01.01.2024");
  assert.equal(dateIo.output(day, style("Postgres, DMY")), "01-01-2024");
  assert.equal(timestampIo.output(noon, style("Postgres, MDY")), "Mon Jan 01 12:00:00 2024");
  assert.equal(timestamptzIo.output(noon, style("SQL, MDY")), "01/01/2024 12:00:00 UTC");
});
