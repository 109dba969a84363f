/**
 * Driver metadata fidelity: the metadata APIs of pgjdbc (DatabaseMetaData, ResultSetMetaData,
 * ParameterMetaData, setObject round trips, generated keys, rewritten batches, binary
 * transfer) and psycopg2 (cursor.description, COPY, named cursors, execute_values, adapters,
 * server_version, notices, DictCursor, set_session, two-phase commit) must answer on Tessera
 * as on PostgreSQL 15. The helper programs test/drivers/JdbcMetadata.java and
 * test/drivers/psycopg2_metadata.py print "== SECTION" blocks; each runs against PostgreSQL,
 * a Tessera worker (plain tables) and the Tessera coordinator (the same tables distributed),
 * and every section becomes a subtest comparing Tessera's block with PostgreSQL's.
 * Function OIDs in pgjdbc's SPECIFIC_NAME (`name_OID`) are masked. The reference server runs
 * with max_prepared_transactions = 5, as a Citus worker must; a Tessera worker runs psycopg2's
 * tpc_* like it; the coordinator runs with max_prepared_transactions = 0 and answers as
 * PostgreSQL does then (`coordinatorAnswers`). Skipped with a message when java or
 * python3/psycopg2 is missing (`make test-deps` installs them; CI runs it).
 */
import { after, before, describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startCluster, startReferencePostgres, type ReferencePostgres,
  type TesseraCluster } from "../harness/index.js";
import { driversDir, runProgram } from "./drivers-support.js";

const jdbcJar = "/usr/share/java/postgresql.jar";
const python = "/usr/bin/python3";

/** The schema every target starts from (the coordinator also distributes it). */
const schema = [
  "DROP SCHEMA IF EXISTS meta CASCADE",
  "CREATE SCHEMA meta",
  "CREATE TABLE meta.parents (id bigserial PRIMARY KEY, code varchar(20) NOT NULL,"
    + " price numeric(10,2), at timestamptz DEFAULT now(), note text)",
  "CREATE INDEX parents_code ON meta.parents (code)",
  "CREATE TABLE meta.children (parent_id bigint NOT NULL, seq int NOT NULL, payload jsonb,"
    + " tags text[], uid uuid, data bytea, d date, ts timestamp, PRIMARY KEY (parent_id, seq))",
  "CREATE TABLE meta.kinds (k int PRIMARY KEY, label text)",
  "CREATE SEQUENCE meta.counter START 5 INCREMENT 2",
  "CREATE TYPE meta.pair AS (a int, b text)",
  "CREATE DOMAIN meta.posint AS int CHECK (VALUE > 0)",
  "CREATE FUNCTION meta.add_price(a numeric, b integer) RETURNS numeric"
    + " LANGUAGE sql AS 'SELECT a + b'",
  "CREATE FUNCTION meta.pairs(n int) RETURNS TABLE (i int, label text) LANGUAGE sql"
    + " AS 'SELECT g, g::text FROM generate_series(1, n) g'",
  "CREATE PROCEDURE meta.touch(IN x int, y text) LANGUAGE plpgsql"
    + " AS $$BEGIN PERFORM x + 1; END$$",
  "INSERT INTO meta.kinds VALUES (1, 'one'), (2, 'two')",
  "CREATE VIEW meta.cheap AS SELECT id, code, price FROM meta.parents WHERE price < 10",
  "COMMENT ON TABLE meta.parents IS 'parent rows'",
  "COMMENT ON COLUMN meta.parents.code IS 'the code'",
  "CREATE TYPE meta.mood AS ENUM ('sad', 'ok')",
  "CREATE TABLE meta.logs (at date NOT NULL, mood meta.mood, amount money, PRIMARY KEY (at))"
    + " PARTITION BY RANGE (at)",
  "CREATE TABLE meta.logs_2024 PARTITION OF meta.logs"
    + " FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
];

const distribution = [
  "SELECT create_distributed_table('meta.parents', 'id')",
  "SELECT create_distributed_table('meta.children', 'parent_id', colocate_with => 'meta.parents')",
  "SELECT create_reference_table('meta.kinds')",
];

const foreignKey = "ALTER TABLE meta.children ADD FOREIGN KEY (parent_id)"
  + " REFERENCES meta.parents (id)";

async function setUp(url: string, distributed: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of [...schema, ...(distributed ? distribution : []), foreignKey]) {
      await client.query(sql);
    }
  } finally {
    await client.end();
  }
}

/**
 * Sections the coordinator answers as a PostgreSQL configured otherwise than the reference:
 * it has max_prepared_transactions = 0 (SHOW says so), and PostgreSQL at 0 refuses
 * tpc_prepare with exactly this (client-driven two-phase commit across a cluster is not built).
 */
const coordinatorAnswers: Readonly<Record<string, string>> = {
  two_phase: "ERROR 55000 ERROR:  prepared transactions are disabled",
};

/** "== NAME" blocks of a program's output, in order; function OIDs masked. */
function sections(stdout: string): Map<string, string> {
  const blocks = new Map<string, string>();
  let name: string | undefined;
  let lines: string[] = [];
  for (const line of stdout.replace(/_\d{4,}\b/g, "_OID").split("\n")) {
    const head = /^== (\S+)$/.exec(line);
    if (head !== null) {
      if (name !== undefined) blocks.set(name, lines.join("\n"));
      name = head[1]!;
      lines = [];
    } else if (name !== undefined && line !== "") {
      lines.push(line);
    }
  }
  if (name !== undefined) blocks.set(name, lines.join("\n"));
  return blocks;
}

function has(command: string, args: readonly string[]): boolean {
  try {
    execFileSync(command, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

type Runner = (url: string, port: number) => Promise<string>;

interface Targets {
  readonly reference: ReferencePostgres;
  readonly cluster: TesseraCluster;
}

/** Runs the program on PostgreSQL, a worker and the coordinator; compares every section. */
async function compare(t: TestContext, targets: Targets, run: Runner): Promise<void> {
  const { reference, cluster } = targets;
  await setUp(reference.url, false);
  const expected = sections(await run(reference.url, reference.port));
  const workerPort = cluster.workerPorts[0]!;
  const workerUrl = `postgresql://postgres@127.0.0.1:${workerPort}/postgres`;
  await setUp(workerUrl, false);
  const onWorker = sections(await run(workerUrl, workerPort));
  const client = new pg.Client({ connectionString: workerUrl });
  await client.connect();
  await client.query("DROP SCHEMA meta CASCADE").finally(() => client.end());
  await setUp(cluster.url, true);
  const onCoordinator = sections(await run(cluster.url, cluster.port));
  assert.ok(expected.size > 5, "the program printed too few sections");
  for (const [name, want] of expected) {
    assert.ok(!want.startsWith("ERROR"), `${name} fails on PostgreSQL: ${want}`);
    await t.test(`${name} (worker)`, () => {
      assert.equal(onWorker.get(name), want);
    });
    await t.test(`${name} (coordinator)`, () => {
      assert.equal(onCoordinator.get(name), coordinatorAnswers[name] ?? want);
    });
  }
}

describe("driver metadata against PostgreSQL 15", () => {
  let targets: Targets;

  before(async () => {
    const [reference, cluster] = await Promise.all([
      startReferencePostgres({ settings: { max_prepared_transactions: 5 } }),
      startCluster({ workers: 2 })]);
    targets = { reference, cluster };
  });
  after(async () => {
    await Promise.all([targets.cluster.stop(), targets.reference.stop()]);
  });

  test("JDBC", async (t) => {
    // `make test` installs the JDK and the driver (make test-deps): missing is a failure.
    assert.ok(has("javac", ["-version"]) && existsSync(jdbcJar),
      `javac or ${jdbcJar} is missing: run make test-deps`);
    const classes = mkdtempSync(join(tmpdir(), "tessera-jdbc-meta-"));
    try {
      const javac = await runProgram("javac", ["-cp", jdbcJar, "-d", classes,
        join(driversDir, "JdbcMetadata.java")]);
      assert.equal(javac.code, 0, javac.stderr);
      await compare(t, targets, async (_url, port) => {
        const out = await runProgram("java", ["-Duser.timezone=UTC", "-cp",
          `${jdbcJar}:${classes}`, "JdbcMetadata", `jdbc:postgresql://127.0.0.1:${port}/postgres`]);
        assert.equal(out.code, 0, out.stderr);
        return out.stdout;
      });
    } finally {
      rmSync(classes, { recursive: true, force: true });
    }
  });

  test("psycopg2", async (t) => {
    assert.ok(has(python, ["-c", "import psycopg2"]),
      `${python} with psycopg2 is missing: run make test-deps`);
    await compare(t, targets, async (url) => {
      const out = await runProgram(python, [join(driversDir, "psycopg2_metadata.py"), url]);
      assert.equal(out.code, 0, out.stderr);
      return out.stdout;
    });
  });
});
