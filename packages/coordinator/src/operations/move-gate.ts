/**
 * The coordinator's side of blocking writes during a shard move (Citus's 'block_writes'
 * transfer mode): while the shards of some tables are being copied to another node, a new
 * statement that writes to one of those tables waits here, before it is routed; while the
 * placements switch (metadata update and drop of the old shards) reads of them wait too.
 * Once the move ends the statement is planned again, so it goes to the new placement.
 *
 * The other side is on the source node: the move holds `LOCK TABLE … IN EXCLUSIVE MODE` on
 * the old shards from before the copy until they are dropped, so a write that was already
 * routed there finishes before the copy starts or waits for the move (and then fails on the
 * dropped shard instead of writing where nobody reads). Statements of transaction blocks are
 * not held here: the block may already hold row locks the move waits for on the node.
 *
 * The cost outside a move is one comparison per statement (`movesUnderway`).
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { classify } from "../planner/classify.js";

/** A move in progress: the tables whose shards it moves, and what it holds back. */
export interface MoveFence {
  readonly tables: ReadonlySet<number>;
  /** "writes" while rows are copied, "all" while the placements switch. */
  holds: "writes" | "all";
  /** Lets the held statements go on; called once when the move ends either way. */
  lower(): void;
}

interface FenceState extends MoveFence {
  readonly ended: Promise<void>;
}

const fences = new Set<FenceState>();

/**
 * How long a fence waits after it goes up before the caller locks or switches: statements
 * routed just before it reach their node (or their table) in that time, so they finish
 * first instead of waiting for the lock and then failing on a dropped shard.
 */
const fenceSettleMs = 20;

/** Waits the settle time of a fence that just went up (or started holding reads). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, fenceSettleMs));
}

/** True while any move is in progress (the one check statements pay otherwise). */
export function movesUnderway(): boolean {
  return fences.size > 0;
}

/** Starts holding back writes to `tables` until `lower` is called. */
export function raiseFence(tables: ReadonlySet<number>): MoveFence {
  assert(tables.size > 0, "a move fences at least one table");
  let release = (): void => undefined;
  const ended = new Promise<void>((resolve) => (release = resolve));
  const fence: FenceState = {
    tables, holds: "writes", ended,
    lower: () => {
      fences.delete(fence);
      release();
    },
  };
  fences.add(fence);
  return fence;
}

/**
 * Returns a promise that settles when every move that holds back a statement touching
 * `tables` has ended, or undefined when none does.
 */
export function fenceWait(tables: readonly number[], writes: boolean):
  Promise<void> | undefined {
  const waits: Promise<void>[] = [];
  for (const fence of fences) {
    if (!writes && fence.holds === "writes") continue;
    if (tables.some((table) => fence.tables.has(table))) waits.push(fence.ended);
  }
  if (waits.length === 0) return undefined;
  return Promise.all(waits).then(() => undefined);
}

/**
 * The wait of one statement about to run outside a transaction block: on the moves that
 * hold back the tables it names (writes: anything but a plain SELECT).
 */
export function statementFenceWait(cluster: Cluster, stmt: ast.Node, ctx: StatementContext):
  Promise<void> | undefined {
  const select = "SelectStmt" in stmt ? stmt.SelectStmt : undefined;
  const writes = select === undefined || (select.lockingClause?.length ?? 0) > 0;
  let tables: number[];
  try {
    const path = cluster.local.statementScope([], ctx).path;
    // Every relation: a table being distributed is not a Citus table yet.
    tables = classify(stmt, cluster.local.catalog, path, cluster.metadata.cache).refs
      .map((ref) => ref.relation.oid);
  } catch {
    // A statement the planner will refuse anyway waits for every move, to be safe.
    tables = [...fences].flatMap((fence) => [...fence.tables]);
  }
  const wait = fenceWait(tables, writes);
  return wait === undefined ? undefined : untilCancelled(wait, ctx.signal);
}

/** The wait, cut short with query_canceled when the statement is cancelled. */
function untilCancelled(wait: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const cancel = (): void => reject(new SqlError(SqlState.queryCanceled,
      "canceling statement due to user request"));
    if (signal.aborted) cancel();
    signal.addEventListener("abort", cancel, { once: true });
    void wait.then(() => {
      signal.removeEventListener("abort", cancel);
      resolve();
    });
  });
}
