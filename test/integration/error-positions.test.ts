/**
 * Error positions (ErrorResponse's `P` field, which psql shows as `LINE 1: …` and a caret) of
 * literals a type's input refuses: in casts, comparisons, function arguments, INSERT values
 * and UPDATE sets, PostgreSQL points at the literal. Compared with PostgreSQL 15 on the
 * coordinator of a one-worker cluster, for a local and a distributed table.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type pg from "pg";
import { clusterBesidePostgres, type ClusterBesidePostgres } from "../harness/compare.js";

let both: ClusterBesidePostgres;

before(async () => {
  both = await clusterBesidePostgres(1);
  for (const client of [both.tessera, both.postgres]) {
    await client.query("CREATE TABLE ep_local (a int, d date)");
    await client.query("CREATE TABLE ep_dist (a int, d date)");
  }
  await both.tessera.query("SELECT create_distributed_table('ep_dist', 'a')");
});

after(async () => {
  await both.stop();
});

async function failure(client: pg.Client, sql: string):
  Promise<[string | undefined, string, string | undefined]> {
  const error = await client.query(sql).then(() => undefined, (e: pg.DatabaseError) => e);
  assert.ok(error !== undefined, `${sql} fails`);
  return [error.code, error.message, error.position];
}

test("a refused literal's error points at the literal, as in PostgreSQL", async () => {
  const statements = [
    "SELECT 'abc'::int", "SELECT cast('1.5' AS int)", "SELECT int '12a'",
    "SELECT '2024-02-30'::date", "SELECT 1 = 'abc'", "SELECT coalesce(1, 'x')",
    "INSERT INTO ep_local VALUES ('abc')", "INSERT INTO ep_local (d) VALUES ('2024-13-01')",
    "SELECT * FROM ep_local WHERE d > 'nope'", "UPDATE ep_local SET a = 'q'",
    "SELECT * FROM ep_dist WHERE a = 'seven'", "INSERT INTO ep_dist (a, d) VALUES (1, 'x')",
  ];
  for (const sql of statements) {
    const expected = await failure(both.postgres, sql);
    assert.ok(expected[2] !== undefined, `PostgreSQL gives a position for ${sql}`);
    assert.deepEqual(await failure(both.tessera, sql), expected, sql);
  }
});
