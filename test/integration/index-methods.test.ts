/**
 * CREATE INDEX … USING gin / hash / gist / brin / spgist on a real `tessera cluster
 * --workers 2`, beside PostgreSQL 15, following Citus's real-time analytics tutorial: the
 * GIN index on github_events.payload (jsonb_path_ops) is created before
 * create_distributed_table and reaches every shard with its access method and operator
 * class; indexes created on the distributed table are propagated the same way; the tutorial's
 * containment queries give PostgreSQL's answers; psql's \d shows the index as PostgreSQL
 * does. Then one node alone keeps such indexes across a restart.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import {
  clusterBesidePostgres, psql, startCluster, type ClusterBesidePostgres, type Rows,
} from "../harness/index.js";

const eventsTable = `CREATE TABLE github_events (event_id bigint, event_type text,
  event_public boolean, repo_id bigint, payload jsonb, repo jsonb, actor jsonb, org jsonb,
  created_at timestamp)`;

/** 240 events over 40 repositories and six minutes, a quarter of them new repositories. */
const loadEvents = `INSERT INTO github_events
  SELECT g, CASE WHEN g % 3 = 0 THEN 'CreateEvent' ELSE 'PushEvent' END, true, g % 40,
    CASE WHEN g % 4 = 0 THEN '{"ref_type": "repository", "ref": null}'::jsonb
         WHEN g % 4 = 1 THEN jsonb_build_object('ref_type', 'branch', 'size', g)
         ELSE jsonb_build_object('commits', jsonb_build_array(g, g + 1)) END,
    jsonb_build_object('id', g % 40, 'name', 'repo' || (g % 40)),
    jsonb_build_object('login', 'user' || (g % 7)), null,
    timestamp '2016-12-01 05:00:00' + make_interval(secs => g * 1.5)
  FROM generate_series(1, 240) g`;

describe("index access methods on distributed tables (real-time analytics tutorial)", () => {
  let servers: ClusterBesidePostgres;
  const q = async (sql: string): Promise<Rows> =>
    (await servers.tessera.query(sql)).rows as Rows;
  const same = (sql: string): Promise<Rows> => servers.side.same(sql);
  /** The index definitions on every shard of github_events, one line per shard index. */
  const shardIndexes = async (): Promise<string[]> => {
    const rows = await q("SELECT shardid, success, result FROM run_command_on_shards(" +
      "'github_events', $cmd$SELECT string_agg(indexdef, E'\\n' ORDER BY indexname) " +
      "FROM pg_indexes WHERE tablename = '%s'$cmd$) ORDER BY shardid");
    assert.ok(rows.length >= 2, "github_events has shards");
    return rows.flatMap((r) => {
      assert.equal(r["success"], true, String(r["result"]));
      return String(r["result"]).split("\n")
        .map((line) => line.replaceAll(`_${String(r["shardid"])}`, "_<id>"));
    });
  };

  before(async () => {
    servers = await clusterBesidePostgres(2);
    await servers.side.both(eventsTable);
    await servers.side.both(
      "CREATE INDEX payload_index ON github_events USING GIN (payload jsonb_path_ops)");
    await q("SELECT create_distributed_table('github_events', 'repo_id')");
    await servers.side.both(loadEvents);
  });
  after(async () => servers?.stop());

  test("the GIN index reaches every shard with its method and operator class", async () => {
    const defs = await shardIndexes();
    const expected = "CREATE INDEX payload_index_<id> ON public.github_events_<id> " +
      "USING gin (payload jsonb_path_ops)";
    assert.ok(defs.length >= 2 && defs.every((d) => d === expected), defs.join("\n"));
  });

  test("the tutorial's queries give PostgreSQL's answers", async () => {
    await same(`SELECT count(*) FROM github_events
      WHERE payload @> '{"ref_type": "repository"}'`);
    await same(`SELECT date_trunc('minute', created_at) AS minute, count(*) AS created_repos
      FROM github_events
      WHERE event_type = 'CreateEvent' AND payload @> '{"ref_type": "repository"}'
      GROUP BY minute ORDER BY minute`);
    await same(`SELECT repo_id, count(*) FROM github_events
      WHERE payload @> '{"ref_type": "branch"}' AND repo_id = 5 GROUP BY repo_id`);
    const plan = (await q(`EXPLAIN (COSTS OFF) SELECT count(*) FROM github_events
      WHERE payload @> '{"ref_type": "repository"}'`)).map((r) => r["QUERY PLAN"]).join("\n");
    assert.doesNotMatch(plan, /payload_index/, plan);
  });

  test("the coordinator's catalog and psql's \\d show the index as PostgreSQL", async () => {
    await same(`SELECT c2.relname, i.indisprimary, i.indisunique,
        pg_get_indexdef(i.indexrelid, 0, true) AS def, a.amname, i.indclass::text
      FROM pg_class c JOIN pg_index i ON i.indrelid = c.oid
      JOIN pg_class c2 ON c2.oid = i.indexrelid JOIN pg_am a ON a.oid = c2.relam
      WHERE c.relname = 'github_events' ORDER BY c2.relname`);
    await same("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'github_events'");
    const described = await psql(servers.cluster.port, "\\d github_events");
    assert.match(described, /"payload_index" gin \(payload jsonb_path_ops\)/, described);
    const index = await psql(servers.cluster.port, "\\d payload_index");
    assert.match(index, /gin, for table "public\.github_events"/, index);
  });

  test("indexes created on the distributed table are propagated", async () => {
    await servers.side.both("CREATE INDEX repo_gin ON github_events USING gin (repo)");
    await servers.side.both("CREATE INDEX type_hash ON github_events USING hash (event_type)");
    await servers.side.both("CREATE INDEX created_brin ON github_events USING brin (created_at)");
    await same("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'github_events' " +
      "ORDER BY indexname");
    const defs = new Set(await shardIndexes());
    for (const def of [
      "CREATE INDEX repo_gin_<id> ON public.github_events_<id> USING gin (repo)",
      "CREATE INDEX type_hash_<id> ON public.github_events_<id> USING hash (event_type)",
      "CREATE INDEX created_brin_<id> ON public.github_events_<id> USING brin (created_at)",
    ]) assert.ok(defs.has(def), `${def}\n${[...defs].join("\n")}`);
    await same(`SELECT event_id FROM github_events WHERE event_type = 'CreateEvent'
      AND repo @> '{"id": 9}' ORDER BY event_id`);
    // With the distribution column, so Citus's own check passes and DefineIndex refuses.
    await servers.side.sameFailure(
      "CREATE UNIQUE INDEX bad_gin ON github_events USING gin (repo_id)");
    await servers.side.sameFailure("CREATE INDEX bad_gin ON github_events USING gin (repo_id)");
  });

  test("DROP INDEX removes the shard indexes", async () => {
    await servers.side.both("DROP INDEX payload_index");
    const defs = await shardIndexes();
    assert.ok(defs.every((d) => !d.includes("payload_index")), defs.join("\n"));
    await same(`SELECT count(*) FROM github_events
      WHERE payload @> '{"ref_type": "repository"}'`);
  });
});

describe("index access methods across a restart", () => {
  test("gin and hash indexes are kept, and hash lookups still answer", async () => {
    let node = await startCluster({ role: "worker" });
    const connect = async (): Promise<pg.Client> => {
      const client = new pg.Client({ connectionString: node.url });
      await client.connect();
      return client;
    };
    let client = await connect();
    const indexes = "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'ev' " +
      "ORDER BY indexname";
    try {
      await client.query("CREATE TABLE ev (id int, kind text, payload jsonb)");
      await client.query("CREATE INDEX ev_payload ON ev USING gin (payload jsonb_path_ops)");
      await client.query("CREATE INDEX ev_kind ON ev USING hash (kind)");
      await client.query(`INSERT INTO ev SELECT g, 'k' || (g % 5),
        jsonb_build_object('n', g % 3) FROM generate_series(1, 100) g`);
      const before = (await client.query(indexes)).rows as Rows;
      await client.end();
      await node.stop({ keepData: true });
      node = await startCluster({ role: "worker", dataDir: node.dataDir });
      client = await connect();
      assert.deepEqual((await client.query(indexes)).rows, before);
      assert.equal(before.length, 2);
      const kinds = await client.query("SELECT count(*)::int AS n FROM ev WHERE kind = 'k3'");
      assert.equal(kinds.rows[0].n, 20);
      const plan = await client.query("EXPLAIN (COSTS OFF) SELECT * FROM ev WHERE kind = 'k3'");
      assert.match(String(plan.rows[0]["QUERY PLAN"]), /Index Scan using ev_kind/);
      const found = await client.query(
        `SELECT count(*)::int AS n FROM ev WHERE payload @> '{"n": 1}'`);
      assert.equal(found.rows[0].n, 34);
    } finally {
      await client.end().catch(() => undefined);
      await node.stop();
    }
  });
});
