/**
 * PostgreSQL 15 behaviours beside the real server, on the coordinator and on a worker:
 * setting values checked at SET, set_config, ALTER ROLE / DATABASE … SET and connection
 * time (PGOPTIONS) with PostgreSQL's messages, hints, ranges and units; READ ONLY
 * transactions refusing DDL,
 * COPY FROM and nextval/setval; DEFAULT where it is not allowed; CREATE TABLE AS inside
 * PL/pgSQL, rolled back with its block.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { clusterBesidePostgres, type ClusterBesidePostgres } from "../harness/index.js";

/** What each statement gave, in one session: rows, or the error's code, message and hint. */
async function transcript(client: pg.Client, statements: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const sql of statements) {
    try {
      const result = await client.query(sql);
      const results = Array.isArray(result) ? result as pg.QueryResult[] : [result];
      out.push(results.map((r) => `${r.command} ${JSON.stringify(r.rows)}`).join("; "));
    } catch (error) {
      const e = error as pg.DatabaseError;
      out.push(`ERROR ${e.code} ${e.message}${e.hint === undefined ? "" : ` HINT ${e.hint}`}` +
        `${e.position === undefined ? "" : ` @${e.position}`}`);
      if (!(error instanceof pg.DatabaseError)) throw error;
    }
  }
  return out;
}

async function client(url: string, options?: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, ...(options !== undefined && { options }) });
  await c.connect();
  return c;
}

async function sameTranscript(env: ClusterBesidePostgres, port: number | undefined,
  statements: readonly string[]): Promise<void> {
  const url = port === undefined ? env.cluster.url
    : `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const [ref, tess] = await Promise.all([client(env.reference.url), client(url)]);
  try {
    const expected = await transcript(ref, statements);
    const actual = await transcript(tess, statements);
    assert.deepEqual(actual, expected);
  } finally {
    await Promise.all([ref.end(), tess.end()]);
  }
}

const settingStatements = [
  "SET statement_timeout = 'abc'", "SET statement_timeout = '5 xs'",
  "SET statement_timeout = -5", "SET statement_timeout = '99999999999'",
  "SET statement_timeout = '5 s x'", "SET statement_timeout = ''",
  "SET statement_timeout = '1.5min'", "SHOW statement_timeout",
  "SET statement_timeout = 60000", "SHOW statement_timeout",
  "SET statement_timeout = '1500'", "SHOW statement_timeout",
  "SET statement_timeout = '1e3'", "SHOW statement_timeout",
  "SET statement_timeout = '0x10'", "SHOW statement_timeout",
  "SET statement_timeout = '100 us'", "SHOW statement_timeout",
  "RESET statement_timeout", "SHOW statement_timeout",
  "SET lock_timeout = -1", "SET lock_timeout = '2s'", "SHOW lock_timeout",
  "SET idle_in_transaction_session_timeout = '1h'", "SHOW idle_in_transaction_session_timeout",
  "SET log_min_duration_statement = -2", "SET log_min_duration_statement = '250ms'",
  "SHOW log_min_duration_statement",
  "SET work_mem = 10", "SET work_mem = '100 kb'", "SET work_mem = '1.5GB'", "SHOW work_mem",
  "SET work_mem = 1024", "SHOW work_mem", "SET work_mem = '65537B'", "SHOW work_mem",
  "SET maintenance_work_mem = '1MB'", "SHOW maintenance_work_mem",
  "SET maintenance_work_mem = 100",
  "SET extra_float_digits = '2x'", "SET extra_float_digits = 2.6", "SHOW extra_float_digits",
  "SET extra_float_digits = 9",
  "SET enable_seqscan = 'of'", "SHOW enable_seqscan", "SET enable_seqscan = 'tr'",
  "SHOW enable_seqscan", "SET enable_seqscan = 'o'", "SET enable_seqscan = 'on '",
  "SET enable_seqscan = 2",
  "SET client_min_messages = debug", "SHOW client_min_messages",
  "SET client_min_messages = 'loud'", "RESET client_min_messages",
  "SET synchronous_commit = 'true'", "SHOW synchronous_commit",
  "SELECT set_config('Statement_Timeout', 'abc', false)",
  "SELECT set_config('statement_timeout', '2min', false)", "SHOW statement_timeout",
  "SET \"Statement_Timeout\" = 'xyz'",
  "ALTER ROLE postgres SET statement_timeout = 'abc'", "ALTER DATABASE postgres SET work_mem = 1",
  "ALTER ROLE postgres SET nosuch = 1", "ALTER ROLE postgres SET server_version = '1'",
  "ALTER ROLE postgres IN DATABASE postgres SET enable_seqscan = 'maybe'",
  "ALTER ROLE ALL SET lock_timeout = '1 parsec'",
];

const readOnlyStatements = (x: string): string[] => [
  "CREATE TABLE IF NOT EXISTS ro_t (a int)", "CREATE SEQUENCE IF NOT EXISTS ro_s",
  "CREATE TEMP TABLE ro_tt (a int)",
  ...["CREATE TABLE ro_x (a int)", "CREATE TEMP TABLE ro_x (a int)",
    "CREATE TABLE ro_x AS SELECT 1", "SELECT 1 INTO ro_x", "DROP TABLE ro_t",
    "ALTER TABLE ro_t ADD COLUMN b int", "CREATE INDEX ON ro_t (a)", "TRUNCATE ro_t",
    "CREATE VIEW ro_v AS SELECT 1", "CREATE SCHEMA ro_sch", "CREATE ROLE ro_role",
    "DROP ROLE IF EXISTS nobody", "GRANT SELECT ON ro_t TO PUBLIC",
    "COMMENT ON TABLE ro_t IS 'x'",
    "CREATE FUNCTION ro_f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "SELECT nextval('ro_s')", "SELECT setval('ro_s', 5)", "CREATE SEQUENCE ro_s2",
    "ALTER SEQUENCE ro_s RESTART", "DROP SEQUENCE ro_s", "CREATE TYPE ro_ty AS (a int)",
    "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC",
    "REFRESH MATERIALIZED VIEW ro_mv", "ALTER TABLE ro_t RENAME TO ro_t2",
    "DO $$ BEGIN CREATE TABLE ro_y (a int); END $$",
    "INSERT INTO ro_t VALUES (1)", "INSERT INTO ro_tt VALUES (1)",
    "LOCK TABLE ro_t", "ANALYZE ro_t", "DO $$ BEGIN PERFORM 1; END $$",
  ].flatMap((sql) => ["BEGIN READ ONLY", sql, "ROLLBACK"]),
  "BEGIN", "SET TRANSACTION READ ONLY", "CREATE TABLE ro_x (a int)", "ROLLBACK",
  "SET default_transaction_read_only = on", "CREATE TABLE ro_z (a int)",
  "SELECT nextval('ro_s')", "BEGIN READ WRITE", "CREATE TABLE ro_z (a int)", "ROLLBACK",
  "RESET default_transaction_read_only",
  "BEGIN READ ONLY", "SELECT 1", "SET TRANSACTION READ WRITE", "ROLLBACK",
  "BEGIN READ ONLY", "SET TRANSACTION READ WRITE", "CREATE TABLE ro_w (a int)", "ROLLBACK",
  "BEGIN", "SELECT 1", "SET TRANSACTION READ ONLY", "CREATE TABLE ro_w (a int)", "ROLLBACK",
  "BEGIN", "SELECT 1", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "ROLLBACK",
  "BEGIN READ ONLY", "SAVEPOINT s", "SET TRANSACTION READ WRITE", "ROLLBACK",
  "BEGIN READ ONLY", "SELECT 1", "SET transaction_read_only = off", "ROLLBACK",
  "SET transaction_read_only = on", "SHOW transaction_read_only",
  "SET TRANSACTION READ ONLY", "SET transaction_isolation = 'bogus'",
  "BEGIN", "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", "SELECT 1",
  "SHOW transaction_isolation", "ROLLBACK",
].map((sql) => sql.replace(/\bro_/g, `ro${x}_`));

const defaultStatements = (x: string): string[] => [
  "CREATE TABLE dt (a int, v text DEFAULT 'q')",
  "UPDATE dt SET v = DEFAULT || 'x'", "SELECT DEFAULT", "VALUES (DEFAULT)",
  "INSERT INTO dt VALUES (1, DEFAULT || 'x')", "INSERT INTO dt SELECT 1, DEFAULT",
  "UPDATE dt SET v = coalesce(DEFAULT, 'x')", "SELECT 1 WHERE DEFAULT",
  "UPDATE dt SET (v) = (SELECT DEFAULT)", "SELECT * FROM dt ORDER BY DEFAULT",
  "CREATE TABLE dt2 (a int DEFAULT (DEFAULT))",
  "INSERT INTO dt VALUES (1, (DEFAULT))", "UPDATE dt SET v = (DEFAULT)",
  "UPDATE dt SET (a, v) = (2, DEFAULT)", "SELECT a, v FROM dt ORDER BY a",
].map((sql) => sql.replace(/\bdt/g, `dt${x}`));

const createAsStatements = (x: string): string[] => [
  "DO $$ BEGIN CREATE TABLE p1 AS SELECT 1 AS a; END $$", "SELECT * FROM p1",
  "DO $$ BEGIN CREATE TABLE p2 AS SELECT g FROM generate_series(1, 3) g; " +
    "RAISE EXCEPTION 'boom'; END $$",
  "SELECT * FROM p2",
  "DO $$ BEGIN EXECUTE 'CREATE TABLE p3 AS SELECT 2 AS b'; END $$", "SELECT * FROM p3",
  "DO $$ DECLARE n int; BEGIN CREATE TABLE p5 AS SELECT g FROM generate_series(1, 4) g; " +
    "GET DIAGNOSTICS n = ROW_COUNT; INSERT INTO p5 VALUES (n * 10); END $$",
  "SELECT * FROM p5 ORDER BY g",
  "DO $$ BEGIN BEGIN CREATE TABLE p6 AS SELECT 1 AS a; RAISE EXCEPTION 'x'; " +
    "EXCEPTION WHEN others THEN NULL; END; CREATE TABLE p9 AS SELECT count(*) AS n " +
    "FROM pg_class WHERE relname = 'p6'; END $$",
  "SELECT * FROM p9",
  "DO $$ BEGIN CREATE TABLE p7 (x) AS SELECT 1 WITH NO DATA; END $$", "SELECT * FROM p7",
  "DO $$ BEGIN CREATE TABLE IF NOT EXISTS p1 AS SELECT 5; END $$", "SELECT * FROM p1",
  "CREATE FUNCTION mk() RETURNS void LANGUAGE plpgsql AS " +
    "$$ BEGIN CREATE TEMP TABLE tp AS SELECT 7 AS z; END $$",
  "SELECT mk()", "SELECT * FROM tp",
  "DO $$ BEGIN EXECUTE 'SELECT 3 AS c INTO p4'; END $$",
].map((sql) => sql.replace(/\b(p\d|mk|tp)\b/g, `$1${x}`));

/** A block's table goes with the transaction's ROLLBACK (the coordinator runs no DO block
 * that writes inside a transaction block, with or without CREATE TABLE AS). */
const rolledBackCreateAs = ["BEGIN", "DO $$ BEGIN CREATE TABLE p8 AS SELECT 8 AS e; END $$",
  "SELECT * FROM p8", "ROLLBACK", "SELECT * FROM p8"];

describe("settings, read-only transactions, DEFAULT and CREATE TABLE AS as in PostgreSQL 15",
  () => {
    let env: ClusterBesidePostgres;
    before(async () => {
      env = await clusterBesidePostgres(1);
    });
    after(async () => {
      await env?.stop();
    });

    test("SET and set_config check values, units and ranges (coordinator, worker)", async () => {
      await sameTranscript(env, undefined, settingStatements);
      await sameTranscript(env, env.cluster.workerPorts[0], settingStatements);
    });

    test("PGOPTIONS settings are applied and checked at connection time", async () => {
      const failure = async (url: string): Promise<string> => {
        try {
          await (await client(url, "-c statement_timeout=abc")).end();
          return "connected";
        } catch (error) {
          return `${(error as pg.DatabaseError).code} ${(error as Error).message}`;
        }
      };
      assert.equal(await failure(env.cluster.url), await failure(env.reference.url));
      const shown = async (url: string): Promise<unknown[]> => {
        const c = await client(url, "-c statement_timeout=5000 --work-mem=1GB");
        try {
          const rows = await c.query("SELECT current_setting('statement_timeout') AS s, " +
            "current_setting('work_mem') AS w");
          return rows.rows;
        } finally {
          await c.end();
        }
      };
      assert.deepEqual(await shown(env.cluster.url), await shown(env.reference.url));
    });

    test("READ ONLY transactions refuse DDL, COPY FROM and nextval (worker)", async () => {
      await sameTranscript(env, env.cluster.workerPorts[0], readOnlyStatements("w"));
    });

    test("READ ONLY transactions refuse DDL, COPY FROM and nextval (coordinator)", async () => {
      await sameTranscript(env, undefined, readOnlyStatements("c"));
      const statements = ["CREATE TABLE ro_dist (id int, v text)",
        "SELECT create_distributed_table('ro_dist', 'id')",
        ...["ALTER TABLE ro_dist ADD COLUMN w int", "CREATE INDEX ON ro_dist (v)",
          "TRUNCATE ro_dist", "DROP TABLE ro_dist", "INSERT INTO ro_dist VALUES (1, 'a')",
          "SELECT count(*) FROM ro_dist"].flatMap((sql) => ["BEGIN READ ONLY", sql, "ROLLBACK"]),
      ];
      const out = await transcript(env.tessera, statements);
      assert.deepEqual(out.filter((line) => line.startsWith("ERROR")), [
        "ERROR 25006 cannot execute ALTER TABLE in a read-only transaction",
        "ERROR 25006 cannot execute CREATE INDEX in a read-only transaction",
        "ERROR 25006 cannot execute TRUNCATE TABLE in a read-only transaction",
        "ERROR 25006 cannot execute DROP TABLE in a read-only transaction",
        "ERROR 25006 cannot execute INSERT in a read-only transaction",
      ]);
    });

    test("COPY FROM in a READ ONLY transaction: refused, except into a temporary table",
      async () => {
        const urls = [env.reference.url, env.cluster.url,
          `postgresql://postgres@127.0.0.1:${env.cluster.workerPorts[0]}/postgres`];
        for (const url of urls) {
          const c = await client(url);
          try {
            await c.query("CREATE TABLE IF NOT EXISTS ro_copy (a int)");
            await c.query("CREATE TEMP TABLE ro_copy_tmp (a int)");
            await c.query("BEGIN READ ONLY");
            await assert.rejects(c.query("COPY ro_copy FROM STDIN"),
              (e: pg.DatabaseError) => e.code === "25006" &&
                e.message === "cannot execute COPY FROM in a read-only transaction", url);
            await c.query("ROLLBACK");
            await c.query("BEGIN READ ONLY");
            // Into a temporary table it starts (the client then has no data to send).
            await assert.rejects(c.query("COPY ro_copy_tmp FROM STDIN"),
              (e: pg.DatabaseError) => e.code !== "25006", url);
            await c.query("ROLLBACK");
          } finally {
            await c.end();
          }
        }
      });

    test("DEFAULT outside an INSERT or UPDATE value is 42601 (coordinator, worker)",
      async () => {
        await sameTranscript(env, undefined, defaultStatements("c"));
        await sameTranscript(env, env.cluster.workerPorts[0], defaultStatements("w"));
      });

    test("CREATE TABLE AS inside PL/pgSQL (coordinator, worker)", async () => {
      await sameTranscript(env, undefined, createAsStatements("c"));
      await sameTranscript(env, env.cluster.workerPorts[0],
        [...createAsStatements("w"), ...rolledBackCreateAs]);
    });
  });
