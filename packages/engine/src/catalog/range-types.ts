/**
 * The range types of one database (CREATE TYPE floatrange AS RANGE (SUBTYPE = float8)):
 * pg_type rows with typtype 'r' and 'm' (the range and its multirange, each with an array
 * type) and a pg_range row. Kept per catalog like the enum types (`enum-types.ts`), and while
 * one exists its types are registered with `@tessera/sql` (I/O, order, binary I/O: the
 * built-in range machinery over the subtype) and `types.ts`, and its functions and operators
 * with the engine's function catalog (`builtins.ts`): the constructors floatrange(l, u [, b])
 * and floatmultirange(…), lower, upper, isempty, range_agg …, @> && << + * - and = < ….
 *
 * OIDs come from the catalog's counter, which the WAL logs with each utility statement, so a
 * replayed CREATE TYPE gives the same OIDs and stored values keep their type.
 */
import {
  makeUserRangeTypes, multirangeDefsFor, rangeFunctionsFor, rangeOperatorsFor,
  registerUserRange, registerUserType, typeOf, unregisterUserRange, unregisterUserType,
  type OperatorDef,
} from "@tessera/sql";
import type { Catalog } from "./catalog.js";
import {
  registerEngineFunction, registerEngineOperator, unregisterEngineDefsOf,
} from "./builtins.js";
import { Oid, registerUserTypeInfo, unregisterUserTypeInfo } from "./types.js";

export interface RangeType {
  readonly oid: number;
  readonly arrayOid: number;
  readonly multirangeOid: number;
  readonly multirangeArrayOid: number;
  readonly schema: string;
  readonly name: string;
  readonly multirangeName: string;
  readonly subtype: number;
  /** SUBTYPE_DIFF, when given (a built-in function's name, PostgreSQL's OID). */
  readonly subtypeDiff: { readonly name: string; readonly oid: number } | undefined;
}

const stores = new WeakMap<Catalog, Map<number, RangeType>>();
const byName = new Map<string, Set<RangeType>>();
const byOid = new Map<number, RangeType>();

function storeOf(catalog: Catalog): Map<number, RangeType> {
  let store = stores.get(catalog);
  if (store === undefined) {
    store = new Map();
    stores.set(catalog, store);
  }
  return store;
}

/** The range types of `catalog`, by range type OID. */
export function rangeTypesOf(catalog: Catalog): ReadonlyMap<number, RangeType> {
  return storeOf(catalog);
}

/** The range type one of whose four types (range, multirange, arrays) is `oid`. */
export function rangeTypeOwning(catalog: Catalog, oid: number): RangeType | undefined {
  return [...storeOf(catalog).values()].find((t) => t.oid === oid || t.arrayOid === oid ||
    t.multirangeOid === oid || t.multirangeArrayOid === oid);
}

/** The range (or multirange) type named `name` in `schema`, or along `path`: its OID. */
export function findRangeTypeOid(catalog: Catalog, path: readonly string[],
  schema: string | undefined, name: string): number | undefined {
  const all = [...storeOf(catalog).values()];
  for (const s of schema === undefined ? path : [schema]) {
    const found = all.find((t) => t.schema === s && (t.name === name || t.multirangeName === name));
    if (found !== undefined) return found.name === name ? found.oid : found.multirangeOid;
  }
  return undefined;
}

/** A range or multirange type named `name` of any live catalog (column definitions). */
export function rangeTypeByName(schema: string | undefined, name: string): number | undefined {
  const found = [...byName.get(name) ?? []].filter((t) => byOid.get(t.oid) === t).reverse();
  const match = found.find((t) => t.schema === (schema ?? "public")) ??
    (schema === undefined ? found[0] : undefined);
  if (match === undefined) return undefined;
  return match.name === name ? match.oid : match.multirangeOid;
}

/** = <> < <= > >= of one type, by its own order. */
function comparisons(type: number): OperatorDef[] {
  const tests: readonly [string, (c: number) => boolean, string, string][] = [
    ["=", (c) => c === 0, "<>", "="], ["<>", (c) => c !== 0, "=", "<>"],
    ["<", (c) => c < 0, ">=", ">"], ["<=", (c) => c <= 0, ">", ">="],
    [">", (c) => c > 0, "<=", "<"], [">=", (c) => c >= 0, "<", "<="],
  ];
  const cmp = typeOf(type).compare;
  return tests.map(([name, test, negator, commutator]): OperatorDef => ({ name, left: type,
    right: type, result: Oid.bool, strict: true, impl: (l, r) => test(cmp(l, r)), negator,
    commutator, comparator: { cmp, test } }));
}

/** Adds a range type: its four types, functions and operators. */
export function addRangeType(catalog: Catalog, type: RangeType): void {
  storeOf(catalog).set(type.oid, type);
  for (const name of [type.name, type.multirangeName]) {
    byName.set(name, (byName.get(name) ?? new Set()).add(type));
  }
  byOid.set(type.oid, type);
  registerUserRange(type.oid, type.subtype, type.multirangeOid);
  const types = makeUserRangeTypes({ range: type.oid, rangeArray: type.arrayOid,
    multirange: type.multirangeOid, multirangeArray: type.multirangeArrayOid,
    subtype: type.subtype, name: type.name, multirangeName: type.multirangeName });
  for (const t of types) {
    registerUserType(t);
    const element = t.elementOid === 0 ? undefined : typeOf(t.elementOid).name;
    registerUserTypeInfo({ oid: t.oid, name: t.name,
      sqlName: element === undefined ? t.name : `${element}[]`, len: -1, category: t.category,
      preferred: false, elem: t.elementOid, array: t.arrayOid });
  }
  const multi = multirangeDefsFor(type.multirangeOid, type.multirangeName);
  for (const def of [...rangeFunctionsFor(type.oid, type.name), ...multi.functions]) {
    registerEngineFunction(def);
  }
  for (const def of [...rangeOperatorsFor(type.oid), ...multi.operators,
    ...comparisons(type.oid), ...comparisons(type.multirangeOid)]) {
    registerEngineOperator(def);
  }
}

/** Removes a range type and everything `addRangeType` registered. */
export function removeRangeType(catalog: Catalog, type: RangeType): void {
  storeOf(catalog).delete(type.oid);
  for (const name of [type.name, type.multirangeName]) byName.get(name)?.delete(type);
  if (byOid.get(type.oid) !== type) return;
  byOid.delete(type.oid);
  const oids = [type.oid, type.arrayOid, type.multirangeOid, type.multirangeArrayOid];
  unregisterEngineDefsOf(oids);
  for (const oid of oids) {
    unregisterUserType(oid);
    unregisterUserTypeInfo(oid);
  }
  unregisterUserRange(type.oid, type.multirangeOid);
}
