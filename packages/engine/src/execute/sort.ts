/**
 * Row-shaping nodes: projection (with set-returning functions expanded in lockstep),
 * DISTINCT / DISTINCT ON, LIMIT/OFFSET and the trim that drops hidden sort columns. Sort
 * itself is in `sort-node.ts`.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Row, Value } from "@tessera/sql";
import type { SortKey } from "../analyze/expr.js";
import { hashKeyOf } from "../catalog/type-io.js";
import type { DistinctPlan, LimitPlan, ProjectPlan, TrimPlan } from "../plan/plan.js";
import { compileExpr, compileExprShared } from "./compile.js";
import { findSharedExprs, nextRow } from "./shared-exprs.js";
import type { NodeState, Runtime } from "./runtime.js";

/** Compares two rows by keys that read column `index`. */
export function compareRows(
  a: readonly Value[],
  b: readonly Value[],
  keys: readonly (Pick<SortKey, "descending" | "nullsFirst" | "compare"> & { index: number })[],
): number {
  for (const k of keys) {
    const x = a[k.index] as Value;
    const y = b[k.index] as Value;
    if (x === null || y === null) {
      if (x === y) continue;
      return (x === null) === k.nullsFirst ? -1 : 1;
    }
    const c = k.compare(x, y);
    if (c !== 0) return k.descending ? -c : c;
  }
  return 0;
}

export function buildProject(plan: ProjectPlan, rt: Runtime): NodeState {
  const input = rt.build(plan.input);
  if (plan.srfs.length > 0) return buildProjectSet(plan, rt, input);
  const shared = findSharedExprs(plan, () => plan.exprs);
  const exprs = plan.exprs.map((e) => compileExprShared(e, shared));
  const n = exprs.length;
  return {
    next(): Row | null {
      const r = input.next();
      if (r === null) return null;
      if (shared !== null) nextRow(shared);
      const out = new Array<Value>(n);
      for (let i = 0; i < n; i++) out[i] = exprs[i]!(r, rt);
      return out;
    },
    rescan: () => input.rescan(),
  };
}

/** ProjectSet: runs the select list's SRFs together, as many rows as the longest. */
function buildProjectSet(plan: ProjectPlan, rt: Runtime, input: NodeState): NodeState {
  const exprs = plan.exprs.map((e) => compileExpr(e));
  const srfs = plan.srfs.map((e) => compileExpr(e));
  let current: Row | null = null;
  let iters: (Iterator<Value | Value[]> | null)[] = [];
  return {
    next(): Row | null {
      for (;;) {
        if (current === null) {
          current = input.next();
          if (current === null) return null;
          iters = srfs.map((f) => {
            const it = f(current!, rt) as unknown as Iterable<Value> | null;
            return it === null ? null : it[Symbol.iterator]();
          });
        }
        const values: Value[] = [];
        let any = false;
        for (const it of iters) {
          const step = it === null ? { done: true, value: null } : it.next();
          if (step.done !== true) any = true;
          values.push(step.done === true ? null : (step.value as Value));
        }
        if (!any) {
          current = null;
          continue;
        }
        rt.srfValues = values;
        return exprs.map((f) => f(current!, rt));
      }
    },
    rescan(): void {
      input.rescan();
      current = null;
    },
  };
}

export function buildDistinct(plan: DistinctPlan, rt: Runtime): NodeState {
  const input = rt.build(plan.input);
  let seen = new Set<string>();
  const keyOf = (r: Row): string =>
    JSON.stringify(
      plan.columns.map((c) => hashKeyOf(r[c] as Value)),
      (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x),
    );
  return {
    next(): Row | null {
      for (let r = input.next(); r !== null; r = input.next()) {
        const key = keyOf(r);
        if (seen.has(key)) continue;
        seen.add(key);
        return r;
      }
      return null;
    },
    rescan(): void {
      input.rescan();
      seen = new Set();
    },
  };
}

export function buildLimit(plan: LimitPlan, rt: Runtime): NodeState {
  const input = rt.build(plan.input);
  const count = plan.countExpr === null ? null : compileExpr(plan.countExpr);
  const offset = plan.offsetExpr === null ? null : compileExpr(plan.offsetExpr);
  let remaining = -1;
  let started = false;
  const start = (): void => {
    started = true;
    const c = count === null ? null : count([], rt);
    const o = offset === null ? null : offset([], rt);
    if (c !== null && (c as bigint) < 0n) {
      throw new SqlError(SqlState.invalidRowCountInLimitClause, "LIMIT must not be negative");
    }
    if (o !== null && (o as bigint) < 0n) {
      throw new SqlError(
        SqlState.invalidRowCountInResultOffsetClause,
        "OFFSET must not be negative",
      );
    }
    remaining = c === null ? Infinity : Number(c);
    for (let skip = o === null ? 0 : Number(o); skip > 0; skip--) {
      if (input.next() === null) break;
    }
  };
  const tie = tieTest(plan, rt);
  let last: Row | null = null;
  return {
    next(): Row | null {
      if (!started) start();
      if (remaining <= 0) {
        if (tie === null || last === null) return null;
        const r = input.next();
        if (r === null || !tie(last, r)) last = null;
        return last === null ? null : r;
      }
      remaining--;
      last = input.next();
      return last;
    },
    rescan(): void {
      input.rescan();
      started = false;
      last = null;
    },
  };
}

/** FETCH … WITH TIES: whether a row ties the last counted one on the ORDER BY keys. */
function tieTest(plan: LimitPlan, rt: Runtime): ((a: Row, b: Row) => boolean) | null {
  if (plan.ties === undefined) return null;
  const keys = plan.ties.map((k) => ({ f: compileExpr(k.expr), compare: k.compare }));
  return (a, b) =>
    keys.every((k) => {
      const x = k.f(a, rt);
      const y = k.f(b, rt);
      return x === null || y === null ? x === y : k.compare(x, y) === 0;
    });
}

export function buildTrim(plan: TrimPlan, rt: Runtime): NodeState {
  const input = rt.build(plan.input);
  const width = plan.width;
  return {
    next(): Row | null {
      const r = input.next();
      return r === null ? null : r.slice(0, width);
    },
    rescan: () => input.rescan(),
  };
}
