/**
 * Functions in FROM (`generate_series(1, 10) WITH ORDINALITY AS g(n, i)`): one column per
 * value, the function's declared out columns, a column definition list for a function
 * returning `record` (`jsonb_to_record(j) AS t(a int, b text)`), or a table's columns for a
 * function returning its row type, plus the ordinality.
 *
 * `ROWS FROM (f(…), g(…))` runs several functions side by side: row k joins the k-th rows of
 * all of them, a function that has run out giving nulls, until every one has. A non-set
 * function gives one row. `unnest(a, b)` in FROM means `ROWS FROM (unnest(a), unnest(b))`,
 * as in Postgres's transformRangeFunction: the arrays are zipped.
 */
import { notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { Oid, typeInfo } from "../catalog/types.js";
import type { Plan } from "../plan/plan.js";
import type { Expr } from "./expr.js";
import { analyzeFromPart, zipCall, type FromPart } from "./from-rows.js";
import { columnsAt, Scope } from "./scope.js";

export function analyzeFunctionScan(rf: ast.RangeFunction, scope: Scope, offset: number):
  { plan: Plan; width: number; lateral: readonly { slot: number; expr: Expr }[] } {
  const items = functionItems(rf);
  const child = new Scope(scope.statement, scope);
  child.items = [];
  child.clause = "functions in FROM";
  const alias = rf.alias?.aliasname ?? items[0]!.name;
  const parts: FromPart[] = items.map((item) => analyzeFromPart(item, child));
  const only = parts[0]!;
  if (parts.length === 1 && only.simple) return simpleSrf(rf, only, offset, scope, child);
  const given = (rf.alias?.colnames ?? []).map((c) => ("String" in c ? c.String.sval ?? "" : ""));
  const cols = parts.flatMap((p) => p.columns.map((c) => ({
    name: p.scalar && parts.length === 1 ? alias : c.name, type: c.type, typmod: c.typmod })))
    .map((c, i) => ({ ...c, name: given[i] ?? c.name }));
  if (rf.ordinality === true) {
    cols.push({ name: given[cols.length] ?? "ordinality", type: Oid.int8, typmod: -1 });
  }
  // One function returning a composite type: its whole row has that type, as in Postgres.
  const rowType = parts.length === 1 && rf.ordinality !== true &&
    typeInfo(only.call.type).category === "C" ? only.call.type : undefined;
  scope.items.push({ alias, columns: columnsAt(offset, alias, cols, 0), relationOid: 0,
    visible: true, ...(rowType !== undefined ? { rowType } : {}) });
  const width = parts.reduce((n, p) => n + p.columns.length, 0);
  const plan: Plan = { kind: "functionScan", call: zipCall(parts), name: items[0]!.name, alias,
    ordinality: rf.ordinality === true, offset, recordColumns: width,
    filter: null, width: cols.length, rows: 1000 };
  return { plan, width: cols.length, lateral: child.outerParams };
}

/** One function of a FROM item with its own column definition list, if any. */
export interface FunctionItem {
  readonly call: ast.FuncCall;
  readonly name: string;
  readonly coldeflist: readonly ast.Node[] | undefined;
}

/** Lists the FROM item's functions, expanding `unnest(a, b)` into one unnest per array. */
function functionItems(rf: ast.RangeFunction): FunctionItem[] {
  const items = (rf.functions ?? []).map((f): FunctionItem => {
    const list = "List" in f ? f.List.items ?? [] : [];
    const call = list[0];
    if (call === undefined || !("FuncCall" in call)) throw notSupported("this FROM function");
    const defs = list[1] !== undefined && "List" in list[1] ? list[1].List.items : undefined;
    const names = call.FuncCall.funcname ?? [];
    const last = names[names.length - 1];
    const name = last !== undefined && "String" in last ? last.String.sval ?? "" : "";
    return { call: call.FuncCall, name, coldeflist: defs };
  });
  const first = items[0];
  if (items.length === 1 && first !== undefined && rf.is_rowsfrom !== true &&
    isPlainUnnest(first.call) && (first.call.args ?? []).length > 1) {
    return (first.call.args ?? []).map((arg) => ({
      call: { ...first.call, args: [arg] }, name: "unnest", coldeflist: undefined }));
  }
  if (rf.coldeflist !== undefined && first !== undefined) {
    if (items.length > 1) throw notSupported("a column definition list with ROWS FROM");
    return [{ ...first, coldeflist: rf.coldeflist }];
  }
  return items;
}

function isPlainUnnest(call: ast.FuncCall): boolean {
  const names = (call.funcname ?? []).map((n) => ("String" in n ? n.String.sval : ""));
  const ok = names.length === 1 || (names.length === 2 && names[0] === "pg_catalog");
  return ok && names[names.length - 1] === "unnest" && call.agg_star !== true &&
    call.func_variadic !== true && !(call.args ?? []).some((a) => "NamedArgExpr" in a);
}

/** Plans one set-returning function without a column list, as before ROWS FROM. */
function simpleSrf(rf: ast.RangeFunction, part: FromPart, offset: number, scope: Scope,
  child: Scope): ReturnType<typeof analyzeFunctionScan> {
  const alias = rf.alias?.aliasname ?? part.name;
  const given = (rf.alias?.colnames ?? []).map((c) => ("String" in c ? c.String.sval ?? "" : ""));
  const cols = part.columns.map((c, i) => ({ name: given[i] ?? (part.scalar ? alias : c.name),
    type: c.type, typmod: -1 }));
  if (rf.ordinality === true) {
    cols.push({ name: given[cols.length] ?? "ordinality", type: Oid.int8, typmod: -1 });
  }
  const scalarRow = rf.ordinality !== true && cols.length === 1 && part.call.type !== Oid.record
    && typeInfo(part.call.type).category !== "C";
  const rowType = rf.ordinality !== true && typeInfo(part.call.type).category === "C"
    ? part.call.type : undefined;
  scope.items.push({ alias, columns: columnsAt(offset, alias, cols, 0), relationOid: 0,
    visible: true, ...(scalarRow ? { scalarRow } : {}),
    ...(rowType !== undefined ? { rowType } : {}) });
  const plan: Plan = { kind: "functionScan", call: part.call, name: part.name, alias,
    ordinality: rf.ordinality === true, offset,
    // Only a record-returning function yields one array per row; a scalar one with a named
    // OUT column (jsonb_array_elements' "value") yields plain values.
    recordColumns: part.call.type === Oid.record ? part.columns.length : 0,
    filter: null, width: cols.length, rows: 1000 };
  return { plan, width: cols.length, lateral: child.outerParams };
}
