/**
 * Generic walkers over analyzed expressions: `mapExpr` rebuilds a tree bottom-up through a
 * replacement function, `someExpr` asks whether any node matches. Both stop at sublinks'
 * plans (another query level) but visit the expressions a sublink reads from this level.
 *
 *   mapExpr(e, (x) => (x.kind === "windowref" ? columnVar(x) : undefined))
 *
 * The callback returns a replacement, or undefined to descend into the node's children.
 */
import { assertNever } from "@tessera/base";
import type { Expr } from "./expr.js";

export type ExprReplacer = (expr: Expr) => Expr | undefined;

/** Returns `expr` with every node `replace` answers for swapped for its answer. */
export function mapExpr(expr: Expr, replace: ExprReplacer): Expr {
  const replaced = replace(expr);
  if (replaced !== undefined) return replaced;
  const m = (e: Expr): Expr => mapExpr(e, replace);
  switch (expr.kind) {
    case "const": case "param": case "var": case "outer": case "caseTest": case "srfref":
      return expr;
    case "call": return { ...expr, args: expr.args.map(m) };
    case "cast": return { ...expr, arg: m(expr.arg) };
    case "and": case "or": case "not": return { ...expr, args: expr.args.map(m) };
    case "case":
      return { ...expr, arg: expr.arg === null ? null : m(expr.arg),
        whens: expr.whens.map((w) => ({ cond: m(w.cond), result: m(w.result) })),
        otherwise: m(expr.otherwise) };
    case "coalesce": return { ...expr, args: expr.args.map(m) };
    case "minmax": return { ...expr, args: expr.args.map(m) };
    case "row": return { ...expr, args: expr.args.map(m) };
    case "array": return { ...expr, elements: expr.elements.map(m) };
    case "nullTest": return { ...expr, arg: m(expr.arg) };
    case "boolTest": return { ...expr, arg: m(expr.arg) };
    case "distinct": case "nullif": return { ...expr, left: m(expr.left), right: m(expr.right) };
    case "subLink":
      return { ...expr, params: expr.params.map((p) => ({ slot: p.slot, expr: m(p.expr) })),
        testArgs: expr.testArgs.map(m) };
    case "aggref": case "windowref":
      return expr;
    default:
      return assertNever(expr, "expression kind");
  }
}

/** Returns true when `test` holds for `expr` or any node below it (not inside aggregates). */
export function someExpr(expr: Expr, test: (e: Expr) => boolean): boolean {
  let found = false;
  mapExpr(expr, (e) => {
    if (found) return e;
    if (test(e)) {
      found = true;
      return e;
    }
    return undefined;
  });
  return found;
}

/** Returns the direct children of `expr`, for walkers that need them in order. */
export function childrenOf(expr: Expr): readonly Expr[] {
  const out: Expr[] = [];
  let top = true;
  mapExpr(expr, (e) => {
    if (top) {
      top = false;
      return undefined;
    }
    out.push(e);
    return e;
  });
  return out;
}
