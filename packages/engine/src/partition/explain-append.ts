/**
 * EXPLAIN of scans and writes on a partitioned table, in PostgreSQL's shape: an Append over
 * one Seq Scan per partition left after pruning by constants, named after the parent's alias
 * (`p_1`, `p_2` …); a lone partition scanned under the parent's own alias; no partition left
 * as `Result` with `One-Time Filter: false`; UPDATE and DELETE listing their partitions.
 */
import type { Catalog } from "../catalog/catalog.js";
import type { Plan, SeqScanPlan } from "../plan/plan.js";
import type { ShownChild, ShownNode } from "../plan/explain-text.js";
import type { Prop } from "../plan/explain-props.js";
import { leafPlan, plannedLeaves } from "./append-scan.js";

/** The shown node of a scan of a partitioned table; `numbered` keeps `p_1` for one leaf. */
export function partitionScanNode(scan: SeqScanPlan, catalog: Catalog, numbered: boolean,
  build: (plan: Plan) => ShownNode): ShownNode {
  const leaves = plannedLeaves(catalog, scan);
  if (leaves.length === 0) {
    return { plan: scan, synthetic: null, title: "Result", refName: "", actual: null,
      cost: null, children: [],
      props: [{ text: "One-Time Filter: false", fields: [] }] };
  }
  if (leaves.length === 1 && !numbered) return build(leafPlan(scan, leaves[0]!));
  const children: ShownChild[] = leaves.map((leaf, i) => ({ relationship: "Member",
    label: null, node: build(leafPlan(scan, leaf, `${scan.alias}_${i + 1}`)) }));
  if (children.length === 1) return children[0]!.node;
  let cost: ShownNode["cost"] = { startup: 0, total: 0, rows: 0, width: 0 };
  for (const c of children) {
    const k = c.node.cost;
    cost = k === null || cost === null ? null : { startup: cost.startup, total: cost.total +
      k.total, rows: cost.rows + k.rows, width: Math.max(cost.width, k.width) };
  }
  return { plan: scan, synthetic: "append", title: "Append", refName: "", actual: null,
    props: [], cost, children };
}

/** The partition lines of UPDATE or DELETE on a partitioned table ("Update on p1 p_1"). */
export function modifyPartitionProps(modify: Plan & { kind: "modify" }, catalog: Catalog):
  { props: Prop[]; scan: SeqScanPlan | undefined } {
  if (modify.relation.partitionKey === undefined || modify.operation === "insert") {
    return { props: [], scan: undefined };
  }
  const scan = findScan(modify.input, modify);
  if (scan === undefined) return { props: [], scan };
  const word = modify.operation === "update" ? "Update" : "Delete";
  const props = plannedLeaves(catalog, scan).map((leaf, i): Prop =>
    ({ text: `${word} on ${leaf.name} ${scan.alias}_${i + 1}`, fields: [] }));
  return { props, scan };
}

function findScan(plan: Plan, modify: Plan & { kind: "modify" }): SeqScanPlan | undefined {
  if (plan.kind === "seqScan" && plan.relation === modify.relation && plan.rowId === true) {
    return plan;
  }
  for (const key of ["input", "left", "right"] as const) {
    const child = (plan as unknown as Record<string, Plan | undefined>)[key];
    if (child === undefined) continue;
    const found = findScan(child, modify);
    if (found !== undefined) return found;
  }
  return undefined;
}
