import { strict as assert } from "node:assert";
import { before, test } from "node:test";
import { TypeOid, initParser, parseStatements } from "@tessera/sql";
import { deparseStatement } from "./shard-query.js";
import { inlineSubplans, isSubplanWrapper, resultSelect, wrapSubplan }
  from "./subplan-inline.js";

before(async () => {
  await initParser();
});

const types = [{ typeOid: TypeOid.int4, typmod: -1 }, { typeOid: TypeOid.text, typmod: -1 }];

test("a result becomes typed VALUES named as the subplan's columns", () => {
  const select = resultSelect({ names: ["k", "label"], types,
    rows: [[1, "it's"], [2, null]] });
  assert.equal(deparseStatement({ SelectStmt: select }),
    "SELECT intermediate_result.c1 AS k, intermediate_result.c2 AS label FROM ( VALUES " +
    "('1'::int, 'it''s'::text), ('2'::int, NULL::text) ) AS intermediate_result(c1, c2)");
});

test("an empty result keeps its columns and returns no row", () => {
  const select = resultSelect({ names: ["k", "label"], types, rows: [] });
  assert.equal(deparseStatement({ SelectStmt: select }),
    "SELECT NULL::int AS k, NULL::text AS label WHERE false");
});

test("each marked subplan in a tree gets its own rows", () => {
  const stmt = parseStatements("SELECT * FROM d WHERE a IN (SELECT k FROM l) " +
    "AND b IN (SELECT k FROM l2)")[0]!.stmt;
  assert.ok("SelectStmt" in stmt);
  const where = JSON.parse(JSON.stringify(stmt.SelectStmt.whereClause)) as {
    BoolExpr: { args: { SubLink: { subselect: { SelectStmt: object } } }[] } };
  where.BoolExpr.args.forEach((arg, i) => {
    const sub = arg.SubLink.subselect.SelectStmt;
    const wrapped = wrapSubplan(sub, i + 1);
    assert.ok(isSubplanWrapper(wrapped));
    arg.SubLink.subselect.SelectStmt = wrapped;
  });
  const tree = { SelectStmt: { ...stmt.SelectStmt, whereClause: where } };
  const one = { names: ["k"], types: [types[0]!], rows: [[7]] };
  const text = deparseStatement(inlineSubplans(tree as typeof stmt, [one, { ...one, rows: [] }]));
  assert.equal(text, "SELECT * FROM d WHERE a IN (SELECT * FROM ( SELECT " +
    "intermediate_result.c1 AS k FROM ( VALUES ('7'::int) ) AS intermediate_result(c1) ) AS " +
    "__tessera_subplan_1) AND b IN (SELECT * FROM ( SELECT NULL::int AS k WHERE false ) AS " +
    "__tessera_subplan_2)");
});
