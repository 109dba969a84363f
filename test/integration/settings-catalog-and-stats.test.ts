/**
 * pg_settings, SHOW ALL and the activity counters of pg_stat_database and
 * pg_stat_user_tables, read through a coordinator of `tessera cluster` and compared with
 * PostgreSQL 15: every column of pg_settings for the common settings (values in base units,
 * category, descriptions, context, type, range, enum values, boot and reset values, source),
 * SHOW ALL's columns and rows, and the counters moving by what known work did.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { clusterBesidePostgres, failureOf, type ClusterBesidePostgres,
  type Rows } from "../harness/index.js";

let both: ClusterBesidePostgres;

before(async () => {
  both = await clusterBesidePostgres(1);
});

after(async () => {
  await both.stop();
});

/** Settings whose every pg_settings column is PostgreSQL 15's. */
const common = ["work_mem", "maintenance_work_mem", "statement_timeout", "lock_timeout",
  "idle_in_transaction_session_timeout", "search_path", "synchronous_commit",
  "default_transaction_isolation", "transaction_isolation", "transaction_read_only",
  "default_transaction_read_only", "client_min_messages", "bytea_output",
  "standard_conforming_strings", "extra_float_digits", "xmloption", "row_security",
  "enable_seqscan", "enable_indexscan", "log_min_duration_statement", "block_size",
  "max_identifier_length", "max_index_keys", "integer_datetimes", "lc_collate", "lc_ctype",
  "session_replication_role", "check_function_bodies", "default_tablespace",
  "default_table_access_method", "max_parallel_workers_per_gather", "geqo",
  "synchronize_seqscans", "application_name"];

/**
 * Settings whose metadata is PostgreSQL's but where some values legitimately differ: the
 * reference server is started with command-line settings (source "command line" there,
 * "default" here) and PostgreSQL's compiled-in boot values differ from Tessera's defaults
 * (TimeZone GMT, default_text_search_config pg_catalog.simple, server_encoding and
 * client_encoding SQL_ASCII); max_connections is each server's own.
 */
const differing: Record<string, readonly string[]> = {
  TimeZone: ["source", "boot_val"],
  DateStyle: ["source"],
  IntervalStyle: ["source"],
  lc_messages: ["source", "boot_val"],
  lc_monetary: ["source"],
  lc_numeric: ["source"],
  lc_time: ["source"],
  max_connections: ["source", "setting", "reset_val", "boot_val"],
  client_encoding: ["boot_val"],
  default_text_search_config: ["source", "boot_val"],
  server_encoding: ["boot_val"],
};

async function settingRows(client: typeof both.tessera, names: readonly string[]):
  Promise<Rows> {
  const { rows } = await client.query<Record<string, unknown>>(
    "SELECT * FROM pg_settings WHERE name = ANY($1) ORDER BY lower(name)", [names]);
  return rows;
}

test("pg_settings has PostgreSQL 15's columns and rows for the common settings", async () => {
  const names = [...common, ...Object.keys(differing)];
  const [mine, theirs] = await Promise.all([settingRows(both.tessera, names),
    settingRows(both.postgres, names)]);
  assert.deepEqual(mine.map((r) => r["name"]), theirs.map((r) => r["name"]));
  theirs.forEach((expected, i) => {
    const row = { ...mine[i] };
    const want = { ...expected };
    const columns = differing[String(expected["name"])] ?? [];
    // Where the reference server's value comes from its configuration file, so do these.
    const file = columns.includes("source") ? ["sourcefile", "sourceline"] : [];
    for (const column of [...columns, ...file]) {
      delete row[column];
      delete want[column];
    }
    assert.deepEqual(row, want, String(expected["name"]));
  });
  const fields = async (client: typeof both.tessera): Promise<unknown[]> =>
    (await client.query("SELECT * FROM pg_settings LIMIT 0")).fields
      .map((f) => [f.name, f.dataTypeID]);
  assert.deepEqual(await fields(both.tessera), await fields(both.postgres));
});

test("SET shows in pg_settings in base units with source session", async () => {
  const sql = "SELECT name, setting, unit, source, reset_val FROM pg_settings " +
    "WHERE name IN ('work_mem', 'statement_timeout', 'bytea_output') ORDER BY name";
  for (const client of [both.tessera, both.postgres]) {
    await client.query("SET work_mem = '8MB'");
    await client.query("SET statement_timeout = '1min'");
  }
  const [mine, theirs] = await Promise.all([both.tessera.query(sql), both.postgres.query(sql)]);
  assert.deepEqual(mine.rows, theirs.rows);
  assert.deepEqual(mine.rows[2], { name: "work_mem", setting: "8192", unit: "kB",
    source: "session", reset_val: "4096" });
  assert.equal((await both.tessera.query("SHOW work_mem")).rows[0].work_mem, "8MB");
  assert.equal((await both.tessera.query("SELECT current_setting('statement_timeout') AS s"))
    .rows[0].s, "1min");
  for (const client of [both.tessera, both.postgres]) await client.query("RESET ALL");
  const reset = await both.tessera.query(sql);
  assert.deepEqual(reset.rows.map((r) => r.source), ["default", "default", "default"]);
});

const serversOwn: ReadonlySet<string> = new Set(["max_connections", "port", "jit",
  "config_file", "hba_file", "ident_file", "data_directory", "unix_socket_directories",
  "shared_memory_size", "shared_memory_size_in_huge_pages",
  // What the harness's PostgreSQL is started with (test/harness/postgres.ts).
  "fsync", "log_timezone", "listen_addresses",
  // PostgreSQL reads these from the client's TCP socket; Tessera shows the built-in 0.
  "tcp_keepalives_count", "tcp_keepalives_idle", "tcp_keepalives_interval"]);

test("SHOW ALL prints name, setting and description as PostgreSQL does", async () => {
  const show = async (client: typeof both.tessera): Promise<Map<string, unknown[]>> => {
    const result = await client.query({ text: "SHOW ALL", rowMode: "array" });
    assert.deepEqual(result.fields.map((f) => [f.name, f.dataTypeID]),
      [["name", 25], ["setting", 25], ["description", 25]]);
    return new Map(result.rows.map((r: unknown[]) => [String(r[0]), r]));
  };
  const [mine, theirs] = await Promise.all([show(both.tessera), show(both.postgres)]);
  for (const [name, row] of mine) {
    if (name.startsWith("citus.")) {
      assert.notEqual(row[2], "", name);
      continue;
    }
    assert.ok(theirs.has(name), `${name} is in PostgreSQL's SHOW ALL`);
    // Each server's own (its port, files and shared memory); jit is off in Tessera (no JIT).
    if (serversOwn.has(name) || name.startsWith("server_version")) continue;
    assert.deepEqual(row, theirs.get(name), name);
  }
  // Hidden as in PostgreSQL (GUC_NO_SHOW_ALL), and placeholders too.
  await both.tessera.query("SET myapp.flag = 'x'");
  const after = await show(both.tessera);
  for (const name of ["is_superuser", "role", "session_authorization", "myapp.flag",
    "citus.next_shard_id"]) {
    assert.equal(after.has(name), false, name);
  }
  assert.deepEqual(after.get("work_mem"), theirs.get("work_mem"));
});

test("UPDATE pg_settings works as SET, as PostgreSQL's rule makes it", async () => {
  for (const sql of ["UPDATE pg_settings SET setting = '16MB' WHERE name = 'work_mem'",
    "UPDATE pg_settings s SET setting = 0 WHERE s.name IN ('enable_seqscan', 'geqo')"]) {
    const [mine, theirs] = await Promise.all([both.tessera.query(sql), both.postgres.query(sql)]);
    assert.deepEqual([mine.command, mine.rowCount], [theirs.command, theirs.rowCount]);
  }
  await both.side.same("SELECT name, setting, source FROM pg_settings " +
    "WHERE name IN ('work_mem', 'enable_seqscan', 'geqo') ORDER BY name");
  assert.equal((await both.tessera.query("SHOW work_mem")).rows[0].work_mem, "16MB");
  const returning = "UPDATE pg_settings SET setting = '1MB' WHERE name = 'work_mem' " +
    "RETURNING name";
  const [mine, theirs] = await Promise.all([failureOf(both.tessera, returning),
    failureOf(both.postgres, returning)]);
  assert.deepEqual([mine.code, mine.message, mine.hint], [theirs.code, theirs.message,
    theirs.hint]);
  await both.side.both("RESET ALL");
});

type Counts = Record<string, string | null>;

async function databaseCounts(): Promise<Counts> {
  const { rows } = await both.tessera.query<Counts>("SELECT xact_commit, xact_rollback, " +
    "tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted, sessions, " +
    "conflicts, blks_read, stats_reset FROM pg_stat_database WHERE datname = current_database()");
  return rows[0]!;
}

const grew = (before: Counts, now: Counts, column: string, by: number): void => {
  assert.ok(Number(now[column]) - Number(before[column]) >= by,
    `${column} grew by ${by}: ${before[column]} -> ${now[column]}`);
};

const tableWork = ["CREATE TABLE st_keyed (id int PRIMARY KEY, v int)",
  "CREATE TABLE st_plain (v int)",
  "INSERT INTO st_keyed SELECT g, g FROM generate_series(1, 5) g",
  "INSERT INTO st_plain VALUES (1), (2)",
  "UPDATE st_keyed SET v = 0 WHERE id < 3",
  "DELETE FROM st_keyed WHERE id = 5",
  "SELECT * FROM st_plain",
  "SELECT * FROM st_keyed WHERE id = 1"];

test("pg_stat_database and pg_stat_user_tables count the work done", async () => {
  const start = await databaseCounts();
  for (const sql of tableWork) await both.side.both(sql);
  await both.tessera.query("BEGIN");
  await both.tessera.query("SELECT 1");
  await both.tessera.query("ROLLBACK");
  const now = await databaseCounts();
  grew(start, now, "xact_commit", tableWork.length);
  grew(start, now, "xact_rollback", 1);
  grew(start, now, "tup_inserted", 7);
  grew(start, now, "tup_updated", 2);
  grew(start, now, "tup_deleted", 1);
  grew(start, now, "tup_returned", 2);
  grew(start, now, "tup_fetched", 1);
  assert.ok(Number(now["sessions"]) >= 1);
  assert.equal(now["conflicts"], "0");
  assert.equal(now["blks_read"], "0");
  assert.equal(now["stats_reset"], null);

  await both.postgres.query("SELECT pg_stat_force_next_flush()");
  const sql = "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del, idx_scan IS NULL AS no_index, " +
    "n_live_tup FROM pg_stat_user_tables WHERE relname LIKE 'st\\_%' ORDER BY relname";
  const mine = await both.tessera.query(sql);
  assert.deepEqual(mine.rows, (await both.postgres.query(sql)).rows);
  const scans = await both.tessera.query("SELECT relname, seq_scan, seq_tup_read, idx_scan, " +
    "idx_tup_fetch FROM pg_stat_user_tables WHERE relname LIKE 'st\\_%' ORDER BY relname");
  const [keyed, plain] = scans.rows;
  assert.ok(Number(keyed.idx_scan) >= 1 && Number(keyed.idx_tup_fetch) >= 1, "index scans");
  assert.deepEqual(plain, { relname: "st_plain", seq_scan: "1", seq_tup_read: "2",
    idx_scan: null, idx_tup_fetch: null });
});

test("every PostgreSQL 15 setting is known: SET checks it, SHOW and pg_settings show it",
  async () => {
  const statements = [
    "SET enable_hashagg = off", "SHOW enable_hashagg", "SET random_page_cost = 1.1",
    "SHOW random_page_cost", "SET plan_cache_mode = force_generic_plan",
    "SET effective_cache_size = '4GB'", "SHOW effective_cache_size", "SHOW shared_buffers",
    "SHOW wal_segment_size", "SHOW deadlock_timeout", "SHOW log_file_mode",
    "SET enable_hashagg = maybe", "SET random_page_cost = -1", "SET work_mem = '1XB'",
    "SET log_statement = 'bogus'", "SET shared_buffers = '1GB'", "SET fsync = off",
    "SET log_connections = on", "SET wal_block_size = 1", "RESET ALL", "SHOW enable_hashagg",
    "SELECT setting, unit, context, vartype, min_val, max_val FROM pg_settings " +
      "WHERE name = 'shared_buffers'",
  ];
  const outcome = (client: typeof both.tessera, sql: string): Promise<unknown> =>
    client.query(sql).then((r): unknown => r.rows,
      (e: { code?: string; message?: string }) => [e.code, e.message]);
  for (const sql of statements) {
    const [mine, theirs] = await Promise.all([outcome(both.tessera, sql),
      outcome(both.postgres, sql)]);
    assert.deepEqual(mine, theirs, sql);
  }
  const names = "SELECT count(*)::int AS n FROM pg_settings WHERE name NOT LIKE 'citus.%'";
  const [mine, theirs] = await Promise.all([both.tessera.query(names),
    both.postgres.query(names)]);
  assert.equal(mine.rows[0].n, theirs.rows[0].n);
});

test("a setting that would change a statement's meaning refuses other values (0A000)",
  async () => {
    await both.tessera.query("SET transform_null_equals = off");
    await assert.rejects(both.tessera.query("SET transform_null_equals = on"),
      { code: "0A000", message: "transform_null_equals = on is not supported by Tessera" });
    assert.deepEqual((await both.tessera.query("SELECT NULL = NULL AS eq")).rows,
      [{ eq: null }]);
  });

test("Citus's settings exist on the coordinator with Citus's types and values", async () => {
  const sql = "SET citus.log_multi_join_order = on; SET citus.worker_min_messages = 'debug1'";
  await both.tessera.query(sql);
  const shown = await both.tessera.query("SELECT current_setting('citus.log_multi_join_order') " +
    "AS a, current_setting('citus.worker_min_messages') AS b");
  assert.deepEqual(shown.rows, [{ a: "on", b: "debug1" }]);
  await assert.rejects(both.tessera.query("SET citus.worker_min_messages = 'loud'"),
    { code: "22023" });
  await assert.rejects(both.tessera.query("SET citus.no_such_setting = 1"), { code: "42602" });
});
