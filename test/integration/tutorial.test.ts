/**
 * The Citus tutorial (/work/shared/seeds) end to end through psql against
 * `tessera cluster --workers 2`: the IoT schema of device_types (reference), devices and
 * events (distributed by device_id, composite primary key, foreign keys), a few hundred
 * thousand events loaded with \copy, the outliers query and device 42, EXPLAIN's task counts,
 * citus_shards with real sizes, the pg_dist_* joins, then the users/books tutorial: shard ids,
 * placements, sizes through run_command_on_shards, Citus's constraint rules and avg over users.
 *
 * EVENTS=<n> changes the number of events (200,000 by default).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { psql, startCluster, type TesseraCluster } from "../harness/index.js";
import { eventRows, expectedOutliers, type Outliers } from "./tutorial-data.js";

const execPsql = promisify(execFile);
const eventCount = Number(process.env["EVENTS"] ?? 200_000);

describe("the Citus tutorial", { timeout: 900_000 }, () => {
  let cluster: TesseraCluster;
  let dir: string;
  /** Runs SQL through psql, unaligned and tuples only: one line per row, '|' between columns. */
  const run = async (sql: string): Promise<string[]> => {
    const file = join(dir, "step.sql");
    writeFileSync(file, sql);
    const conninfo = `host=127.0.0.1 port=${cluster.port} dbname=postgres user=postgres`;
    const { stdout } = await execPsql("psql", ["-X", "-v", "ON_ERROR_STOP=1", "-A", "-t", "-q",
      "-f", file, conninfo], { timeout: 600_000 });
    return stdout.split("\n").filter((line) => line !== "");
  };
  /** Runs SQL that must fail; returns psql's stderr. */
  const fails = async (sql: string): Promise<string> => {
    try {
      await run(sql);
    } catch (error) {
      return String((error as { stderr?: string }).stderr ?? error);
    }
    throw new Error(`expected an error from: ${sql}`);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-tutorial-"));
    cluster = await startCluster({ workers: 2 });
  });
  after(async () => {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("SHOW reads the citus.* settings before any SET", async () => {
    assert.deepEqual(await run("SHOW citus.shard_count; SHOW citus.next_shard_id;" +
      " SHOW citus.explain_all_tasks; SHOW citus.log_remote_commands; SHOW citus.version;"),
    ["32", "0", "off", "off", "15.0devel"]);
    assert.deepEqual(await run("SET citus.shard_count = 4; SHOW citus.shard_count;"), ["4"]);
  });

  test("the schema: a reference table, two distributed tables, a composite key, foreign keys",
    async () => {
      await run(`
        CREATE TABLE device_types (device_type_id int PRIMARY KEY, name text NOT NULL);
        CREATE TABLE devices (device_id int PRIMARY KEY,
          device_type_id int REFERENCES device_types (device_type_id), name text);
        CREATE TABLE events (event_id bigserial PRIMARY KEY, device_id int NOT NULL,
          payload jsonb, created_at timestamptz DEFAULT now());
        ALTER TABLE events ADD CONSTRAINT events_device_fk
          FOREIGN KEY (device_id) REFERENCES devices (device_id);
        INSERT INTO device_types VALUES (1, 'truck'), (2, 'warehouse');
        INSERT INTO devices SELECT i, 1 + i % 2, 'device ' || i FROM generate_series(1, 1000) i;
        SELECT create_reference_table('device_types');`);
      const refused = await fails("SELECT create_distributed_table('devices', 'device_id');");
      assert.match(refused,
        /ERROR: {2}relation devices is referenced by a foreign key from events/);
      assert.match(refused,
        /DETAIL: {2}foreign keys from a regular table to a distributed table are not supported\./);
      await run(`
        ALTER TABLE events DROP CONSTRAINT events_pkey;
        ALTER TABLE events ADD PRIMARY KEY (device_id, event_id);
        ALTER TABLE events DROP CONSTRAINT events_device_fk;
        SELECT create_distributed_table('devices', 'device_id');
        SELECT create_distributed_table('events', 'device_id');
        ALTER TABLE events ADD CONSTRAINT events_device_fk
          FOREIGN KEY (device_id) REFERENCES devices (device_id);
        SELECT truncate_local_data_after_distributing_table('devices');
        SELECT truncate_local_data_after_distributing_table('device_types');`);
      const types = await run("SELECT logicalrelid, partmethod, repmodel FROM pg_dist_partition" +
        " ORDER BY logicalrelid::text;");
      assert.deepEqual(types, ["device_types|n|t", "devices|h|s", "events|h|s"]);
      const fks = await run("SELECT count(*) FROM run_command_on_shards('events', $$SELECT" +
        " count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = '%s'::regclass$$)" +
        " WHERE result = '1';");
      assert.deepEqual(fks, ["32"]);
      const orphan = await fails("INSERT INTO events (device_id, payload) VALUES (5000, '{}');");
      assert.match(orphan, /violates foreign key constraint "events_device_fk_\d+"/);
      const badType = await fails("INSERT INTO devices VALUES (5000, 3, 'none');");
      assert.match(badType, /is not present in table "device_types_102008"/);
    });

  test(`\\copy loads ${eventCount} events, routed to the shards by device_id`, async () => {
    const file = join(dir, "events.tsv");
    writeFileSync(file, eventRows(eventCount));
    const script = join(dir, "copy.sql");
    writeFileSync(script, `\\copy events (device_id, payload, created_at) from '${file}'\n`);
    const out = await psql(cluster.port, "SELECT count(*) FROM events",
      { tuplesOnly: true, extraArgs: ["-f", script] });
    assert.equal(out, `COPY ${eventCount}\n${eventCount}\n`);
    const spread = await run("SELECT count(*) FROM run_command_on_shards('events'," +
      " 'SELECT count(*) FROM %s') WHERE result::int > 0;");
    assert.deepEqual(spread, ["32"]);
  });

  test("the outliers query runs on every shard and matches the loaded data", async () => {
    const rows = await run(`
      SELECT device_id,
        COUNT((CASE WHEN (payload ->> 'humidity')::decimal < 60 THEN 1 ELSE NULL END))
          AS LowHumidity,
        COUNT((CASE WHEN (payload ->> 'humidity')::decimal > 70 THEN 1 ELSE NULL END))
          AS HighHumidity,
        COUNT((CASE WHEN (payload ->> 'temperature')::decimal < 55 THEN 1 ELSE NULL END))
          AS LowTemperature,
        COUNT((CASE WHEN (payload ->> 'temperature')::decimal > 60 THEN 1 ELSE NULL END))
          AS HighTemperature,
        COUNT((CASE WHEN (payload ->> 'humidity')::decimal BETWEEN 60 AND 70 THEN 1 ELSE NULL END))
          AS RegularHumidity,
        COUNT((CASE WHEN (payload ->> 'temperature')::decimal BETWEEN 55 AND 60
          THEN 1 ELSE NULL END)) AS RegularTemperature
      FROM events
      GROUP BY device_id;`);
    const expected = expectedOutliers(eventCount);
    assert.equal(rows.length, expected.size);
    for (const row of rows) {
      const [device, ...counts] = row.split("|").map(Number);
      assert.deepEqual(counts, outlierCounts(expected.get(device!)), `device ${device}`);
    }
  });

  test("device 42 is read from one shard", async () => {
    const rows = await run(`SELECT * FROM events
      WHERE device_id = 42
      AND ((payload ->> 'humidity')::decimal NOT BETWEEN 60 AND 70
      OR (payload ->> 'temperature')::decimal NOT BETWEEN 55 AND 60)
      ORDER BY created_at DESC;`);
    const device42 = expectedOutliers(eventCount).get(42)!;
    assert.equal(rows.length, device42.outOfRange);
    assert.ok(rows.every((row) => row.split("|")[1] === "42"));
    const dates = rows.map((row) => row.split("|")[3]!);
    assert.ok(dates.every((d, i) => i === 0 || dates[i - 1]! >= d), "newest first");
  });

  test("EXPLAIN shows Task Count 32 for all devices and 1 for device 42", async () => {
    const all = await run("EXPLAIN SELECT device_id, COUNT((CASE WHEN (payload ->>" +
      " 'humidity')::decimal < 60 THEN 1 ELSE NULL END)) AS LowHumidity FROM events" +
      " GROUP BY device_id;");
    assert.equal(all[0], "Custom Scan (Citus Adaptive)  (cost=0.00..0.00 rows=100000 width=12)");
    assert.equal(all[1], "  Task Count: 32");
    const one = await run("EXPLAIN SELECT * FROM events WHERE device_id = 42" +
      " AND ((payload ->> 'humidity')::decimal NOT BETWEEN 60 AND 70" +
      " OR (payload ->> 'temperature')::decimal NOT BETWEEN 55 AND 60) ORDER BY created_at DESC;");
    assert.equal(one[0], "Custom Scan (Citus Adaptive)  (cost=0.00..0.00 rows=0 width=0)");
    assert.equal(one[1], "  Task Count: 1");
    const shard = await run("SELECT get_shard_id_for_distribution_column('events', 42);");
    assert.ok(one.some((line) => line.includes(`on events_${shard[0]!} events`)));
  });

  test("citus_shards lists every shard with its real size, per shard and per node",
    async () => {
      const shards = await run("SELECT table_name, shardid, shard_name, nodename, shard_size" +
        " FROM citus_shards WHERE table_name = 'events'::regclass;");
      assert.equal(shards.length, 32);
      for (const line of shards) {
        const [table, shardid, name, node, size] = line.split("|");
        assert.equal(table, "events");
        assert.equal(name, `events_${shardid!}`);
        assert.equal(node, "127.0.0.1");
        assert.ok(Number(size) > 8192 * 10, `shard ${shardid!} has a real size: ${size!}`);
      }
      const byNode = await run("SELECT table_name, nodeport, COUNT(shardid), SUM(shard_size)" +
        " FROM citus_shards GROUP BY table_name, nodeport ORDER BY 1, 2;");
      assert.equal(byNode.length, 6);
      const events = byNode.filter((line) => line.startsWith("events|"));
      assert.deepEqual(events.map((line) => line.split("|")[2]), ["16", "16"]);
      const total = events.reduce((n, line) => n + Number(line.split("|")[3]), 0);
      const sizes = shards.reduce((n, line) => n + Number(line.split("|")[4]), 0);
      assert.equal(total, sizes);
      const tables = await run("SELECT table_name, table_size FROM citus_tables" +
        " WHERE table_name = 'events'::regclass;");
      assert.match(tables[0]!, /^events\|\d+ (kB|MB)$/);
    });

  test("pg_dist_placement joins pg_dist_node and pg_dist_shard", async () => {
    const nodes = await run("select nodeid, nodename from pg_dist_node where isactive;");
    assert.deepEqual(nodes, ["1|127.0.0.1", "2|127.0.0.1"]);
    const shard = await run(`SELECT shardid, node.nodename, node.nodeport
      FROM pg_dist_placement placement
      JOIN pg_dist_node node
      ON placement.groupid = node.groupid
      AND node.noderole = 'primary'::noderole
      WHERE shardid = 102027;`);
    assert.equal(shard.length, 1);
    const [id, host, port] = shard[0]!.split("|");
    assert.deepEqual([id, host], ["102027", "127.0.0.1"]);
    assert.ok(cluster.workerPorts.includes(Number(port)), `a worker's port: ${port!}`);
    const counts = await run("select logicalrelid, count(shardid) from pg_dist_shard" +
      " group by logicalrelid order by 1;");
    assert.deepEqual(counts, ["device_types|1", "devices|32", "events|32"]);
  });

  test("users and books: shard ids, placements, sizes and Citus's constraint rules", async () => {
    await run("create table users ( email text primary key, bday date not null );" +
      " select create_distributed_table('users', 'email');");
    const id = await run("select get_shard_id_for_distribution_column('users', 'hi@test.com');");
    assert.ok(Number(id[0]) >= 102073 && Number(id[0]) <= 102104, `shard ${id[0]!}`);
    const placements = await run(`select
        shard.logicalrelid as table,
        placement.shardid as shard,
        node.nodename as host
      from
        pg_dist_placement placement,
        pg_dist_node node,
        pg_dist_shard shard
      where placement.groupid = node.groupid
        and shard.shardid = placement.shardid
        and shard.logicalrelid = 'users'::regclass
      order by shard
      limit 5;`);
    assert.deepEqual(placements, [102073, 102074, 102075, 102076, 102077]
      .map((s) => `users|${s}|127.0.0.1`));
    await run(`insert into users
      select md5(random()::text) || '@test.com',
        date_trunc('day', now() - random()*'100 years'::interval)
      from generate_series(1, 1000);`);
    const sizes = await run(`select * from
      run_command_on_shards('users', $cmd$
        select pg_size_pretty(pg_table_size('%1$s'));
      $cmd$)
      order by shardid
      limit 5;`);
    assert.equal(sizes.length, 5);
    for (const line of sizes) assert.match(line, /^1020(7[3-7])\|t\|(16|24) kB$/);
    await run(`create table books (
        owner_email text references users (email),
        isbn text not null,
        title text not null
      );
      select create_distributed_table('books', 'owner_email');`);
    const refused = await fails("alter table books add constraint books_isbn unique (isbn);");
    assert.match(refused, /ERROR: {2}cannot create constraint on "books"/);
    assert.ok(refused.includes("DETAIL:  Distributed relations cannot have UNIQUE, EXCLUDE, or " +
      "PRIMARY KEY constraints that do not include the partition column (with an equality " +
      "operator if EXCLUDE)."), refused);
    await run("alter table books add constraint books_isbn unique (owner_email, isbn);");
    const avg = await run("select avg(current_date - bday) as avg_days_old from users;");
    const days = Number(avg[0]);
    assert.ok(days > 0 && days < 366 * 100, `average age in days: ${avg[0]!}`);
    const plan = await run("explain select avg(current_date - bday) from users;");
    assert.match(plan[0]!, /^Aggregate {2}\(cost=/);
    assert.equal(plan[2], "        Task Count: 32");
    assert.ok(plan.some((line) => /Seq Scan on users_1020\d\d users/.test(line)));
  });
});

function outlierCounts(o: Outliers | undefined): number[] {
  assert.ok(o !== undefined);
  return [o.lowHumidity, o.highHumidity, o.lowTemperature, o.highTemperature,
    o.regularHumidity, o.regularTemperature];
}
