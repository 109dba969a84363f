import { before, test } from "node:test";
import assert from "node:assert/strict";
import { initParser, parseStatements } from "@tessera/sql";
import { parseSimpleQuery, shapeCacheStats } from "./statement-shape-cache.js";

before(() => initParser());

/** Parses through the cache and checks the answer against the parser's own. */
function parsesLikeParser(sql: string): void {
  const cached = parseSimpleQuery(sql);
  assert.deepEqual(cached, parseStatements(sql), sql);
}

/** Runs a shape with every set of literals and returns how many parses the cache answered. */
function hitsOver(shape: (...values: string[]) => string, sets: string[][]): number {
  const before = shapeCacheStats().hits;
  for (const values of sets) parsesLikeParser(shape(...values));
  return shapeCacheStats().hits - before;
}

test("pgbench's statements hit, and the copy equals a fresh parse", () => {
  const select = (aid: string): string =>
    `SELECT abalance FROM pgbench_accounts WHERE aid = ${aid};`;
  assert.equal(hitsOver(select, [["48213"], ["1"], ["0"], ["999999"], ["2147483647"]]), 4);
  const update = (delta: string, aid: string): string =>
    `UPDATE pgbench_accounts SET abalance = abalance + ${delta} WHERE aid = ${aid};`;
  const sets = [["-4012", "48213"], ["17", "5"], ["-1", "100000"], ["0", "7"], ["-0", "12"],
    ["-2147483647", "3"], ["- 5", "6"]];
  assert.equal(hitsOver(update, sets), 4); // two shapes: "-\0I" and "\0I" (+ "- \0I" once)
  const insert = (t: string, b: string, a: string, d: string): string =>
    "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) " +
    `VALUES (${t}, ${b}, ${a}, ${d}, CURRENT_TIMESTAMP);`;
  assert.equal(hitsOver(insert, [["3", "1", "48213", "-4012"], ["10", "2", "5", "-77"]]), 1);
  assert.equal(hitsOver(() => "BEGIN;", [[], [], []]), 2);
  assert.equal(hitsOver(() => "END;", [[], []]), 1);
});

test("literals that change class change the shape; each class still parses exactly", () => {
  const shape = (v: string): string => `select x from t where x = ${v} and y = -${v}`;
  const values = ["1", "3000000000", "1.5", "'text'", "2", "2147483648", "1.5e-3", "'it''s'",
    "''", ".5", "1.", "1e10", "0", "99999999999999999999999", "'x'", "7"];
  const hits = hitsOver(shape, values.map((v) => [v]));
  assert.ok(hits >= 8, `only ${hits} hits`);
});

test("locations after literals move with the literals' lengths", () => {
  const shape = (a: string, b: string): string =>
    `select ${a} + nosuch_column, lower(${b}) from t where z between ${a} and ${a}0`;
  assert.ok(hitsOver(shape, [["1", "'a'"], ["123456", "'a long string'"], ["5", "''"]]) >= 2);
});

test("typed literals, casts, type modifiers, LIMIT and ORDER BY ordinals", () => {
  const cases: ((v: string, s: string) => string)[] = [
    (v, s) => `select ${s}::varchar(${v}), cast(${s} as numeric(${v}, 2)), date ${s}`,
    (v, s) => `select interval ${s}, interval ${s} day, ${v}::int8 from t limit ${v}`,
    (v) => `select a, b from t order by ${v} desc, 2 limit ${v} offset ${v}`,
    (v, s) => `select * from t where a in (${v}, ${v}, -${v}) and b like ${s} escape '!'`,
    (v, s) => `insert into t values (${v}, ${s}), (-${v}, default) returning ${v}`,
    (v, s) => `update t set a = -(${v}), b = ${s} || 'x' where c = - - ${v}`,
    (v, s) => `select substring(${s} from ${v} for ${v}), extract(${s} from now())`,
    (v, s) => `select ${v}::float(${v}), ${s}::char(${v}), ${s}::timestamp(${v})`,
    (v, s) => `select true, false, null, ${v} is null, ${s} is not true`,
  ];
  for (const shape of cases) {
    for (const [v, s] of [["1", "'a'"], ["24", "'2020-01-01'"], ["3", "''"], ["53", "'x''y'"]]) {
      parsesLikeParser(shape(v!, s!));
    }
  }
});

test("statements the cache does not keep still parse as before", () => {
  for (const sql of ["create table t (a int default 5)", "set work_mem = 64", "show all",
    "select 1; select 2", "prepare transaction 'x'", "commit prepared 'gid7'", "   ",
    "explain select 5", "select 1 -- comment", "select E'a\\n'"]) {
    for (let i = 0; i < 2; i++) parsesLikeParser(sql);
  }
});

test("syntax errors still come from the parser, on a new and on a known shape", () => {
  parsesLikeParser("select 1 from t where a = 5");
  assert.throws(() => parseSimpleQuery("select 1 from t where a = = 5"), /syntax error/);
  assert.throws(() => parseSimpleQuery("select 1 from t where a = = 5"), /syntax error/);
});
