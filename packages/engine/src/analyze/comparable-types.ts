/**
 * Types without a default btree or hash operator class: json, and the geometric types
 * (point, lseg, path, box, polygon, line, circle), with their arrays. GROUP BY, DISTINCT and
 * PARTITION BY need their `=`, ORDER BY their `<`; Postgres refuses them while analyzing
 * (get_sort_group_operators), before any row is read:
 *
 *   SELECT count(DISTINCT j) FROM t   -- 42883 could not identify an equality operator ...
 */
import { SqlError, SqlState } from "@tessera/base";
import { Oid, arrayOf, formatTypeName } from "../catalog/types.js";

const geometric = [600, 601, 602, 603, 604, 628, 718];
const incomparable: ReadonlySet<number> = new Set([Oid.json, ...geometric]
  .flatMap((t) => [t, arrayOf(t)]));

/** Types with a hash operator class but no btree one (xid, cid, aclitem), and their arrays. */
const hashOnly: ReadonlySet<number> = new Set([28, 29, 1033].flatMap((t) => [t, arrayOf(t)]));

/** Types with a btree operator class but no hash one (bit, varbit, tsvector, tsquery). */
const sortOnly: ReadonlySet<number> = new Set([1560, 1562, 3614, 3615]
  .flatMap((t) => [t, arrayOf(t)]));

/** Raises 42883 when `type` has no equality operator for grouping. */
export function requireEquality(type: number): void {
  if (incomparable.has(type)) {
    throw new SqlError(SqlState.undefinedFunction,
      `could not identify an equality operator for type ${formatTypeName(type, -1)}`);
  }
}

/** Raises 42883 when `type` has no ordering operator for sorting. */
export function requireOrdering(type: number): void {
  if (incomparable.has(type) || hashOnly.has(type)) {
    throw new SqlError(SqlState.undefinedFunction,
      `could not identify an ordering operator for type ${formatTypeName(type, -1)}`);
  }
}

/** True when `type` can be sorted for grouping (it has a btree operator class). */
export function isSortable(type: number): boolean {
  return !hashOnly.has(type) && !incomparable.has(type);
}

/** True when `type` can be hashed for grouping (it has a hash operator class). */
export function isHashable(type: number): boolean {
  return !sortOnly.has(type) && !incomparable.has(type);
}
