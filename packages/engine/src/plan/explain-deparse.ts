/**
 * Analyzed expressions back to text the way EXPLAIN shows them (Postgres's ruleutils.c,
 * get_rule_expr without pretty-printing): every operator, boolean and test in parentheses,
 * constants with a type label unless they are integers, booleans or float-looking numerics,
 * casts as `(x)::numeric`.
 *
 *   (x > 5)    ((y = 'a'::text) AND ((x + 1) > 3))    (x = '-1'::integer)    count(*)
 *
 * A column reads as its name, with its table's alias in front only where Postgres would put
 * one (more than one table in the query, or VERBOSE); `DeparseContext.column` decides.
 */
import { assertNever } from "@tessera/base";
import { isKeyword, type PgArray, type Value } from "@tessera/sql";
import type { AggCall, Expr, SubLinkExpr, VarExpr, WindowCall } from "../analyze/expr.js";
import { outputValue, type FormatSettings } from "../catalog/type-io.js";
import { Oid, arrayOf, formatTypeName } from "../catalog/types.js";

export interface DeparseContext {
  /** The text of a column reference (resolved through the node's input when needed). */
  column(v: VarExpr): string;
  /** The text of the select list's set-returning call `index`. */
  srf?(index: number): string;
  /** The text of a subquery: `$0` for an initplan's value, `(SubPlan 2)` otherwise. */
  subLink?(e: SubLinkExpr): string;
  readonly fmt: FormatSettings;
}

/** Deparses `e` as EXPLAIN prints it. */
export function deparseExpr(e: Expr, ctx: DeparseContext): string {
  const d = (x: Expr): string => deparseExpr(x, ctx);
  switch (e.kind) {
    case "const": return deparseConst(e.type, e.typmod, e.value, ctx.fmt);
    case "param": return `$${e.index + 1}`;
    case "var": return ctx.column(e);
    case "outer": return e.name;
    case "call": return deparseCall(e, ctx);
    case "cast": return `(${d(e.arg)})::${formatTypeName(e.type, e.typmod)}`;
    case "and": return `(${e.args.map(d).join(" AND ")})`;
    case "or": return anyArray(e.args, ctx) ?? `(${e.args.map(d).join(" OR ")})`;
    case "not": return negated(e.args[0]!, ctx) ?? `(NOT ${d(e.args[0]!)})`;
    case "case": {
      const head = e.arg === null ? "CASE" : `CASE ${d(e.arg)}`;
      const whens = e.whens.map((w) => {
        const cond = e.arg !== null && w.cond.kind === "call" && w.cond.args.length === 2
          ? d(w.cond.args[1]!) : d(w.cond);
        return ` WHEN ${cond} THEN ${d(w.result)}`;
      }).join("");
      return `${head}${whens} ELSE ${d(e.otherwise)} END`;
    }
    case "caseTest": return "CASE_TEST_EXPR";
    case "coalesce": return `COALESCE(${e.args.map(d).join(", ")})`;
    case "minmax": return `${e.greatest ? "GREATEST" : "LEAST"}(${e.args.map(d).join(", ")})`;
    case "nullTest": return `(${d(e.arg)} IS ${e.negated ? "NOT " : ""}NULL)`;
    case "boolTest": return `(${d(e.arg)} ${e.test.replace(/_/g, " ")})`;
    case "distinct":
      return e.negated ? `(NOT (${d(e.left)} IS DISTINCT FROM ${d(e.right)}))`
        : `(${d(e.left)} IS DISTINCT FROM ${d(e.right)})`;
    case "nullif": return `NULLIF(${d(e.left)}, ${d(e.right)})`;
    case "array": return `ARRAY[${e.elements.map(d).join(", ")}]`;
    case "row": return `ROW(${e.args.map(d).join(", ")})`;
    case "aggref": return deparseAgg(e.agg, ctx);
    case "windowref": return deparseWindowCall(e.call, ctx);
    case "subLink": return ctx.subLink?.(e) ?? `(SubPlan ${e.id})`;
    case "srfref": return ctx.srf?.(e.index) ?? "?";
    default: return assertNever(e, "expression kind");
  }
}

function deparseCall(e: Expr & { kind: "call" }, ctx: DeparseContext): string {
  const d = (x: Expr): string => deparseExpr(x, ctx);
  if (e.deparse !== undefined) return e.deparse(e.args.map(d));
  if (!e.operator) return `${quoteIdent(e.name)}(${e.args.map(d).join(", ")})`;
  if (e.name.endsWith(" ANY") || e.name.endsWith(" ALL")) {
    return `(${d(e.args[0]!)} ${e.name} (${d(e.args[1]!)}))`;
  }
  if (e.args.length === 1) return `(${e.name} ${d(e.args[0]!)})`;
  return `(${d(e.args[0]!)} ${e.name} ${d(e.args[1]!)})`;
}

const negators: Record<string, string> = { "=": "<>", "<>": "=", "<": ">=", ">=": "<",
  ">": "<=", "<=": ">" };

/** `NOT (a > b)` as Postgres's planner shows it, `(a <= b)`. */
function negated(e: Expr, ctx: DeparseContext): string | null {
  if (e.kind !== "call" || !e.operator || e.args.length !== 2) return null;
  const op = negators[e.name];
  if (op === undefined) return null;
  return `(${deparseExpr(e.args[0]!, ctx)} ${op} ${deparseExpr(e.args[1]!, ctx)})`;
}

/** An IN list (`x = 1 OR x = 2`, as analysis builds it) as Postgres shows `x = ANY (…)`. */
function anyArray(args: readonly Expr[], ctx: DeparseContext): string | null {
  const first = args[0];
  if (first === undefined || first.kind !== "call" || first.name !== "=") return null;
  const left = deparseExpr(first.args[0]!, ctx);
  const type = first.args[1]?.type ?? 0;
  const items: Value[] = [];
  for (const a of args) {
    if (a.kind !== "call" || !a.operator || a.name !== "=" || a.args.length !== 2) return null;
    const right = a.args[1]!;
    if (right.kind !== "const" || right.type !== type || right.value === null) return null;
    if (deparseExpr(a.args[0]!, ctx) !== left) return null;
    items.push(right.value);
  }
  const arrayType = arrayOf(type);
  if (arrayType === 0) return null;
  const array: PgArray = { kind: "array", elementType: type, dims: [items.length],
    lowerBounds: [1], items };
  return `(${left} = ANY (${deparseConst(arrayType, -1, array, ctx.fmt)}))`;
}

/** Deparses an aggregate call: `count(*)`, `sum(DISTINCT x)`, `count(*) FILTER (WHERE …)`. */
export function deparseAgg(agg: AggCall, ctx: DeparseContext): string {
  const d = (x: Expr): string => deparseExpr(x, ctx);
  let args = agg.star ? "*" : agg.args.map(d).join(", ");
  if (agg.distinct) args = `DISTINCT ${args}`;
  if (agg.order.length > 0) {
    args += ` ORDER BY ${agg.order.map((k) => d(k.expr) + sortSuffix(k)).join(", ")}`;
  }
  const filter = agg.filter === null ? "" : ` FILTER (WHERE ${d(agg.filter)})`;
  const name = agg.grouping !== undefined ? "GROUPING" : quoteIdent(agg.name);
  return `${name}(${args})${filter}`;
}

/** Deparses a window call as Postgres 15's EXPLAIN does, window shown as `(?)`. */
export function deparseWindowCall(call: WindowCall, ctx: DeparseContext): string {
  const args = call.def.kind === "aggregate" && call.args.length === 0 && call.name === "count"
    ? "*" : call.args.map((a) => deparseExpr(a, ctx)).join(", ");
  const filter = call.filter === null ? "" : ` FILTER (WHERE ${deparseExpr(call.filter, ctx)})`;
  return `${quoteIdent(call.name)}(${args})${filter} OVER (?)`;
}

/** Returns " DESC", " NULLS FIRST" … as a sort key needs them. */
export function sortSuffix(k: { descending: boolean; nullsFirst: boolean }): string {
  if (k.descending) return k.nullsFirst ? " DESC" : " DESC NULLS LAST";
  return k.nullsFirst ? " NULLS FIRST" : "";
}

/** Prints a constant as get_const_expr does. */
export function deparseConst(type: number, typmod: number, value: Value,
  fmt: FormatSettings): string {
  const label = `::${formatTypeName(type, typmod)}`;
  if (value === null) return `NULL${label}`;
  const text = outputValue(type, value, fmt);
  switch (type) {
    case Oid.int4:
      return text.startsWith("-") ? `'${text}'${label}` : text;
    case Oid.numeric:
      return /^[0-9]/.test(text) && /[eE.]/.test(text) && typmod < 0 ? text
        : `${quoteLiteral(text)}${label}`;
    case Oid.bool:
      return text === "t" ? "true" : "false";
    case Oid.unknown:
      return quoteLiteral(text);
    default:
      return `${quoteLiteral(text)}${label}`;
  }
}

function quoteLiteral(text: string): string {
  const body = text.replace(/'/g, "''");
  return text.includes("\\") ? `E'${body.replace(/\\/g, "\\\\")}'` : `'${body}'`;
}

/** Quotes an identifier when Postgres's quote_identifier would. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !isKeyword(name)) return name;
  return `"${name.replace(/"/g, "\"\"")}"`;
}

/** Splits a var's "alias.column" name into its two parts (alias "" when there is none). */
export function splitVarName(name: string): { alias: string; column: string } {
  const dot = name.indexOf(".");
  return dot < 0 ? { alias: "", column: name }
    : { alias: name.slice(0, dot), column: name.slice(dot + 1) };
}
