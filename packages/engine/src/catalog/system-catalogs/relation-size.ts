/**
 * Object sizes: pg_relation_size, pg_table_size, pg_indexes_size and pg_total_relation_size
 * as byte estimates of what Postgres would store for the same rows. Tessera keeps rows in
 * memory, so there are no files to measure; instead each stored row version is costed the way
 * a heap tuple is (a 24-byte header, the values' bytes, 8-byte alignment, a 4-byte line
 * pointer) and packed into 8 kB pages, so the numbers move with the data as Postgres's do and
 * a Citus coordinator can add up its shards (citus_shards.shard_size, citus_tables.table_size).
 *
 *   1,000 rows of (text ~40 chars, date)  ->  1000 * (24 + 41 + 4 -> 72, + 4) = 76,000 bytes
 *   -> 10 pages -> pg_relation_size 81,920; pg_table_size adds the TOAST index's 8,192.
 *
 * Dead versions count until vacuum removes them, as in Postgres.
 *
 * Costing walks every stored version, so the sums are kept per version array and reused
 * while it has the same length and last version (no insert, update or vacuum since): the
 * size queries of citus_shards over big shards cost a walk once, not per call.
 */
import { JsonbTextObject, type PgArray, type Value } from "@tessera/sql";
import type { Relation } from "../relation.js";
import { typeInfo } from "../types.js";

const pageBytes = 8192;
/** The page header (24) leaves this much for tuples and line pointers. */
const pageUsableBytes = pageBytes - 24;
const tupleHeaderBytes = 24;
const linePointerBytes = 4;
/** A B-tree index entry: the index tuple header (8) and its line pointer, plus the key. */
const indexEntryBytes = 12;

/** Byte sums of one version array, valid while its length and last version stay. */
interface SizeMemo {
  readonly length: number;
  readonly last: object | undefined;
  heap: number | undefined;
  /** Index entry bytes by the index's column list. */
  readonly indexes: Map<string, number>;
}

const memos = new WeakMap<readonly object[], SizeMemo>();

function memoOf(versions: readonly object[]): SizeMemo {
  const known = memos.get(versions);
  const last = versions[versions.length - 1];
  if (known !== undefined && known.length === versions.length && known.last === last) {
    return known;
  }
  const memo: SizeMemo = { length: versions.length, last, heap: undefined, indexes: new Map() };
  memos.set(versions, memo);
  return memo;
}

/** pg_relation_size: the heap's pages. */
export function relationSizeBytes(relation: Relation): bigint {
  const versions = relation.store.versions;
  const memo = memoOf(versions);
  if (memo.heap === undefined) {
    let bytes = 0;
    for (const version of versions) {
      bytes += align8(tupleHeaderBytes + rowBytes(version.values)) + linePointerBytes;
    }
    memo.heap = bytes;
  }
  return BigInt(pages(memo.heap) * pageBytes);
}

/** pg_table_size: the heap plus the TOAST table's index, which any varlena column brings. */
export function tableSizeBytes(relation: Relation): bigint {
  const toasted = relation.columns.some((c) => !c.dropped && typeInfo(c.type).len === -1);
  return relationSizeBytes(relation) + (toasted ? BigInt(pageBytes) : 0n);
}

/** pg_indexes_size: a metapage per index plus its leaf entries. */
export function indexesSizeBytes(relation: Relation): bigint {
  let total = 0;
  const versions = relation.store.versions;
  const memo = memoOf(versions);
  for (const index of relation.indexes) {
    const key = index.columns.join(",");
    let bytes = memo.indexes.get(key);
    if (bytes === undefined) {
      bytes = 0;
      for (const version of versions) {
        let entry = 0;
        for (const column of index.columns) {
          entry += column < 0 ? 8 : valueBytes(version.values[column]);
        }
        bytes += align8(indexEntryBytes + entry);
      }
      memo.indexes.set(key, bytes);
    }
    total += pageBytes + pages(bytes) * pageBytes;
  }
  return BigInt(total);
}

/** pg_total_relation_size: table and indexes. */
export function totalRelationSizeBytes(relation: Relation): bigint {
  return tableSizeBytes(relation) + indexesSizeBytes(relation);
}

function rowBytes(values: readonly Value[]): number {
  let bytes = Math.ceil(values.length / 8);
  for (const value of values) bytes += valueBytes(value);
  return bytes;
}

/** The bytes one stored value takes, by its JavaScript shape. */
function valueBytes(value: Value | undefined): number {
  if (value === null || value === undefined) return 0;
  switch (typeof value) {
    case "boolean": return 1;
    case "number": return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 4 : 8;
    case "bigint": return 8;
    case "string": return varlena(Buffer.byteLength(value));
    default: break;
  }
  if (value instanceof Uint8Array) return varlena(value.length);
  if (isArray(value)) return 20 + value.items.reduce<number>((n, v) => n + valueBytes(v), 0);
  return varlena(textLength(value));
}

/** A varlena: a 1-byte header up to 126 bytes of data, else 4. */
function varlena(length: number): number {
  return length + (length <= 126 ? 1 : 4);
}

function isArray(value: object): value is PgArray {
  return "kind" in value && value.kind === "array" && "items" in value;
}

function textLength(value: object): number {
  // A text-backed jsonb document: its printed form is its size, near enough.
  if (value instanceof JsonbTextObject) return Buffer.byteLength(value.text);
  try {
    return JSON.stringify(value, (_key, v: unknown) =>
      (typeof v === "bigint" ? v.toString() : v))?.length ?? 8;
  } catch {
    return String(value).length;
  }
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

function pages(bytes: number): number {
  return Math.ceil(bytes / pageUsableBytes);
}
