/**
 * Test helpers over `harness.ts`: run a query and get its rows as "a|b|c" lines (nulls
 * empty, as `psql -A` prints them), so expected results can be pasted from PostgreSQL.
 */
import type { Engine } from "../engine.js";
import { run } from "./harness.js";

/** Runs `sql` and returns each result row as its values joined with "|". */
export async function lines(engine: Engine, sql: string): Promise<string[]> {
  const r = await run(engine, sql);
  return r.rows.map((row) => row.map((v) => v ?? "").join("|"));
}

/** Builds an error matcher on SQLSTATE and, when given, the exact message. */
export function sqlError(code: string, message?: string) {
  return (err: Error & { code?: string }): boolean =>
    err.code === code && (message === undefined || err.message === message);
}

/** The table most window and grouping tests read, with ties and nulls. */
export const sampleTable = `
  create table t (id int primary key, x int, y text, z float8);
  insert into t values (1, 1, 'a', 1.5), (2, 1, 'b', 2.5), (3, 2, 'a', null), (4, 2, 'c', 4),
    (5, 3, null, 5), (6, null, 'a', 6), (7, 3, 'b', 7), (8, 1, 'a', 8);`;
