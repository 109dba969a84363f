/**
 * Procedures from a client's side, against a real worker process: CALL of a procedure with
 * OUT and INOUT parameters through node-postgres's extended protocol (a parameterized CALL,
 * its RowDescription) and through psql; COMMIT and ROLLBACK inside procedures and DO blocks,
 * their 2D000 inside a transaction block, and committed work that survives a later error
 * and a restart.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { psql, startCluster, type TesseraCluster } from "../harness/index.js";

describe("procedures on a worker", () => {
  let worker: TesseraCluster;
  let client: pg.Client;
  before(async () => {
    worker = await startCluster({ role: "worker" });
    client = new pg.Client({ connectionString: worker.url });
    await client.connect();
    await client.query("create table pt_log (i int, note text)");
    await client.query(`create procedure pt_inc(inout a int, out b text) language plpgsql
      as $$ begin a := a + 1; b := 'x' || a; end $$`);
    await client.query(`create procedure pt_tx(n int) language plpgsql as $$ begin
      insert into pt_log values (n, 'kept'); commit;
      insert into pt_log values (n + 1, 'undone'); rollback;
      insert into pt_log values (n + 2, 'kept'); end $$`);
  });
  after(async () => {
    await client.end();
    await worker.stop();
  });

  test("a parameterized CALL returns the OUT and INOUT values as one row", async () => {
    const result = await client.query("call pt_inc($1, null)", [41]);
    assert.equal(result.command, "CALL");
    assert.deepEqual(result.fields.map((f) => [f.name, f.dataTypeID]), [["a", 23], ["b", 25]]);
    assert.deepEqual(result.rows, [{ a: 42, b: "x42" }]);
    const named = await client.query("call pt_inc(b => null, a => $1::int)", ["7"]);
    assert.deepEqual(named.rows, [{ a: 8, b: "x8" }]);
  });

  test("a CALL without OUT parameters returns no row and the tag CALL", async () => {
    await client.query(`create procedure pt_noop(a int) language plpgsql
      as $$ begin perform a; end $$`);
    const result = await client.query("call pt_noop($1)", [1]);
    assert.equal(result.command, "CALL");
    assert.deepEqual(result.rows, []);
  });

  test("psql prints CALL's row", async () => {
    assert.equal(await psql(worker.port, "call pt_inc(1, null)", { tuplesOnly: true }),
      "2|x2\n");
  });

  test("COMMIT and ROLLBACK in a procedure called over the extended protocol", async () => {
    const result = await client.query("call pt_tx($1)", [100]);
    assert.equal(result.command, "CALL");
    const rows = await client.query("select i, note from pt_log where i >= 100 order by i");
    assert.deepEqual(rows.rows, [{ i: 100, note: "kept" }, { i: 102, note: "kept" }]);
  });

  test("a DO block over the extended protocol commits and rolls back", async () => {
    await client.query({ text: `do $$ begin insert into pt_log values (150, 'kept'); commit;
      insert into pt_log values (151, 'undone'); rollback; end $$`, values: [] });
    const prepared = { name: "pt_do", text: "do $$ begin insert into pt_log values (152, " +
      "'again'); commit; end $$" };
    await client.query(prepared);
    await client.query(prepared);
    const rows = await client.query("select i from pt_log where i >= 150 and i < 200 " +
      "order by i");
    assert.deepEqual(rows.rows.map((r: { i: number }) => r.i), [150, 152, 152]);
  });

  test("inside BEGIN … COMMIT a procedure's COMMIT is 2D000", async () => {
    await client.query("begin");
    await assert.rejects(client.query("call pt_tx(200)"),
      (error: { code?: string; message?: string }) => error.code === "2D000" &&
        error.message === "invalid transaction termination");
    await client.query("rollback");
    const rows = await client.query("select count(*)::int as n from pt_log where i >= 200");
    assert.equal(rows.rows[0].n, 0);
  });

  test("in a multi-statement query a procedure's COMMIT is 2D000", async () => {
    await assert.rejects(psql(worker.port, "select 1; call pt_tx(250)"),
      /invalid transaction termination/);
    await assert.rejects(client.query("select 1; do $$ begin commit; end $$"),
      (error: { code?: string }) => error.code === "2D000");
    const rows = await client.query("select count(*)::int as n from pt_log where i >= 250 " +
      "and i < 300");
    assert.equal(rows.rows[0].n, 0);
  });

  test("a DO block commits each loop round; a later error keeps what was committed",
    async () => {
      await assert.rejects(client.query(`do $$ begin
        for k in 300..302 loop insert into pt_log values (k, 'loop'); commit; end loop;
        insert into pt_log values (399, 'lost'); raise exception 'stop'; end $$`),
      /stop/);
      const rows = await client.query("select i from pt_log where i >= 300 order by i");
      assert.deepEqual(rows.rows.map((r: { i: number }) => r.i), [300, 301, 302]);
    });

  test("after a COMMIT a write conflict waits in place; committed work is not redone",
    async () => {
      await client.query("create table pt_row (id int primary key, v int)");
      await client.query("insert into pt_row values (1, 0)");
      await client.query(`create procedure pt_bump() language plpgsql as $$ begin
        insert into pt_log values (500, 'before'); commit;
        update pt_row set v = v + 1 where id = 1; end $$`);
      const other = new pg.Client({ connectionString: worker.url });
      await other.connect();
      try {
        await other.query("begin");
        await other.query("update pt_row set v = v + 10 where id = 1");
        const call = client.query("call pt_bump()");
        await new Promise((resolve) => setTimeout(resolve, 200));
        await other.query("commit");
        await call;
      } finally {
        await other.end();
      }
      assert.equal((await client.query("select v from pt_row")).rows[0].v, 11);
      const logged = await client.query("select count(*)::int as n from pt_log where i = 500");
      assert.equal(logged.rows[0].n, 1);
    });

  test("work a procedure committed survives a restart", async () => {
    const first = await startCluster({ role: "worker" });
    try {
      await psql(first.port, "create table pt_keep (i int)");
      await psql(first.port, `create procedure pt_keep_some() language plpgsql as $$ begin
        insert into pt_keep values (1); commit; insert into pt_keep values (2); rollback;
        insert into pt_keep values (3); end $$`);
      await psql(first.port, "call pt_keep_some()");
      await first.stop({ keepData: true });
      const second = await startCluster({ role: "worker", dataDir: first.dataDir });
      try {
        assert.equal(await psql(second.port, "select i from pt_keep order by i",
          { tuplesOnly: true }), "1\n3\n");
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
    }
  });
});
