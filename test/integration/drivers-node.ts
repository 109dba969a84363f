/**
 * The Node.js drivers of the driver matrix (`drivers.test.ts`): node-postgres with pg-cursor,
 * postgres.js, and Kysely over `pg`. Each check is one subtest against the schema of
 * `drivers-support.ts` (items distributed, kinds reference, docs distributed, notes local).
 */
import assert from "node:assert/strict";
import pg from "pg";
import Cursor from "pg-cursor";
import postgres from "postgres";

type Rows = Record<string, unknown>[];

export async function nodePostgresSimple(client: pg.Client): Promise<void> {
  await client.query("INSERT INTO items VALUES (1, 'one', 1.5), (2, 'two', 2.5)");
  const rows = (await client.query("SELECT id, name, price FROM items ORDER BY id")).rows;
  assert.deepEqual(rows, [{ id: 1, name: "one", price: "1.5" },
    { id: 2, name: "two", price: "2.5" }]);
  const joined = await client.query("SELECT i.name, k.label FROM items i JOIN kinds k" +
    " ON k.k = i.id WHERE i.id = 2");
  assert.deepEqual(joined.rows, [{ name: "two", label: "b" }]);
}

export async function nodePostgresPrepared(client: pg.Client): Promise<void> {
  for (let i = 10; i < 20; i++) {
    await client.query({ name: "insert-item", text: "INSERT INTO items VALUES ($1, $2, $3)",
      values: [i, `item${i}`, i / 4] });
  }
  for (let i = 10; i < 20; i++) {
    const result = await client.query({ name: "item-by-id",
      text: "SELECT name FROM items WHERE id = $1", values: [i] });
    assert.deepEqual(result.rows, [{ name: `item${i}` }]);
  }
  const count = await client.query("SELECT count(*)::int AS n FROM items WHERE id >= $1", [10]);
  assert.deepEqual(count.rows, [{ n: 10 }]);
}

export async function nodePostgresBinary(client: pg.Client): Promise<void> {
  // pg reads `binary` from the query config (its typings leave it out): binary results.
  const config: pg.QueryConfig & { binary: boolean } = { text: "SELECT id, name," +
    " price::float8 AS f FROM items WHERE id = $1", values: [11], binary: true };
  const result = await client.query(config);
  assert.equal(result.rows.length, 1);
  const row = result.rows[0] as { id: number; name: Buffer | string; f: number };
  assert.equal(row.id, 11);
  assert.equal(row.f, 2.75);
  assert.equal(String(row.name), "item11");
}

export async function nodePostgresCursor(client: pg.Client): Promise<void> {
  const cursor = client.query(new Cursor("SELECT id FROM items WHERE id >= $1 ORDER BY id",
    [10]));
  const seen: number[] = [];
  for (;;) {
    const rows = (await cursor.read(3)) as { id: number }[];
    if (rows.length === 0) break;
    seen.push(...rows.map((r) => r.id));
  }
  await cursor.close();
  assert.deepEqual(seen, [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
}

/** Rolls an update back and commits one; `table` is local (notes) or distributed (items). */
export async function nodePostgresTransaction(client: pg.Client, table: "notes" | "items"):
  Promise<void> {
  const [key, column, id] = table === "notes" ? ["n", "note", 1] : ["id", "name", 1];
  const read = async (): Promise<unknown> =>
    (await client.query(`SELECT ${column} AS v FROM ${table} WHERE ${key} = $1`, [id])).rows[0];
  const before = await read();
  await client.query("BEGIN");
  await client.query(`UPDATE ${table} SET ${column} = 'rolled' WHERE ${key} = $1`, [id]);
  await client.query("ROLLBACK");
  assert.deepEqual(await read(), before);
  await client.query("BEGIN");
  await client.query(`UPDATE ${table} SET ${column} = 'committed' WHERE ${key} = $1`, [id]);
  await client.query("COMMIT");
  assert.deepEqual(await read(), { v: "committed" });
}

export async function nodePostgresNotices(client: pg.Client): Promise<void> {
  const notices: string[] = [];
  const listener = (notice: { message?: string | undefined }): void => {
    notices.push(notice.message ?? "");
  };
  client.on("notice", listener);
  try {
    await client.query("DROP TABLE IF EXISTS no_such_table");
    await client.query("COMMIT");
  } finally {
    client.off("notice", listener);
  }
  assert.deepEqual(notices, ['table "no_such_table" does not exist, skipping',
    "there is no transaction in progress"]);
}

/** Runs each postgres.js check through `check` (a subtest) on one connection. */
export async function postgresJsChecks(url: string,
  check: (name: string, run: () => Promise<void>) => Promise<void>): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await check("prepared", async () => {
      for (let i = 100; i < 110; i++) {
        await sql`INSERT INTO items VALUES (${i}, ${"pj" + i}, ${i})`;
      }
      for (let i = 100; i < 110; i++) {
        const rows = await sql`SELECT name FROM items WHERE id = ${i}`;
        assert.deepEqual([...rows], [{ name: "pj" + i }]);
      }
    });
    await check("pipelining", async () => {
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
        sql`SELECT id, name FROM items WHERE id = ${100 + (i % 10)}`));
      results.forEach((rows, i) => assert.deepEqual([...rows],
        [{ id: 100 + (i % 10), name: `pj${100 + (i % 10)}` }]));
    });
    await check("array_and_jsonb", async () => {
      const body = { kind: "doc", n: [1, 2], nested: { ok: true } };
      await sql`INSERT INTO docs VALUES (${1}, ${["a", "b,c", "d e"]}, ${sql.json(body)})`;
      const rows = await sql`SELECT tags, body, body->'nested'->>'ok' AS ok FROM docs
        WHERE id = ${1}`;
      assert.deepEqual([...rows], [{ tags: ["a", "b,c", "d e"], body, ok: "true" }]);
      const any = await sql`SELECT id FROM items WHERE id = ANY(${[101, 102]}::int[])
        ORDER BY id`;
      assert.deepEqual([...any], [{ id: 101 }, { id: 102 }]);
    });
    await check("begin", async () => {
      await postgresJsTransaction(sql, "notes");
    });
    await check("transactions_distributed", async () => {
      await postgresJsTransaction(sql, "items");
    });
  } finally {
    await sql.end();
  }
}

async function postgresJsTransaction(sql: postgres.Sql, table: "notes" | "items"):
  Promise<void> {
  const key = table === "notes" ? "n" : "id";
  const column = table === "notes" ? "note" : "name";
  // notes has row 1 from the schema; items has 100..109 from the "prepared" step.
  const id = table === "notes" ? 1 : 100;
  const read = async (): Promise<Rows> =>
    [...await sql`SELECT ${sql(column)} AS v FROM ${sql(table)} WHERE ${sql(key)} = ${id}`];
  const before = await read();
  assert.equal(before.length, 1);
  await assert.rejects(sql.begin(async (tx) => {
    await tx`UPDATE ${tx(table)} SET ${tx(column)} = 'rolled' WHERE ${tx(key)} = ${id}`;
    throw new Error("roll back");
  }), /roll back/);
  assert.deepEqual(await read(), before);
  await sql.begin(async (tx) => {
    await tx`UPDATE ${tx(table)} SET ${tx(column)} = 'begun' WHERE ${tx(key)} = ${id}`;
  });
  assert.deepEqual(await read(), [{ v: "begun" }]);
}
