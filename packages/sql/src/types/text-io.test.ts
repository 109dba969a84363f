/**
 * Text input and output of every type family against what PostgreSQL 15 printed for the
 * same literal, `SELECT '<input>'::<type>` (testdata/text-io-expected*.ts, written by
 * testdata/generate-expected.mjs from the cases in text-io-cases.mjs). A cast of a literal
 * runs the input function, then applies the typmod as an explicit coercion.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SqlError } from "@tessera/base";
import { coerceToTypmod } from "./casts.js";
import { defaultFormatContext, type FormatContext } from "./context.js";
import { parseTypeName } from "./type-names.js";
import type { ExpectedCase } from "./testdata/expected-case.js";
import { expectedCases } from "./testdata/text-io-expected.js";

function contextFor(settings: Record<string, string>): FormatContext {
  return {
    ...defaultFormatContext,
    ...(settings["TimeZone"] === undefined ? {} : { timeZone: settings["TimeZone"] }),
    ...(settings["DateStyle"] === undefined ? {} : { dateStyle: settings["DateStyle"] }),
    ...(settings["IntervalStyle"] === undefined ? {}
      : { intervalStyle: settings["IntervalStyle"] }),
    ...(settings["extra_float_digits"] === undefined ? {}
      : { extraFloatDigits: Number(settings["extra_float_digits"]) }),
    ...(settings["bytea_output"] === undefined ? {}
      : { byteaOutput: settings["bytea_output"] === "escape" ? "escape" as const
        : "hex" as const }),
  };
}

function run(testCase: ExpectedCase): { output?: string; error?: ExpectedCase["error"] } {
  const parsed = parseTypeName(testCase.type);
  assert.ok(parsed, `type ${testCase.type}`);
  const ctx = contextFor(testCase.settings);
  try {
    const value = parsed.type.input(testCase.input, -1, ctx);
    const coerced = coerceToTypmod(parsed.type.oid, value, parsed.typmod, true);
    return { output: coerced === null ? "" : parsed.type.output(coerced, ctx) };
  } catch (error) {
    if (!(error instanceof SqlError)) throw error;
    const fields: NonNullable<ExpectedCase["error"]> = { code: error.code, message: error.message };
    if (error.detail !== undefined) fields.detail = error.detail;
    return { error: fields };
  }
}

const families = new Map<string, ExpectedCase[]>();
for (const testCase of expectedCases) {
  const list = families.get(testCase.type) ?? [];
  list.push(testCase);
  families.set(testCase.type, list);
}

for (const [type, cases] of families) {
  test(`text I/O matches PostgreSQL 15: ${type}`, () => {
    const failures: string[] = [];
    for (const testCase of cases) {
      const actual = run(testCase);
      const expected = testCase.error === undefined ? { output: testCase.output ?? "" }
        : { error: testCase.error };
      try {
        assert.deepEqual(actual, expected);
      } catch {
        failures.push(`${JSON.stringify(testCase.input)} ${JSON.stringify(testCase.settings)}: ` +
          `got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`);
      }
    }
    assert.deepEqual(failures, []);
  });
}
