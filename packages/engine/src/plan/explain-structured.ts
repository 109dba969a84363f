/**
 * EXPLAIN (FORMAT JSON) and (FORMAT YAML): the same shown tree as the text format
 * (`explain-text.ts` builds it, `explain-props.ts` supplies the details) laid out as
 * explain.c's ExplainNode does for the structured formats:
 *
 *     "Node Type", "Strategy", "Partial Mode", "Operation", "Parent Relationship",
 *     "Subplan Name", "Parallel Aware", "Async Capable", the scan target ("Relation Name",
 *     "Schema", "Alias" …), "Join Type", costs, actuals, the node's details, then "Plans"
 *     (InitPlans, Outer, Inner, Members, Subquery, SubPlans in that order).
 *
 * After the plan: "Planning Time", "Triggers" (with ANALYZE), "Execution Time".
 */
import {
  docArray, docBool, docNumber, docObject, docText, type DocField, type DocValue,
} from "./explain-doc.js";
import {
  Renderer, type ExplainOptions, type Instruments, type ShownChild, type ShownNode,
} from "./explain-text.js";
import type { Plan } from "./plan.js";

/** What ExplainOnePlan prints after the plan; absent figures are not shown. */
export interface ExplainSummary {
  readonly planningMs?: number;
  readonly executionMs?: number;
}

/** The query object of a structured EXPLAIN: `{"Plan": {…}, "Planning Time": …}`. */
export function explainDocument(plan: Plan, options: ExplainOptions,
  instruments: Instruments | null, summary: ExplainSummary): DocValue {
  const r = new Renderer(plan, options, instruments);
  const fields: DocField[] = [["Plan", nodeObject(r, r.build(plan, []), null)]];
  if (summary.planningMs !== undefined) {
    fields.push(["Planning Time", docNumber(summary.planningMs, 3)]);
  }
  if (options.analyze) fields.push(["Triggers", docArray([])]);
  if (summary.executionMs !== undefined) {
    fields.push(["Execution Time", docNumber(summary.executionMs, 3)]);
  }
  return docObject(fields);
}

function nodeObject(r: Renderer, node: ShownNode, child: ShownChild | null): DocValue {
  const fields: DocField[] = [...typeFields(node)];
  if (child !== null) {
    fields.push(["Parent Relationship", docText(child.relationship)]);
    if (child.label !== null) fields.push(["Subplan Name", docText(child.label)]);
  }
  fields.push(["Parallel Aware", docBool(false)], ["Async Capable", docBool(false)]);
  fields.push(...targetFields(node, r.options.verbose));
  if (r.options.costs && node.cost !== null) {
    const c = node.cost;
    fields.push(["Startup Cost", docNumber(c.startup, 2)], ["Total Cost", docNumber(c.total, 2)],
      ["Plan Rows", docNumber(c.rows)], ["Plan Width", docNumber(c.width)]);
  }
  if (r.options.analyze && node.actual !== null) fields.push(...actualFields(r, node.actual));
  for (const p of node.props) fields.push(...p.fields);
  if (node.children.length > 0) {
    fields.push(["Plans", docArray(node.children.map((c) => nodeObject(r, c.node, c)))]);
  }
  return docObject(fields);
}

function actualFields(r: Renderer, plan: Plan): DocField[] {
  const i = r.instrument(plan);
  const out: DocField[] = [];
  const executed = i !== undefined && i.loops > 0;
  if (r.options.timing) {
    const first = executed ? (i.firstMs ?? i.totalMs) / i.loops : 0;
    const total = executed ? i.totalMs / i.loops : 0;
    out.push(["Actual Startup Time", docNumber(first, 3)],
      ["Actual Total Time", docNumber(total, 3)]);
  }
  out.push(["Actual Rows", docNumber(executed ? Math.round(i.rows / i.loops) : 0)],
    ["Actual Loops", docNumber(executed ? i.loops : 0)]);
  return out;
}

/** "Node Type" and what explain.c prints right after it: Strategy, Partial Mode, Operation. */
function typeFields(node: ShownNode): DocField[] {
  const type = (name: string): DocField[] => [["Node Type", docText(name)]];
  const hashAgg: DocField[] = [...type("Aggregate"), ["Strategy", docText("Hashed")],
    ["Partial Mode", docText("Simple")]];
  if (node.synthetic === "append") return type("Append");
  if (node.synthetic === "hash") return type("Hash");
  if (node.synthetic === "result") return type("Result");
  if (node.synthetic === "setOpSubquery") return type("Subquery Scan");
  const plan = node.plan;
  switch (plan.kind) {
    case "seqScan": return type(plan.sample !== undefined ? "Sample Scan" : "Seq Scan");
    case "indexScan": return type("Index Scan");
    case "values": return type(plan.values.length === 1 ? "Result" : "Values Scan");
    case "functionScan": return type("Function Scan");
    case "subqueryScan": return type(plan.alias === "" ? "Result" : "Subquery Scan");
    case "cteScan": return type("CTE Scan");
    case "workTableScan": return type("WorkTable Scan");
    case "nestLoop": return type("Nested Loop");
    case "hashJoin": return type("Hash Join");
    case "modify": return [...type("ModifyTable"),
      ["Operation", docText(capitalized(plan.operation))]];
    case "agg": {
      const strategy = node.title === "MixedAggregate" ? "Mixed"
        : node.title === "HashAggregate" ? "Hashed" : capitalized(plan.strategy);
      return [...type("Aggregate"), ["Strategy", docText(strategy)],
        ["Partial Mode", docText("Simple")]];
    }
    case "window": return type("WindowAgg");
    case "sort": return type("Sort");
    case "limit": return type("Limit");
    case "distinct": return plan.on ? type("Unique") : hashAgg;
    case "project": return type(plan.srfs.length > 0 ? "ProjectSet" : "Result");
    case "setOp":
      if (plan.op === "union") return plan.all ? type("Append") : hashAgg;
      return [...type("SetOp"), ["Strategy", docText("Hashed")]];
    case "recursiveUnion": return type("Recursive Union");
    case "result": return type("Result");
    default: return type(node.title);
  }
}

/** The scan or modify target (ExplainScanTarget), a join's type, a set operation's command. */
function targetFields(node: ShownNode, verbose: boolean): DocField[] {
  const alias = docText(node.refName);
  if (node.synthetic === "setOpSubquery") return [["Alias", alias]];
  if (node.synthetic !== null) return [];
  const plan = node.plan;
  const relation = (name: string, schema: string): DocField[] => [
    ["Relation Name", docText(name)], ...(verbose ? [["Schema", docText(schema)] as const] : []),
    ["Alias", alias]];
  switch (plan.kind) {
    case "seqScan": case "modify": return relation(plan.relation.name, plan.relation.schema);
    case "indexScan":
      return [["Scan Direction", docText(plan.backward ? "Backward" : "Forward")],
        ["Index Name", docText(plan.index.name)],
        ...relation(plan.relation.name, plan.relation.schema)];
    case "values": return plan.values.length === 1 ? [] : [["Alias", alias]];
    case "functionScan": return [["Function Name", docText(plan.name)], ["Alias", alias]];
    case "subqueryScan": return plan.alias === "" ? [] : [["Alias", alias]];
    case "cteScan": return [["CTE Name", docText(plan.name)], ["Alias", alias]];
    case "workTableScan": return [["CTE Name", docText(plan.alias)], ["Alias", alias]];
    case "nestLoop": case "hashJoin": return [["Join Type", docText(joinType(node))]];
    case "setOp": {
      if (plan.op === "union") return [];
      const command = `${capitalized(plan.op)}${plan.all ? " All" : ""}`;
      return [["Command", docText(command)]];
    }
    default: return [];
  }
}

/** The join type as shown: the text title's word ("Hash Right Join" → "Right"). */
function joinType(node: ShownNode): string {
  const match = / (Left|Right|Full|Semi|Anti) Join$/.exec(node.title);
  return match === null ? "Inner" : match[1]!;
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
