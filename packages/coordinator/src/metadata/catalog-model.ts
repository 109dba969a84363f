/**
 * The rows of Citus's distribution catalogs (pg_dist_partition, pg_dist_shard,
 * pg_dist_placement, pg_dist_colocation), column for column as `citus-surface.md` §1 lists
 * them, plus the column lists and defaults the catalog tables are created from.
 *
 * The rows live in the coordinator's engine as ordinary tables; the planner reads them through
 * `MetadataCache` (metadata-cache.ts), an immutable snapshot rebuilt on every change.
 * Ids use the branded types of `@tessera/base`; bigint columns (shardid, placementid,
 * shardlength) are safe integers here and bigints only in engine rows.
 */
import { assert, oid, shardId, type Oid, type ShardId } from "@tessera/base";

/** pg_dist_partition.partmethod: hash, none (reference, single-shard, local), append, range. */
export type PartitionMethod = "h" | "n" | "a" | "r";
/** pg_dist_partition.repmodel: streaming, coordinator/statement, two-phase (reference). */
export type ReplicationModel = "s" | "c" | "t";
/** pg_dist_shard.shardstorage: table, foreign table, virtual (unused). */
export type ShardStorage = "t" | "f" | "v";

/** One column of a catalog table: name, Postgres type and default, in attribute order. */
export interface CatalogColumn {
  readonly name: string;
  readonly typeName: string;
  readonly notNull: boolean;
  /** SQL text of the column default, or undefined for none. */
  readonly defaultSql?: string;
}

/** pg_dist_partition: one row per Citus table. */
export interface DistPartitionRow {
  readonly logicalrelid: Oid;
  readonly partmethod: PartitionMethod;
  /** The distribution column as a serialized Var (see `formatPartitionKey`); NULL for 'n'. */
  readonly partkey: string | null;
  readonly colocationid: number;
  readonly repmodel: ReplicationModel;
  readonly autoconverted: boolean;
}

/** pg_dist_shard: one row per shard. Physical column 4 (shardalias) is dropped. */
export interface DistShardRow {
  readonly logicalrelid: Oid;
  readonly shardid: ShardId;
  readonly shardstorage: ShardStorage;
  /** Hash tables: the inclusive int32 lower bound as decimal text; NULL for 'n' tables. */
  readonly shardminvalue: string | null;
  readonly shardmaxvalue: string | null;
}

/** pg_dist_placement: one shard on one node group. */
export interface DistPlacementRow {
  readonly placementid: number;
  readonly shardid: ShardId;
  /** Always 1 (active) as current Citus writes it. */
  readonly shardstate: number;
  /** 0 for hash and reference shards (size not tracked). */
  readonly shardlength: number;
  readonly groupid: number;
}

/** pg_dist_colocation: one row per colocation group. */
export interface DistColocationRow {
  readonly colocationid: number;
  readonly shardcount: number;
  /** -1 for the reference-table group. */
  readonly replicationfactor: number;
  /** 0 for reference, single-shard and tenant-schema groups. */
  readonly distributioncolumntype: Oid;
  /** 0 for non-collatable types, 100 for the default collation. */
  readonly distributioncolumncollation: Oid;
}

export const distPartitionColumns: readonly CatalogColumn[] = [
  { name: "logicalrelid", typeName: "regclass", notNull: true },
  { name: "partmethod", typeName: "\"char\"", notNull: true },
  { name: "partkey", typeName: "text", notNull: false },
  { name: "colocationid", typeName: "integer", notNull: true, defaultSql: "0" },
  { name: "repmodel", typeName: "\"char\"", notNull: true, defaultSql: "'c'" },
  { name: "autoconverted", typeName: "boolean", notNull: false, defaultSql: "false" },
];

export const distShardColumns: readonly CatalogColumn[] = [
  { name: "logicalrelid", typeName: "regclass", notNull: true },
  { name: "shardid", typeName: "bigint", notNull: true },
  { name: "shardstorage", typeName: "\"char\"", notNull: true },
  { name: "shardminvalue", typeName: "text", notNull: false },
  { name: "shardmaxvalue", typeName: "text", notNull: false },
];

export const distPlacementColumns: readonly CatalogColumn[] = [
  {
    name: "placementid", typeName: "bigint", notNull: true,
    defaultSql: "nextval('pg_catalog.pg_dist_placement_placementid_seq'::regclass)",
  },
  { name: "shardid", typeName: "bigint", notNull: true },
  { name: "shardstate", typeName: "integer", notNull: true },
  { name: "shardlength", typeName: "bigint", notNull: true },
  { name: "groupid", typeName: "integer", notNull: true },
];

export const distColocationColumns: readonly CatalogColumn[] = [
  { name: "colocationid", typeName: "integer", notNull: true },
  { name: "shardcount", typeName: "integer", notNull: true },
  { name: "replicationfactor", typeName: "integer", notNull: true },
  { name: "distributioncolumntype", typeName: "oid", notNull: true },
  { name: "distributioncolumncollation", typeName: "oid", notNull: true },
];

/** Sequences behind the catalogs: name and first value (`citus--8.0-1.sql`). */
export const DistSequenceStart = {
  pg_dist_shardid_seq: 102008,
  pg_dist_placement_placementid_seq: 1,
  pg_dist_groupid_seq: 1,
  pg_dist_node_nodeid_seq: 1,
  pg_dist_colocationid_seq: 1,
} as const;

/** Citus writes every placement as active. */
export const shardStateActive = 1;

/** The distribution column as the Var node Citus stores in `partkey`. */
export interface PartitionKeyColumn {
  readonly attnum: number;
  readonly typeOid: Oid;
  readonly typmod: number;
  readonly collationOid: Oid;
}

/**
 * Formats a distribution column as Postgres 18's node text for a Var, as Citus stores it:
 * `{VAR :varno 1 :varattno 1 :vartype 23 :vartypmod -1 :varcollid 0 ...}`.
 */
export function formatPartitionKey(column: PartitionKeyColumn): string {
  assert(Number.isInteger(column.attnum) && column.attnum > 0, "a user column's attnum");
  assert(Number.isInteger(column.typmod), "typmod is an integer");
  return `{VAR :varno 1 :varattno ${column.attnum} :vartype ${column.typeOid} ` +
    `:vartypmod ${column.typmod} :varcollid ${column.collationOid} :varnullingrels (b) ` +
    `:varlevelsup 0 :varreturningtype 0 :varnosyn 1 :varattnosyn ${column.attnum} ` +
    ":location -1}";
}

/** Reads back the column of a `partkey` text; the inverse of `formatPartitionKey`. */
export function parsePartitionKey(text: string): PartitionKeyColumn {
  assert(text.startsWith("{VAR "), "partkey is a serialized Var");
  const field = (name: string): number => {
    const match = new RegExp(`:${name} (-?\\d+)`).exec(text);
    assert(match !== null, `partkey has :${name}`);
    return Number(match[1]);
  };
  const column = {
    attnum: field("varattno"), typeOid: oid(field("vartype")), typmod: field("vartypmod"),
    collationOid: oid(field("varcollid")),
  };
  assert(column.attnum > 0, "partkey names a user column");
  return column;
}

/** Narrows a catalog text value to a partition method; anything else is a corrupt catalog. */
export function partitionMethodOf(value: string): PartitionMethod {
  assert(value === "h" || value === "n" || value === "a" || value === "r", "partmethod code");
  return value;
}

/** Narrows a catalog text value to a replication model. */
export function replicationModelOf(value: string): ReplicationModel {
  assert(value === "s" || value === "c" || value === "t", "repmodel code");
  return value;
}

/** Builds a shard row; hash shards carry their int32 bounds as decimal text. */
export function makeShardRow(
  logicalrelid: Oid, id: number, bounds: { min: number; max: number } | null,
): DistShardRow {
  if (bounds !== null) {
    assert(Number.isInteger(bounds.min) && Number.isInteger(bounds.max), "integer bounds");
    assert(bounds.min <= bounds.max, "shard bounds are ordered");
  }
  return Object.freeze({
    logicalrelid, shardid: shardId(id), shardstorage: "t",
    shardminvalue: bounds === null ? null : String(bounds.min),
    shardmaxvalue: bounds === null ? null : String(bounds.max),
  });
}
