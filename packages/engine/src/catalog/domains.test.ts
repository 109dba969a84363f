import { test } from "node:test";
import assert from "node:assert/strict";
import { initParser } from "@tessera/sql";
import { Engine } from "../engine.js";
import { MemoryFileSystem } from "../wal/memory-fs.js";
import { TestClient } from "../txn/test-client.js";

const dir = "/data";

async function open(fs: MemoryFileSystem): Promise<Engine> {
  await initParser();
  return Engine.open({ dataDir: dir, fs });
}

const catalogRows = "select t.oid::int, t.typarray::int, t.typname, t.typnotnull, " +
  "t.typdefault, c.oid::int, c.conname, c.convalidated, pg_get_constraintdef(c.oid) " +
  "from pg_type t left join pg_constraint c on c.contypid = t.oid where t.typtype = 'd' " +
  "order by t.typname, c.conname";

/** The SQLSTATE a statement fails with. */
async function failure(client: TestClient, sql: string): Promise<string | undefined> {
  return client.query(sql).then(() => undefined, (e: Error & { code?: string }) => e.code);
}

test("domains, their OIDs, constraints and defaults survive a crash and a checkpoint",
  async () => {
    const fs = new MemoryFileSystem();
    const a = new TestClient(await open(fs));
    await a.query("create domain posint as int check (value > 0)");
    await a.query("create domain label as text not null default 'none'");
    await a.query("create table t (id int primary key, q posint, l label)");
    await a.query("insert into t (id, q) values (1, 5), (2, 7)");
    await a.query("alter domain posint add constraint small check (value < 100)");
    await a.query("alter domain posint add constraint big check (value > 6) not valid");
    await a.query("alter domain label set default 'dflt'");
    await a.query("begin; alter domain posint rename constraint small to tiny; rollback");
    await a.query("create domain gone as int; drop domain gone");
    const before = await a.query(catalogRows);
    const rows = await a.query("select id, q, l from t order by id");
    assert.deepEqual(rows, [["1", "5", "none"], ["2", "7", "none"]]);
    fs.crash();
    const b = new TestClient(await open(fs));
    assert.deepEqual(await b.query(catalogRows), before);
    assert.deepEqual(await b.query("select id, q, l from t order by id"), rows);
    assert.equal(await failure(b, "insert into t values (3, 200, 'x')"), "23514");
    assert.equal(await failure(b, "insert into t values (3, 6, 'x')"), "23514");
    assert.equal(await failure(b, "select 1::gone"), "42704");
    const engine = await open(fs);
    await engine.checkpoint();
    await engine.close();
    const c = new TestClient(await open(fs));
    assert.deepEqual(await c.query(catalogRows), before);
    await c.query("insert into t (id, q) values (3, 8)");
    assert.deepEqual(await c.query("select l from t where id = 3"), [["dflt"]]);
    assert.equal(await failure(c, "insert into t values (4, 8, null)"), "23502");
  });

test("a rolled-back CREATE DOMAIN leaves nothing; values act as the base type", async () => {
  const a = new TestClient(await open(new MemoryFileSystem()));
  await a.query("begin; create domain tmp as int; rollback");
  assert.equal(await failure(a, "select 1::tmp"), "42704");
  await a.query("create domain posint as int check (value > 0)");
  assert.deepEqual(await a.query("select 2::posint * 3, pg_typeof(2::posint * 3)::text, " +
    "pg_typeof(2::posint)::text"), [["6", "integer", "posint"]]);
  assert.deepEqual(await a.query("select coalesce(null::posint, 0), greatest(3::posint, 4)"),
    [["0", "4"]]);
  assert.deepEqual(await a.query("select array[1, 2]::posint[]"), [["{1,2}"]]);
  assert.equal(await failure(a, "select array[1, -2]::posint[]"), "23514");
  await a.query("create table t (q posint)");
  await a.query("create index on t (q)");
  await a.query("insert into t select g from generate_series(1, 50) g");
  assert.deepEqual(await a.query("select count(*) from t where q between 10 and 19"), [["10"]]);
  assert.equal(await failure(a, "update t set q = q - 1"), "23514");
  assert.deepEqual(await a.query("select min(q), max(q) from t"), [["1", "50"]]);
});
