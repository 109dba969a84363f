/**
 * The parts of a FROM function item (`from-function.ts`): each function's columns, and the
 * call that zips several functions' rows for ROWS FROM. Every part's values are turned into
 * rows of its own width: a set-returning function yields values, arrays (functions with OUT
 * columns) or records; a plain function gives one row; a record result spreads its fields,
 * and a null record gives a row of nulls.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { PgRecord, ResultColumn, Value } from "@tessera/sql";
import { isRowType } from "../catalog/row-types.js";
import { compositeAttributes } from "../catalog/composite-types.js";
import { Oid } from "../catalog/types.js";
import type { Expr } from "./expr.js";
import { analyzeExpr, locationOf } from "./expr-analyze.js";
import type { FunctionItem } from "./from-function.js";
import { resultColumnsOf } from "./record-columns.js";
import type { Scope } from "./scope.js";
import { resolveTypeName } from "./type-name.js";

export interface FromPart {
  readonly name: string;
  /** The call; for a set-returning function its value is an iterable. */
  readonly call: Expr;
  readonly columns: readonly ResultColumn[];
  readonly srf: boolean;
  /** One column named after the function (or the alias), not a record's field. */
  readonly scalar: boolean;
  /** A set-returning function whose rows need no reshaping (planned as before ROWS FROM). */
  readonly simple: boolean;
}

/** Analyzes one function of a FROM item with its column definition list. */
export function analyzeFromPart(item: FunctionItem, scope: Scope): FromPart {
  const defined = item.coldeflist?.map(columnDef);
  scope.expectedColumns = defined === undefined ? null : { call: item.call, columns: defined };
  scope.srfs = [];
  const expr = analyzeExpr({ FuncCall: item.call }, scope);
  if (scope.srfs.length > 1) {
    throw new SqlError(SqlState.featureNotSupported,
      "set-returning functions must appear at top level of FROM", locationOf(item.call.location));
  }
  const srf = expr.kind === "srfref" ? scope.srfs[0] : undefined;
  scope.srfs = null;
  scope.expectedColumns = null;
  const call = srf?.call ?? expr;
  const type = srf?.type ?? expr.type;
  const loc = locationOf(item.call.location);
  if (defined !== undefined) {
    if (type !== Oid.record) {
      throw new SqlError(SqlState.syntaxError,
        "a column definition list is only allowed for functions returning \"record\"", loc);
    }
    return { name: item.name, call, columns: defined, srf: srf !== undefined, scalar: false,
      simple: false };
  }
  const out = srf?.outColumns;
  if (out !== undefined && out !== null) {
    return { name: item.name, call, srf: true, scalar: false, simple: true,
      columns: out.map((c) => ({ name: c.name, type: c.type, typmod: -1 })) };
  }
  if (isRowType(type) || compositeAttributes(type) !== undefined) {
    const columns = resultColumnsOf(item.call, type, scope) ?? [];
    return { name: item.name, call, columns, srf: srf !== undefined, scalar: false,
      simple: false };
  }
  if (type === Oid.record) {
    throw new SqlError(SqlState.syntaxError,
      "a column definition list is required for functions returning \"record\"", loc);
  }
  return { name: item.name, call, columns: [{ name: item.name, type, typmod: -1 }],
    srf: srf !== undefined, scalar: true, simple: srf !== undefined };
}

function columnDef(node: import("@tessera/sql").ast.Node): ResultColumn {
  if (!("ColumnDef" in node)) throw new SqlError(SqlState.syntaxError, "bad column definition");
  const def = node.ColumnDef;
  const { type, typmod } = resolveTypeName(def.typeName!);
  return { name: def.colname ?? "", type, typmod };
}

/** Returns the call that yields ROWS FROM's rows: the parts' rows side by side. */
export function zipCall(parts: readonly FromPart[]): Expr {
  const impl = (values: Value[]): Value => {
    const sources = parts.map((p, k) => rowsOf(p, values[k] ?? null));
    return zip(sources, parts.map((p) => p.columns.length)) as unknown as Value;
  };
  return { kind: "call", name: parts.map((p) => p.name).join(", "), operator: false,
    args: parts.map((p) => p.call), strict: false, volatile: true, type: Oid.record,
    typmod: -1, impl };
}

function* zip(sources: Iterator<Value[]>[], widths: readonly number[]): Generator<Value[]> {
  const done = sources.map(() => false);
  for (;;) {
    const row: Value[] = [];
    sources.forEach((source, k) => {
      const step = done[k] === true ? undefined : source.next();
      if (step === undefined || step.done === true) {
        done[k] = true;
        for (let i = 0; i < widths[k]!; i++) row.push(null);
      } else {
        row.push(...step.value);
      }
    });
    if (done.every((d) => d)) return;
    yield row;
  }
}

function rowsOf(part: FromPart, value: Value): Iterator<Value[]> {
  const width = part.columns.length;
  const shape = (v: unknown): Value[] => {
    if (Array.isArray(v)) return v as Value[];
    if (v === null) return part.scalar ? [null] : new Array<Value>(width).fill(null);
    if (!part.scalar && typeof v === "object" && (v as PgRecord).kind === "record") {
      return [...(v as PgRecord).fields];
    }
    return [v as Value];
  };
  if (!part.srf) return [shape(value)][Symbol.iterator]();
  const source = (value ?? []) as unknown as Iterable<unknown>;
  const inner = source[Symbol.iterator]();
  return { next: () => {
    const step = inner.next();
    return step.done === true ? { done: true, value: undefined } : { value: shape(step.value) };
  } };
}
