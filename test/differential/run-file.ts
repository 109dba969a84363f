/**
 * Runs one case file statement by statement on the reference and on the target, each in its
 * own fresh session, and compares every outcome.
 */
import type pg from "pg";
import {
  compareOutcomes,
  connect,
  execute,
  type Endpoint,
  type Outcome,
  type Verdict,
} from "./compare.js";
import { hasTopLevelOrderBy, type Statement } from "./splitter.js";

/** After this many target statements in a row lose the session, skip the rest of the file. */
const GIVE_UP_AFTER = 3;

export interface CaseFile {
  /** File name relative to cases/ (`types.sql`), or `generated` for seeded cases. */
  readonly name: string;
  readonly statements: readonly Statement[];
}

export interface StatementResult {
  readonly file: string;
  readonly statement: Statement;
  readonly ordered: boolean;
  readonly reference: Outcome;
  readonly target: Outcome;
  readonly verdict: Verdict;
}

/** One side's connection; reopened when it breaks so the rest of the file still runs. */
class Session {
  private client: pg.Client | undefined;
  private dead = false;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly timeoutMs: number,
  ) {}

  async run(sql: string): Promise<Outcome> {
    if (this.dead) return { kind: "broken", message: "server unreachable (gave up reconnecting)" };
    if (!this.client) {
      try {
        this.client = await connect(this.endpoint, this.timeoutMs);
      } catch (err) {
        this.dead = true;
        return {
          kind: "broken",
          message: `connect failed: ${err instanceof Error ? err.message : String(err)}`,
        };
      }
    }
    return execute(this.client, sql);
  }

  /** Drops the connection; the next run opens a new one. */
  reset(): void {
    const client = this.client;
    this.client = undefined;
    client?.end().catch(() => {});
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}

export async function runFile(
  file: CaseFile,
  reference: Endpoint,
  target: Endpoint,
  timeoutMs: number,
): Promise<StatementResult[]> {
  const refSession = new Session(reference, timeoutMs);
  const targetSession = new Session(target, timeoutMs);
  const results: StatementResult[] = [];
  let lostInARow = 0;
  try {
    for (const statement of file.statements) {
      const skipping = lostInARow >= GIVE_UP_AFTER;
      const [refOutcome, targetOutcome] = await Promise.all([
        refSession.run(statement.sql),
        skipping
          ? Promise.resolve<Outcome>({
              kind: "broken",
              message: `skipped: ${GIVE_UP_AFTER} sessions lost in a row`,
            })
          : targetSession.run(statement.sql),
      ]);
      lostInARow = targetOutcome.kind === "broken" ? lostInARow + 1 : 0;
      const ordered =
        statement.order === "ordered" ||
        (statement.order === "auto" && hasTopLevelOrderBy(statement.sql));
      results.push({
        file: file.name,
        statement,
        ordered,
        reference: refOutcome,
        target: targetOutcome,
        verdict: compareOutcomes(refOutcome, targetOutcome, ordered),
      });
      // A lost session on one side: restart both, so that they keep the same session state.
      if (!skipping && (refOutcome.kind === "broken" || targetOutcome.kind === "broken")) {
        refSession.reset();
        targetSession.reset();
      }
    }
  } finally {
    await Promise.all([refSession.close(), targetSession.close()]);
  }
  return results;
}
