/**
 * EXPLAIN's text format (Postgres's explain.c, FORMAT TEXT): a plan tree as lines, each node
 * named as Postgres names it, its details two spaces in, its children behind "->  ".
 *
 *   Sort  (cost=74.54..77.21 rows=1070 width=48)
 *     Sort Key: x
 *     ->  Seq Scan on t  (cost=0.00..20.70 rows=1070 width=48)
 *
 * Nodes Postgres has no counterpart for (projection, trimming hidden columns, the WITH
 * wrapper) are skipped; their subqueries and CTEs attach to the next node shown. The
 * Renderer first builds the shown tree (ShownNode: titles, estimates, details, children
 * with their parent relationship), which this file writes as text and
 * `explain-structured.ts` as JSON or YAML. Exported for the coordinator.
 */
import { expandsToChildren, inheritanceModifyProps, inheritanceScanNode }
  from "../partition/inherit-scan.js";
import type { Expr, VarExpr } from "../analyze/expr.js";
import { mapExpr } from "../analyze/expr-map.js";
import type { FormatSettings } from "../catalog/type-io.js";
import type { Catalog } from "../catalog/catalog.js";
import { modifyPartitionProps, partitionScanNode } from "../partition/explain-append.js";
import { CostModel, type Cost } from "./explain-cost.js";
import { deparseAgg, deparseExpr, deparseWindowCall, quoteIdent, sortSuffix, splitVarName,
  type DeparseContext } from "./explain-deparse.js";
import { docList, docNumber } from "./explain-doc.js";
import { countProp, nodeProperties, type Prop } from "./explain-props.js";
import { neededColumns } from "./explain-needed.js";
import {
  hashOutput, modifyInputPlace, nodeOutput, type OutputPlace,
} from "./explain-output.js";
import type { Plan, ProjectPlan } from "./plan.js";

export interface ExplainOptions {
  readonly costs: boolean;
  readonly verbose: boolean;
  readonly analyze: boolean;
  readonly timing: boolean;
  readonly fmt: FormatSettings;
  /** For partitioned tables' partitions (`partition/explain-append.ts`). */
  readonly catalog?: Catalog;
}

/** What EXPLAIN ANALYZE measured for one node. */
export interface NodeInstrument {
  firstMs: number | null;
  totalMs: number;
  rows: number;
  loops: number;
  removedByFilter: number;
  /** Set by a Sort when it has sorted. */
  sort: { method: string; rows: number } | null;
}

export type Instruments = ReadonlyMap<Plan, NodeInstrument>;

/** Renders `plan` as EXPLAIN's text lines, the top node indented `indent` levels. */
export function explainLines(plan: Plan, options: ExplainOptions,
  instruments: Instruments | null = null, indent = 0): string[] {
  const r = new Renderer(plan, options, instruments);
  const lines: string[] = [];
  r.textLines(r.build(plan, []), indent, null, lines);
  return lines;
}

/** A CTE or subquery shown under a node: "CTE c", "InitPlan 1 (returns $0)", "SubPlan 2". */
interface Attached {
  readonly label: string;
  readonly plan: Plan;
  readonly after: boolean;
}

/**
 * One node as EXPLAIN shows it, for every format: the plan it stands for, its text title,
 * estimates, the plan whose instrument it reports (null: none), details and children.
 * `synthetic` marks nodes Postgres has and our plans fold away: the Append under a set
 * operation, the Subquery Scan around each side of INTERSECT/EXCEPT, a hash join's Hash.
 */
export interface ShownNode {
  readonly plan: Plan;
  readonly synthetic: "append" | "setOpSubquery" | "hash" | "result" | null;
  readonly title: string;
  /** The name the node's relation goes by (unique per query), "" when it has none. */
  readonly refName: string;
  readonly cost: Cost | null;
  readonly actual: Plan | null;
  readonly props: readonly Prop[];
  readonly children: readonly ShownChild[];
}

/** A child with its "Parent Relationship" and, for InitPlans and SubPlans, its name. */
export interface ShownChild {
  readonly relationship: "Outer" | "Inner" | "Member" | "Subquery" | "InitPlan" | "SubPlan";
  readonly label: string | null;
  readonly node: ShownNode;
}

export class Renderer {
  readonly costs: CostModel;
  /** Postgres prefixes column names with their table where the query has several. */
  readonly multiRel: boolean;
  private readonly initParams = new Map<number, number>();
  private readonly tableUses = new Map<string, Plan[]>();
  /** Scans under UPDATE or DELETE of a partitioned table: partitions keep `p_1` names. */
  private readonly numberedScans = new Set<Plan>();

  constructor(root: Plan, readonly options: ExplainOptions,
    private readonly instruments: Instruments | null) {
    this.costs = new CostModel(neededColumns(root));
    this.multiRel = countRelations(root) > 1;
  }

  /** Builds the shown tree of `plan`, with the CTEs and subqueries of skipped parents. */
  build(plan: Plan, inherited: readonly Attached[], place: OutputPlace = "top"): ShownNode {
    const attached = [...inherited];
    const { shown, projection } = this.skipHidden(plan, attached);
    const catalog = this.options.catalog;
    if (shown.kind === "seqScan" && expandsToChildren(shown) && catalog !== undefined) {
      return inheritanceScanNode(shown, catalog, (member) => this.build(member, attached, place),
        this.numberedScans.has(shown));
    }
    if (shown.kind === "seqScan" && shown.relation.partitionKey !== undefined &&
      catalog !== undefined) {
      return partitionScanNode(shown, catalog, this.numberedScans.has(shown),
        (leaf) => this.build(leaf, attached, place));
    }
    const partitionProps = shown.kind === "modify" && catalog !== undefined
      ? inheritanceModifyProps(shown, catalog) ?? modifyPartitionProps(shown, catalog)
      : undefined;
    if (partitionProps?.scan !== undefined) this.numberedScans.add(partitionProps.scan);
    const refName = this.refName(shown);
    const title = nodeTitle(shown, this.options.verbose);
    const output = this.options.verbose
      ? nodeOutput(this, shown, projection, refName, place) : null;
    const props = [...(output === null ? [] : [outputProp(output)]),
      ...(partitionProps?.props ?? []), ...nodeProperties(shown, this)];
    const children: ShownChild[] = [];
    const attach = (after: boolean): void => {
      for (const a of attached.filter((x) => x.after === after)) {
        children.push({ relationship: after ? "SubPlan" : "InitPlan", label: a.label,
          node: this.build(a.plan, []) });
      }
    };
    attach(false);
    if (shown.kind === "setOp" && !(shown.op === "union" && shown.all)) {
      children.push({ relationship: "Outer", label: null, node: this.appendNode(shown) });
    } else {
      const inputs = childrenOf(shown);
      const member = shown.kind === "setOp";
      const place: OutputPlace = shown.kind === "modify" ? modifyInputPlace(this, shown)
        : shown.kind === "agg" || shown.kind === "distinct" ? "agg" : "top";
      inputs.forEach((child, i) => children.push({ label: null,
        node: this.build(child, [], place),
        relationship: member ? "Member" : shown.kind === "subqueryScan" && shown.alias !== ""
          ? "Subquery" : i === 0 ? "Outer" : "Inner" }));
    }
    if (shown.kind === "hashJoin") {
      const build = hashSides(shown).build;
      const output = this.options.verbose ? hashOutput(this, shown, build, projection) : null;
      children.push({ relationship: "Inner", label: null, node: this.hashNode(build, output) });
    }
    attach(true);
    const renamed = (shown.kind === "seqScan" || shown.kind === "indexScan") &&
      shown.alias === shown.relation.name && refName !== shown.alias;
    const withName = renamed ? `${title} ${quoteIdent(refName)}` : title;
    return { plan: shown, synthetic: null, title: withName, refName,
      cost: this.costs.cost(shown), actual: shown, props, children };
  }

  /** Writes `node` as text lines at indent level `indent`, under `label` if given. */
  textLines(node: ShownNode, indent: number, label: string | null, lines: string[]): void {
    let level = indent;
    if (label !== null) {
      lines.push(`${spaces(level)}${label}`);
      level++;
    }
    const head = level > 0 ? `${spaces(level)}->  ` : "";
    lines.push(`${head}${node.title}${this.costText(node.cost)}${this.actualText(node.actual)}`);
    const inner = level > 0 ? level + 3 : level + 1;
    for (const p of node.props) if (p.text !== null) lines.push(`${spaces(inner)}${p.text}`);
    for (const c of node.children) this.textLines(c.node, inner, c.label, lines);
  }

  /** Skips nodes Postgres does not show, collecting their CTEs and subqueries. */
  private skipHidden(plan: Plan, attached: Attached[]):
    { shown: Plan; projection: ProjectPlan | null } {
    let p = plan;
    let projection: ProjectPlan | null = null;
    for (;;) {
      if (p.kind === "with") {
        for (const c of p.ctes) attached.push({ label: `CTE ${quoteIdent(c.name)}`, plan: c.plan,
          after: false });
        p = p.input;
      } else if (p.kind === "trim") p = p.input;
      else if (p.kind === "subqueryScan" && p.filter === null && p.alias !== "") p = p.input;
      else if (p.kind === "project" && p.srfs.length === 0 && p.input.kind !== "result" &&
        p.aboveSort !== true) {
        this.collectSubplans(p.exprs, attached);
        projection = p;
        p = p.input;
      } else break;
    }
    this.collectSubplans(ownExprs(p), attached);
    return { shown: p, projection };
  }

  private collectSubplans(exprs: readonly Expr[], attached: Attached[]): void {
    for (const e of exprs) {
      mapExpr(e, (x) => {
        if (x.kind !== "subLink") return undefined;
        if (x.params.length === 0 && x.readsEnclosing !== true && x.readsCorrelatedCte !== true) {
          const param = this.initParams.size;
          if (!this.initParams.has(x.id)) this.initParams.set(x.id, param);
          attached.push({ label: `InitPlan ${x.id} (returns $${this.initParams.get(x.id)})`,
            plan: x.plan, after: false });
        } else attached.push({ label: `SubPlan ${x.id}`, plan: x.plan, after: true });
        return undefined;
      });
    }
  }

  /** The Append under a UNION, INTERSECT or EXCEPT that removes duplicates. */
  private appendNode(plan: Plan & { kind: "setOp" }): ShownNode {
    const l = this.costs.cost(plan.left);
    const r = this.costs.cost(plan.right);
    const union = plan.op === "union";
    const children = [plan.left, plan.right].map((child, i): ShownChild => {
      const node = this.build(child, []);
      if (union) return { relationship: "Member", label: null, node };
      const alias = `*SELECT* ${i + 1}`;
      return { relationship: "Member", label: null, node: { plan: child,
        synthetic: "setOpSubquery", title: `Subquery Scan on ${quoteIdent(alias)}`,
        refName: alias, cost: null, actual: null, props: [],
        children: [{ relationship: "Subquery", label: null, node }] } };
    });
    return { plan, synthetic: "append", title: "Append", refName: "", actual: null,
      props: [countProp("Subplans Removed", 0)],
      cost: { startup: 0, total: l.total + r.total, rows: l.rows + r.rows, width: l.width },
      children };
  }

  /** The inner side of a hash join, under the Hash node Postgres shows. */
  private hashNode(inner: Plan, output: readonly string[] | null): ShownNode {
    const c = this.costs.cost(inner);
    const props: Prop[] = output === null ? [] : [outputProp(output)];
    if (this.options.analyze) {
      // Postgres sizes the table for the estimated rows; memory is buckets plus tuples.
      const rows = this.instruments?.get(inner)?.rows ?? 0;
      const buckets = Math.max(1024, 2 ** Math.ceil(Math.log2(Math.max(c.rows, 1))));
      const kb = Math.ceil((buckets * 8 + rows * (c.width + 24)) / 1024);
      props.push({ text: `Buckets: ${buckets}  Batches: 1  Memory Usage: ${kb}kB`, fields: [
        ["Hash Buckets", docNumber(buckets)], ["Original Hash Buckets", docNumber(buckets)],
        ["Hash Batches", docNumber(1)], ["Original Hash Batches", docNumber(1)],
        ["Peak Memory Usage", docNumber(kb)]] });
    }
    return { plan: inner, synthetic: "hash", title: "Hash", refName: "", actual: inner, props,
      cost: { startup: c.total, total: c.total, rows: c.rows, width: c.width },
      children: [{ relationship: "Outer", label: null, node: this.build(inner, [],
        output ?? "none") }] };
  }

  /**
   * Whether the planner could prove the join's inner side matches at most one row per outer
   * row (Postgres's inner_unique): a hash join built on a table scan whose hash keys cover a
   * unique index of that table. Semi and anti joins never claim it.
   */
  innerUnique(plan: Plan & { kind: "nestLoop" | "hashJoin" }): boolean {
    if (plan.kind !== "hashJoin" || plan.joinType === "semi" || plan.joinType === "anti") {
      return false;
    }
    const build = hashSides(plan).build;
    if (build.kind !== "seqScan" && build.kind !== "indexScan") return false;
    const keys = plan.buildSide === "left" ? plan.leftKeys : plan.rightKeys;
    const columns = new Set(keys.filter((k): k is VarExpr => k.kind === "var" &&
      k.tableOid === build.relation.oid && k.attnum > 0).map((k) => k.attnum - 1));
    return build.relation.indexes.some((index) => index.unique &&
      index.computed === undefined && index.columns.every((c) => columns.has(c)));
  }

  /** The name a scanned relation goes by: Postgres names a second unaliased use t_1, t_2. */
  private refName(plan: Plan): string {
    switch (plan.kind) {
      case "seqScan": case "indexScan": {
        if (plan.alias !== plan.relation.name) return plan.alias;
        const uses = this.tableUses.get(plan.alias) ?? [];
        if (!uses.includes(plan)) uses.push(plan);
        this.tableUses.set(plan.alias, uses);
        const n = uses.indexOf(plan);
        return n === 0 ? plan.alias : `${plan.alias}_${n}`;
      }
      case "modify": return plan.alias === "" ? plan.relation.name : plan.alias;
      case "functionScan": case "cteScan": return plan.alias === "" ? plan.name : plan.alias;
      case "workTableScan": return plan.alias;
      case "subqueryScan": return plan.alias;
      case "values": return plan.values.length === 1 ? "" : "*VALUES*";
      default: return "";
    }
  }

  private costText(c: Cost | null): string {
    if (!this.options.costs || c === null) return "";
    return `  (cost=${fmt2(c.startup)}..${fmt2(c.total)} rows=${c.rows} width=${c.width})`;
  }

  actualText(plan: Plan | null): string {
    if (plan === null) return "";
    if (!this.options.analyze || this.instruments === null) return "";
    const i = this.instruments.get(plan);
    if (i === undefined || i.loops === 0) return " (never executed)";
    const rows = Math.round(i.rows / i.loops);
    if (!this.options.timing) return ` (actual rows=${rows} loops=${i.loops})`;
    const first = (i.firstMs ?? i.totalMs) / i.loops;
    return ` (actual time=${first.toFixed(3)}..${(i.totalMs / i.loops).toFixed(3)} ` +
      `rows=${rows} loops=${i.loops})`;
  }

  instrument(plan: Plan): NodeInstrument | undefined {
    return this.instruments?.get(plan);
  }

  /** A deparse context for expressions a node evaluates over its input `input`. */
  contextOver(input: Plan | null, prefix: boolean): DeparseContext {
    return {
      fmt: this.options.fmt,
      subLink: (x) => {
        const param = this.initParams.get(x.id);
        return param === undefined ? `(SubPlan ${x.id})` : `$${param}`;
      },
      column: (v) => {
        const r = input === null ? { text: this.varName(v, prefix), simple: true }
          : this.columnText(v, input, prefix);
        return r.simple ? r.text : `(${r.text})`;
      },
    };
  }

  /** Prefix policy for a node's expressions: scan quals never, everything else when several. */
  prefixFor(scanQual: boolean): boolean {
    return this.options.verbose || (!scanQual && this.multiRel);
  }

  varName(v: VarExpr, prefix: boolean): string {
    const { alias, column } = splitVarName(v.name);
    return prefix && alias !== "" ? `${quoteIdent(alias)}.${quoteIdent(column)}`
      : quoteIdent(column);
  }

  /** The text of output column `v.index` of `plan`, as a parent node refers to it. */
  columnText(v: VarExpr, plan: Plan, prefix: boolean): { text: string; simple: boolean } {
    switch (plan.kind) {
      case "sort": case "limit": case "distinct": case "trim": case "with":
        return this.columnText(v, plan.input, prefix);
      case "window": {
        if (v.index < plan.input.width) return this.columnText(v, plan.input, prefix);
        const call = plan.calls[v.index - plan.input.width]!;
        return { text: deparseWindowCall(call, this.contextOver(plan.input, prefix)),
          simple: false };
      }
      case "agg": {
        const keys = plan.groupKeys.length;
        if (v.index >= keys) {
          const agg = plan.aggs[v.index - keys]!;
          return { text: deparseAgg(agg, this.contextOver(plan.input, prefix)), simple: false };
        }
        const key = plan.groupKeys[v.index]!;
        if (key.kind === "var") return this.columnText(key, plan.input, prefix);
        return { text: deparseExpr(key, this.contextOver(plan.input, prefix)), simple: false };
      }
      case "project": {
        const e = plan.exprs[v.index]!;
        if (e.kind === "var") return this.columnText(e, plan.input, prefix);
        return { text: deparseExpr(e, this.contextOver(plan.input, prefix)), simple: false };
      }
      default:
        return { text: this.varName(v, prefix), simple: true };
    }
  }
}

/** VERBOSE's Output detail. */
function outputProp(columns: readonly string[]): Prop {
  return { text: `Output: ${columns.join(", ")}`, fields: [["Output", docList(columns)]] };
}

/** The children a node shows with "->" (the hash join's inner side is added separately). */
function childrenOf(plan: Plan): Plan[] {
  switch (plan.kind) {
    case "nestLoop": return [plan.left, plan.right];
    case "hashJoin": return [hashSides(plan).probe];
    case "setOp": return [plan.left, plan.right];
    case "recursiveUnion": return [plan.base, plan.recursive];
    case "project":
      return plan.input.kind === "result" && plan.srfs.length === 0 ? [] : [plan.input];
    case "subqueryScan":
      return plan.alias === "" && plan.input.kind === "result" ? [] : [plan.input];
    case "agg": case "window": case "sort": case "limit": case "distinct":
    case "modify": case "trim": case "with":
      return [plan.input];
    default: return [];
  }
}

/** Expressions of a node that may hold subqueries. */
function ownExprs(plan: Plan): Expr[] {
  const list: (Expr | null)[] = [];
  switch (plan.kind) {
    case "seqScan": case "indexScan": case "subqueryScan": case "cteScan": case "functionScan":
    case "workTableScan":
      list.push(plan.filter);
      break;
    case "nestLoop": case "hashJoin": list.push(plan.cond, plan.filter); break;
    case "agg": list.push(plan.filter); break;
    case "project": list.push(...plan.exprs); break;
    default: break;
  }
  return list.filter((e): e is Expr => e !== null);
}

/** The node's first line, without costs: "Seq Scan on t", "Hash Left Join" … */
export function nodeTitle(plan: Plan, verbose: boolean): string {
  const relName = (schema: string, name: string): string =>
    verbose ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
  const withAlias = (name: string, alias: string, base: string): string =>
    (alias === "" || alias === base ? name : `${name} ${quoteIdent(alias)}`);
  switch (plan.kind) {
    case "seqScan":
      return withAlias(`${plan.sample !== undefined ? "Sample" : "Seq"} Scan on ` +
        relName(plan.relation.schema, plan.relation.name), plan.alias, plan.relation.name);
    case "indexScan":
      return withAlias(`Index Scan${plan.backward ? " Backward" : ""} using ` +
        `${quoteIdent(plan.index.name)} on ${relName(plan.relation.schema, plan.relation.name)}`,
      plan.alias, plan.relation.name);
    case "values": return plan.values.length === 1 ? "Result" : "Values Scan on \"*VALUES*\"";
    case "functionScan": return withAlias(`Function Scan on ${plan.name}`, plan.alias, plan.name);
    case "subqueryScan":
      return plan.alias === "" ? "Result" : `Subquery Scan on ${quoteIdent(plan.alias)}`;
    case "cteScan": return withAlias(`CTE Scan on ${quoteIdent(plan.name)}`, plan.alias, plan.name);
    case "workTableScan": return `WorkTable Scan on ${quoteIdent(plan.alias)}`;
    case "nestLoop": return `Nested Loop${joinSuffix(plan.joinType)}`;
    case "hashJoin": {
      const flipped = plan.buildSide === "left" ? flipJoin(plan.joinType) : plan.joinType;
      return `Hash${flipped === "inner" ? " Join" : joinSuffix(flipped)}`;
    }
    case "modify": {
      const verb = plan.operation === "insert" ? "Insert" : plan.operation === "update"
        ? "Update" : plan.operation === "merge" ? "Merge" : "Delete";
      return withAlias(`${verb} on ${relName(plan.relation.schema, plan.relation.name)}`,
        plan.alias, plan.relation.name);
    }
    default: return upperTitle(plan);
  }
}

function upperTitle(plan: Plan): string {
  switch (plan.kind) {
    case "agg": {
      if (plan.groupingSets !== null) {
        const hasEmpty = plan.groupingSets.some((s) => s.length === 0);
        const hasKeys = plan.groupingSets.some((s) => s.length > 0);
        return hasEmpty && hasKeys ? "MixedAggregate" : hasKeys ? "HashAggregate" : "Aggregate";
      }
      return plan.strategy === "plain" ? "Aggregate"
        : plan.strategy === "hashed" ? "HashAggregate" : "GroupAggregate";
    }
    case "window": return "WindowAgg";
    case "sort": return "Sort";
    case "limit": return "Limit";
    case "distinct": return plan.on ? "Unique" : "HashAggregate";
    case "project": return plan.srfs.length > 0 ? "ProjectSet" : "Result";
    case "setOp":
      if (plan.op === "union") return plan.all ? "Append" : "HashAggregate";
      return `HashSetOp ${plan.op === "intersect" ? "Intersect" : "Except"}` +
        `${plan.all ? " All" : ""}`;
    case "recursiveUnion": return "Recursive Union";
    case "result": return "Result";
    default: return plan.kind;
  }
}

/** The hash join's outer (probe) and inner (build, under "Hash") inputs. */
export function hashSides(plan: Plan & { kind: "hashJoin" }): { probe: Plan; build: Plan } {
  return plan.buildSide === "left" ? { probe: plan.right, build: plan.left }
    : { probe: plan.left, build: plan.right };
}

/** A join seen from the other side: LEFT becomes RIGHT. */
function flipJoin(type: string): string {
  return type === "left" ? "right" : type === "right" ? "left" : type;
}

function joinSuffix(type: string): string {
  switch (type) {
    case "left": return " Left Join";
    case "right": return " Right Join";
    case "full": return " Full Join";
    case "semi": return " Semi Join";
    case "anti": return " Anti Join";
    default: return "";
  }
}

/** Counts the relations a query reads (Postgres's range table length, roughly). */
function countRelations(plan: Plan): number {
  let n = 0;
  const visit = (p: Plan): void => {
    if (p.kind === "seqScan" || p.kind === "indexScan" || p.kind === "cteScan" ||
      p.kind === "functionScan" || p.kind === "values" || p.kind === "subqueryScan" ||
      p.kind === "workTableScan") n++;
    for (const c of childrenOf(p)) visit(c);
    if (p.kind === "hashJoin") visit(hashSides(p).build);
    if (p.kind === "with") for (const c of p.ctes) visit(c.plan);
    for (const e of ownExprs(p)) {
      mapExpr(e, (x) => {
        if (x.kind === "subLink") visit(x.plan);
        return undefined;
      });
    }
  };
  visit(plan);
  return n;
}

function spaces(level: number): string {
  return " ".repeat(level * 2);
}

function fmt2(n: number): string {
  return (Math.round(n * 100) / 100).toFixed(2);
}

export { sortSuffix };
