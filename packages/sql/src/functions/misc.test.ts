/**
 * Comparison operators, system functions and pg_sleep's cancellation.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { isSqlError } from "@tessera/base";
import { lookupFunction, lookupOperator } from "./registry.js";
import { n, opText, testContext, text } from "./test-util.js";
import { T } from "./type-oids.js";
import { dateFromYmd } from "./calendar.js";

test("comparison operators cover same-type and cross-type pairs", () => {
  assert.equal(opText("<", T.int4, T.int8, 1, 2n), "t");
  assert.equal(opText("=", T.numeric, T.numeric, n("1.50"), n("1.5")), "t");
  assert.equal(opText(">", T.float8, T.float8, NaN, Infinity), "t");
  assert.equal(opText("=", T.float8, T.float8, NaN, NaN), "t");
  assert.equal(opText("=", T.bpchar, T.bpchar, "ab  ", "ab"), "t");
  assert.equal(opText("<", T.text, T.text, "B", "a"), "t");
  assert.equal(
    opText(
      "=",
      T.interval,
      T.interval,
      { months: 1, days: 0, micros: 0n },
      { months: 0, days: 30, micros: 0n },
    ),
    "t",
  );
  assert.equal(opText("<", T.date, T.timestamp, dateFromYmd(2000, 1, 1), 1n), "t");
  const eq = lookupOperator("=").find((o) => o.left === T.int4 && o.right === T.int4);
  assert.equal(eq?.negator, "<>");
});

test("system functions", () => {
  assert.match(String(text("version", [], [])), /^PostgreSQL 15\./);
  assert.equal(text("pg_size_pretty", [T.int8], [10n * 1024n * 1024n]), "10 MB");
  assert.equal(text("pg_size_pretty", [T.int8], [123456789n]), "118 MB");
  assert.equal(text("pg_size_pretty", [T.int8], [1000n]), "1000 bytes");
  assert.equal(text("current_setting", [T.text], ["TimeZone"]), "UTC");
  assert.equal(text("current_setting", [T.text, T.bool], ["nope", true]), null);
  assert.match(String(text("gen_random_uuid", [], [])), /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
});

test("pg_sleep waits and stops with 57014 when cancelled", async () => {
  const sleep = lookupFunction("pg_sleep")[0];
  assert.ok(sleep?.kind === "scalar" && sleep.implAsync !== undefined);
  const controller = new AbortController();
  const ctx = { ...testContext(), signal: controller.signal };
  const call = { argTypes: [T.float8], returnType: T.void };
  assert.equal(await sleep.implAsync([0.01], ctx, call), "");
  const pending = sleep.implAsync([60], ctx, call);
  controller.abort();
  await assert.rejects(
    pending,
    (e: unknown) =>
      isSqlError(e) &&
      e.code === "57014" &&
      e.message === "canceling statement due to user request",
  );
});
