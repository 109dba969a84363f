/**
 * PostgreSQL's planner folds every immutable function and operator whose arguments are
 * constants (eval_const_expressions), so an error such a call raises is the statement's error
 * even when no row would ever evaluate it: `SELECT CASE WHEN x > 5 THEN 1/0 END FROM t`
 * fails with 22012 on an empty table. Tessera evaluates expressions per row; this pass, run
 * once on each expression before it is compiled, raises what PostgreSQL's folding raises.
 *
 * It follows eval_const_expressions' order and short cuts, so it reaches no argument folding
 * would not reach: AND stops at a constant false and OR at a constant true, COALESCE at a
 * constant non-null argument, CASE drops an arm whose condition is constant false or null and
 * ends at one whose condition is constant true. A strict call with a constant NULL argument
 * is NULL without a call. Nothing is rewritten: the pass only evaluates, to raise.
 *
 * A node this pass does not fold (a cast, a subscript, a parameter, which a custom plan would
 * make constant) is of unknown constness, and what it guards (a CASE arm, the rest of an AND)
 * is left alone: the pass never raises an error PostgreSQL's folding would not.
 */
import { SqlError } from "@tessera/base";
import type { Value } from "@tessera/sql";
import type { EvalLike, Expr } from "../analyze/expr.js";

/** What folding knows of an expression: its constant value, not constant, or unknown. */
type Folded = { readonly value: Value } | "varies" | "unknown";

const varies = "varies";
const unknown = "unknown";

/** Raises the error PostgreSQL's constant folding would raise for `expr`, if any. */
export function raiseConstantErrors(expr: Expr): void {
  fold(expr, { caseValue: unknown });
}

interface FoldEnv {
  /** What the innermost simple CASE's operand folded to (its CaseTestExpr). */
  readonly caseValue: Folded;
}

function isConst(f: Folded): f is { readonly value: Value } {
  return typeof f === "object";
}

/** The weakest of several arguments' constness: varies beats unknown beats constant. */
function combine(all: readonly Folded[]): Folded {
  if (all.includes(varies)) return varies;
  if (all.includes(unknown)) return unknown;
  return { value: null };
}

function fold(expr: Expr, env: FoldEnv): Folded {
  switch (expr.kind) {
    case "const":
      return { value: expr.value };
    case "var":
    case "outer":
    case "aggref":
    case "windowref":
    case "srfref":
    case "subLink":
      return varies;
    case "param":
      return unknown;
    case "caseTest":
      return env.caseValue;
    case "call":
      return foldCall(expr, env);
    case "and":
    case "or":
      return foldBool(expr.kind, expr.args, env);
    case "not": {
      const arg = fold(expr.args[0]!, env);
      return isConst(arg) ? { value: arg.value === null ? null : !arg.value } : arg;
    }
    case "case":
      return foldCase(expr, env);
    case "coalesce":
      return foldCoalesce(expr.args, env);
    case "cast":
      fold(expr.arg, env);
      return unknown;
    default:
      return foldChildren(expr, env);
  }
}

/** Nodes folded only through their arguments: their own value is left unknown. */
function foldChildren(expr: Expr, env: FoldEnv): Folded {
  const children: Expr[] = [];
  switch (expr.kind) {
    case "minmax":
    case "row":
      children.push(...expr.args);
      break;
    case "array":
      children.push(...expr.elements);
      break;
    case "nullTest":
    case "boolTest":
      children.push(expr.arg);
      break;
    case "distinct":
    case "nullif":
      children.push(expr.left, expr.right);
      break;
    default:
      return unknown;
  }
  const folded = children.map((c) => fold(c, env));
  return combine(folded) === varies ? varies : unknown;
}

/** Whether PostgreSQL folds this call: an operator or an immutable function. */
function foldable(call: Expr & { kind: "call" }): boolean | "never" {
  if (call.volatile) return "never";
  if (call.operator) return true;
  if (call.immutable === true) return true;
  return call.immutable === false ? "never" : false;
}

function foldCall(call: Expr & { kind: "call" }, env: FoldEnv): Folded {
  const args = call.args.map((a) => fold(a, env));
  const rule = foldable(call);
  if (rule === "never") return varies;
  if (!args.every(isConst)) return combine(args);
  if (!rule) return unknown;
  const values = args.map((a) => (a as { value: Value }).value);
  if (call.strict && values.includes(null)) return { value: null };
  try {
    return { value: call.impl(values, foldingContext) };
  } catch (error) {
    if (error instanceof SqlError) throw error;
    return unknown;
  }
}

function foldBool(kind: "and" | "or", args: readonly Expr[], env: FoldEnv): Folded {
  const stop = kind === "or";
  const seen: Folded[] = [];
  for (const arg of args) {
    const folded = fold(arg, env);
    if (isConst(folded) && folded.value === stop) return folded;
    if (!isConst(folded) && folded === unknown) return unknown;
    seen.push(folded);
  }
  if (seen.every(isConst)) {
    return { value: seen.some((f) => (f as { value: Value }).value === null) ? null : !stop };
  }
  return varies;
}

function foldCase(expr: Expr & { kind: "case" }, env: FoldEnv): Folded {
  const inner: FoldEnv = expr.arg === null ? env : { caseValue: fold(expr.arg, env) };
  for (const when of expr.whens) {
    const cond = fold(when.cond, inner);
    if (cond === unknown) return unknown;
    if (isConst(cond) && cond.value !== true) continue;
    const result = fold(when.result, env);
    if (isConst(cond)) return result;
  }
  fold(expr.otherwise, env);
  return unknown;
}

function foldCoalesce(args: readonly Expr[], env: FoldEnv): Folded {
  for (const arg of args) {
    const folded = fold(arg, env);
    if (folded === unknown) return unknown;
    if (isConst(folded) && folded.value !== null) return folded;
  }
  return unknown;
}

/** Thrown when a folded call reads the session: it depends on more than its arguments. */
class ReadsSession extends Error {}

const refuse = (): never => {
  throw new ReadsSession();
};

/**
 * The context a folded call runs with: one that reads a setting, the clock or the session
 * (a stable function or operator, such as `text @@ text` and its default configuration) is
 * not folded, as PostgreSQL folds only what depends on its arguments alone.
 */
const foldingContext: EvalLike = {
  setting: refuse,
  get transactionStartMicros(): bigint { return refuse(); },
  get statementStartMicros(): bigint { return refuse(); },
  random: refuse,
  setSeed: refuse,
  get user(): string { return refuse(); },
  get database(): string { return refuse(); },
  signal: new AbortController().signal,
};
