/**
 * The differential runner's own pieces, without servers: splitting, ORDER BY detection,
 * outcome comparison, known differences, and the generator's determinism.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { compareOutcomes, type Outcome } from "./compare.js";
import { generateCases } from "./generate.js";
import { classify, parseKnownDifferences } from "./report.js";
import type { StatementResult } from "./run-file.js";
import { hasTopLevelOrderBy, splitCorpus } from "./splitter.js";

test("splitCorpus ignores semicolons in quotes, dollar quotes, identifiers and comments", () => {
  const text = [
    "select 'a;b', E'it\\'s;';",
    "select $$x;y$$, $tag$ $$; $tag$;",
    'select "semi;colon" from t; -- trailing; comment',
    "/* block; /* nested; */ still; */ select 1;",
    "select $1 from t;",
  ].join("\n");
  const sqls = splitCorpus(text).map((s) => s.sql);
  assert.deepEqual(sqls, [
    "select 'a;b', E'it\\'s;';",
    "select $$x;y$$, $tag$ $$; $tag$;",
    'select "semi;colon" from t;',
    "select 1;",
    "select $1 from t;",
  ]);
});

test("splitCorpus applies section and order directives and numbers statements", () => {
  const text = [
    "-- setup",
    "create table t (a int);",
    "",
    "-- test",
    "-- ordered",
    "select 1;",
    "-- unordered",
    "select a from t order by a;",
    "select 2;",
  ].join("\n");
  const statements = splitCorpus(text);
  assert.deepEqual(
    statements.map((s) => [s.index, s.line, s.section, s.order]),
    [
      [1, 2, "setup", "auto"],
      [2, 6, "test", "ordered"],
      [3, 8, "test", "unordered"],
      [4, 9, "test", "auto"],
    ],
  );
  assert.throws(() => splitCorpus("select 1;\nselect 2"), /without a terminating/);
});

test("hasTopLevelOrderBy sees only the outermost ORDER BY", () => {
  assert.equal(hasTopLevelOrderBy("select a from t order by a"), true);
  assert.equal(hasTopLevelOrderBy("select 1 union select 2 ORDER  BY 1"), true);
  assert.equal(hasTopLevelOrderBy("select * from (select a from t order by a) s"), false);
  assert.equal(hasTopLevelOrderBy("select row_number() over (order by a) from t"), false);
  assert.equal(hasTopLevelOrderBy("select string_agg(a, ',' order by a) from t"), false);
  assert.equal(hasTopLevelOrderBy("select 'order by' from t -- order by a"), false);
  assert.equal(hasTopLevelOrderBy("with c as (select 1 order by 1) select * from c"), false);
});

const ok = (
  rows: (string | null)[][],
  fields = [{ name: "a", typeOid: 23, typmod: -1 }],
): Outcome => ({
  kind: "ok",
  command: "SELECT",
  rowCount: rows.length,
  fields,
  rows,
});

test("compareOutcomes: multiset unless ordered, and names the differing rows", () => {
  const a = ok([["1"], ["2"]]);
  const b = ok([["2"], ["1"]]);
  assert.deepEqual(compareOutcomes(a, b, false).hard, []);
  assert.deepEqual(compareOutcomes(a, b, true).hard, ["same rows in a different order"]);
  const [diff] = compareOutcomes(a, ok([["1"], ["3"]]), false).hard;
  assert.match(diff ?? "", /1 only in reference \["2"\]; 1 only in target \["3"\]/);
  assert.equal(compareOutcomes(a, ok([["1"], [null]]), false).hard.length, 1);
});

test("compareOutcomes: types and SQLSTATEs are hard, messages and typmods soft", () => {
  const int = ok([["1"]]);
  const bigint = ok([["1"]], [{ name: "a", typeOid: 20, typmod: -1 }]);
  assert.match(compareOutcomes(int, bigint, false).hard.join(), /type OIDs/);
  const typmod = ok([["1"]], [{ name: "a", typeOid: 23, typmod: 4 }]);
  assert.deepEqual(compareOutcomes(int, typmod, false), {
    hard: [],
    soft: ["column typmods (-1) vs (4)"],
  });
  const e1: Outcome = { kind: "error", code: "22012", message: "division by zero" };
  const e2: Outcome = { kind: "error", code: "22012", message: "divide by zero" };
  const e3: Outcome = { kind: "error", code: "22003", message: "division by zero" };
  assert.deepEqual(compareOutcomes(e1, e2, false), { hard: [], soft: ["error message differs"] });
  assert.equal(compareOutcomes(e1, e3, false).hard.length, 1);
  assert.equal(compareOutcomes(e1, int, false).hard.length, 1);
});

test("known differences excuse listed statements and report stale entries", () => {
  const known = parseKnownDifferences(
    "# comment\ntypes.sql:3 float output\ngenerated:* seeded\ntypes.sql:9 fixed since\n",
  );
  const result = (file: string, index: number, hard: string[]): StatementResult => ({
    file,
    statement: { index, line: index, sql: "select 1;", section: "test", order: "auto" },
    ordered: false,
    reference: ok([["1"]]),
    target: ok([["2"]]),
    verdict: { hard, soft: [] },
  });
  assert.equal(classify(result("types.sql", 3, ["x"]), known).class, "known");
  assert.equal(classify(result("types.sql", 4, ["x"]), known).class, "mismatch");
  assert.equal(classify(result("generated", 77, ["x"]), known).class, "known");
  assert.equal(classify(result("types.sql", 5, []), known).class, "match");
  assert.deepEqual(known.unused(new Set(["types.sql"])), ["types.sql:9"]);
  assert.throws(() => parseKnownDifferences("types.sql 3"), /expected "file:index reason"/);
});

test("a setup statement failing on the reference is a corpus error", () => {
  const known = parseKnownDifferences("");
  const failed: Outcome = { kind: "error", code: "42P07", message: "exists" };
  const r: StatementResult = {
    file: "f.sql",
    statement: { index: 1, line: 1, sql: "create table t ();", section: "setup", order: "auto" },
    ordered: false,
    reference: failed,
    target: failed,
    verdict: { hard: [], soft: [] },
  };
  assert.equal(classify(r, known).class, "corpus-error");
});

test("generated cases depend only on the seed", () => {
  const sqls = (seed: number): string[] => generateCases(seed, 40).statements.map((s) => s.sql);
  assert.deepEqual(sqls(7), sqls(7));
  assert.notDeepEqual(sqls(7), sqls(8));
  assert.equal(generateCases(1, 40).statements.length, 42);
});
