/**
 * Finding an aggregate's support functions, as PostgreSQL's lookup_agg_function: the state
 * function takes (stype, inputs…), the final function (stype) or, with FINALFUNC_EXTRA,
 * (stype, inputs…), the combine function (stype, stype). A function is found among the
 * database's SQL and PL/pgSQL functions of the name, then the built-ins; not found is 42883
 * `function f(integer, integer) does not exist`, naming the types it was looked up with.
 *
 * Polymorphic types look up by identity: `sfunc = array_append, stype = anycompatiblearray`
 * with input `anycompatible` finds array_append(anycompatiblearray, anycompatible), and the
 * same with anyarray/anyelement finds nothing (as in PostgreSQL 15).
 */
import { SqlError, SqlState } from "@tessera/base";
import { functionsNamed } from "../catalog/builtins.js";
import { sqlFunctionsNamed, type SqlFunction } from "../catalog/sql-functions.js";
import type { AggSupportFunction } from "../catalog/user-aggregates.js";
import { Oid, formatTypeName, isPolymorphic } from "../catalog/types.js";
import { selectCandidate, type Candidate } from "../analyze/func-select.js";
import type { StatementScope } from "../analyze/scope.js";

/** A support function named `names` taking `inputs`, or 42883. */
export function findSupportFunction(statement: StatementScope, names: readonly string[],
  inputs: readonly number[]): AggSupportFunction {
  const name = names[names.length - 1] ?? "";
  const schema = names.length > 1 ? names[names.length - 2] : undefined;
  const candidates: Candidate<AggSupportFunction>[] = [
    ...sqlFunctionsNamed(statement.catalog, statement.path, schema, name)
      .filter(callable).map((f) => ({ argTypes: f.argTypes, def: ofSqlFunction(f) })),
    ...(schema === undefined || schema === "pg_catalog" ? builtins(name) : []),
  ];
  const fitting = candidates.filter((c) => c.argTypes.length === inputs.length &&
    inputs.every((t, i) => !isPolymorphic(t) || c.argTypes[i] === t));
  const polymorphic = inputs.some(isPolymorphic);
  const selection = polymorphic
    ? (fitting.length === 1 ? { kind: "one" as const, candidate: fitting[0]! } : undefined)
    : selectCandidate(fitting, inputs, false);
  if (selection?.kind !== "one") {
    const shown = `${names.join(".")}(${inputs.map((t) => formatTypeName(t, -1)).join(", ")})`;
    throw new SqlError(SqlState.undefinedFunction, `function ${shown} does not exist`);
  }
  return selection.candidate.def;
}

/** Functions a support function can be: plain scalar ones, not aggregates or procedures. */
function callable(f: SqlFunction): boolean {
  return f.aggregate !== true && f.procedure !== true && !f.setOf && f.outColumns.length === 0;
}

function ofSqlFunction(f: SqlFunction): AggSupportFunction {
  return { schema: f.schema, name: f.name, oid: f.oid, argTypes: f.argTypes,
    returnType: f.returnType, strict: f.strict };
}

function builtins(name: string): Candidate<AggSupportFunction>[] {
  return functionsNamed(name).flatMap((d) => (d.kind !== "scalar" || d.variadic !== undefined
    ? [] : [{ argTypes: d.argTypes, def: { schema: "pg_catalog", name: d.name, oid: 0,
      argTypes: d.argTypes, returnType: d.returnType, strict: d.strict } }]));
}

/** The support function's result for `inputs`: its polymorphic result resolved by them. */
export function supportResult(fn: AggSupportFunction, inputs: readonly number[]): number {
  if (!isPolymorphic(fn.returnType)) return fn.returnType;
  // The pseudo-type among the inputs of the same family decides (anyarray for anyarray …).
  const same = inputs.find((t) => t === fn.returnType);
  return same ?? fn.returnType;
}

/** The detail of "cannot determine transition data type" (42P13). */
export const polymorphicStateDetail = "A result of type %s requires at least one input of " +
  "type anyelement, anyarray, anynonarray, anyenum, anyrange, or anymultirange.";

/** PostgreSQL's IsBinaryCoercible for the strict-state rule: same type, or varchar to text. */
export function binaryCoercible(source: number, target: number): boolean {
  return source === target || (source === Oid.varchar && target === Oid.text) ||
    (source === Oid.bpchar && target === Oid.text);
}
