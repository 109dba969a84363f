/**
 * Loads the IoT data set into one engine: the schema, the two small dimension tables by
 * plain INSERT (untimed), then `events` by `COPY events FROM STDIN` (postgres.js streams the
 * CopyData), timed from the COPY statement to its CommandComplete. When COPY fails and the
 * caller allows it, `events` is recreated and loaded by multi-row INSERT batches instead, and
 * the result says so.
 */
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { BenchConfig } from "./config.js";
import {
  EVENTS_DDL, SCHEMA, dimensionInserts, eventCopyChunks, eventInsertBatches,
} from "./dataset.js";
import { connect, disconnect, type Sql } from "./measure.js";

export interface LoadResult {
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly method: "copy" | "insert";
  /** Why COPY was not used, when the INSERT fallback loaded the data. */
  readonly copyError?: string;
  /** What VACUUM / ANALYZE after the load did. */
  readonly maintenance: string;
}

export interface LoadOptions {
  readonly fallbackToInsert: boolean;
  /** Runs after the (empty) tables are created: e.g. distributes them on a coordinator. */
  readonly afterSchema?: (sql: Sql) => Promise<void>;
}

export async function loadDataset(url: string, config: BenchConfig,
  options: LoadOptions): Promise<LoadResult> {
  const sql = connect(url);
  try {
    await step("create the schema", async () => {
      for (const ddl of SCHEMA) await sql.unsafe(ddl).simple();
    });
    const afterSchema = options.afterSchema;
    if (afterSchema !== undefined) await step("distribute the tables", () => afterSchema(sql));
    await step("insert devices and device_types", () => insertDimensions(sql, config));
    let loaded: Omit<LoadResult, "maintenance">;
    try {
      // The rows are made before the clock starts: the COPY's rate is the server's, not
      // the generator's, which would otherwise share the two cores with the servers.
      const chunks = [...eventCopyChunks(config)];
      loaded = await step("COPY events", () => timed(config.events, "copy",
        () => copyIn(sql, "events", chunks)));
    } catch (error) {
      if (!options.fallbackToInsert) throw error;
      const copyError = errorMessage(error);
      const byInsert = await step("INSERT fallback", async () => {
        await recreateEvents(url);
        return timed(config.events, "insert", () => insertEvents(sql, config));
      });
      loaded = { ...byInsert, copyError };
    }
    await step("check the row count", () => expectCount(sql, config.events));
    return { ...loaded, maintenance: await maintain(sql) };
  } finally {
    await disconnect(sql);
  }
}

/** Runs one step of the load, naming it in the error when it fails. */
async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new Error(`${name}: ${errorMessage(error)}`);
  }
}

async function timed(rows: number, method: "copy" | "insert",
  work: () => Promise<void>): Promise<Omit<LoadResult, "maintenance">> {
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  return { rows, seconds, rowsPerSecond: rows / seconds, method };
}

async function copyIn(sql: Sql, table: string, chunks: Iterable<Buffer>): Promise<void> {
  const writable = await sql.unsafe(`copy ${table} from stdin`).writable();
  await pipeline(Readable.from(chunks), writable);
}

async function insertDimensions(sql: Sql, config: BenchConfig): Promise<void> {
  for (const statement of dimensionInserts(config)) await sql.unsafe(statement).simple();
}

async function insertEvents(sql: Sql, config: BenchConfig): Promise<void> {
  for (const statement of eventInsertBatches(config)) await sql.unsafe(statement).simple();
}

/** Drops whatever a failed COPY left behind, on a fresh connection (the old one may be stuck). */
async function recreateEvents(url: string): Promise<void> {
  const sql = connect(url);
  try {
    await sql.unsafe("drop table if exists events").simple();
    await sql.unsafe(EVENTS_DDL).simple();
  } finally {
    await disconnect(sql);
  }
}

async function expectCount(sql: Sql, expected: number): Promise<void> {
  const rows = await sql.unsafe("select count(*) as n from events").simple();
  const found = Number(rows[0]?.["n"]);
  if (found !== expected) {
    throw new Error(`events holds ${found} rows after the load, not ${expected}`);
  }
}

/** VACUUM ANALYZE after a bulk load, as an operator would; falls back to ANALYZE, then nothing. */
async function maintain(sql: Sql): Promise<string> {
  const failures: string[] = [];
  for (const statement of ["vacuum analyze", "analyze"]) {
    try {
      await sql.unsafe(statement).simple();
      return statement;
    } catch (error) {
      failures.push(`${statement}: ${errorMessage(error)}`);
    }
  }
  return `none (${failures.join("; ")})`;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)
      ? `${error.message} [${code}]` : error.message;
  }
  return String(error);
}
