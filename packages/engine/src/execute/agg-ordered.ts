/**
 * Aggregates that see their rows in an order or without duplicates: `string_agg(x, ',' ORDER
 * BY x)`, `count(DISTINCT x)`, and the ordered-set aggregates (`percentile_cont(0.5) WITHIN
 * GROUP (ORDER BY x)`). Each group collects its rows as [arguments…, sort keys…]; the finish
 * sorts them, drops duplicates for DISTINCT, and only then runs the transition function.
 *
 * Direct arguments of an ordered-set aggregate are evaluated on the group's first row (they
 * may read only grouping columns, so any row of the group gives the same answer; with
 * grouping sets, `agg-sets.ts` hands over that row with the set's ungrouped keys nulled). For a
 * hypothetical-set aggregate they also become one more row, flagged true by an extra last
 * argument and sorted before or after its peers as the aggregate asks (orderedsetaggs.c's
 * hypothetical_rank_common).
 */
import type { Row, Value } from "@tessera/sql";
import type { AggCall } from "../analyze/expr.js";
import { compareFor, hashKeyOf } from "../catalog/type-io.js";
import { requireEquality, requireOrdering } from "../analyze/comparable-types.js";
import { compileExpr, type Compiled } from "./compile.js";
import type { AggRunner } from "./agg.js";
import type { Runtime } from "./runtime.js";
import { compareRows } from "./sort.js";
import { runnableAggregate } from "./user-aggregate-run.js";

interface Collected {
  rows: Value[][];
  direct: Value[] | null;
  /** Argument keys already collected, when DISTINCT is applied as the rows arrive. */
  seen: Set<unknown> | null;
}

/** Builds the runner of an aggregate with ORDER BY, DISTINCT or WITHIN GROUP. */
export function orderedAggRunner(agg: AggCall, rt: Runtime, args: readonly Compiled[],
  filter: ((row: Row, rt: Runtime) => boolean) | null): AggRunner {
  const def = runnableAggregate(agg.def, rt);
  const call = { argTypes: agg.argTypes, returnType: agg.type };
  checkComparable(agg);
  const order = agg.order.map((k) => ({ ...k, f: compileExpr(k.expr) }));
  const direct = (agg.direct ?? []).map((e) => compileExpr(e));
  const keys = order.map((k, i) => ({ ...k, index: args.length + i }));
  const evalDirect = (row: Row): Value[] => direct.map((f) => f(row, rt));
  // Without ORDER BY, DISTINCT drops duplicates as the rows arrive (a set of the argument
  // tuples) and then sorts what is left by the arguments, ascending, nulls last, as
  // PostgreSQL's sort for DISTINCT does: array_agg(DISTINCT x) is {1,2}, not input order.
  const distinctEarly = agg.distinct && keys.length === 0 && def.hypothetical === undefined;
  const argKeys = (): Parameters<typeof compareRows>[2] => agg.argTypes.map((type, index) =>
    ({ index, descending: false, nullsFirst: false, compare: compareFor(type) }));
  const single = args.length === 1 ? args[0]! : null;
  return {
    init: (): Collected => ({ rows: [], direct: null, seen: distinctEarly ? new Set() : null }),
    step: (state, row) => {
      const s = state as Collected;
      s.direct ??= evalDirect(row);
      if (filter !== null && !filter(row, rt)) return s;
      if (s.seen !== null) {
        if (single !== null) {
          // One argument: its hash key is the tuple's key, and no array unless it is new.
          const value = single(row, rt);
          const key = hashKeyOf(value);
          if (!s.seen.has(key)) {
            s.seen.add(key);
            s.rows.push([value]);
          }
          return s;
        }
        const values = args.map((f) => f(row, rt));
        const key = distinctKey(values);
        if (!s.seen.has(key)) {
          s.seen.add(key);
          s.rows.push(values);
        }
        return s;
      }
      s.rows.push([...args.map((f) => f(row, rt)), ...order.map((k) => k.f(row, rt))]);
      return s;
    },
    setDirect: (state, row) => {
      (state as Collected).direct = evalDirect(row);
    },
    finish: (state) => {
      const s = state as Collected;
      const directValues = s.direct ?? evalDirect([]);
      let rows = s.rows;
      if (def.hypothetical !== undefined) {
        return hypothetical(agg, rows, directValues, keys, def.hypothetical);
      }
      if (keys.length > 0) rows = [...rows].sort((a, b) => compareRows(a, b, keys));
      else if (distinctEarly && rows.length > 1) {
        const byArgs = argKeys();
        rows = [...rows].sort((a, b) => compareRows(a, b, byArgs));
      }
      if (agg.distinct && s.seen === null) rows = distinctRows(rows, args.length);
      let acc = def.stateInit(call);
      for (const r of rows) acc = def.transition(acc, r.slice(0, args.length), call);
      return def.final(acc, call, directValues);
    },
  };
}

/** DISTINCT needs `=` for the arguments and ORDER BY needs `<` for the keys (42883 if not). */
function checkComparable(agg: AggCall): void {
  if (agg.distinct) agg.argTypes.forEach(requireEquality);
  for (const k of agg.order) requireOrdering(k.expr.type);
}

/** Keeps the first row of each run of equal arguments (rows are already sorted). */
function distinctRows(rows: readonly Value[][], width: number): Value[][] {
  const seen = new Set<unknown>();
  return rows.filter((r) => {
    const key = distinctKey(r.slice(0, width));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The identity of an argument tuple for DISTINCT: one argument's hash key itself (a number,
 * string, bigint, boolean or null, which a Set tells apart exactly, NaN and Infinity
 * included), or the keys of several joined into a string.
 */
function distinctKey(values: readonly Value[]): unknown {
  if (values.length === 1) return hashKeyOf(values[0]!);
  return JSON.stringify(values.map(hashKeyOf), (_k, x: unknown) => {
    if (typeof x === "bigint") return `${x}n`;
    return typeof x === "number" && !Number.isFinite(x) ? `${x}f` : x;
  });
}

/** Sorts the rows with the hypothetical one among them and feeds each with its flag. */
function hypothetical(agg: AggCall, rows: readonly Value[][], direct: readonly Value[],
  keys: Parameters<typeof compareRows>[2], flag: -1 | 1): Value {
  const def = agg.def;
  const call = { argTypes: agg.argTypes, returnType: agg.type };
  const width = agg.args.length;
  const all = rows.map((r) => ({ r, mark: false }));
  all.push({ r: [...direct, ...direct], mark: true });
  all.sort((a, b) => compareRows(a.r, b.r, keys) ||
    (a.mark === b.mark ? 0 : (a.mark ? flag : -flag)));
  let acc = def.stateInit(call);
  for (const { r, mark } of all) acc = def.transition(acc, [...r.slice(0, width), mark], call);
  return def.final(acc, call, [...direct]);
}
