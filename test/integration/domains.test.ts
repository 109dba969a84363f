/**
 * CREATE / ALTER / DROP DOMAIN against PostgreSQL 15: the same statements on a real
 * PostgreSQL and on a Tessera node give the same rows, or the same errors (SQLSTATE and
 * message): casts to domains, columns of domains (their defaults, NOT NULL and CHECKs, arrays
 * of a domain), operators on the base type, functions taking and returning a domain, the
 * catalog (pg_type, pg_constraint, information_schema.domains) and psql's `\dD` and `\d`.
 * The domains and their constraints survive a restart. On a `tessera cluster --workers 2`
 * the DDL reaches every worker and a distributed table with domain columns reports
 * violations from the workers with PostgreSQL's errors.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import pg from "pg";
import {
  clusterBesidePostgres, onWorkers, psql, startCluster, startReferencePostgres,
  type ClusterBesidePostgres, type ReferencePostgres, type Rows, type TesseraCluster,
} from "../harness/index.js";

const statements = [
  "CREATE DOMAIN posint AS int CHECK (VALUE > 0) CHECK (VALUE < 1000)",
  "CREATE DOMAIN posint AS text",
  "CREATE DOMAIN x AS int NULL NOT NULL",
  "CREATE DOMAIN x AS int DEFAULT 1 DEFAULT 2",
  "CREATE DOMAIN x AS int UNIQUE",
  "CREATE DOMAIN x AS int CHECK (VALUE > 0) DEFERRABLE",
  "CREATE DOMAIN x AS anyelement",
  "CREATE DOMAIN x AS nosuch",
  "CREATE DOMAIN x AS int CHECK (foo > 0)",
  "CREATE DOMAIN x AS int CHECK (VALUE + 1)",
  "CREATE DOMAIN x AS int DEFAULT 'abc'",
  "CREATE DOMAIN x AS int CHECK (VALUE > (SELECT 1))",
  "CREATE DOMAIN x AS int DEFAULT (SELECT 1)",
  "CREATE DOMAIN x AS int CHECK (sum(VALUE) > 1)",
  "SELECT 5::posint AS v, pg_typeof(5::posint)::text AS t",
  "SELECT (-1)::posint",
  "SELECT -1::posint AS v",
  "SELECT '7'::posint + 1 AS v, pg_typeof('7'::posint + 1)::text AS t",
  "SELECT 'abc'::posint",
  "SELECT 2000::posint",
  "CREATE DOMAIN code AS varchar(5) NOT NULL DEFAULT 'NONE' " +
    "CONSTRAINT code_upper CHECK (VALUE = upper(VALUE))",
  "SELECT 'ABCDEFG'::code AS v",
  "SELECT NULL::code",
  "SELECT 'abc'::code",
  "CREATE DOMAIN small AS posint CHECK (VALUE <> 5)",
  "SELECT 5::small",
  "SELECT (-3)::small",
  "SELECT 6::small + 1 AS v",
  "CREATE DOMAIN tiny AS int CHECK (VALUE BETWEEN 0 AND 9)",
  "CREATE TABLE items (id int PRIMARY KEY, qty posint, c code, tags tiny[])",
  "INSERT INTO items VALUES (1, 5, 'AB', '{1,2}')",
  "INSERT INTO items VALUES (2, -5, 'AB', NULL)",
  "INSERT INTO items (id, qty) VALUES (3, 7)",
  "INSERT INTO items VALUES (4, 4, NULL, NULL)",
  "INSERT INTO items VALUES (5, 3, 'ab', NULL)",
  "INSERT INTO items VALUES (6, 3, 'X', '{1,12}')",
  "INSERT INTO items VALUES (6, 3, 'X', ARRAY[3, 4])",
  "INSERT INTO items VALUES (9, 3, 'TOOLONG', NULL)",
  "UPDATE items SET qty = qty - 10 WHERE id = 1",
  "UPDATE items SET qty = qty * 2 WHERE id = 1",
  "SELECT id, qty, c, tags, qty + 1 AS next FROM items ORDER BY id",
  "SELECT sum(qty) AS s, max(qty) AS m, min(c) AS c FROM items",
  "SELECT id FROM items WHERE qty = 10",
  "SELECT column_name, data_type, character_maximum_length, numeric_precision, domain_name, " +
    "udt_schema, udt_name FROM information_schema.columns WHERE table_name = 'items' " +
    "ORDER BY ordinal_position",
  "SELECT id FROM items WHERE qty IN (3, 7) ORDER BY id",
  "SELECT c || '!' AS t, coalesce(qty, 0) AS q FROM items ORDER BY id",
  "SELECT pg_typeof(coalesce(qty, 0))::text AS t FROM items WHERE id = 1",
  "SELECT typname, typtype, format_type(typbasetype, typtypmod) AS base, typnotnull, " +
    "typdefault FROM pg_type WHERE typtype = 'd' AND typnamespace = 'public'::regnamespace " +
    "ORDER BY typname",
  "SELECT t.typname FROM pg_type t JOIN pg_type e ON t.typelem = e.oid " +
    "WHERE e.typname = 'tiny'",
  "SELECT conname, contypid::regtype::text AS domain, contype, convalidated, conrelid, " +
    "pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contypid <> 0 " +
    "AND connamespace = 'public'::regnamespace ORDER BY conname",
  "SELECT domain_name, data_type, character_maximum_length, numeric_precision, " +
    "domain_default, udt_name FROM information_schema.domains " +
    "WHERE domain_schema = 'public' ORDER BY domain_name",
  "ALTER DOMAIN posint ADD CONSTRAINT posint_check CHECK (VALUE > 1)",
  "ALTER DOMAIN tiny ADD CHECK (VALUE < 8)",
  "ALTER DOMAIN posint ADD CONSTRAINT big CHECK (VALUE > 8)",
  "ALTER DOMAIN posint ADD CONSTRAINT big CHECK (VALUE > 8) NOT VALID",
  "SELECT 8::posint",
  "ALTER DOMAIN posint VALIDATE CONSTRAINT big",
  "UPDATE items SET qty = 9 WHERE id = 3",
  "ALTER DOMAIN posint VALIDATE CONSTRAINT big",
  "SELECT conname, convalidated FROM pg_constraint WHERE conname = 'big'",
  "ALTER DOMAIN posint DROP CONSTRAINT nosuch",
  "ALTER DOMAIN posint DROP CONSTRAINT IF EXISTS nosuch",
  "ALTER DOMAIN posint RENAME CONSTRAINT big TO over8",
  "ALTER DOMAIN posint RENAME CONSTRAINT nosuch TO x",
  "ALTER DOMAIN posint RENAME CONSTRAINT over8 TO posint_check",
  "SELECT 8::posint",
  "ALTER DOMAIN posint DROP CONSTRAINT over8",
  "SELECT 8::posint AS v",
  "ALTER DOMAIN code SET DEFAULT 'DFLT'",
  "INSERT INTO items (id, qty) VALUES (7, 1)",
  "ALTER DOMAIN code DROP DEFAULT",
  "INSERT INTO items (id, qty) VALUES (8, 1)",
  "ALTER DOMAIN code DROP NOT NULL",
  "INSERT INTO items (id, qty) VALUES (8, 1)",
  "ALTER DOMAIN code SET NOT NULL",
  "DELETE FROM items WHERE id = 8",
  "ALTER DOMAIN code SET NOT NULL",
  "ALTER DOMAIN int4 SET NOT NULL",
  "ALTER DOMAIN nosuch SET NOT NULL",
  "ALTER DOMAIN small RENAME TO posint",
  "ALTER DOMAIN small RENAME TO notfive",
  "SELECT 5::notfive",
  "SELECT 6::small",
  "CREATE FUNCTION twice(posint) RETURNS posint LANGUAGE sql AS 'SELECT $1 * 2'",
  "SELECT twice(4) AS v",
  "SELECT twice(600)",
  "SELECT twice(-1)",
  "DROP DOMAIN posint",
  "DROP DOMAIN nosuch",
  "DROP DOMAIN IF EXISTS nosuch",
  "DROP DOMAIN int4",
  "CREATE DOMAIN gone AS int",
  "DROP DOMAIN gone",
  "SELECT 1::gone",
  "CREATE DOMAIN dropme AS text",
  "DROP TYPE dropme",
  "BEGIN",
  "CREATE DOMAIN tx AS int CHECK (VALUE > 0)",
  "ROLLBACK",
  "SELECT 1::tx",
  "SELECT id, qty, c, tags FROM items ORDER BY id",
];

type Outcome = { rows: Rows } | { code: string | undefined; message: string };

/** Runs psql's script `input` on `port`; returns its ERROR line, or "ok". */
function psqlScript(port: number, input: string): string {
  const run = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-",
    `host=127.0.0.1 port=${port} dbname=postgres user=postgres`],
  { input, timeout: 60_000, encoding: "utf8" });
  const error = run.stderr.split("\n").find((line) => line.includes("ERROR:"));
  return error === undefined ? "ok" : error.slice(error.indexOf("ERROR:"));
}

async function outcomes(url: string, list: readonly string[]): Promise<Outcome[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const out: Outcome[] = [];
  try {
    for (const sql of list) {
      try {
        out.push({ rows: (await client.query(sql)).rows as Rows });
      } catch (error) {
        assert.ok(error instanceof pg.DatabaseError, String(error));
        out.push({ code: error.code, message: error.message });
      }
    }
  } finally {
    await client.end();
  }
  return out;
}

describe("domains on one node, beside PostgreSQL 15", () => {
  let reference: ReferencePostgres;
  let node: TesseraCluster;

  before(async () => {
    [reference, node] = await Promise.all([startReferencePostgres(),
      startCluster({ role: "worker" })]);
  });
  after(async () => {
    await Promise.all([reference?.stop(), node?.stop()]);
  });

  test("statements give PostgreSQL's rows and errors", async () => {
    const expected = await outcomes(reference.url, statements);
    const actual = await outcomes(node.url, statements);
    for (const [i, sql] of statements.entries()) assert.deepEqual(actual[i], expected[i], sql);
  });

  test("psql's \\dD and \\d show the domains as PostgreSQL's psql does", async () => {
    for (const command of ["\\dD", "\\dD+ p*", "\\d items", "\\dT"]) {
      assert.equal(await psql(node.port, command), await psql(reference.port, command), command);
    }
  });

  test("pg_dump writes the domains and the columns of domain type as from PostgreSQL", () => {
    const domainLines = (port: number): string[] => spawnSync("pg_dump", ["--schema-only",
      `host=127.0.0.1 port=${port} dbname=postgres user=postgres`], { encoding: "utf8" })
      .stdout.split("\n").filter((line) => /^(CREATE DOMAIN|\tCONSTRAINT|    \w+ public\.)/
        .test(line));
    const ours = domainLines(node.port);
    assert.ok(ours.some((line) => line.startsWith("CREATE DOMAIN public.posint")), ours.join());
    assert.deepEqual(ours, domainLines(reference.port));
  });

  test("a pg_dump of the domains restores into a fresh node", async () => {
    const dump = spawnSync("pg_dump", [`host=127.0.0.1 port=${node.port} dbname=postgres ` +
      "user=postgres"], { encoding: "utf8" }).stdout;
    const fresh = await startCluster({ role: "worker" });
    try {
      assert.equal(psqlScript(fresh.port, dump), "ok");
      const checks = ["SELECT id, qty, c, tags FROM items ORDER BY id", "SELECT (-1)::posint",
        "SELECT 5::notfive", "SELECT conname, pg_get_constraintdef(oid) AS d FROM pg_constraint " +
        "WHERE contypid <> 0 ORDER BY 1"];
      assert.deepEqual(await outcomes(fresh.url, checks), await outcomes(node.url, checks));
    } finally {
      await fresh.stop();
    }
  });

  test("COPY FROM checks the domains of the columns it loads and fills", () => {
    for (const [input, expected] of [
      ["COPY items (id, qty, c) FROM STDIN;\n30\t3\tCP\n31\t4\tCQ\n\\.\n", "ok"],
      ["COPY items (id, qty, c) FROM STDIN;\n32\t-3\tCP\n\\.\n", "posint_check"],
      ["COPY items (id, qty, c) FROM STDIN;\n33\t3\t\\N\n\\.\n", "does not allow null"],
      ["COPY items (id, qty, c, tags) FROM STDIN;\n34\t3\tCR\t{1,11}\n\\.\n",
        "tiny_check"],
    ] as const) {
      const ours = psqlScript(node.port, input);
      assert.equal(ours, psqlScript(reference.port, input), input);
      assert.ok(ours.includes(expected), ours);
    }
  });

  test("domains, their constraints and defaults survive a restart", async () => {
    const checks = [
      "SELECT typname, typnotnull, typdefault FROM pg_type WHERE typtype = 'd' ORDER BY 1",
      "SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint " +
        "WHERE contypid <> 0 ORDER BY 1",
      "SELECT id, qty, c, tags FROM items ORDER BY id",
      "INSERT INTO items VALUES (20, 0, 'A', NULL)",
      "INSERT INTO items VALUES (21, 1, 'a', NULL)",
      "INSERT INTO items VALUES (22, 1, NULL, NULL)",
      "SELECT 5::notfive",
    ];
    const before = await outcomes(node.url, checks);
    await node.stop({ keepData: true });
    node = await startCluster({ role: "worker", dataDir: node.dataDir });
    const after = await outcomes(node.url, checks);
    for (const [i, sql] of checks.entries()) assert.deepEqual(after[i], before[i], sql);
    assert.deepEqual(after.slice(3).map((o) => ("code" in o ? o.code : "ok")),
      ["23514", "23514", "23502", "23514"]);
  });
});

describe("domains across the cluster", () => {
  let servers: ClusterBesidePostgres;
  let tessera: pg.Client;

  before(async () => {
    servers = await clusterBesidePostgres();
    tessera = servers.tessera;
  });
  after(async () => {
    await servers?.stop();
  });

  test("domain DDL reaches the workers; a distributed table enforces domains there",
    async () => {
      const { side } = servers;
      await side.both("CREATE DOMAIN posint AS int CHECK (VALUE > 0)");
      await side.both("CREATE DOMAIN label AS text NOT NULL DEFAULT 'none'");
      assert.deepEqual(await onWorkers(tessera, "SELECT 5::public.posint"), ["5", "5"]);
      await side.both("CREATE TABLE orders (id int PRIMARY KEY, qty posint, tag label)");
      await tessera.query("SELECT create_distributed_table('orders', 'id')");
      await side.both("INSERT INTO orders VALUES (1, 3, 'a'), (2, 4, 'b'), (3, 5, 'c')");
      await side.both("INSERT INTO orders (id, qty) VALUES (4, 6)");
      await side.sameFailure("INSERT INTO orders VALUES (5, -1, 'x')");
      await side.sameFailure("INSERT INTO orders VALUES (5, 1, NULL)");
      await side.sameFailure("UPDATE orders SET qty = qty - 4 WHERE id = 2");
      await side.sameFailure("UPDATE orders SET qty = qty - 4");
      await side.same("SELECT id, qty, tag, qty * 2 AS twice FROM orders ORDER BY id");
      await side.same("SELECT sum(qty) AS s FROM orders WHERE qty > 3");
      await side.same("SELECT id FROM orders WHERE id = 2 AND qty = 4");
      const copied = "COPY orders FROM STDIN;\n10\t8\tc\n11\t-8\tc\n\\.\n";
      assert.equal(psqlScript(servers.cluster.port, copied),
        psqlScript(servers.reference.port, copied));
      await side.same("SELECT count(*) AS n FROM orders WHERE id >= 10");
      const omitted = "COPY orders (id, qty) FROM STDIN;\n13\t3\n\\.\n";
      assert.equal(psqlScript(servers.cluster.port, omitted), "ok");
      assert.equal(psqlScript(servers.reference.port, omitted), "ok");
      await side.same("SELECT id, qty, tag FROM orders WHERE id = 13");
      for (const client of [tessera, servers.postgres]) {
        const failed = await client.query("INSERT INTO orders VALUES ($1, $2, $3)", [12, -2, "p"])
          .then(() => undefined, (error: unknown) => error as pg.DatabaseError);
        assert.equal(failed?.message,
          'value for domain posint violates check constraint "posint_check"');
        await client.query("INSERT INTO orders VALUES ($1, $2, $3)", [12, 2, "p"]);
      }
      await side.same("SELECT id, qty, tag FROM orders WHERE id = 12");
      await side.both("ALTER DOMAIN posint ADD CONSTRAINT below10 CHECK (VALUE < 10)");
      await side.sameFailure("INSERT INTO orders VALUES (6, 12, 'x')");
      assert.deepEqual(await onWorkers(tessera, "SELECT count(*) FROM pg_constraint " +
        "WHERE conname = 'below10'"), ["1", "1"]);
      // The workers hold the rows: they refuse a constraint the stored values break.
      const refused = await tessera.query("ALTER DOMAIN posint ADD CHECK (VALUE > 4)")
        .then(() => undefined, (error: unknown) => error as pg.DatabaseError);
      assert.equal(refused?.code, "23514");
      assert.match(refused?.message ?? "",
        /^column "qty" of table "orders(_\d+)?" contains values/);
      await side.both("CREATE TABLE keyed (k posint PRIMARY KEY, v text)");
      await tessera.query("SELECT create_distributed_table('keyed', 'k')");
      await side.both("INSERT INTO keyed SELECT g, 'v' || g FROM generate_series(1, 9) g");
      await side.sameFailure("INSERT INTO keyed VALUES (0, 'zero')");
      await side.same("SELECT k, v FROM keyed WHERE k = 3");
      await side.same("SELECT count(*) AS n, sum(k) AS s FROM keyed WHERE k > 4");
      await side.both("ALTER DOMAIN label SET DEFAULT 'dflt'");
      await side.both("INSERT INTO orders (id, qty) VALUES (7, 7)");
      await side.same("SELECT tag FROM orders WHERE id = 7");
      await side.both("ALTER DOMAIN posint RENAME CONSTRAINT below10 TO under10");
      assert.deepEqual(await onWorkers(tessera, "SELECT count(*) FROM pg_constraint " +
        "WHERE conname = 'under10'"), ["1", "1"]);
      await side.sameFailure("DROP DOMAIN posint");
      await side.both("CREATE DOMAIN spare AS int");
      await side.both("DROP DOMAIN spare");
      assert.deepEqual(await onWorkers(tessera, "SELECT count(*) FROM pg_type " +
        "WHERE typname = 'spare'"), ["0", "0"]);
    });

  test("a worker added with citus_add_node gets the domains before its shards", async () => {
    const extra = await startCluster({ role: "worker" });
    const worker = new pg.Client({ connectionString: extra.url });
    try {
      await tessera.query("SELECT citus_add_node('127.0.0.1', $1)", [extra.port]);
      await worker.connect();
      const failed = await worker.query("SELECT (-1)::public.posint")
        .then(() => undefined, (error: unknown) => error as pg.DatabaseError);
      assert.equal(failed?.message,
        'value for domain posint violates check constraint "posint_check"');
      const { rows } = await worker.query("SELECT conname FROM pg_constraint " +
        "WHERE contypid = 'public.posint'::regtype ORDER BY 1");
      assert.deepEqual(rows.map((r: { conname: string }) => r.conname),
        ["posint_check", "under10"]);
      await tessera.query("CREATE TABLE later (k int, q posint)");
      await tessera.query("SELECT create_distributed_table('later', 'k', shard_count => 6)");
      await tessera.query("INSERT INTO later SELECT g, g % 9 + 1 FROM generate_series(1, 30) g");
      const sum = await tessera.query("SELECT sum(q)::int AS s FROM later");
      assert.deepEqual(sum.rows, [{ s: 144 }]);
    } finally {
      await worker.end().catch(() => undefined);
      await extra.stop();
    }
  });
});
