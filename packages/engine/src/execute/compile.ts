/**
 * Compiles analyzed expressions to closures, once per plan: `(row, rt) => value`. Each node
 * kind becomes a small closure over its children's closures, so evaluating a row never walks
 * the expression tree or switches on node kinds.
 *
 * `base` is the position of the evaluating node's first column in the FROM row (see
 * plan.ts); var indexes are shifted by it here, once.
 *
 * A plan runs many times (a prepared statement, a shared simple-protocol plan), and its
 * expressions are immutable: the closures of an expression are kept (`compiledByExpr`) and
 * reused by later runs, unless it holds a sublink, whose closures belong to one compilation.
 * A closure holds no state of a run: the row and the runtime come as arguments.
 */
import { SqlError, SqlState, assertNever, notSupported } from "@tessera/base";
import type { OperatorComparator, PgArray, Row, Value } from "@tessera/sql";
import type { Expr } from "../analyze/expr.js";
import { comparatorOf } from "../analyze/expr-ops.js";
import type { Runtime } from "./runtime.js";
import { compileFusedCast, isFusableCast } from "./fused-cast.js";
import { compileSubLink } from "./sublink.js";
import { raiseConstantErrors } from "./constant-errors.js";
import { findSharedExprs, nextRow, type SharedExprs } from "./shared-exprs.js";

export type Compiled = (row: Row, rt: Runtime) => Value;

interface CompileEnv {
  readonly base: number;
  caseCell: { value: Value } | null;
  /** Cleared when the expression holds something its closures must not outlive (a sublink). */
  readonly reuse: { ok: boolean };
  /** The node's subexpressions evaluated once per row (shared-exprs.ts), if any. */
  readonly shared: SharedExprs | null;
}

/** Expressions whose constant calls were evaluated once (execute/constant-errors.ts). */
const foldChecked = new WeakSet<Expr>();

/** Closures compiled before, by expression, with the base they were compiled for. */
const compiledByExpr = new WeakMap<Expr, { readonly base: number; readonly fn: Compiled }>();

/** Compiles `expr` for a node whose row starts at FROM-row position `base`. */
export function compileExpr(expr: Expr, base = 0): Compiled {
  const known = compiledByExpr.get(expr);
  if (known !== undefined && known.base === base) return known.fn;
  if (!foldChecked.has(expr)) {
    raiseConstantErrors(expr);
    foldChecked.add(expr);
  }
  const reuse = { ok: true };
  const fn = compile(expr, { base, caseCell: null, reuse, shared: null });
  if (known === undefined && reuse.ok) compiledByExpr.set(expr, { base, fn });
  return fn;
}

/**
 * Compiles one of a node's expressions with the subexpressions it shares with the others
 * (`findSharedExprs` over all of them): closures of one run, never kept for another.
 */
export function compileExprShared(expr: Expr, shared: SharedExprs | null, base = 0): Compiled {
  if (shared === null) return compileExpr(expr, base);
  if (!foldChecked.has(expr)) {
    raiseConstantErrors(expr);
    foldChecked.add(expr);
  }
  return compile(expr, { base, caseCell: null, reuse: { ok: false }, shared });
}

/** Compiles a predicate: true only for a true result (null and false both reject). */
export function compilePredicate(
  expr: Expr | null,
  base = 0,
): ((row: Row, rt: Runtime) => boolean) | null {
  if (expr === null) return null;
  const f = compileExpr(expr, base);
  return (row, rt) => f(row, rt) === true;
}

/**
 * Compiles a predicate evaluated once per row (a scan's filter): a subexpression its
 * conjuncts repeat is evaluated once per call.
 */
export function compileRowPredicate(
  expr: Expr | null,
  base = 0,
): ((row: Row, rt: Runtime) => boolean) | null {
  if (expr === null) return null;
  const shared = findSharedExprs(expr, () => [expr]);
  if (shared === null) return compilePredicate(expr, base);
  const f = compileExprShared(expr, shared, base);
  return (row, rt) => {
    nextRow(shared);
    return f(row, rt) === true;
  };
}

function compile(expr: Expr, env: CompileEnv): Compiled {
  const slot = env.shared?.slots.get(expr);
  if (slot !== undefined) return oncePerRow(env.shared!, slot, compileNode(expr, env));
  return compileNode(expr, env);
}

/** A shared subexpression: evaluated by its first occurrence in a row, read by the others. */
function oncePerRow(shared: SharedExprs, slot: number, fn: Compiled): Compiled {
  const { filled, values } = shared;
  return (row, rt) => {
    if (filled[slot] === shared.row) return values[slot] as Value;
    const v = fn(row, rt);
    values[slot] = v;
    filled[slot] = shared.row;
    return v;
  };
}

function compileNode(expr: Expr, env: CompileEnv): Compiled {
  switch (expr.kind) {
    case "const": {
      const value = expr.value;
      return () => value;
    }
    case "param": {
      const index = expr.index;
      return (_row, rt) => rt.params[index] as Value;
    }
    case "var": {
      const index = expr.index - env.base;
      return (row) => row[index] as Value;
    }
    case "outer": {
      const slot = expr.slot;
      return (_row, rt) => rt.slots[slot] as Value;
    }
    case "call":
      return compileCall(expr, env);
    case "cast": {
      const arg = compile(expr.arg, env);
      const fn = expr.fn;
      const cast: Compiled = (row, rt) => {
        const v = arg(row, rt);
        return v === null ? null : fn(v, rt.ctx);
      };
      if (!isFusableCast(expr)) return cast;
      return compileFusedCast(expr, (e) => compile(e, env), cast);
    }
    case "and":
      return compileAnd(expr.args.map((a) => compile(a, env)));
    case "or":
      return compileOr(expr.args.map((a) => compile(a, env)));
    case "not": {
      const arg = compile(expr.args[0]!, env);
      return (row, rt) => {
        const v = arg(row, rt);
        return v === null ? null : !v;
      };
    }
    case "case":
      return compileCase(expr, env);
    case "caseTest": {
      const cell = env.caseCell;
      if (cell === null) throw notSupported("CASE test outside CASE");
      return () => cell.value;
    }
    case "coalesce": {
      const args = expr.args.map((a) => compile(a, env));
      return (row, rt) => {
        for (const f of args) {
          const v = f(row, rt);
          if (v !== null) return v;
        }
        return null;
      };
    }
    default:
      return compileMore(expr, env);
  }
}

function compileMore(expr: Expr, env: CompileEnv): Compiled {
  switch (expr.kind) {
    case "minmax": {
      const args = expr.args.map((a) => compile(a, env));
      const cmp = expr.compare;
      const sign = expr.greatest ? 1 : -1;
      return (row, rt) => {
        let best: Value = null;
        for (const f of args) {
          const v = f(row, rt);
          if (v !== null && (best === null || cmp(v, best) * sign > 0)) best = v;
        }
        return best;
      };
    }
    case "nullTest": {
      const arg = compile(expr.arg, env);
      return expr.negated ? (row, rt) => arg(row, rt) !== null : (row, rt) => arg(row, rt) === null;
    }
    case "boolTest":
      return compileBoolTest(expr.test, compile(expr.arg, env));
    case "distinct":
    case "nullif":
      return compileDistinct(expr, env);
    case "array": {
      const elements = expr.elements.map((e) => compile(e, env));
      const elementType = expr.elementType;
      return (row, rt): PgArray => {
        const items = elements.map((f) => f(row, rt));
        return {
          kind: "array",
          elementType,
          dims: items.length === 0 ? [] : [items.length],
          lowerBounds: items.length === 0 ? [] : [1],
          items,
        };
      };
    }
    case "row": {
      const args = expr.args.map((a) => compile(a, env));
      const types = expr.args.map((a) => a.type);
      const names = expr.names;
      if (names !== undefined) {
        return (row, rt) => ({ kind: "record", fields: args.map((f) => f(row, rt)), types, names });
      }
      return (row, rt) => ({ kind: "record", fields: args.map((f) => f(row, rt)), types });
    }
    case "subLink":
      env.reuse.ok = false;
      return compileSubLink(expr, (e) => compile(e, env));
    case "srfref": {
      const index = expr.index;
      return (_row, rt) => rt.srfValues[index] as Value;
    }
    case "aggref":
    case "windowref":
      throw new SqlError(SqlState.internalError, `unplanned ${expr.kind}`);
    default:
      return assertNever(expr as never, "expression kind");
  }
}

function compileCall(expr: Expr & { kind: "call" }, env: CompileEnv): Compiled {
  const args = expr.args.map((a) => compile(a, env));
  const impl = expr.impl;
  if (!expr.strict)
    return (row, rt) =>
      impl(
        args.map((f) => f(row, rt)),
        rt.evalContext,
      );
  if (args.length === 1) {
    const a0 = args[0]!;
    return (row, rt) => {
      const a = a0(row, rt);
      return a === null ? null : impl([a], rt.evalContext);
    };
  }
  if (args.length === 2) {
    const a0 = args[0]!;
    const a1 = args[1]!;
    const comparator = comparatorOf(impl);
    if (comparator !== undefined) return compileComparison(comparator, a0, a1, expr.args[1]!);
    return (row, rt) => {
      const a = a0(row, rt);
      if (a === null) return null;
      const b = a1(row, rt);
      return b === null ? null : impl([a, b], rt.evalContext);
    };
  }
  return (row, rt) => {
    const values: Value[] = [];
    for (const f of args) {
      const v = f(row, rt);
      if (v === null) return null;
      values.push(v);
    }
    return impl(values, rt.evalContext);
  };
}

/**
 * A built-in comparison operator: its comparator called on the two values, without the
 * argument array and bound-call layers of a generic call; a constant right side is read once.
 */
function compileComparison(
  comparator: OperatorComparator,
  a0: Compiled,
  a1: Compiled,
  right: Expr,
): Compiled {
  const { cmp, test } = comparator;
  if (right.kind === "const") {
    const b = right.value;
    if (b === null) return () => null;
    return (row, rt) => {
      const a = a0(row, rt);
      return a === null ? null : test(cmp(a, b));
    };
  }
  return (row, rt) => {
    const a = a0(row, rt);
    if (a === null) return null;
    const b = a1(row, rt);
    return b === null ? null : test(cmp(a, b));
  };
}

function compileAnd(args: Compiled[]): Compiled {
  return (row, rt) => {
    let sawNull = false;
    for (const f of args) {
      const v = f(row, rt);
      if (v === false) return false;
      if (v === null) sawNull = true;
    }
    return sawNull ? null : true;
  };
}

function compileOr(args: Compiled[]): Compiled {
  return (row, rt) => {
    let sawNull = false;
    for (const f of args) {
      const v = f(row, rt);
      if (v === true) return true;
      if (v === null) sawNull = true;
    }
    return sawNull ? null : false;
  };
}

function compileCase(expr: Expr & { kind: "case" }, env: CompileEnv): Compiled {
  const cell = { value: null as Value };
  const inner: CompileEnv = { base: env.base, caseCell: expr.arg === null ? env.caseCell : cell,
    reuse: env.reuse, shared: env.shared };
  const arg = expr.arg === null ? null : compile(expr.arg, env);
  const conds = expr.whens.map((w) => compile(w.cond, inner));
  const results = expr.whens.map((w) => compile(w.result, env));
  const otherwise = compile(expr.otherwise, env);
  return (row, rt) => {
    if (arg !== null) cell.value = arg(row, rt);
    for (let i = 0; i < conds.length; i++) {
      if (conds[i]!(row, rt) === true) return results[i]!(row, rt);
    }
    return otherwise(row, rt);
  };
}

function compileBoolTest(test: string, arg: Compiled): Compiled {
  switch (test) {
    case "IS_TRUE":
      return (row, rt) => arg(row, rt) === true;
    case "IS_NOT_TRUE":
      return (row, rt) => arg(row, rt) !== true;
    case "IS_FALSE":
      return (row, rt) => arg(row, rt) === false;
    case "IS_NOT_FALSE":
      return (row, rt) => arg(row, rt) !== false;
    case "IS_UNKNOWN":
      return (row, rt) => arg(row, rt) === null;
    default:
      return (row, rt) => arg(row, rt) !== null;
  }
}

function compileDistinct(expr: Expr & { kind: "distinct" | "nullif" }, env: CompileEnv): Compiled {
  const left = compile(expr.left, env);
  const right = compile(expr.right, env);
  const equals = expr.equals;
  if (expr.kind === "nullif") {
    return (row, rt) => {
      const a = left(row, rt);
      const b = right(row, rt);
      if (a === null || b === null) return a;
      return equals([a, b], rt.evalContext) === true ? null : a;
    };
  }
  const negated = expr.negated;
  return (row, rt) => {
    const a = left(row, rt);
    const b = right(row, rt);
    let distinct: boolean;
    if (a === null || b === null) distinct = a !== b;
    else distinct = equals([a, b], rt.evalContext) !== true;
    return negated ? !distinct : distinct;
  };
}
