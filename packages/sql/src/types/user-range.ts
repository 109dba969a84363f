/**
 * The types of a range type a database created (CREATE TYPE floatrange AS RANGE
 * (SUBTYPE = float8)): the range, its multirange and their two array types, built from the
 * built-in range machinery (`range.ts`, `multirange.ts`, `range-binary.ts`) over the subtype's
 * own order and I/O. The engine's catalog registers them while the type exists.
 *
 *   makeUserRangeTypes({ range: 16390, rangeArray: 16393, multirange: 16392,
 *     multirangeArray: 16394, subtype: 701, name: "floatrange",
 *     multirangeName: "floatmultirange" })   -> four PgTypes to `registerUserType`
 */
import { makeArrayIo } from "./array.js";
import { makeMultirangeIo } from "./multirange.js";
import { makeRangeIo } from "./range.js";
import { multirangeBinaryIo, rangeBinaryIo } from "./range-binary.js";
import { rangeSubtypeOf, typeOf, type PgType } from "./registry.js";

/** The OIDs and names of one user range type and its multirange type. */
export interface UserRangeOids {
  readonly range: number;
  readonly rangeArray: number;
  readonly multirange: number;
  readonly multirangeArray: number;
  readonly subtype: number;
  readonly name: string;
  readonly multirangeName: string;
}

/** The range, multirange and their array types, ready to register. */
export function makeUserRangeTypes(o: UserRangeOids): PgType[] {
  const sub = (): ReturnType<typeof rangeSubtypeOf> => rangeSubtypeOf(o.range);
  const subtype = typeOf(o.subtype);
  const common = { namespace: "pg_catalog" as const, byVal: false, len: -1, preferred: false,
    delimiter: ",", sortable: subtype.sortable, hashable: subtype.hashable };
  const range: PgType = { ...makeRangeIo(o.range, sub), ...rangeBinaryIo(o.range, sub),
    ...common, oid: o.range, name: o.name, category: "R", elementOid: 0,
    arrayOid: o.rangeArray };
  const multirange: PgType = {
    ...makeMultirangeIo(o.multirange, () => range, sub),
    ...multirangeBinaryIo(o.multirange, o.range, sub),
    ...common, oid: o.multirange, name: o.multirangeName, category: "R", elementOid: 0,
    arrayOid: o.multirangeArray };
  const arrayOf = (element: PgType, oid: number): PgType => ({ ...makeArrayIo(element),
    ...common, oid, name: `_${element.name}`, category: "A", elementOid: element.oid,
    arrayOid: 0 });
  return [range, multirange, arrayOf(range, o.rangeArray),
    arrayOf(multirange, o.multirangeArray)];
}
