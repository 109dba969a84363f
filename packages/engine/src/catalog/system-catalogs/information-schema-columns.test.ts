/**
 * information_schema.columns: the type facts (lengths, precisions, scales, datetime
 * precisions, interval fields) and identity details exactly as PostgreSQL 15 prints them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../../test-support/harness.js";

test("columns reports lengths, precisions and scales as PostgreSQL's helpers", async () => {
  const e = await newEngine();
  await run(e, "create table t (a int, b varchar(5), c numeric(10,2), d timestamp(3), " +
    "f interval day to second(2), g real, h char(4), i text, k numeric, l int[])");
  const rows = (await run(e, "select column_name, data_type, character_maximum_length, " +
    "character_octet_length, numeric_precision, numeric_precision_radix, numeric_scale, " +
    "datetime_precision, interval_type, udt_name from information_schema.columns " +
    "where table_name = 't' order by ordinal_position")).rows;
  assert.deepEqual(rows, [
    ["a", "integer", null, null, "32", "2", "0", null, null, "int4"],
    ["b", "character varying", "5", "20", null, null, null, null, null, "varchar"],
    ["c", "numeric", null, null, "10", "10", "2", null, null, "numeric"],
    ["d", "timestamp without time zone", null, null, null, null, null, "3", null, "timestamp"],
    ["f", "interval", null, null, null, null, null, "2", "DAY TO SECOND(2)", "interval"],
    ["g", "real", null, null, "24", "2", null, null, null, "float4"],
    ["h", "character", "4", "16", null, null, null, null, null, "bpchar"],
    ["i", "text", null, "1073741824", null, null, null, null, null, "text"],
    ["k", "numeric", null, null, null, "10", null, null, null, "numeric"],
    ["l", "ARRAY", null, null, null, null, null, null, null, "_int4"],
  ]);
});

test("identity and generated columns show their details, not a default", async () => {
  const e = await newEngine();
  await run(e, "create table t (j int generated always as identity, " +
    "g text generated always as ('x') stored)");
  const rows = (await run(e, "select column_default, is_identity, identity_generation, " +
    "identity_start, identity_maximum, identity_cycle, is_generated, generation_expression " +
    "from information_schema.columns where table_name = 't' order by ordinal_position")).rows;
  assert.deepEqual(rows, [
    [null, "YES", "ALWAYS", "1", "2147483647", "NO", "NEVER", null],
    [null, "NO", null, null, null, "NO", "ALWAYS", "'x'::text"],
  ]);
});
