/**
 * Prepared statements after DDL, against real PostgreSQL 15: protocol named statements
 * (node-postgres `name`) and SQL PREPARE / EXECUTE / DEALLOCATE / DISCARD must re-plan when
 * their tables change, fail with 0A000 when the result row changed and with 42P01 when the
 * table is gone, on a worker and on the coordinator (local and distributed tables).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, startReferencePostgres, type ReferencePostgres, type TesseraCluster }
  from "../harness/index.js";

/** One step: simple SQL, or a named protocol statement with values. */
type Step = string | { readonly name: string; readonly text: string;
  readonly values?: unknown[] };

type Outcome = unknown[][] | { code: string; message: string };

async function runSteps(url: string, steps: readonly Step[]): Promise<Outcome[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const out: Outcome[] = [];
  try {
    for (const step of steps) {
      const query = typeof step === "string" ? { text: step, rowMode: "array" as const }
        : { ...step, rowMode: "array" as const };
      try {
        const result = await client.query(query);
        out.push(result.rows as unknown[][]);
      } catch (error) {
        const e = error as { code?: string; message?: string };
        out.push({ code: e.code ?? "?", message: e.message ?? "" });
      }
    }
  } finally {
    await client.end();
  }
  return out;
}

/** Runs the steps on PostgreSQL and on Tessera and compares every outcome. */
async function same(pgUrl: string, tesseraUrl: string, steps: readonly Step[]):
  Promise<Outcome[]> {
  const expected = await runSteps(pgUrl, steps);
  const got = await runSteps(tesseraUrl, steps);
  for (let i = 0; i < steps.length; i++) {
    assert.deepEqual(got[i], expected[i], `step ${i}: ${JSON.stringify(steps[i])}`);
  }
  return got;
}

const err = (outcome: Outcome | undefined): string =>
  outcome !== undefined && !Array.isArray(outcome) ? outcome.code : "ok";

/** The scenario on table `t` (created by `create`), run the same way everywhere. */
function alterScenario(t: string, create: readonly string[]): Step[] {
  return [
    `DROP TABLE IF EXISTS ${t}`, ...create, `INSERT INTO ${t} VALUES (1, 'x'), (2, 'y')`,
    { name: `${t}_star`, text: `SELECT * FROM ${t} ORDER BY a` },
    { name: `${t}_a`, text: `SELECT a FROM ${t} WHERE a = $1`, values: [1] },
    `PREPARE ${t}_q AS SELECT a, b FROM ${t} ORDER BY a`, `EXECUTE ${t}_q`,
    `ALTER TABLE ${t} ADD COLUMN c int DEFAULT 7`,
    { name: `${t}_star`, text: `SELECT * FROM ${t} ORDER BY a` },
    { name: `${t}_star`, text: `SELECT * FROM ${t} ORDER BY a` },
    { name: `${t}_a`, text: `SELECT a FROM ${t} WHERE a = $1`, values: [2] },
    `EXECUTE ${t}_q`,
  ];
}

const workerSteps: Step[] = [
  ...alterScenario("t", ["CREATE TABLE t (a int, b text)"]),
  // DROP and CREATE under the same name: the same shape works again.
  "DROP TABLE t", "EXECUTE t_q",
  { name: "t_a", text: "SELECT a FROM t WHERE a = $1", values: [1] },
  "CREATE TABLE t (a int, b text)", "INSERT INTO t VALUES (5, 'five')", "EXECUTE t_q",
  { name: "t_a", text: "SELECT a FROM t WHERE a = $1", values: [5] },
  // A new index: the statement plans again and still answers.
  "INSERT INTO t SELECT i, 'n' || i FROM generate_series(10, 500) i",
  "CREATE INDEX t_a_idx ON t (a)",
  { name: "t_a", text: "SELECT a FROM t WHERE a = $1", values: [321] },
  // A changed column type is a changed result row.
  "ALTER TABLE t ALTER COLUMN b TYPE varchar(20)", "EXECUTE t_q", "EXECUTE t_q",
  // search_path decides which table a name means.
  "CREATE SCHEMA IF NOT EXISTS s1", "CREATE TABLE s1.u (v text)", "CREATE TABLE u (v text)",
  "INSERT INTO s1.u VALUES ('s1')", "INSERT INTO u VALUES ('public')",
  "PREPARE pu AS SELECT v FROM u", "EXECUTE pu",
  { name: "nu", text: "SELECT v FROM u" },
  "SET search_path = s1, public", "EXECUTE pu", { name: "nu", text: "SELECT v FROM u" },
  "RESET search_path", "EXECUTE pu",
  // DEALLOCATE and DISCARD.
  "PREPARE pt(int, text) AS SELECT $1 + 1, $2 || '!'", "EXECUTE pt(41, 'hi')",
  "EXECUTE pt(1)", "PREPARE pt AS SELECT 1", "DEALLOCATE pt", "DEALLOCATE pt",
  "EXECUTE pt(1, 'a')", "DEALLOCATE PREPARE pu", "EXECUTE pu", "DEALLOCATE ALL",
  "EXECUTE t_q", "PREPARE again AS SELECT count(*) FROM t", "DISCARD PLANS", "EXECUTE again",
  "DISCARD ALL", "EXECUTE again", "DEALLOCATE nothing",
  "BEGIN", "DISCARD ALL", "ROLLBACK",
  // pg_prepared_statements lists SQL and protocol statements with their counters.
  "PREPARE ps(int, text) AS SELECT $1, $2", "EXECUTE ps(1, 'a')", "EXECUTE ps(2, 'b')",
  "PREPARE pn AS SELECT 1", "EXECUTE pn", { name: "ex", text: "EXECUTE ps(3, 'c')" },
  { name: "pp", text: "SELECT $1::int + 1", values: [1] },
  "SELECT name, statement, parameter_types::text, from_sql, generic_plans, custom_plans, " +
    "prepare_time <= now() FROM pg_prepared_statements ORDER BY name",
  "DEALLOCATE pp", "SELECT name FROM pg_prepared_statements ORDER BY name",
  "DROP TABLE t", "DROP TABLE u", "DROP TABLE s1.u", "DROP SCHEMA s1",
];

describe("prepared statements after DDL, compared with PostgreSQL 15", () => {
  let reference: ReferencePostgres;
  let worker: TesseraCluster;
  let cluster: TesseraCluster;

  before(async () => {
    [reference, worker, cluster] = await Promise.all([startReferencePostgres(),
      startCluster({ role: "worker" }), startCluster({ workers: 2 })]);
  });
  after(async () => {
    await Promise.all([reference?.stop(), worker?.stop(), cluster?.stop()]);
  });

  test("on a worker: re-plan, 0A000, 42P01, search_path, DEALLOCATE, DISCARD", async () => {
    const got = await same(reference.url, worker.url, workerSteps);
    // The scenario must really exercise the failures, not only agree with Postgres.
    assert.equal(err(got[8]), "0A000");
    assert.equal(err(got[10]), "ok");
    assert.ok(got.some((o) => err(o) === "42P01"));
    assert.ok(got.some((o) => err(o) === "26000"));
  });

  test("on the coordinator: local and distributed tables", async () => {
    const local = alterScenario("lt", ["CREATE TABLE lt (a int, b text)"]);
    await same(reference.url, cluster.url, [...local, "DROP TABLE lt", "EXECUTE lt_q",
      "DEALLOCATE ALL"]);
    // Distributed: Postgres runs the same DDL on a plain table; results must agree.
    const dist = alterScenario("dt", ["CREATE TABLE dt (a int, b text)"]);
    const steps: Step[] = [...dist, "DROP TABLE dt", "EXECUTE dt_q",
      { name: "dt_a", text: "SELECT a FROM dt WHERE a = $1", values: [1] }];
    const expected = await runSteps(reference.url, steps);
    const withDistribution: Step[] = [...steps];
    withDistribution.splice(3, 0, "SELECT create_distributed_table('dt', 'a')");
    const got = await runSteps(cluster.url, withDistribution);
    got.splice(3, 1);
    for (let i = 0; i < steps.length; i++) {
      assert.deepEqual(got[i], expected[i], `distributed step ${i}: ${JSON.stringify(steps[i])}`);
    }
  });

  test("on the coordinator: a statement prepared before create_distributed_table", async () => {
    // The local rows move into the shards and are truncated locally: a statement planned
    // against the local table must plan again and read the shards.
    const got = await runSteps(cluster.url, [
      "DROP TABLE IF EXISTS pd", "CREATE TABLE pd (a int, b text)",
      "INSERT INTO pd VALUES (1, 'x'), (2, 'y')",
      "PREPARE pd_count AS SELECT count(*) FROM pd", "EXECUTE pd_count",
      { name: "pd_a", text: "SELECT b FROM pd WHERE a = $1", values: [2] },
      "SELECT create_distributed_table('pd', 'a')",
      "SELECT truncate_local_data_after_distributing_table('pd')",
      "INSERT INTO pd VALUES (3, 'z')",
      "EXECUTE pd_count", { name: "pd_a", text: "SELECT b FROM pd WHERE a = $1", values: [3] },
      "DROP TABLE pd",
    ]);
    assert.deepEqual(got[4], [["2"]]);
    assert.deepEqual(got[5], [["y"]]);
    assert.deepEqual(got[9], [["3"]]);
    assert.deepEqual(got[10], [["z"]]);
  });
});
