/**
 * UPDATE / DELETE … WHERE CURRENT OF over the extended query protocol, as node `pg` sends a
 * query with parameters (Parse, Bind, Execute), beside PostgreSQL 15: inside a transaction
 * after DECLARE and FETCH, the statement changes the cursor's row; a named prepared
 * statement (and SQL PREPARE / EXECUTE) runs again on the row the cursor moved to; RETURNING's
 * columns are described; the errors (no such cursor, not on a row, another table's cursor)
 * are PostgreSQL's.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { SideBySide, startReferencePostgres, startTarget, type ReferencePostgres,
  type Rows } from "../harness/index.js";

describe("WHERE CURRENT OF over the extended protocol", () => {
  let reference: ReferencePostgres;
  let target: Awaited<ReturnType<typeof startTarget>>;
  let postgres: pg.Client;
  let tessera: pg.Client;
  let side: SideBySide;
  const clients = (): pg.Client[] => [postgres, tessera];

  /** Runs `sql` with `params` on both servers; the same rows and command tag. */
  const same = async (sql: string, params: unknown[] = [], name?: string): Promise<Rows> => {
    const run = (c: pg.Client): Promise<pg.QueryResult> =>
      c.query({ text: sql, values: params, ...(name !== undefined && { name }) });
    const expected = await run(postgres);
    const actual = await run(tessera);
    assert.deepEqual(actual.rows, expected.rows, sql);
    assert.equal(actual.command, expected.command, sql);
    assert.equal(actual.rowCount, expected.rowCount, sql);
    assert.deepEqual(actual.fields.map((f) => [f.name, f.dataTypeID]),
      expected.fields.map((f) => [f.name, f.dataTypeID]), sql);
    return actual.rows as Rows;
  };

  /** The same error (code and message) on both servers for `sql` with `params`. */
  const sameFailure = async (sql: string, params: unknown[]): Promise<void> => {
    const fail = async (c: pg.Client): Promise<pg.DatabaseError> => {
      try {
        await c.query(sql, params);
      } catch (error) {
        return error as pg.DatabaseError;
      }
      assert.fail(`expected an error from ${sql}`);
    };
    const expected = await fail(postgres);
    const actual = await fail(tessera);
    assert.equal(actual.code, expected.code, sql);
    assert.equal(actual.message, expected.message, sql);
  };

  before(async () => {
    [reference, target] = await Promise.all([startReferencePostgres(), startTarget()]);
    postgres = new pg.Client({ connectionString: reference.url });
    tessera = new pg.Client({ host: target.host, port: target.port, user: "postgres",
      database: "postgres" });
    await Promise.all(clients().map((c) => c.connect()));
    side = new SideBySide(postgres, tessera);
    await side.both("CREATE TABLE co_t (id int PRIMARY KEY, v text)");
    await side.both("CREATE TABLE co_u (id int)");
    await side.both("INSERT INTO co_t SELECT g, 'v' || g FROM generate_series(1, 5) g");
  });
  after(async () => {
    await Promise.all(clients().map((c) => c.end()));
    await Promise.all([target?.stop(), reference?.stop()]);
  });

  test("a parameterized UPDATE and DELETE change the cursor's row", async () => {
    await side.both("BEGIN");
    await side.both("DECLARE c CURSOR FOR SELECT id, v FROM co_t ORDER BY id");
    await side.same("FETCH 2 FROM c");
    await same("UPDATE co_t SET v = $1 WHERE CURRENT OF c", ["changed"]);
    await same("SELECT * FROM co_t WHERE id = $1", [2]);
    await side.same("FETCH NEXT FROM c");
    await same("UPDATE co_t SET v = $1 || v WHERE CURRENT OF c RETURNING id, v", ["x-"]);
    await side.same("FETCH NEXT FROM c");
    await same("DELETE FROM co_t WHERE CURRENT OF c RETURNING *");
    await side.both("COMMIT");
    await side.same("SELECT * FROM co_t ORDER BY id");
  });

  test("a named prepared statement follows the cursor from row to row", async () => {
    await side.both("BEGIN");
    await side.both("DECLARE c2 CURSOR FOR SELECT * FROM co_t WHERE id <> $$3$$::int ORDER BY id");
    for (const value of ["a", "b", "c"]) {
      await side.same("FETCH NEXT FROM c2");
      await same("UPDATE co_t SET v = $1 WHERE CURRENT OF c2", [value], "co_upd");
    }
    await side.both("COMMIT");
    await side.same("SELECT * FROM co_t ORDER BY id");
  });

  test("SQL PREPARE and EXECUTE run on the cursor's current row", async () => {
    await side.both("BEGIN");
    await side.both("DECLARE c5 CURSOR FOR SELECT * FROM co_t ORDER BY id");
    await side.both("PREPARE co_sql (text) AS UPDATE co_t SET v = $1 WHERE CURRENT OF c5");
    for (const value of ["p1", "p2"]) {
      await side.same("FETCH NEXT FROM c5");
      await same(`EXECUTE co_sql ('${value}')`);
    }
    await side.both("DEALLOCATE co_sql");
    await side.both("COMMIT");
    await side.same("SELECT * FROM co_t ORDER BY id");
  });

  test("errors as PostgreSQL's", async () => {
    await side.both("BEGIN");
    await sameFailure("UPDATE co_t SET v = $1 WHERE CURRENT OF nope", ["z"]);
    await side.both("ROLLBACK");
    await side.both("BEGIN");
    await side.both("DECLARE c3 CURSOR FOR SELECT * FROM co_t ORDER BY id");
    await sameFailure("UPDATE co_t SET v = $1 WHERE CURRENT OF c3", ["z"]);
    await side.both("ROLLBACK");
    await side.both("BEGIN");
    await side.both("DECLARE c4 CURSOR FOR SELECT * FROM co_u");
    await sameFailure("DELETE FROM co_t WHERE CURRENT OF c4 RETURNING id + $1", [1]);
    await side.both("ROLLBACK");
  });
});
