/**
 * The columns a record-returning call produces, handed to the function in its CallInfo as
 * Postgres hands it the expected tuple descriptor: a FROM item's column definition list
 * (`jsonb_to_record(j) AS t(a int, b text)`) or, for a call returning a table's row type
 * (`jsonb_populate_record(null::t, j)`), the table's columns.
 */
import type { ast, CallInfo, ResultColumn } from "@tessera/sql";
import { rowTypeColumns, rowTypeRelation } from "../catalog/row-types.js";
import { compositeAttributes } from "../catalog/composite-types.js";
import type { Scope } from "./scope.js";

/** Returns `info` with its result columns, when the call's result has known columns. */
export function withResultColumns(call: ast.FuncCall, info: CallInfo, scope: Scope): CallInfo {
  const columns = resultColumnsOf(call, info.returnType, scope);
  return columns === undefined ? info : { ...info, resultColumns: columns };
}

/** Returns the columns of a call's record or row-type result, if they are known. */
export function resultColumnsOf(call: ast.FuncCall, returnType: number, scope: Scope):
  readonly ResultColumn[] | undefined {
  const expected = scope.expectedColumns;
  if (expected !== null && expected.call === call) return expected.columns;
  const rel = rowTypeRelation(scope.statement.catalog, returnType);
  return rel === undefined ? compositeAttributes(returnType) : rowTypeColumns(rel);
}
