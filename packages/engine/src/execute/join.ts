/**
 * The nested loop join: rescans its right input per left row (setting LATERAL slots first).
 * It handles inner, left, right and full joins; unmatched rows are padded with nulls. The
 * hash join is in `hash-join.ts`.
 */
import type { Row, Value } from "@tessera/sql";
import type { NestLoopPlan } from "../plan/plan.js";
import { compileExpr, compilePredicate } from "./compile.js";
import { concatRows } from "./hash-join.js";
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
        const row = concatRows(current, r);
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
