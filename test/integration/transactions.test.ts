/**
 * Transactions from a client's side, against a real worker process: ROLLBACK through psql,
 * isolation and the no-lost-update rule through node-postgres, and committed data that
 * survives a restart on the same data directory.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { psql, startCluster, type TesseraCluster } from "../harness/index.js";

describe("transactions on a worker", () => {
  let worker: TesseraCluster;
  before(async () => {
    worker = await startCluster({ role: "worker" });
  });
  after(async () => {
    await worker.stop();
  });

  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: worker.url });
    await client.connect();
    return client;
  };

  test("ROLLBACK through psql undoes rows and DDL; COMMIT keeps them", async () => {
    await psql(worker.port, "create table r (id int primary key, v text)");
    await psql(worker.port, "begin; insert into r values (1, 'a'); create table r2 (a int); " +
      "rollback; begin; insert into r values (2, 'b'); commit");
    assert.equal(await psql(worker.port, "select id, v from r", { tuplesOnly: true }), "2|b\n");
    await assert.rejects(psql(worker.port, "select * from r2"), /does not exist/);
  });

  test("uncommitted rows stay invisible to other sessions", async () => {
    const [a, b] = [await connect(), await connect()];
    try {
      await a.query("create table iso (id int)");
      await a.query("begin");
      await a.query("insert into iso values (1)");
      assert.equal((await b.query("select count(*)::int as n from iso")).rows[0].n, 0);
      await a.query("commit");
      assert.equal((await b.query("select count(*)::int as n from iso")).rows[0].n, 1);
    } finally {
      await a.end();
      await b.end();
    }
  });

  test("8 clients incrementing one row lose no update", async () => {
    const setup = await connect();
    await setup.query("create table counter (id int primary key, n int)");
    await setup.query("insert into counter values (1, 0)");
    const clients = await Promise.all(Array.from({ length: 8 }, connect));
    const rounds = 25;
    try {
      await Promise.all(clients.map(async (client) => {
        for (let i = 0; i < rounds; i++) {
          await client.query("update counter set n = n + 1 where id = 1");
        }
      }));
      await Promise.all(clients.map(async (client, k) => {
        for (let i = 0; i < rounds; i++) {
          await client.query("begin");
          await client.query("update counter set n = n + 1 where id = 1");
          if ((i + k) % 5 === 0) await client.query("rollback");
          else await client.query("commit");
        }
      }));
      const rolledBack = clients.reduce((sum, _c, k) =>
        sum + Array.from({ length: rounds }, (_x, i) => i).filter((i) => (i + k) % 5 === 0).length,
      0);
      const result = await setup.query("select n from counter");
      assert.equal(result.rows[0].n, 8 * rounds * 2 - rolledBack);
    } finally {
      await Promise.all(clients.map((client) => client.end()));
      await setup.end();
    }
  });

  test("a multi-statement query is one transaction: an error undoes all of it", async () => {
    const [a, b] = [await connect(), await connect()];
    try {
      await a.query("create table multi (id int primary key)");
      await assert.rejects(a.query("insert into multi values (1); insert into multi values (2); " +
        "insert into multi values (1)"), (error: { code?: string }) => error.code === "23505");
      assert.equal((await b.query("select count(*)::int as n from multi")).rows[0].n, 0);
      await a.query("insert into multi values (1); commit; insert into multi values (2)");
      assert.equal((await b.query("select count(*)::int as n from multi")).rows[0].n, 2);
    } finally {
      await a.end();
      await b.end();
    }
  });

  test("a SKIP LOCKED job queue: 6 workers take each of 60 jobs exactly once", async () => {
    const setup = await connect();
    await setup.query("create table jobs (id int primary key, done_by int)");
    await setup.query("insert into jobs (id) select g from generate_series(1, 60) g");
    const clients = await Promise.all(Array.from({ length: 6 }, connect));
    const taken: number[] = [];
    try {
      await Promise.all(clients.map(async (client, k) => {
        for (;;) {
          await client.query("begin");
          const job = await client.query("select id from jobs where done_by is null " +
            "order by id limit 1 for update skip locked");
          if (job.rows.length === 0) {
            await client.query("commit");
            return;
          }
          const id = Number(job.rows[0].id);
          await client.query("update jobs set done_by = $1 where id = $2", [k, id]);
          taken.push(id);
          await client.query("commit");
        }
      }));
      assert.deepEqual(taken.slice().sort((x, y) => x - y),
        Array.from({ length: 60 }, (_x, i) => i + 1));
      const left = await setup.query("select count(*)::int as n from jobs where done_by is null");
      assert.equal(left.rows[0].n, 0);
    } finally {
      await Promise.all(clients.map((client) => client.end()));
      await setup.end();
    }
  });

  test("FOR UPDATE NOWAIT on a locked row is 55P03", async () => {
    const [a, b] = [await connect(), await connect()];
    try {
      await a.query("create table nw (id int primary key); insert into nw values (1)");
      await a.query("begin");
      await a.query("select * from nw where id = 1 for update");
      await assert.rejects(b.query("select * from nw where id = 1 for update nowait"),
        (error: { code?: string; message?: string }) => error.code === "55P03" &&
          error.message === 'could not obtain lock on row in relation "nw"');
      await a.query("commit");
      assert.equal((await b.query("select * from nw for update nowait")).rows.length, 1);
    } finally {
      await a.end();
      await b.end();
    }
  });

  test("PREPARE TRANSACTION, then COMMIT PREPARED from another session", async () => {
    const [a, b] = [await connect(), await connect()];
    try {
      await a.query("create table two (id int primary key)");
      await a.query("begin");
      await a.query("insert into two values (1)");
      await a.query("prepare transaction 'two-1'");
      assert.equal((await b.query("select count(*)::int as n from two")).rows[0].n, 0);
      const listed = await b.query("select gid, owner, database from pg_prepared_xacts");
      assert.deepEqual(listed.rows, [{ gid: "two-1", owner: "postgres", database: "postgres" }]);
      await assert.rejects(b.query("commit prepared 'nope'"),
        (error: { code?: string }) => error.code === "42704");
      await b.query("commit prepared 'two-1'");
      assert.equal((await a.query("select count(*)::int as n from two")).rows[0].n, 1);
    } finally {
      await a.end();
      await b.end();
    }
  });

  test("a deadlock between two sessions gets 40P01 in one of them", async () => {
    const [a, b] = [await connect(), await connect()];
    try {
      await a.query("create table dl (id int primary key, n int)");
      await a.query("insert into dl values (1, 0), (2, 0)");
      await a.query("begin");
      await b.query("begin");
      await a.query("update dl set n = 1 where id = 1");
      await b.query("update dl set n = 2 where id = 2");
      const first = a.query("update dl set n = 1 where id = 2");
      await new Promise((resolve) => setTimeout(resolve, 50));
      await assert.rejects(b.query("update dl set n = 2 where id = 1"),
        (error: { code?: string }) => error.code === "40P01");
      await b.query("rollback");
      await first;
      await a.query("commit");
    } finally {
      await a.end();
      await b.end();
    }
  });
});

test("a restarted worker has every committed row and no rolled-back one", async () => {
  const first = await startCluster({ role: "worker" });
  const dataDir = first.dataDir;
  try {
    await psql(first.port, "create table keep (id int primary key, v numeric, j jsonb)");
    await psql(first.port, "insert into keep values (1, 1.50, '{\"a\": null}'), (2, 2, '[]')");
    await psql(first.port, "begin; insert into keep values (3, 3, 'null'); rollback");
    await psql(first.port, "update keep set v = v * 2 where id = 2");
    await first.stop({ keepData: true });
    const second = await startCluster({ role: "worker", dataDir });
    try {
      assert.equal(await psql(second.port, "select * from keep order by id", { tuplesOnly: true }),
        "1|1.50|{\"a\": null}\n2|4|[]\n");
    } finally {
      await second.stop();
    }
  } finally {
    await first.stop();
  }
});
