/**
 * The catalog views tools, ORMs and monitoring read (information_schema's routines,
 * privileges, triggers, types and view usage; pg_catalog's statistics, role, extension, time
 * zone and server views), read through a coordinator of `tessera cluster` and compared with
 * PostgreSQL 15: every view's columns (names, type OIDs and typmods in the RowDescription)
 * and, where both servers must agree, its rows for objects made the same way on both.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { clusterBesidePostgres, queryNode, startCluster, type ClusterBesidePostgres }
  from "../harness/index.js";

let both: ClusterBesidePostgres;

const infoViews = ["routines", "parameters", "triggers", "element_types",
  "role_table_grants", "table_privileges", "column_privileges", "usage_privileges",
  "enabled_roles", "applicable_roles", "character_sets", "collations", "attributes",
  "user_defined_types", "view_table_usage", "view_column_usage", "column_udt_usage",
  "information_schema_catalog_name", "sql_features", "constraint_table_usage"]
  .map((v) => `information_schema.${v}`);

const pgViews = ["pg_stat_user_indexes", "pg_stat_all_indexes", "pg_stat_sys_indexes",
  "pg_statio_user_tables", "pg_statio_all_tables", "pg_statio_user_indexes",
  "pg_stat_all_tables", "pg_stat_sys_tables", "pg_stat_user_tables",
  "pg_stat_xact_user_tables", "pg_stat_database", "pg_stat_bgwriter", "pg_stat_wal",
  "pg_stat_archiver", "pg_stat_ssl", "pg_stat_gssapi", "pg_stat_replication",
  "pg_replication_slots", "pg_stat_subscription", "pg_stat_progress_vacuum",
  "pg_stat_user_functions", "pg_shadow", "pg_group", "pg_user_mappings", "pg_policies",
  "pg_rules", "pg_cursors", "pg_timezone_names", "pg_timezone_abbrevs", "pg_available_extensions",
  "pg_available_extension_versions", "pg_file_settings", "pg_hba_file_rules",
  "pg_ident_file_mappings", "pg_config", "pg_shmem_allocations",
  "pg_backend_memory_contexts", "pg_stats"].map((v) => `pg_catalog.${v}`);

const setup = [
  "CREATE TABLE mv_t (id int PRIMARY KEY, name text, tags int[])",
  "INSERT INTO mv_t VALUES (1, 'a', '{1}'), (2, 'b', NULL), (3, 'c', '{2,3}')",
  "CREATE VIEW mv_v AS SELECT id, name FROM mv_t WHERE id > 1",
  "CREATE TYPE mv_pair AS (x int, y varchar(5))",
  "CREATE FUNCTION mv_add(a int, b text) RETURNS numeric LANGUAGE sql " +
    "AS 'SELECT (a + 1)::numeric'",
  "CREATE FUNCTION mv_touch() RETURNS trigger LANGUAGE plpgsql " +
    "AS 'BEGIN RETURN NEW; END'",
  "CREATE TRIGGER mv_before BEFORE INSERT OR UPDATE ON mv_t FOR EACH ROW WHEN (NEW.id > 0) " +
    "EXECUTE FUNCTION mv_touch()",
  "CREATE TRIGGER mv_after AFTER DELETE ON mv_t EXECUTE FUNCTION mv_touch()",
  "CREATE FUNCTION mv_split(x int, OUT lo int, OUT hi int) LANGUAGE plpgsql " +
    "AS 'BEGIN lo := x - 1; hi := x + 1; END'",
  "CREATE FUNCTION mv_rows(n int) RETURNS TABLE (k int, v text) LANGUAGE sql " +
    "AS $$SELECT n, 'x'$$",
  "CREATE PROCEDURE mv_proc(a int) LANGUAGE plpgsql AS 'BEGIN PERFORM a; END'",
  "CREATE ROLE mv_reader",
  "GRANT SELECT, INSERT ON mv_t TO mv_reader",
  "GRANT UPDATE (name) ON mv_t TO mv_reader WITH GRANT OPTION",
];

before(async () => {
  both = await clusterBesidePostgres(1);
  for (const sql of setup) await both.side.both(sql);
});

after(async () => {
  await both.stop();
});

test("every view has PostgreSQL 15's columns, types and typmods in order", async () => {
  for (const view of [...infoViews, ...pgViews]) {
    const shape = async (client: typeof both.tessera): Promise<unknown[]> =>
      (await client.query(`SELECT * FROM ${view} LIMIT 0`)).fields
        .map((f) => [f.name, f.dataTypeID, f.dataTypeModifier]);
    assert.deepEqual(await shape(both.tessera), await shape(both.postgres), view);
  }
});

test("routines, parameters and triggers describe the same functions and triggers", async () => {
  await both.side.same("SELECT routine_schema, routine_name, routine_type, data_type, " +
    "type_udt_schema, type_udt_name, dtd_identifier, routine_body, routine_definition, " +
    "external_language, parameter_style, is_deterministic, sql_data_access, is_null_call, " +
    "security_type, schema_level_routine, max_dynamic_result_sets " +
    "FROM information_schema.routines WHERE routine_schema = 'public' ORDER BY 2");
  await both.side.same("SELECT r.routine_name, p.ordinal_position, p.parameter_mode, " +
    "p.parameter_name, p.data_type, p.udt_schema, p.udt_name, p.dtd_identifier, p.is_result " +
    "FROM information_schema.parameters p JOIN information_schema.routines r " +
    "USING (specific_schema, specific_name) WHERE r.routine_schema = 'public' " +
    "ORDER BY r.routine_name, p.ordinal_position");
  await both.side.same("SELECT * FROM information_schema.triggers " +
    "ORDER BY trigger_name, event_manipulation");
});

test("table and column privileges follow GRANT", async () => {
  await both.side.same("SELECT * FROM information_schema.table_privileges " +
    "WHERE table_name = 'mv_t' ORDER BY grantee, privilege_type");
  await both.side.same("SELECT * FROM information_schema.role_table_grants " +
    "WHERE table_name = 'mv_t' ORDER BY grantee, privilege_type");
  await both.side.same("SELECT * FROM information_schema.column_privileges " +
    "WHERE table_name = 'mv_t' ORDER BY grantee, column_name, privilege_type");
  await both.side.same("SELECT * FROM information_schema.usage_privileges " +
    "WHERE object_type = 'COLLATION' AND object_name IN ('C', 'POSIX', 'default') " +
    "ORDER BY object_name");
  const roles = await both.tessera.query("SELECT role_name FROM information_schema.enabled_roles");
  const names = roles.rows.map((r: { role_name: string }) => r.role_name);
  assert.ok(names.includes("postgres") && names.includes("mv_reader"), names.join());
});

test("types, arrays and what views read", async () => {
  await both.side.same("SELECT * FROM information_schema.attributes " +
    "WHERE udt_name = 'mv_pair' ORDER BY ordinal_position");
  await both.side.same("SELECT * FROM information_schema.user_defined_types " +
    "WHERE user_defined_type_schema = 'public'");
  await both.side.same("SELECT * FROM information_schema.element_types " +
    "WHERE object_schema = 'public' ORDER BY object_name, collection_type_identifier");
  await both.side.same("SELECT * FROM information_schema.column_udt_usage " +
    "WHERE table_schema = 'public' ORDER BY table_name, column_name");
  await both.side.same("SELECT * FROM information_schema.view_table_usage " +
    "WHERE view_schema = 'public'");
  await both.side.same("SELECT * FROM information_schema.view_column_usage " +
    "WHERE view_schema = 'public' ORDER BY column_name");
  await both.side.same("SELECT * FROM information_schema.character_sets");
  await both.side.same("SELECT * FROM information_schema.collations " +
    "WHERE collation_name IN ('C', 'POSIX', 'default') ORDER BY 3");
  await both.side.same("SELECT * FROM information_schema.information_schema_catalog_name");
});

test("sql_features has PostgreSQL 15's rows", async () => {
  await both.side.same("SELECT * FROM information_schema.sql_features " +
    "ORDER BY feature_id, sub_feature_id");
});

test("time zones, extensions and roles match PostgreSQL", async () => {
  await both.side.same("SELECT name, abbrev, utc_offset::text AS o, is_dst " +
    "FROM pg_timezone_names WHERE name IN ('Europe/Paris', 'America/New_York', " +
    "'Asia/Kolkata', 'UTC') ORDER BY name");
  await both.side.same("SELECT abbrev, utc_offset::text AS o, is_dst FROM pg_timezone_abbrevs " +
    "WHERE abbrev IN ('CET', 'CEST', 'EST', 'EDT', 'PST', 'JST') ORDER BY abbrev");
  await both.side.same("SELECT * FROM pg_available_extensions " +
    "WHERE name IN ('plpgsql', 'uuid-ossp', 'pgcrypto') ORDER BY name");
  await both.side.same("SELECT * FROM pg_available_extension_versions " +
    "WHERE name IN ('plpgsql', 'uuid-ossp', 'pgcrypto') ORDER BY name");
  await both.side.same("SELECT usename, usesysid, usesuper, usecreatedb FROM pg_shadow " +
    "WHERE usename = 'postgres'");
  await both.side.same("SELECT groname FROM pg_group WHERE groname = 'mv_reader'");
  const version = await both.tessera.query("SELECT setting FROM pg_config WHERE name = 'VERSION'");
  assert.match(String(version.rows[0]?.setting), /^PostgreSQL 15/);
});

test("pg_cursors lists the session's open cursors", async () => {
  for (const client of [both.tessera, both.postgres]) {
    await client.query("BEGIN");
    await client.query("DECLARE mv_c SCROLL CURSOR FOR SELECT id FROM mv_t ORDER BY id");
    await client.query("DECLARE mv_h BINARY CURSOR WITH HOLD FOR SELECT 1");
  }
  await both.side.same("SELECT name, statement, is_holdable, is_binary, is_scrollable, " +
    "creation_time <= now() AS past FROM pg_cursors ORDER BY name");
  await both.side.both("COMMIT");
  await both.side.same("SELECT name FROM pg_cursors");
  await both.side.both("CLOSE mv_h");
  await both.side.same("SELECT count(*)::int AS n FROM pg_cursors");
});

test("statistics views list the coordinator's tables, indexes and sessions", async () => {
  const tables = await both.tessera.query("SELECT relname, n_live_tup::int AS live, " +
    "seq_scan::int AS scans FROM pg_stat_user_tables WHERE relname = 'mv_t'");
  assert.deepEqual(tables.rows, [{ relname: "mv_t", live: 3, scans: 0 }]);
  const all = await both.tessera.query("SELECT count(*)::int AS n FROM pg_stat_all_tables " +
    "WHERE relname = 'mv_t'");
  assert.equal(all.rows[0]?.n, 1);
  await both.side.same("SELECT relname, indexrelname FROM pg_stat_user_indexes " +
    "WHERE relname = 'mv_t'");
  await both.side.same("SELECT relname FROM pg_statio_user_tables WHERE relname = 'mv_t'");
  const db = await both.tessera.query("SELECT numbackends FROM pg_stat_database " +
    "WHERE datname = 'postgres'");
  assert.ok(Number(db.rows[0]?.numbackends) >= 1);
  await both.side.same("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
  await both.side.same("SELECT count(*)::int AS n FROM pg_stat_bgwriter");
  await both.side.same("SELECT datid, datname FROM pg_stat_database ORDER BY datid");
  await both.side.same("SELECT gss_authenticated, principal, encrypted FROM pg_stat_gssapi " +
    "WHERE pid = pg_backend_pid()");
  await both.side.same("SELECT name, level, parent FROM pg_backend_memory_contexts " +
    "WHERE parent IS NULL");
  const wal = await both.tessera.query("SELECT wal_records > 0 AS written, " +
    "wal_bytes > 0 AS bytes, wal_sync > 0 AS synced FROM pg_stat_wal");
  assert.deepEqual(wal.rows, [{ written: true, bytes: true, synced: true }]);
  // A worker's engine has the views too.
  const worker = await queryNode(both.cluster.workerPorts[0] ?? 0,
    "SELECT count(*)::int AS n FROM pg_stat_database WHERE datname = 'postgres'");
  assert.deepEqual(worker, [{ n: 1 }]);
});

test("pg_stat_ssl tells TLS sessions from plain ones", async () => {
  const scratch = mkdtempSync(join(tmpdir(), "tessera-ssl-"));
  const cert = join(scratch, "server.crt");
  const key = join(scratch, "server.key");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
    "/CN=localhost", "-days", "1", "-keyout", key, "-out", cert], { stdio: "ignore" });
  const worker = await startCluster({ role: "worker",
    env: { TESSERA_TLS_CERT: cert, TESSERA_TLS_KEY: key } });
  const options = { host: "127.0.0.1", port: worker.port, user: "postgres",
    database: "postgres" };
  const secure = new pg.Client({ ...options, ssl: { rejectUnauthorized: false } });
  const plain = new pg.Client(options);
  try {
    await Promise.all([secure.connect(), plain.connect()]);
    const query = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
    assert.deepEqual((await secure.query(query)).rows, [{ ssl: true }]);
    assert.deepEqual((await plain.query(query)).rows, [{ ssl: false }]);
    const all = await plain.query("SELECT count(*)::int AS n FROM pg_stat_ssl");
    assert.equal(all.rows[0]?.n, 2);
  } finally {
    await Promise.all([secure.end(), plain.end()]);
    await worker.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
});
