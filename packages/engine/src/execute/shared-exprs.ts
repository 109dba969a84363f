/**
 * Subexpressions shared by the expressions of one plan node, evaluated at most once per row.
 *
 * An aggregate over many conditions on the same value repeats it:
 *
 *     count(CASE WHEN (payload ->> 'humidity')::decimal < 60 THEN 1 END),
 *     count(CASE WHEN (payload ->> 'humidity')::decimal > 70 THEN 1 END), …
 *
 * PostgreSQL evaluates each occurrence. Here the node's expressions are searched once, when
 * the node is built, for subtrees that occur more than once (calls and casts, compared by
 * structure), and each such subtree gets a slot: its first evaluation in a row stores the
 * value there, later ones in the same row read it. The node starts each input row with
 * `nextRow`, which invalidates every slot.
 *
 * Evaluation stays lazy: a slot is filled only where an occurrence is reached (a CASE branch
 * not taken evaluates nothing), and an occurrence that raises an error stores nothing, so the
 * next one raises it again as PostgreSQL would. Subtrees that may give another value on a
 * second evaluation are never shared: volatile calls, sublinks, set-returning results, values
 * of an enclosing query (`outer`) and CASE tests (their value is the enclosing CASE's); nor are
 * subtrees with a call other than a built-in function or operator (user functions, field
 * selections, subscripts), whose closures hold what their key does not show.
 */
import type { Value } from "@tessera/sql";
import type { Expr } from "../analyze/expr.js";
import { childrenOf } from "../analyze/expr-map.js";
import { exprKey } from "../analyze/grouping.js";

export interface SharedExprs {
  /** The slot of each node that has an equal node elsewhere in the node's expressions. */
  readonly slots: ReadonlyMap<Expr, number>;
  /** The row a slot's value belongs to (`row` when it is current). */
  readonly filled: number[];
  readonly values: Value[];
  /** The number of the current input row. */
  row: number;
}

/** Starts a new input row: every slot's value is stale from now on. */
export function nextRow(shared: SharedExprs): void {
  shared.row++;
}

/** The repeated subtrees found in a plan node's expressions, kept for its later runs. */
interface SharedSlots {
  readonly slots: ReadonlyMap<Expr, number>;
  readonly count: number;
}

const slotsByNode = new WeakMap<object, SharedSlots | null>();

/**
 * Finds the repeated subtrees of plan node `node`'s expressions `exprs` (searched on the
 * node's first run only), or returns null when nothing repeats: the usual case, where the
 * node compiles its expressions as it always did. Each call gives the run its own values.
 */
export function findSharedExprs(node: object, exprs: () => readonly Expr[]): SharedExprs | null {
  let found = slotsByNode.get(node);
  if (found === undefined) {
    found = repeatedSubtrees(exprs());
    slotsByNode.set(node, found);
  }
  if (found === null) return null;
  return { slots: found.slots, filled: new Array<number>(found.count).fill(0),
    values: new Array<Value>(found.count), row: 1 };
}

function repeatedSubtrees(exprs: readonly Expr[]): SharedSlots | null {
  const byKey = new Map<string, Expr[]>();
  for (const e of exprs) collect(e, byKey);
  const slots = new Map<Expr, number>();
  let count = 0;
  for (const nodes of byKey.values()) {
    if (nodes.length < 2) continue;
    for (const n of nodes) slots.set(n, count);
    count++;
  }
  return count === 0 ? null : { slots, count };
}

/**
 * Records every shareable call or cast under its structural key; returns whether `expr` may
 * be evaluated once for several occurrences (no volatile or context-bound part).
 */
function collect(expr: Expr, byKey: Map<string, Expr[]>): boolean {
  let stable = true;
  for (const child of childrenOf(expr)) {
    if (!collect(child, byKey)) stable = false;
  }
  switch (expr.kind) {
    case "call":
      // Only calls whose name and argument types say all they do: a built-in function or an
      // operator. Others carry their meaning in their closure alone (a field selection's
      // field number), which the structural key cannot see.
      if (expr.volatile || !(expr.operator || expr.immutable !== undefined)) return false;
      break;
    case "subLink": case "srfref": case "outer": case "caseTest": case "aggref":
    case "windowref":
      return false;
    case "const":
      // The key is JSON: only values JSON tells apart (not NaN from Infinity, -0 from 0, nor
      // the parts of a class instance it cannot see) may stand in a shared subtree.
      if (!plainValue(expr.value)) return false;
      break;
    default:
      break;
  }
  if (stable && (expr.kind === "call" || expr.kind === "cast")) {
    const key = exprKey(expr);
    const nodes = byKey.get(key);
    if (nodes === undefined) byKey.set(key, [expr]);
    else nodes.push(expr);
  }
  return stable;
}

/** A constant's value whose JSON text names it alone. */
function plainValue(value: Value): boolean {
  switch (typeof value) {
    case "string": case "boolean": case "bigint":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    default:
      return value === null;
  }
}
