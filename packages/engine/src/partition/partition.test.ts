import { test } from "node:test";
import assert from "node:assert/strict";
import { initParser } from "@tessera/sql";
import { Engine } from "../engine.js";
import { newEngine, run } from "../test-support/harness.js";
import { MemoryFileSystem } from "../wal/memory-fs.js";
import { TestClient } from "../txn/test-client.js";

type Err = Error & { code?: string; detail?: string };

async function ranged(): Promise<Engine> {
  const e = await newEngine();
  await run(e, "create table p (a int, b text) partition by range (a)");
  await run(e, "create table p1 partition of p for values from (minvalue) to (10)");
  await run(e, "create table p2 partition of p for values from (10) to (20)");
  await run(e, "create table pd partition of p default");
  await run(e, "insert into p values (5, 'x'), (15, 'y'), (100, 'z'), (null, 'n')");
  return e;
}

const rejectsWith = (code: string, message: string, detail?: string) => (err: Err): boolean =>
  err.code === code && err.message === message && (detail === undefined || err.detail === detail);

test("rows inserted through the parent land in their partitions", async () => {
  const e = await ranged();
  assert.deepEqual((await run(e, "select a from p1")).rows, [["5"]]);
  assert.deepEqual((await run(e, "select a from p2")).rows, [["15"]]);
  assert.deepEqual((await run(e, "select a from pd order by a")).rows, [["100"], [null]]);
  assert.deepEqual((await run(e, "select count(*) from p")).rows, [["4"]]);
  assert.deepEqual((await run(e, "select b from p where a = 15")).rows, [["y"]]);
});

test("bounds are checked against the siblings, with PostgreSQL's errors", async () => {
  const e = await ranged();
  await assert.rejects(run(e, "create table p3 partition of p for values from (15) to (30)"),
    rejectsWith("42P17", "partition \"p3\" would overlap partition \"p2\""));
  await assert.rejects(run(e, "create table p3 partition of p for values from (30) to (25)"),
    rejectsWith("42P17", "empty range bound specified for partition \"p3\"",
      "Specified lower bound (30) is greater than or equal to upper bound (25)."));
  await assert.rejects(run(e, "create table p3 partition of p default"),
    rejectsWith("42P17", "partition \"p3\" conflicts with existing default partition \"pd\""));
  await assert.rejects(run(e, "create table p3 partition of p for values in (1)"),
    rejectsWith("42P16", "invalid bound specification for a range partition"));
  await assert.rejects(run(e, "create table p3 partition of p for values from (100) to (200)"),
    rejectsWith("23514", "updated partition constraint for default partition \"pd\" would be " +
      "violated by some row"));
  await assert.rejects(run(e, "select * from p3"), (err: Err) => err.code === "42P01");
  await assert.rejects(run(e, "create table h (a numeric) partition by hash (a)"),
    (err: Err) => err.code === "0A000");
  await assert.rejects(run(e, "create table x (a int) partition by range ((a + 1))"),
    (err: Err) => err.code === "0A000" && err.message.includes("expressions"));
});

test("routing and partition constraint failures raise 23514", async () => {
  const e = await newEngine();
  await run(e, "create table l (k text, n int) partition by list (k)");
  await run(e, "create table l1 partition of l for values in ('a', null)");
  await assert.rejects(run(e, "insert into l values ('z', 1)"),
    rejectsWith("23514", "no partition of relation \"l\" found for row",
      "Partition key of the failing row contains (k) = (z)."));
  await assert.rejects(run(e, "insert into l1 values ('b', 1)"),
    rejectsWith("23514", "new row for relation \"l1\" violates partition constraint",
      "Failing row contains (b, 1)."));
  await run(e, "insert into l values (null, 2)");
  assert.deepEqual((await run(e, "select n from l1")).rows, [["2"]]);
});

test("UPDATE moves rows across partitions; DELETE and TRUNCATE reach every partition",
  async () => {
    const e = await ranged();
    await run(e, "update p set a = 12 where a = 5");
    assert.deepEqual((await run(e, "select a from p2 order by a")).rows, [["12"], ["15"]]);
    assert.deepEqual((await run(e, "select count(*) from p1")).rows, [["0"]]);
    await assert.rejects(run(e, "update p2 set a = 50"),
      (err: Err) => err.code === "23514" && err.message.includes("partition constraint"));
    const deleted = await run(e, "delete from p where a >= 15 returning a");
    assert.deepEqual(deleted.rows.map((r) => r[0]).sort(), ["100", "15"]);
    await run(e, "truncate p");
    assert.deepEqual((await run(e, "select count(*) from p")).rows, [["0"]]);
  });

test("catalog functions describe the partition tree", async () => {
  const e = await ranged();
  const rows = (await run(e, "select relname, relkind, relispartition, " +
    "pg_get_expr(relpartbound, oid) from pg_class where relname like 'p%' and " +
    "relnamespace = 2200 order by relname")).rows;
  assert.deepEqual(rows, [["p", "p", "f", null],
    ["p1", "r", "t", "FOR VALUES FROM (MINVALUE) TO (10)"],
    ["p2", "r", "t", "FOR VALUES FROM (10) TO (20)"], ["pd", "r", "t", "DEFAULT"]]);
  assert.deepEqual((await run(e, "select pg_get_partkeydef('p'::regclass)")).rows,
    [["RANGE (a)"]]);
  assert.deepEqual((await run(e,
    "select pg_get_partition_constraintdef('p2'::regclass)")).rows,
  [["((a IS NOT NULL) AND (a >= 10) AND (a < 20))"]]);
  assert.deepEqual((await run(e, "select relid::text, level from pg_partition_tree('p') " +
    "order by 1")).rows, [["p", "0"], ["p1", "1"], ["p2", "1"], ["pd", "1"]]);
  assert.deepEqual((await run(e, "select pg_partition_ancestors('p1')::text")).rows,
    [["p1"], ["p"]]);
});

test("EXPLAIN shows an Append over the partitions left after pruning", async () => {
  const e = await ranged();
  const plan = async (sql: string): Promise<string[]> =>
    (await run(e, `explain (costs off) ${sql}`)).rows.map((r) => r[0] as string);
  assert.deepEqual(await plan("select * from p where a = 5"),
    ["Seq Scan on p1 p", "  Filter: (a = 5)"]);
  assert.deepEqual(await plan("select * from p"), ["Append", "  ->  Seq Scan on p1 p_1",
    "  ->  Seq Scan on p2 p_2", "  ->  Seq Scan on pd p_3"]);
  assert.deepEqual(await plan("select * from p where a < 12"), ["Append",
    "  ->  Seq Scan on p1 p_1", "        Filter: (a < 12)", "  ->  Seq Scan on p2 p_2",
    "        Filter: (a < 12)"]);
  assert.deepEqual(await plan("select * from p where a = 1 and a = 2"),
    ["Result", "  One-Time Filter: false"]);
});

test("parameters prune at run time", async () => {
  const e = await ranged();
  assert.deepEqual((await run(e, "select b from p where a = $1", [15], [23])).rows, [["y"]]);
  assert.deepEqual((await run(e, "select b from p where a = $1", [null], [23])).rows, []);
});

test("indexes, primary keys and columns reach the partitions", async () => {
  const e = await newEngine();
  await assert.rejects(run(e, "create table k (id int primary key, r text) " +
    "partition by list (r)"), (err: Err) => err.code === "0A000" &&
    err.message === "unique constraint on partitioned table must include all partitioning " +
      "columns");
  await run(e, "create table k (id int, r text, primary key (id, r)) partition by list (r)");
  await run(e, "create table k_eu partition of k for values in ('eu')");
  await run(e, "insert into k values (1, 'eu')");
  await assert.rejects(run(e, "insert into k values (1, 'eu')"), (err: Err) =>
    err.code === "23505" && err.message.includes("k_eu_pkey"));
  await run(e, "insert into k values (1, 'eu') on conflict do nothing");
  await run(e, "alter table k add column note text default 'n'");
  assert.deepEqual((await run(e, "select note from k_eu")).rows, [["n"]]);
  await run(e, "create index on k (note)");
  assert.deepEqual((await run(e, "select indexname from pg_indexes where tablename = 'k_eu' " +
    "order by 1")).rows, [["k_eu_note_idx"], ["k_eu_pkey"]]);
  await run(e, "alter table k drop column note");
  await run(e, "create table k_us (id int not null, r text not null)");
  await run(e, "insert into k_us values (2, 'us')");
  await assert.rejects(run(e, "alter table k attach partition k_us for values in ('sa')"),
    rejectsWith("23514", "partition constraint of relation \"k_us\" is violated by some row"));
  await run(e, "alter table k attach partition k_us for values in ('us')");
  assert.deepEqual((await run(e, "select id, r from k order by id")).rows,
    [["1", "eu"], ["2", "us"]]);
  await run(e, "alter table k detach partition k_us");
  assert.deepEqual((await run(e, "select count(*) from k")).rows, [["1"]]);
  await run(e, "drop table k");
  await assert.rejects(run(e, "select * from k_eu"), (err: Err) => err.code === "42P01");
  assert.deepEqual((await run(e, "select count(*) from k_us")).rows, [["1"]]);
});

test("partitioning survives a crash, through the WAL and a checkpoint", async () => {
  await initParser();
  const fs = new MemoryFileSystem();
  const a = new TestClient(await Engine.open({ dataDir: "/data", fs }));
  await a.query("create table t (a int, b text) partition by range (a)");
  await a.query("create table t1 partition of t for values from (0) to (10) " +
    "partition by list (b)");
  await a.query("create table t1x partition of t1 for values in ('x')");
  await a.query("create table td partition of t default");
  await a.query("insert into t values (1, 'x'), (50, 'y')");
  await a.query("checkpoint");
  await a.query("insert into t values (2, 'x')");
  fs.crash();
  const b = new TestClient(await Engine.open({ dataDir: "/data", fs }));
  assert.deepEqual(await b.query("select a from t order by a"), [["1"], ["2"], ["50"]]);
  assert.deepEqual(await b.query("select a from t1x order by a"), [["1"], ["2"]]);
  assert.deepEqual(await b.query("select pg_get_expr(relpartbound, oid) from pg_class " +
    "where relname = 't1'"), [["FOR VALUES FROM (0) TO (10)"]]);
  await assert.rejects(b.query("insert into t values (3, 'q')"),
    (err: Err) => err.code === "23514");
});

test("foreign keys from and to partitioned tables", async () => {
  const e = await ranged();
  await run(e, "alter table p add primary key (a)");
  await run(e, "create table r (a int references p (a) on delete cascade)");
  await run(e, "insert into r values (5), (15)");
  await assert.rejects(run(e, "insert into r values (7)"), rejectsWith("23503",
    'insert or update on table "r" violates foreign key constraint "r_a_fkey"',
    'Key (a)=(7) is not present in table "p".'));
  assert.deepEqual((await run(e, "select conname, confrelid::regclass::text from " +
    "pg_constraint where conrelid = 'r'::regclass order by 1")).rows,
  [["r_a_fkey", "p"], ["r_a_fkey1", "p1"], ["r_a_fkey2", "p2"], ["r_a_fkey3", "pd"]]);
  await run(e, "delete from p2 where a = 15");
  assert.deepEqual((await run(e, "select a from r")).rows, [["5"]]);
  await run(e, "create table q (id int primary key)");
  await run(e, "insert into q values (1)");
  await run(e, "create table f (id int references q) partition by range (id)");
  await run(e, "create table f1 partition of f for values from (0) to (10)");
  await assert.rejects(run(e, "insert into f values (2)"), rejectsWith("23503",
    'insert or update on table "f1" violates foreign key constraint "f_id_fkey"'));
  await assert.rejects(run(e, "alter table f1 drop constraint f_id_fkey"),
    rejectsWith("42P16", 'cannot drop inherited constraint "f_id_fkey" of relation "f1"'));
});

test("hash partitions take the rows PostgreSQL gives them", async () => {
  const e = await newEngine();
  await run(e, "create table h (a int, b text) partition by hash (a)");
  for (let r = 0; r < 4; r++) {
    await run(e, `create table h${r} partition of h for values with (modulus 4, remainder ${r})`);
  }
  await run(e, "insert into h select g, 'v' || g from generate_series(1, 40) g");
  // As PostgreSQL 15 places them (hashint4extended with HASH_PARTITION_SEED).
  assert.deepEqual((await run(e, "select string_agg(a::text, ',' order by a) from h0")).rows,
    [["1,12,14,16,17,26,28,30,32,34"]]);
  assert.deepEqual((await run(e, "select string_agg(a::text, ',' order by a) from h2")).rows,
    [["2,13,18,23,25,27,39"]]);
  await assert.rejects(run(e, "create table hx partition of h for values with " +
    "(modulus 3, remainder 0)"), (err: Err) => err.code === "42P17" &&
    err.message === "every hash partition modulus must be a factor of the next larger modulus");
  const plan = (await run(e, "explain (costs off) select * from h where a = 7")).rows;
  assert.deepEqual(plan, [["Seq Scan on h3 h"], ["  Filter: (a = 7)"]]);
});

test("COPY FROM a file routes its rows; COPY TO of a partitioned table is refused", async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(join(tmpdir(), "partition-copy-"));
  try {
    const file = join(dir, "rows.tsv");
    writeFileSync(file, "5\tx\n15\ty\n99\tz\n");
    const e = await ranged();
    await run(e, `copy p from '${file}'`);
    assert.deepEqual((await run(e, "select count(*) from p1")).rows, [["2"]]);
    assert.deepEqual((await run(e, "select count(*) from pd")).rows, [["3"]]);
    await run(e, "create table c (a int) partition by list (a)");
    await run(e, "create table c1 partition of c for values in (1)");
    writeFileSync(file, "1\n2\n");
    await assert.rejects(run(e, `copy c from '${file}'`), (err: Err) =>
      err.code === "23514" && err.message === "no partition of relation \"c\" found for row");
    assert.deepEqual((await run(e, "select count(*) from c")).rows, [["0"]]);
    await assert.rejects(run(e, `copy p to '${join(dir, "out")}'`), (err: Err) =>
      err.code === "42809" && err.message === "cannot copy from partitioned table \"p\"");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
