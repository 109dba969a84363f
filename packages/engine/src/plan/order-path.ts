/**
 * Ordered index paths (Postgres's pathkeys on index paths): an ORDER BY on the leading
 * columns of a B-tree index of the one table a query scans is served by walking the index,
 * forward for ASC NULLS LAST or backward for DESC NULLS FIRST, instead of sorting; a LIMIT
 * above then stops the walk after a few entries. `ORDER BY id DESC LIMIT 10` over a million
 * rows reads ten index entries.
 */
import { expandsToChildren } from "../partition/inherit-scan.js";
import type { SortKey } from "../analyze/expr.js";
import type { Index } from "../catalog/relation.js";
import type { IndexScanPlan, Plan, SeqScanPlan } from "./plan.js";
import { orderingKey, type OrderingKey } from "./window.js";

export interface OrderedPath {
  readonly plan: Plan;
  readonly ordering: readonly OrderingKey[];
}

/** Returns `input` replaced by an index scan in `keys` order, or null when none serves. */
export function orderedIndexPath(input: Plan, keys: readonly SortKey[]): OrderedPath | null {
  if (keys.length === 0) return null;
  if (input.kind !== "seqScan" && input.kind !== "indexScan") return null;
  const backward = keys[0]!.descending;
  for (const k of keys) {
    if (k.descending !== backward || k.nullsFirst !== backward) return null;
    if (k.expr.kind !== "var") return null;
  }
  const columns = keys.map((k) => (k.expr.kind === "var" ? k.expr.index - input.offset : -1));
  if (columns.some((c) => c < 0 || c >= input.width)) return null;
  const ordering = keys.map((k) => orderingKey(k.expr, k.descending, k.nullsFirst));
  const serves = (index: Index): boolean =>
    index.computed === undefined && index.method !== "hash" &&
    columns.every((c, i) => index.columns[i] === c);
  if (input.kind === "indexScan") {
    if (!serves(input.index)) return null;
    return { plan: { ...input, backward }, ordering };
  }
  if (input.relation.partitionKey !== undefined || input.sample !== undefined ||
    expandsToChildren(input)) return null;
  const index = input.relation.indexes.find(serves);
  if (index === undefined) return null;
  return { plan: fullIndexScan(input, index, backward), ordering };
}

function fullIndexScan(scan: SeqScanPlan, index: Index, backward: boolean): IndexScanPlan {
  return {
    kind: "indexScan",
    relation: scan.relation,
    index,
    alias: scan.alias,
    offset: scan.offset,
    lower: null,
    upper: null,
    backward,
    filter: scan.filter,
    condText: "",
    width: scan.width,
    rows: scan.rows,
    ...(scan.rowId === true && { rowId: true }),
    ...(scan.lock !== undefined && { lock: scan.lock }),
    ...(scan.systemColumns === true && { systemColumns: true }),
  };
}
