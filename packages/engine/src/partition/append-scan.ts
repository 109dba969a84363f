/**
 * A scan of a partitioned table: PostgreSQL's Append over one scan per leaf partition left
 * after pruning (by constants when planned, by parameters too when the scan starts). Each
 * leaf has its parent's row layout, so a leaf's rows are the parent's rows. A scan feeding
 * UPDATE or DELETE tags each row with the leaf it came from (`rowIdOf`).
 */
import type { Row, Value } from "@tessera/sql";
import type { Expr } from "../analyze/expr.js";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";
import { compileExpr } from "../execute/compile.js";
import type { NodeState, Runtime } from "../execute/runtime.js";
import { chooseIndexPath } from "../plan/index-path.js";
import type { Plan, SeqScanPlan } from "../plan/plan.js";
import { leavesOf } from "./model.js";
import { keyConditions, prunedLeaves } from "./prune.js";

/** Row ids of partitioned targets: the slot, and the leaf's place among all leaves. */
const leafSpan = 65536;

export function rowIdOf(leafOrdinal: number, slot: number): number {
  return slot * leafSpan + leafOrdinal;
}

/** The leaf and the slot a partitioned target's row id names. */
export function leafOfRowId(catalog: Catalog, root: Relation, rowId: number):
  { leaf: Relation; slot: number } {
  const leaves = leavesOf(catalog, root);
  return { leaf: leaves[rowId % leafSpan]!, slot: Math.floor(rowId / leafSpan) };
}

const leafPlans = new WeakMap<SeqScanPlan, Map<Relation, Plan>>();

/**
 * The scan of one leaf: the parent's scan with the leaf's relation, on an index of the leaf
 * where the filter allows one (made once per plan and leaf).
 */
export function leafPlan(scan: SeqScanPlan, leaf: Relation, alias = scan.alias): Plan {
  let byLeaf = leafPlans.get(scan);
  if (byLeaf === undefined) leafPlans.set(scan, byLeaf = new Map());
  const key = alias === scan.alias ? leaf : undefined;
  const known = key === undefined ? undefined : byLeaf.get(key);
  if (known !== undefined) return known;
  const chosen = chooseIndexPath({ ...scan, relation: leaf, alias,
    rows: Math.max(leaf.store.liveCount, 1) });
  const made: Plan = chosen.kind !== "indexScan" ? chosen : { ...chosen,
    ...(scan.rowId === true && { rowId: true }),
    ...(scan.lock !== undefined && { lock: scan.lock }) };
  if (key !== undefined) byLeaf.set(key, made);
  return made;
}

/** The leaves a plan scans as EXPLAIN shows it: pruned by constants only. */
export function plannedLeaves(catalog: Catalog, plan: SeqScanPlan): Relation[] {
  const conds = keyConditions(plan.filter, plan.offset, plan.width,
    (e) => (e.kind === "const" ? e.value : undefined));
  return prunedLeaves(catalog, plan.relation, conds);
}

function runtimeValue(rt: Runtime): (e: Expr) => Value | undefined {
  return (e) => {
    if (e.kind === "const") return e.value;
    if (e.kind === "param" || e.kind === "cast" && (e.arg.kind === "const" ||
      e.arg.kind === "param")) {
      return compileExpr(e)([], rt);
    }
    return undefined;
  };
}

export function buildPartitionScan(plan: SeqScanPlan, rt: Runtime): NodeState {
  const all = leavesOf(rt.catalog, plan.relation);
  let states: { state: NodeState; ordinal: number }[] = [];
  const open = (): void => {
    const conds = keyConditions(plan.filter, plan.offset, plan.width, runtimeValue(rt));
    states = prunedLeaves(rt.catalog, plan.relation, conds).map((leaf) => ({
      state: rt.build(leafPlan(plan, leaf)), ordinal: all.indexOf(leaf) }));
  };
  open();
  const width = plan.relation.columns.length;
  let i = 0;
  return {
    next(): Row | null {
      while (i < states.length) {
        const { state, ordinal } = states[i]!;
        const row = state.next();
        if (row === null) {
          i++;
          continue;
        }
        if (plan.rowId === true) row[width] = rowIdOf(ordinal, row[width] as number);
        return row;
      }
      return null;
    },
    rescan(): void {
      open();
      i = 0;
    },
  };
}
