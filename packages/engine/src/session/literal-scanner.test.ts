import { test } from "node:test";
import assert from "node:assert/strict";
import { scanShape, type LiteralClass } from "./literal-scanner.js";

/** The literals the scanner finds, as [text, class] pairs. */
function literalsOf(sql: string): [string, LiteralClass][] | undefined {
  const shape = scanShape(sql);
  return shape?.literals.map((l) => [sql.slice(l.start, l.end), l.kind]);
}

test("the key replaces each literal by its class", () => {
  const shape = scanShape("SELECT abalance FROM pgbench_accounts WHERE aid = 48213;");
  assert.equal(shape?.key, "SELECT abalance FROM pgbench_accounts WHERE aid = \0I;");
  const other = scanShape("SELECT abalance FROM pgbench_accounts WHERE aid = 7;");
  assert.equal(other?.key, shape?.key);
  const decimal = scanShape("SELECT abalance FROM pgbench_accounts WHERE aid = 7.5;");
  assert.notEqual(decimal?.key, shape?.key);
});

test("strings: empty, doubled quotes, and the text between them", () => {
  assert.deepEqual(literalsOf("select '', 'it''s', 'a;b', '--x', '/*'"), [
    ["''", "sconst"], ["'it''s'", "sconst"], ["'a;b'", "sconst"], ["'--x'", "sconst"],
    ["'/*'", "sconst"],
  ]);
  assert.equal(scanShape("select 'x'")?.key, "select \0S");
});

test("numbers: integers, int4 overflow, decimals and reals", () => {
  assert.deepEqual(literalsOf("select 0, 2147483647, 2147483648, 00012, 1.5, .5, 1., 1e3"), [
    ["0", "iconst"], ["2147483647", "iconst"], ["2147483648", "fconst"], ["00012", "iconst"],
    ["1.5", "fconst"], [".5", "fconst"], ["1.", "fconst"], ["1e3", "fconst"],
  ]);
  assert.deepEqual(literalsOf("select 1.5e-3, 2E+10, 1.e3"), [
    ["1.5e-3", "fconst"], ["2E+10", "fconst"], ["1.e3", "fconst"],
  ]);
  assert.deepEqual(literalsOf("select 99999999999999999999999"), [
    ["99999999999999999999999", "fconst"],
  ]);
});

test("unary minus stays an operator outside the literal", () => {
  assert.deepEqual(literalsOf("select -5, 3-2, a+-4"), [
    ["5", "iconst"], ["3", "iconst"], ["2", "iconst"], ["4", "iconst"],
  ]);
  assert.equal(scanShape("select -5")?.key, "select -\0I");
});

test("identifiers with digits and dollars, quoted identifiers, casts and operators", () => {
  assert.deepEqual(literalsOf("select t1.col2, a$b, x9 from t1 where c <= 3 and d >= 4"), [
    ["3", "iconst"], ["4", "iconst"],
  ]);
  assert.deepEqual(literalsOf(`select "quoted ""ids"" 5", "a'b" from "T" where x <> 1`), [
    ["1", "iconst"],
  ]);
  assert.deepEqual(literalsOf("select 1::int8, '2'::text, x != 3, y || 'z', z @> 4"), [
    ["1", "iconst"], ["'2'", "sconst"], ["3", "iconst"], ["'z'", "sconst"], ["4", "iconst"],
  ]);
  assert.deepEqual(literalsOf("select a[1:2], interval '1 day', date '2020-01-01'"), [
    ["1", "iconst"], ["2", "iconst"], ["'1 day'", "sconst"], ["'2020-01-01'", "sconst"],
  ]);
});

test("gives up on comments, even inside an operator", () => {
  for (const sql of ["select 1 -- c", "select /* c */ 1", "select 5--3", "select 1 +/* */2"]) {
    assert.equal(scanShape(sql), undefined, sql);
  }
});

test("gives up on special strings and dollar signs", () => {
  const cases = ["select E'a'", "select e'\\n'", "select B'101'", "select X'1F'",
    "select N'a'", "select U&'a'", "select U&\"a\"", "select u&'a'", "select $$a$$",
    "select $1", "select $tag$a$tag$", "select int4'5'", "select 'a\\b'"];
  for (const sql of cases) assert.equal(scanShape(sql), undefined, sql);
});

test("gives up on numbers with trailing junk and on non-decimal integers", () => {
  const cases = ["select 0x1F", "select 0o17", "select 0b101", "select 1_000", "select 12abc",
    "select 1e", "select 1e+", "select 1.5.2", "select 1..2", "select 1.5e3x", "select 5$"];
  for (const sql of cases) assert.equal(scanShape(sql), undefined, sql);
});

test("gives up on adjacent strings, which may concatenate", () => {
  assert.equal(scanShape("select 'a'\n'b'"), undefined);
  assert.equal(scanShape("select 'a' 'b'"), undefined);
  assert.notEqual(scanShape("select 'a', 'b'"), undefined);
});

test("gives up on several statements, an empty one, and unknown characters", () => {
  const cases = ["select 1; select 2", "select 1;;", "; select 1", "select '\u00e9'",
    "select \u00e9", "select \\x", "select {1}", "select \"\"", "select 'open", "select \"open",
    "select 1\0"];
  for (const sql of cases) assert.equal(scanShape(sql), undefined, JSON.stringify(sql));
  assert.notEqual(scanShape("select 1;  \n"), undefined);
  assert.notEqual(scanShape("BEGIN;"), undefined);
});

test("refuses texts past the size and literal limits", () => {
  assert.equal(scanShape(`select ${"1,".repeat(100)}1`), undefined);
  assert.equal(scanShape(`select '${"x".repeat(5_000)}'`), undefined);
});
