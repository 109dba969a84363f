import { strict as assert } from "node:assert";
import { before, test } from "node:test";
import { TypeOid, initParser, parseStatements, type ast } from "@tessera/sql";
import { finishCombine } from "./aggregate-combine.js";
import { columnNames } from "./raw.js";
import { splitSelect, type SplitPlan } from "./select-split.js";
import { deparseStatement } from "./shard-query.js";

before(async () => {
  await initParser();
});

/** Splits `sql` over a table t(id int distribution column, g int, x int). */
function split(sql: string, outputNames: string[]): SplitPlan {
  const stmt = parseStatements(sql)[0]!.stmt;
  assert.ok("SelectStmt" in stmt);
  const result = splitSelect({
    select: stmt.SelectStmt, outputNames,
    isDistributionColumn: (ref) => columnNames(ref)?.at(-1) === "id",
    inputColumns: new Set(["id", "g", "x"]), singleTable: true,
  });
  assert.ok(result.ok, result.ok ? "" : result.why.message);
  return result.plan;
}

const text = (stmt: ast.SelectStmt): string => deparseStatement({ SelectStmt: stmt });
const int8 = { typeOid: TypeOid.int8, typmod: -1 };
const combined = (plan: SplitPlan): string =>
  text(finishCombine(plan, new Map(plan.remoteNames.map((name) => [name, int8]))));

test("count(DISTINCT x) pushes x down as a grouping key", () => {
  const plan = split("SELECT g, count(DISTINCT x), count(*) FROM t GROUP BY g",
    ["g", "count", "count"]);
  assert.equal(plan.mode, "split");
  assert.equal(text(plan.worker), "SELECT g AS worker_column_1, x AS worker_column_2, " +
    "count(*) AS worker_column_3 FROM t GROUP BY 1, 2");
  assert.match(combined(plan), /pg_catalog\.count\(DISTINCT remote_scan\.worker_column_2\)/);
});

test("count(DISTINCT) of the distribution column runs whole on the shards", () => {
  const plan = split("SELECT count(DISTINCT id) FROM t", ["count"]);
  assert.equal(text(plan.worker), "SELECT count(DISTINCT id) AS worker_column_1 FROM t");
});

test("ordered aggregates gather the columns they read", () => {
  const plan = split("SELECT g, string_agg(x::text, ',' ORDER BY id) FROM t WHERE x > 1 " +
    "GROUP BY g", ["g", "string_agg"]);
  assert.equal(plan.mode, "gather");
  assert.equal(text(plan.worker), "SELECT g AS worker_column_1, x AS worker_column_2, " +
    "id AS worker_column_3 FROM t WHERE x > 1");
  assert.match(text(plan.combine), /GROUP BY remote_scan\.worker_column_1$/);
});

test("windows partitioned by the distribution column run whole on the shards", () => {
  const pushed = split("SELECT id, rank() OVER (PARTITION BY id ORDER BY x) FROM t",
    ["id", "rank"]);
  assert.equal(pushed.mode, "pushdown");
  const gathered = split("SELECT id, rank() OVER (ORDER BY x) FROM t", ["id", "rank"]);
  assert.equal(gathered.mode, "gather");
});
