/**
 * EXPLAIN (FORMAT JSON) and (FORMAT YAML) of a distributed SELECT, in Citus's shape
 * (multi_explain.c), shown here in JSON:
 *
 *     {
 *       "Node Type": "Custom Scan",
 *       "Parent Relationship": "Outer",              (under a combine plan's node)
 *       "Custom Plan Provider": "Citus Adaptive",
 *       "Parallel Aware": false,
 *       "Async Capable": false,
 *       "Startup Cost": 0.00, … ,
 *       "Distributed Query": {
 *         "Job": {
 *           "Task Count": 4,
 *           "Tasks Shown": "One of 4",
 *           "Tasks": [
 *             {
 *               "Node": "host=127.0.0.1 port=5433 dbname=postgres",
 *               "Remote Plan": [
 *                 [ … the worker's own EXPLAIN (FORMAT JSON) output, pasted as it came … ]
 *
 *               ]
 *
 * The combine query's local JSON plan is read back (numbers kept as printed) and the Custom
 * Scan object takes the place of its scan of remote_scan, as in the text format; the
 * document is then written in the format asked for. Workers are asked for that format.
 */
import {
  docArray, docBool, docNumber, docObject, docText, readJsonDoc, writeDoc,
  type DocField, type DocValue, type StructuredFormat,
} from "@tessera/engine";
import type { Cluster } from "../cluster.js";
import type { ExplainFlags } from "./explain-options.js";
import { prettyBytes, type ScanHead, type ShownTask } from "./explain-tasks.js";

/** What the Custom Scan reports besides its tasks: estimates and, with ANALYZE, actuals. */
export interface ScanFigures {
  readonly rows: number;
  readonly width: number;
  readonly actual?: { readonly startMs: number; readonly totalMs: number;
    readonly rows: number };
}

/** The Custom Scan node's fields, "Parent Relationship" left for the caller to insert. */
export function customScanFields(cluster: Cluster, head: ScanHead, figures: ScanFigures,
  shown: readonly ShownTask[], flags: ExplainFlags, all: boolean): DocField[] {
  const fields: DocField[] = [["Node Type", docText("Custom Scan")],
    ["Custom Plan Provider", docText(head.name)],
    ["Parallel Aware", docBool(false)], ["Async Capable", docBool(false)]];
  if (flags.costs) {
    fields.push(["Startup Cost", docNumber(0, 2)], ["Total Cost", docNumber(0, 2)],
      ["Plan Rows", docNumber(figures.rows)], ["Plan Width", docNumber(figures.width)]);
  }
  const actual = figures.actual;
  if (flags.analyze && actual !== undefined) {
    if (flags.timing) {
      fields.push(["Actual Startup Time", docNumber(actual.startMs, 3)],
        ["Actual Total Time", docNumber(actual.totalMs, 3)]);
    }
    fields.push(["Actual Rows", docNumber(actual.rows)], ["Actual Loops", docNumber(1)]);
  }
  const job: DocField[] = [["Task Count", docNumber(head.taskCount)]];
  if (head.bytes !== undefined) {
    job.push(["Tuple data received from nodes", docText(prettyBytes(head.bytes))]);
  }
  job.push(["Tasks Shown", docText(all ? "All" : `One of ${head.taskCount}`)]);
  const dbname = cluster.pools.settings.database;
  job.push(["Tasks", docArray(shown.map(({ task, plan, bytes }) => {
    const taskFields: DocField[] = [];
    if (flags.verbose) taskFields.push(["Query", docText(task.sql)]);
    if (bytes !== undefined) {
      taskFields.push(["Tuple data received from node", docText(prettyBytes(bytes))]);
    }
    taskFields.push(["Node", docText(`host=${task.node.host} port=${task.node.port} ` +
      `dbname=${dbname}`)]);
    taskFields.push(["Remote Plan", docArray([{ kind: "raw",
      lines: plan.join("\n").split("\n") }])]);
    return docObject(taskFields);
  }))]);
  fields.push(["Distributed Query", docObject([["Job", docObject(job)]])]);
  return fields;
}

/** The coordinator's summary fields, as ExplainOnePlan adds them after the plan. */
export function summaryFields(flags: ExplainFlags, planningMs: number,
  executionMs: number): DocField[] {
  const out: DocField[] = [];
  if (flags.summary) out.push(["Planning Time", docNumber(planningMs, 3)]);
  if (flags.analyze) out.push(["Triggers", docArray([])]);
  if (flags.summary && flags.analyze) out.push(["Execution Time", docNumber(executionMs, 3)]);
  return out;
}

/** The whole output for a router query: the Custom Scan is the plan. */
export function routerDoc(format: StructuredFormat, scan: readonly DocField[],
  summary: readonly DocField[]): string {
  return writeDoc(format, [docObject([["Plan", docObject(scan)], ...summary])]);
}

/**
 * Puts the Custom Scan where the combine plan (its local EXPLAIN (FORMAT JSON) text) scans
 * remote_scan, replaces the combine's own summary with `summary`, and writes the result
 * in `format`.
 */
export function spliceDoc(format: StructuredFormat, combine: readonly string[],
  scan: readonly DocField[], summary: readonly DocField[]): string {
  const output = readJsonDoc(combine.join("\n"));
  const query = output.kind === "array" ? output.items[0] : undefined;
  if (query === undefined || query.kind !== "object") return routerDoc(format, scan, summary);
  const plan = query.fields.find(([key]) => key === "Plan")?.[1];
  const replaced = plan === undefined ? undefined : replaceRemoteScan(plan, scan);
  if (replaced === undefined) return routerDoc(format, scan, summary);
  return writeDoc(format, [docObject([["Plan", replaced], ...summary])]);
}

/** `node` with its remote_scan node swapped for the Custom Scan; undefined if none. */
function replaceRemoteScan(node: DocValue, scan: readonly DocField[]): DocValue | undefined {
  if (node.kind !== "object") return undefined;
  const relation = node.fields.find(([key]) => key === "Relation Name")?.[1];
  if (relation?.kind === "text" && /^remote_scan_\d+$/.test(relation.value)) {
    const kept = node.fields.filter(([key]) =>
      key === "Parent Relationship" || key === "Subplan Name");
    // VERBOSE: the scan's Output goes right before Citus's "Distributed Query".
    const output = node.fields.filter(([key]) => key === "Output");
    const last = scan.length - 1;
    return docObject([scan[0]!, ...kept, ...scan.slice(1, last), ...output, scan[last]!]);
  }
  const at = node.fields.findIndex(([key]) => key === "Plans");
  const plans = node.fields[at]?.[1];
  if (plans === undefined || plans.kind !== "array") return undefined;
  for (const [i, child] of plans.items.entries()) {
    const swapped = replaceRemoteScan(child, scan);
    if (swapped === undefined) continue;
    const items = plans.items.map((item, k) => (k === i ? swapped : item));
    const fields = node.fields.map((field, k): DocField =>
      (k === at ? ["Plans", docArray(items)] : field));
    return docObject(fields);
  }
  return undefined;
}
