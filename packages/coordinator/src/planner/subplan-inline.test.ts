import { strict as assert } from "node:assert";
import { before, test } from "node:test";
import { TypeOid, initParser, parseStatements } from "@tessera/sql";
import { deparseStatement } from "./shard-query.js";
import { inlineSubplans, isSubplanWrapper, subplanFiller, wrapSubplan }
  from "./subplan-inline.js";

before(async () => {
  await initParser();
});

const types = [{ typeOid: TypeOid.int4, typmod: -1 }, { typeOid: TypeOid.text, typmod: -1 }];

/** `SELECT * FROM d WHERE a IN (SELECT k FROM l) AND b IN (SELECT k FROM l2)`, marked. */
function marked(): ReturnType<typeof parseStatements>[number]["stmt"] {
  const stmt = parseStatements("SELECT * FROM d WHERE a IN (SELECT k, label FROM l) " +
    "AND b IN (SELECT k, label FROM l2)")[0]!.stmt;
  assert.ok("SelectStmt" in stmt);
  const where = JSON.parse(JSON.stringify(stmt.SelectStmt.whereClause)) as {
    BoolExpr: { args: { SubLink: { subselect: { SelectStmt: object } } }[] } };
  where.BoolExpr.args.forEach((arg, i) => {
    const wrapped = wrapSubplan(arg.SubLink.subselect.SelectStmt, i + 1);
    assert.ok(isSubplanWrapper(wrapped));
    arg.SubLink.subselect.SelectStmt = wrapped;
  });
  return { SelectStmt: { ...stmt.SelectStmt, whereClause: where } } as typeof stmt;
}

test("each marked subplan gets its rows as typed VALUES, or a typed empty SELECT", () => {
  const results = [
    { names: ["k", "label"], types, rows: [[1, "it's"], [2, null]] },
    { names: ["k", "label"], types, rows: [] },
  ];
  const fill = subplanFiller(results);
  const text = fill(deparseStatement(inlineSubplans(marked(), results)));
  assert.equal(text, "SELECT * FROM d WHERE a IN (SELECT * FROM ( SELECT " +
    "intermediate_result.c1 AS k, intermediate_result.c2 AS label FROM " +
    "(VALUES ('1'::int, 'it''s'::text), ('2'::int, NULL::text)) AS intermediate_result(c1, c2)" +
    " ) AS __tessera_subplan_1) AND b IN (SELECT * FROM ( SELECT intermediate_result.c1 AS k," +
    " intermediate_result.c2 AS label FROM (SELECT NULL::int, NULL::text WHERE false) AS " +
    "intermediate_result(c1, c2) ) AS __tessera_subplan_2)");
});

test("a tree without subplans is left as it is", () => {
  const tree = marked();
  assert.equal(inlineSubplans(tree, []), tree);
  assert.equal(subplanFiller([])("SELECT pg_catalog.__tessera_values_1"),
    "SELECT pg_catalog.__tessera_values_1");
});
