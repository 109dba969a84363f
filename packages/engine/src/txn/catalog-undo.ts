/**
 * Undoing DDL: before a utility statement runs inside a transaction block, the catalog's
 * state is captured, and the capture's restore joins the statement's undo log. ROLLBACK (or
 * ROLLBACK TO a savepoint before the statement) then puts the catalog back: the maps of
 * schemas, relations, sequences and names, each relation's own fields (name, columns and
 * their settings, indexes, constraints), each index's name and each sequence's options.
 *
 * Row data is not copied: ALTER TABLE records its own undo for rows it rewrites, and
 * TRUNCATE only swaps a table's version array and its indexes' entry arrays for new ones,
 * so the capture keeps the old arrays (for TRUNCATE only) and restores them. A sequence's
 * position is kept as it is, since nextval is never rolled back.
 *
 * Like Postgres before the commit, the catalog is not versioned: other sessions see a
 * block's DDL at once. Postgres's AccessExclusiveLock would make them wait instead.
 */
import { assert } from "@tessera/base";
import type { Catalog } from "../catalog/catalog.js";
import type { Index, Relation, Sequence } from "../catalog/relation.js";
import type { RowVersion } from "../storage/table-store.js";

interface RelationImage {
  readonly rel: Relation;
  readonly fields: Record<string, unknown>;
  /** Array fields (columns, indexes, checks …) with the elements they held. */
  readonly arrays: readonly { key: string; array: unknown[]; items: unknown[] }[];
  readonly columns: readonly Record<string, unknown>[];
  readonly indexNames: readonly { index: Index; name: string }[];
  readonly rows: { versions: RowVersion[]; liveCount: number;
    entries: readonly { index: Index; entries: unknown[] }[] } | null;
}

/** Fields of a sequence that are its position, not its definition: never rolled back. */
const sequencePosition = new Set(["last", "restartAt", "logCount"]);

/** Captures the catalog; the returned function restores it. `rows` keeps TRUNCATE's arrays. */
export function captureCatalog(catalog: Catalog, rows: boolean): () => void {
  const maps = catalog.captureMaps();
  const relations = [...maps.relations.values()].map((rel) => captureRelation(rel, rows));
  const sequences = [...maps.sequences.values()].map((seq) => ({ seq, fields: { ...seq } }));
  assert(relations.length === maps.relations.size, "every relation is captured");
  return () => {
    catalog.restoreMaps(maps);
    for (const image of relations) restoreRelation(image);
    for (const { seq, fields } of sequences) restoreSequence(seq, fields);
  };
}

function captureRelation(rel: Relation, rows: boolean): RelationImage {
  const fields: Record<string, unknown> = { ...rel };
  const arrays = Object.entries(rel)
    .filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]))
    .map(([key, array]) => ({ key, array, items: [...array] }));
  return {
    rel, fields, arrays,
    columns: rel.columns.map((c) => ({ ...c })),
    indexNames: rel.indexes.map((index) => ({ index, name: index.name })),
    rows: !rows ? null : {
      versions: rel.store.versions, liveCount: rel.store.liveCount,
      entries: rel.indexes.map((index) => ({ index, entries: index.tree.entries })),
    },
  };
}

function restoreRelation(image: RelationImage): void {
  const rel = image.rel as unknown as Record<string, unknown>;
  const version = image.rel.version;
  for (const key of Object.keys(rel)) if (!(key in image.fields)) delete rel[key];
  Object.assign(rel, image.fields);
  for (const { key, array, items } of image.arrays) {
    array.length = 0;
    array.push(...items);
    rel[key] = array;
  }
  // Every column object is the one plans and writers hold; put its settings back in place.
  image.rel.columns.forEach((column, i) => Object.assign(column, image.columns[i]));
  for (const { index, name } of image.indexNames) index.name = name;
  image.rel.version = Math.max(version, image.rel.version) + 1;
  if (image.rows !== null) restoreRows(image.rel, image.rows);
}

function restoreRows(rel: Relation, rows: NonNullable<RelationImage["rows"]>): void {
  if (rel.store.versions === rows.versions) return;
  rel.store.versions = rows.versions;
  rel.store.liveCount = rows.liveCount;
  for (const { index, entries } of rows.entries) {
    (index.tree as unknown as { entries: unknown[] }).entries = entries;
  }
}

function restoreSequence(seq: Sequence, fields: Record<string, unknown>): void {
  const target = seq as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) {
    if (!sequencePosition.has(key)) target[key] = value;
  }
}
