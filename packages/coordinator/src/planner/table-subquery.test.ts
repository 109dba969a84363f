import { strict as assert } from "node:assert";
import { before, test } from "node:test";
import { TypeOid, initParser, parseStatements, type ast } from "@tessera/sql";
import type { ShellRelation } from "../operations/shard-ddl.js";
import type { TableRef } from "./classify.js";
import { deparseStatement } from "./shard-query.js";
import {
  constantUniqueFilter, fromItems, tableSubquery, type QueryScope,
} from "./table-subquery.js";

before(async () => {
  await initParser();
});

/** A relation with int columns and a primary key on the first `keyColumns` of them. */
function relation(name: string, columns: string[], keyColumns: number): ShellRelation {
  const shell = {
    name, kind: "r",
    columns: columns.map((c) => ({ name: c, dropped: false, type: TypeOid.int4, typmod: -1 })),
    indexes: [{ columns: columns.slice(0, keyColumns).map((_, i) => i), unique: true,
      primary: true }],
  };
  return shell as unknown as ShellRelation;
}

/** Parses `sql` over d(id, a, b) and l(k, label, extra) and returns the query's scope. */
function scopeOf(sql: string): { scope: QueryScope; d: TableRef; l: TableRef } {
  const stmt = parseStatements(sql)[0]!.stmt;
  assert.ok("SelectStmt" in stmt);
  const select = stmt.SelectStmt;
  const refs: TableRef[] = fromItems(select).map((item) => {
    assert.ok("RangeVar" in item.node);
    const rangeVar = item.node.RangeVar;
    const local = rangeVar.relname === "l";
    return { rangeVar, alias: rangeVar.alias?.aliasname ?? rangeVar.relname ?? "",
      position: "SelectStmt.fromClause", citus: undefined,
      relation: local ? relation("l", ["k", "label", "extra"], 1)
        : relation("d", ["id", "a", "b"], 2) };
  });
  const d = refs.find((r) => r.rangeVar.relname === "d")!;
  const l = refs.find((r) => r.rangeVar.relname === "l")!;
  return { scope: { select, tables: refs, opaqueItems: false }, d, l };
}

const text = (select: ast.SelectStmt): string => deparseStatement({ SelectStmt: select });

test("a joined table reads the columns the query uses and its own filters", () => {
  const { scope, l } = scopeOf("SELECT x.a, count(*) FROM d x JOIN l ON l.k = x.a " +
    "WHERE l.label <> 'q' AND x.b = 1 AND k > 2 AND l.k < x.b GROUP BY 1");
  assert.equal(text(tableSubquery(scope, l, false)),
    "SELECT l.k AS k, l.label AS label, NULL::int AS extra FROM l WHERE l.label <> 'q' AND k > 2");
});

test("nothing is filtered on the nullable side of an outer join", () => {
  const { scope, l } = scopeOf("SELECT d.id FROM d LEFT JOIN l ON l.k = d.a WHERE l.k IS NULL");
  assert.equal(fromItems(scope.select)[1]!.nullable, true);
  assert.equal(text(tableSubquery(scope, l, true)),
    "SELECT l.k AS k, NULL::int AS label, NULL::int AS extra FROM l");
});

test("stars, whole rows and USING columns need every or the named column", () => {
  const star = scopeOf("SELECT l.* FROM d JOIN l ON l.k = d.a");
  assert.equal(text(tableSubquery(star.scope, star.l, false)),
    "SELECT l.k AS k, l.label AS label, l.extra AS extra FROM l");
  const using = scopeOf("SELECT count(*) FROM d JOIN l USING (extra)");
  assert.equal(text(tableSubquery(using.scope, using.l, false)),
    "SELECT NULL::int AS k, NULL::int AS label, l.extra AS extra FROM l");
});

test("volatile functions and subqueries stay out of the copied filters", () => {
  const { scope, l } = scopeOf("SELECT 1 FROM d, l WHERE l.k > random() " +
    "AND l.k IN (SELECT 1) AND abs(l.k) = 2");
  assert.equal(text(tableSubquery(scope, l, false)),
    "SELECT l.k AS k, NULL::int AS label, NULL::int AS extra FROM l WHERE abs(l.k) = 2");
});

test("a constant on every primary key column pins the table to one row", () => {
  const pinned = scopeOf("SELECT 1 FROM d, l WHERE d.id = 1 AND 2 = d.a AND l.k = d.b");
  assert.equal(constantUniqueFilter(pinned.scope, pinned.d), true);
  const partial = scopeOf("SELECT 1 FROM d, l WHERE d.id = 1 AND l.k = d.a");
  assert.equal(constantUniqueFilter(partial.scope, partial.d), false);
  const or = scopeOf("SELECT 1 FROM d, l WHERE d.id = 1 OR d.a = 2");
  assert.equal(constantUniqueFilter(or.scope, or.d), false);
  const local = scopeOf("SELECT 1 FROM d JOIN l ON true WHERE k = 5");
  assert.equal(constantUniqueFilter(local.scope, local.l), true);
});
