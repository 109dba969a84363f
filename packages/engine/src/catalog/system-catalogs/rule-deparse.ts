/**
 * Stored expressions (column defaults, CHECK constraints) back to text as Postgres's
 * ruleutils.c prints them for pg_get_expr and pg_get_constraintdef, pretty or not:
 *
 *   pretty:  amount >= 0::numeric      status = ANY (ARRAY['a'::text, 'b'::text])
 *   plain:   (amount >= (0)::numeric)  (status = ANY (ARRAY['a'::text, 'b'::text]))
 *
 * We print the analyzed expression. Postgres stores its expressions unfolded, so an integer
 * literal an operator widened prints as `0::numeric`; our analysis folds that cast into the
 * constant, and `constText` prints such a constant the way the unfolded cast would read.
 * Implicit casts show inside operators and function calls, not at the top (showimplicit).
 */
import { assertNever, notSupported } from "@tessera/base";
import type { Value } from "@tessera/sql";
import type { AggCall, CallExpr, Expr, OuterExpr, SortKey, SubLinkExpr, VarExpr, WindowCall,
  WindowRefName, WindowSpec } from "../../analyze/expr.js";
import { Frame } from "../../analyze/window-clause.js";
import { deparseConst, quoteIdent } from "../../plan/explain-deparse.js";
import { outputValue, type FormatSettings } from "../type-io.js";
import { Oid, formatTypeName } from "../types.js";

export interface RuleContext {
  readonly pretty: boolean;
  readonly fmt: FormatSettings;
  /** The text of column `attnum` (1-based) of the expression's relation. */
  column(attnum: number, name: string): string;
  /** The name of a relation as regclass prints it, for nextval('seq'::regclass). */
  relationName(name: string): string;
  /**
   * Set when printing a query (pg_get_viewdef): the indentation level of ruleutils.c's
   * pretty mode, which lays CASE out over several lines and positions subqueries.
   */
  readonly indent?: number;
  /** A query's column reference (`t.a`); `column` serves stored expressions. */
  variable?(e: VarExpr): string;
  /** A reference to an enclosing query's column, inside a subquery. */
  outer?(e: OuterExpr): string;
  /**
   * Functions written in SQL's own syntax in the source (`EXTRACT`, `SUBSTRING`, `TRIM`,
   * `AT TIME ZONE` as extract, substring, btrim, timezone …; CURRENT_DATE and its kin by their
   * SQLValueFunction op), printed back that way.
   */
  readonly sqlSyntax?: ReadonlySet<string>;
  /** False when the written expression has no IN list, so ORs print as written. */
  readonly inLists?: boolean;
  /** A subquery in an expression; `indent` is the level it starts at. */
  subLink?(e: SubLinkExpr, ctx: RuleContext): string;
}

type Parent = Expr | null;

/** Deparses a stored expression at the top level (implicit casts hidden). */
export function deparseStored(e: Expr, ctx: RuleContext): string {
  return rule(e, ctx, false, null);
}

/** Deparses an expression at the top level with implicit casts shown (a select-list entry). */
export function deparseShown(e: Expr, ctx: RuleContext): string {
  return rule(e, ctx, true, null);
}

function rule(e: Expr, ctx: RuleContext, showImplicit: boolean, parent: Parent): string {
  const paren = (s: string): string => (ctx.pretty ? s : `(${s})`);
  switch (e.kind) {
    case "const": return constText(e.type, e.typmod, e.value, ctx.fmt, true, !ctx.pretty);
    case "var": return ctx.variable?.(e) ?? ctx.column(e.attnum, e.name);
    case "param": return `$${e.index + 1}`;
    case "outer": return ctx.outer?.(e) ?? e.name;
    case "call": return callText(e, ctx);
    case "cast": {
      const keyword = timeKeyword(e, ctx);
      if (keyword !== undefined) return keyword;
      if (!e.explicit && !showImplicit) return rule(e.arg, ctx, false, parent);
      const arg = e.arg.kind === "const" && e.arg.type === e.type && e.arg.typmod < 0
        ? constText(e.arg.type, -1, e.arg.value, ctx.fmt, false) : child(e.arg, ctx, e, true);
      return `${ctx.pretty ? arg : `(${arg})`}::${formatTypeName(e.type, e.typmod)}`;
    }
    case "and": case "or": {
      const word = e.kind === "and" ? " AND " : " OR ";
      return anyList(e, ctx) ?? paren(e.args.map((a) => child(a, ctx, e, false)).join(word));
    }
    case "not": return paren(`NOT ${child(e.args[0]!, ctx, e, false)}`);
    case "nullTest":
      return paren(`${child(e.arg, ctx, e, true)} IS ${e.negated ? "NOT " : ""}NULL`);
    case "boolTest": return paren(`${child(e.arg, ctx, e, true)} ${e.test.replace(/_/g, " ")}`);
    case "distinct": {
      const left = child(e.left, ctx, e, true);
      const text = `${left} IS DISTINCT FROM ${child(e.right, ctx, e, true)}`;
      if (!e.negated) return paren(text);
      return ctx.pretty ? `NOT ${text}` : `(NOT (${text}))`;
    }
    case "nullif": return `NULLIF(${rule(e.left, ctx, true, e)}, ${rule(e.right, ctx, true, e)})`;
    case "coalesce": return `COALESCE(${list(e.args, ctx, e)})`;
    case "minmax": return `${e.greatest ? "GREATEST" : "LEAST"}(${list(e.args, ctx, e)})`;
    case "array": return `ARRAY[${list(e.elements, ctx, e)}]`;
    case "row": return `ROW(${list(e.args, ctx, e)})`;
    case "case": return caseText(e, ctx);
    case "caseTest": return "CASE_TEST_EXPR";
    case "aggref": return aggText(e.agg, ctx);
    case "windowref": return windowText(e.call, ctx);
    case "subLink": return subLinkText(e, ctx);
    case "srfref": return "?";
    default: return assertNever(e, "expression kind");
  }
}

function list(args: readonly Expr[], ctx: RuleContext, parent: Expr): string {
  return args.map((a) => rule(a, ctx, true, parent)).join(", ");
}

/** Prints `e` as an argument of `parent`, in parentheses where pretty mode needs them. */
function child(e: Expr, ctx: RuleContext, parent: Expr, showImplicit: boolean): string {
  const text = rule(e, ctx, showImplicit, parent);
  // An IN list prints as a ScalarArrayOpExpr, which isSimpleNode never calls simple.
  const arrayOp = (e.kind === "or" || e.kind === "and") && anyList(e, ctx) !== null;
  return ctx.pretty && (arrayOp || !isSimple(e, parent)) ? `(${text})` : text;
}

/** ruleutils.c's isSimpleNode: whether `e` reads unambiguously without parentheses. */
function isSimple(e: Expr, parent: Expr): boolean {
  switch (e.kind) {
    case "call":
      if (!e.operator) return true;
      // `x = ANY (array)` is a ScalarArrayOpExpr, which isSimpleNode never calls simple.
      if (e.name.endsWith(" ANY") || e.name.endsWith(" ALL")) return false;
      if (parent.kind === "call" && parent.operator) return simpleUnderOperator(e, parent);
      return simpleUnderOther(parent);
    case "nullTest": case "boolTest": case "distinct": case "subLink":
      return simpleUnderOther(parent);
    case "and": case "or": case "not":
      if (parent.kind === "and" || parent.kind === "or" || parent.kind === "not") {
        if (e.kind === "or") return parent.kind === "or";
        return parent.kind !== "not";
      }
      return simpleUnderOther(parent);
    default:
      return true;
  }
}

function simpleUnderOperator(e: CallExpr, parent: CallExpr): boolean {
  const low = (op: string): boolean => op === "+" || op === "-";
  const high = (op: string): boolean => op === "*" || op === "/" || op === "%";
  if (e.args.length !== 2 || parent.args.length !== 2) return false;
  if (!(low(e.name) || high(e.name)) || !(low(parent.name) || high(parent.name))) return false;
  if (high(e.name) && low(parent.name)) return true;
  if (low(e.name) && high(parent.name)) return false;
  return parent.args[0] === e;
}

function simpleUnderOther(parent: Expr): boolean {
  switch (parent.kind) {
    case "cast": return false;
    case "call": return !parent.operator;
    case "and": case "or": case "not": case "array": case "row": case "coalesce":
    case "minmax": case "nullif": case "case": case "aggref": case "windowref":
      return true;
    default: return false;
  }
}

function callText(e: CallExpr, ctx: RuleContext): string {
  const paren = (s: string): string => (ctx.pretty ? s : `(${s})`);
  if (e.deparse !== undefined) return e.deparse(e.args.map((a) => rule(a, ctx, true, e)));
  if (!e.operator) return sqlSyntaxCall(e, ctx) ?? `${quoteIdent(e.name)}(${functionArgs(e, ctx)})`;
  if (e.name.endsWith(" ANY") || e.name.endsWith(" ALL")) {
    return paren(`${child(e.args[0]!, ctx, e, true)} ${e.name} (${rule(e.args[1]!, ctx, true,
      e)})`);
  }
  if (e.args.length === 1) return paren(`${e.name} ${child(e.args[0]!, ctx, e, true)}`);
  return paren(`${child(e.args[0]!, ctx, e, true)} ${e.name} ${child(e.args[1]!, ctx, e, true)}`);
}

const trimWords: Record<string, string> = { btrim: "BOTH", ltrim: "LEADING", rtrim: "TRAILING" };

/** get_func_sql_syntax: a call written in SQL syntax, printed the way it was written. */
function sqlSyntaxCall(e: CallExpr, ctx: RuleContext): string | undefined {
  if (ctx.sqlSyntax?.has(e.name) !== true) return undefined;
  const arg = (i: number): string => rule(e.args[i]!, ctx, true, e);
  const n = e.args.length;
  if (e.name === "now" && n === 0 && ctx.sqlSyntax.has("SVFOP_CURRENT_TIMESTAMP")) {
    return "CURRENT_TIMESTAMP";
  }
  const field = e.args[0];
  switch (e.name) {
    case "extract":
      if (n !== 2 || field?.kind !== "const" || typeof field.value !== "string") return undefined;
      return `EXTRACT(${field.value} FROM ${arg(1)})`;
    case "substring":
      if (n === 2) return `SUBSTRING(${arg(0)} FROM ${arg(1)})`;
      return n === 3 ? `SUBSTRING(${arg(0)} FROM ${arg(1)} FOR ${arg(2)})` : undefined;
    case "position": return n === 2 ? `POSITION((${arg(1)}) IN (${arg(0)}))` : undefined;
    case "timezone":
      return n === 2 ? `(${child(e.args[1]!, ctx, e, true)} AT TIME ZONE ${
        child(e.args[0]!, ctx, e, true)})` : undefined;
    case "btrim": case "ltrim": case "rtrim":
      return `TRIM(${trimWords[e.name]!}${n === 2 ? ` ${arg(1)}` : ""} FROM ${arg(0)})`;
    default: return undefined;
  }
}

const timeKeywords: Record<number, [string, string]> = {
  [Oid.date]: ["SVFOP_CURRENT_DATE", "CURRENT_DATE"],
  [Oid.timetz]: ["SVFOP_CURRENT_TIME", "CURRENT_TIME"],
  [Oid.time]: ["SVFOP_LOCALTIME", "LOCALTIME"],
  [Oid.timestamp]: ["SVFOP_LOCALTIMESTAMP", "LOCALTIMESTAMP"],
};

/** CURRENT_DATE and its kin, which analysis turns into casts of now(). */
function timeKeyword(e: Expr & { kind: "cast" }, ctx: RuleContext): string | undefined {
  const entry = timeKeywords[e.type];
  if (entry === undefined || e.arg.kind !== "call" || e.arg.name !== "now") return undefined;
  return ctx.sqlSyntax?.has(entry[0]) === true ? entry[1] : undefined;
}

const sequenceFunctions = new Set(["nextval", "currval", "setval"]);

/** Function arguments; a sequence function's name argument prints as the regclass it is. */
function functionArgs(e: CallExpr, ctx: RuleContext): string {
  return e.args.map((a, i) => {
    if (i === 0 && sequenceFunctions.has(e.name) && a.kind === "const" &&
      typeof a.value === "string") {
      return `${literal(ctx.relationName(a.value))}::regclass`;
    }
    return rule(a, ctx, true, e);
  }).join(", ");
}

function caseText(e: Expr & { kind: "case" }, ctx: RuleContext): string {
  const level = ctx.indent;
  // ruleutils.c's appendContextKeyword: in pretty-indent mode CASE, each WHEN, ELSE and END
  // start a line; the WHEN lines are indented four more.
  const line = (extra: number): string =>
    (level === undefined ? " " : `\n${indentSpaces(level + extra, 0)}`);
  const inner: RuleContext = level === undefined ? ctx : { ...ctx, indent: level + 4 };
  const start = level === undefined ? "" : line(0);
  const head = e.arg === null ? `${start}CASE` : `${start}CASE ${rule(e.arg, inner, true, e)}`;
  const whens = e.whens.map((w) => {
    const cond = e.arg !== null && w.cond.kind === "call" && w.cond.args.length === 2
      ? w.cond.args[1]! : w.cond;
    return `${line(4)}WHEN ${rule(cond, inner, true, e)} THEN ${rule(w.result, inner, true, e)}`;
  }).join("");
  return `${head}${whens}${line(4)}ELSE ${rule(e.otherwise, inner, true, e)}${line(0)}END`;
}

/**
 * The spaces ruleutils.c puts before a line at indentation `level` plus `plus`: the level
 * itself up to 40, then a quarter of the excess, wrapping at 40 so deep nesting stays narrow.
 */
export function indentSpaces(level: number, plus: number): string {
  const limit = 40;
  let amount = Math.max(level, 0) + plus;
  if (level >= limit) amount = (limit + Math.trunc((level - limit) / 4)) % limit + plus;
  return " ".repeat(amount);
}

function aggText(agg: AggCall, ctx: RuleContext): string {
  const arg = (x: Expr): string => rule(x, ctx, true, null);
  let args = agg.star ? "*" : agg.args.map(arg).join(", ");
  if (agg.distinct) args = `DISTINCT ${args}`;
  if (agg.order.length > 0) {
    args += ` ORDER BY ${sortKeysText(agg.order, ctx, (k) => sortClauseText(k, ctx))}`;
  }
  const filter = agg.filter === null ? "" : ` FILTER (WHERE ${arg(agg.filter)})`;
  const name = agg.grouping !== undefined ? "GROUPING" : quoteIdent(agg.name);
  if (agg.direct !== undefined) {
    const keys = sortKeysText(agg.order, ctx, (k) => sortClauseText(k, ctx));
    return `${name}(${agg.direct.map(arg).join(", ")}) WITHIN GROUP (ORDER BY ${keys})${filter}`;
  }
  return `${name}(${args})${filter}`;
}

const numericTypes: ReadonlySet<number> = new Set([Oid.int2, Oid.int4, Oid.int8, Oid.float4,
  Oid.float8, Oid.numeric]);

/**
 * get_rule_sortgroupclause: a function call (a cast between number types is one) is put in
 * parentheses, and in pretty mode any expression but a column or constant.
 */
function sortClauseText(e: Expr, ctx: RuleContext): string {
  const text = rule(e, ctx, true, null);
  if (e.kind === "var" || e.kind === "outer" || e.kind === "const") return text;
  const fn = ctx.pretty || (e.kind === "call" && e.operator !== true) || e.kind === "aggref" ||
    e.kind === "windowref" || (e.kind === "cast" && numericTypes.has(e.type) &&
      numericTypes.has(e.arg.type) && e.arg.type !== e.type);
  return fn ? `(${text})` : text;
}

/**
 * ORDER BY keys: ` DESC`, and NULLS FIRST / LAST only where they are not the default; after
 * USING op, always NULLS FIRST / LAST.
 */
export function sortKeysText(keys: readonly SortKey[], ctx: RuleContext,
  text?: (e: Expr) => string): string {
  return keys.map((k) => {
    const body = text?.(k.expr) ?? rule(k.expr, ctx, true, null);
    if (k.using !== undefined) {
      return `${body} USING ${k.using} NULLS ${k.nullsFirst ? "FIRST" : "LAST"}`;
    }
    if (!k.descending) return `${body}${k.nullsFirst ? " NULLS FIRST" : ""}`;
    return `${body} DESC${k.nullsFirst ? "" : " NULLS LAST"}`;
  }).join(", ");
}

function windowText(call: WindowCall, ctx: RuleContext): string {
  const arg = (x: Expr): string => rule(x, ctx, true, null);
  const filter = call.filter === null ? "" : ` FILTER (WHERE ${arg(call.filter)})`;
  // count(*) is the only aggregate called without arguments.
  const args = call.args.length === 0 && call.def.kind === "aggregate" ? "*"
    : call.args.map(arg).join(", ");
  const over = call.over?.whole === true ? quoteIdent(call.over.name)
    : `(${windowSpecText(call.window, ctx, call.over)})`;
  return `${quoteIdent(call.name)}(${args})${filter} OVER ${over}`;
}

/** get_rule_windowspec: what goes between an OVER clause's (or a WINDOW entry's) parentheses. */
export function windowSpecText(spec: WindowSpec, ctx: RuleContext, ref?: WindowRefName):
  string {
  const parts: string[] = ref === undefined ? [] : [quoteIdent(ref.name)];
  const key = (x: Expr): string => sortClauseText(x, ctx);
  if (spec.partition.length > 0 && ref === undefined) {
    parts.push(`PARTITION BY ${spec.partition.map(key).join(", ")}`);
  }
  if (spec.order.length > 0 && (ref === undefined || ref.ownOrder)) {
    parts.push(`ORDER BY ${sortKeysText(spec.order, ctx, key)}`);
  }
  if ((spec.frameOptions & Frame.nonDefault) !== 0) parts.push(frameText(spec, ctx));
  return parts.join(" ");
}

/** get_rule_windowspec's frame: `ROWS BETWEEN 1 PRECEDING AND CURRENT ROW`. */
function frameText(spec: WindowSpec, ctx: RuleContext): string {
  const o = spec.frameOptions;
  const offset = (e: Expr | null): string => {
    if (e === null) throw notSupported("a window frame offset");
    // The implicit cast to bigint (ROWS, GROUPS) does not show.
    if (e.kind === "const" && e.type === Oid.int8 && typeof e.value === "bigint") {
      return String(e.value);
    }
    return rule(e, ctx, false, null);
  };
  const bound = (unboundedPreceding: number, unboundedFollowing: number, current: number,
    preceding: number, following: number, e: Expr | null): string => {
    if ((o & unboundedPreceding) !== 0) return "UNBOUNDED PRECEDING";
    if ((o & unboundedFollowing) !== 0) return "UNBOUNDED FOLLOWING";
    if ((o & current) !== 0) return "CURRENT ROW";
    if ((o & preceding) !== 0) return `${offset(e)} PRECEDING`;
    if ((o & following) !== 0) return `${offset(e)} FOLLOWING`;
    throw notSupported("this window frame bound");
  };
  const mode = (o & Frame.rows) !== 0 ? "ROWS" : (o & Frame.groups) !== 0 ? "GROUPS" : "RANGE";
  const start = bound(Frame.startUnboundedPreceding, Frame.startUnboundedFollowing,
    Frame.startCurrentRow, Frame.startOffsetPreceding, Frame.startOffsetFollowing,
    spec.startOffset);
  let text = (o & Frame.between) !== 0 ? `${mode} BETWEEN ${start} AND ${bound(
    Frame.endUnboundedPreceding, Frame.endUnboundedFollowing, Frame.endCurrentRow,
    Frame.endOffsetPreceding, Frame.endOffsetFollowing, spec.endOffset)}`
    : `${mode} ${start}`;
  if ((o & Frame.excludeCurrentRow) !== 0) text += " EXCLUDE CURRENT ROW";
  if ((o & Frame.excludeGroup) !== 0) text += " EXCLUDE GROUP";
  if ((o & Frame.excludeTies) !== 0) text += " EXCLUDE TIES";
  return text;
}

function subLinkText(e: SubLinkExpr, ctx: RuleContext): string {
  if (ctx.subLink === undefined) return "?";
  return ctx.subLink(e, ctx);
}

/** An IN list, which analysis makes `x = a OR x = b`, as Postgres prints `x = ANY (ARRAY[…])`. */
function anyList(e: Expr & { kind: "and" | "or" | "not" }, ctx: RuleContext):
  string | null {
  if (e.kind === "not" || ctx.inLists === false) return null;
  const first = e.args[0];
  if (first === undefined || first.kind !== "call" || !first.operator) return null;
  const left = rule(first.args[0]!, ctx, true, first);
  const items: string[] = [];
  for (const a of e.args) {
    if (a.kind !== "call" || !a.operator || a.name !== first.name || a.args.length !== 2 ||
      (e.kind === "or") !== (a.name !== "<>")) {
      return null;
    }
    if (a.args[1]!.kind !== "const" || rule(a.args[0]!, ctx, true, a) !== left) return null;
    items.push(rule(a.args[1]!, ctx, true, a));
  }
  const text = `${child(first.args[0]!, ctx, first, true)} ${first.name} ${
    e.kind === "or" ? "ANY" : "ALL"} (ARRAY[${items.join(", ")}])`;
  return ctx.pretty ? text : `(${text})`;
}

const widened = new Set<number>([Oid.int2, Oid.int8, Oid.float4, Oid.float8, Oid.numeric]);

/**
 * Prints a constant as get_const_expr does. A numeric-category constant that reads like a
 * non-negative literal prints as the literal with its cast (`0::numeric`), as Postgres shows
 * the unfolded cast of the literal; `labelled` false drops the label (the cast adds it).
 */
function constText(type: number, typmod: number, value: Value, fmt: FormatSettings,
  labelled = true, paren = false): string {
  if (value === null || !widened.has(type)) {
    const text = deparseConst(type, typmod, value, fmt);
    if (labelled) return text;
    return text.replace(/::[^']*$/, "");
  }
  const text = outputValue(type, value, fmt);
  const label = labelled ? `::${formatTypeName(type, typmod)}` : "";
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text)) return `${literal(text)}${label}`;
  if (type === Oid.numeric && text.includes(".") && typmod < 0) return text;
  return paren && labelled ? `(${text})${label}` : `${text}${label}`;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
