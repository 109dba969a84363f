/**
 * Composite types (CREATE TYPE … AS (…)) on a real `tessera cluster --workers 2`, as Citus
 * propagates them: CREATE / ALTER / DROP TYPE reach every worker; a distributed table with a
 * column of the type (and of its array) takes INSERT and answers router and multi-shard
 * queries with field selection, compared with PostgreSQL 15 holding the same plain table; a
 * worker added later gets the types before its shards.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import {
  onWorkers as workerResults, SideBySide, clusterBesidePostgres, startCluster,
  type ClusterBesidePostgres, type Rows,
} from "../harness/index.js";

describe("composite types across the cluster", () => {
  let tessera: pg.Client;
  let side: SideBySide;
  let servers: ClusterBesidePostgres;
  const onWorkers = (sql: string): Promise<string[]> => workerResults(tessera, sql);
  const q = async (sql: string, values: unknown[] = []): Promise<Rows> =>
    (await tessera.query(sql, values)).rows as Rows;
  const both = (sql: string): Promise<void> => side.both(sql);
  const same = (sql: string): Promise<Rows> => side.same(sql);
  const sameFailure = (sql: string): Promise<pg.DatabaseError> => side.sameFailure(sql);

  before(async () => {
    servers = await clusterBesidePostgres();
    ({ tessera, side } = servers);
  });
  after(async () => {
    await servers?.stop();
  });

  test("CREATE / ALTER / DROP TYPE … AS (…) reach every worker", async () => {
    await both("CREATE TYPE pair AS (a int, b text)");
    await sameFailure("CREATE TYPE pair AS (x int)");
    assert.deepEqual(await onWorkers("SELECT ('(1,x)'::public.pair).b"), ["x", "x"]);
    await both("CREATE SCHEMA geo");
    await both("CREATE TYPE geo.spot AS (x numeric(5,1), tag varchar(3), p pair)");
    assert.deepEqual(await onWorkers("SELECT '(1.25,ab,\"(2,y)\")'::geo.spot::text"),
      ['(1.3,ab,"(2,y)")', '(1.3,ab,"(2,y)")']);
    await both("CREATE TYPE tmp AS (q int)");
    await both("ALTER TYPE tmp ADD ATTRIBUTE r text");
    await both("ALTER TYPE tmp RENAME ATTRIBUTE q TO qq");
    assert.deepEqual(await onWorkers("SELECT ('(1,z)'::public.tmp).qq::text"), ["1", "1"]);
    await both("DROP TYPE tmp");
    assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_type WHERE typname = 'tmp'"),
      ["0", "0"]);
  });

  test("a distributed table with composite columns: INSERT, router and multi-shard",
    async () => {
      await both("CREATE TABLE places (id int PRIMARY KEY, spot geo.spot, pairs pair[])");
      await q("SELECT create_distributed_table('places', 'id')");
      await both("INSERT INTO places VALUES (1, ROW(1.5, 'a', ROW(1, 'x')), " +
        "ARRAY[ROW(1, 'p')::pair]), (2, '(2.5,b,\"(2,y)\")', '{\"(2,q)\"}'), (3, NULL, NULL)");
      await both("INSERT INTO places VALUES (4, ROW(4, 'dd', ROW(4, 'w')), NULL)");
      await sameFailure("INSERT INTO places VALUES (5, '(1,toolong,)', NULL)");
      await same("SELECT id, spot::text, pairs::text FROM places ORDER BY id");
      await same("SELECT (spot).tag, ((spot).p).b FROM places WHERE id = 2");
      await same("SELECT id, (spot).x * 2 FROM places WHERE (spot).x > 2 ORDER BY id");
      await same("SELECT (p.spot).* FROM places p WHERE id = 1");
      await same("SELECT count(*) FROM places WHERE spot IS NULL");
      await both("UPDATE places SET spot = ROW(9, 'z', NULL) WHERE id = 3");
      await same("SELECT spot::text FROM places WHERE id = 3");
      await sameFailure("DROP TYPE geo.spot");
    });

  test("a worker added with citus_add_node gets the composite types first", async () => {
    const extra = await startCluster({ role: "worker" });
    const worker = new pg.Client({ host: "127.0.0.1", port: extra.port, user: "postgres",
      database: "postgres" });
    try {
      await q("SELECT citus_add_node('127.0.0.1', $1)", [extra.port]);
      await worker.connect();
      const spot = await worker.query("SELECT '(1,ab,\"(2,y)\")'::geo.spot::text AS s");
      assert.deepEqual(spot.rows, [{ s: '(1.0,ab,"(2,y)")' }]);
      await q("CREATE TABLE later (k int, p pair)");
      await q("SELECT create_distributed_table('later', 'k', shard_count => 6)");
      await q("INSERT INTO later SELECT g, ROW(g % 3, 'v' || g % 3)::pair " +
        "FROM generate_series(1, 30) g");
      assert.deepEqual(await q("SELECT (p).b AS b, count(*)::int AS n FROM later " +
        "GROUP BY (p).b ORDER BY (p).b"), [{ b: "v0", n: 10 }, { b: "v1", n: 10 },
        { b: "v2", n: 10 }]);
    } finally {
      await worker.end().catch(() => undefined);
      await extra.stop();
    }
  });
});
