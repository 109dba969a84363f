/**
 * jsonpath .datetime(): result types and ISO output, templates in standard mode, and the
 * casts of datetime comparisons with and without a time zone (expected values printed by
 * PostgreSQL 15).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SqlError } from "@tessera/base";
import { canonicalJsonPath } from "../types/jsonpath.js";
import { formatJsonb } from "../types/jsonb.js";
import type { Jsonb } from "../types/value.js";
import { parseJson } from "./jsonb-util.js";
import { jsonpathFunctions } from "./jsonpath.js";
import type { EvalContext } from "./defs.js";

const zone = (name: string): EvalContext =>
  ({ setting: (n: string) => (n === "TimeZone" ? name : "") }) as unknown as EvalContext;
const call = { argTypes: [], returnType: 0 };

function query(doc: string, path: string, fn = "jsonb_path_query_array",
  ctx = zone("UTC")): string {
  const def = jsonpathFunctions().find((f) => f.name === fn);
  assert.ok(def !== undefined && def.kind === "scalar");
  return formatJsonb(def.impl([parseJson(doc), canonicalJsonPath(path), parseJson("{}"), false],
    ctx, call) as Jsonb);
}

test("ISO formats pick the type and print as JSON strings", () => {
  const cases: [string, string, string][] = [
    ['"2017-03-10"', '["2017-03-10"]', '["date"]'],
    ['"12:34:56.5"', '["12:34:56.5"]', '["time without time zone"]'],
    ['"12:34:56+3"', '["12:34:56+03:00"]', '["time with time zone"]'],
    ['"2017-03-10 12:34:56"', '["2017-03-10T12:34:56"]', '["timestamp without time zone"]'],
    ['"2017-03-10T12:34:56.123-01:30"', '["2017-03-10T12:34:56.123-01:30"]',
      '["timestamp with time zone"]'],
  ];
  for (const [doc, value, type] of cases) {
    assert.equal(query(doc, "$.datetime()"), value, doc);
    assert.equal(query(doc, "$.datetime().type()"), type, doc);
  }
});

test("templates read in standard mode", () => {
  assert.equal(query('"10-03-2017 12:34 +05"', '$.datetime("dd-mm-yyyy HH24:MI TZH")'),
    '["2017-03-10T12:34:00+05:00"]');
  assert.equal(query('"12:34"', '$.datetime("HH24:MI").type()'), '["time without time zone"]');
  const fails = (doc: string, template: string, code: string, message: RegExp): void =>
    assert.throws(() => query(`"${doc}"`, `$.datetime("${template}")`),
      (e: unknown) => e instanceof SqlError && e.code === code && message.test(e.message));
  fails("10/03/2017", "dd-mm-yyyy", "22007", /unmatched format separator "-"/);
  fails("10-03-2017 12", "dd-mm-yyyy", "22007", /trailing characters remain/);
  fails("10-03-2017", "dd-mm-yyyy HH24", "22007", /too short/);
  fails("10-03-2017 +05", "dd-mm-yyyy TZH", "22007", /zoned but not timed/);
});

test("comparisons cast through the session zone only in the _tz functions", () => {
  const path = '$.datetime() < "2017-03-10 05:00:01+00".datetime()';
  assert.throws(() => query('"2017-03-10"', path, "jsonb_path_query_array"),
    (e: unknown) => e instanceof SqlError && e.code === "0A000" &&
      e.message === "cannot convert value from date to timestamptz without time zone usage");
  assert.equal(query('"2017-03-10"', path, "jsonb_path_query_array_tz", zone("UTC")),
    "[true]");
  assert.equal(query('"2017-03-10"', path, "jsonb_path_query_array_tz",
    zone("America/New_York")), "[true]");
  assert.equal(query('"2017-03-10 06:00:00"', path, "jsonb_path_query_array_tz",
    zone("America/New_York")), "[false]");
  assert.equal(query('"12:00:00"', '$.datetime() < "2017-03-10".datetime()'), "[null]");
});
