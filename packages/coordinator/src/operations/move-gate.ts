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
import { assert } from "@tessera/base";
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
 * hold back the Citus tables it names (writes: anything but a plain SELECT).
 */
export function statementFenceWait(cluster: Cluster, stmt: ast.Node, ctx: StatementContext):
  Promise<void> | undefined {
  const select = "SelectStmt" in stmt ? stmt.SelectStmt : undefined;
  const writes = select === undefined || (select.lockingClause?.length ?? 0) > 0;
  let tables: number[];
  try {
    const path = cluster.local.statementScope([], ctx).path;
    tables = classify(stmt, cluster.local.catalog, path, cluster.metadata.cache).citus
      .map((ref) => ref.relation.oid);
  } catch {
    // A statement the planner will refuse anyway waits for every move, to be safe.
    tables = [...fences].flatMap((fence) => [...fence.tables]);
  }
  return fenceWait(tables, writes);
}
