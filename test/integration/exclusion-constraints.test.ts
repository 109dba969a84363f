/**
 * Exclusion constraints (EXCLUDE USING gist (during WITH &&)) on a `tessera cluster --workers 2`
 * beside PostgreSQL 15: creation and its refusals, violations on INSERT, UPDATE, COPY and
 * ALTER TABLE ADD CONSTRAINT (messages and DETAIL as PostgreSQL writes them), ON CONFLICT,
 * the catalogs, psql's \d and pg_dump; two sessions inserting overlapping ranges (the second
 * waits for the first, then fails when it commits); and Citus's rule on distributed tables,
 * with a violation reported from a shard through the coordinator.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import {
  SideBySide, clusterBesidePostgres, failureOf, psql, startCluster, type ClusterBesidePostgres,
} from "../harness/index.js";

const run = promisify(execFile);

describe("exclusion constraints", () => {
  let servers: ClusterBesidePostgres;
  let side: SideBySide;
  let tessera: pg.Client;
  const both = (sql: string): Promise<void> => side.both(sql);

  /** The same failure on both servers, DETAIL included. */
  const sameError = async (sql: string): Promise<pg.DatabaseError> => {
    const expected = await failureOf(servers.postgres, sql);
    const actual = await failureOf(tessera, sql);
    assert.equal(actual.code, expected.code, sql);
    assert.equal(actual.message, expected.message, sql);
    assert.equal(actual.detail, expected.detail, sql);
    assert.equal(actual.hint, expected.hint, sql);
    assert.equal(actual.constraint, expected.constraint, sql);
    return actual;
  };

  before(async () => {
    servers = await clusterBesidePostgres(2);
    ({ side, tessera } = servers);
  });
  after(async () => {
    await servers?.stop();
  });

  test("CREATE TABLE … EXCLUDE and what PostgreSQL refuses", async () => {
    await both("CREATE TABLE ex2 (id int, during tstzrange, " +
      "EXCLUDE USING gist (during WITH &&))");
    await sameError("CREATE TABLE bad1 (id int, EXCLUDE USING gist (id WITH =))");
    await sameError("CREATE TABLE bad2 (a int, EXCLUDE USING btree (a WITH <))");
    await sameError("CREATE TABLE bad3 (a int, b int, EXCLUDE USING btree (a WITH =, b WITH <>))");
    await sameError("CREATE TABLE bad4 (r int4range, EXCLUDE USING gist (r WITH @>))");
    await sameError("CREATE TABLE bad5 (a int, EXCLUDE USING btree (a WITH &&))");
    await sameError("CREATE TABLE bad6 (r int4range, EXCLUDE USING gin (r WITH &&))");
    await sameError("CREATE TABLE bad7 (a int, EXCLUDE USING foo (a WITH =))");
    await sameError("CREATE TABLE bad8 (id int, r int4range, EXCLUDE USING gist (r WITH &&)) " +
      "PARTITION BY RANGE (id)");
    await both("CREATE TABLE parted (id int, r int4range) PARTITION BY RANGE (id)");
    await sameError("ALTER TABLE parted ADD EXCLUDE USING gist (r WITH &&)");
    await side.same("SELECT relname FROM pg_class WHERE relname LIKE 'bad%'");
  });

  test("INSERT, UPDATE and COPY conflicts, with PostgreSQL's DETAIL", async () => {
    await both("INSERT INTO ex2 VALUES (1, '[2024-01-01 10:00, 2024-01-01 12:00)')");
    await sameError("INSERT INTO ex2 VALUES (2, '[2024-01-01 11:00, 2024-01-01 13:00)')");
    await both("INSERT INTO ex2 VALUES (2, '[2024-01-01 12:00, 2024-01-01 13:00)'), (3, NULL)");
    await sameError("UPDATE ex2 SET during = '[2024-01-01 11:00, 2024-01-01 12:30)' " +
      "WHERE id = 2");
    await both("UPDATE ex2 SET during = '[2024-01-01 12:30, 2024-01-01 14:00)' WHERE id = 2");
    await sameError("INSERT INTO ex2 VALUES (4, '[2024-01-02 10:00, 2024-01-02 11:00)'), " +
      "(5, '[2024-01-02 10:30, 2024-01-02 11:30)')");
    await both("CREATE TABLE ex5 (a int, b int, EXCLUDE USING btree (a WITH =))");
    await sameError("INSERT INTO ex5 VALUES (1, 1), (1, 2)");
    await both("INSERT INTO ex5 VALUES (1, 1), (2, 2), (NULL, 3), (NULL, 4)");
    await sameError("UPDATE ex5 SET a = 1 WHERE b = 2");
    const lines = "7\t[2024-03-01,2024-03-03)\n8\t[2024-03-02,2024-03-04)\n";
    const copyError = (port: number): string => spawnSync("psql", ["-X", "-h", "127.0.0.1",
      "-p", String(port), "-U", "postgres", "-c", "COPY ex2 FROM STDIN", "postgres"],
    { input: lines, encoding: "utf8" }).stderr;
    const expectedCopy = copyError(servers.reference.port);
    assert.match(expectedCopy, /23P01|conflicting key value/);
    assert.equal(copyError(servers.cluster.port), expectedCopy);
    await side.same("SELECT id, during FROM ex2 ORDER BY id");
    await side.same("SELECT a, b FROM ex5 ORDER BY b");
  });

  test("expressions, WHERE and several elements", async () => {
    await both("CREATE TABLE rooms (room int, id int, during int4range, " +
      "EXCLUDE USING gist (int4range(room, room + 1) WITH =, during WITH &&) WHERE (id > 0))");
    await both("INSERT INTO rooms VALUES (1, 1, '[1,5)'), (2, 2, '[1,5)'), (1, -1, '[2,3)')");
    await sameError("INSERT INTO rooms VALUES (1, 3, '[4,9)')");
    await both("INSERT INTO rooms VALUES (1, 3, '[5,9)')");
    await side.same("SELECT conname, contype, conkey, conexclop, pg_get_constraintdef(oid), " +
      "pg_get_constraintdef(oid, true) AS pretty FROM pg_constraint " +
      "WHERE conrelid IN ('ex2'::regclass, 'ex5'::regclass, 'rooms'::regclass) ORDER BY 1");
    await side.same("SELECT indexrelid::regclass::text, indisunique, indisexclusion, " +
      "indimmediate, pg_get_indexdef(indexrelid) FROM pg_index " +
      "WHERE indrelid IN ('ex2'::regclass, 'ex5'::regclass, 'rooms'::regclass) ORDER BY 1");
  });

  test("btree_gist gives scalar columns their gist operator classes", async () => {
    await sameError("CREATE TABLE bg (room int, during int4range, " +
      "EXCLUDE USING gist (room WITH =, during WITH &&))");
    await both("CREATE EXTENSION btree_gist");
    await side.same("SELECT extname, extversion FROM pg_extension WHERE extname = 'btree_gist'");
    await both("CREATE TABLE bg (room int, tag text, during int4range, " +
      "EXCLUDE USING gist (room WITH =, during WITH &&))");
    await both("INSERT INTO bg VALUES (1, 'a', '[1,5)'), (2, 'a', '[1,5)'), (1, 'b', '[5,9)')");
    await sameError("INSERT INTO bg VALUES (1, 'c', '[4,6)')");
    await sameError("ALTER TABLE bg ADD EXCLUDE USING gist (room WITH <>)");
    await sameError("ALTER TABLE bg ADD EXCLUDE USING gist (tag WITH &&)");
    await sameError("ALTER TABLE bg ADD EXCLUDE USING gist (room WITH <)");
    await sameError("ALTER TABLE bg ADD EXCLUDE USING gist (tag gist_text_ops WITH =, " +
      "room WITH <>)");
    await both("ALTER TABLE bg ADD EXCLUDE USING gist (tag gist_text_ops WITH =, room WITH <>) " +
      "WHERE (during <> '[1,5)')");
    await sameError("INSERT INTO bg VALUES (3, 'b', '[20,21)')");
    await side.same("SELECT conname, conexclop, pg_get_constraintdef(oid) FROM pg_constraint " +
      "WHERE conrelid = 'bg'::regclass ORDER BY 1");
    await both("CREATE INDEX bg_room_idx ON bg USING gist (room, tag)");
    await side.same("SELECT pg_get_indexdef('bg_room_idx'::regclass)");
  });

  test("DEFERRABLE: checked at the end of the statement, or at commit when deferred",
    async () => {
      await both("CREATE TABLE dx (id int, r int4range, " +
        "EXCLUDE USING gist (r WITH &&) DEFERRABLE)");
      await both("INSERT INTO dx VALUES (1, '[1,3)'), (2, '[3,5)')");
      await both("UPDATE dx SET r = CASE id WHEN 1 THEN '[3,5)'::int4range " +
        "ELSE '[1,3)'::int4range END");
      await sameError("INSERT INTO dx VALUES (3, '[2,4)')");
      await side.same("SELECT conname, condeferrable, condeferred, pg_get_constraintdef(oid) " +
        "FROM pg_constraint WHERE conrelid = 'dx'::regclass");
      await side.same("SELECT indimmediate FROM pg_index WHERE indrelid = 'dx'::regclass");
      await both("BEGIN");
      await both("SET CONSTRAINTS dx_r_excl DEFERRED");
      await both("INSERT INTO dx VALUES (3, '[2,4)')");
      await both("DELETE FROM dx WHERE id IN (1, 2)");
      await both("COMMIT");
      await both("BEGIN");
      await both("SET CONSTRAINTS ALL DEFERRED");
      await both("INSERT INTO dx VALUES (4, '[3,9)')");
      await sameError("COMMIT");
      await side.same("SELECT id, r FROM dx ORDER BY id");
      await side.sameFailure("INSERT INTO dx VALUES (5, '[7,8)') " +
        "ON CONFLICT ON CONSTRAINT dx_r_excl DO NOTHING");
      await side.sameFailure("INSERT INTO dx VALUES (5, '[7,8)') ON CONFLICT DO NOTHING");
    });

  test("ON CONFLICT DO NOTHING takes exclusion constraints, DO UPDATE does not", async () => {
    const row = "(9, '[2024-01-01 11:00, 2024-01-01 11:30)')";
    await side.same(`INSERT INTO ex2 VALUES ${row} ON CONFLICT DO NOTHING RETURNING id`);
    await side.same(`INSERT INTO ex2 VALUES ${row} ON CONFLICT ON CONSTRAINT ex2_during_excl ` +
      "DO NOTHING RETURNING id");
    await side.same("INSERT INTO ex2 VALUES (10, '[2025-01-01, 2025-01-02)') " +
      "ON CONFLICT DO NOTHING RETURNING id");
    await sameError(`INSERT INTO ex2 VALUES ${row} ON CONFLICT ON CONSTRAINT ex2_during_excl ` +
      "DO UPDATE SET id = 5");
    await sameError(`INSERT INTO ex2 VALUES ${row} ON CONFLICT (during) DO NOTHING`);
  });

  test("ALTER TABLE ADD and DROP CONSTRAINT, checking the stored rows", async () => {
    await both("CREATE TABLE a1 (id int, r int4range)");
    await both("INSERT INTO a1 VALUES (1, '[1,5)'), (2, '[10,20)'), (3, '[3,7)'), (4, '[4,8)')");
    await sameError("ALTER TABLE a1 ADD CONSTRAINT a1x EXCLUDE USING gist (r WITH &&)");
    await sameError("ALTER TABLE a1 ADD EXCLUDE USING gist (r WITH &&) WHERE (id > 2)");
    await both("ALTER TABLE a1 ADD EXCLUDE USING gist (r WITH &&) WHERE (id > 3)");
    await both("ALTER TABLE a1 ADD EXCLUDE USING hash (id WITH =)");
    await sameError("INSERT INTO a1 VALUES (3, '[30,31)')");
    await sameError("INSERT INTO a1 VALUES (5, '[5,6)')");
    await both("ALTER TABLE a1 DROP CONSTRAINT a1_id_excl");
    await both("INSERT INTO a1 VALUES (3, '[30,31)')");
    await side.same("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint " +
      "WHERE conrelid = 'a1'::regclass ORDER BY 1");
  });

  test("CREATE TABLE … LIKE … INCLUDING INDEXES copies the constraint", async () => {
    await both("CREATE TABLE rooms_copy (LIKE rooms INCLUDING INDEXES)");
    await both("INSERT INTO rooms_copy VALUES (1, 1, '[1,5)')");
    await sameError("INSERT INTO rooms_copy VALUES (1, 2, '[2,3)')");
    await side.same("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint " +
      "WHERE conrelid = 'rooms_copy'::regclass");
  });

  test("psql's \\d and pg_dump show the constraint as PostgreSQL does", async () => {
    for (const table of ["ex2", "rooms", "a1"]) {
      const expected = await psql(servers.reference.port, `\\d ${table}`);
      assert.equal(await psql(servers.cluster.port, `\\d ${table}`), expected);
    }
    const dump = async (port: number): Promise<string> => (await run("pg_dump", ["-h",
      "127.0.0.1", "-p", String(port), "-U", "postgres", "--schema-only", "-t", "rooms",
      "postgres"])).stdout;
    const constraintLines = (text: string): string[] =>
      text.split("\n").filter((line) => line.includes("EXCLUDE"));
    const expected = constraintLines(await dump(servers.reference.port));
    assert.equal(expected.length, 1);
    assert.deepEqual(constraintLines(await dump(servers.cluster.port)), expected);
  });

  test("a second session inserting an overlapping range waits, then fails", async () => {
    await tessera.query("CREATE TABLE busy (id int, during int4range, " +
      "EXCLUDE USING gist (during WITH &&))");
    const first = new pg.Client({ connectionString: servers.cluster.url });
    const second = new pg.Client({ connectionString: servers.cluster.url });
    await Promise.all([first.connect(), second.connect()]);
    try {
      await first.query("BEGIN");
      await first.query("INSERT INTO busy VALUES (1, '[1,10)')");
      let settled = false;
      const blocked = second.query("INSERT INTO busy VALUES (2, '[5,15)')")
        .then(() => undefined, (error: unknown) => error)
        .finally(() => { settled = true; });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(settled, false, "the second insert waits for the first transaction");
      await first.query("COMMIT");
      const error = await blocked;
      assert.ok(error instanceof pg.DatabaseError);
      assert.equal(error.code, "23P01");
      assert.equal(error.detail, "Key (during)=([5,15)) conflicts with existing key " +
        "(during)=([1,10)).");
      // When the first transaction rolls back instead, the waiting insert succeeds.
      await first.query("BEGIN");
      await first.query("INSERT INTO busy VALUES (3, '[20,30)')");
      const waiting = second.query("INSERT INTO busy VALUES (4, '[25,35)')");
      await new Promise((resolve) => setTimeout(resolve, 200));
      await first.query("ROLLBACK");
      await waiting;
      const { rows } = await tessera.query("SELECT id FROM busy ORDER BY id");
      assert.deepEqual(rows, [{ id: 1 }, { id: 4 }]);
    } finally {
      await Promise.all([first.end(), second.end()]);
    }
  });

  test("Citus's rule: EXCLUDE must compare the distribution column with =", async () => {
    await tessera.query("CREATE TABLE bk (room int, during int4range, " +
      "EXCLUDE USING gist (during WITH &&))");
    const refused = await failureOf(tessera, "SELECT create_distributed_table('bk', 'room')");
    assert.equal(refused.code, "0A000");
    assert.equal(refused.message, 'cannot create constraint on "bk"');
    assert.equal(refused.detail, "Distributed relations cannot have UNIQUE, EXCLUDE, or " +
      "PRIMARY KEY constraints that do not include the partition column (with an equality " +
      "operator if EXCLUDE).");
    await tessera.query("CREATE TABLE bk2 (room int, during int4range, " +
      "EXCLUDE USING btree (room WITH =))");
    await tessera.query("SELECT create_distributed_table('bk2', 'room')");
    await tessera.query("INSERT INTO bk2 VALUES (1, '[1,5)'), (2, '[1,5)')");
    const violation = await failureOf(tessera, "INSERT INTO bk2 VALUES (1, '[7,9)')");
    assert.equal(violation.code, "23P01");
    assert.match(violation.message,
      /^conflicting key value violates exclusion constraint "bk2_room_excl_\d+"$/);
    assert.equal(violation.detail, "Key (room)=(1) conflicts with existing key (room)=(1).");
    const { rows } = await tessera.query<{ result: string }>("SELECT result FROM " +
      "run_command_on_workers($$SELECT count(*) FROM pg_constraint WHERE contype = 'x' " +
      "AND conname LIKE 'bk2_room_excl_%'$$) ORDER BY nodeport");
    assert.equal(rows.reduce((n, r) => n + Number(r.result), 0), 32);
  });

  test("a distributed table excluding overlaps per distribution value (btree_gist)", async () => {
    // btree_gist was created in an earlier test: CREATE EXTENSION reached the workers too.
    await tessera.query("CREATE TABLE stays (room int, guest text, during int4range, " +
      "EXCLUDE USING gist (room WITH =, during WITH &&))");
    await tessera.query("SELECT create_distributed_table('stays', 'room')");
    await tessera.query("INSERT INTO stays VALUES (1, 'a', '[1,5)'), (2, 'b', '[1,5)'), " +
      "(1, 'c', '[5,9)')");
    const violation = await failureOf(tessera, "INSERT INTO stays VALUES (1, 'd', '[4,6)')");
    assert.equal(violation.code, "23P01");
    assert.match(violation.message,
      /^conflicting key value violates exclusion constraint "stays_room_during_excl_\d+"$/);
    assert.equal(violation.detail, "Key (room, during)=(1, [4,6)) conflicts with existing key " +
      "(room, during)=(1, [1,5)).");
    const { rows } = await tessera.query("SELECT room, guest FROM stays ORDER BY guest");
    assert.deepEqual(rows, [{ room: 1, guest: "a" }, { room: 2, guest: "b" },
      { room: 1, guest: "c" }]);
  });

  test("a worker added later gets btree_gist, then the shards that need it", async () => {
    const extra = await startCluster({ role: "worker" });
    const worker = new pg.Client({ host: "127.0.0.1", port: extra.port, user: "postgres",
      database: "postgres" });
    try {
      await tessera.query("SELECT citus_add_node('127.0.0.1', $1)", [extra.port]);
      await worker.connect();
      const { rows } = await worker.query("SELECT extname FROM pg_extension " +
        "WHERE extname = 'btree_gist'");
      assert.deepEqual(rows, [{ extname: "btree_gist" }]);
      await tessera.query("SELECT citus_remove_node('127.0.0.1', $1)", [extra.port]);
    } finally {
      await worker.end();
      await extra.stop();
    }
  });

  test("ALTER TABLE ADD CONSTRAINT EXCLUDE on distributed and reference tables", async () => {
    await tessera.query("CREATE TABLE bk4 (room int, during int4range)");
    await tessera.query("SELECT create_distributed_table('bk4', 'room')");
    const refused = await failureOf(tessera,
      "ALTER TABLE bk4 ADD CONSTRAINT bk4x EXCLUDE USING gist (during WITH &&)");
    assert.equal(refused.code, "0A000");
    assert.equal(refused.message, 'cannot create constraint on "bk4"');
    await tessera.query("ALTER TABLE bk4 ADD CONSTRAINT bk4y EXCLUDE USING btree (room WITH =)");
    await tessera.query("INSERT INTO bk4 VALUES (1, '[1,5)'), (2, '[1,5)')");
    const violation = await failureOf(tessera, "INSERT INTO bk4 VALUES (2, '[3,5)')");
    assert.equal(violation.code, "23P01");
    assert.match(violation.message,
      /^conflicting key value violates exclusion constraint "bk4y_\d+"$/);
    // Unnamed: the coordinator names it, so each shard's is bk4_room_excl_<shardid>.
    await tessera.query("ALTER TABLE bk4 ADD EXCLUDE USING hash (room WITH =)");
    await tessera.query("ALTER TABLE bk4 RENAME CONSTRAINT bk4_room_excl TO bk4z");
    const names = async (): Promise<number> => {
      const { rows } = await tessera.query<{ result: string }>("SELECT result FROM " +
        "run_command_on_workers($$SELECT count(*) FROM pg_constraint " +
        "WHERE conname ~ '^bk4z_[0-9]+$'$$)");
      return rows.reduce((n, r) => n + Number(r.result), 0);
    };
    assert.equal(await names(), 32);
    await tessera.query("ALTER TABLE bk4 DROP CONSTRAINT bk4z");
    assert.equal(await names(), 0);
    await tessera.query("CREATE TABLE rf (room int, during int4range, " +
      "EXCLUDE USING gist (during WITH &&))");
    await tessera.query("SELECT create_reference_table('rf')");
    await tessera.query("INSERT INTO rf VALUES (1, '[1,5)')");
    const onReference = await failureOf(tessera, "INSERT INTO rf VALUES (2, '[3,5)')");
    assert.equal(onReference.code, "23P01");
    assert.equal(onReference.detail,
      "Key (during)=([3,5)) conflicts with existing key (during)=([1,5)).");
  });
});

describe("exclusion constraints after a restart", () => {
  test("constraints from CREATE TABLE and ALTER TABLE survive WAL replay and checkpoints",
    async () => {
      let node = await startCluster({ workers: 0 });
      const dataDir = node.dataDir;
      let client = new pg.Client({ connectionString: node.url });
      await client.connect();
      await client.query("CREATE TABLE r1 (id int, r int4range, " +
        "EXCLUDE USING gist (r WITH &&) WHERE (id > 0))");
      await client.query("INSERT INTO r1 VALUES (1, '[1,5)')");
      await client.query("CHECKPOINT");
      await client.query("CREATE TABLE r2 (id int)");
      await client.query("ALTER TABLE r2 ADD CONSTRAINT r2x " +
        "EXCLUDE USING gist (int4range(id, id + 2) WITH &&)");
      await client.query("INSERT INTO r2 VALUES (1)");
      await client.end();
      await node.stop({ keepData: true });
      node = await startCluster({ workers: 0, dataDir });
      client = new pg.Client({ connectionString: node.url });
      await client.connect();
      try {
        const { rows } = await client.query("SELECT conname, pg_get_constraintdef(oid) AS def " +
          "FROM pg_constraint WHERE contype = 'x' ORDER BY 1");
        assert.deepEqual(rows, [
          { conname: "r1_r_excl", def: "EXCLUDE USING gist (r WITH &&) WHERE ((id > 0))" },
          { conname: "r2x", def: "EXCLUDE USING gist (int4range(id, (id + 2)) WITH &&)" }]);
        const first = await failureOf(client, "INSERT INTO r1 VALUES (2, '[3,6)')");
        assert.equal(first.detail, "Key (r)=([3,6)) conflicts with existing key (r)=([1,5)).");
        await client.query("INSERT INTO r1 VALUES (-2, '[3,6)')");
        const second = await failureOf(client, "INSERT INTO r2 VALUES (2)");
        assert.equal(second.detail, "Key (int4range(id, id + 2))=([2,4)) conflicts with " +
          "existing key (int4range(id, id + 2))=([1,3)).");
      } finally {
        await client.end();
        await node.stop();
      }
    });
});
