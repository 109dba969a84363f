/**
 * Sort (Postgres's nodeSort.c): reads all input rows, then returns them in key order. Keys
 * may be any expressions over the input row; a key that is not a plain column is computed
 * once per row before sorting. Under a LIMIT the node keeps only the first count + offset
 * rows in a bounded max-heap (Postgres's top-N heapsort), O(n log k) time and O(k) memory.
 */
import type { Row, Value } from "@tessera/sql";
import type { SortPlan } from "../plan/plan.js";
import { compileExpr, type Compiled } from "./compile.js";
import type { NodeState, Runtime } from "./runtime.js";
import { compareRows } from "./sort.js";
import { checkMemory } from "./memory-limit.js";

/** What EXPLAIN ANALYZE reports about a finished sort. */
export interface SortStats {
  method: "quicksort" | "top-N heapsort";
  rows: number;
}

export function buildSort(plan: SortPlan, rt: Runtime, stats?: SortStats): NodeState {
  const input = rt.build(plan.input);
  const plain = plan.keys.every((k) => k.expr.kind === "var");
  const keyFns: Compiled[] = plan.keys.map((k) => compileExpr(k.expr));
  const keys = plan.keys.map((k, i) =>
    ({ ...k, index: plain && k.expr.kind === "var" ? k.expr.index : i }));
  const keyOf = (r: Row): readonly Value[] => (plain ? r : keyFns.map((f) => f(r, rt)));
  const cmp = (a: Sorted, b: Sorted): number => compareRows(a.key, b.key, keys);
  let rows: Sorted[] | null = null;
  let i = 0;
  const fill = (): Sorted[] => {
    const bound = boundOf(plan, rt);
    const out = bound === null ? readAll(input, keyOf) : readTop(input, keyOf, cmp, bound);
    if (bound === null) out.sort(cmp);
    if (stats !== undefined) {
      stats.method = bound === null ? "quicksort" : "top-N heapsort";
      stats.rows = out.length;
    }
    return out;
  };
  return {
    next(): Row | null {
      rows ??= fill();
      return i < rows.length ? rows[i++]!.row : null;
    },
    rescan(): void {
      input.rescan();
      rows = null;
      i = 0;
    },
  };
}

interface Sorted {
  readonly row: Row;
  readonly key: readonly Value[];
}

function boundOf(plan: SortPlan, rt: Runtime): number | null {
  if (plan.bound === undefined) return null;
  const count = compileExpr(plan.bound.count)([], rt);
  const offset = plan.bound.offset === null ? 0n : compileExpr(plan.bound.offset)([], rt);
  if (count === null) return null;
  const n = Number(count as bigint) + Number((offset ?? 0n) as bigint);
  return n >= 0 && Number.isFinite(n) ? n : null;
}

function readAll(input: NodeState, keyOf: (r: Row) => readonly Value[]): Sorted[] {
  const out: Sorted[] = [];
  for (let r = input.next(); r !== null; r = input.next()) {
    checkMemory();
    out.push({ row: r, key: keyOf(r) });
  }
  return out;
}

/** Keeps the `bound` smallest rows in a max-heap, then returns them sorted. */
function readTop(input: NodeState, keyOf: (r: Row) => readonly Value[],
  cmp: (a: Sorted, b: Sorted) => number, bound: number): Sorted[] {
  const heap: Sorted[] = [];
  if (bound === 0) return heap;
  for (let r = input.next(); r !== null; r = input.next()) {
    const item = { row: r, key: keyOf(r) };
    if (heap.length < bound) {
      heap.push(item);
      siftUp(heap, heap.length - 1, cmp);
    } else if (cmp(item, heap[0]!) < 0) {
      heap[0] = item;
      siftDown(heap, 0, cmp);
    }
  }
  return heap.sort(cmp);
}

function siftUp(heap: Sorted[], at: number, cmp: (a: Sorted, b: Sorted) => number): void {
  let i = at;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (cmp(heap[i]!, heap[parent]!) <= 0) return;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function siftDown(heap: Sorted[], at: number, cmp: (a: Sorted, b: Sorted) => number): void {
  let i = at;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let top = i;
    if (l < heap.length && cmp(heap[l]!, heap[top]!) > 0) top = l;
    if (r < heap.length && cmp(heap[r]!, heap[top]!) > 0) top = r;
    if (top === i) return;
    [heap[i], heap[top]] = [heap[top]!, heap[i]!];
    i = top;
  }
}
