/**
 * Index creation: builds the B-tree from the table's live rows with one sort, then checks
 * uniqueness on neighbours ("could not create unique index", DETAIL naming the duplicated key),
 * and the unique-violation error writes raise (23505 with the key in DETAIL).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "@tessera/sql";
import { BTree, type IndexEntry } from "../storage/btree.js";
import { isLive } from "../storage/table-store.js";
import type { Catalog } from "./catalog.js";
import type { Index, Relation } from "./relation.js";
import { compareFor, outputValue } from "./type-io.js";

export function createIndex(catalog: Catalog, relation: Relation, name: string,
  columns: readonly number[], unique: boolean, primary: boolean, constraint: boolean): Index {
  if (catalog.nameTaken(relation.schema, name)) {
    throw new SqlError(SqlState.duplicateTable, `relation "${name}" already exists`);
  }
  const tree = new BTree(columns.map((c) => compareFor(relation.columns[c]!.type)));
  const index: Index = { oid: catalog.allocateOid(), name, relationOid: relation.oid, columns,
    unique, primary, tree, constraintName: constraint ? name : null };
  tree.entries = sortedEntries(relation, index);
  if (unique) checkBuiltUnique(relation, index);
  catalog.claimName(relation.schema, name, index.oid);
  relation.indexes.push(index);
  relation.version++;
  return index;
}

/** Returns the index entries of the table's live rows in key order (one sort, no inserts). */
function sortedEntries(relation: Relation, index: Index): IndexEntry[] {
  const entries: IndexEntry[] = [];
  for (const version of relation.store.versions) {
    if (!isLive(version)) continue;
    entries.push({ key: index.columns.map((c) => version.values[c] as Value), version });
  }
  return entries.sort((a, b) => index.tree.compareKeys(a.key, b.key));
}

/** Raises Postgres's "could not create unique index" when two live rows share a key. */
export function checkBuiltUnique(relation: Relation, index: Index): void {
  const entries = index.tree.entries;
  for (let i = 1; i < entries.length; i++) {
    const key = entries[i]!.key;
    if (key.includes(null) || index.tree.compareKeys(entries[i - 1]!.key, key) !== 0) continue;
    const cols = index.columns.map((c) => relation.columns[c]!.name).join(", ");
    const fmt = { setting: () => "" };
    const vals = index.columns.map((c, k) =>
      outputValue(relation.columns[c]!.type, key[k]!, fmt)).join(", ");
    throw new SqlError(SqlState.uniqueViolation, `could not create unique index "${index.name}"`,
      { detail: `Key (${cols})=(${vals}) is duplicated.`, schema: relation.schema,
        table: relation.name, constraint: index.name });
  }
}

/** Raises 23505 if a live row other than `self` already holds `key` in a unique index. */
export function checkUnique(relation: Relation, index: Index, key: readonly Value[],
  self?: object): void {
  if (key.includes(null)) return;
  const tree = index.tree;
  const end = tree.upperBound(key);
  for (let i = tree.lowerBound(key); i < end; i++) {
    const entry = tree.entries[i]!;
    if (!isLive(entry.version) || entry.version === self) continue;
    throw uniqueViolation(relation, index, key);
  }
}

export function uniqueViolation(relation: Relation, index: Index, key: readonly Value[]): SqlError {
  const cols = index.columns.map((c) => relation.columns[c]!.name).join(", ");
  const fmt = { setting: () => "" };
  const vals = index.columns.map((c, i) => {
    const v = key[i]!;
    return v === null ? "null" : outputValue(relation.columns[c]!.type, v, fmt);
  }).join(", ");
  return new SqlError(SqlState.uniqueViolation,
    `duplicate key value violates unique constraint "${index.name}"`,
    { detail: `Key (${cols})=(${vals}) already exists.`, schema: relation.schema,
      table: relation.name, constraint: index.name });
}
