/**
 * Select-list columns computed after ORDER BY (Postgres's make_sort_input_target): a column
 * that is no sort key and calls a volatile function, or holds a set-returning call, is
 * evaluated above the Sort, so a LIMIT bounds how often it runs and expands rows only after
 * they are sorted:
 *
 *   SELECT id, nextval('s') FROM t ORDER BY id LIMIT 10       -- nextval runs 10 times
 *   SELECT id, generate_series(1, 3) FROM t ORDER BY id       -- 1, 2, 3 for each id in turn
 *
 * Set-returning calls stay below when a sort key reads one. The projection below the Sort
 * passes up the input columns the postponed expressions read.
 */
import type { Expr } from "./expr.js";
import { mapExpr, someExpr } from "./expr-map.js";

/** The select list split into what runs below the Sort and what runs above it. */
export interface PostponedProjection {
  readonly below: { readonly exprs: Expr[]; readonly srfs: Expr[] };
  readonly above: { readonly exprs: Expr[]; readonly srfs: Expr[] };
}

const isVolatile = (e: Expr): boolean => someExpr(e, (x) => x.kind === "call" && x.volatile);
const readsSrf = (e: Expr): boolean => someExpr(e, (x) => x.kind === "srfref");
const upperRef = (e: Expr): boolean =>
  someExpr(e, (x) => x.kind === "aggref" || x.kind === "windowref");

/**
 * Splits `exprs` (the visible columns first, then hidden sort columns) when some visible
 * column can wait until after the sort; null when none can. `sortTargets` are the columns
 * the ORDER BY keys read.
 */
export function postponeAboveSort(exprs: readonly Expr[], srfs: readonly Expr[],
  sortTargets: readonly number[], visible: number): PostponedProjection | null {
  const sorted = new Set(sortTargets);
  const srfsWait = srfs.length > 0 && ![...sorted].some((i) => readsSrf(exprs[i]!));
  const waits = exprs.map((e, i) => i < visible && !sorted.has(i) &&
    ((srfsWait && readsSrf(e)) || isVolatile(e)));
  if (!waits.some((w) => w)) return null;
  if (!srfsWait && waits.some((w, i) => w && readsSrf(exprs[i]!))) return null;
  const moved = [...exprs.filter((_e, i) => waits[i]), ...(srfsWait ? srfs : [])];
  if (moved.some(upperRef)) return null;
  const below = exprs.map((e, i) => (waits[i] ? nullOf(e) : e));
  const passed = new Map<number, number>();
  const lift = (e: Expr): Expr => mapExpr(e, (x) => {
    if (x.kind !== "var") return undefined;
    let at = passed.get(x.index);
    if (at === undefined) {
      at = below.length;
      passed.set(x.index, at);
      below.push(x);
    }
    return { ...x, index: at };
  });
  const above = exprs.map((e, i) => (waits[i] ? lift(e) : columnOf(i, e)));
  const aboveSrfs = srfsWait ? srfs.map(lift) : [];
  return { below: { exprs: below, srfs: srfsWait ? [] : [...srfs] },
    above: { exprs: above, srfs: aboveSrfs } };
}

/** A placeholder for a postponed column below the Sort: a null of its type. */
function nullOf(e: Expr): Expr {
  return { kind: "const", type: e.type, typmod: e.typmod, value: null };
}

/** Reads column `index` of the row below. */
function columnOf(index: number, like: Expr): Expr {
  return { kind: "var", index, type: like.type, typmod: like.typmod, name: `${index + 1}`,
    tableOid: 0, attnum: 0 };
}
