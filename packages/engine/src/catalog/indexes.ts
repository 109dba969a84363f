/**
 * Index creation: builds the B-tree from the table's live rows with one sort, then checks
 * uniqueness on neighbours ("could not create unique index", DETAIL naming the duplicated key),
 * and the unique-violation error writes raise (23505 with the key in DETAIL).
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import { TypeOid, type Row, type Value } from "@tessera/sql";
import type { Runtime } from "../execute/runtime.js";
import { BTree, type IndexEntry } from "../storage/btree.js";
import { isLive } from "../storage/table-store.js";
import type { IndexMethod } from "./access-methods.js";
import type { Catalog } from "./catalog.js";
import type { ComputedKey, Index, Relation } from "./relation.js";
import { compareFor, outputValue } from "./type-io.js";

/** What an expression or partial index adds to its key columns. */
export interface ComputedIndex {
  readonly key: ComputedKey;
  /** The runtime its expressions run in while the index is built. */
  readonly rt: Runtime;
}

/** The access method and operator classes CREATE INDEX chose (`access-methods.ts`). */
export interface IndexAccess {
  readonly method: IndexMethod;
  readonly opclasses: readonly number[];
}

/** Key types whose equal values are the same JS value (`Map` keys): the integers. */
const hashableTypes: ReadonlySet<number> = new Set([TypeOid.int2, TypeOid.int4, TypeOid.int8]);

/**
 * An empty tree for keys of `types`: each column compares with its type's comparison, and
 * int8 (and pg_lsn) keys, bigints ordered by value, are searched as numbers where exact. A
 * unique index on one integer column also hashes its keys, for point lookups.
 */
export function indexTree(types: readonly number[], unique: boolean): BTree {
  const hashed = unique && types.length === 1 && hashableTypes.has(types[0]!);
  return new BTree(types.map((t) => compareFor(t)),
    types.map((t) => t === TypeOid.int8 || t === TypeOid.pgLsn), hashed);
}

export function createIndex(catalog: Catalog, relation: Relation, name: string,
  columns: readonly number[], unique: boolean, primary: boolean, constraint: boolean,
  computed?: ComputedIndex, descending?: readonly boolean[], access?: IndexAccess,
  nullsNotDistinct = false): Index {
  if (catalog.nameTaken(relation.schema, name)) {
    throw new SqlError(SqlState.duplicateTable, `relation "${name}" already exists`);
  }
  const types = computed?.key.types ?? columns.map((c) => relation.columns[c]!.type);
  const tree = indexTree(types, unique);
  const index: Index = { oid: catalog.allocateOid(), name, relationOid: relation.oid, columns,
    unique, primary, tree, constraintName: constraint ? name : null,
    ...(computed !== undefined && { computed: computed.key }),
    ...(descending?.includes(true) === true && { descending }),
    ...(access !== undefined && access.method !== "btree" && { method: access.method }),
    ...(access !== undefined && { opclasses: access.opclasses }),
    ...(unique && nullsNotDistinct && { nullsNotDistinct: true }) };
  tree.entries = sortedEntries(relation, index, computed?.rt);
  if (unique) checkBuiltUnique(relation, index);
  catalog.claimName(relation.schema, name, index.oid);
  relation.indexes.push(index);
  relation.version++;
  return index;
}

/**
 * Returns the key of a stored row in `index`, or null when the row is outside a partial
 * index. Only expression and partial indexes need `rt`.
 */
export function indexKey(index: Index, row: Row, rt: Runtime | undefined): Value[] | null {
  if (index.computed === undefined) return index.columns.map((c) => row[c] ?? null);
  assert(rt !== undefined, "computed index keys run in a runtime");
  return index.computed.keyOf(row, rt);
}

/** True for an index over plain columns, the only kind the planner and foreign keys use. */
export function isPlainIndex(index: Index): boolean {
  return index.computed === undefined;
}

/** Returns the index entries of the table's live rows in key order (one sort, no inserts). */
function sortedEntries(relation: Relation, index: Index, rt: Runtime | undefined): IndexEntry[] {
  const entries: IndexEntry[] = [];
  for (const version of relation.store.versions) {
    if (!isLive(version)) continue;
    const key = indexKey(index, version.values, rt);
    if (key !== null) entries.push({ key, version });
  }
  return entries.sort((a, b) => index.tree.compareKeys(a.key, b.key));
}

/** The key columns' names for DETAIL lines: "a, b" or "lower(x)". */
function keyNames(relation: Relation, index: Index): string {
  return (index.computed?.names ?? index.columns.map((c) => relation.columns[c]!.name))
    .join(", ");
}

/** The key's values for DETAIL lines, as each type's output function writes them. */
function keyValues(relation: Relation, index: Index, key: readonly Value[]): string {
  const fmt = { setting: () => "" };
  const types = index.computed === undefined
    ? index.columns.map((c) => relation.columns[c]!.type) : index.computed.types;
  return key.map((v, k) => (v === null ? "null" : outputValue(types[k]!, v, fmt))).join(", ");
}

/** Raises Postgres's "could not create unique index" when two live rows share a key. */
export function checkBuiltUnique(relation: Relation, index: Index): void {
  const entries = index.tree.entries;
  for (let i = 1; i < entries.length; i++) {
    const key = entries[i]!.key;
    if ((key.includes(null) && index.nullsNotDistinct !== true) ||
      index.tree.compareKeys(entries[i - 1]!.key, key) !== 0) continue;
    const cols = keyNames(relation, index);
    const vals = keyValues(relation, index, key);
    throw new SqlError(SqlState.uniqueViolation, `could not create unique index "${index.name}"`,
      { detail: `Key (${cols})=(${vals}) is duplicated.`, schema: relation.schema,
        table: relation.name, constraint: index.name });
  }
}

/** Raises 23505 if a live row other than `self` already holds `key` in a unique index. */
export function checkUnique(relation: Relation, index: Index, key: readonly Value[],
  self?: object): void {
  if (key.includes(null) && index.nullsNotDistinct !== true) return;
  const held = index.tree.findEqual(key, (e) => isLive(e.version) && e.version !== self);
  if (held !== undefined) throw uniqueViolation(relation, index, key);
}

export function uniqueViolation(relation: Relation, index: Index, key: readonly Value[]): SqlError {
  const cols = keyNames(relation, index);
  const vals = keyValues(relation, index, key);
  return new SqlError(SqlState.uniqueViolation,
    `duplicate key value violates unique constraint "${index.name}"`,
    { detail: `Key (${cols})=(${vals}) already exists.`, schema: relation.schema,
      table: relation.name, constraint: index.name });
}
