/**
 * Table inheritance (CREATE TABLE … INHERITS) from the user's side: psql's `\d` of a parent
 * ("Number of child tables") and of a child ("Inherits:") print what PostgreSQL 15 prints;
 * the hierarchy, its counts and its rows survive a restart; on a Citus coordinator a table
 * that inherits or is inherited cannot be distributed, with Citus's messages.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import {
  failureOf, psql, startCluster, workerBesidePostgres,
  type ReferencePostgres,
  type TesseraCluster,
} from "../harness/index.js";

const schema = `
CREATE TABLE ih_p (id int NOT NULL, name text DEFAULT 'p', CHECK (id > 0));
CREATE TABLE ih_c (extra int DEFAULT 7) INHERITS (ih_p);
CREATE TABLE ih_q (qq text, name text) INHERITS (ih_p);
CREATE TABLE ih_g (g int) INHERITS (ih_c, ih_q);
INSERT INTO ih_p VALUES (1, 'one');
INSERT INTO ih_c VALUES (2, 'two', 20);
INSERT INTO ih_g (id, g) VALUES (3, 30);
`;

const commands = ["\\d ih_p", "\\d ih_c", "\\d ih_g", "\\d+ ih_p", "\\d+ ih_g", "\\dt"];

describe("psql's \\d of an inheritance hierarchy matches PostgreSQL 15", () => {
  let reference: ReferencePostgres;
  let tessera: TesseraCluster;
  before(async () => {
    [reference, tessera] = await workerBesidePostgres(schema);
  });
  after(async () => {
    await Promise.all([reference?.stop(), tessera?.stop()]);
  });

  for (const command of commands) {
    test(command, async () => {
      assert.equal(await psql(tessera.port, command), await psql(reference.port, command));
    });
  }

  test("the hierarchy survives a restart", async () => {
    const checks = [
      "SELECT inhrelid::regclass::text AS child, inhparent::regclass::text AS parent, inhseqno " +
        "FROM pg_inherits ORDER BY 1, 3",
      "SELECT attrelid::regclass::text AS rel, attname, attinhcount, attislocal FROM " +
        "pg_attribute WHERE attrelid::regclass::text LIKE 'ih\\_%' AND attnum > 0 ORDER BY 1, 2",
      "SELECT conrelid::regclass::text AS rel, conname, coninhcount, conislocal " +
        "FROM pg_constraint WHERE conrelid::regclass::text LIKE 'ih\\_%' ORDER BY 1, 2",
      "SELECT tableoid::regclass::text AS t, id, name FROM ih_p ORDER BY id",
      "SELECT count(*) FROM ONLY ih_p",
    ];
    const read = async (url: string): Promise<unknown[]> => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const out: unknown[] = [];
        for (const sql of checks) out.push((await client.query(sql)).rows);
        return out;
      } finally {
        await client.end();
      }
    };
    // Changes after the first statements: ALTER recursing, NO INHERIT, a dropped child.
    await psql(tessera.port, "ALTER TABLE ih_p ADD COLUMN added int DEFAULT 5; " +
      "ALTER TABLE ih_g NO INHERIT ih_q; CREATE TABLE ih_x () INHERITS (ih_q); DROP TABLE ih_x;",
    { extraArgs: ["-q"] });
    const beforeRestart = await read(tessera.url);
    await tessera.stop({ keepData: true });
    tessera = await startCluster({ role: "worker", dataDir: tessera.dataDir });
    const afterRestart = await read(tessera.url);
    assert.deepEqual(afterRestart, beforeRestart);
    assert.deepEqual(afterRestart[4], [{ count: "1" }]);
  });
});

describe("Citus refuses to distribute tables of an inheritance hierarchy", () => {
  let cluster: TesseraCluster;
  let client: pg.Client;
  before(async () => {
    cluster = await startCluster({ workers: 1 });
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    await client.query("CREATE TABLE ci_p (id int, v text)");
    await client.query("CREATE TABLE ci_c (w int) INHERITS (ci_p)");
    await client.query("CREATE TABLE ci_d (id int, v text)");
  });
  after(async () => {
    await client?.end();
    await cluster?.stop();
  });

  for (const call of ["create_distributed_table('ci_p', 'id')",
    "create_distributed_table('ci_c', 'id')", "create_reference_table('ci_p')",
    "create_reference_table('ci_c')"]) {
    test(call, async () => {
      const error = await failureOf(client, `SELECT ${call}`);
      const table = /'(ci_[pc])'/.exec(call)![1]!;
      assert.equal(error.code, "42809");
      assert.equal(error.message, `${table} is not a regular, foreign or partitioned table`);
    });
  }

  test("a local table cannot inherit a distributed one", async () => {
    await client.query("SELECT create_distributed_table('ci_d', 'id')");
    const error = await failureOf(client, "CREATE TABLE ci_e () INHERITS (ci_d)");
    assert.equal(error.message, "non-distributed tables cannot inherit distributed tables");
  });
});
