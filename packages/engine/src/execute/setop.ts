/**
 * UNION / INTERSECT / EXCEPT [ALL], WITH (each CTE read on demand into a shared store) and
 * WITH RECURSIVE's RecursiveUnion (iterate the recursive term over the work table until it
 * yields nothing new).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Row, Value } from "@tessera/sql";
import { hashKeyOf } from "../catalog/type-io.js";
import type { Plan, RecursiveUnionPlan, SetOpPlan, WithPlan } from "../plan/plan.js";
import type { CteStore, NodeState, Runtime } from "./runtime.js";
import { drain, fromStart } from "./sublink.js";

const rowKey = (r: Row): string =>
  JSON.stringify(r.map((v) => hashKeyOf(v as Value)), (_k, x: unknown) =>
    (typeof x === "bigint" ? `${x}n` : x));

/** rowKey, with the trailing spaces of bpchar columns dropped ('a'::char(4) = 'a'::char(2)). */
function keyFunction(plan: SetOpPlan): (r: Row) => string {
  const padded = plan.paddedColumns;
  if (padded === undefined) return rowKey;
  return (r) => {
    const copy = r.slice();
    for (const i of padded) {
      const v = copy[i];
      if (typeof v === "string") copy[i] = v.replace(/ +$/, "");
    }
    return rowKey(copy);
  };
}

function fromArray(compute: () => Row[], reset: () => void = () => undefined): NodeState {
  let rows: Row[] | null = null;
  let i = 0;
  return {
    next: () => {
      if (rows === null) rows = compute();
      return i < rows.length ? rows[i++]! : null;
    },
    rescan: () => {
      reset();
      rows = null;
      i = 0;
    },
  };
}

export function buildSetOp(plan: SetOpPlan, rt: Runtime): NodeState {
  const rowKey = keyFunction(plan);
  return fromArray(() => {
    const left = drain(rt, plan.left);
    const right = drain(rt, plan.right);
    if (plan.op === "union") {
      if (plan.all) return left.concat(right);
      const seen = new Set<string>();
      return left.concat(right).filter((r) => {
        const k = rowKey(r);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    }
    const counts = new Map<string, number>();
    for (const r of right) {
      const k = rowKey(r);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const out: Row[] = [];
    const emitted = new Set<string>();
    for (const r of left) {
      const k = rowKey(r);
      const n = counts.get(k) ?? 0;
      const keep = plan.op === "intersect" ? n > 0 : n === 0;
      if (plan.all) {
        if (plan.op === "intersect" && n > 0) {
          counts.set(k, n - 1);
          out.push(r);
        } else if (plan.op === "except") {
          if (n > 0) counts.set(k, n - 1);
          else out.push(r);
        }
      } else if (keep && !emitted.has(k)) {
        emitted.add(k);
        out.push(r);
      }
    }
    return out;
  });
}

/**
 * Runs the main plan; each CTE is read only as far as its scans ask (a shared store that
 * reads one more row on demand), so `WITH RECURSIVE … SELECT … LIMIT 5` stops a recursion
 * that never ends on its own, as in Postgres. A data-modifying CTE runs to completion when
 * first read; one never read runs once the main plan is done, the last-written first (as
 * ExecPostprocessPlan), so `WITH a AS (UPDATE t …) DELETE FROM t …` deletes first.
 */
export function buildWith(plan: WithPlan, rt: Runtime): NodeState {
  const input = rt.build(plan.input);
  let stores: CteStore[] | null = null;
  let finished = false;
  return {
    next(): Row | null {
      if (stores === null) {
        stores = plan.ctes.map((cte) => {
          const store = cteStore(cte.plan, rt);
          rt.cteRows.set(cte.id, store);
          return store;
        });
        // ON CONFLICT DO UPDATE cannot yet skip a row its SET's WITH query updated meanwhile
        // (Postgres does): there the WITH queries still run first.
        if (updatesOnConflict(plan.input)) {
          plan.ctes.forEach((cte, i) => { if (cte.plan.kind === "modify") stores![i]!.fill?.(); });
        }
      }
      const r = input.next();
      if (r === null && !finished) {
        finished = true;
        for (let i = stores.length - 1; i >= 0; i--) {
          if (plan.ctes[i]!.plan.kind === "modify") stores[i]!.fill?.();
        }
      }
      return r;
    },
    rescan(): void {
      stores = null;
      finished = false;
      input.rescan();
    },
  };
}

function updatesOnConflict(plan: Plan): boolean {
  if (plan.kind !== "modify") return false;
  const spec = plan.spec as { onConflict?: { action?: string } | null } | null;
  return spec?.onConflict?.action === "update";
}

function cteStore(plan: Plan, rt: Runtime): CteStore {
  if (plan.kind === "modify") {
    const store: CteStore = { rows: [], fill: null };
    store.fill = () => {
      store.fill = null;
      // The command tag counts the main statement's rows only, not its WITH queries' writes.
      const modified = rt.modified;
      for (const r of drain(rt, plan)) store.rows.push(r);
      rt.modified = modified;
      return store.rows.length > 0;
    };
    return store;
  }
  const state = rt.build(plan);
  const store: CteStore = { rows: [], fill: null };
  store.fill = () => {
    const r = state.next();
    if (r === null) {
      store.fill = null;
      return false;
    }
    store.rows.push(r);
    return true;
  };
  return store;
}

/** Iterations before we call a recursive query runaway; Postgres has no limit, we must. */
const recursionRoundsMax = 1_000_000;

/**
 * RecursiveUnion: yields the base rows, then each round of the recursive term over the rows
 * of the round before (the work table), until a round adds nothing. Rows leave as soon as
 * their round is computed, so a consumer that stops early stops the recursion.
 */
export function buildRecursiveUnion(plan: RecursiveUnionPlan, rt: Runtime): NodeState {
  let rows: Iterator<Row> | null = null;
  return {
    next(): Row | null {
      rows ??= recursiveRows(plan, rt);
      const r = rows.next();
      return r.done === true ? null : r.value;
    },
    rescan(): void {
      rows = null;
    },
  };
}

/**
 * The rows of a term as they come, not collected first: a recursive term may itself hold a
 * recursion that never ends on its own, and only the outer LIMIT stops it (as Postgres).
 */
function* streamRows(rt: Runtime, plan: Plan): Generator<Row> {
  const state = fromStart(rt, plan);
  for (let r = state.next(); r !== null; r = state.next()) yield r;
}

function* recursiveRows(plan: RecursiveUnionPlan, rt: Runtime): Generator<Row> {
  const seen = new Set<string>();
  const fresh = (r: Row): boolean => {
    if (plan.all) return true;
    const k = rowKey(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  };
  let work: Row[] = [];
  for (const r of streamRows(rt, plan.base)) {
    if (!fresh(r)) continue;
    work.push(r);
    yield r;
  }
  for (let round = 0; work.length > 0; round++) {
    if (round > recursionRoundsMax) {
      throw new SqlError(SqlState.programLimitExceeded, "recursive query ran too many rounds");
    }
    if (rt.ctx.signal.aborted) {
      throw new SqlError(SqlState.queryCanceled, "canceling statement due to user request");
    }
    rt.workTables.set(plan.cteId, work);
    const next: Row[] = [];
    for (const r of streamRows(rt, plan.recursive)) {
      if (!fresh(r)) continue;
      next.push(r);
      yield r;
    }
    work = next;
  }
}
