/**
 * EXPLAIN (FORMAT JSON) and (FORMAT YAML) of single-node plans against real PostgreSQL 15:
 * the same statements on both servers must print byte for byte the same document (one row,
 * column "QUERY PLAN" of type json, or text for YAML). Plan shapes are compared with COSTS
 * OFF; costs only where our cost model already matches Postgres's for fresh tables (as the
 * text-format tests in packages/engine/src/explain.test.ts do). Timings are masked.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, startReferencePostgres, type ReferencePostgres, type TesseraCluster }
  from "../harness/index.js";

const setup = [
  "CREATE TABLE a (id int PRIMARY KEY, v text)",
  "CREATE TABLE b (id serial PRIMARY KEY, aid int, w int)",
  "INSERT INTO a VALUES (1, 'x'), (2, 'y')",
  "INSERT INTO b (aid, w) VALUES (1, 10), (1, 3), (2, 7), (3, 1)",
];

/** Plan shapes compared with COSTS OFF. */
const shapes = [
  "SELECT * FROM b WHERE w > 5",
  "SELECT * FROM a WHERE id = 1",
  "SELECT * FROM a JOIN b ON a.id = b.aid WHERE b.w > 5",
  "SELECT * FROM a LEFT JOIN b ON a.id = b.aid",
  "SELECT aid, count(*) FROM b GROUP BY aid",
  "SELECT count(*) FROM b",
  "SELECT * FROM b ORDER BY w LIMIT 2",
  "SELECT * FROM b WHERE w = (SELECT max(w) FROM b)",
  "SELECT x FROM generate_series(1, 3) x",
  "VALUES (1), (2)",
  "SELECT 1",
  "SELECT aid FROM b UNION ALL SELECT id FROM a",
  "SELECT aid, w, count(*) FROM b GROUP BY CUBE (aid, w)",
  "WITH c AS MATERIALIZED (SELECT * FROM b) SELECT * FROM c WHERE w > 1",
  "UPDATE b SET w = 1 WHERE id = 2",
  "DELETE FROM a WHERE id = 2",
];

/** Plan shapes whose VERBOSE Output lists match Postgres's. */
const verbose = [
  "SELECT count(*) FROM b",
  "SELECT aid, count(*) FROM b GROUP BY aid HAVING count(*) > 1 ORDER BY 2 DESC",
  "SELECT w FROM b WHERE aid > 1",
  "SELECT * FROM b ORDER BY w LIMIT 2",
  "SELECT a.v, b.w FROM a JOIN b ON a.id = b.aid",
  "SELECT * FROM a LEFT JOIN b ON a.id = b.aid ORDER BY a.id",
  "SELECT aid + 1 FROM b ORDER BY 1",
  "SELECT DISTINCT aid FROM b",
  "SELECT aid FROM b UNION ALL SELECT id FROM a",
  "SELECT 1",
  "VALUES (1), (2)",
  "DELETE FROM a WHERE id = 2",
  "UPDATE b SET w = w + 1, aid = 3 WHERE w > 2",
  "INSERT INTO a VALUES (5, 'q')",
];

/** Statements whose costs our model computes as Postgres does. */
const costed = [
  "SELECT * FROM b WHERE w > 5",
  "SELECT * FROM a WHERE id = 1",
  "SELECT aid, count(*) FROM b GROUP BY aid",
  "SELECT count(*) FROM b",
  "SELECT * FROM b ORDER BY w LIMIT 2",
  "VALUES (1), (2)",
];

type Outcome = { type: number; rows: string[] } | { code: string; message: string };

async function runAll(url: string, statements: readonly string[]): Promise<Outcome[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const raw = { getTypeParser: () => (value: string) => value };
  try {
    const out: Outcome[] = [];
    for (const text of statements) {
      try {
        const result = await client.query({ text, rowMode: "array", types: raw });
        out.push({ type: result.fields[0]?.dataTypeID ?? 0,
          rows: (result.rows as string[][]).map((row) => mask(row[0]!)) });
      } catch (error) {
        const e = error as { code?: string; message?: string };
        out.push({ code: e.code ?? "?", message: e.message ?? "" });
      }
    }
    return out;
  } finally {
    await client.end();
  }
}

function mask(text: string): string {
  return text.replace(/(Planning|Execution) Time(": |: )\d+\.\d{3}/g,
    (_all, what: string, sep: string) => `${what} Time${sep}0.000`);
}

describe("EXPLAIN (FORMAT JSON/YAML) as PostgreSQL 15 prints it", () => {
  let reference: ReferencePostgres;
  let tessera: TesseraCluster;

  before(async () => {
    reference = await startReferencePostgres();
    tessera = await startCluster({ role: "worker" });
    for (const url of [reference.url, tessera.url]) {
      for (const [i, outcome] of (await runAll(url, setup)).entries()) {
        assert.ok(!("code" in outcome), `${setup[i]}: ${JSON.stringify(outcome)}`);
      }
    }
  });
  after(async () => {
    await tessera?.stop();
    await reference?.stop();
  });

  const compare = async (statements: readonly string[]): Promise<void> => {
    const expected = await runAll(reference.url, statements);
    const got = await runAll(tessera.url, statements);
    statements.forEach((sql, i) => assert.deepEqual(got[i], expected[i], sql));
  };

  test("plan shapes, COSTS OFF", async () => {
    await compare(shapes.map((s) => `EXPLAIN (FORMAT JSON, COSTS OFF) ${s}`));
  });

  test("VERBOSE: Output and Schema, in JSON and in text", async () => {
    await compare([...verbose.map((s) => `EXPLAIN (FORMAT JSON, COSTS OFF, VERBOSE) ${s}`),
      ...verbose.map((s) => `EXPLAIN (COSTS OFF, VERBOSE) ${s}`)]);
  });

  test("costs where the model matches", async () => {
    await compare(costed.map((s) => `EXPLAIN (FORMAT JSON) ${s}`));
  });

  test("YAML", async () => {
    await compare([...costed.map((s) => `EXPLAIN (FORMAT YAML) ${s}`),
      ...shapes.slice(0, 8).map((s) => `EXPLAIN (FORMAT YAML, COSTS OFF) ${s}`)]);
  });

  test("ANALYZE without timing, SUMMARY, and XML", async () => {
    await compare([
      "EXPLAIN (FORMAT JSON, ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " +
        "SELECT * FROM b WHERE w > 5",
      "EXPLAIN (FORMAT JSON, ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " +
        "SELECT * FROM a JOIN b ON a.id = b.aid",
      "EXPLAIN (FORMAT JSON, ANALYZE, COSTS OFF, TIMING OFF) SELECT count(*) FROM b",
      "EXPLAIN (FORMAT YAML, ANALYZE, COSTS OFF, TIMING OFF) SELECT * FROM a WHERE id = 2",
      "EXPLAIN (FORMAT JSON, SUMMARY, COSTS OFF) SELECT 1",
    ]);
    // XML: the same text; Tessera has no xml type, so the column is text, not xml (142).
    const xml = ["EXPLAIN (FORMAT XML, COSTS OFF) SELECT * FROM a JOIN b ON a.id = b.aid " +
      "WHERE b.w > 5", "EXPLAIN (FORMAT XML, COSTS OFF, VERBOSE) SELECT aid, count(*) FROM b " +
      "GROUP BY aid", "EXPLAIN (FORMAT XML, ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " +
      "SELECT count(*) FROM b"];
    const expected = await runAll(reference.url, xml);
    const got = await runAll(tessera.url, xml);
    xml.forEach((sql, i) => assert.deepEqual({ ...got[i], type: 142 }, expected[i], sql));
  });

  test("ANALYZE with timing has PostgreSQL's keys in PostgreSQL's order", async () => {
    const [out] = await runAll(tessera.url,
      ["EXPLAIN (FORMAT JSON, ANALYZE) SELECT * FROM b WHERE w > 5"]);
    assert.ok(out !== undefined && "rows" in out);
    const [query] = JSON.parse(out.rows[0]!) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(query!), ["Plan", "Planning Time", "Triggers",
      "Execution Time"]);
    const plan = query!["Plan"] as Record<string, unknown>;
    assert.deepEqual(Object.keys(plan), ["Node Type", "Parallel Aware", "Async Capable",
      "Relation Name", "Alias", "Startup Cost", "Total Cost", "Plan Rows", "Plan Width",
      "Actual Startup Time", "Actual Total Time", "Actual Rows", "Actual Loops", "Filter",
      "Rows Removed by Filter"]);
    assert.equal(plan["Actual Rows"], 2);
    assert.equal(plan["Rows Removed by Filter"], 2);
  });
});
