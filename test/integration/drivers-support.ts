/**
 * Shared pieces of the driver matrix (`drivers.test.ts`): the schema every driver meets — a
 * distributed table, a reference table, a table with array and jsonb columns and one local
 * table — and the runner for the helper programs in test/drivers/ (psycopg2, JDBC), which
 * print one `ok STEP` or `FAIL STEP: error` line per step; each step becomes a subtest.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import pg from "pg";

/** test/drivers, from test/dist/integration. */
export const driversDir = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../drivers");

/** Steps every driver is known to fail today, with the reason (reported as TODO). */
export const knownFailures: Readonly<Record<string, string>> = {};

/** Drops and recreates the schema; every driver starts from the same rows. */
export async function resetSchema(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of [
      "DROP TABLE IF EXISTS jdbc_lines, items, kinds, docs, notes",
      "CREATE TABLE items (id int PRIMARY KEY, name text, price numeric)",
      "SELECT create_distributed_table('items', 'id')",
      "CREATE TABLE kinds (k int PRIMARY KEY, label text)",
      "SELECT create_reference_table('kinds')",
      "CREATE TABLE docs (id int PRIMARY KEY, tags text[], body jsonb)",
      "SELECT create_distributed_table('docs', 'id', colocate_with => 'items')",
      "CREATE TABLE notes (n int PRIMARY KEY, note text)",
      "INSERT INTO kinds VALUES (1, 'a'), (2, 'b')",
      "INSERT INTO notes VALUES (1, 'first')",
    ]) {
      await client.query(sql);
    }
  } finally {
    await client.end();
  }
}

export interface ProgramRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to its end, whatever its exit code. */
export function runProgram(file: string, args: readonly string[],
  options: { cwd?: string; timeoutMs?: number } = {}): Promise<ProgramRun> {
  return new Promise((done, fail) => {
    execFile(file, args, { cwd: options.cwd, timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== "number") {
        fail(new Error(`${file} failed: ${error.message}\n${stderr}`));
        return;
      }
      done({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

/** Runs a program with `input` on its stdin and extra environment, to its end. */
export function runPiped(file: string, args: readonly string[], input: string,
  env: NodeJS.ProcessEnv = {}): Promise<ProgramRun> {
  return new Promise((done, fail) => {
    const child = execFile(file, args, { timeout: 120_000, maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== "number") {
        fail(new Error(`${file} failed: ${error.message}\n${stderr}`));
        return;
      }
      done({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
    child.stdin?.end(input);
  });
}

/** Parses `ok STEP` / `FAIL STEP: error` lines. */
export function parseSteps(stdout: string): Map<string, string | null> {
  const steps = new Map<string, string | null>();
  for (const line of stdout.split("\n")) {
    const ok = /^ok (\S+)$/.exec(line);
    if (ok !== null) steps.set(ok[1]!, null);
    const failed = /^FAIL (\S+): (.*)$/.exec(line);
    if (failed !== null) steps.set(failed[1]!, failed[2]!);
  }
  return steps;
}

/** One subtest per expected step: it passes when the program said ok. */
export async function reportSteps(t: TestContext, run: ProgramRun,
  expected: readonly string[]): Promise<void> {
  const steps = parseSteps(run.stdout);
  for (const name of expected) {
    const todo = knownFailures[name];
    await t.test(name, todo === undefined ? {} : { todo }, () => {
      assert.ok(steps.has(name), `step ${name} did not run:\n${run.stdout}\n${run.stderr}`);
      const error = steps.get(name);
      assert.equal(error, null, `${name}: ${error ?? ""}`);
    });
  }
}
