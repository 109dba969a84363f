/**
 * Boolean operators that are functions in pg_operator (AND, OR and NOT are syntax, handled by
 * the expression compiler with three-valued logic), and IS DISTINCT FROM's helper.
 */
import type { Value } from "../types/value.js";
import type { OperatorDef } from "./defs.js";
import { compareValues } from "./compare.js";

/** Returns true when `a IS DISTINCT FROM b` for non-row values of one type. */
export function isDistinct(a: Value, b: Value, type = 0): boolean {
  if (a === null || b === null) return a !== b;
  return compareValues(a, b, type) !== 0;
}

export function boolOperators(): OperatorDef[] {
  return [];
}
