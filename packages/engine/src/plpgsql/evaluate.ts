/**
 * Evaluating PL/pgSQL expressions: `SELECT expr` run by the host with the variables it reads
 * as parameters, exactly one column and at most one row, as exec_eval_expr demands.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "@tessera/sql";
import { Oid } from "../catalog/types.js";
import { recordTypmod } from "../analyze/whole-row.js";
import type { Step } from "./drive.js";
import { parsedExpr, type ParsedExpr, type Ref } from "./expressions.js";
import type { Frame, Typed } from "./frame.js";
import type { QueryResult } from "./host.js";
import type { PlExpr } from "./tree.js";

/**
 * The parameter values and types of an expression's variable references. A whole record
 * variable's typmod names its shape, so `ROW(r.*)` expands to its fields.
 */
export function paramsOf(frame: Frame, refs: readonly Ref[]):
  { params: Value[]; paramTypes: number[]; paramTypmods: number[] } {
  const params: Value[] = [];
  const paramTypes: number[] = [];
  const paramTypmods: number[] = [];
  for (const ref of refs) {
    const v = frame.readRef(ref);
    params.push(v.value);
    paramTypes.push(v.type === Oid.unknown ? Oid.text : v.type);
    paramTypmods.push(v.type === Oid.record && ref.field === undefined
      ? recordParamTypmod(frame.recordColumns(ref.datum)) : -1);
  }
  return { params, paramTypes, paramTypmods };
}

function recordParamTypmod(columns: readonly { name: string; type: number }[] | undefined):
  number {
  return columns === undefined ? -1
    : recordTypmod(columns.map((c) => ({ name: c.name, type: c.type, typmod: -1 })));
}

/** Runs a parsed statement or expression with the frame's variables as parameters. */
export function* runParsed(frame: Frame, parsed: ParsedExpr): Step<QueryResult> {
  const { params, paramTypes, paramTypmods } = paramsOf(frame, parsed.refs);
  const result = frame.host.query({ stmt: parsed.stmt, cacheKey: parsed, paramTypes, params,
    paramTypmods });
  // Inline `wait`: most hosts answer at once, and this runs for every expression.
  return result instanceof Promise ? (yield result) as QueryResult : result;
}

/** The single value of a parsed `SELECT expr`. */
export function* evalScalar(frame: Frame, parsed: ParsedExpr, shown: string,
  assignment = false): Step<Typed> {
  const result = yield* runParsed(frame, parsed);
  if (result.columns.length !== 1) {
    const n = result.columns.length;
    throw new SqlError(SqlState.syntaxError, assignment
      ? `assignment source returned ${n} column${n === 1 ? "" : "s"}`
      : `query "${shown}" returned ${n} columns`);
  }
  if (result.rows.length > 1) {
    throw new SqlError(SqlState.cardinalityViolation, "query returned more than one row");
  }
  return { value: (result.rows[0]?.[0] ?? null) as Value, type: result.columns[0]!.type };
}

export function* evalExpr(frame: Frame, expr: PlExpr): Step<Typed> {
  return yield* evalScalar(frame, parsedExpr(expr, (n) => frame.isRecord(n)), expr.query);
}

/** A condition: true only when the expression is true (null counts as false). */
export function* evalBool(frame: Frame, expr: PlExpr): Step<boolean> {
  const v = yield* evalExpr(frame, expr);
  if (v.value === null) return false;
  if (v.type === Oid.bool) return v.value === true;
  return frame.host.cast(v.value, v.type, Oid.bool, -1) === true;
}

/** An expression's value as text (EXECUTE's query string, RAISE's options). */
export function* evalText(frame: Frame, expr: PlExpr): Step<string | null> {
  const v = yield* evalExpr(frame, expr);
  if (v.value === null) return null;
  return frame.host.text(v.value, v.type);
}
