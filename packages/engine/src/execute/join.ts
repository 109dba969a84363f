/**
 * Joins. The nested loop rescans its right input per left row (setting LATERAL slots first);
 * the hash join reads its right input once into a table keyed by the join keys, then probes
 * it with each left row. Both handle inner, left, right and full joins; unmatched rows are
 * padded with nulls.
 */
import type { Row, Value } from "@tessera/sql";
import { hashKeyOf } from "../catalog/type-io.js";
import type { HashJoinPlan, NestLoopPlan } from "../plan/plan.js";
import { compileExpr, compilePredicate } from "./compile.js";
import type { NodeState, Runtime } from "./runtime.js";

export function buildNestLoop(plan: NestLoopPlan, rt: Runtime): NodeState {
  const left = rt.build(plan.left);
  const right = rt.build(plan.right);
  const cond = compilePredicate(plan.cond, plan.offset);
  const filter = compilePredicate(plan.filter, plan.offset);
  const lateral = plan.lateral.map((p) => ({ slot: p.slot, f: compileExpr(p.expr, plan.offset) }));
  const rightWidth = plan.width - plan.leftWidth;
  const leftNulls: Row = new Array<Value>(plan.leftWidth).fill(null);
  const outerLeft = plan.joinType === "left" || plan.joinType === "full";
  const outerRight = plan.joinType === "right" || plan.joinType === "full";
  let rightRows: Row[] | null = null;
  let rightMatched: boolean[] = [];
  let current: Row | null = null;
  let matched = false;
  let pos = 0;
  let tail = -1;
  const materialize = (): Row[] => {
    const rows: Row[] = [];
    for (let r = right.next(); r !== null; r = right.next()) rows.push(r);
    return rows;
  };
  const emit = (row: Row): Row | null => (filter === null || filter(row, rt) ? row : null);
  const next = (): Row | null => {
    for (;;) {
      if (current === null) {
        current = left.next();
        if (current === null) return tailRow();
        if (lateral.length > 0 || rightRows === null) {
          for (const p of lateral) rt.slots[p.slot] = p.f(current, rt);
          if (rightRows !== null) right.rescan();
          rightRows = materialize();
          rightMatched = new Array<boolean>(rightRows.length).fill(false);
        }
        matched = false;
        pos = 0;
      }
      const rows = rightRows!;
      while (pos < rows.length) {
        const r = rows[pos++]!;
        const row = current.concat(r);
        if (cond !== null && !cond(row, rt)) continue;
        matched = true;
        rightMatched[pos - 1] = true;
        const out = emit(row);
        if (out !== null) return out;
      }
      const l = current;
      current = null;
      if (!matched && outerLeft) {
        const out = emit(l.concat(new Array<Value>(rightWidth).fill(null)));
        if (out !== null) return out;
      }
    }
  };
  const tailRow = (): Row | null => {
    if (!outerRight || rightRows === null) return null;
    if (tail < 0) tail = 0;
    while (tail < rightRows.length) {
      const k = tail++;
      if (rightMatched[k] === true) continue;
      const out = emit(leftNulls.concat(rightRows[k]!));
      if (out !== null) return out;
    }
    return null;
  };
  return {
    next,
    rescan(): void {
      left.rescan();
      right.rescan();
      rightRows = null;
      current = null;
      tail = -1;
    },
  };
}

export function buildHashJoin(plan: HashJoinPlan, rt: Runtime): NodeState {
  const left = rt.build(plan.left);
  const right = rt.build(plan.right);
  const rightBase = plan.offset + plan.leftWidth;
  const leftKeys = plan.leftKeys.map((e) => compileExpr(e, plan.offset));
  const rightKeys = plan.rightKeys.map((e) => compileExpr(e, rightBase));
  const cond = compilePredicate(plan.cond, plan.offset);
  const filter = compilePredicate(plan.filter, plan.offset);
  const rightWidth = plan.width - plan.leftWidth;
  const leftNulls: Row = new Array<Value>(plan.leftWidth).fill(null);
  const outerLeft = plan.joinType === "left" || plan.joinType === "full";
  const outerRight = plan.joinType === "right" || plan.joinType === "full";
  let table: Map<unknown, { row: Row; matched: boolean }[]> | null = null;
  let allRight: { row: Row; matched: boolean }[] = [];
  const keyOf = (fns: typeof leftKeys, row: Row): unknown => {
    if (fns.length === 1) return hashKeyOf(fns[0]!(row, rt));
    const parts: unknown[] = [];
    for (const f of fns) {
      const v = f(row, rt);
      if (v === null) return null;
      parts.push(hashKeyOf(v));
    }
    return JSON.stringify(parts, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x));
  };
  const build = (): void => {
    table = new Map();
    allRight = [];
    for (let r = right.next(); r !== null; r = right.next()) {
      const entry = { row: r, matched: false };
      allRight.push(entry);
      const key = keyOf(rightKeys, r);
      if (key === null) continue;
      const bucket = table.get(key);
      if (bucket === undefined) table.set(key, [entry]);
      else bucket.push(entry);
    }
  };
  let current: Row | null = null;
  let bucket: { row: Row; matched: boolean }[] = [];
  let pos = 0;
  let matched = false;
  let tail = -1;
  const emit = (row: Row): Row | null => (filter === null || filter(row, rt) ? row : null);
  return {
    next(): Row | null {
      if (table === null) build();
      for (;;) {
        if (current === null) {
          current = left.next();
          if (current === null) break;
          const key = keyOf(leftKeys, current);
          bucket = key === null ? [] : table!.get(key) ?? [];
          pos = 0;
          matched = false;
        }
        while (pos < bucket.length) {
          const entry = bucket[pos++]!;
          const row = current.concat(entry.row);
          if (cond !== null && !cond(row, rt)) continue;
          matched = true;
          entry.matched = true;
          const out = emit(row);
          if (out !== null) return out;
        }
        const l = current;
        current = null;
        if (!matched && outerLeft) {
          const out = emit(l.concat(new Array<Value>(rightWidth).fill(null)));
          if (out !== null) return out;
        }
      }
      if (!outerRight) return null;
      if (tail < 0) tail = 0;
      while (tail < allRight.length) {
        const entry = allRight[tail++]!;
        if (entry.matched) continue;
        const out = emit(leftNulls.concat(entry.row));
        if (out !== null) return out;
      }
      return null;
    },
    rescan(): void {
      left.rescan();
      right.rescan();
      table = null;
      current = null;
      tail = -1;
    },
  };
}
