/**
 * UNION / INTERSECT / EXCEPT [ALL], WITH (materialize each CTE, then run the main plan) and
 * WITH RECURSIVE's RecursiveUnion (iterate the recursive term over the work table until it
 * yields nothing new).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Row, Value } from "@tessera/sql";
import { hashKeyOf } from "../catalog/type-io.js";
import type { RecursiveUnionPlan, SetOpPlan, WithPlan } from "../plan/plan.js";
import type { NodeState, Runtime } from "./runtime.js";
import { drain } from "./sublink.js";

const rowKey = (r: Row): string =>
  JSON.stringify(r.map((v) => hashKeyOf(v as Value)), (_k, x: unknown) =>
    (typeof x === "bigint" ? `${x}n` : x));

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

export function buildWith(plan: WithPlan, rt: Runtime): NodeState {
  const input = rt.build(plan.input);
  let ready = false;
  return {
    next(): Row | null {
      if (!ready) {
        for (const cte of plan.ctes) rt.cteRows.set(cte.id, drain(rt, cte.plan));
        ready = true;
      }
      return input.next();
    },
    rescan(): void {
      ready = false;
      input.rescan();
    },
  };
}

/** Iterations before we call a recursive query runaway; Postgres has no limit, we must. */
const recursionRoundsMax = 1_000_000;

export function buildRecursiveUnion(plan: RecursiveUnionPlan, rt: Runtime): NodeState {
  return fromArray(() => {
    const seen = new Set<string>();
    const keep = (rows: Row[]): Row[] => (plan.all ? rows : rows.filter((r) => {
      const k = rowKey(r);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    }));
    const result: Row[] = [];
    let work = keep(drain(rt, plan.base));
    for (let round = 0; work.length > 0; round++) {
      if (round > recursionRoundsMax) {
        throw new SqlError(SqlState.programLimitExceeded, "recursive query ran too many rounds");
      }
      if (rt.ctx.signal.aborted) {
        throw new SqlError(SqlState.queryCanceled, "canceling statement due to user request");
      }
      result.push(...work);
      rt.cteRows.set(plan.cteId, work);
      work = keep(drain(rt, plan.recursive));
    }
    return result;
  });
}
