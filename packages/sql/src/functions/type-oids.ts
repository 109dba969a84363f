/**
 * The type OIDs the function library names: the type system's own (`types/oids.ts`), plus the
 * few pseudo-types only function signatures mention. Array and element types come from the
 * type registry, so the two never disagree.
 */
import { TypeOid } from "../types/oids.js";
import { typeByOid } from "../types/registry.js";

export const T = { ...TypeOid, xml: 142, internal: 2281, anycompatiblenonarray: 5079 } as const;

/** Returns the array type of `element`, or 0 when PostgreSQL has none we know. */
export function arrayTypeOf(element: number): number {
  return typeByOid(element)?.arrayOid ?? 0;
}

/** Returns the element type of array type `array`, or 0 when it is not an array type. */
export function elementTypeOf(array: number): number {
  return typeByOid(array)?.elementOid ?? 0;
}

/** The string types, which share text semantics (bpchar's trailing blanks aside). */
export function isStringType(type: number): boolean {
  return (
    type === T.text ||
    type === T.varchar ||
    type === T.bpchar ||
    type === T.name ||
    type === T.char ||
    type === T.unknown
  );
}
