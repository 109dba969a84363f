import { strict as assert } from "node:assert";
import { before, test } from "node:test";
import { TypeOid, initParser, parseStatements, type ast } from "@tessera/sql";
import { finishCombine } from "./aggregate-combine.js";
import { bindParams } from "./bind-params.js";
import { columnNames } from "./raw.js";
import { splitSelect, type SplitPlan } from "./select-split.js";
import { deparseStatement } from "./shard-query.js";

before(async () => {
  await initParser();
});

function select(sql: string): ast.SelectStmt {
  const stmt = parseStatements(sql)[0]!.stmt;
  assert.ok("SelectStmt" in stmt);
  return stmt.SelectStmt;
}

/** Splits `sql` over a table t(id int distribution column, g int, x int). */
function split(sql: string, outputNames: string[]): SplitPlan {
  const result = splitSelect({
    select: select(sql), outputNames,
    isDistributionColumn: (ref) => columnNames(ref)?.at(-1) === "id",
    inputColumns: new Set(["id", "g", "x"]), singleTable: true,
  });
  assert.ok(result.ok, result.ok ? "" : result.why.message);
  return result.plan;
}

const text = (stmt: ast.SelectStmt): string => deparseStatement({ SelectStmt: stmt });

test("plain queries push ORDER BY and LIMIT + OFFSET to the shards", () => {
  const plan = split("SELECT x FROM t ORDER BY g DESC LIMIT 5 OFFSET 2", ["x"]);
  assert.equal(plan.mode, "plain");
  assert.equal(text(plan.worker),
    "SELECT x, g AS worker_column_1 FROM t ORDER BY g DESC LIMIT 7");
  assert.equal(text(plan.combine), "SELECT remote_scan.c1 AS x FROM pg_catalog.remote_scan " +
    "AS remote_scan ORDER BY remote_scan.worker_column_1 DESC LIMIT 5 OFFSET 2");
});

test("GROUP BY the distribution column runs whole on the shards", () => {
  const plan = split("SELECT id, count(*) AS n FROM t GROUP BY id ORDER BY n", ["id", "n"]);
  assert.equal(plan.mode, "pushdown");
  assert.equal(text(plan.worker), "SELECT id, count(*) AS n FROM t GROUP BY id");
  assert.match(text(plan.combine), /ORDER BY n$/);
});

test("aggregates split into partials and Citus's combine expressions", () => {
  const sql = "SELECT g, count(*), sum(x), avg(x) FROM t GROUP BY g HAVING max(x) > 1";
  const plan = split(sql,
    ["g", "count", "sum", "avg"]);
  assert.equal(plan.mode, "split");
  assert.equal(text(plan.worker), "SELECT g AS worker_column_1, count(*) AS worker_column_2, " +
    "sum(x) AS worker_column_3, sum(x) AS worker_column_4, count(x) AS worker_column_5, " +
    "max(x) AS worker_column_6 FROM t GROUP BY 1");
  const int8 = { typeOid: TypeOid.int8, typmod: -1 };
  const types = new Map(plan.remoteNames.map((name) => [name, int8]));
  const combine = text(finishCombine(plan, types));
  assert.match(combine,
    /COALESCE\(CAST\(pg_catalog\.sum\(remote_scan\.worker_column_2\) AS bigint\)/);
  assert.match(combine,
    /CAST\(pg_catalog\.sum\(remote_scan\.worker_column_3\) AS bigint\) AS sum/);
  assert.match(combine,
    /sum\(remote_scan\.worker_column_4\) \/ pg_catalog\.sum\(remote_scan\.worker_column_5\)/);
  assert.match(combine, /GROUP BY remote_scan\.worker_column_1 HAVING pg_catalog\.max/);
});

test("shapes no split, pushdown or gather runs are refused with 0A000", () => {
  for (const sql of ["SELECT x, count(*) FROM t GROUP BY ROLLUP (x)", "SELECT *, rank() " +
    "OVER () FROM t", "SELECT x FROM t FOR UPDATE", "SELECT x FROM t UNION SELECT 1"]) {
    const result = splitSelect({ select: select(sql), outputNames: ["a", "b"],
      isDistributionColumn: () => false, inputColumns: new Set(["x"]), singleTable: true });
    assert.ok(!result.ok, sql);
    assert.equal(result.why.code, "0A000", sql);
  }
});

test("parameters become typed constants before pruning and deparsing", () => {
  const bound = bindParams(select("SELECT * FROM t WHERE id = $1 AND g = $2"), [42, null],
    [TypeOid.int4, TypeOid.int4]);
  assert.equal(text(bound), "SELECT * FROM t WHERE id = '42'::int AND g = NULL::int");
});
