/**
 * A tiny driver for the engine's unit tests: parses SQL, prepares, opens and fetches through
 * the public QueryEngine contract, and prints values as text the way psql would see them.
 */
import { initParser, parseStatements, type Value } from "@tessera/sql";
import { SqlError } from "@tessera/base";
import type { StatementContext } from "../api.js";
import { Engine } from "../engine.js";
import { outputValue } from "../catalog/type-io.js";

export interface RunResult {
  readonly names: string[];
  readonly types: number[];
  readonly rows: (string | null)[][];
  readonly tag: string | undefined;
}

export const settings: Record<string, string> = {
  search_path: "\"$user\", public", timezone: "UTC", datestyle: "ISO, MDY",
  intervalstyle: "postgres", extra_float_digits: "1",
};

export function testContext(notices: SqlError[] = []): StatementContext {
  return {
    setting: (name) => settings[name.toLowerCase()] ?? "",
    notice: (n) => { notices.push(n); },
    user: "tester", database: "tessera", backendPid: 4242,
    signal: new AbortController().signal,
    transactionStartMicros: 0n, statementStartMicros: 0n,
    random: () => Math.random(), setSeed: () => undefined,
  };
}

export async function newEngine(): Promise<Engine> {
  await initParser();
  return Engine.create({});
}

/** Runs every statement of `sql`; returns the last one's result. */
export async function run(engine: Engine, sql: string, params: Value[] = [],
  paramTypes: number[] = []): Promise<RunResult> {
  const ctx = testContext();
  let last: RunResult = { names: [], types: [], rows: [], tag: undefined };
  for (const parsed of parseStatements(sql)) {
    const prepared = engine.prepare(parsed.stmt, paramTypes, ctx);
    const cursor = prepared.open(params, ctx);
    const result = await cursor.fetch(0);
    cursor.close();
    const columns = prepared.columns ?? [];
    last = {
      names: columns.map((c) => c.name),
      types: columns.map((c) => c.typeOid),
      rows: result.rows.map((r) => r.map((v, i) =>
        (v === null ? null : outputValue(columns[i]!.typeOid, v, ctx)))),
      tag: result.commandTag,
    };
  }
  return last;
}

/** The SqlError `sql` raises; fails the test when it runs without one. */
export async function failure(engine: Engine, sql: string): Promise<SqlError> {
  try {
    await run(engine, sql);
  } catch (error) {
    if (error instanceof SqlError) return error;
    throw error;
  }
  throw new Error(`no error from ${sql}`);
}
