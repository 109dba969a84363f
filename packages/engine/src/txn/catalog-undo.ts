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
 * block's DDL at once. Postgres's AccessExclusiveLock would make them wait instead. So other
 * sessions may change the catalog between a block's statement and its ROLLBACK: when the
 * statement ends, the capture is sealed (`seal`), remembering what this statement changed,
 * and a sealed capture puts back only that, leaving the objects others created, dropped or
 * altered since as they are. (An unsealed capture, of a statement that failed, restores all.)
 */
import { assert } from "@tessera/base";
import type { Catalog, CatalogMaps } from "../catalog/catalog.js";
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

/** A statement's catalog capture: `seal` when the statement ends, `restore` to undo it. */
export interface CatalogCapture {
  seal(): void;
  restore(): void;
}

interface SequenceImage {
  readonly seq: Sequence;
  readonly fields: Record<string, unknown>;
}

/** Captures the catalog before a statement; `rows` keeps TRUNCATE's arrays. */
export function captureCatalog(catalog: Catalog, rows: boolean): CatalogCapture {
  const maps = catalog.captureMaps();
  const relations = [...maps.relations.values()].map((rel) => captureRelation(rel, rows));
  const sequences: SequenceImage[] = [...maps.sequences.values()]
    .map((seq) => ({ seq, fields: { ...seq } }));
  assert(relations.length === maps.relations.size, "every relation is captured");
  let sealed: { after: CatalogMaps; relations: RelationImage[]; sequences: SequenceImage[] }
    | undefined;
  return {
    seal: () => {
      sealed = { after: catalog.captureMaps(), relations: relations.filter(relationChanged),
        sequences: sequences.filter(sequenceChanged) };
    },
    restore: () => {
      if (sealed === undefined) {
        catalog.restoreMaps(maps);
        for (const image of relations) restoreRelation(image);
        for (const { seq, fields } of sequences) restoreSequence(seq, fields);
        return;
      }
      catalog.restoreMaps(mergeMaps(maps, sealed.after, catalog.captureMaps()));
      for (const image of sealed.relations) restoreRelation(image);
      for (const { seq, fields } of sealed.sequences) restoreSequence(seq, fields);
    },
  };
}

/**
 * The catalog maps with this statement's changes taken back: each key the statement changed
 * (`before` to `after`) returns to `before`, unless someone changed it again since.
 */
function mergeMaps(before: CatalogMaps, after: CatalogMaps, now: CatalogMaps): CatalogMaps {
  return {
    schemas: merge(before.schemas, after.schemas, now.schemas),
    relations: merge(before.relations, after.relations, now.relations),
    sequences: merge(before.sequences, after.sequences, now.sequences),
    names: merge(before.names, after.names, now.names),
    tempSchemas: merge(before.tempSchemas, after.tempSchemas, now.tempSchemas),
    comments: merge(before.comments, after.comments, now.comments),
  };
}

function merge<K, V>(before: ReadonlyMap<K, V>, after: ReadonlyMap<K, V>,
  now: ReadonlyMap<K, V>): Map<K, V> {
  const merged = new Map(now);
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(key);
    const changed = after.get(key);
    if (old === changed || now.get(key) !== changed) continue;
    if (old === undefined) merged.delete(key);
    else merged.set(key, old);
  }
  return merged;
}

/** True when the statement changed the relation's fields, columns, index names or rows. */
function relationChanged(image: RelationImage): boolean {
  const rel = image.rel as unknown as Record<string, unknown>;
  const keys = Object.keys(rel);
  if (keys.length !== Object.keys(image.fields).length) return true;
  for (const key of keys) {
    if (key === "version" || Array.isArray(rel[key])) continue;
    if (rel[key] !== image.fields[key]) return true;
  }
  for (const { key, array, items } of image.arrays) {
    if (rel[key] !== array || array.length !== items.length) return true;
    if (items.some((item, i) => array[i] !== item)) return true;
  }
  if (image.rel.columns.some((column, i) => !sameFields(column, image.columns[i]))) return true;
  if (image.indexNames.some(({ index, name }) => index.name !== name)) return true;
  return image.rows !== null && image.rel.store.versions !== image.rows.versions;
}

function sequenceChanged(image: SequenceImage): boolean {
  const seq = image.seq as unknown as Record<string, unknown>;
  return Object.entries(image.fields)
    .some(([key, value]) => !sequencePosition.has(key) && seq[key] !== value);
}

function sameFields(a: object, b: Record<string, unknown> | undefined): boolean {
  if (b === undefined) return false;
  const entries = Object.entries(a);
  return entries.length === Object.keys(b).length
    && entries.every(([key, value]) => b[key] === value);
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
  // Settings a column gained since (attinhcount …) go too.
  image.rel.columns.forEach((column, i) => {
    const saved = image.columns[i];
    if (saved === undefined) return;
    const fields = column as unknown as Record<string, unknown>;
    for (const key of Object.keys(fields)) if (!(key in saved)) delete fields[key];
    Object.assign(column, saved);
  });
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
