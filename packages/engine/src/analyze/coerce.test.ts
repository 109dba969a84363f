/**
 * Operator resolution over untyped literals, typmod coercion of casts, and pg_typeof: the
 * cases the differential corpus caught, with PostgreSQL 15's answers.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../test-support/harness.js";

test("unknown op unknown resolves to the text operator, as string category wins", async () => {
  const e = await newEngine();
  assert.deepEqual((await run(e, "select 'Z' < 'a', null = null, 'a' in ('a', 'b')")).rows,
    [["t", null, "t"]]);
  assert.deepEqual((await run(e, "select nullif('a', 'b'), 'b' between 'a' and 'c'")).rows,
    [["a", "t"]]);
});

test("literal casts apply the typmod as an explicit length coercion", async () => {
  const e = await newEngine();
  assert.deepEqual((await run(e,
    "select 'abcdef'::varchar(3), 'abcdef'::char(3), 'ab'::char, 1.55::numeric(5,1)")).rows,
  [["abc", "abc", "a", "1.6"]]);
  assert.deepEqual((await run(e, "select 0.5::numeric(3,0), 123.456::numeric(10,-1)")).rows,
    [["1", "120"]]);
  await assert.rejects(run(e, "select 999.995::numeric(5,2)"),
    (err: Error & { code?: string }) => err.code === "22003");
});

test("assignment to varchar(n) still rejects a value too long", async () => {
  const e = await newEngine();
  await run(e, "create table v (s varchar(3))");
  await assert.rejects(run(e, "insert into v values ('abcdef')"),
    (err: Error & { code?: string }) => err.code === "22001");
  await run(e, "insert into v values ('abc   ')");
  assert.deepEqual((await run(e, "select s, length(s) from v")).rows, [["abc", "3"]]);
});

test("pg_typeof names the resolved argument type", async () => {
  const e = await newEngine();
  assert.deepEqual((await run(e,
    "select pg_typeof(1::int2 + 1), pg_typeof(1 + 1.0), pg_typeof('5' || 7), pg_typeof(now())"))
    .rows, [["integer", "numeric", "text", "timestamp with time zone"]]);
});

test("named notation places arguments by name and fills skipped defaults", async () => {
  const e = await newEngine();
  assert.deepEqual((await run(e,
    "select make_interval(days => 10, hours => 3), make_interval(1, secs => 1.5)")).rows,
  [["10 days 03:00:00", "1 year 00:00:01.5"]]);
  await assert.rejects(run(e, "select make_interval(nope => 1)"),
    (err: Error & { code?: string }) => err.code === "42883");
});

test("variadic parameters take at least one argument and non-\"any\" ones are packed", async () => {
  const e = await newEngine();
  assert.deepEqual((await run(e,
    "select format('%%'), format('%s-%s', 1, 'x'), " +
    "jsonb_extract_path_text('{\"a\": {\"b\": 7}}', 'a', 'b')")).rows, [["%", "1-x", "7"]]);
  assert.deepEqual((await run(e,
    "select string_to_table('a,b', ','), setseed(0.5) is null, pg_typeof(setseed(0.5))"))
    .rows, [["a", "f", "void"], ["b", "f", "void"]]);
});

test("nested ARRAY constructors build one multidimensional array", async () => {
  const e = await newEngine();
  assert.deepEqual((await run(e, "select array[[1, 2], [3, 4]], " +
    "array[array[1], array[2]]::float8[], array[null::int[], null::int[]]")).rows,
  [["{{1,2},{3,4}}", "{{1},{2}}", "{}"]]);
  await assert.rejects(run(e, "select array[[1, 2], [3]]"),
    (err: Error & { code?: string }) => err.code === "2202E");
});

test("a polymorphic operator reads an untyped literal as the other operand's type", async () => {
  const e = await newEngine();
  assert.deepEqual((await run(e,
    "select array[10, 20] @> '{20}', '{1}' <@ array[1, 2], array[1] || '{2}'")).rows,
  [["t", "t", "{1,2}"]]);
});

test("a type's name called with one argument is a cast", async () => {
  const e = await newEngine();
  assert.deepEqual((await run(e, "select text('10.1.2.3/32'::inet), int4('7') + 1")).rows,
    [["10.1.2.3/32", "8"]]);
});

test("row constructor comparisons compare fields with SQL null semantics", async () => {
  const e = await newEngine();
  assert.deepEqual((await run(e, "select row(1, null) = row(1, 2), row(1, 2, 3) > row(1, 2, 2), " +
    "(null, 1) < (2, 1), (1, null) < (2, 1), (3, 1.50) > (3, 1.00), " +
    "row(1, null) is distinct from row(1, null)")).rows,
  [[null, "t", null, "t", "t", "f"]]);
});

test("SIMILAR TO matches through similar_to_escape", async () => {
  const e = await newEngine();
  assert.deepEqual((await run(e, "select 'abc' similar to 'a(b|c)c', 'abd' not similar to " +
    "'ab[cd]', 'a.c' similar to 'a_c', 'abc' similar to 'a.c', 'a%' similar to 'a#%' escape '#'"))
    .rows, [["t", "f", "t", "f", "t"]]);
});
