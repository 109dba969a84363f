/**
 * The driver matrix: real client libraries against `tessera cluster --workers 2`, each
 * starting from the schema of `drivers-support.ts` (a distributed table, a reference table,
 * a distributed table with array and jsonb columns, a local table).
 *
 *   psycopg2 (Debian)  parameters, executemany, COPY in and out, named (DECLARE) cursors,
 *                      WITH HOLD, transactions, notices, errors   test/drivers/psycopg2_check.py
 *                      typed values (Decimal, tz datetimes, Json, arrays, UUID), execute_values,
 *                      itersize and scrollable cursors, CSV COPY, create_distributed_table's
 *                      NOTICEs, set_session (read-only, isolation level), refcursor results
 *                      (callproc, SETOF refcursor, INOUT refcursor) read by named cursors
 *   psycopg 3 (Debian) server-side parameters, binary results, executemany, server-prepared
 *                      statements, pipeline mode, COPY rows in and out (one row per CopyData,
 *                      text, CSV with HEADER, binary), named cursors, savepoints, errors,
 *                      notices, typed values                 test/drivers/psycopg3_check.py
 *   JDBC (Debian)      batches (also reWriteBatchedInserts), ResultSetMetaData,
 *                      DatabaseMetaData (tables, columns, keys, indexes, foreign keys, type
 *                      info, SQL keywords), setObject of Timestamp/BigDecimal/arrays/UUID,
 *                      generated keys, fetch size, transactions, the prepareThreshold switch
 *                      to named statements, setReadOnly, setTransactionIsolation, {? = call},
 *                      refcursor results ({? = call} OTHER / REF_CURSOR, INOUT refcursor)
 *                                                                  test/drivers/JdbcCheck.java
 *   pgcli (Debian)     completion catalog queries, backslash commands, a piped session
 *                                                                  test/drivers/pgcli_check.py
 *   node-postgres      simple, prepared, binary, pg-cursor, transactions, notices
 *   postgres.js        prepared, pipelining, arrays and jsonb, sql.begin
 *   Kysely             a migration, create_distributed_table, CRUD
 *   pgbench            -i -s 5, then -S and TPC-B in simple, extended and prepared mode;
 *                      then again with the tables distributed as on Citus
 *
 * Steps that fail today for a known reason run as TODO (`knownFailures`).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { psql, startCluster, type TesseraCluster } from "../harness/index.js";
import {
  driversDir, knownFailures, reportSteps, resetSchema, runPiped, runProgram,
} from "./drivers-support.js";
import {
  nodePostgresBinary, nodePostgresCursor, nodePostgresNotices, nodePostgresPrepared,
  nodePostgresSimple, nodePostgresTransaction, postgresJsChecks,
} from "./drivers-node.js";
import { kyselyCrud } from "./drivers-kysely.js";

const debianPython = "/usr/bin/python3";
const jdbcJar = "/usr/share/java/postgresql.jar";
const pgcliBin = "/usr/bin/pgcli";

describe("driver matrix", () => {
  let cluster: TesseraCluster;

  before(async () => {
    cluster = await startCluster({ workers: 2 });
  });
  after(async () => {
    await cluster.stop();
  });

  // `make test` installs python3-psycopg2 and the JDBC driver, so a missing one is a failure.
  test("psycopg2", async (t) => {
    assert.ok(existsSync(debianPython), `${debianPython} is missing: run make test-deps`);
    await resetSchema(cluster.url);
    const run = await runProgram(debianPython, [join(driversDir, "psycopg2_check.py"),
      cluster.url]);
    await reportSteps(t, run, ["parameters", "executemany", "copy_from_stdin",
      "copy_to_stdout", "named_cursor", "named_cursor_with_hold", "transactions",
      "transactions_distributed", "notices", "errors", "typed_values",
      "execute_values_distributed", "named_cursor_itersize", "copy_expert_csv",
      "notices_create_distributed_table", "set_session", "refcursor"]);
  });

  test("psycopg 3", async (t) => {
    assert.ok(existsSync(debianPython), `${debianPython} is missing: run make test-deps`);
    await resetSchema(cluster.url);
    const run = await runProgram(debianPython, [join(driversDir, "psycopg3_check.py"),
      cluster.url]);
    await reportSteps(t, run, ["server_side_parameters", "binary_results", "executemany",
      "prepared_statements", "pipeline", "copy_rows", "copy_binary", "server_cursor",
      "transactions", "errors", "notices", "typed_values"]);
  });

  test("JDBC", async (t) => {
    assert.ok(existsSync(jdbcJar), `${jdbcJar} is missing: run make test-deps`);
    await resetSchema(cluster.url);
    const classes = mkdtempSync(join(tmpdir(), "tessera-jdbc-"));
    try {
      const javac = await runProgram("javac", ["-cp", jdbcJar, "-d", classes,
        join(driversDir, "JdbcCheck.java")]);
      assert.equal(javac.code, 0, javac.stderr);
      const run = await runProgram("java", ["-cp", `${jdbcJar}:${classes}`, "JdbcCheck",
        `jdbc:postgresql://127.0.0.1:${cluster.port}/postgres`]);
      await reportSteps(t, run, ["batch", "result_set_metadata", "get_tables", "get_columns",
        "get_primary_keys", "fetch_size", "transactions", "transactions_distributed",
        "server_prepared", "metadata_schema", "get_index_info", "get_imported_keys",
        "set_object_types", "generated_keys", "prepare_threshold", "type_info_and_keywords",
        "read_only", "isolation", "callable", "refcursor", "rewrite_batched_inserts"]);
    } finally {
      rmSync(classes, { recursive: true, force: true });
    }
  });

  /**
   * pgcli's completion refresher runs in a thread; when its queries finish after the piped
   * session's app has closed, the callback that hands the completions over
   * (`_on_completions_refreshed`) fails to find an event loop and prints a traceback: a race in
   * pgcli, after every refresher query succeeded. A failing query raises inside the refresh
   * itself and is kept.
   */
  function withoutRefresherRace(stderr: string): string {
    const at = stderr.indexOf("Exception in thread completion_refresh:");
    if (at < 0 || !stderr.includes("_on_completions_refreshed", at)) return stderr;
    return stderr.slice(0, at);
  }

  // pgcli (Debian, on psycopg 3): its completion refresher's catalog queries and pgspecial's
  // backslash commands, then a piped session that must print nothing on stderr but the
  // not-a-terminal warning (a failing refresher query prints its traceback there).
  test("pgcli", async (t) => {
    assert.ok(existsSync(pgcliBin), `${pgcliBin} is missing: run make test-deps`);
    await resetSchema(cluster.url);
    const run = await runProgram(debianPython, [join(driversDir, "pgcli_check.py"),
      "127.0.0.1", String(cluster.port)]);
    await reportSteps(t, run, ["setup", "search_path", "schemata", "tables", "table_columns",
      "views", "foreignkeys", "functions", "datatypes", "databases", "casing",
      "view_definition", "backslash_commands", "query"]);
    await t.test("piped session", async () => {
      const home = mkdtempSync(join(tmpdir(), "tessera-pgcli-"));
      try {
        const session = await runPiped(pgcliBin, ["-h", "127.0.0.1", "-p", String(cluster.port),
          "-U", "postgres", "-w", "--less-chatty", "postgres"],
        "SELECT label FROM kinds WHERE k = 2;\n\\dt\n\\d items\n\\df lower\n", { HOME: home });
        assert.equal(session.code, 0, session.stderr);
        assert.equal(withoutRefresherRace(session.stderr).trim(),
          "Warning: Input is not a terminal (fd=0).");
        assert.match(session.stdout, /\| b +\|/);
        assert.match(session.stdout, /\| public +\| items +\| table/);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  });

  describe("node-postgres", () => {
    let client: pg.Client;
    before(async () => {
      await resetSchema(cluster.url);
      client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
    });
    after(async () => {
      await client.end();
    });
    test("simple query", () => nodePostgresSimple(client));
    test("prepared statements", () => nodePostgresPrepared(client));
    test("binary results", () => nodePostgresBinary(client));
    test("pg-cursor", () => nodePostgresCursor(client));
    test("transactions", () => nodePostgresTransaction(client, "notes"));
    test("transactions_distributed", () => nodePostgresTransaction(client, "items"));
    test("notices", () => nodePostgresNotices(client));
  });

  test("postgres.js", async (t) => {
    await resetSchema(cluster.url);
    await postgresJsChecks(cluster.url, async (name, run) => {
      const todo = knownFailures[name];
      await t.test(name, todo === undefined ? {} : { todo }, run);
    });
  });

  test("Kysely", async () => {
    await resetSchema(cluster.url);
    await kyselyCrud(cluster.url);
  });

  test("pgbench", async (t) => {
    const env = ["-h", "127.0.0.1", "-p", String(cluster.port), "-U", "postgres"];
    const init = await runProgram("pgbench", ["-i", "-s", "5", ...env, "postgres"]);
    assert.equal(init.code, 0, init.stderr);
    for (const mode of ["simple", "extended", "prepared"]) {
      for (const [label, flags] of [["select-only", ["-S"]], ["tpcb", []]] as const) {
        await t.test(`${label} -M ${mode}`, async () => {
          const run = await runProgram("pgbench", [...flags, "-M", mode, "-T", "2", "-c", "2",
            ...env, "postgres"]);
          assert.equal(run.code, 0, run.stderr);
          assert.match(run.stdout, /number of failed transactions: 0 /);
          assert.match(run.stdout, /tps = \d/);
        });
      }
    }
    // As on Citus: accounts and history distributed, branches and tellers reference tables.
    // -n: VACUUM of distributed tables is not supported yet.
    await psql(cluster.port, "SELECT create_distributed_table('pgbench_accounts', 'aid');" +
      " SELECT create_distributed_table('pgbench_history', 'aid');" +
      " SELECT create_reference_table('pgbench_branches');" +
      " SELECT create_reference_table('pgbench_tellers')");
    for (const [label, flags] of [["select-only", ["-S"]], ["tpcb", []]] as const) {
      await t.test(`distributed ${label} -M extended`, async () => {
        const run = await runProgram("pgbench", [...flags, "-n", "-M", "extended", "-T", "2",
          "-c", "2", ...env, "postgres"]);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /number of failed transactions: 0 /);
      });
    }
  });
});
