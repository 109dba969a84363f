/**
 * Statements in transactions: wraps what the engine prepares (and its COPY sinks and
 * sources) so that every run begins a statement in its transaction, ends it when the cursor
 * finishes or fails, and waits out write conflicts.
 *
 * A conflict (`TxnConflict`, see write-guard.ts) surfaces from the executor as a thrown
 * signal. Before any row reached the client, the cursor undoes the statement's work, awaits
 * the other transaction's end (with deadlock detection, lock_timeout and cancellation), and
 * opens the statement again on a fresh snapshot. Once rows were sent, it cannot take them
 * back: the conflict becomes 40001.
 */
import { assert, limits } from "@tessera/base";
import type { CopyInSink, CopyOutSource, Cursor, FetchResult, PreparedStatement,
  StatementContext } from "../api.js";
import type { StatementInfo, StatementRun, Transactions } from "./transactions.js";
import { TxnConflict, serializationFailure } from "./write-guard.js";

/** Returns `prepared` with every run inside a transaction. */
export function transactional(txns: Transactions, prepared: PreparedStatement,
  info: StatementInfo): PreparedStatement {
  return { ...prepared, open: (params, ctx) => {
    const run = txns.beginStatement(ctx, info);
    if (run === undefined) return prepared.open(params, ctx);
    return new StatementCursor(txns, run, () => prepared.open(params, ctx));
  } };
}

class StatementCursor implements Cursor {
  private inner: Cursor | undefined;
  private sent = 0;
  private finished = false;
  /** A conflict `fetchNow` met: the next `fetch` waits it out and runs the statement again. */
  private conflict: TxnConflict | undefined;

  constructor(private readonly txns: Transactions, private readonly run: StatementRun,
    private readonly open: () => Cursor) {
    try {
      this.inner = open();
    } catch (error) {
      this.fail();
      throw error;
    }
  }

  /**
   * The inner cursor's result at once, when it has one and ending the statement awaits
   * nothing (it runs in a block, which commits later); undefined sends the caller to `fetch`.
   */
  fetchNow(maxRows: number): FetchResult | undefined {
    const inner = this.inner;
    if (inner?.fetchNow === undefined || this.run.implicit || this.conflict !== undefined) {
      return undefined;
    }
    let result: FetchResult | undefined;
    try {
      result = inner.fetchNow(maxRows);
    } catch (error) {
      if (this.finished) throw error;
      if (!(error instanceof TxnConflict)) throw this.fail(error);
      this.conflict = error;
      return undefined;
    }
    if (result === undefined) return undefined;
    this.sent += result.rows.length;
    if (result.commandTag !== undefined && !this.finished) {
      this.finished = true;
      this.txns.finishBlockStatement(this.run);
    }
    return result;
  }

  async fetch(maxRows: number): Promise<FetchResult> {
    for (let attempt = 0; ; attempt++) {
      assert(attempt <= limits.statementRetryCountMax, "retries stop at their limit");
      try {
        const conflict = this.conflict;
        this.conflict = undefined;
        if (conflict !== undefined) throw conflict;
        assert(this.inner !== undefined, "a cursor fetches while open");
        const result = await this.inner.fetch(maxRows);
        this.sent += result.rows.length;
        if (result.commandTag !== undefined && !this.finished) {
          this.finished = true;
          await this.txns.finishStatement(this.run);
        }
        return result;
      } catch (error) {
        if (this.finished) throw error;
        if (!(error instanceof TxnConflict)) throw this.fail(error);
        if (this.sent > 0 || attempt === limits.statementRetryCountMax) {
          throw this.fail(serializationFailure());
        }
        this.inner?.close();
        this.inner = undefined;
        await this.waitOut(error);
        this.inner = this.open();
      }
    }
  }

  close(): void {
    this.inner?.close();
    this.inner = undefined;
    if (!this.finished) this.fail();
  }

  /** Undoes the statement, waits for the conflicting transaction, takes a new snapshot. */
  private async waitOut(conflict: TxnConflict): Promise<void> {
    try {
      await waitForConflict(this.txns, this.run, conflict);
    } catch (error) {
      throw this.fail(error);
    }
  }

  private fail(error?: unknown): unknown {
    this.finished = true;
    this.txns.failStatement(this.run);
    return error;
  }
}

/** Undoes the run's work, awaits the holder's end and restarts the run on a new snapshot. */
async function waitForConflict(txns: Transactions, run: StatementRun,
  conflict: TxnConflict): Promise<void> {
  run.undo.rollback();
  if (conflict.holder !== 0) {
    const state = await txns.manager.waitFor(run.txn, conflict.holder, {
      signal: run.ctx.signal, lockTimeoutMs: lockTimeoutMs(run.ctx) });
    if (state === "committed" && run.txn.isolation === "repeatable read") {
      throw serializationFailure();
    }
  }
  txns.restartStatement(run);
}

/** Wraps COPY FROM STDIN's sink: the load is one statement, retried on conflicts. */
export function transactionalCopyIn(txns: Transactions, ctx: StatementContext,
  start: () => CopyInSink): CopyInSink {
  const run = txns.beginStatement(ctx, { writes: true });
  if (run === undefined) return start();
  let sink: CopyInSink;
  try {
    sink = start();
  } catch (error) {
    txns.failStatement(run);
    throw error;
  }
  return {
    columnCount: sink.columnCount, binary: sink.binary,
    accept: (chunk) => sink.accept(chunk),
    finish: () => finishCopy(txns, run, sink),
    abort: () => {
      sink.abort();
      txns.failStatement(run);
    },
  };
}

async function finishCopy(txns: Transactions, run: StatementRun, sink: CopyInSink):
  Promise<string> {
  for (let attempt = 0; ; attempt++) {
    let tag: string;
    try {
      tag = await sink.finish();
    } catch (error) {
      if (!(error instanceof TxnConflict) || attempt >= limits.statementRetryCountMax) {
        txns.failStatement(run);
        throw error instanceof TxnConflict ? serializationFailure() : error;
      }
      await waitForConflict(txns, run, error).catch((waitError: unknown) => {
        txns.failStatement(run);
        throw waitError;
      });
      continue;
    }
    await txns.finishStatement(run);
    return tag;
  }
}

/** Wraps COPY TO STDOUT's source: one read-only statement over its chunks. */
export function transactionalCopyOut(txns: Transactions, ctx: StatementContext,
  start: () => CopyOutSource): CopyOutSource {
  const run = txns.beginStatement(ctx, { writes: false });
  if (run === undefined) return start();
  let source: CopyOutSource;
  try {
    source = start();
  } catch (error) {
    txns.failStatement(run);
    throw error;
  }
  return {
    columnCount: source.columnCount, binary: source.binary,
    commandTag: () => source.commandTag(),
    chunks: async function* () {
      let done = false;
      try {
        yield* source.chunks();
        done = true;
      } finally {
        if (done) await txns.finishStatement(run);
        else txns.failStatement(run);
      }
    },
  };
}

/** lock_timeout in milliseconds ("0", "150", "2s", "1min"); 0 when unset. */
function lockTimeoutMs(ctx: StatementContext): number {
  let text = "0";
  try {
    text = ctx.setting("lock_timeout");
  } catch {
    return 0;
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/.exec(text);
  if (match === null) return 0;
  const units: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000,
    d: 86_400_000 };
  return Number(match[1]) * (units[match[2] ?? "ms"] ?? 1);
}
