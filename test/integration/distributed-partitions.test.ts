/**
 * Declarative partitioning on a real `tessera cluster --workers 2`, beside PostgreSQL 15.
 *
 * Local (non-distributed) partitioned tables on the coordinator and tables on a worker
 * behave as on PostgreSQL. A hash-distributed partitioned table takes its partitions along,
 * colocated, as Citus does: each shard of the parent is a partitioned table on its node with
 * the partitions' shards of the same index attached, so queries on the parent or a partition
 * answer as PostgreSQL's on the same schema; CREATE TABLE … PARTITION OF, ATTACH, DETACH and
 * DROP reach every shard pair. Citus's refusals (partition of a local parent, non-hash
 * distribution, multi-level partitioning, a local parent with a distributed partition) keep
 * its messages, as does INHERITS from a distributed table.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import pg from "pg";
import {
  clusterBesidePostgres, failureOf, queryNode, type ClusterBesidePostgres,
} from "../harness/index.js";

describe("partitioned tables and Citus tables", () => {
  let servers: ClusterBesidePostgres;
  let tessera: pg.Client;
  const both = (sql: string): Promise<void> => servers.side.both(sql);
  const same = (sql: string): Promise<unknown> => servers.side.same(sql);

  /** Asserts that `sql` fails on Tessera with 0A000 and a message naming `what`. */
  async function refused(client: pg.Client, sql: string, what: string): Promise<void> {
    const error = await failureOf(client, sql);
    assert.equal(error.code, "0A000", `${sql}: ${error.message}`);
    assert.ok(error.message.includes(what), `${sql}: ${error.message}`);
  }

  before(async () => {
    servers = await clusterBesidePostgres();
    tessera = servers.tessera;
    await both("CREATE TABLE p (id int, at date, v int)");
    await tessera.query("SELECT create_distributed_table('p', 'id')");
    await both("INSERT INTO p VALUES (1, '2024-03-01', 5), (2, '2023-05-06', 7)");
    await both("CREATE TABLE loose (id int, at date, v int)");
  });

  after(async () => {
    await servers?.stop();
  });

  test("local partitioned tables on the coordinator work as on PostgreSQL", async () => {
    await both("CREATE TABLE pp (id int, at date, v int) PARTITION BY RANGE (at)");
    await both("CREATE TABLE pp_2023 PARTITION OF pp FOR VALUES FROM ('2023-01-01') TO " +
      "('2024-01-01')");
    await both("CREATE TABLE pp_2024 PARTITION OF pp FOR VALUES FROM ('2024-01-01') TO " +
      "('2025-01-01')");
    await both("CREATE TABLE pl (id int, k text) PARTITION BY LIST (k)");
    await both("CREATE TABLE pl_ab PARTITION OF pl FOR VALUES IN ('a', 'b')");
    await both("INSERT INTO pp VALUES (1, '2023-03-01', 5), (2, '2024-05-06', 7)");
    await both("INSERT INTO pl VALUES (1, 'a'), (2, 'b')");
    await same("SELECT * FROM pp ORDER BY id");
    await same("SELECT id FROM pp_2024 ORDER BY id");
    await same("SELECT relname, relkind, relispartition, pg_get_expr(relpartbound, oid) " +
      "FROM pg_class WHERE relname LIKE 'pp%' ORDER BY relname");
    await servers.side.sameFailure("INSERT INTO pp VALUES (3, '2030-01-01', 1)");
    await both("UPDATE pp SET at = '2024-01-02' WHERE id = 1");
    await same("SELECT id FROM pp_2024 ORDER BY id");
    await same("SELECT count(*) FROM pp_2023");
    // Table inheritance is `inheritance.test.ts`'s; a distributed parent is Citus's error.
    const inherit = await failureOf(tessera, "CREATE TABLE kid (extra int) INHERITS (p)");
    assert.equal(inherit.message, "non-distributed tables cannot inherit distributed tables");
    assert.equal((await failureOf(tessera, "SELECT * FROM kid")).code, "42P01");
    const tables = await tessera.query("SELECT table_name::text AS name FROM citus_tables " +
      "ORDER BY 1");
    assert.deepEqual(tables.rows, [{ name: "p" }]);
  });

  test("Citus's refusals for partitioned tables and partitions", async () => {
    const cases: [string, string, string][] = [
      ["SELECT create_distributed_table('pp_2024', 'id')", "XX000",
        "cannot distribute relation \"pp_2024\" which is partition of \"pp\""],
      ["SELECT create_reference_table('pl')", "0A000",
        "distributing partitioned tables in only supported for hash-distributed tables"],
      ["SELECT create_reference_table('pl_ab')", "XX000",
        "cannot distribute relation \"pl_ab\" which is partition of \"pl\""],
    ];
    for (const [sql, code, message] of cases) {
      const error = await failureOf(tessera, sql);
      assert.equal(error.code, code, `${sql}: ${error.message}`);
      assert.equal(error.message, message);
    }
    const error = await failureOf(tessera, "SELECT create_distributed_table('pp_2024', 'id')");
    assert.equal(error.detail, "Citus does not support distributing partitions if their " +
      "parent is not distributed table.");
    assert.equal(error.hint, "Distribute the partitioned table \"pp\" instead.");
    await both("CREATE TABLE ml (id int, at date) PARTITION BY RANGE (at)");
    await both("CREATE TABLE ml_a PARTITION OF ml FOR VALUES FROM ('2020-01-01') TO " +
      "('2021-01-01') PARTITION BY RANGE (at)");
    const multi = await failureOf(tessera, "SELECT create_distributed_table('ml', 'id')");
    assert.equal(multi.code, "0A000");
    assert.equal(multi.message, "distributing multi-level partitioned tables is not supported");
    assert.equal(multi.detail, "Relation \"ml_a\" is partitioned table itself and it is also " +
      "partition of relation \"ml\".");
    const tables = await tessera.query("SELECT table_name::text AS name FROM citus_tables " +
      "ORDER BY 1");
    assert.deepEqual(tables.rows, [{ name: "p" }]);
    await same("SELECT * FROM pp ORDER BY id");
    await same("SELECT * FROM pl ORDER BY id");
  });

  test("the issue's statements: a Citus table is not partitioned", async () => {
    await servers.side.sameFailure("CREATE TABLE p_2024 PARTITION OF p FOR VALUES FROM " +
      "('2024-01-01') TO ('2025-01-01')");
    assert.equal((await failureOf(tessera, "SELECT * FROM p_2024")).code, "42P01");
    await same("SELECT * FROM p ORDER BY id");
    await both("INSERT INTO p VALUES (3, '2024-07-01', 9)");
    await same("SELECT count(*), sum(v) FROM p WHERE at >= '2024-01-01'");
  });

  test("ATTACH and DETACH naming a Citus table that is not partitioned", async () => {
    const bound = "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')";
    await servers.side.sameFailure(`ALTER TABLE p ATTACH PARTITION loose ${bound}`);
    await servers.side.sameFailure(`ALTER TABLE loose ATTACH PARTITION p ${bound}`);
    await servers.side.sameFailure("ALTER TABLE p DETACH PARTITION loose");
    await refused(tessera, "ALTER TABLE p DETACH PARTITION loose FINALIZE",
      "DETACH PARTITION … FINALIZE is not supported on distributed tables");
    await servers.side.sameFailure(`ALTER TABLE loose ATTACH PARTITION loose ${bound}`);
    // A local partitioned parent cannot take a distributed partition (Citus's error).
    const error = await failureOf(tessera, "ALTER TABLE pp ATTACH PARTITION p FOR VALUES FROM " +
      "('2030-01-01') TO ('2031-01-01')");
    assert.equal(error.message, "non-distributed tables cannot have distributed partitions");
    assert.equal(error.hint, "Distribute the partitioned table \"pp\" instead");
    await same("SELECT * FROM p ORDER BY id");
    await same("SELECT * FROM pp ORDER BY id");
    await same("SELECT count(*) FROM loose");
  });

  test("local ATTACH and DETACH on the coordinator work as on PostgreSQL", async () => {
    await both("CREATE TABLE pp_2025 (id int, at date, v int)");
    await both("INSERT INTO pp_2025 VALUES (9, '2025-02-02', 1)");
    await servers.side.sameFailure("ALTER TABLE pp ATTACH PARTITION pp_2025 FOR VALUES FROM " +
      "('2026-01-01') TO ('2027-01-01')");
    await both("ALTER TABLE pp ATTACH PARTITION pp_2025 FOR VALUES FROM ('2025-01-01') TO " +
      "('2026-01-01')");
    await same("SELECT * FROM pp ORDER BY id");
    await both("ALTER TABLE pp DETACH PARTITION pp_2023");
    await same("SELECT * FROM pp ORDER BY id");
    await same("SELECT count(*) FROM pp_2023");
  });

  test("a worker has partitioned tables too", async () => {
    const worker = new pg.Client({ host: "127.0.0.1", port: servers.cluster.workerPorts[0]!,
      user: "postgres", database: "postgres" });
    await worker.connect();
    try {
      await worker.query("CREATE TABLE wp (id int, at date) PARTITION BY RANGE (id)");
      await worker.query("CREATE TABLE wp_low PARTITION OF wp FOR VALUES FROM (MINVALUE) " +
        "TO (100)");
      await worker.query("INSERT INTO wp VALUES (1, '2024-01-01'), (50, '2024-02-01')");
      const rows = await worker.query("SELECT count(*)::int AS n FROM wp_low");
      assert.deepEqual(rows.rows, [{ n: 2 }]);
      const error = await failureOf(worker, "INSERT INTO wp VALUES (100, '2024-01-01')");
      assert.equal(error.code, "23514");
      assert.equal(error.message, "no partition of relation \"wp\" found for row");
    } finally {
      await worker.end();
    }
  });

  test("create_distributed_table still distributes a plain table beside them", async () => {
    await both("CREATE TABLE plain_after (id int, at date)");
    await tessera.query("SELECT create_distributed_table('plain_after', 'id')");
    await both("INSERT INTO plain_after SELECT g, date '2024-01-01' + g FROM " +
      "generate_series(1, 40) g");
    await same("SELECT count(*), min(at), max(at) FROM plain_after");
  });

  /** COPY … FROM STDIN through the real psql, on both servers. */
  async function copyIn(table: string, lines: readonly string[]): Promise<void> {
    for (const port of [servers.reference.port, servers.cluster.port]) {
      await new Promise<void>((resolve, reject) => {
        const child = execFile("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-",
          `host=127.0.0.1 port=${port} dbname=postgres user=postgres`], { timeout: 60_000 },
        (error) => (error === null ? resolve() : reject(error)));
        child.stdin?.end(`COPY ${table} FROM STDIN;\n${lines.join("\n")}\n\\.\n`);
      });
    }
  }

  /** Rows of `sql` run on the first worker. */
  async function onWorker(sql: string): Promise<Record<string, unknown>[]> {
    return queryNode(servers.cluster.workerPorts[0]!, sql);
  }

  const citusEvents = (prefix: string): Promise<string[]> => citusEventsNamed(prefix);

  /** The Citus tables whose names start with `prefix`, with their colocation and shards. */
  async function citusEventsNamed(prefix: string): Promise<string[]> {
    const rows = await tessera.query("SELECT t.table_name::text AS name, t.colocation_id AS g, " +
      "t.distribution_column AS col, t.shard_count AS n, (SELECT count(*) FROM citus_shards s " +
      "WHERE s.table_name = t.table_name)::int AS shards FROM citus_tables t " +
      `WHERE t.table_name::text LIKE '${prefix}%' ORDER BY 1`);
    const groups = new Set(rows.rows.map((r) => r.g));
    assert.equal(groups.size, rows.rows.length > 0 ? 1 : 0, "one colocation group");
    for (const r of rows.rows) {
      assert.equal(r.col, "device_id");
      assert.equal(r.shards, Number(r.n));
    }
    return rows.rows.map((r) => String(r.name));
  }

  /**
   * A row no partition takes: PostgreSQL's 23514, naming the parent's shard as Citus's
   * error does (the node's message comes back as it is).
   */
  async function noPartition(sql: string): Promise<void> {
    await failureOf(servers.postgres, sql);
    const error = await failureOf(tessera, sql);
    assert.equal(error.code, "23514");
    assert.match(error.message, /^no partition of relation "events_\d+" found for row$/);
  }

  const aggregates = [
    "SELECT count(*), sum(v), min(at), max(at) FROM events",
    "SELECT device_id, count(*), sum(v) FROM events GROUP BY device_id ORDER BY device_id",
    "SELECT count(*), sum(v) FROM events WHERE at >= '2024-01-01'",
    "SELECT * FROM events WHERE device_id = 5 ORDER BY at",
    "SELECT * FROM events WHERE device_id = 7 AND at = '2023-06-08'",
    "SELECT count(*) FROM events_2024",
    "SELECT device_id, sum(v) FROM events_2023 GROUP BY 1 ORDER BY 1 LIMIT 5",
  ];

  test("create_distributed_table distributes a partitioned table with its partitions",
    async () => {
    await both("CREATE TABLE events (device_id int, at date, v int, PRIMARY KEY (device_id, " +
      "at)) PARTITION BY RANGE (at)");
    await both("CREATE TABLE events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') " +
      "TO ('2024-01-01')");
    await both("CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') " +
      "TO ('2025-01-01')");
    await both("INSERT INTO events SELECT g % 17, date '2023-06-01' + g, g FROM " +
      "generate_series(1, 300) g");
    const notices: string[] = [];
    const listen = (n: { message?: string | undefined }): void =>
      void notices.push(n.message ?? "");
    tessera.on("notice", listen);
    await tessera.query("SELECT create_distributed_table('events', 'device_id')");
    tessera.off("notice", listen);
    // As Citus (CreateCitusTable per partition), each partition with rows copies apart.
    assert.deepEqual(notices, ["Copying data from local table...",
      "copying the data has completed", "Copying data from local table...",
      "copying the data has completed"]);
    assert.deepEqual(await citusEvents("events"), ["events", "events_2023", "events_2024"]);
    for (const sql of aggregates) await same(sql);
    // Each worker's shard of the parent is partitioned, with the partitions' shards attached.
    const shards = await tessera.query("SELECT count(*)::int AS n FROM citus_shards " +
      "WHERE table_name = 'events'::regclass");
    const attached = await tessera.query("SELECT sum(result::int)::int AS n FROM " +
      "run_command_on_workers($$SELECT count(*) FROM pg_inherits i JOIN pg_class c ON " +
      "c.oid = i.inhrelid WHERE c.relname LIKE 'events_202%'$$)");
    assert.equal(attached.rows[0].n, 2 * shards.rows[0].n);
    const bounds = await onWorker("SELECT DISTINCT pg_get_expr(c.relpartbound, c.oid) AS b " +
      "FROM pg_class c WHERE c.relname LIKE 'events_2024_%' AND c.relkind = 'r'");
    assert.deepEqual(bounds, [{ b: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')" }]);
    const parents = await onWorker("SELECT DISTINCT pg_get_partkeydef(c.oid) AS k FROM " +
      "pg_class c WHERE c.relname ~ '^events_[0-9]+$'");
    assert.deepEqual(parents, [{ k: "RANGE (at)" }]);
    const perShard = await tessera.query("SELECT sum(result::int)::int AS n FROM " +
      "run_command_on_shards('events_2024', $$SELECT count(*) FROM %s$$)");
    const local = await servers.postgres.query("SELECT count(*)::int AS n FROM events_2024");
    assert.equal(perShard.rows[0].n, local.rows[0].n);
  });

  test("writes on the parent and on partitions", async () => {
    await both("INSERT INTO events VALUES (3, '2024-06-01', 1000), (4, '2023-02-02', 2000)");
    await both("UPDATE events SET v = v + 1 WHERE device_id = 3");
    await both("UPDATE events SET v = v * 2 WHERE at < '2023-08-01'");
    await both("UPDATE events_2024 SET v = 0 WHERE device_id = 9");
    await both("DELETE FROM events WHERE device_id = 11 AND at > '2024-02-01'");
    await both("DELETE FROM events_2023 WHERE v % 5 = 0");
    await noPartition("INSERT INTO events VALUES (1, '2030-01-01', 1)");
    await copyIn("events", ["12\t2024-11-01\t5", "13\t2023-03-03\t6", "14\t2024-12-12\t\\N"]);
    await copyIn("events_2024", ["15\t2024-10-10\t9", "16\t2024-10-11\t10"]);
    for (const sql of aggregates) await same(sql);
  });

  test("a new partition, an attached table and joins with a colocated table", async () => {
    await both("CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') " +
      "TO ('2026-01-01')");
    await both("INSERT INTO events VALUES (1, '2025-03-03', 7), (2, '2025-04-04', 8)");
    await both("CREATE TABLE events_2022 (device_id int, at date, v int, " +
      "PRIMARY KEY (device_id, at))");
    await both("INSERT INTO events_2022 SELECT g, date '2022-01-01' + g, g FROM " +
      "generate_series(1, 40) g");
    await both("ALTER TABLE events ATTACH PARTITION events_2022 FOR VALUES FROM " +
      "('2022-01-01') TO ('2023-01-01')");
    assert.deepEqual(await citusEvents("events"),
      ["events", "events_2022", "events_2023", "events_2024", "events_2025"]);
    for (const sql of aggregates) await same(sql);
    await same("SELECT count(*), sum(v) FROM events_2022");
    await same("SELECT * FROM events WHERE at >= '2025-01-01' ORDER BY device_id");
    await both("CREATE TABLE devices (device_id int PRIMARY KEY, name text)");
    await tessera.query("SELECT create_distributed_table('devices', 'device_id', " +
      "colocate_with => 'events')");
    await both("INSERT INTO devices SELECT g, 'd' || g FROM generate_series(0, 20) g");
    await same("SELECT d.name, count(*), sum(e.v) FROM events e JOIN devices d " +
      "USING (device_id) GROUP BY d.name ORDER BY d.name");
    await same("SELECT d.name, e.at FROM events_2025 e JOIN devices d USING (device_id) " +
      "ORDER BY 1");
    await same("SELECT count(*) FROM events_2024 e JOIN events x USING (device_id, at)");
    const plan = await tessera.query("EXPLAIN (COSTS OFF) SELECT d.name, count(*) FROM " +
      "events e JOIN devices d USING (device_id) GROUP BY d.name");
    const text = plan.rows.map((r) => String(r["QUERY PLAN"])).join("\n");
    assert.match(text, /Task Count: 32/);
    assert.doesNotMatch(text, /MapMergeJob|Subplan|repartition/i);
    await both("ALTER TABLE events ADD COLUMN note text");
    await both("CREATE INDEX events_v_idx ON events (v)");
    await both("UPDATE events SET note = 'n' || v WHERE device_id = 4");
    await same("SELECT device_id, at, note FROM events WHERE device_id = 4 ORDER BY at");
    await same("SELECT count(*) FROM events WHERE v = 7");
    await both("DROP INDEX events_v_idx");
    const indexes = await tessera.query("SELECT sum(result::int)::int AS n FROM " +
      "run_command_on_workers($$SELECT count(*) FROM pg_class WHERE relkind IN ('i', 'I') " +
      "AND relname LIKE '%v_idx%'$$)");
    assert.deepEqual(indexes.rows, [{ n: 0 }]);
  });

  test("LIST with a DEFAULT partition and HASH partitioning, distributed", async () => {
    await both("CREATE TABLE lp (id int, k text) PARTITION BY LIST (k)");
    await both("CREATE TABLE lp_ab PARTITION OF lp FOR VALUES IN ('a', 'b')");
    await both("CREATE TABLE lp_rest PARTITION OF lp DEFAULT");
    await both("CREATE TABLE hp (id int, k int) PARTITION BY HASH (k)");
    await both("CREATE TABLE hp_0 PARTITION OF hp FOR VALUES WITH (MODULUS 2, REMAINDER 0)");
    await both("CREATE TABLE hp_1 PARTITION OF hp FOR VALUES WITH (MODULUS 2, REMAINDER 1)");
    await both("INSERT INTO lp SELECT g, chr(97 + g % 5) FROM generate_series(1, 50) g");
    await both("INSERT INTO hp SELECT g, g * 7 FROM generate_series(1, 50) g");
    await tessera.query("SELECT create_distributed_table('lp', 'id')");
    await tessera.query("SELECT create_distributed_table('hp', 'id', colocate_with => 'lp')");
    await both("INSERT INTO lp VALUES (100, 'z'), (101, 'a')");
    await both("INSERT INTO hp VALUES (100, 1), (101, 2)");
    for (const sql of ["SELECT k, count(*) FROM lp GROUP BY k ORDER BY k",
      "SELECT count(*), min(k), max(k) FROM lp_rest", "SELECT count(*) FROM lp_ab",
      "SELECT count(*), sum(k) FROM hp_0", "SELECT count(*), sum(k) FROM hp_1",
      "SELECT count(*) FROM lp JOIN hp USING (id)", "SELECT * FROM hp WHERE id = 100"]) {
      await same(sql);
    }
    const multi = await failureOf(tessera, "CREATE TABLE lp_sub PARTITION OF lp FOR VALUES " +
      "IN ('q') PARTITION BY RANGE (id)");
    assert.equal(multi.code, "0A000");
    assert.equal(multi.message, "distributing multi-level partitioned tables is not supported");
    await tessera.query("CREATE TABLE lp_q (id int, k text)");
    await tessera.query("SELECT create_distributed_table('lp_q', 'id', colocate_with => 'none')");
    const apart = await failureOf(tessera, "ALTER TABLE lp ATTACH PARTITION lp_q FOR VALUES " +
      "IN ('q')");
    assert.equal(apart.message,
      "distributed tables cannot have non-colocated distributed tables as a partition");
    await tessera.query("DROP TABLE lp_q");
    assert.equal((await failureOf(tessera, "SELECT * FROM lp_sub")).code, "42P01");
  });

  test("a rolled-back CREATE TABLE … PARTITION OF leaves nothing behind", async () => {
    const before = await citusEvents("events");
    await tessera.query("BEGIN");
    await tessera.query("CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM " +
      "('2026-01-01') TO ('2027-01-01')");
    await tessera.query("INSERT INTO events VALUES (1, '2026-02-02', 1)");
    assert.deepEqual(await citusEvents("events"), [...before, "events_2026"].sort());
    await tessera.query("ROLLBACK");
    assert.deepEqual(await citusEvents("events"), before);
    const left = await tessera.query("SELECT sum(result::int)::int AS n FROM " +
      "run_command_on_workers($$SELECT count(*) FROM pg_class WHERE relname LIKE " +
      "'events_2026%'$$)");
    assert.deepEqual(left.rows, [{ n: 0 }]);
    await same("SELECT count(*), sum(v) FROM events");
  });

  test("DETACH and DROP reach every shard pair", async () => {
    await both("ALTER TABLE events DETACH PARTITION events_2022");
    await same("SELECT count(*), sum(v) FROM events");
    await same("SELECT count(*), sum(v) FROM events_2022");
    await both("INSERT INTO events_2022 VALUES (1, '2040-01-01', 1)");
    await same("SELECT count(*) FROM events_2022");
    await noPartition("INSERT INTO events VALUES (1, '2022-05-05', 1)");
    await both("DROP TABLE events_2023");
    await same("SELECT count(*), sum(v) FROM events");
    assert.deepEqual(await citusEvents("events"),
      ["events", "events_2022", "events_2024", "events_2025"]);
    await both("DROP TABLE events");
    assert.deepEqual(await citusEvents("events"), ["events_2022"]);
    const left = await tessera.query("SELECT sum(result::int)::int AS n FROM " +
      "run_command_on_workers($$SELECT count(*) FROM pg_class WHERE relname ~ " +
      "'^events_(202[345]_)?[0-9]+$'$$)");
    assert.deepEqual(left.rows, [{ n: 0 }]);
    await same("SELECT count(*) FROM events_2022");
  });

  test("create_time_partitions and time_partitions on a distributed table", async () => {
    await both("CREATE TABLE metrics (device_id int, at timestamptz, v int) " +
      "PARTITION BY RANGE (at)");
    await tessera.query("SELECT create_distributed_table('metrics', 'device_id')");
    const created = await tessera.query("SELECT create_time_partitions('metrics', '1 day', " +
      "'2024-01-04', '2024-01-01') AS made");
    assert.deepEqual(created.rows, [{ made: true }]);
    for (const day of ["01", "02", "03"]) {
      const next = `0${Number(day) + 1}`;
      await servers.postgres.query(`CREATE TABLE metrics_p2024_01_${day} PARTITION OF metrics ` +
        `FOR VALUES FROM ('2024-01-${day} 00:00:00+00') TO ('2024-01-${next} 00:00:00+00')`);
    }
    const listed = await tessera.query("SELECT parent_table::text AS parent, " +
      "partition_column::text AS col, partition::text AS part, access_method::text AS am " +
      "FROM time_partitions WHERE parent_table = 'metrics'::regclass");
    assert.deepEqual(listed.rows.map((r) => r.part),
      ["metrics_p2024_01_01", "metrics_p2024_01_02", "metrics_p2024_01_03"]);
    assert.deepEqual(listed.rows[0], { parent: "metrics", col: "at",
      part: "metrics_p2024_01_01", am: "heap" });
    assert.deepEqual(await citusEventsNamed("metrics"), ["metrics", "metrics_p2024_01_01",
      "metrics_p2024_01_02", "metrics_p2024_01_03"]);
    await both("INSERT INTO metrics SELECT g, timestamptz '2024-01-01 00:00:00+00' + " +
      "g * interval '1 hour', g FROM generate_series(0, 71) g");
    await same("SELECT count(*), sum(v) FROM metrics");
    await same("SELECT count(*) FROM metrics_p2024_01_02");
    const again = await tessera.query("SELECT create_time_partitions('metrics', '1 day', " +
      "'2024-01-03', '2024-01-01') AS made");
    assert.deepEqual(again.rows, [{ made: false }]);
    const notices: string[] = [];
    const listen = (n: { message?: string | undefined }): void =>
      void notices.push(n.message ?? "");
    tessera.on("notice", listen);
    await tessera.query("CALL drop_old_time_partitions('metrics', '2024-01-03 00:00:00+00')");
    tessera.off("notice", listen);
    assert.deepEqual(notices, [
      "dropping metrics_p2024_01_01 with start time 2024-01-01 00:00:00+00 and end time " +
        "2024-01-02 00:00:00+00",
      "dropping metrics_p2024_01_02 with start time 2024-01-02 00:00:00+00 and end time " +
        "2024-01-03 00:00:00+00"]);
    await servers.postgres.query("DROP TABLE metrics_p2024_01_01, metrics_p2024_01_02");
    await same("SELECT count(*), sum(v) FROM metrics");
    assert.deepEqual(await citusEventsNamed("metrics"), ["metrics", "metrics_p2024_01_03"]);
    const left = await tessera.query("SELECT sum(result::int)::int AS n FROM " +
      "run_command_on_workers($$SELECT count(*) FROM pg_class WHERE relkind = 'r' AND " +
      "relname LIKE 'metrics_p2024_01_0%'$$)");
    assert.deepEqual(left.rows, [{ n: 32 }]);
  });

  test("create_time_partitions: names, alignment and Citus's errors", async () => {
    await tessera.query("CREATE TABLE dm (id int, d date) PARTITION BY RANGE (d)");
    await tessera.query("SELECT create_time_partitions('dm', '1 month', '2024-04-01', " +
      "'2024-01-15')");
    const months = await tessera.query("SELECT partition::text AS p, from_value AS f, " +
      "to_value AS t FROM time_partitions WHERE parent_table = 'dm'::regclass");
    assert.deepEqual(months.rows, [
      { p: "dm_p2024_01", f: "2024-01-01", t: "2024-02-01" },
      { p: "dm_p2024_02", f: "2024-02-01", t: "2024-03-01" },
      { p: "dm_p2024_03", f: "2024-03-01", t: "2024-04-01" }]);
    const errors: [string, string][] = [
      ["SELECT create_time_partitions('dm', '1 hour', '2024-05-01', '2024-04-01')",
        "partition interval of date partitioned table must be day or multiple days"],
      ["SELECT create_time_partitions('loose', '1 day', '2024-05-01', '2024-04-01')",
        "loose is not partitioned"],
      ["SELECT create_time_partitions('dm', '1 day', '2024-04-01', '2024-05-01')",
        "start_from (2024-05-01 00:00:00+00) must be older than end_at " +
        "(2024-04-01 00:00:00+00)"],
      ["SELECT create_time_partitions('dm', '1 week', '2024-05-01', '2024-03-20')",
        "partition dm_p2024_03 with the range from 2024-03-01 to 2024-04-01 does not align " +
        "with the initial partition given the partition interval"],
      ["SELECT create_time_partitions('pl', '1 day', '2024-05-01', '2024-04-01')",
        "type of the partition column of the table pl must be date, timestamp or timestamptz"],
    ];
    for (const [sql, message] of errors) {
      const error = await failureOf(tessera, sql);
      assert.equal(error.code, "P0001", `${sql}: ${error.message}`);
      assert.equal(error.message, message);
    }
    const weeks = await tessera.query("SELECT create_time_partitions('dm', '1 month', " +
      "'2024-06-01', '2024-01-01') AS made");
    assert.deepEqual(weeks.rows, [{ made: true }]);
    const all = await tessera.query("SELECT partition::text AS p FROM time_partitions " +
      "WHERE parent_table = 'dm'::regclass");
    assert.deepEqual(all.rows.map((r) => r.p), ["dm_p2024_01", "dm_p2024_02", "dm_p2024_03",
      "dm_p2024_04", "dm_p2024_05"]);
    await tessera.query("CALL drop_old_time_partitions(table_name => 'dm', " +
      "older_than => '2024-02-15')");
    const kept = await tessera.query("SELECT partition::text AS p FROM time_partitions " +
      "WHERE parent_table = 'dm'::regclass");
    assert.deepEqual(kept.rows.map((r) => r.p), ["dm_p2024_02", "dm_p2024_03", "dm_p2024_04",
      "dm_p2024_05"]);
  });
});
