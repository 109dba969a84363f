/**
 * EXPLAIN's text format (Postgres's explain.c, FORMAT TEXT): a plan tree as lines, each node
 * named as Postgres names it, its details two spaces in, its children behind "->  ".
 *
 *   Sort  (cost=74.54..77.21 rows=1070 width=48)
 *     Sort Key: x
 *     ->  Seq Scan on t  (cost=0.00..20.70 rows=1070 width=48)
 *
 * Nodes Postgres has no counterpart for (projection, trimming hidden columns, the WITH
 * wrapper) are skipped; their subqueries and CTEs attach to the next node shown. Exported
 * for the coordinator, which nests a worker's plan under its own Custom Scan node.
 */
import type { Expr, VarExpr } from "../analyze/expr.js";
import { mapExpr } from "../analyze/expr-map.js";
import type { FormatSettings } from "../catalog/type-io.js";
import { CostModel } from "./explain-cost.js";
import { deparseAgg, deparseExpr, deparseWindowCall, quoteIdent, sortSuffix, splitVarName,
  type DeparseContext } from "./explain-deparse.js";
import { nodeProperties } from "./explain-props.js";
import { neededColumns } from "./explain-needed.js";
import type { Plan } from "./plan.js";

export interface ExplainOptions {
  readonly costs: boolean;
  readonly verbose: boolean;
  readonly analyze: boolean;
  readonly timing: boolean;
  readonly fmt: FormatSettings;
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
  r.node(plan, indent, null, []);
  return r.lines;
}

/** A CTE or subquery shown under a node: "CTE c", "InitPlan 1 (returns $0)", "SubPlan 2". */
interface Attached {
  readonly label: string;
  readonly plan: Plan;
  readonly after: boolean;
}

export class Renderer {
  readonly lines: string[] = [];
  readonly costs: CostModel;
  /** Postgres prefixes column names with their table where the query has several. */
  readonly multiRel: boolean;
  private readonly initParams = new Map<number, number>();
  private readonly tableUses = new Map<string, Plan[]>();

  constructor(root: Plan, readonly options: ExplainOptions,
    private readonly instruments: Instruments | null) {
    this.costs = new CostModel(neededColumns(root));
    this.multiRel = countRelations(root) > 1;
  }

  /** Renders one node (and its subtree) at indent level `indent`. */
  node(plan: Plan, indent: number, label: string | null, inherited: readonly Attached[]): void {
    const attached = [...inherited];
    const shown = this.skipHidden(plan, attached);
    let level = indent;
    if (label !== null) {
      this.lines.push(`${spaces(level)}${label}`);
      level++;
    }
    const head = level > 0 ? `${spaces(level)}->  ` : "";
    this.lines.push(`${head}${this.title(shown)}${this.costText(shown)}${this.actualText(shown)}`);
    const inner = level > 0 ? level + 3 : level + 1;
    for (const p of nodeProperties(shown, this)) this.lines.push(`${spaces(inner)}${p}`);
    for (const a of attached.filter((x) => !x.after)) this.node(a.plan, inner, a.label, []);
    if (shown.kind === "setOp" && !(shown.op === "union" && shown.all)) {
      this.appendNode(shown, inner);
    } else {
      for (const child of childrenOf(shown)) this.node(child, inner, null, []);
    }
    if (shown.kind === "hashJoin") this.hashNode(hashSides(shown).build, inner);
    for (const a of attached.filter((x) => x.after)) this.node(a.plan, inner, a.label, []);
  }

  /** Skips nodes Postgres does not show, collecting their CTEs and subqueries. */
  private skipHidden(plan: Plan, attached: Attached[]): Plan {
    let p = plan;
    for (;;) {
      if (p.kind === "with") {
        for (const c of p.ctes) attached.push({ label: `CTE ${quoteIdent(c.name)}`, plan: c.plan,
          after: false });
        p = p.input;
      } else if (p.kind === "trim") p = p.input;
      else if (p.kind === "subqueryScan" && p.filter === null && p.alias !== "") p = p.input;
      else if (p.kind === "project" && p.srfs.length === 0 && p.input.kind !== "result") {
        this.collectSubplans(p.exprs, attached);
        p = p.input;
      } else break;
    }
    this.collectSubplans(ownExprs(p), attached);
    return p;
  }

  private collectSubplans(exprs: readonly Expr[], attached: Attached[]): void {
    for (const e of exprs) {
      mapExpr(e, (x) => {
        if (x.kind !== "subLink") return undefined;
        if (x.params.length === 0) {
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
  private appendNode(plan: Plan & { kind: "setOp" }, level: number): void {
    const l = this.costs.cost(plan.left);
    const r = this.costs.cost(plan.right);
    const cost = this.options.costs ? `  (cost=0.00..${fmt2(l.total + r.total)} ` +
      `rows=${l.rows + r.rows} width=${l.width})` : "";
    this.lines.push(`${spaces(level)}->  Append${cost}`);
    const union = plan.op === "union";
    [plan.left, plan.right].forEach((child, i) => {
      if (union) {
        this.node(child, level + 3, null, []);
        return;
      }
      this.lines.push(`${spaces(level + 3)}->  Subquery Scan on "*SELECT* ${i + 1}"`);
      this.node(child, level + 6, null, []);
    });
  }

  /** The inner side of a hash join, under the Hash node Postgres shows. */
  private hashNode(inner: Plan, level: number): void {
    const c = this.costs.cost(inner);
    const cost = this.options.costs
      ? `  (cost=${fmt2(c.total)}..${fmt2(c.total)} rows=${c.rows} width=${c.width})` : "";
    this.lines.push(`${spaces(level)}->  Hash${cost}${this.actualText(inner)}`);
    if (this.options.analyze) {
      // Postgres sizes the table for the estimated rows; memory is buckets plus tuples.
      const rows = this.instruments?.get(inner)?.rows ?? 0;
      const buckets = Math.max(1024, 2 ** Math.ceil(Math.log2(Math.max(c.rows, 1))));
      this.lines.push(`${spaces(level + 3)}Buckets: ${buckets}  Batches: 1  Memory Usage: ` +
        `${Math.ceil((buckets * 8 + rows * (c.width + 24)) / 1024)}kB`);
    }
    this.node(inner, level + 3, null, []);
  }

  private title(plan: Plan): string {
    const title = nodeTitle(plan, this.options.verbose);
    if ((plan.kind !== "seqScan" && plan.kind !== "indexScan") ||
      plan.alias !== plan.relation.name) return title;
    // Postgres names a second unaliased use of a table t_1, t_2 … (unique refnames).
    const uses = this.tableUses.get(plan.alias) ?? [];
    if (!uses.includes(plan)) uses.push(plan);
    this.tableUses.set(plan.alias, uses);
    const n = uses.indexOf(plan);
    return n === 0 ? title : `${title} ${quoteIdent(`${plan.alias}_${n}`)}`;
  }

  private costText(plan: Plan): string {
    if (!this.options.costs) return "";
    const c = this.costs.cost(plan);
    return `  (cost=${fmt2(c.startup)}..${fmt2(c.total)} rows=${c.rows} width=${c.width})`;
  }

  actualText(plan: Plan): string {
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
      return withAlias(`Seq Scan on ${relName(plan.relation.schema, plan.relation.name)}`,
        plan.alias, plan.relation.name);
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
        ? "Update" : "Delete";
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
