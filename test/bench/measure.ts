/**
 * Timing primitives: one query timed as the median of its runs after a warm-up, and a
 * prepared point lookup driven over K connections for N seconds. Every measurement opens its
 * own connections and closes them, so a hung or failed section cannot leak into the next one.
 */
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import type { BenchConfig } from "./config.js";
import { QUERIES, lookupKeys } from "./dataset.js";

export type Sql = postgres.Sql;

export function connect(url: string, max = 1): Sql {
  return postgres(url, {
    max,
    idle_timeout: 0,
    connect_timeout: 30,
    fetch_types: false,
    onnotice: () => {},
  });
}

/** Closes the client, destroying its sockets after a second if a query is still running. */
export async function disconnect(sql: Sql): Promise<void> {
  await sql.end({ timeout: 1 }).catch(() => {});
}

export interface TimedQuery {
  /** Median of the measured runs, milliseconds. */
  readonly medianMs: number;
  readonly runsMs: readonly number[];
  readonly warmupMs: number;
  readonly rows: number;
  /** Hash of the result text, to compare the two engines' answers. */
  readonly fingerprint: string;
}

/**
 * One engine's connection for timing one query: the first `run()` is the warm-up, the others
 * are measured. The bench alternates the engines' runs, so that a burst of load from elsewhere
 * on the machine does not land on one engine's runs only.
 */
export class QuerySession {
  protected readonly sql: Sql;
  protected readonly runsMs: number[] = [];
  private warmupMs = Number.NaN;
  private rows: Rows = [];
  private setupPending: string | undefined;

  /** `setup` (e.g. a SET) runs once on the session before the first run, untimed. */
  constructor(url: string, protected readonly text: string,
    protected readonly timeoutMs: number, setup?: string) {
    this.sql = connect(url);
    this.setupPending = setup;
  }

  async run(): Promise<void> {
    if (this.setupPending !== undefined) {
      await this.sql.unsafe(this.setupPending).simple();
      this.setupPending = undefined;
    }
    if (Number.isNaN(this.warmupMs)) {
      const once = await runOnce(this.sql, this.text, this.timeoutMs);
      this.warmupMs = once.ms;
      this.rows = once.rows;
      return;
    }
    await this.measured();
  }

  /** One measured run (after the warm-up). */
  protected async measured(): Promise<void> {
    this.runsMs.push((await runOnce(this.sql, this.text, this.timeoutMs)).ms);
  }

  result(): TimedQuery {
    return {
      medianMs: median(this.runsMs),
      runsMs: [...this.runsMs],
      warmupMs: this.warmupMs,
      rows: this.rows.length,
      fingerprint: fingerprintOf(this.rows),
    };
  }

  close(): Promise<void> {
    return disconnect(this.sql);
  }
}

type Rows = readonly Readonly<Record<string, unknown>>[];

/** One simple-protocol execution (as psql sends it), cancelled when it exceeds `timeoutMs`. */
export async function runOnce(sql: Sql, text: string,
  timeoutMs: number): Promise<{ ms: number; rows: Rows }> {
  const query = sql.unsafe(text).simple();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      query.cancel();
      reject(new Error(`query timed out after ${timeoutMs / 1000} s (cancelled)`));
    }, timeoutMs);
  });
  const start = performance.now();
  try {
    const rows: Rows = await Promise.race([query, timeout]);
    return { ms: performance.now() - start, rows };
  } finally {
    clearTimeout(timer);
    query.catch(() => {});
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? sorted[mid] ?? Number.NaN
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function fingerprintOf(rows: Rows): string {
  const hash = createHash("sha256");
  for (const row of rows) hash.update(Object.values(row).map(valueText).join("|") + "\n");
  return hash.digest("hex").slice(0, 16);
}

export interface LookupRate {
  readonly perSecond: number;
  readonly lookups: number;
  readonly seconds: number;
  /** Lookups that did not return exactly one row (every key exists, so this should be 0). */
  readonly misses: number;
  readonly connections: number;
}

interface LoopCount {
  done: number;
  misses: number;
}

/**
 * `select * from events where device_id = $1 and event_id = $2` as a named prepared statement
 * (parsed once per connection, then Bind/Execute), each connection one lookup at a time.
 */
export async function lookupRate(url: string, config: BenchConfig,
  connections: number): Promise<LookupRate> {
  const clients = Array.from({ length: connections }, () => connect(url));
  const guardMs = config.seconds * 1000 + config.queryTimeoutMs;
  try {
    await withTimeout(Promise.all(clients.map((sql, i) =>
      lookupLoop(sql, lookupKeys(config, i), { count: 200 }))), guardMs, "point lookup warm-up");
    const start = performance.now();
    const deadline = start + config.seconds * 1000;
    const counts = await withTimeout(Promise.all(clients.map((sql, i) =>
      lookupLoop(sql, lookupKeys(config, 100 + i), { deadline }))), guardMs, "point lookups");
    const seconds = (performance.now() - start) / 1000;
    const lookups = counts.reduce((sum, c) => sum + c.done, 0);
    const misses = counts.reduce((sum, c) => sum + c.misses, 0);
    return { perSecond: lookups / seconds, lookups, seconds, misses, connections };
  } finally {
    await Promise.all(clients.map(disconnect));
  }
}

async function lookupLoop(sql: Sql, next: () => [number, number],
  until: { count?: number; deadline?: number }): Promise<LoopCount> {
  const counted: LoopCount = { done: 0, misses: 0 };
  for (;;) {
    if (until.count !== undefined && counted.done >= until.count) return counted;
    if (until.deadline !== undefined && performance.now() >= until.deadline) return counted;
    const rows = await sql.unsafe(QUERIES.point, next(), { prepare: true });
    counted.done++;
    if (rows.length !== 1) counted.misses++;
  }
}

export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    work.catch(() => {});
  }
}
