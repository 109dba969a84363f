/**
 * Kysely (PostgresDialect over a `pg` pool) in the driver matrix: its Migrator creates a
 * table, a raw query distributes it, then CRUD through the query builder with the
 * distribution column in every WHERE clause (router queries).
 */
import assert from "node:assert/strict";
import { Kysely, PostgresDialect, sql, type Generated } from "kysely";
import { Migrator, type Migration } from "kysely/migration";
import pg from "pg";

interface AccountsTable {
  id: number;
  owner: string;
  balance: Generated<string>;
  opened: Generated<Date>;
}

interface Database {
  accounts: AccountsTable;
}

const migrations: Record<string, Migration> = {
  "001_accounts": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable("accounts")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("balance", sql`numeric(12,2)`, (c) => c.notNull().defaultTo(0))
        .addColumn("opened", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await sql`SELECT create_distributed_table('accounts', 'id')`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("accounts").execute();
    },
  },
};

export async function kyselyCrud(url: string): Promise<void> {
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
  });
  try {
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const { error, results } = await migrator.migrateToLatest();
    if (error !== undefined) throw error;
    assert.deepEqual(results?.map((r) => [r.migrationName, r.status]),
      [["001_accounts", "Success"]]);
    const partitioned = await sql<{ method: string }>`SELECT partmethod AS method
      FROM pg_dist_partition WHERE logicalrelid = 'accounts'::regclass`.execute(db);
    assert.deepEqual(partitioned.rows, [{ method: "h" }]);
    await crud(db);
  } finally {
    await db.destroy();
  }
}

async function crud(db: Kysely<Database>): Promise<void> {
  await db.insertInto("accounts").values([
    { id: 1, owner: "ada", balance: "10.00" },
    { id: 2, owner: "grace", balance: "20.50" },
    { id: 3, owner: "edsger", balance: "0" },
  ]).execute();
  const one = await db.selectFrom("accounts").select(["owner", "balance"])
    .where("id", "=", 2).executeTakeFirstOrThrow();
  assert.deepEqual(one, { owner: "grace", balance: "20.50" });
  const updated = await db.updateTable("accounts")
    .set((eb) => ({ balance: eb("balance", "+", "5") }))
    .where("id", "=", 1).executeTakeFirstOrThrow();
  assert.equal(updated.numUpdatedRows, 1n);
  const deleted = await db.deleteFrom("accounts").where("id", "=", 3)
    .executeTakeFirstOrThrow();
  assert.equal(deleted.numDeletedRows, 1n);
  const all = await db.selectFrom("accounts").select(["id", "owner", "balance"])
    .orderBy("id").execute();
  assert.deepEqual(all, [{ id: 1, owner: "ada", balance: "15.00" },
    { id: 2, owner: "grace", balance: "20.50" }]);
  const returned = await db.insertInto("accounts").values({ id: 4, owner: "barbara" })
    .returning(["id", "balance"]).executeTakeFirstOrThrow();
  assert.deepEqual(returned, { id: 4, balance: "0.00" });
}
