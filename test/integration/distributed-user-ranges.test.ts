/**
 * CREATE TYPE … AS RANGE on a real `tessera cluster --workers 2`, compared with PostgreSQL 15
 * doing the same: the type reaches the workers (Citus-style type propagation), so a
 * distributed table has range, multirange and range-array columns of it; router and
 * multi-shard reads, filters on @> and &&, range_agg over all shards, binary results; DROP
 * TYPE refused while a column uses it; and the type and values surviving a crash (WAL replay
 * and a checkpoint).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import {
  SideBySide, clusterBesidePostgres, crashRuns, freePort, type ClusterBesidePostgres, type Rows,
} from "../harness/index.js";

describe("user range types on a distributed table", () => {
  let tessera: pg.Client;
  let side: SideBySide;
  let servers: ClusterBesidePostgres;
  const both = (sql: string): Promise<void> => side.both(sql);
  const same = (sql: string): Promise<Rows> => side.same(sql);

  before(async () => {
    servers = await clusterBesidePostgres();
    ({ tessera, side } = servers);
    await both("CREATE TYPE floatrange AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = float8mi)");
    await both("CREATE TABLE spans (id int, r floatrange, m floatmultirange, rs floatrange[])");
    await tessera.query("SELECT create_distributed_table('spans', 'id')");
    await both("INSERT INTO spans SELECT g, floatrange(g, g + 2.5), " +
      "floatmultirange(floatrange(g, g + 1), floatrange(g + 3, g + 4)), " +
      "ARRAY[floatrange(g, g + 0.5)] FROM generate_series(1, 20) g");
    await both("INSERT INTO spans VALUES (21, NULL, NULL, NULL), (22, 'empty', '{}', '{}')");
  });
  after(async () => {
    await servers?.stop();
  });

  test("rows, filters and aggregates match PostgreSQL, router and multi-shard", async () => {
    await same("SELECT id, r::text, m::text, rs::text FROM spans ORDER BY id");
    await same("SELECT r::text, m::text FROM spans WHERE id = 7");
    await same("SELECT id FROM spans WHERE r @> 5.75::float8 ORDER BY id");
    await same("SELECT id FROM spans WHERE m && '[10.2,10.4)'::floatrange ORDER BY id");
    await same("SELECT range_agg(r)::text, range_agg(m)::text FROM spans");
    await same("SELECT id % 3 AS g, range_agg(r)::text FROM spans GROUP BY 1 ORDER BY 1");
    await same("SELECT lower(r), upper(m), isempty(r) FROM spans ORDER BY id");
  });

  test("the type exists on every worker", async () => {
    const rows = await tessera.query("SELECT result FROM run_command_on_workers(" +
      "$$SELECT floatrange(1, 2)::text || ' ' || floatmultirange()::text$$) ORDER BY nodeport");
    assert.deepEqual(rows.rows.map((r: { result: string }) => r.result),
      ["[1,2) {}", "[1,2) {}"]);
  });

  test("DROP TYPE is refused while a column uses it", async () => {
    for (const client of [tessera, servers.postgres]) {
      await assert.rejects(client.query("DROP TYPE floatrange"),
        /cannot drop type floatrange because other objects depend on it/);
    }
  });

  test("a user range type and its values survive a crash", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tessera-ur-"));
    const port = await freePort("127.0.0.1", 2);
    const run = crashRuns(dataDir, port);
    try {
      await run(["CREATE TYPE textrange AS RANGE (SUBTYPE = text)",
        "CREATE TABLE tr (id int, r textrange, m textmultirange)",
        "SELECT create_distributed_table('tr', 'id')",
        "INSERT INTO tr VALUES (1, '[a,m)', '{[a,c), [x,z]}'), (2, 'empty', '{}')",
        "CHECKPOINT",
        "CREATE TYPE period AS RANGE (SUBTYPE = timestamp, MULTIRANGE_TYPE_NAME = periods)",
        "CREATE TABLE local_p (p period, ps periods)",
        "INSERT INTO local_p VALUES ('[2024-01-01,2024-02-01)', '{[2024-01-01,2024-01-02)}')"]);
      const rows = await run(["SELECT id, r::text, m::text FROM tr ORDER BY id",
        "SELECT id FROM tr WHERE r @> 'cat'::text",
        "SELECT p::text, ps::text FROM local_p",
        "SELECT textrange('b', 'c')::text AS t, periods()::text AS p"]);
      assert.deepEqual(rows, [
        [{ id: 1, r: "[a,m)", m: "{[a,c),[x,z]}" }, { id: 2, r: "empty", m: "{}" }],
        [{ id: 1 }],
        [{ p: "[\"2024-01-01 00:00:00\",\"2024-02-01 00:00:00\")",
          ps: "{[\"2024-01-01 00:00:00\",\"2024-01-02 00:00:00\")}" }],
        [{ t: "[b,c)", p: "{}" }],
      ]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    }
  });
});
