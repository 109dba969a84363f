/**
 * Fast-path queries whose distribution value is an integer literal (`planner/fast-path.ts`
 * sends it to the node as a parameter, so one prepared shard query serves every value),
 * against a real `tessera cluster --workers 2`: rows, NULL and missing keys, negative values,
 * bigint columns with values beyond integer, literals of other types, and the same results
 * through the simple and the extended protocol.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { startCluster, type TesseraCluster } from "../harness/index.js";

describe("fast-path queries with literal distribution values", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;

  const simple = async (sql: string): Promise<unknown[][]> =>
    (await client.query({ text: sql, rowMode: "array" })).rows as unknown[][];

  before(async () => {
    cluster = await startCluster({ workers: 2 });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    await client.query("CREATE TABLE li (id int PRIMARY KEY, n int)");
    await client.query("SELECT create_distributed_table('li', 'id')");
    await client.query("INSERT INTO li SELECT i, i * 10 FROM generate_series(-20, 60) i");
    await client.query("CREATE TABLE lb (id bigint PRIMARY KEY, n int)");
    await client.query("SELECT create_distributed_table('lb', 'id')");
    await client.query("INSERT INTO lb VALUES (7, 70), (5000000000, 1), (-5000000000, 2)");
  });
  after(async () => {
    await client.end();
    await cluster.stop();
  });

  test("every value of one query shape reads its own row", async () => {
    for (let round = 0; round < 3; round++) {
      for (let id = -20; id <= 60; id += 7) {
        assert.deepEqual(await simple(`SELECT n FROM li WHERE id = ${id}`), [[id * 10]]);
        assert.deepEqual(await simple(`SELECT id, n FROM li WHERE ${id} = id AND n > -1000`),
          [[id, id * 10]]);
      }
    }
    assert.deepEqual(await simple("SELECT n FROM li WHERE id = 61"), []);
    assert.deepEqual(await simple("SELECT n FROM li WHERE id = NULL"), []);
    assert.deepEqual(await simple("SELECT n FROM li WHERE id = 0 AND false"), []);
  });

  test("bigint columns, values beyond integer and literals of other types", async () => {
    assert.deepEqual(await simple("SELECT n FROM lb WHERE id = 7"), [[70]]);
    assert.deepEqual(await simple("SELECT n FROM lb WHERE id = 5000000000"), [[1]]);
    assert.deepEqual(await simple("SELECT n FROM lb WHERE id = -5000000000"), [[2]]);
    assert.deepEqual(await simple("SELECT n FROM li WHERE id = '12'"), [[120]]);
    assert.deepEqual(await simple("SELECT n FROM li WHERE id = 12.0"), [[120]]);
    assert.deepEqual(await simple("SELECT n FROM li WHERE id = 12.5"), []);
    await assert.rejects(simple("SELECT n FROM li WHERE id = 'x'"),
      (error: { code?: string }) => error.code === "22P02");
  });

  test("the extended protocol and a transaction block give the same rows", async () => {
    const extended = async (sql: string): Promise<unknown[][]> =>
      (await client.query({ text: sql, values: [], rowMode: "array" })).rows as unknown[][];
    for (const id of [-3, 0, 33]) {
      const sql = `SELECT n FROM li WHERE id = ${id}`;
      assert.deepEqual(await extended(sql), [[id * 10]]);
      await client.query("BEGIN");
      assert.deepEqual(await simple(sql), [[id * 10]]);
      await client.query("COMMIT");
    }
  });
});
