/**
 * One transaction for a PL/pgSQL run on the coordinator (a DO block, a top-level call of a
 * function, a CALL), as Citus runs one: every statement of the run, on local tables and on
 * the workers, belongs to a single DistributedTransaction (`connection/remote-transaction.ts`)
 * that commits when the run ends (two-phase over several nodes) or rolls back when it fails.
 *
 *   inside BEGIN … COMMIT   the session's block: the run is part of it
 *   in an implicit block    the block becomes a distributed one (`ddl-transaction.ts`)
 *   a function's call       as above, or a block of its own (`asOneTransaction`)
 *   DO or CALL outside any  a block of the run's own (`OwnBlock`); COMMIT or ROLLBACK in
 *   block                   the body ends it and the run goes on in a new one, as in
 *                           PostgreSQL
 *
 * BEGIN … EXCEPTION is a subtransaction of the run: entering the block takes a savepoint
 * through the DistributedTransaction, which sends `SAVEPOINT` to every node connection of
 * the transaction (connections opened later begin with it, as Citus's do) and takes one in
 * the local engine; an error rolls back to it everywhere (the node whose statement failed
 * included) before the handler runs. These are the savepoints of SAVEPOINT / ROLLBACK TO in
 * a transaction block, numbered on after the block's own.
 *
 * The statements see the run's block (`RunBlock`): its savepoint depth counts the run's open
 * subtransactions, so a node or the local engine that joins the transaction late starts with
 * all of them.
 */
import { SqlError, SqlState, assert, notSupported } from "@tessera/base";
import type {
  HostedStatements, QueryRequest, QueryResult, StatementContext, TransactionHandle,
  TransactionParticipant,
} from "@tessera/engine";
import type { Cluster } from "../cluster.js";
import {
  blockOf, endedBlocks, inBlock, type DistributedTransaction,
} from "../connection/remote-transaction.js";
import { asOneTransaction } from "./ddl-transaction.js";

/** The transaction block the run's statements see: the enclosing one, plus subtransactions. */
class RunBlock implements TransactionHandle {
  readonly status = "T";
  readonly isTransactionBlock = true;
  private nested = 0;

  constructor(private readonly outer: TransactionHandle,
    private distributed: DistributedTransaction) {}

  /** The distributed transaction the run's statements are in now. */
  get transaction(): DistributedTransaction {
    return this.distributed;
  }

  /** After COMMIT or ROLLBACK in the body: the statements go on in `next`. */
  replace(next: DistributedTransaction): void {
    assert(this.nested === 0, "a transaction ends outside subtransactions");
    this.distributed = next;
  }

  get savepointDepth(): number {
    return this.outer.savepointDepth + this.nested;
  }

  get participant(): TransactionParticipant {
    return this.distributed;
  }

  set participant(participant: TransactionParticipant | undefined) {
    // `inBlock` sets it to what it already is; the local engine attaches through a LocalView.
    assert(participant === this.distributed, "a run's block keeps its transaction");
  }

  /** Opens a subtransaction; returns its savepoint's depth (the mark). */
  begin(): number {
    const mark = this.savepointDepth;
    this.distributed.savepoint();
    this.nested++;
    return mark;
  }

  /** Rolls back to the mark everywhere and ends the subtransaction. */
  rollback(mark: number): void {
    this.checkMark(mark);
    this.distributed.rollbackTo(mark);
    this.release(mark);
  }

  release(mark: number): void {
    this.checkMark(mark);
    this.distributed.release(mark);
    this.nested = mark - this.outer.savepointDepth;
  }

  /** True once every subtransaction the run opened has ended. */
  get settled(): boolean {
    return this.nested === 0;
  }

  private checkMark(mark: number): void {
    assert(mark >= this.outer.savepointDepth, "a run ends only its own subtransactions");
    assert(mark < this.savepointDepth, "a subtransaction ends once");
  }
}

/** Runs one statement of the body in the run's transaction. */
export type RunStatement = (request: QueryRequest, ctx: StatementContext) =>
  Promise<QueryResult>;

export interface RunOptions {
  /** COMMIT and ROLLBACK are refused with 2D000 (inside a block, or in a function). */
  readonly atomic: boolean;
  readonly run: RunStatement;
}

/**
 * The run: `statements` run its SQL in the run's transaction; `ctx` is for what the local
 * engine does besides (types, casts, finding procedures) and never holds the run's block.
 */
type Work<T> = (ctx: StatementContext, statements: HostedStatements) => Promise<T>;

/** How deep runs may nest (a function calling itself) before 54001, as in the engine. */
const runDepthMax = 200;
const runDepths = new Map<AbortSignal, number>();

/** Runs `work` (a DO block, a call) as one distributed transaction (see the file's comment). */
export async function inRunTransaction<T>(cluster: Cluster, ctx: StatementContext,
  options: RunOptions, work: Work<T>): Promise<T> {
  const depth = runDepths.get(ctx.signal) ?? 0;
  if (depth >= runDepthMax) {
    throw new SqlError(SqlState.statementTooComplex, "stack depth limit exceeded", {
      hint: "Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), " +
        "after ensuring the platform's stack depth limit is adequate." });
  }
  runDepths.set(ctx.signal, depth + 1);
  try {
    const handle = ctx.transaction;
    return handle?.status === "I" && !options.atomic
      ? await inOwnTransactions(cluster, ctx, options, work)
      : await inEnclosingTransaction(cluster, ctx, options, work);
  } finally {
    if (depth === 0) runDepths.delete(ctx.signal);
    else runDepths.set(ctx.signal, depth);
  }
}

/** Inside a block (explicit or implicit) the run is part of it; a function's call too. */
function inEnclosingTransaction<T>(cluster: Cluster, ctx: StatementContext,
  options: RunOptions, work: Work<T>): Promise<T> {
  return asOneTransaction(cluster.pools, ctx, async (inner) => {
    const joined = inBlock(cluster.pools, inner);
    const distributed = blockOf(joined);
    const outer = joined.transaction;
    if (distributed === undefined || outer === undefined) {
      // A context without a session block (an internal caller): statements on their own.
      return work(joined, statementsOf(joined, undefined, options));
    }
    const block = new RunBlock(outer, distributed);
    const runCtx: StatementContext = { ...joined, transaction: block };
    const result = await work(joined, statementsOf(runCtx, block, options));
    assert(block.settled, "a run that succeeded ended its subtransactions");
    return result;
  });
}

/** The block of a run outside any: the engine attaches to it, `inBlock` distributes it. */
class OwnBlock implements TransactionHandle {
  readonly status = "T";
  readonly savepointDepth = 0;
  participant: TransactionParticipant | undefined;
}

/**
 * A DO block or CALL outside any block: transactions of its own, one after the other, as
 * COMMIT and ROLLBACK in the body end one and start the next; the last ends with the run.
 */
async function inOwnTransactions<T>(cluster: Cluster, ctx: StatementContext,
  options: RunOptions, work: Work<T>): Promise<T> {
  const own = new OwnBlock();
  const start = (): DistributedTransaction => {
    own.participant = undefined;
    const distributed = blockOf(inBlock(cluster.pools, { ...ctx, transaction: own }));
    assert(distributed !== undefined, "a block of the run's own is distributed");
    return distributed;
  };
  const block = new RunBlock(own, start());
  const runCtx: StatementContext = { ...ctx, transaction: block };
  const end = async (commit: boolean): Promise<void> => {
    const distributed = block.transaction;
    if (commit) {
      await distributed.commit({ synchronous: synchronousCommit(ctx) });
    } else {
      distributed.rollback();
      await endedBlocks(ctx.backendPid);
    }
  };
  const statements: HostedStatements = { ...statementsOf(runCtx, block, options),
    endTransaction: async (commit) => {
      if (!block.settled) {
        throw new SqlError(SqlState.invalidTransactionTermination,
          `cannot ${commit ? "commit" : "roll back"} while a subtransaction is active`);
      }
      await end(commit);
      block.replace(start());
    } };
  let result: T;
  try {
    result = await work(ctx, statements);
    assert(block.settled, "a run that succeeded ended its subtransactions");
  } catch (error) {
    block.transaction.rollback();
    throw error;
  }
  await end(true);
  return result;
}

function synchronousCommit(ctx: StatementContext): boolean {
  try {
    return ctx.setting("synchronous_commit") !== "off";
  } catch {
    return true;
  }
}

function statementsOf(ctx: StatementContext, block: RunBlock | undefined,
  options: RunOptions): HostedStatements {
  const subtransactions = (): RunBlock => {
    if (block === undefined) {
      throw notSupported("EXCEPTION blocks in PL/pgSQL that runs outside a transaction");
    }
    return block;
  };
  return {
    query: (request) => options.run(request, ctx),
    beginSubtransaction: () => Promise.resolve(subtransactions().begin()),
    rollbackSubtransaction: async (mark) => subtransactions().rollback(mark),
    releaseSubtransaction: async (mark) => subtransactions().release(mark),
    atomic: () => options.atomic,
  };
}
