/**
 * System administration functions that tools, ORMs and migrations call, on a coordinator
 * (`tessera cluster --workers 1`) beside a real PostgreSQL 15: the deterministic ones give the
 * same rows and errors (to_reg*, pg_size_bytes, pg_column_size of stored values, unistr,
 * normalize, width_bucket, encodings, pg_describe_object / pg_identify_object, pg_has_role);
 * the rest are checked for what they do: pg_terminate_backend ends another session (57P01),
 * pg_cancel_backend stops its pg_sleep (57014), unknown pids warn, the WAL position moves.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { clusterBesidePostgres, failureOf, psql, type ClusterBesidePostgres }
  from "../harness/index.js";

const schema = `
  CREATE SCHEMA s1;
  CREATE TABLE s1.t (id int PRIMARY KEY, v text CHECK (v <> ''), u int UNIQUE);
  CREATE INDEX ti ON s1.t (v);
  CREATE VIEW s1.vw AS SELECT 1 AS a;
  CREATE SEQUENCE s1.sq;
  CREATE FUNCTION s1.f(int, text) RETURNS int LANGUAGE sql AS 'select 1';
  CREATE TABLE s1.ref (id int REFERENCES s1.t (id));
  CREATE TABLE s1.d (id serial, x int DEFAULT 5);
  CREATE TABLE cs (t text, n numeric, a int[], b bytea, v varchar(10), c char(5), big text,
    i interval, r numeric);
  INSERT INTO cs VALUES ('abc', 1.5, '{1,2,3}', '\\x0102', 'abc', 'abc', repeat('x', 200),
    '1 day', 123456789.123), ('', 0, '{}', '\\x', '', '', repeat('x', 126), '1 s', -1.5),
    ('x', 1e100, '{1,null}', null, null, null, repeat('x', 127), null, 'NaN');`;

const sameQueries = [
  "SELECT to_regclass('pg_class')::text, to_regclass('nosuch.t'), to_regclass('\"PG_CLASS\"')",
  "SELECT to_regclass('s1.t')::text, to_regclass('postgres.s1.t')::text",
  "SELECT to_regrole('postgres')::text, to_regrole('nobody'), to_regnamespace('s1')::text",
  "SELECT to_regproc('now')::text, to_regproc('nosuch'), to_regproc('pg_catalog.now')::text",
  "SELECT to_regtype('int')::text, to_regtype('nosuch'), to_regtype('int[]')::text",
  "SELECT to_regprocedure('nosuch(int)'), to_regnamespace('nosuch')",
  "SELECT to_regtype('pg_catalog.int4')::text a, to_regtype('s1.vw')::text b",
  `SELECT to_regcollation('C') a, to_regcollation('"C"')::text b, to_regcollation('nosuch.x') c,
    to_regcollation('pg_catalog."default"')::text d, pg_typeof(to_regcollation('"C"'))::text e,
    '"POSIX"'::regcollation::oid f`,
  `SELECT pg_size_bytes('1 kB') a, pg_size_bytes('1.5 GB') b, pg_size_bytes(' 10 bytes') c,
    pg_size_bytes('-1.5kb') d, pg_size_bytes('1e3') e, pg_size_bytes('1 PB') f,
    pg_size_bytes('1.5') g, pg_size_bytes('.5 kB') h, pg_size_bytes('1e-3 MB') i`,
  `SELECT pg_column_size(t) a, pg_column_size(n) b, pg_column_size(a) c, pg_column_size(b) d,
    pg_column_size(v) e, pg_column_size(c) f, pg_column_size(big) g, pg_column_size(i) h,
    pg_column_size(r) i FROM cs ORDER BY big`,
  "SELECT pg_column_size(1) a, pg_column_size(1::int8) b, pg_column_size(true) c",
  "SELECT unistr('d\\0061t\\+000061') a, unistr('\\u00e9\\U0001F600') b, unistr('a\\\\b') c",
  "SELECT unistr('\\ud83d\\ude00') AS pair",
  `SELECT normalize(U&'\\0065\\0301') = U&'\\00E9' a, normalize(U&'\\00E9', NFD) b,
    U&'\\0065\\0301' IS NFC NORMALIZED c, 'abc' IS NFKD NORMALIZED d,
    U&'\\0065\\0301' IS NOT NORMALIZED e`,
  `SELECT width_bucket(5, array[1,3,6]) a, width_bucket(0, array[1,3,6]) b,
    width_bucket(3.5, array[1,3,6]::numeric[]) c, width_bucket('b'::text, array['a','c']) d,
    width_bucket(1, '{}'::int[]) e, width_bucket(5, array[1.5, 3]) f`,
  "SELECT numeric_inc(1.5) a, numeric_inc(-1) b, numeric_inc('NaN') c",
  `SELECT pg_client_encoding() a, getdatabaseencoding() b, pg_char_to_encoding('UTF8') c,
    pg_char_to_encoding('latin1') d, pg_char_to_encoding('nope') e, pg_encoding_to_char(8) f,
    pg_encoding_to_char(99) g`,
  `SELECT pg_has_role('postgres', 'member') a, pg_has_role('postgres', 'postgres', 'usage') b,
    pg_has_role('postgres', 'usage with admin option') c`,
  "SELECT pg_relation_filepath('s1.vw') AS view_path, pg_get_statisticsobjdef(1) AS def",
  `SELECT pg_relation_filepath('cs') = 'base/5/' || relfilenode AS a,
    pg_tablespace_size('pg_default') > 0 AS b, pg_tablespace_size(99999) AS c
    FROM pg_class WHERE oid = 'cs'::regclass`,
  `SELECT inet_client_addr()::text a, inet_server_addr()::text b, inet_client_port() > 0 c,
    inet_server_port() > 0 d, (SELECT client_port FROM pg_stat_activity
      WHERE pid = pg_backend_pid()) = inet_client_port() e`,
  `SELECT pg_blocking_pids(pg_backend_pid()) a, pg_safe_snapshot_blocking_pids(1) b,
    pg_stat_reset() c`,
  "SELECT pg_sleep_for('10 ms') a, pg_sleep_until('2000-01-01') b",
  `SELECT * FROM jsonb_populate_record(null::pg_tables, '{"tablename": "x", "hasindexes": 1}')`,
  `SELECT * FROM jsonb_populate_record(null::s1.vw, '{"a": 5}')`,
  "SELECT pg_typeof(null::pg_tables)::text a, pg_typeof(null::s1.vw)::text b",
  `SELECT (json_each('{"a": 1, "b": [2]}')).*`,
  "SELECT c, (pg_identify_object_as_address(c, 1259, 0)).* FROM (VALUES (1259::oid), (1247)) v(c)",
];

const objects = `
  ('pg_class'::regclass::oid, 's1.t'::regclass::oid, 0),
  ('pg_class'::regclass, 's1.t'::regclass, 2),
  ('pg_class'::regclass, 's1.ti'::regclass, 0), ('pg_class'::regclass, 's1.vw'::regclass, 0),
  ('pg_class'::regclass, 's1.sq'::regclass, 0), ('pg_class'::regclass, 'pg_class'::regclass, 0),
  ('pg_type'::regclass, 'int4'::regtype, 0), ('pg_type'::regclass, 's1.t'::regtype, 0),
  ('pg_type'::regclass, 'int4[]'::regtype, 0), ('pg_proc'::regclass, 's1.f'::regproc, 0),
  ('pg_namespace'::regclass, 's1'::regnamespace, 0),
  ('pg_constraint'::regclass, (SELECT oid FROM pg_constraint WHERE conname = 't_pkey'), 0),
  ('pg_constraint'::regclass, (SELECT oid FROM pg_constraint WHERE conname = 't_v_check'), 0),
  ('pg_constraint'::regclass, (SELECT oid FROM pg_constraint WHERE conname = 'ref_id_fkey'), 0),
  ('pg_class'::regclass, 999999, 0), ('pg_authid'::regclass, 10, 0),
  ('pg_database'::regclass, 5, 0),
  ('pg_attrdef'::regclass,
    (SELECT oid FROM pg_attrdef WHERE adrelid = 's1.d'::regclass AND adnum = 2), 0),
  ('pg_rewrite'::regclass, (SELECT oid FROM pg_rewrite WHERE ev_class = 's1.vw'::regclass), 0),
  ('pg_collation'::regclass, 950, 0), ('pg_language'::regclass, 14, 0),
  ('pg_extension'::regclass, (SELECT oid FROM pg_extension WHERE extname = 'plpgsql'), 0),
  ('pg_am'::regclass, 403, 0), ('pg_attrdef'::regclass, 1, 0), ('pg_rewrite'::regclass, 1, 0)`;

const sameFailures = [
  "SELECT to_regclass('a.b.c.d')",
  "SELECT to_regrole('a.b')",
  "SELECT to_regnamespace('a.b')",
  "SELECT to_regprocedure('abs')",
  "SELECT pg_size_bytes('1 KiB')",
  "SELECT pg_size_bytes('abc')",
  "SELECT pg_size_bytes('9223372036854775807 kB')",
  "SELECT unistr('\\u')",
  "SELECT unistr('\\ud83d')",
  "SELECT width_bucket(5, array[[1,3],[6,7]])",
  "SELECT width_bucket(5, array[1,null])",
  "SELECT pg_has_role('postgres', 'foo')",
  "SELECT pg_has_role('nobody', 'member')",
  "SELECT pg_stat_reset_shared('nope')",
  "SELECT pg_tablespace_size('nope')",
  "SELECT pg_describe_object(12345678, 1, 0)",
  "SELECT unistr('\\+110000')",
  "SELECT pg_catalog.normalize('a', 'nfx')",
  "SELECT pg_terminate_backend(1, -1)",
  "SELECT to_regtype('int(')",
  "SELECT to_regtype('int) x, (1')",
  "SELECT to_regtype('a.b.c')",
  "SELECT to_regcollation('a.b.c.d')",
  "SELECT 'nope'::regcollation",
];

describe("administration functions", () => {
  let setup: ClusterBesidePostgres;

  before(async () => {
    setup = await clusterBesidePostgres(1);
    await setup.side.both(schema);
  });
  after(async () => {
    await setup.stop();
  });

  test("deterministic functions answer as PostgreSQL 15", async () => {
    for (const sql of sameQueries) await setup.side.same(sql);
  });

  test("object descriptions and identities match PostgreSQL 15", async () => {
    await setup.side.same(`SELECT pg_describe_object(c, o, s) AS d, i.*, a.*
      FROM (VALUES ${objects}) v(c, o, s), pg_identify_object(c, o, s) i,
        pg_identify_object_as_address(c, o, s) a`);
  });

  test("errors match PostgreSQL 15", async () => {
    for (const sql of sameFailures) await setup.side.sameFailure(sql);
  });

  test("psql \\dd lists nothing, as on PostgreSQL", async () => {
    const [mine, theirs] = await Promise.all([psql(setup.cluster.port, "\\dd"),
      psql(setup.reference.port, "\\dd")]);
    assert.equal(mine, theirs);
  });

  test("unknown pids warn and give false; the WAL position moves with writes", async () => {
    const warnings: string[] = [];
    setup.tessera.on("notice", (n) => warnings.push(`${n.severity ?? ""} ${n.message}`));
    const { rows } = await setup.tessera.query(
      "SELECT pg_cancel_backend(1) c, pg_terminate_backend(1) t");
    assert.deepEqual(rows, [{ c: false, t: false }]);
    assert.deepEqual(warnings, ["WARNING PID 1 is not a PostgreSQL backend process",
      "WARNING PID 1 is not a PostgreSQL backend process"]);
    const lsn = async (): Promise<bigint> => {
      const r = await setup.tessera.query("SELECT pg_current_wal_lsn()::text l");
      const [high, low] = String(r.rows[0]!.l).split("/");
      return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
    };
    const before = await lsn();
    await setup.tessera.query("CREATE TABLE walmove (a int); INSERT INTO walmove VALUES (1)");
    assert.ok(await lsn() > before);
    const f = await setup.tessera.query("SELECT pg_current_wal_flush_lsn()::text AS f, " +
      "pg_postmaster_start_time() <= now() AS started");
    assert.match(String(f.rows[0]!.f), /^[0-9A-F]+\/[0-9A-F]+$/);
    assert.equal(f.rows[0]!.started, true);
  });

  test("snapshots can be neither exported nor imported (0A000)", async () => {
    const exported = await failureOf(setup.tessera, "SELECT pg_export_snapshot()");
    assert.equal(exported.code, "0A000");
    assert.equal(exported.message, "pg_export_snapshot is not supported");
    await setup.tessera.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    const imported = await failureOf(setup.tessera,
      "SET TRANSACTION SNAPSHOT '00000003-0000001B-1'");
    await setup.tessera.query("ROLLBACK");
    assert.equal(imported.code, "0A000");
    assert.equal(imported.message, "SET TRANSACTION SNAPSHOT is not supported");
  });

  test("pg_cancel_backend cancels another session's pg_sleep", async () => {
    const other = new pg.Client({ connectionString: setup.cluster.url });
    await other.connect();
    try {
      const pid = (await other.query("SELECT pg_backend_pid() p")).rows[0]!.p as number;
      const sleeping = failureOf(other, "SELECT pg_sleep(30)");
      await new Promise((done) => setTimeout(done, 300));
      const { rows } = await setup.tessera.query("SELECT pg_cancel_backend($1) c", [pid]);
      assert.equal(rows[0]!.c, true);
      const error = await sleeping;
      assert.equal(error.code, "57014");
    } finally {
      await other.end();
    }
  });

  test("pg_blocking_pids names the session holding the row a waiter wants", async () => {
    const holder = new pg.Client({ connectionString: setup.cluster.url });
    const waiter = new pg.Client({ connectionString: setup.cluster.url });
    await Promise.all([holder.connect(), waiter.connect()]);
    try {
      await holder.query("CREATE TABLE lockme (k int PRIMARY KEY); INSERT INTO lockme VALUES (1)");
      const pidOf = async (c: pg.Client): Promise<number> =>
        (await c.query("SELECT pg_backend_pid() p")).rows[0]!.p as number;
      const [holderPid, waiterPid] = await Promise.all([pidOf(holder), pidOf(waiter)]);
      await holder.query("BEGIN; UPDATE lockme SET k = 1 WHERE k = 1");
      const waiting = waiter.query("UPDATE lockme SET k = 1 WHERE k = 1");
      let blockers: number[] = [];
      for (let i = 0; i < 100 && blockers.length === 0; i++) {
        await new Promise((done) => setTimeout(done, 20));
        blockers = (await setup.tessera.query("SELECT pg_blocking_pids($1) b", [waiterPid]))
          .rows[0]!.b as number[];
      }
      assert.deepEqual(blockers, [holderPid]);
      await holder.query("COMMIT");
      await waiting;
      const after = await setup.tessera.query("SELECT pg_blocking_pids($1) b", [waiterPid]);
      assert.deepEqual(after.rows[0]!.b, []);
    } finally {
      await Promise.all([holder.end(), waiter.end()]);
    }
  });

  test("pg_terminate_backend ends another session with 57P01", async () => {
    const other = new pg.Client({ connectionString: setup.cluster.url });
    await other.connect();
    const ended = new Promise<Error>((done) => other.on("error", done));
    const pid = (await other.query("SELECT pg_backend_pid() p")).rows[0]!.p as number;
    const { rows } = await setup.tessera.query("SELECT pg_terminate_backend($1, 5000) t",
      [pid]);
    assert.equal(rows[0]!.t, true);
    const error = await ended as pg.DatabaseError;
    assert.equal(error.code, "57P01");
    assert.equal(error.message, "terminating connection due to administrator command");
    const gone = await setup.tessera.query(
      "SELECT count(*)::int n FROM pg_stat_activity WHERE pid = $1", [pid]);
    assert.equal(gone.rows[0]!.n, 0);
  });
});
