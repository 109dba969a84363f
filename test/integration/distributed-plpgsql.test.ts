/**
 * PL/pgSQL on a real `tessera cluster --workers 2`, compared with PostgreSQL 15 holding the
 * same plain tables: CREATE FUNCTION … LANGUAGE plpgsql reaches every worker (so a
 * multi-shard query calls it in the fragments pushed down to them); a DO block, a top-level
 * `SELECT f(…)` and a CALL run their statements on distributed tables through the
 * distributed planner, all of them in one distributed transaction (a failure after writes
 * on both workers leaves nothing), with BEGIN … EXCEPTION blocks as savepoints on every
 * worker; a function called by a query that would read a distributed table inside the
 * coordinator's local statement is refused with 0A000. A refcursor a function or procedure
 * returns reads the distributed table through the planner and stays open for FETCH until
 * the transaction ends.
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
  test("refcursor results: a cursor's query runs on the distributed table", async () => {
    await both("CREATE FUNCTION big_orders(lo numeric) RETURNS refcursor LANGUAGE plpgsql " +
      "AS $$ DECLARE c refcursor; BEGIN OPEN c FOR SELECT id, customer, amount FROM orders " +
      "WHERE amount >= lo ORDER BY id; RETURN c; END $$");
    await both("CREATE FUNCTION order_cursors() RETURNS SETOF refcursor LANGUAGE plpgsql " +
      "AS $$ DECLARE a refcursor := 'per_customer'; b refcursor := 'customer_sum'; BEGIN " +
      "OPEN a FOR SELECT customer, count(*) FROM orders GROUP BY customer ORDER BY customer; " +
      "RETURN NEXT a; OPEN b FOR EXECUTE 'SELECT sum(amount) FROM orders WHERE customer = $1' " +
      "USING 2; RETURN NEXT b; END $$");
    await both("CREATE PROCEDURE orders_of(c int, INOUT cur refcursor) LANGUAGE plpgsql AS $$ " +
      "BEGIN OPEN cur FOR SELECT id FROM orders WHERE customer = c ORDER BY id; END $$");
    await both("BEGIN");
    const [opened] = await same("SELECT big_orders(50)");
    const name = String(opened?.["big_orders"]);
    await same(`FETCH 3 FROM "${name}"`);
    await same(`MOVE FORWARD 2 IN "${name}"`);
    await same(`FETCH ALL FROM "${name}"`);
    await same("SELECT * FROM order_cursors()");
    await same("FETCH ALL FROM per_customer");
    await same("FETCH ALL FROM customer_sum");
    await same("CALL orders_of(3, 'of_three')");
    await same("FETCH ALL FROM of_three");
    await same("SELECT name, is_holdable FROM pg_cursors ORDER BY name");
    await both("COMMIT");
    await bothFail(`FETCH ALL FROM "${name}"`);
  });
  /** Runs `sql` on both servers; both must fail with the same code and message. */
  const bothFail = async (sql: string): Promise<void> => {
    const expected = await failureOf(servers.postgres, sql);
    const actual = await failureOf(tessera, sql);
    assert.deepEqual(actual, expected, sql);
  };
  /** Runs `sql` on both servers and compares the notices it sends. */
  const sameNotices = async (sql: string): Promise<string[]> => {
    const expected = await noticesOf(servers.postgres, sql);
    const actual = await noticesOf(tessera, sql);
    assert.deepEqual(actual, expected, sql);
    return actual;
  };
  const ledger = (): Promise<Rows> => same("SELECT id, v FROM ledger ORDER BY id");
  const audit = (): Promise<Rows> => same("SELECT n, msg FROM audit ORDER BY n, msg");

  test("a DO block or a call is one transaction: a failure after writes leaves nothing",
    async () => {
      await both("CREATE TABLE ledger (id int PRIMARY KEY, v int)");
      await q("SELECT create_distributed_table('ledger', 'id')");
      await both("INSERT INTO ledger SELECT g, 0 FROM generate_series(1, 20) g");
      assert.deepEqual(await q("SELECT count(DISTINCT nodeport)::int AS n FROM citus_shards " +
        "WHERE table_name = 'ledger'::regclass"), [{ n: 2 }]);
      // Writes on every shard of both workers and on a local table, then a failure.
      await bothFail(`DO $$ BEGIN
          UPDATE ledger SET v = v + 1;
          INSERT INTO ledger VALUES (21, 1), (22, 2), (23, 3);
          INSERT INTO audit VALUES (50, 'vanishes');
          UPDATE ledger SET v = 10 / (v - 1) WHERE id = 5;
        END $$`);
      await bothFail(`DO $$ BEGIN
          DELETE FROM ledger WHERE id > 10;
          INSERT INTO ledger VALUES (1, 1);
        END $$`);
      await ledger();
      await audit();
      await both(`CREATE FUNCTION bump_all(d int) RETURNS bigint LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE ledger SET v = v + d;
          IF d > 5 THEN RAISE EXCEPTION 'too big: %', d; END IF;
          RETURN (SELECT sum(v) FROM ledger);
        END $$`);
      await bothFail("SELECT bump_all(10)");
      await ledger();
      await same("SELECT bump_all(2)");
      await ledger();
      await both(`CREATE PROCEDURE transfer(a int, b int, amount int) LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE ledger SET v = v - amount WHERE id = a;
          UPDATE ledger SET v = v + amount WHERE id = b;
          IF (SELECT v FROM ledger WHERE id = a) < 0 THEN
            RAISE EXCEPTION 'insufficient funds in %', a USING ERRCODE = 'check_violation';
          END IF;
        END $$`);
      await both("CALL transfer(1, 2, 1)");
      // Over the extended protocol, with parameters.
      for (const client of [servers.postgres, tessera]) {
        await client.query("CALL transfer($1, $2, $3)", [2, 3, 2]);
      }
      await bothFail("CALL transfer(3, 14, 1000)");
      await ledger();
      assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_prepared_xacts"), ["0", "0"]);
    });

  test("an EXCEPTION handler swallows a unique violation on a distributed table", async () => {
    await both(`DO $$ DECLARE i int; BEGIN
        FOR i IN 18..24 LOOP
          BEGIN
            INSERT INTO audit VALUES (i, 'try');
            INSERT INTO ledger VALUES (i, 100 + i);
          EXCEPTION WHEN unique_violation THEN
            UPDATE ledger SET v = v + 1000 WHERE id = i;
            INSERT INTO audit VALUES (i, 'duplicate ' || SQLSTATE);
          END;
        END LOOP;
      END $$`);
    await ledger();
    await audit();
    await both(`CREATE FUNCTION add_once(i int) RETURNS text LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ledger VALUES (i, 0);
        RETURN 'added';
      EXCEPTION WHEN unique_violation THEN
        RETURN 'exists: ' || SQLSTATE;
      END $$`);
    await same("SELECT add_once(3)");
    await same("SELECT add_once(25)");
    await both(`CREATE PROCEDURE upsert(i int, d int) LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ledger VALUES (i, d);
      EXCEPTION WHEN unique_violation THEN
        UPDATE ledger SET v = v + d WHERE id = i;
      END $$`);
    await both("CALL upsert(4, 7)");
    await both("CALL upsert(26, 7)");
    await ledger();
  });

  test("an error rolls back to the block's savepoint on every worker", async () => {
    await both(`DO $$ BEGIN
        UPDATE ledger SET v = v + 1 WHERE id = 1;
        BEGIN
          UPDATE ledger SET v = v * 2;
          INSERT INTO ledger VALUES (30, 30), (31, 31), (32, 32), (33, 33);
          INSERT INTO audit VALUES (60, 'vanishes');
          INSERT INTO ledger VALUES (1, 1);
        EXCEPTION WHEN unique_violation THEN
          INSERT INTO audit VALUES (61, 'caught');
        END;
        UPDATE ledger SET v = v + 1 WHERE id = 2;
      END $$`);
    await ledger();
    await audit();
    // The first statement on the workers runs inside the block: their connections open there.
    const notices = await sameNotices(`DO $$ DECLARE st text; msg text; BEGIN
        BEGIN
          INSERT INTO ledger VALUES (40, 40), (41, 41), (42, 42), (43, 43);
          PERFORM 1 / 0;
        EXCEPTION WHEN division_by_zero THEN
          GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
          RAISE NOTICE 'caught % %: %', SQLSTATE, st, msg;
        END;
        INSERT INTO ledger VALUES (44, 44);
      END $$`);
    assert.deepEqual(notices, ["caught 22012 22012: division by zero"]);
    await ledger();
    const caught = await sameNotices(`DO $$ BEGIN
        INSERT INTO ledger VALUES (45, 45), (46, 46);
        INSERT INTO ledger VALUES (45, 0);
      EXCEPTION WHEN unique_violation THEN
        RAISE NOTICE 'state %', SQLSTATE;
      END $$`);
    assert.deepEqual(caught, ["state 23505"]);
    await ledger();
    assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_prepared_xacts"), ["0", "0"]);
  });

  test("nested blocks: an inner handler re-raises, an outer one catches", async () => {
    await both(`DO $$ BEGIN
        INSERT INTO ledger VALUES (50, 1);
        BEGIN
          INSERT INTO ledger VALUES (51, 1), (52, 1);
          BEGIN
            INSERT INTO ledger VALUES (53, 1), (54, 1);
            INSERT INTO ledger VALUES (50, 2);
          EXCEPTION WHEN unique_violation THEN
            INSERT INTO audit VALUES (70, 'inner ' || SQLSTATE);
            RAISE;
          END;
        EXCEPTION WHEN others THEN
          INSERT INTO audit VALUES (71, 'middle ' || SQLSTATE);
          INSERT INTO ledger VALUES (55, 1);
        END;
        BEGIN
          INSERT INTO ledger VALUES (56, 1), (57, 1);
        EXCEPTION WHEN others THEN
          INSERT INTO audit VALUES (72, 'not reached');
        END;
      END $$`);
    await ledger();
    await audit();
    // A handler that does not match lets the error out of the whole block: nothing stays.
    await bothFail(`DO $$ BEGIN
        INSERT INTO ledger VALUES (60, 1);
        BEGIN
          INSERT INTO ledger VALUES (61, 1), (62, 1);
          INSERT INTO ledger VALUES (60, 1);
        EXCEPTION WHEN division_by_zero THEN
          INSERT INTO audit VALUES (73, 'not reached');
        END;
      END $$`);
    // A handler's own error replaces the one it caught.
    await bothFail(`DO $$ BEGIN
        INSERT INTO ledger VALUES (63, 1);
        BEGIN
          INSERT INTO ledger VALUES (63, 1);
        EXCEPTION WHEN unique_violation THEN
          RAISE EXCEPTION 'duplicate id %', 63 USING DETAIL = SQLERRM;
        END;
      END $$`);
    await ledger();
    await audit();
  });

  test("functions called in a block run in its transaction and its savepoints", async () => {
    await both(`CREATE FUNCTION add_pair(i int) RETURNS text LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ledger VALUES (i, 0), (i + 1000, 0);
        INSERT INTO audit VALUES (i, 'pair');
        RETURN 'added';
      EXCEPTION WHEN unique_violation THEN
        INSERT INTO audit VALUES (-i, 'pair exists');
        RETURN 'exists';
      END $$`);
    const notices = await sameNotices(`DO $$ DECLARE r text; BEGIN
        PERFORM add_pair(301);
        BEGIN
          r := add_pair(302);
          SELECT add_pair(301) INTO r;
          RAISE NOTICE 'second call: %', r;
          INSERT INTO ledger VALUES (305, 5), (306, 6);
          PERFORM 1 / 0;
        EXCEPTION WHEN division_by_zero THEN
          RAISE NOTICE 'block undone';
        END;
        r := add_pair(303);
      END $$`);
    assert.deepEqual(notices, ["second call: exists", "block undone"]);
    await ledger();
    await audit();
  });

  test("DDL on a distributed table in an EXCEPTION block is undone on every shard", async () => {
    const addNote = "DO $$ BEGIN ALTER TABLE ledger ADD COLUMN note text DEFAULT 'n'; " +
      "EXCEPTION WHEN duplicate_column THEN RAISE NOTICE 'note exists'; END $$";
    assert.deepEqual(await sameNotices(addNote), []);
    assert.deepEqual(await sameNotices(addNote), ["note exists"]);
    await sameNotices(`DO $$ BEGIN
        ALTER TABLE ledger ADD COLUMN w int;
        INSERT INTO ledger VALUES (400, 4, 'w', 4);
        PERFORM 1 / 0;
      EXCEPTION WHEN division_by_zero THEN
        RAISE NOTICE 'undone';
      END $$`);
    await same("SELECT id, v, note FROM ledger ORDER BY id");
    assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_attribute WHERE attname = 'w' " +
      "AND attrelid::regclass::text LIKE 'ledger\\_1%'"), ["0", "0"]);
    assert.deepEqual(await onWorkers("SELECT count(DISTINCT attrelid) FROM pg_attribute " +
      "WHERE attname = 'note' AND attrelid::regclass::text LIKE 'ledger\\_1%'"), ["16", "16"]);
  });

  test("COMMIT and ROLLBACK in a CALL or DO outside a block end its transactions", async () => {
    await both(`CREATE PROCEDURE batches(first int) LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ledger VALUES (first, 1), (first + 1, 1);
        COMMIT;
        INSERT INTO ledger VALUES (first + 2, 1);
        ROLLBACK;
        UPDATE ledger SET v = v + 1 WHERE id >= first;
        INSERT INTO audit VALUES (first, 'batch');
        COMMIT;
        INSERT INTO ledger VALUES (first + 3, 1);
        RAISE EXCEPTION 'stop after %', first;
      END $$`);
    await bothFail("CALL batches(100)");
    await ledger();
    await audit();
    await bothFail(`DO $$ BEGIN
        INSERT INTO ledger VALUES (110, 1);
        BEGIN
          INSERT INTO ledger VALUES (111, 1);
          COMMIT;
        END;
      EXCEPTION WHEN invalid_transaction_termination THEN
        RAISE EXCEPTION 'caught: %', SQLERRM;
      END $$`);
    await both("BEGIN");
    await bothFail("CALL batches(120)");
    await both("ROLLBACK");
    await ledger();
  });

  test("inside BEGIN … COMMIT the run belongs to the block", async () => {
    const block = `DO $$ BEGIN
        INSERT INTO ledger VALUES (80, 1), (81, 1), (82, 1);
        BEGIN
          UPDATE ledger SET v = v + 1 WHERE id >= 80;
          INSERT INTO ledger VALUES (80, 9);
        EXCEPTION WHEN unique_violation THEN
          INSERT INTO audit VALUES (80, 'caught in block');
        END;
      END $$`;
    await both("BEGIN");
    await both(block);
    await same("SELECT id, v FROM ledger WHERE id >= 80 ORDER BY id");
    await both("ROLLBACK");
    await ledger();
    await both("BEGIN");
    await both("INSERT INTO ledger VALUES (90, 1)");
    await both("SAVEPOINT s");
    await bothFail("DO $$ BEGIN INSERT INTO ledger VALUES (91, 1), (92, 1); " +
      "INSERT INTO ledger VALUES (90, 2); END $$");
    await both("ROLLBACK TO SAVEPOINT s");
    await both(block);
    await both("INSERT INTO ledger VALUES (93, 1)");
    await both("COMMIT");
    await ledger();
    await audit();
  });
});

/** The code and message of the failure of `sql`; shard names (t_pkey_102008) as the table's. */
async function failureOf(client: pg.Client, sql: string): Promise<{ code: string;
  message: string }> {
  const error = await client.query(sql).then(() => undefined, (e: pg.DatabaseError) => e);
  assert.ok(error !== undefined, `${sql} succeeded`);
  return { code: error.code ?? "", message: error.message.replace(/_1\d{5}\b/g, "") };
}

/** The notices `sql` sends. */
async function noticesOf(client: pg.Client, sql: string): Promise<string[]> {
  const notices: string[] = [];
  const listen = (n: { message?: string | undefined }): void => {
    notices.push(n.message ?? "");
  };
  client.on("notice", listen);
  try {
    await client.query(sql);
  } finally {
    client.off("notice", listen);
  }
  return notices;
}
