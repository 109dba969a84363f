/**
 * The details under an EXPLAIN node (explain.c's show_* functions): Filter, Index Cond,
 * Hash Cond, Join Filter, Sort Key, Group Key, and with ANALYZE what the run measured (Rows
 * Removed by Filter, Sort Method, memory). Each detail carries both its text line and its
 * structured fields, so FORMAT TEXT and FORMAT JSON/YAML show the same things.
 */
import type { Expr, VarExpr } from "../analyze/expr.js";
import { deparseAgg, deparseExpr, sortSuffix, type DeparseContext } from "./explain-deparse.js";
import {
  docArray, docBool, docList, docNumber, docObject, docText, type DocField,
} from "./explain-doc.js";
import type { Renderer } from "./explain-text.js";
import type { AggPlan, IndexScanPlan, Plan } from "./plan.js";

/** One detail: its line in FORMAT TEXT (null: not shown there) and its structured fields. */
export interface Prop {
  readonly text: string | null;
  readonly fields: readonly DocField[];
}

const textProp = (label: string, value: string): Prop =>
  ({ text: `${label}: ${value}`, fields: [[label, docText(value)]] });
const listProp = (label: string, items: readonly string[]): Prop =>
  ({ text: `${label}: ${items.join(", ")}`, fields: [[label, docList(items)]] });

/** Returns the details of `plan`, in the order explain.c shows them. */
export function nodeProperties(plan: Plan, r: Renderer): Prop[] {
  const out: Prop[] = [];
  const qual = (label: string, e: Expr | null, ctx: DeparseContext): void => {
    if (e !== null) out.push(textProp(label, deparseExpr(e, ctx)));
  };
  const scanCtx = r.contextOver(null, r.prefixFor(true));
  switch (plan.kind) {
    case "seqScan": case "functionScan": case "cteScan": case "workTableScan":
      if (plan.kind === "seqScan" && plan.sample !== undefined) {
        const { method, percent, repeatable } = plan.sample;
        out.push(textProp("Sampling", `${method} (${deparseExpr(percent, scanCtx)})` +
          (repeatable === null ? "" : ` REPEATABLE (${deparseExpr(repeatable, scanCtx)})`)));
      }
      qual("Filter", plan.filter, scanCtx);
      removed(plan, r, out, plan.filter !== null);
      break;
    case "indexScan":
      if (plan.lower !== null || plan.upper !== null) {
        out.push(textProp("Index Cond", indexCond(plan, scanCtx)));
        if (r.options.analyze) out.push(countProp("Rows Removed by Index Recheck", 0));
      }
      qual("Filter", plan.filter, scanCtx);
      removed(plan, r, out, plan.filter !== null);
      break;
    case "subqueryScan":
      qual(plan.alias === "" ? "One-Time Filter" : "Filter", plan.filter,
        r.contextOver(null, true));
      removed(plan, r, out, plan.filter !== null && plan.alias !== "");
      break;
    case "hashJoin": {
      const ctx = r.contextOver(null, r.prefixFor(false));
      const [outer, inner] = plan.buildSide === "left" ? [plan.rightKeys, plan.leftKeys]
        : [plan.leftKeys, plan.rightKeys];
      const pairs = outer.map((o, i) =>
        `(${deparseExpr(o, ctx)} = ${deparseExpr(inner[i]!, ctx)})`);
      out.push(innerUnique(plan, r));
      out.push(textProp("Hash Cond", pairs.length === 1 ? pairs[0]! : `(${pairs.join(" AND ")})`));
      qual("Join Filter", plan.cond, ctx);
      qual("Filter", plan.filter, ctx);
      break;
    }
    case "nestLoop": {
      const ctx = r.contextOver(null, r.prefixFor(false));
      out.push(innerUnique(plan, r));
      qual("Join Filter", plan.cond, ctx);
      qual("Filter", plan.filter, ctx);
      break;
    }
    default:
      upperProperties(plan, r, out);
  }
  return out;
}

function upperProperties(plan: Plan, r: Renderer, out: Prop[]): void {
  const prefix = r.prefixFor(false);
  switch (plan.kind) {
    case "agg": aggProperties(plan, r, out); break;
    case "sort": {
      const ctx = r.contextOver(plan.input, prefix);
      out.push(listProp("Sort Key", plan.keys.map((k) => deparseExpr(k.expr, ctx) +
        sortSuffix(k))));
      const i = r.instrument(plan);
      if (r.options.analyze && i !== undefined && i.sort !== null) {
        const kb = Math.max(25, Math.ceil(i.sort.rows * (r.costs.cost(plan).width + 64) / 1024));
        out.push({ text: `Sort Method: ${i.sort.method}  Memory: ${kb}kB`, fields: [
          ["Sort Method", docText(i.sort.method)], ["Sort Space Used", docNumber(kb)],
          ["Sort Space Type", docText("Memory")]] });
      }
      break;
    }
    case "distinct":
      if (!plan.on) {
        const ctx = r.contextOver(plan.input, prefix);
        out.push(listProp("Group Key", plan.columns.map((c) => ctx.column(columnVar(c)))));
        hashMemory(plan, r, out);
      }
      break;
    case "setOp":
      // An Append's "Subplans Removed" (partition pruning): structured formats always say.
      if (plan.op === "union" && plan.all) out.push(countProp("Subplans Removed", 0));
      if (plan.op === "union" && !plan.all) {
        const ctx = r.contextOver(plan.left, prefix);
        const keys = Array.from({ length: plan.width }, (_x, i) => ctx.column(columnVar(i)));
        out.push(listProp("Group Key", keys));
        if (r.options.costs) out.push(countProp("Planned Partitions", 0));
      }
      break;
    default: break;
  }
}

function aggProperties(plan: AggPlan, r: Renderer, out: Prop[]): void {
  const prefix = r.prefixFor(false);
  const ctx = r.contextOver(plan.input, prefix);
  if (plan.groupingSets !== null) {
    out.push(...groupingSetProps(plan, ctx));
  } else if (plan.groupKeys.length > 0) {
    out.push(listProp("Group Key", plan.groupKeys.map((k) => deparseExpr(k, ctx))));
  }
  if (plan.filter !== null) {
    const own: DeparseContext = { ...ctx, column: (v) => {
      const keys = plan.groupKeys.length;
      if (v.index >= keys) return deparseAgg(plan.aggs[v.index - keys]!, ctx);
      return deparseExpr(plan.groupKeys[v.index]!, ctx);
    } };
    out.push(textProp("Filter", deparseExpr(plan.filter, own)));
  }
  if (plan.strategy === "hashed" || plan.groupingSets !== null) hashMemory(plan, r, out);
}

/**
 * The grouping sets of a MixedAggregate or HashAggregate: in text one `Hash Key` line per
 * hashed set and `Group Key: ()` for the empty one; structured, Postgres's "Grouping Sets".
 */
function groupingSetProps(plan: AggPlan, ctx: DeparseContext): Prop[] {
  const sets = plan.groupingSets ?? [];
  const keys = (set: readonly number[]): string[] =>
    set.map((k) => deparseExpr(plan.groupKeys[k]!, ctx));
  const hashed = sets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  const empty = sets.filter((s) => s.length === 0);
  const out: Prop[] = [];
  for (const set of hashed) out.push({ text: `Hash Key: ${keys(set).join(", ")}`, fields: [] });
  for (const _set of empty) out.push({ text: "Group Key: ()", fields: [] });
  const groups = hashed.map((set) =>
    docObject([["Hash Keys", docArray([docList(keys(set))])]]));
  if (empty.length > 0) {
    groups.push(docObject([["Group Keys", docArray(empty.map(() => docList([])))]]));
  }
  out.push({ text: null, fields: [["Grouping Sets", docArray(groups)]] });
  return out;
}

/** HashAggregate's hash table figures (the ANALYZE memory figure is an estimate). */
function hashMemory(plan: Plan, r: Renderer, out: Prop[]): void {
  if (r.options.costs) out.push({ text: null, fields: [["Planned Partitions", docNumber(0)]] });
  const i = r.instrument(plan);
  if (!r.options.analyze || i === undefined || i.loops === 0) return;
  const kb = 40 + Math.floor(i.rows * (r.costs.cost(plan).width + 64) / 1024);
  out.push({ text: `Batches: 1  Memory Usage: ${kb}kB`, fields: [
    ["HashAgg Batches", docNumber(1)], ["Peak Memory Usage", docNumber(kb)],
    ["Disk Usage", docNumber(0)]] });
}

/** Rows Removed by Filter: in text when some were, structured always under ANALYZE. */
function removed(plan: Plan, r: Renderer, out: Prop[], hasFilter: boolean): void {
  if (!hasFilter || !r.options.analyze) return;
  const i = r.instrument(plan);
  if (i === undefined) return;
  const n = i.removedByFilter;
  out.push({ text: n > 0 ? `Rows Removed by Filter: ${n}` : null,
    fields: [["Rows Removed by Filter", docNumber(n)]] });
}

/** Inner Unique: always in structured formats, in text with VERBOSE when true. */
function innerUnique(plan: Plan & { kind: "nestLoop" | "hashJoin" }, r: Renderer): Prop {
  const unique = r.innerUnique(plan);
  return { text: unique && r.options.verbose ? "Inner Unique: true" : null,
    fields: [["Inner Unique", docBool(unique)]] };
}

export function countProp(label: string, n: number): Prop {
  return { text: null, fields: [[label, docNumber(n)]] };
}

/** Rebuilds the Index Cond from the scan's bounds: `(id = 1)`, `((a >= 1) AND (a < 9))`. */
function indexCond(plan: IndexScanPlan, ctx: DeparseContext): string {
  const names = plan.index.columns.map((c) => ctx.column({ kind: "var", index: plan.offset + c,
    type: 0, typmod: -1, name: `${plan.alias}.${plan.relation.columns[c]!.name}`, tableOid: 0,
    attnum: c + 1 }));
  const parts: string[] = [];
  const lower = plan.lower;
  const upper = plan.upper;
  const equal = lower !== null && upper !== null && lower.inclusive && upper.inclusive &&
    lower.values === upper.values;
  if (equal) {
    lower.values.forEach((v, i) => parts.push(`(${names[i]} = ${deparseExpr(v, ctx)})`));
  } else {
    if (lower !== null) {
      lower.values.forEach((v, i) => parts.push(`(${names[i]} ${lower.inclusive ? ">=" : ">"} ` +
        `${deparseExpr(v, ctx)})`));
    }
    if (upper !== null) {
      upper.values.forEach((v, i) => parts.push(`(${names[i]} ${upper.inclusive ? "<=" : "<"} ` +
        `${deparseExpr(v, ctx)})`));
    }
  }
  return parts.length === 1 ? parts[0]! : `(${parts.join(" AND ")})`;
}

function columnVar(index: number): VarExpr {
  return { kind: "var", index, type: 0, typmod: -1, name: `${index + 1}`, tableOid: 0, attnum: 0 };
}
