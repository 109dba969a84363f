/**
 * Builds the state tree for a plan (Postgres's ExecInitNode): one builder per node kind, each
 * in the file for its family of nodes.
 */
import { assertNever } from "@tessera/base";
import type { Plan } from "../plan/plan.js";
import { buildAgg } from "./agg.js";
import { buildNestLoop } from "./join.js";
import { buildHashJoin } from "./hash-join.js";
import { buildModify } from "./modify.js";
import type { NodeState, Runtime } from "./runtime.js";
import { buildCteScan, buildFunctionScan, buildIndexScan, buildResult, buildSeqScan,
  buildSubqueryScan, buildValues } from "./scan.js";
import { buildRecursiveUnion, buildSetOp, buildWith } from "./setop.js";
import { buildDistinct, buildLimit, buildProject, buildTrim } from "./sort.js";
import { buildSort } from "./sort-node.js";
import { buildWindowAgg } from "./window-agg.js";
import { buildGroupingSets } from "./agg-sets.js";
import { buildPartitionScan } from "../partition/append-scan.js";
import { buildInheritanceScan, expandsToChildren } from "../partition/inherit-scan.js";

export function buildState(plan: Plan, rt: Runtime): NodeState {
  switch (plan.kind) {
    case "result": return buildResult(plan);
    case "seqScan":
      if (expandsToChildren(plan)) return buildInheritanceScan(plan, rt);
      return plan.relation.partitionKey === undefined ? buildSeqScan(plan, rt)
        : buildPartitionScan(plan, rt);
    case "indexScan": return buildIndexScan(plan, rt);
    case "values": return buildValues(plan, rt);
    case "functionScan": return buildFunctionScan(plan, rt);
    case "subqueryScan": return buildSubqueryScan(plan, rt);
    case "cteScan": case "workTableScan": return buildCteScan(plan, rt);
    case "nestLoop": return buildNestLoop(plan, rt);
    case "hashJoin": return buildHashJoin(plan, rt);
    case "agg":
      return plan.groupingSets === null ? buildAgg(plan, rt) : buildGroupingSets(plan, rt);
    case "window": return buildWindowAgg(plan, rt);
    case "project": return buildProject(plan, rt);
    case "sort": return buildSort(plan, rt);
    case "distinct": return buildDistinct(plan, rt);
    case "limit": return buildLimit(plan, rt);
    case "setOp": return buildSetOp(plan, rt);
    case "recursiveUnion": return buildRecursiveUnion(plan, rt);
    case "with": return buildWith(plan, rt);
    case "trim": return buildTrim(plan, rt);
    case "modify": return buildModify(plan, rt);
    default: return assertNever(plan, "plan kind");
  }
}
