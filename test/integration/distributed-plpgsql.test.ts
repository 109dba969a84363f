/**
 * PL/pgSQL on a real `tessera cluster --workers 2`, compared with PostgreSQL 15 holding the
 * same plain tables: CREATE FUNCTION … LANGUAGE plpgsql reaches every worker (so a
 * multi-shard query calls it in the fragments pushed down to them); a DO block and a
 * top-level `SELECT f(…)` run their statements on distributed tables through the
 * distributed planner; a function called by a query that would read a distributed table
 * inside the coordinator's local statement is refused with 0A000.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import {
  onWorkers as workerResults,
  SideBySide, clusterBesidePostgres, type ClusterBesidePostgres, type Rows,
} from "../harness/index.js";

describe("PL/pgSQL across the cluster", () => {
  let tessera: pg.Client;
  let side: SideBySide;
  let servers: ClusterBesidePostgres;
  const onWorkers = (sql: string): Promise<string[]> => workerResults(tessera, sql);
  const q = async (sql: string): Promise<Rows> => (await tessera.query(sql)).rows as Rows;
  const both = (sql: string): Promise<void> => side.both(sql);
  const same = (sql: string): Promise<Rows> => side.same(sql);

  before(async () => {
    servers = await clusterBesidePostgres();
    ({ tessera, side } = servers);
    await both("CREATE TABLE orders (id int PRIMARY KEY, customer int, amount numeric)");
    await q("SELECT create_distributed_table('orders', 'id')");
    await both("INSERT INTO orders SELECT g, g % 5, g * 1.5 FROM generate_series(1, 40) g");
    await both("CREATE TABLE audit (n int, msg text)");
  });
  after(async () => {
    await servers?.stop();
  });

  test("functions reach the workers and run in pushed-down fragments", async () => {
    await both("CREATE FUNCTION tier(amount numeric) RETURNS text LANGUAGE plpgsql " +
      "IMMUTABLE AS $$ BEGIN IF amount > 30 THEN RETURN 'big'; ELSIF amount > 10 THEN " +
      "RETURN 'mid'; END IF; RETURN 'small'; END $$");
    assert.deepEqual(await onWorkers("SELECT tier(50)"), ["big", "big"]);
    await same("SELECT tier(amount), count(*) FROM orders GROUP BY 1 ORDER BY 1");
    await same("SELECT id, tier(amount) FROM orders WHERE id = 7");
    await both("CREATE OR REPLACE FUNCTION tier(amount numeric) RETURNS text " +
      "LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN CASE WHEN amount > 20 THEN 'high' " +
      "ELSE 'low' END; END $$");
    assert.deepEqual(await onWorkers("SELECT tier(50)"), ["high", "high"]);
    await same("SELECT tier(amount), count(*) FROM orders GROUP BY 1 ORDER BY 1");
  });

  test("a DO block runs its statements on distributed tables through the planner",
    async () => {
      await both(`DO $$
        DECLARE r record; total numeric := 0;
        BEGIN
          FOR r IN SELECT id, amount FROM orders WHERE customer = 2 ORDER BY id LOOP
            total := total + r.amount;
            UPDATE orders SET amount = amount + 1 WHERE id = r.id;
          END LOOP;
          INSERT INTO audit VALUES (1, 'customer 2 total ' || total);
          INSERT INTO orders VALUES (100, 9, total);
        END $$`);
      await same("SELECT * FROM audit ORDER BY n");
      await same("SELECT id, customer, amount FROM orders WHERE customer IN (2, 9) ORDER BY id");
      const notices: string[] = [];
      const listen = (n: { message?: string | undefined }): void => {
        notices.push(n.message ?? "");
      };
      tessera.on("notice", listen);
      await q("DO $$ BEGIN RAISE NOTICE 'start'; " +
        "RAISE NOTICE 'count %', (SELECT count(*) FROM orders); END $$");
      tessera.off("notice", listen);
      assert.deepEqual(notices, ["start", "count 41"]);
    });

  test("a top-level SELECT f(…) reads distributed tables through the planner", async () => {
    await both("CREATE FUNCTION customer_total(c int) RETURNS numeric LANGUAGE plpgsql AS $$ " +
      "DECLARE t numeric; BEGIN SELECT sum(amount) INTO t FROM orders WHERE customer = c; " +
      "IF NOT FOUND OR t IS NULL THEN RETURN 0; END IF; RETURN t; END $$");
    await same("SELECT customer_total(3)");
    await same("SELECT customer_total(42)");
    await both("CREATE FUNCTION local_count() RETURNS bigint LANGUAGE plpgsql AS $$ " +
      "BEGIN RETURN (SELECT count(*) FROM audit); END $$");
    await same("SELECT local_count()");
  });

  test("what cannot run on the coordinator is refused with 0A000", async () => {
    await both("CREATE FUNCTION order_amount(i int) RETURNS numeric LANGUAGE plpgsql AS $$ " +
      "BEGIN RETURN (SELECT amount FROM orders WHERE id = i); END $$");
    await assert.rejects(q("SELECT n, order_amount(n) FROM audit"),
      (e: pg.DatabaseError) => e.code === "0A000" && /distributed table orders/.test(e.message));
    await q("CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS " +
      "$$ BEGIN RETURN NEW; END $$");
    // As Citus with citus.enable_unsafe_triggers off (triggers.test.ts has the rest).
    await assert.rejects(q("CREATE TRIGGER t BEFORE INSERT ON orders FOR EACH ROW " +
      "EXECUTE FUNCTION touch()"), (e: pg.DatabaseError) => e.code === "XX000" &&
      /citus\.enable_unsafe_triggers/.test(e.message));
    const before = await q("SELECT amount FROM orders WHERE id = 1");
    await assert.rejects(q("DO $$ BEGIN UPDATE orders SET amount = 0 WHERE id = 1; " +
      "EXCEPTION WHEN others THEN NULL; END $$"), (e: pg.DatabaseError) => e.code === "0A000");
    assert.deepEqual(await q("SELECT amount FROM orders WHERE id = 1"), before);
  });
  test("a table with triggers is not distributed, as Citus refuses it", async () => {
    await q("CREATE TABLE stamped (id int PRIMARY KEY, at timestamptz)");
    await q("CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS " +
      "$$ BEGIN NEW.at := now(); RETURN NEW; END $$");
    await q("CREATE TRIGGER stamped_at BEFORE INSERT ON stamped FOR EACH ROW " +
      "EXECUTE FUNCTION stamp()");
    for (const call of ["create_distributed_table('stamped', 'id')",
      "create_reference_table('stamped')"]) {
      const error = await tessera.query(`SELECT ${call}`)
        .then(() => undefined, (e: pg.DatabaseError) => e);
      assert.equal(error?.message, 'cannot distribute relation "stamped" because it has triggers');
      assert.equal(error?.hint, 'Consider dropping all the triggers on "stamped" and retry.');
    }
    await q("DROP TRIGGER stamped_at ON stamped");
    await q("SELECT create_distributed_table('stamped', 'id')");
  });
  test("a migration DO block creates, distributes and alters tables", async () => {
    await q("DO $$ BEGIN CREATE TABLE mig (id int PRIMARY KEY, v int); " +
      "PERFORM create_distributed_table('mig', 'id'); INSERT INTO mig VALUES (1, 1), (2, 2); " +
      "CREATE TABLE mig_ref (id int PRIMARY KEY); PERFORM create_reference_table('mig_ref'); " +
      "END $$");
    assert.deepEqual(await q("SELECT logicalrelid::text AS t, partmethod FROM pg_dist_partition " +
      "WHERE logicalrelid::text LIKE 'mig%' ORDER BY 1"),
    [{ t: "mig", partmethod: "h" }, { t: "mig_ref", partmethod: "n" }]);
    const idempotent = "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM information_schema.columns " +
      "WHERE table_name = 'mig' AND column_name = 'note') THEN " +
      "ALTER TABLE mig ADD COLUMN note text DEFAULT 'n'; END IF; END $$";
    await q(idempotent);
    await q(idempotent);
    assert.deepEqual(await q("SELECT id, v, note FROM mig ORDER BY id"),
      [{ id: 1, v: 1, note: "n" }, { id: 2, v: 2, note: "n" }]);
    assert.deepEqual(await onWorkers("SELECT count(*) FROM information_schema.columns " +
      "WHERE table_name LIKE 'mig\\_1%' AND column_name = 'note'"), ["16", "16"]);
    await q("DO $$ BEGIN CREATE TABLE mig_local (a int); INSERT INTO mig_local VALUES (7); " +
      "END $$");
    assert.deepEqual(await q("SELECT a FROM mig_local"), [{ a: 7 }]);
  });
});
