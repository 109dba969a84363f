/**
 * Set-returning functions in FROM (`generate_series(1, 10) WITH ORDINALITY AS g(n, i)`):
 * one column per value, or the function's declared out columns, plus the ordinality.
 */
import { notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { Oid } from "../catalog/types.js";
import type { Plan } from "../plan/plan.js";
import type { Expr } from "./expr.js";
import { analyzeExpr } from "./expr-analyze.js";
import { columnsAt, Scope } from "./scope.js";

export function analyzeFunctionScan(rf: ast.RangeFunction, scope: Scope, offset: number):
  { plan: Plan; width: number; lateral: readonly { slot: number; expr: Expr }[] } {
  const functions = rf.functions ?? [];
  if (functions.length !== 1 || rf.is_rowsfrom === true) throw notSupported("ROWS FROM");
  const first = functions[0]!;
  const call = "List" in first ? first.List.items?.[0] : undefined;
  if (call === undefined || !("FuncCall" in call)) throw notSupported("this FROM function");
  const child = new Scope(scope.statement, rf.lateral === true ? scope : scope);
  child.srfs = [];
  child.items = [];
  const expr = analyzeExpr(call, child);
  const srf = child.srfs[0];
  if (expr.kind !== "srfref" || srf === undefined) {
    throw notSupported("non-set-returning functions in FROM");
  }
  const name = call.FuncCall.funcname?.map((n) => ("String" in n ? n.String.sval : "")).pop() ?? "";
  const alias = rf.alias?.aliasname ?? name;
  const given = (rf.alias?.colnames ?? []).map((c) => ("String" in c ? c.String.sval ?? "" : ""));
  const base = srf.outColumns ?? [{ name: alias, type: srf.type }];
  const cols = base.map((c, i) => ({ name: given[i] ?? c.name, type: c.type, typmod: -1 }));
  if (rf.ordinality === true) {
    cols.push({ name: given[cols.length] ?? "ordinality", type: Oid.int8, typmod: -1 });
  }
  scope.items.push({ alias, columns: columnsAt(offset, alias, cols, 0), relationOid: 0,
    visible: true });
  const plan: Plan = { kind: "functionScan", call: srf.call, name, alias,
    ordinality: rf.ordinality === true, offset,
    // Only a record-returning function yields one array per row; a scalar one with a named
    // OUT column (jsonb_array_elements' "value") yields plain values.
    recordColumns: srf.type === Oid.record ? srf.outColumns?.length ?? 0 : 0,
    filter: null, width: cols.length, rows: 1000 };
  return { plan, width: cols.length, lateral: child.outerParams };
}
