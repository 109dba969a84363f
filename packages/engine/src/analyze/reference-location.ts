/**
 * Where each column reference stood in the statement text, for errors found after name
 * resolution: "column "t.x" must appear in the GROUP BY clause ..." points at the reference
 * as Postgres's Var location does. Kept beside the expression, not in it, so expressions that
 * compare equal (GROUP BY keys, outer references) still compare equal.
 */
import type { Expr } from "./expr.js";

const locations = new WeakMap<Expr, number>();

/** A copy of a column reference's expression that remembers `location`. */
export function withReferenceLocation(expr: Expr, location: number | undefined): Expr {
  if (expr.kind !== "var" || location === undefined) return expr;
  const copy: Expr = { ...expr };
  locations.set(copy, location);
  return copy;
}

/** The `location` field for an error about `expr`: where it was written, when known. */
export function referenceLocation(expr: Expr): { location?: number } {
  const location = locations.get(expr);
  return location === undefined ? {} : { location };
}
