/**
 * Declarative partitioning's catalog model: a partitioned table (pg_class.relkind 'p') has a
 * partition key (strategy and key columns, pg_partitioned_table); a partition has its parent
 * and its bound (pg_inherits, pg_class.relpartbound). Both live on the `Relation` as optional
 * fields, so DDL undo and WAL replay (which re-runs the statements) carry them like the rest
 * of the catalog. The tree is walked from the children's side: a parent's partitions are the
 * relations whose `partitionOf` names it, ordered as PostgreSQL's PartitionDesc orders them.
 */
import type { Value } from "@tessera/sql";
import { compareValues } from "@tessera/sql";
import type { Catalog } from "../catalog/catalog.js";
import { catalogEpoch } from "../catalog/catalog-epoch.js";
import type { Index, Relation } from "../catalog/relation.js";

/** r: RANGE, l: LIST, h: HASH (pg_partitioned_table.partstrat). */
export type PartitionStrategy = "r" | "l" | "h";

export interface PartitionKey {
  readonly strategy: PartitionStrategy;
  /** Positions of the key columns in the table's rows. */
  readonly columns: readonly number[];
}

/** One datum of a range bound: MINVALUE, MAXVALUE or a value of the key column's type. */
export type RangeDatum =
  | { readonly kind: "min" }
  | { readonly kind: "max" }
  | { readonly kind: "value"; readonly value: Value };

export type PartitionBound =
  | { readonly kind: "default" }
  | { readonly kind: "range"; readonly lower: readonly RangeDatum[];
    readonly upper: readonly RangeDatum[] }
  | { readonly kind: "list"; readonly values: readonly Value[] }
  | { readonly kind: "hash"; readonly modulus: number; readonly remainder: number };

export interface PartitionOf {
  readonly parentOid: number;
  readonly bound: PartitionBound;
}

/** True for a partitioned table (relkind 'p'). */
export function isPartitioned(rel: Relation): boolean {
  return rel.partitionKey !== undefined;
}

let cache: { epoch: number; generation: number; catalog: Catalog;
  children: Map<number, Relation[]> } | undefined;
/** Moves when a bound is set or cleared (CREATE … PARTITION OF, ATTACH, DETACH, undo). */
let generation = 0;

/** Marks the cached partition lists stale. */
export function partitionsChanged(): void {
  generation++;
}

/**
 * The partitions of `parent`, in bound order (default last), from a cache kept per catalog
 * epoch; a cached list whose members were dropped meanwhile is made again.
 */
export function partitionsOf(catalog: Catalog, parent: Relation): readonly Relation[] {
  if (cache === undefined || cache.epoch !== catalogEpoch.value ||
    cache.generation !== generation || cache.catalog !== catalog) {
    cache = { epoch: catalogEpoch.value, generation, catalog, children: new Map() };
  }
  let list = cache.children.get(parent.oid);
  if (list === undefined || list.some((r) => catalog.relation(r.oid) !== r ||
    r.partitionOf?.parentOid !== parent.oid)) {
    list = partitionsNow(catalog, parent);
    cache.children.set(parent.oid, list);
  }
  return list;
}

/** The partitions of `parent` as the catalog holds them now (DDL, inside a statement). */
export function partitionsNow(catalog: Catalog, parent: Relation): Relation[] {
  const list: Relation[] = [];
  for (const rel of catalog.allRelations()) {
    if (rel.partitionOf?.parentOid === parent.oid) list.push(rel);
  }
  const types = (parent.partitionKey?.columns ?? []).map((c) => parent.columns[c]!.type);
  return list.sort((a, b) => compareBounds(a.partitionOf!.bound, b.partitionOf!.bound, types) ||
    a.oid - b.oid);
}

/** Every leaf (non-partitioned) partition under `rel`, depth first in bound order. */
export function leavesOf(catalog: Catalog, rel: Relation, now = false): Relation[] {
  if (!isPartitioned(rel)) return [rel];
  const out: Relation[] = [];
  for (const child of now ? partitionsNow(catalog, rel) : partitionsOf(catalog, rel)) {
    out.push(...leavesOf(catalog, child, now));
  }
  return out;
}

/** The parent chain of `rel`, nearest first (not including `rel`). */
export function ancestorsOf(catalog: Catalog, rel: Relation): Relation[] {
  const out: Relation[] = [];
  for (let r = rel.partitionOf; r !== undefined;) {
    const parent = catalog.relation(r.parentOid);
    if (parent === undefined) break;
    out.push(parent);
    r = parent.partitionOf;
  }
  return out;
}

/** Orders bounds as PostgreSQL lists partitions: by lower bound, list value, remainder. */
function compareBounds(a: PartitionBound, b: PartitionBound, types: readonly number[]): number {
  if (a.kind === "default" || b.kind === "default") {
    return Number(a.kind === "default") - Number(b.kind === "default");
  }
  if (a.kind === "range" && b.kind === "range") return compareRangeDatums(a.lower, b.lower, types);
  if (a.kind === "list" && b.kind === "list") {
    return compareValues(minListValue(a.values, types[0] ?? 0),
      minListValue(b.values, types[0] ?? 0), types[0] ?? 0);
  }
  if (a.kind === "hash" && b.kind === "hash") {
    return a.modulus - b.modulus || a.remainder - b.remainder;
  }
  return 0;
}

function minListValue(values: readonly Value[], type: number): Value {
  let min: Value = null;
  for (const v of values) if (min === null || (v !== null && compareValues(v, min, type) < 0)) {
    min = v;
  }
  return min;
}

/** Compares two range bound datum lists: MINVALUE below every value, MAXVALUE above. */
export function compareRangeDatums(a: readonly RangeDatum[], b: readonly RangeDatum[],
  types: readonly number[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const rank = (d: RangeDatum): number => (d.kind === "min" ? -1 : d.kind === "max" ? 1 : 0);
    if (x.kind !== "value" || y.kind !== "value") {
      const diff = rank(x) - rank(y);
      if (diff !== 0) return diff;
      return 0;
    }
    const c = compareValues(x.value, y.value, types[i] ?? 0);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Compares a key (no nulls) with a range bound as partition_rbound_datum_cmp does: the first
 * MINVALUE or MAXVALUE decides, otherwise the values in order.
 */
export function compareKeyToBound(key: readonly Value[], bound: readonly RangeDatum[],
  types: readonly number[]): number {
  for (let i = 0; i < bound.length; i++) {
    const d = bound[i]!;
    if (d.kind === "min") return 1;
    if (d.kind === "max") return -1;
    const c = compareValues(key[i] ?? null, d.value, types[i] ?? 0);
    if (c !== 0) return c;
  }
  return 0;
}

/** The key column types of a partitioned table. */
export function keyTypes(rel: Relation): number[] {
  return (rel.partitionKey?.columns ?? []).map((c) => rel.columns[c]!.type);
}

/** The index of `child` that stands for `index` of its parent (same key and kind). */
export function matchingIndex(child: Relation, index: Index): Index | undefined {
  return child.indexes.find((i) => i.unique === index.unique && i.primary === index.primary &&
    i.computed === undefined && i.columns.length === index.columns.length &&
    i.columns.every((c, k) => c === index.columns[k]));
}
