/**
 * The extended protocol's transaction (the messages up to Sync) is not a transaction block, as
 * PostgreSQL's IsTransactionBlock says: LOCK TABLE, SAVEPOINT and DECLARE CURSOR (without
 * HOLD) sent as prepared statements outside BEGIN fail with 25P01, while a multi-statement
 * simple query's implicit block and a BEGIN block allow them. Checked on a Tessera coordinator
 * (a local table and a distributed one) beside real PostgreSQL 15.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type pg from "pg";
import { clusterBesidePostgres, type ClusterBesidePostgres } from "../harness/compare.js";

let both: ClusterBesidePostgres;

before(async () => {
  both = await clusterBesidePostgres(1);
  for (const client of [both.tessera, both.postgres]) {
    await client.query("CREATE TABLE tbx_local (a int)");
    await client.query("CREATE TABLE tbx_dist (a int)");
  }
  await both.tessera.query("SELECT create_distributed_table('tbx_dist', 'a')");
});

after(async () => {
  await both.stop();
});

/** Each statement's outcome: "ok" or its SQLSTATE. */
async function outcomes(client: pg.Client): Promise<string[]> {
  const out: string[] = [];
  const run = async (query: pg.QueryConfig | string): Promise<void> => {
    await client.query(query).then(() => out.push("ok"),
      (error: pg.DatabaseError) => out.push(error.code ?? "?"));
  };
  let n = 0;
  const prepared = (text: string): pg.QueryConfig => ({ text, name: `tbx_${n++}` });
  await run(prepared("LOCK TABLE tbx_local"));
  await run(prepared("LOCK TABLE tbx_dist IN SHARE MODE"));
  await run(prepared("SAVEPOINT s"));
  await run(prepared("DECLARE c CURSOR FOR SELECT 1"));
  await run(prepared("DECLARE h CURSOR WITH HOLD FOR SELECT 1"));
  await run("CLOSE h");
  await run("LOCK TABLE tbx_local; SELECT 1");
  await run("BEGIN");
  await run(prepared("LOCK TABLE tbx_dist"));
  await run(prepared("DECLARE c2 CURSOR FOR SELECT 1"));
  await run("COMMIT");
  return out;
}

test("prepared LOCK, SAVEPOINT and DECLARE need a transaction block, as in PostgreSQL",
  async () => {
    const expected = await outcomes(both.postgres);
    assert.deepEqual(expected, ["25P01", "25P01", "25P01", "25P01", "ok", "ok", "ok", "ok",
      "ok", "ok", "ok"]);
    assert.deepEqual(await outcomes(both.tessera), expected);
  });
