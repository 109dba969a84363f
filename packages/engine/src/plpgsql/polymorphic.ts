/**
 * Polymorphic PL/pgSQL functions: a call binds anyelement / anyarray / anynonarray to one
 * element type taken from its arguments, and anycompatible / anycompatiblearray /
 * anycompatiblenonarray to the common type of theirs, as PostgreSQL's
 * enforce_generic_type_consistency does. The binding makes the argument, result and variable
 * types of that call concrete (PostgreSQL compiles the function once per binding).
 *
 *   first(anyarray) returns anyelement,  first(array[1,2])  ->  (integer[]) returns integer
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Expr } from "../analyze/expr.js";
import { commonType } from "../analyze/coerce.js";
import { Oid, arrayOf, isPolymorphic, typeInfo } from "../catalog/types.js";

/** The element types a call binds: 0 for a family its declared types do not use. */
export interface PolyBinding {
  readonly element: number;
  readonly compatible: number;
}

function isArrayPoly(type: number): boolean {
  return type === Oid.anyarray || type === Oid.anycompatiblearray;
}

function isCompatiblePoly(type: number): boolean {
  return type === Oid.anycompatible || type === Oid.anycompatiblearray ||
    type === Oid.anycompatiblenonarray;
}

/** The binding of a call of a function declared with `declared` on `args`. */
export function bindPolymorphic(declared: readonly number[], args: readonly Expr[]):
  PolyBinding | undefined {
  if (!declared.some(isPolymorphic)) return undefined;
  let element = 0;
  const compatible: Expr[] = [];
  declared.forEach((d, i) => {
    const arg = args[i];
    if (arg === undefined || !isPolymorphic(d) || arg.type === Oid.unknown) return;
    const elem = isArrayPoly(d) ? typeInfo(arg.type).elem : arg.type;
    if (isCompatiblePoly(d)) {
      compatible.push({ ...arg, type: elem });
    } else if (element === 0) {
      element = elem;
    } else if (element !== elem) {
      throw new SqlError(SqlState.datatypeMismatch,
        `arguments declared "anyelement" are not all alike`,
        { detail: `${typeInfo(element).sqlName} versus ${typeInfo(elem).sqlName}` });
    }
  });
  const usesElement = declared.some((d) => isPolymorphic(d) && !isCompatiblePoly(d));
  if (usesElement && element === 0) {
    throw new SqlError(SqlState.datatypeMismatch,
      "could not determine polymorphic type because input has type unknown");
  }
  const usesCompatible = declared.some(isCompatiblePoly);
  return { element, compatible: !usesCompatible ? 0 : compatible.length === 0 ? Oid.text
    : commonType(compatible, "anycompatible") };
}

/** `type` with the binding's types for its polymorphic family. */
export function concreteType(type: number, binding: PolyBinding | undefined): number {
  if (binding === undefined || !isPolymorphic(type)) return type;
  const elem = isCompatiblePoly(type) ? binding.compatible : binding.element;
  return isArrayPoly(type) ? arrayOf(elem) : elem;
}
