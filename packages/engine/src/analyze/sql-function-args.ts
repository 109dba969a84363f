/**
 * The arguments of a SQL function call inside its expanded body (`sql-function-call.ts`).
 * Each argument is analyzed once, in the caller's scope, and the body refers to it through a
 * placeholder `$n` numbered from `placeholderBase` up (no client parameter is that high), so a
 * body column named like a caller's column cannot capture the argument. Inside the body's
 * own query levels the value arrives as an outer reference, as a correlated column would.
 */
import type { Expr } from "./expr.js";
import { someExpr } from "./expr-map.js";
import type { Scope } from "./scope.js";

const rowDependent = new Set(["var", "outer", "aggref", "windowref", "subLink", "srfref"]);

/** Above the 65535 parameters a client may send. */
export const placeholderBase = 1_000_000;

const placeholders = new Map<number, { readonly expr: Expr; readonly scope: Scope }>();
let nextPlaceholder = placeholderBase;

/** Registers an analyzed argument; returns its placeholder number. */
export function addArgPlaceholder(expr: Expr, scope: Scope): number {
  const number = nextPlaceholder++;
  if (nextPlaceholder > 2 ** 30) nextPlaceholder = placeholderBase;
  placeholders.set(number, { expr, scope });
  return number;
}

export function removeArgPlaceholder(number: number): void {
  placeholders.delete(number);
}

/** The argument a placeholder stands for, seen from `scope`; undefined for other numbers. */
export function resolveArgPlaceholder(number: number, scope: Scope): Expr | undefined {
  const entry = placeholders.get(number);
  if (entry === undefined) return undefined;
  // An argument that reads no row (a constant, a client parameter, an expression of those)
  // is the same at every level: no outer reference is needed to reach it.
  if (!someExpr(entry.expr, (e) => rowDependent.has(e.kind))) return entry.expr;
  const key = `$sqlfn${number}`;
  const within = (s: Scope): Expr | undefined => {
    if (s === entry.scope) return entry.expr;
    if (s.parent === undefined) return undefined;
    const outer = within(s.parent);
    return outer === undefined ? undefined : s.outerRef(outer, key);
  };
  return within(scope);
}
