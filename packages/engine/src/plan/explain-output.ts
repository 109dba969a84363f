/**
 * EXPLAIN VERBOSE's "Output" of a node (explain.c's show_plan_tlist): the columns the node
 * returns, deparsed, prefixed with their table when the query reads several relations.
 *
 *     Seq Scan on public.b          Output: id, aid, w       (a scan returns whole rows …)
 *     Seq Scan on public.b          Output: w                (… or the select list it computes)
 *     Aggregate                     Output: count(*)
 *     Sort                          Output: ((aid + 1))      (a column its input computed)
 *
 * Where Postgres narrows a target list in ways our plans do not record (an INSERT's rows,
 * the rows an UPDATE … FROM reads, function, CTE and subquery scans) no Output is shown
 * rather than a guess.
 */
import type { Expr, VarExpr } from "../analyze/expr.js";
import { mapExpr } from "../analyze/expr-map.js";
import { deparseExpr, quoteIdent, splitVarName } from "./explain-deparse.js";
import type { Renderer } from "./explain-text.js";
import type { ModifySpec } from "../analyze/modify.js";
import type { ModifyPlan, Plan, ProjectPlan } from "./plan.js";

/**
 * Where a node sits, as far as its target list goes: "top" computes what its parent wants,
 * "agg" feeds an aggregate (a scan then returns whole rows), "none" where we cannot tell; a
 * list is the Output its parent decided (a Hash's, an UPDATE's).
 */
export type OutputPlace = "top" | "agg" | "none" | readonly string[];

/**
 * The Output of `shown`; `projection` is the select list folded into it (a skipped Project
 * right above it), `refName` its relation's name in this query. Null when not shown.
 */
export function nodeOutput(r: Renderer, shown: Plan, projection: ProjectPlan | null,
  refName: string, place: OutputPlace): string[] | null {
  if (typeof place !== "string") return [...place];
  if (place === "none") return null;
  const scan = shown.kind === "seqScan" || shown.kind === "indexScan";
  const plainVars = projection !== null && projection.exprs.every((e) => e.kind === "var");
  if (projection !== null && !(place === "agg" && scan && plainVars)) {
    return projected(r, shown, projection.exprs);
  }
  const prefix = r.multiRel;
  switch (shown.kind) {
    case "seqScan": case "indexScan":
      return shown.relation.columns.filter((c) => !c.dropped).map((c) =>
        (prefix ? `${quoteIdent(refName)}.${quoteIdent(c.name)}` : quoteIdent(c.name)));
    case "values":
      if (shown.values.length === 1) return projected(r, shown, shown.values[0]!);
      return Array.from({ length: shown.width }, (_x, i) =>
        (prefix ? `"*VALUES*".column${i + 1}` : `column${i + 1}`));
    case "nestLoop": case "hashJoin": {
      const names = [...fromColumns(r, shown.left), ...fromColumns(r, shown.right)];
      return names.some((n) => n === null) ? null : names as string[];
    }
    case "project":
      return shown.input.kind === "result" && shown.srfs.length === 0
        ? projected(r, shown.input, shown.exprs) : null;
    case "agg":
      return Array.from({ length: shown.width }, (_x, i) =>
        r.columnText(columnVar(i, shown), shown, prefix).text);
    case "sort": case "limit": case "distinct": {
      const input = shown.input;
      if (input.kind === "nestLoop" || input.kind === "hashJoin") return null;
      return Array.from({ length: shown.width }, (_x, i) =>
        r.contextOver(input, prefix).column(columnVar(i, input)));
    }
    default:
      return null;
  }
}

/** A select list the node computes: plain columns as its input names them, others deparsed. */
function projected(r: Renderer, input: Plan, exprs: readonly Expr[]): string[] | null {
  const prefix = r.multiRel;
  const ctx = r.contextOver(sourceOf(input), prefix);
  const out: string[] = [];
  for (const e of exprs) {
    if (e.kind === "var" && sourceOf(input) !== null) {
      out.push(r.columnText(e, input, prefix).text);
    } else {
      out.push(deparseExpr(e, ctx));
    }
  }
  return out;
}

/** The plan whose outputs a node's expressions read, or null when they read the FROM row. */
function sourceOf(plan: Plan): Plan | null {
  return plan.kind === "agg" || plan.kind === "window" ? plan : null;
}

/** The FROM-row columns a join input provides, as qualified names (null: unknown). */
function fromColumns(r: Renderer, plan: Plan): (string | null)[] {
  switch (plan.kind) {
    case "seqScan": case "indexScan":
      return plan.relation.columns.map((c) => r.varName(scanVar(plan, c.name), r.multiRel));
    case "nestLoop": case "hashJoin":
      return [...fromColumns(r, plan.left), ...fromColumns(r, plan.right)];
    default:
      return Array.from({ length: plan.width }, () => null);
  }
}

/** A var naming column `name` of a scan, as the analyzer names vars ("alias.column"). */
function scanVar(plan: Plan & { kind: "seqScan" | "indexScan" }, name: string): VarExpr {
  return { kind: "var", index: 0, type: 0, typmod: -1, name: `${plan.alias}.${name}`,
    tableOid: plan.relation.oid, attnum: 0 };
}

/** Output column `i` of `plan` as a var a parent node would hold. */
function columnVar(i: number, plan: Plan): VarExpr {
  const base: VarExpr = { kind: "var", index: i, type: 0, typmod: -1, name: `${i + 1}`,
    tableOid: 0, attnum: 0 };
  if (plan.kind === "seqScan" || plan.kind === "indexScan") {
    const column = plan.relation.columns[i];
    if (column !== undefined) return { ...scanVar(plan, column.name), index: i };
  }
  return base;
}

/**
 * The Output of a hash join's Hash (and of the scan under it): the build side's columns the
 * join uses, in the order Postgres collects them (the select list, then the hash keys, then
 * the other join conditions). Null unless the build side is a table scan.
 */
export function hashOutput(r: Renderer, join: Plan & { kind: "hashJoin" }, build: Plan,
  projection: ProjectPlan | null): string[] | null {
  if (build.kind !== "seqScan" && build.kind !== "indexScan") return null;
  const names: string[] = [];
  const add = (e: Expr | null): void => {
    if (e === null) return;
    mapExpr(e, (x) => {
      if (x.kind !== "var" || splitVarName(x.name).alias !== build.alias) return undefined;
      const name = r.varName(x, r.multiRel);
      if (!names.includes(name)) names.push(name);
      return undefined;
    });
  };
  if (projection === null) {
    return build.relation.columns.filter((c) => !c.dropped)
      .map((c) => r.varName(scanVar(build, c.name), r.multiRel));
  }
  projection.exprs.forEach(add);
  [...join.leftKeys, ...join.rightKeys].forEach(add);
  add(join.cond);
  add(join.filter);
  return names;
}

/**
 * What the scan under an UPDATE or DELETE returns: the new values of the assigned columns
 * then the row id (UPDATE), the row id alone (DELETE); not shown over a join, nor for an
 * INSERT of anything but one VALUES row.
 */
export function modifyInputPlace(r: Renderer, plan: ModifyPlan): OutputPlace {
  const input = plan.input;
  if (plan.operation === "insert") {
    // One VALUES row is a Result computing it; other sources we do not describe.
    const oneRow = (input.kind === "values" && input.values.length === 1) ||
      (input.kind === "project" && input.input.kind === "result");
    return oneRow ? "top" : "none";
  }
  if (input.kind !== "seqScan" && input.kind !== "indexScan") return "none";
  if (plan.operation === "delete") return ["ctid"];
  const sets = (plan.spec as ModifySpec).sets ?? [];
  const ctx = r.contextOver(null, r.multiRel);
  return [...sets.filter((e): e is Expr => e !== null).map((e) => deparseExpr(e, ctx)), "ctid"];
}
