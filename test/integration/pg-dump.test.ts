/**
 * PostgreSQL 15's own `pg_dump` backs up a Tessera database, and `psql -f` restores the dump
 * into a fresh Tessera worker and into a real PostgreSQL 15 with the same data and schema.
 *
 * A worker gets a schema with every object kind pg_dump handles here (schemas, an enum,
 * serial, identity and generated columns, defaults, primary / unique / check / (deferrable)
 * foreign keys, plain, descending, expression and partial indexes, a view, a materialized
 * view, a partitioned table, a sequence with a value, SQL and PL/pgSQL functions, comments)
 * and rows. The schema-only and full dumps must succeed; the full dump must equal, line for
 * line, what pg_dump writes for a PostgreSQL 15 given the same statements (only the server
 * version line differs). Both restores are then compared through data and catalog queries.
 *
 * A coordinator: pg_dump of a `tessera cluster` with a distributed and a reference table
 * dumps their shell tables and, through COPY TO STDOUT, the rows of every shard; restoring
 * into PostgreSQL gives the same rows.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { psql, startCluster, startReferencePostgres, type ReferencePostgres,
  type TesseraCluster } from "../harness/index.js";

const run = promisify(execFile);

const schema = `
CREATE SCHEMA app;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE SEQUENCE app.counter START 10 INCREMENT 5;
SELECT nextval('app.counter');
CREATE TABLE customers (
  id serial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text DEFAULT 'anon',
  feeling mood,
  score numeric(10,2) CHECK (score >= 0),
  created date DEFAULT '2024-05-06'
);
CREATE TABLE app.orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id int NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  amount numeric NOT NULL DEFAULT 0,
  note varchar(40),
  CONSTRAINT amount_positive CHECK (amount >= 0)
);
CREATE INDEX orders_customer_idx ON app.orders (customer_id);
CREATE INDEX customers_lower_email ON customers (lower(email));
CREATE INDEX orders_big ON app.orders (amount) WHERE amount > 100;
CREATE VIEW big_orders AS SELECT o.id, c.email, o.amount FROM app.orders o
  JOIN customers c ON c.id = o.customer_id WHERE o.amount > 100;
CREATE FUNCTION add_one(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
COMMENT ON TABLE customers IS 'people who buy';
COMMENT ON COLUMN customers.email IS 'login';
INSERT INTO customers (email, name, feeling, score) VALUES ('a@x', 'Ann', 'happy', 10.5),
  ('b@x', 'Bob', 'sad', 0), ('c@x', NULL, NULL, NULL);
INSERT INTO app.orders (customer_id, amount, note) VALUES (1, 50, 'first'), (1, 150, 'big'),
  (2, 200, E'tab\\there'), (3, 0, NULL);
CREATE TABLE items (
  id int PRIMARY KEY,
  price numeric(8,2) NOT NULL,
  qty int NOT NULL DEFAULT 1,
  total numeric GENERATED ALWAYS AS (price * qty) STORED,
  tags text[],
  created timestamptz DEFAULT now(),
  code varchar(10),
  UNIQUE (code, qty)
);
CREATE INDEX items_price_desc ON items (price DESC);
CREATE UNIQUE INDEX items_code_lower ON items (lower(code)) WHERE code IS NOT NULL;
CREATE MATERIALIZED VIEW item_totals AS SELECT qty, sum(total) AS s FROM items GROUP BY qty;
CREATE FUNCTION bump(n int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN n + 1; END $$;
CREATE FUNCTION item_count() RETURNS bigint LANGUAGE sql STABLE AS 'SELECT count(*) FROM items';
CREATE TABLE measurements (city int NOT NULL, at date NOT NULL, v int) PARTITION BY RANGE (at);
CREATE TABLE measurements_2024 PARTITION OF measurements
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE child (id int PRIMARY KEY,
  item_id int REFERENCES items(id) DEFERRABLE INITIALLY DEFERRED,
  note text CHECK (length(note) < 20));
INSERT INTO items (id, price, qty, tags, created, code) VALUES
  (1, 2.50, 4, '{a,b}', '2024-01-01 10:00+00', 'X1'), (2, 10, 1, NULL, '2024-01-02 10:00+00', NULL);
INSERT INTO measurements VALUES (1, '2024-03-01', 5);
INSERT INTO child VALUES (1, 1, 'ok');
REFRESH MATERIALIZED VIEW item_totals;
`;

/** Data and catalog queries whose answers must agree between the two restores. */
const checks = [
  "SELECT * FROM customers ORDER BY id",
  "SELECT * FROM app.orders ORDER BY id",
  "SELECT * FROM big_orders ORDER BY id",
  "SELECT add_one(41)",
  "SELECT last_value, is_called FROM app.counter",
  "SELECT nextval('customers_id_seq'), nextval('app.counter')",
  "SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n" +
    " ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'app') ORDER BY 1, 2",
  "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint" +
    " WHERE conrelid IN ('customers'::regclass, 'app.orders'::regclass) ORDER BY 1",
  "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname IN ('public', 'app')" +
    " ORDER BY 1",
  "SELECT table_schema, table_name, column_name, data_type, column_default, is_nullable," +
    " is_identity FROM information_schema.columns WHERE table_schema IN ('public', 'app')" +
    " ORDER BY 1, 2, ordinal_position",
  "SELECT obj_description('customers'::regclass, 'pg_class')," +
    " col_description('customers'::regclass, 2)",
  "SELECT enumlabel FROM pg_enum ORDER BY enumsortorder",
  "SELECT pg_get_viewdef('big_orders'::regclass)",
  "SELECT * FROM items ORDER BY id",
  "SELECT * FROM item_totals ORDER BY qty",
  "SELECT * FROM measurements", "SELECT * FROM measurements_2024",
  "SELECT * FROM child",
  "SELECT bump(1), item_count()",
  "SELECT relname, relkind, relispartition FROM pg_class" +
    " WHERE relname LIKE 'measurements%' ORDER BY 1",
];

async function pgDump(port: number, args: readonly string[] = []): Promise<string> {
  const { stdout } = await run("pg_dump", ["-h", "127.0.0.1", "-p", String(port),
    "-U", "postgres", ...args, "postgres"], { maxBuffer: 64 << 20, timeout: 120_000 });
  return stdout;
}

/** Restores a dump file with `psql -v ON_ERROR_STOP=1 -f`, as a user would. */
async function restore(port: number, dump: string, dir: string): Promise<void> {
  const file = join(dir, `dump-${port}.sql`);
  await writeFile(file, dump);
  await run("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
    String(port), "-U", "postgres", "-d", "postgres", "-f", file], { timeout: 120_000 });
}

/** Runs the same queries on two servers and expects the same answers. */
async function sameAnswers(source: number, target: number, queries: readonly string[],
  what: string): Promise<void> {
  for (const sql of queries) {
    const [expected, actual] = await Promise.all([psql(source, sql, { tuplesOnly: true }),
      psql(target, sql, { tuplesOnly: true })]);
    assert.equal(actual, expected, `${what}: ${sql}`);
  }
}

/** The dump without what legitimately differs: the server version and psql's \restrict key. */
function comparable(dump: string): string {
  return dump.split("\n").filter((line) => !line.startsWith("-- Dumped from database version")
    && !line.startsWith("\\restrict") && !line.startsWith("\\unrestrict")).join("\n");
}

describe("pg_dump of a Tessera worker", () => {
  let tessera: TesseraCluster;
  let restoredTessera: TesseraCluster;
  let reference: ReferencePostgres;
  let restoredReference: ReferencePostgres;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tessera-pg-dump-"));
    [tessera, restoredTessera, reference, restoredReference] = await Promise.all([
      startCluster({ role: "worker" }), startCluster({ role: "worker" }),
      startReferencePostgres(), startReferencePostgres()]);
    await psql(tessera.port, schema);
    await psql(reference.port, schema);
  });

  after(async () => {
    await Promise.all([tessera?.stop(), restoredTessera?.stop(), reference?.stop(),
      restoredReference?.stop()]);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  test("a schema-only dump succeeds and has no COPY", async () => {
    const dump = await pgDump(tessera.port, ["-s"]);
    assert.match(dump, /CREATE TABLE public\.customers/);
    assert.match(dump, /CREATE VIEW public\.big_orders AS/);
    assert.doesNotMatch(dump, /^COPY /m);
  });

  test("the full dump is what pg_dump writes for PostgreSQL 15", async () => {
    const [ours, theirs] = await Promise.all([pgDump(tessera.port), pgDump(reference.port)]);
    assert.equal(comparable(ours), comparable(theirs));
  });

  test("the dump restores into PostgreSQL 15 and into Tessera alike", async () => {
    const dump = await pgDump(tessera.port);
    await restore(restoredReference.port, dump, dir);
    await restore(restoredTessera.port, dump, dir);
    for (const sql of checks) {
      const [source, intoPostgres, intoTessera] = await Promise.all([
        psql(tessera.port, sql, { tuplesOnly: true }),
        psql(restoredReference.port, sql, { tuplesOnly: true }),
        psql(restoredTessera.port, sql, { tuplesOnly: true })]);
      assert.equal(intoPostgres, source, `PostgreSQL restore: ${sql}`);
      assert.equal(intoTessera, source, `Tessera restore: ${sql}`);
    }
  });

  test("a dump of the restored Tessera equals the first dump", async () => {
    const [first, second] = await Promise.all([pgDump(tessera.port),
      pgDump(restoredTessera.port)]);
    // nextval above advanced the sequences of the source and of the restore alike.
    assert.equal(comparable(second), comparable(first));
  });
});

const clusterSchema = `
CREATE TABLE events (tenant int NOT NULL, id bigint NOT NULL, kind text DEFAULT 'click',
  payload jsonb, PRIMARY KEY (tenant, id));
SELECT create_distributed_table('events', 'tenant');
CREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL);
SELECT create_reference_table('countries');
CREATE TABLE local_notes (id serial PRIMARY KEY, body text);
INSERT INTO countries VALUES ('de', 'Germany'), ('fr', 'France'), ('jp', 'Japan');
INSERT INTO events SELECT g % 17, g, CASE WHEN g % 3 = 0 THEN 'view' ELSE 'click' END,
  jsonb_build_object('n', g) FROM generate_series(1, 500) g;
INSERT INTO local_notes (body) VALUES ('hello'), ('world');
`;

const clusterChecks = [
  "SELECT count(*), sum(id), count(DISTINCT tenant) FROM events",
  "SELECT * FROM events ORDER BY tenant, id",
  "SELECT * FROM countries ORDER BY code",
  "SELECT * FROM local_notes ORDER BY id",
  "SELECT table_name, column_name, data_type, column_default, is_nullable" +
    " FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, ordinal_position",
  "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint" +
    " WHERE connamespace = 'public'::regnamespace ORDER BY 1",
];

describe("pg_dump of a Citus-style coordinator", () => {
  let cluster: TesseraCluster;
  let reference: ReferencePostgres;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tessera-pg-dump-"));
    [cluster, reference] = await Promise.all([startCluster({ workers: 2 }),
      startReferencePostgres()]);
    await psql(cluster.port, clusterSchema);
  });

  after(async () => {
    await Promise.all([cluster?.stop(), reference?.stop()]);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  test("dumps the shell tables and every shard's rows; PostgreSQL restores the same", async () => {
    const dump = await pgDump(cluster.port);
    assert.match(dump, /CREATE TABLE public\.events \(/);
    const copied = /^COPY public\.events [^\n]*\n([\s\S]*?)^\\\.$/m.exec(dump);
    assert.equal(copied?.[1]?.split("\n").filter((l) => l !== "").length, 500);
    await restore(reference.port, dump, dir);
    await sameAnswers(cluster.port, reference.port, clusterChecks, "PostgreSQL restore");
  });
});
