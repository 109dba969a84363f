/**
 * macaddr, macaddr8, money and the geometric types as columns of distributed tables on a
 * real `tessera cluster --workers 2`, beside PostgreSQL 15 holding the same plain tables:
 * INSERT through the coordinator (values deparsed into shard queries and parsed by the
 * workers), router and multi-shard reads with the types' operators, aggregates over all
 * shards, a table distributed by a macaddr column, COPY in and out through psql, binary
 * results as drivers read them, and the values surviving a crash (WAL replay).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import {
  SideBySide, binaryRows, clusterBesidePostgres, crashRuns, freePort, psql,
  type ClusterBesidePostgres,
} from "../harness/index.js";

const columns = "id int, mac macaddr, mac8 macaddr8, price money, pos point, area box, " +
  "zone circle, route path, shape polygon, edge lseg, ln line";

const rows = "SELECT g, ('08:00:2b:01:02:' || lpad(to_hex(g), 2, '0'))::macaddr, " +
  "('08:00:2b:ff:fe:01:02:' || lpad(to_hex(g * 3), 2, '0'))::macaddr8, (g * 12.345)::money, " +
  "point(g / 3.0, g * 0.1), box(point(g, g), point(g * 2, -g)), circle(point(g, 0), g / 7.0), " +
  "('[(0,0),(' || g || ',1),(2,' || g || ')]')::path, " +
  "('((0,0),(' || g || ',0),(0,' || g || '))')::polygon, lseg(point(0, g), point(g, 0)), " +
  "line(point(0, g), point(g, 1)) FROM generate_series(1, 40) g";

describe("macaddr, money and geometric columns on a distributed table", () => {
  let tessera: pg.Client;
  let side: SideBySide;
  let servers: ClusterBesidePostgres;
  let dir: string;
  const both = (sql: string): Promise<void> => side.both(sql);
  const same = (sql: string): Promise<unknown> => side.same(sql);

  before(async () => {
    servers = await clusterBesidePostgres();
    ({ tessera, side } = servers);
    dir = mkdtempSync(join(tmpdir(), "tessera-nmg-"));
    await both(`CREATE TABLE things (${columns})`);
    await tessera.query("SELECT create_distributed_table('things', 'id')");
    await both(`INSERT INTO things ${rows}`);
    await both("INSERT INTO things VALUES (41, '0800.2b01.0299', '08002b0102030405', " +
      "'-$1,234.56', '(1e-7,-0)', '(1,1),(1,1)', '<(0,0),0>', '((1,2))', '((3,4))', " +
      "'[(0,0),(0,0)]', '{1,0,-3}'), (42, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, " +
      "NULL, NULL)");
    await both("CREATE TABLE devices (mac macaddr, name text)");
    await tessera.query("SELECT create_distributed_table('devices', 'mac')");
    await both("INSERT INTO devices SELECT mac, 'dev' || id FROM things WHERE mac IS NOT NULL");
  });
  after(async () => {
    await servers?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  test("rows come back as PostgreSQL prints them, router and multi-shard", async () => {
    await same("SELECT * FROM things ORDER BY id");
    await same("SELECT * FROM things WHERE id = 7");
    await same("SELECT id, trunc(mac), mac8 & 'ff:ff:ff:ff:ff:ff:00:00', price * 2, " +
      "price / 3, cash_words(price) FROM things WHERE id IN (3, 17, 41) ORDER BY id");
    await same("SELECT id FROM things WHERE mac > '08:00:2b:01:02:20' ORDER BY id");
    await same("SELECT id, pos <-> '(0,0)'::point AS d FROM things WHERE pos <@ " +
      "'(10,2),(0,0)'::box ORDER BY d, id");
    await same("SELECT id FROM things WHERE zone && '<(10,0),1>'::circle AND " +
      "shape @> '(1,1)'::point ORDER BY id");
    await same("SELECT id, area(area), length(route), @@ shape, edge # '[(0,0),(50,50)]'::lseg " +
      "FROM things WHERE id % 5 = 0 ORDER BY id");
  });

  test("aggregates and grouping over all shards", async () => {
    await same("SELECT sum(price), min(price), max(price), count(DISTINCT mac), " +
      "min(mac::text) FROM things");
    await same("SELECT trunc(mac) AS oui, count(*), sum(price) FROM things GROUP BY 1 " +
      "ORDER BY 1");
    await same("SELECT id % 4 AS k, sum(price) FROM things GROUP BY 1 ORDER BY 1");
    await same("SELECT mac, name FROM devices WHERE mac = '08:00:2b:01:02:0a'");
    await same("SELECT count(*), min(name) FROM devices WHERE mac > '08:00:2b:01:02:10'");
  });

  test("writes with the types' operators", async () => {
    await both("UPDATE things SET price = price + '$0.01', pos = pos * '(0,1)'::point, " +
      "area = area + '(1,1)'::point WHERE id BETWEEN 10 AND 12");
    await same("SELECT id, price, pos, area FROM things WHERE id BETWEEN 9 AND 13 ORDER BY id");
    await both("DELETE FROM things WHERE mac8 = '08:00:2b:ff:fe:01:02:1e'");
    await same("SELECT count(*) FROM things");
  });

  test("COPY in and out through psql", async () => {
    const file = join(dir, "in.txt");
    writeFileSync(file, "100\t08-00-2b-aa-bb-cc\t0800.2baa.bbcc.ddee\t$7.5\t(1,2)\t" +
      "(0,0),(3,4)\t<(1,1),2>\t[(0,0),(1,1)]\t((0,0),(1,0),(1,1))\t[(1,1),(2,2)]\t" +
      "{1,2,3}\n101\t\\N\t\\N\t(3)\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n");
    const { reference, cluster } = servers;
    for (const port of [reference.port, cluster.port]) {
      await psql(port, `\\copy things from '${file}'`);
    }
    const out = "COPY (SELECT * FROM things WHERE id >= 100 OR id < 4 ORDER BY id) TO STDOUT";
    assert.equal(await psql(cluster.port, out), await psql(reference.port, out));
    const csv = "COPY (SELECT mac, price, area FROM things WHERE id >= 100 ORDER BY id) " +
      "TO STDOUT WITH (FORMAT csv)";
    assert.equal(await psql(cluster.port, csv), await psql(reference.port, csv));
  });

  test("binary results match PostgreSQL", async () => {
    const binary = binaryRows;
    const text = "SELECT mac, mac8, price, pos, area, zone, route, shape, edge, ln " +
      "FROM things WHERE id IN (2, 41) ORDER BY id";
    assert.deepEqual(await binary(tessera, text), await binary(servers.postgres, text));
    for (const client of [tessera, servers.postgres]) {
      const point = Buffer.alloc(16);
      point.writeDoubleBE(1.5, 0);
      point.writeDoubleBE(-2, 8);
      const mac = Buffer.from("08002b010203", "hex");
      const result = await client.query({ text: "SELECT $1::point::text AS p, " +
        "$2::macaddr::text AS m", values: [point, mac], binary: false } as pg.QueryConfig);
      assert.deepEqual(result.rows, [{ p: "(1.5,-2)", m: "08:00:2b:01:02:03" }]);
    }
  });

  test("values survive a crash of the cluster", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tessera-nmg-crash-"));
    const port = await freePort("127.0.0.1", 2);
    const run = crashRuns(dataDir, port);
    try {
      await run([`CREATE TABLE kept (${columns})`,
        "SELECT create_distributed_table('kept', 'id')",
        `INSERT INTO kept ${rows.replace("40", "3")}`]);
      const [after] = await run(["SELECT mac::text, mac8::text, price::text, pos::text, " +
        "area::text, zone::text, route::text, shape::text, edge::text, ln::text FROM kept " +
        "WHERE id = 3"]);
      assert.deepEqual(after, [{ mac: "08:00:2b:01:02:03", mac8: "08:00:2b:ff:fe:01:02:09",
        price: "$37.04", pos: "(1,0.3)", area: "(6,3),(3,-3)",
        zone: "<(3,0),0.42857142857142855>", route: "[(0,0),(3,1),(2,3)]",
        shape: "((0,0),(3,0),(0,3))", edge: "[(0,3),(3,0)]", ln: "{-0.6666666666666666,-1,3}" }]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    }
  });
});
