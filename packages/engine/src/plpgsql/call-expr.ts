/**
 * A call of a PL/pgSQL function in a query, as the analyzer makes it: a `call` expression
 * whose implementation runs the interpreter inside the running statement (`engine-host.ts`),
 * or, for SETOF, TABLE and OUT-parameter functions where a set is allowed (FROM, the select
 * list), a set-returning call yielding the rows. Calls are always treated as volatile by the
 * planner (never folded at plan time, where no statement runs); the function's declared
 * volatility decides what its statements may do and which snapshot they read.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { PgRecord, Value } from "@tessera/sql";
import { coerceTo } from "../analyze/coerce.js";
import type { Expr, EvalLike } from "../analyze/expr.js";
import { locationOf } from "../analyze/expr-analyze.js";
import type { Scope } from "../analyze/scope.js";
import { srfResultType } from "../analyze/srf-records.js";
import { rowTypeColumns, rowTypeRelation } from "../catalog/row-types.js";
import { compositeAttributes } from "../catalog/composite-types.js";
import type { SqlFunction } from "../catalog/sql-functions.js";
import { Oid, formatTypeName } from "../catalog/types.js";
import { bindPolymorphic, concreteType, type PolyBinding } from "./polymorphic.js";

type Outcome = { readonly value: Value; readonly rows: readonly Value[][] };
/** What analysis learned of one call: its polymorphic binding, a record result's columns. */
export interface CallTypes {
  readonly binding: PolyBinding | undefined;
  /** RETURNS [SETOF] record in FROM: the column definition list's columns. */
  readonly recordColumns: readonly { name: string; type: number }[] | undefined;
}

type CallRunner = (fn: SqlFunction, values: Value[], ctx: EvalLike, types: CallTypes) =>
  Outcome;

/**
 * Runs a call; set by `engine-call.ts` (a hook, so that analysis does not import the
 * executor: the two import each other through the engine's modules).
 */
let runner: CallRunner | undefined;

export function setCallRunner(run: CallRunner): void {
  runner = run;
}

function invoke(fn: SqlFunction, values: Value[], ctx: EvalLike, types: CallTypes): Outcome {
  if (runner === undefined) throw notSupported(`calling PL/pgSQL function ${fn.name} here`);
  return runner(fn, values, ctx, types);
}

/** The analyzed call of PL/pgSQL function `fn` with `args` analyzed in `scope`. */
export function plpgsqlCallExpr(fn: SqlFunction, args: readonly Expr[], scope: Scope,
  location: number | undefined): Expr {
  if (fn.procedure === true) {
    throw new SqlError(SqlState.wrongObjectType, `${fn.name}(${args.map((a) =>
      formatTypeName(a.type, -1)).join(", ")}) is a procedure`,
    { ...locationOf(location), hint: "To call a procedure, use CALL." });
  }
  const binding = bindPolymorphic(fn.argTypes, args);
  const coerced = args.map((a, i) => coerceTo(a, concreteType(fn.argTypes[i]!, binding), -1,
    "i", scope.statement.params));
  const returnType = concreteType(fn.returnType, binding);
  const out = fn.outColumns.map((c) => ({ name: c.name, type: concreteType(c.type, binding) }));
  const expected = scope.expectedColumns;
  const callTypes: CallTypes = { binding, recordColumns: expected !== null &&
    expected.call.location === location && returnType === Oid.record && out.length === 0
    ? expected.columns.map((c) => ({ name: c.name, type: c.type })) : undefined };
  const rowSet = fn.setOf || out.length > 0;
  const base = { kind: "call" as const, name: fn.name, operator: false, args: coerced,
    strict: fn.strict, volatile: true, typmod: -1 };
  if (!rowSet || scope.srfs === null) {
    if (fn.setOf) {
      const clause = scope.clause === "" ? "this context" : scope.clause;
      throw new SqlError(SqlState.featureNotSupported,
        `set-returning functions are not allowed in ${clause}`, locationOf(location));
    }
    const names = out.map((c) => c.name);
    const types = out.map((c) => c.type);
    return { ...base, ...srfResultType(returnType, out.length > 0 ? out : undefined),
      impl: (values, ctx) => {
        const value = invoke(fn, values, ctx, callTypes).value;
        if (out.length === 0 || value === null) return value;
        return { ...(value as PgRecord), types, names };
      } };
  }
  const rel = rowTypeRelation(scope.statement.catalog, fn.returnType);
  const record = out.length > 0 ? undefined
    : rel === undefined ? compositeAttributes(fn.returnType) : rowTypeColumns(rel);
  const call: Expr = { ...base, type: returnType,
    impl: (values, ctx) => rowsOf(fn, invoke(fn, values, ctx, callTypes),
      out.length > 0 || callTypes.recordColumns !== undefined, record) as unknown as Value };
  scope.srfs.push({ call, type: returnType, outColumns: out.length > 0 ? out : null });
  return { kind: "srfref", index: scope.srfs.length - 1,
    ...srfResultType(returnType, out.length > 0 ? out : undefined) };
}

/** The rows a set-returning call yields: arrays of columns, records, or plain values. */
function rowsOf(fn: SqlFunction, outcome: Outcome,
  columns: boolean, record: readonly { name: string; type: number }[] | undefined):
  Iterable<Value | Value[]> {
  if (!fn.setOf) {
    const record = outcome.value as PgRecord | null;
    return [record === null ? fn.outColumns.map(() => null) : [...record.fields]];
  }
  if (columns) return outcome.rows;
  if (record !== undefined) {
    const types = record.map((c) => c.type);
    const names = record.map((c) => c.name);
    return outcome.rows.map((fields): Value => ({ kind: "record", fields, types, names }));
  }
  return outcome.rows.map((r) => r[0] ?? null);
}
