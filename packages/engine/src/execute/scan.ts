/**
 * Leaf nodes: sequential and index scans over a table's row versions, VALUES, Result, and
 * the readers of derived tables, CTEs and function calls. A scan returns the stored row array
 * itself (no copy), checks visibility with the statement's snapshot, then its filter.
 */
import type { Row, Value } from "@tessera/sql";
import type {
  CteScanPlan,
  FunctionScanPlan,
  IndexScanPlan,
  ResultPlan,
  SeqScanPlan,
  SubqueryScanPlan,
  ValuesPlan,
  WorkTableScanPlan,
} from "../plan/plan.js";
import type { BTree } from "../storage/btree.js";
import { sees, type RowVersion, type Snapshot } from "../storage/table-store.js";
import { visibleInChain } from "../storage/version-chains.js";
import { compileExpr, compilePredicate, compileRowPredicate } from "./compile.js";
import { IndexWalk } from "./index-walk.js";
import { tableCounters } from "../catalog/activity-counters.js";
import { scanOutput } from "./system-values.js";
import { openSample } from "./tablesample-filter.js";
import type { RowLockSpec } from "../txn/write-guard.js";
import { checkRowLockWritable } from "./read-only-commands.js";
import type { NodeState, Runtime } from "./runtime.js";

export function buildSeqScan(plan: SeqScanPlan, rt: Runtime): NodeState {
  const filter = compileRowPredicate(plan.filter, plan.offset);
  const store = plan.relation.store;
  const snapshot = rt.snapshot;
  // With system columns the filter may read them: it judges the output row.
  const rowId = plan.rowId === true;
  const system = plan.systemColumns === true;
  const output = scanOutput(rowId, system, plan.relation.oid);
  const lock = plan.lock;
  if (lock !== undefined) checkRowLockWritable(lock.mode, plan.relation.schema, rt.ctx);
  const virtualRows = plan.relation.virtualRows;
  const sampleSpec = plan.sample;
  let sample = sampleSpec === undefined ? null : openSample(sampleSpec, rt);
  const current = (): RowVersion[] =>
    virtualRows === undefined
      ? store.versions
      : virtualRows(rt.ctx).map((values, slot) => ({ values, slot, ordinal: slot, xmin: 1,
        xmax: 0 }));
  // pg_stat_user_tables's seq_scan and seq_tup_read: the live rows, once per scan.
  const counters = virtualRows === undefined ? tableCounters(rt.catalog, plan.relation.oid)
    : undefined;
  const count = (): void => {
    if (counters === undefined) return;
    counters.seqScan++;
    counters.seqTupRead += store.liveCount;
  };
  count();
  let versions = current();
  let end = versions.length;
  let i = 0;
  return {
    next(): Row | null {
      while (i < end) {
        const v = versions[i++]!;
        if (virtualRows === undefined && !sees(snapshot, v)) continue;
        if (sample !== null && !sample(v)) continue;
        const row = system ? output(v) : v.values;
        if (filter !== null && !filter(row, rt)) continue;
        if (lock !== undefined && !lockRow(v, lock, rt)) continue;
        return system ? row : rowId ? output(v) : v.values;
      }
      return null;
    },
    rescan(): void {
      count();
      versions = current();
      end = versions.length;
      i = 0;
      if (sampleSpec !== undefined) sample = openSample(sampleSpec, rt);
    },
  };
}

/**
 * Walks the B-tree entries between the bounds, forward or backward, lazily: a LIMIT above
 * stops the walk early, and a suspended walk finds its place again after the tree changed
 * (`IndexWalk`). Without bounds the walk covers every entry, nulls included (they sort last,
 * so a backward walk gives DESC NULLS FIRST). A scan feeding UPDATE or DELETE collects its
 * versions first, since the writes insert into the trees it walks.
 *
 * Bounds that pin one whole key of a unique index take `visibleUnderKey` instead of a walk.
 */
export function buildIndexScan(plan: IndexScanPlan, rt: Runtime): NodeState {
  const filter = compileRowPredicate(plan.filter, plan.offset);
  const tree = plan.index.tree;
  const lowerFns = plan.lower?.values.map((e) => compileExpr(e)) ?? null;
  const upperFns = plan.upper?.values.map((e) => compileExpr(e)) ?? null;
  const snapshot = rt.snapshot;
  const rowId = plan.rowId === true;
  const system = plan.systemColumns === true;
  const output = scanOutput(rowId, system, plan.relation.oid);
  const lock = plan.lock;
  if (lock !== undefined) checkRowLockWritable(lock.mode, plan.relation.schema, rt.ctx);
  const empty: Row = [];
  let walk: IndexWalk | null = null;
  let matches: RowVersion[] | null = null;
  let next = 0;
  // pg_stat_user_tables's idx_scan and idx_tup_fetch: added once per scan, when it opens
  // (a key's or collected versions) or its walk ends.
  const counters = tableCounters(rt.catalog, plan.relation.oid);
  let walked = 0;
  const open = (): void => {
    counters.idxScan++;
    counters.idxTupFetch += walked;
    walked = 0;
    const lower = lowerFns?.map((f) => f(empty, rt)) ?? null;
    const upper = upperFns?.map((f) => f(empty, rt)) ?? null;
    walk = null;
    matches = null;
    if (lower?.includes(null) === true || upper?.includes(null) === true) return;
    // A deferrable unique index may hold duplicates until its check runs: it walks.
    if (plan.index.unique && plan.index.deferrable !== true && isWholeKey(plan, lower, upper)) {
      matches = visibleUnderKey(tree, lower!, snapshot);
      counters.idxTupFetch += matches.length;
      next = 0;
      return;
    }
    const opened = new IndexWalk(tree, { lower, upper,
      lowerInclusive: plan.lower?.inclusive ?? true,
      upperInclusive: plan.upper?.inclusive ?? true }, plan.backward);
    walk = opened;
    if (rowId) {
      matches = [];
      for (let e = opened.next(); e !== null; e = opened.next()) {
        const v = visibleInChain(e.version, snapshot);
        if (v !== undefined) matches.push(v);
      }
      counters.idxTupFetch += matches.length;
      next = 0;
    }
  };
  const walkNext = (w: IndexWalk): Row | null => {
    for (let e = w.next(); e !== null; e = w.next()) {
      const v = visibleInChain(e.version, snapshot);
      if (v === undefined) continue;
      w.seen(e);
      const row = system ? output(v) : v.values;
      if (filter !== null && !filter(row, rt)) continue;
      if (lock !== undefined && !lockRow(v, lock, rt)) continue;
      walked++;
      return system ? row : rowId ? output(v) : v.values;
    }
    counters.idxTupFetch += walked;
    walked = 0;
    return null;
  };
  let opened = false;
  return {
    next(): Row | null {
      if (!opened) {
        open();
        opened = true;
      }
      if (matches !== null) {
        while (next < matches.length) {
          const v = matches[next++]!;
          if (!sees(snapshot, v)) continue;
          const row = system ? output(v) : v.values;
          if (filter !== null && !filter(row, rt)) continue;
          if (lock !== undefined && !lockRow(v, lock, rt)) continue;
          return system ? row : rowId ? output(v) : v.values;
        }
        return null;
      }
      return walk === null ? null : walkNext(walk);
    },
    rescan(): void {
      opened = false;
    },
  };
}

/** True when inclusive bounds `lower` and `upper` are one and the same whole index key. */
function isWholeKey(plan: IndexScanPlan, lower: readonly Value[] | null,
  upper: readonly Value[] | null): boolean {
  if (lower === null || upper === null) return false;
  if (plan.lower?.inclusive === false || plan.upper?.inclusive === false) return false;
  const tree = plan.index.tree;
  const width = tree.compares.length;
  return lower.length === width && upper.length === width && tree.compareKeys(lower, upper) === 0;
}

/**
 * The version of a unique index's `key` that `snapshot` sees, if any. A snapshot sees one
 * consistent state, where at most one row has the key, so the search stops at the first
 * version it sees. It goes from the newest entry back (`findEqualLast`, by hash when the
 * tree keeps one): the version a writer is after is nearly always the last one. A hot row's
 * older versions (until vacuum drops them) are then not visited at all; those an update
 * chained behind its entry (`version-chains.ts`) are visited newest first, as far as the one
 * the snapshot sees.
 */
function visibleUnderKey(tree: BTree, key: readonly Value[], snapshot: Snapshot): RowVersion[] {
  let found: RowVersion | undefined;
  tree.findEqualLast(key, (entry) =>
    (found = visibleInChain(entry.version, snapshot)) !== undefined);
  return found === undefined ? [] : [found];
}

/** Locks a row for SELECT … FOR UPDATE/SHARE; false when SKIP LOCKED passes it over. */
function lockRow(v: RowVersion, lock: RowLockSpec, rt: Runtime): boolean {
  return rt.guard === undefined || rt.guard.lockRow(v, lock, rt.undo);
}

export function buildResult(_plan: ResultPlan): NodeState {
  let done = false;
  return {
    next: () => (done ? null : ((done = true), [])),
    rescan: () => {
      done = false;
    },
  };
}

export function buildValues(plan: ValuesPlan, rt: Runtime): NodeState {
  const rows = plan.values.map((r) => r.map((e) => compileExpr(e)));
  const empty: Row = [];
  let i = 0;
  return {
    next: () => (i < rows.length ? rows[i++]!.map((f) => f(empty, rt)) : null),
    rescan: () => {
      i = 0;
    },
  };
}

export function buildSubqueryScan(plan: SubqueryScanPlan, rt: Runtime): NodeState {
  const input = rt.build(plan.input);
  const filter = compilePredicate(plan.filter, plan.offset);
  return {
    next(): Row | null {
      for (let r = input.next(); r !== null; r = input.next()) {
        if (filter === null || filter(r, rt)) return r;
      }
      return null;
    },
    rescan: () => input.rescan(),
  };
}

/** Reads a materialized CTE (or the work table of a recursive one). */
export function buildCteScan(plan: CteScanPlan | WorkTableScanPlan, rt: Runtime): NodeState {
  const filter = compilePredicate(plan.filter, plan.offset);
  let i = 0;
  const work = plan.kind === "workTableScan";
  return {
    next(): Row | null {
      const store = work ? null : rt.cteRows.get(plan.cteId);
      const rows = (work ? rt.workTables.get(plan.cteId) : store?.rows) ?? [];
      for (;;) {
        while (i < rows.length) {
          const r = rows[i++]!;
          if (filter === null || filter(r, rt)) return r;
        }
        if (store?.fill === null || store?.fill === undefined || !store.fill()) return null;
      }
    },
    rescan: () => {
      i = 0;
    },
  };
}

export function buildFunctionScan(plan: FunctionScanPlan, rt: Runtime): NodeState {
  const call = compileExpr(plan.call, plan.offset);
  const filter = compilePredicate(plan.filter, plan.offset);
  const empty: Row = [];
  let iterator: Iterator<Value | Value[]> | null = null;
  let ordinal = 0;
  return {
    next(): Row | null {
      if (iterator === null) {
        const result = call(empty, rt) as unknown as Iterable<Value | Value[]> | null;
        iterator = (result ?? [])[Symbol.iterator]();
        ordinal = 0;
      }
      for (;;) {
        const step = iterator.next();
        if (step.done === true) return null;
        const row: Row =
          plan.recordColumns > 0 ? [...(step.value as Value[])] : [step.value as Value];
        if (plan.ordinality) row.push(BigInt(++ordinal));
        if (filter === null || filter(row, rt)) return row;
      }
    },
    rescan: () => {
      iterator = null;
    },
  };
}
