/**
 * A small session for the transaction tests: its own backend pid, transaction block and
 * settings, running SQL through the engine as the real session does (transaction control
 * through the block, everything else through prepare/open/fetch).
 */
import { parseStatements } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import type { Engine } from "../engine.js";
import { SessionSettings } from "../session/settings.js";
import { TransactionBlock } from "../session/transaction-block.js";
import { outputValue } from "../catalog/type-io.js";
import { testContext } from "../test-support/harness.js";
import { runUtility } from "../session/utility.js";

let nextPid = 7000;

export class TestClient {
  readonly settings = new SessionSettings(() => undefined);
  readonly block = new TransactionBlock(this.settings);
  readonly pid = nextPid++;

  constructor(private readonly engine: Engine) {}

  /** Runs each statement of `sql`; returns the last one's rows as text. */
  async query(sql: string): Promise<(string | null)[][]> {
    let rows: (string | null)[][] = [];
    for (const parsed of parseStatements(sql)) rows = await this.one(parsed.stmt, sql);
    return rows;
  }

  private async one(stmt: Parameters<Engine["prepare"]>[0], sql: string):
    Promise<(string | null)[][]> {
    if ("TransactionStmt" in stmt) {
      await this.control(stmt);
      return [];
    }
    this.block.checkNotFailed();
    const ctx = this.context();
    try {
      const prepared = this.engine.prepare(stmt, [], ctx);
      const cursor = prepared.open([], ctx);
      try {
        const result = await cursor.fetch(0);
        const columns = prepared.columns ?? [];
        return result.rows.map((r) => r.map((v, i) =>
          (v === null ? null : outputValue(columns[i]!.typeOid, v, ctx))));
      } finally {
        cursor.close();
      }
    } catch (error) {
      this.block.fail();
      throw Object.assign(error as object, { sql });
    }
  }

  private async control(stmt: Parameters<Engine["prepare"]>[0]): Promise<void> {
    runUtility(stmt, { settings: this.settings, block: this.block, notice: () => undefined });
    await this.block.takeDurable();
  }

  context(): StatementContext {
    const base = testContext();
    const settings = this.settings;
    return { ...base, backendPid: this.pid, transaction: this.block,
      setting: (name) => {
        const key = name.toLowerCase();
        if (key === "transaction_isolation" || key === "lock_timeout" ||
          key === "synchronous_commit") return settings.get(key);
        return base.setting(name);
      } };
  }
}
