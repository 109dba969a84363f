/**
 * Range and multirange columns on a real `tessera cluster --workers 2`, compared with
 * PostgreSQL 15 holding the same plain table: INSERT through the coordinator, router and
 * multi-shard reads, filters on @> and &&, range_agg / range_intersect_agg over all shards
 * (Citus cannot split them; the coordinator computes them over the gathered rows), grouped
 * by the distribution column and by another; and the values surviving a crash (WAL replay).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import {
  SideBySide, binaryRows, clusterBesidePostgres, crashRuns, freePort, type ClusterBesidePostgres,
  type Rows,
} from "../harness/index.js";

describe("multiranges on a distributed table", () => {
  let tessera: pg.Client;
  let side: SideBySide;
  let servers: ClusterBesidePostgres;
  const both = (sql: string): Promise<void> => side.both(sql);
  const same = (sql: string): Promise<Rows> => side.same(sql);

  before(async () => {
    servers = await clusterBesidePostgres();
    ({ tessera, side } = servers);
    await both("CREATE TABLE bookings (id int, room int, during int4range, " +
      "free int4multirange, days datemultirange)");
    await tessera.query("SELECT create_distributed_table('bookings', 'id')");
    await both("INSERT INTO bookings SELECT g, g % 3, int4range(g, g + 4), " +
      "int4multirange(int4range(g, g + 2), int4range(g + 5, g + 7)), " +
      "datemultirange(daterange('2024-01-01'::date + g, '2024-01-03'::date + g)) " +
      "FROM generate_series(1, 30) g");
    await both("INSERT INTO bookings VALUES (31, 0, NULL, NULL, NULL), " +
      "(32, 1, 'empty', '{}', '{}'), (33, 2, '(,5)', '{(,1), [100,)}', '{}')");
  });
  after(async () => {
    await servers?.stop();
  });

  test("rows come back as PostgreSQL prints them, router and multi-shard", async () => {
    await same("SELECT id, during, free, days FROM bookings ORDER BY id");
    await same("SELECT free, days FROM bookings WHERE id = 7");
    await same("SELECT id FROM bookings WHERE free @> 12 ORDER BY id");
    await same("SELECT id FROM bookings WHERE free && '{[40,41)}'::int4multirange ORDER BY id");
    await same("SELECT id, free - '{[10,20)}'::int4multirange AS rest FROM bookings " +
      "WHERE id BETWEEN 5 AND 25 ORDER BY id");
  });

  test("range_agg and range_intersect_agg over all shards", async () => {
    await same("SELECT range_agg(during), range_agg(free), range_agg(days) FROM bookings");
    await same("SELECT range_intersect_agg(during), range_intersect_agg(free) FROM bookings " +
      "WHERE id BETWEEN 10 AND 12");
    await same("SELECT room, range_agg(during) AS busy, range_agg(free) AS open " +
      "FROM bookings GROUP BY room ORDER BY room");
    await same("SELECT id, range_agg(free) FROM bookings WHERE id < 6 GROUP BY id ORDER BY id");
    await same("SELECT room, count(*), range_agg(during) FROM bookings GROUP BY room " +
      "HAVING range_agg(during) @> 20 ORDER BY room");
  });

  test("binary send and receive match PostgreSQL", async () => {
    const binary = binaryRows;
    const queries = ["SELECT during, free, days FROM bookings WHERE id IN (3, 32, 33) ORDER BY id",
      "SELECT '[1.5,2.50]'::numrange, '(,3]'::int8range, '{(,0), [2.5,3]}'::nummultirange, " +
      "'[2024-01-01 10:00+00,)'::tstzrange, ARRAY['{[1,2)}'::int4multirange, '{}']"];
    for (const text of queries) {
      assert.deepEqual(await binary(tessera, text), await binary(servers.postgres, text), text);
    }
    // int4multirange {[1,3),[5,7)} and int4range [5,1) as range_send writes them.
    const multi = Buffer.from("0000000200000011020000000400000001000000040000000300000011" +
      "0200000004000000050000000400000007", "hex");
    const bad = Buffer.from("0200000004000000050000000400000001", "hex");
    for (const client of [tessera, servers.postgres]) {
      assert.deepEqual((await client.query("SELECT $1::int4multirange::text AS m", [multi]))
        .rows, [{ m: "{[1,3),[5,7)}" }]);
      await assert.rejects(client.query("SELECT $1::int4range", [bad]),
        /range lower bound must be less than or equal to range upper bound/);
    }
  });

  test("multirange values survive a crash of the cluster", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tessera-mr-"));
    // The same ports after the restart: the coordinator knows its worker by port.
    const port = await freePort("127.0.0.1", 2);
    const run = crashRuns(dataDir, port);
    try {
      await run(["CREATE TABLE spans (id int, r numrange, m nummultirange, " +
        "ms tstzmultirange[])", "SELECT create_distributed_table('spans', 'id')",
      "INSERT INTO spans VALUES (1, '[1.5,2]', '{[1,2), (3,4]}', " +
        "ARRAY['{[2024-01-01 00:00+00,2024-01-02 00:00+00)}'::tstzmultirange]), " +
        "(2, 'empty', '{}', NULL), (3, '(,)', '{(,0), [5,)}', '{}')",
      "CREATE TABLE local_spans (m int8multirange)",
      "INSERT INTO local_spans VALUES ('{[1,3), [7,9)}')"]);
      const rows = await run(["SELECT id, r::text, m::text, ms::text FROM spans ORDER BY id",
        "SELECT m::text FROM local_spans"]);
      assert.deepEqual(rows, [[
        { id: 1, r: "[1.5,2]", m: "{[1,2),(3,4]}",
          ms: "{\"{[\\\"2024-01-01 00:00:00+00\\\",\\\"2024-01-02 00:00:00+00\\\")}\"}" },
        { id: 2, r: "empty", m: "{}", ms: null },
        { id: 3, r: "(,)", m: "{(,0),[5,)}", ms: "{}" },
      ], [{ m: "{[1,3),[7,9)}" }]]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    }
  });
});
