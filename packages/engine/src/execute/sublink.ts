/**
 * Sublinks (Postgres's SubPlan): EXISTS, scalar, IN/ANY/ALL and ARRAY subqueries. Before each
 * evaluation the values the subquery reads from this row go into their slots and the subplan
 * restarts. A subquery that reads nothing from outside runs once per statement and its rows
 * are kept (an initplan).
 */
import { SqlError, SqlState } from "@tessera/base";
import { accumulateArrays, type Row, type Value } from "@tessera/sql";
import type { Expr, SubLinkExpr } from "../analyze/expr.js";
import { arrayOf } from "../catalog/types.js";
import type { Compiled } from "./compile.js";
import type { NodeState, Runtime } from "./runtime.js";

/** Compiles a sublink; `compile` compiles its parameter and test expressions. */
export function compileSubLink(expr: SubLinkExpr, compile: (e: Expr) => Compiled): Compiled {
  const params = expr.params.map((p) => ({ slot: p.slot, f: compile(p.expr) }));
  const testArgs = expr.testArgs.map(compile);
  const testOps = expr.testOps;
  const plan = expr.plan;
  const cache = new WeakMap<Runtime, Row[]>();
  const runsOnce = params.length === 0 && expr.readsEnclosing !== true &&
    expr.readsCorrelatedCte !== true;
  const rowsOf = (row: Row, rt: Runtime): Iterable<Row> => {
    if (runsOnce) {
      let rows = cache.get(rt);
      if (rows === undefined) {
        rows = drain(rt, plan);
        cache.set(rt, rows);
      }
      return rows;
    }
    for (const p of params) rt.slots[p.slot] = p.f(row, rt);
    return drain(rt, plan);
  };
  switch (expr.linkType) {
    case "exists":
      return (row, rt) => {
        for (const _r of rowsOf(row, rt)) return true;
        return false;
      };
    case "expr": {
      const rowCompare = expr.rowCompare;
      const test = rowCompare === undefined ? null : compile(rowCompare.test);
      return (row, rt) => {
        const rows = [...rowsOf(row, rt)];
        if (rows.length > 1) {
          throw new SqlError(SqlState.cardinalityViolation,
            "more than one row returned by a subquery used as an expression");
        }
        if (rows.length === 0) return null;
        if (rowCompare === undefined || test === null) return rows[0]![0] as Value;
        const values = [...testArgs.map((f) => f(row, rt)), ...rows[0]!];
        rowCompare.slots.forEach((slot, i) => { rt.slots[slot] = values[i] as Value; });
        return test(row, rt);
      };
    }
    case "array": {
      const elementType = expr.plan.width > 0 ? expr.type : arrayOf(expr.type);
      return (row, rt) => {
        const items = [...rowsOf(row, rt)].map((r) => r[0] as Value);
        if (expr.stacksArrays === true) return accumulateArrays(elementTypeOf(expr), items);
        return { kind: "array", elementType: elementTypeOf(expr), dims: items.length === 0 ? []
          : [items.length], lowerBounds: items.length === 0 ? [] : [1], items };
      };
      void elementType;
    }
    default: {
      const any = expr.linkType === "any";
      return (row, rt) => {
        const left = testArgs.map((f) => f(row, rt));
        let sawNull = false;
        for (const r of rowsOf(row, rt)) {
          const result = compareRow(left, r, testOps, rt);
          if (result === null) sawNull = true;
          else if (result === any) return any;
        }
        return sawNull ? null : !any;
      };
    }
  }
}

function elementTypeOf(expr: SubLinkExpr): number {
  return expr.testArgs.length === 0 ? elementFromArray(expr.type) : expr.type;
}

import { typeInfo } from "../catalog/types.js";
function elementFromArray(type: number): number {
  return typeInfo(type).elem;
}

/** Compares a row of left values with a subquery row: AND of the column tests, 3-valued. */
function compareRow(left: readonly Value[], right: Row, ops: SubLinkExpr["testOps"],
  rt: Runtime): boolean | null {
  let sawNull = false;
  for (let i = 0; i < left.length; i++) {
    const a = left[i]!;
    const b = right[i] as Value;
    if (a === null || b === null) {
      sawNull = true;
      continue;
    }
    const r = ops[i]!([a, b], rt.evalContext);
    if (r === false) return false;
    if (r === null) sawNull = true;
  }
  return sawNull ? null : true;
}

/** `plan`'s state, at its first row: built on first use, rescanned after. */
export function fromStart(rt: Runtime, plan: import("../plan/plan.js").Plan): NodeState {
  let state = rt.subplans.get(plan);
  if (state === undefined) {
    state = rt.build(plan);
    rt.subplans.set(plan, state);
  } else {
    state.rescan();
  }
  return state;
}

/** Runs `plan` from the start and returns all its rows. */
export function drain(rt: Runtime, plan: import("../plan/plan.js").Plan): Row[] {
  const state = fromStart(rt, plan);
  const rows: Row[] = [];
  for (let r = state.next(); r !== null; r = state.next()) rows.push(r);
  return rows;
}
