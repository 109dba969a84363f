/**
 * The Citus catalogs as relations of the coordinator's engine, so any SQL can read them:
 * pg_dist_node (from the node registry), pg_dist_partition, pg_dist_shard,
 * pg_dist_placement, pg_dist_colocation and pg_dist_schema (from the metadata store, column
 * for column as `citus-surface.md` §1), and the views citus_shards, citus_tables (§1.7–1.8)
 * and citus_schemas computed from the same rows. The relation OIDs are fixed (Citus's differ
 * per installation).
 *
 * Shard sizes (citus_shards.shard_size, citus_tables.table_size) are the nodes'
 * pg_total_relation_size of each placement, fetched before a statement that reads them
 * (`operations/shard-sizes.ts`); NULL when a statement was not prefetched.
 */
import {
  addSystemRelation, ownerNameOf, type Engine, type StatementContext,
} from "@tessera/engine";
import { TypeOid, type Row } from "@tessera/sql";
import { qualifiedShardName } from "./naming.js";
import type { CitusTable } from "./metadata-cache.js";
import type { MetadataStore } from "./metadata-store.js";
import type { NodeRegistry } from "./node-registry.js";
import { placementSize, tableSize } from "../operations/shard-sizes.js";
import { addActivityViews } from "../operations/activity-views.js";

export const pgDistNodeOid = 15_001;
const T = TypeOid;

export function addCitusCatalogs(engine: Engine, registry: NodeRegistry,
  metadata?: MetadataStore): void {
  addSystemRelation(engine.catalog, {
    oid: pgDistNodeOid, schema: "pg_catalog", name: "pg_dist_node",
    columns: [["nodeid", T.int4], ["groupid", T.int4], ["nodename", T.text],
      ["nodeport", T.int4], ["noderack", T.text], ["hasmetadata", T.bool],
      ["isactive", T.bool], ["noderole", T.text], ["nodecluster", T.name],
      ["metadatasynced", T.bool], ["shouldhaveshards", T.bool],
      ["nodeisclone", T.bool], ["nodeprimarynodeid", T.int4]],
    rows: () => registry.list().map((n): Row => [n.nodeid, n.groupid, n.nodename, n.nodeport,
      n.noderack, n.hasmetadata, n.isactive, n.noderole, n.nodecluster, n.metadatasynced,
      n.shouldhaveshards, n.nodeisclone, n.nodeprimarynodeid]),
  });
  if (metadata !== undefined) addDistributionCatalogs(engine, registry, metadata);
  // citus_stat_activity, citus_dist_stat_activity, citus_lock_waits.
  if (metadata !== undefined) addActivityViews(engine);
}

function addDistributionCatalogs(engine: Engine, registry: NodeRegistry,
  metadata: MetadataStore): void {
  const add = (oid: number, name: string, columns: [string, number][],
    rows: (ctx: StatementContext) => Row[]): void =>
    addSystemRelation(engine.catalog, { oid, schema: "pg_catalog", name, columns, rows });
  add(15_002, "pg_dist_partition", [["logicalrelid", T.regclass], ["partmethod", T.char],
    ["partkey", T.text], ["colocationid", T.int4], ["repmodel", T.char],
    ["autoconverted", T.bool]],
  () => metadata.snapshot.tables.map(({ partition: p }): Row => [p.logicalrelid, p.partmethod,
    p.partkey, p.colocationid, p.repmodel, p.autoconverted]));
  add(15_003, "pg_dist_shard", [["logicalrelid", T.regclass], ["shardid", T.int8],
    ["shardstorage", T.char], ["shardminvalue", T.text], ["shardmaxvalue", T.text]],
  () => metadata.snapshot.shards.map((s): Row => [s.logicalrelid, BigInt(s.shardid),
    s.shardstorage, s.shardminvalue, s.shardmaxvalue]));
  add(15_004, "pg_dist_placement", [["placementid", T.int8], ["shardid", T.int8],
    ["shardstate", T.int4], ["shardlength", T.int8], ["groupid", T.int4]],
  () => metadata.snapshot.placements.map((p): Row => [BigInt(p.placementid),
    BigInt(p.shardid), p.shardstate, BigInt(p.shardlength), p.groupid]));
  add(15_005, "pg_dist_colocation", [["colocationid", T.int4], ["shardcount", T.int4],
    ["replicationfactor", T.int4], ["distributioncolumntype", T.oid],
    ["distributioncolumncollation", T.oid]],
  () => metadata.snapshot.colocations.map((c): Row => [c.colocationid, c.shardcount,
    c.replicationfactor, c.distributioncolumntype, c.distributioncolumncollation]));
  add(15_006, "citus_shards", [["table_name", T.regclass], ["shardid", T.int8],
    ["shard_name", T.text], ["citus_table_type", T.text], ["colocation_id", T.int4],
    ["nodename", T.text], ["nodeport", T.int4], ["shard_size", T.int8]],
  (ctx) => citusShards(registry, metadata, ctx));
  add(15_007, "citus_tables", [["table_name", T.regclass], ["citus_table_type", T.text],
    ["distribution_column", T.text], ["colocation_id", T.int4], ["table_size", T.text],
    ["shard_count", T.int8], ["table_owner", T.name], ["access_method", T.name]],
  (ctx) => sortedTables(metadata).map((t): Row => {
    const size = tableSize(ctx, t, false);
    return [t.partition.logicalrelid, tableType(t, metadata),
      t.distributionColumn?.name ?? "<none>",
      t.partition.colocationid, size === null ? null : sizePretty(size),
      BigInt(t.shards.length),
      ownerNameOf(engine.catalog, "table", t.partition.logicalrelid as number), "heap"];
  }));
  // Citus's compatibility view: placement ⋈ node on groupid, primaries only (§1.4).
  add(15_010, "pg_dist_shard_placement", [["shardid", T.int8], ["shardstate", T.int4],
    ["shardlength", T.int8], ["nodename", T.text], ["nodeport", T.int4],
    ["placementid", T.int8]],
  () => metadata.snapshot.placements.flatMap((p): Row[] => registry.list()
    .filter((n) => n.groupid === p.groupid && n.noderole === "primary")
    .map((n): Row => [BigInt(p.shardid), p.shardstate, BigInt(p.shardlength), n.nodename,
      n.nodeport, BigInt(p.placementid)])));
  addSchemaCatalogs(engine, metadata);
}

/** pg_dist_schema and the citus_schemas view (Citus 12's schema-based sharding). */
function addSchemaCatalogs(engine: Engine, metadata: MetadataStore): void {
  const add = (oid: number, name: string, columns: [string, number][],
    rows: (ctx: StatementContext) => Row[]): void =>
    addSystemRelation(engine.catalog, { oid, schema: "pg_catalog", name, columns, rows });
  add(15_008, "pg_dist_schema", [["schemaid", T.regnamespace], ["colocationid", T.int4]],
    () => metadata.snapshot.schemas.map((s): Row => [s.schemaid, s.colocationid]));
  add(15_009, "citus_schemas", [["schema_name", T.regnamespace], ["colocation_id", T.int4],
    ["schema_size", T.text], ["schema_owner", T.name]],
  (ctx) => {
    const names = new Map(engine.catalog.allSchemas().map(([name, id]) => [id, name]));
    return [...metadata.snapshot.schemas].sort((a, b) => a.schemaid - b.schemaid)
      .filter((s) => names.has(s.schemaid)).map((s): Row => {
        const tables = [...metadata.cache.tables()]
          .filter((t) => t.schemaName === names.get(s.schemaid));
        const sizes = tables.map((t) => tableSize(ctx, t, false));
        const size = sizes.some((b) => b === null) ? null
          : sizes.reduce<bigint>((sum, b) => sum + (b ?? 0n), 0n);
        return [s.schemaid, s.colocationid, size === null ? null : sizePretty(size),
          ownerNameOf(engine.catalog, "schema", s.schemaid as number)];
      });
  });
}

/** One row per placement, ordered by table name and shard id, as the Citus view. */
function citusShards(registry: NodeRegistry, metadata: MetadataStore,
  ctx: StatementContext): Row[] {
  const rows: Row[] = [];
  for (const table of sortedTables(metadata)) {
    for (const shard of table.shards) {
      const name = qualifiedShardName({ schemaName: table.schemaName,
        relationName: table.relationName, shardId: shard.row.shardid });
      for (const placement of shard.placements) {
        const node = registry.list().find((n) => n.groupid === placement.groupid);
        rows.push([table.partition.logicalrelid, BigInt(shard.row.shardid), name,
          tableType(table, metadata), table.partition.colocationid, node?.nodename ?? null,
          node?.nodeport ?? null, placementSize(ctx, shard.row.shardid, placement.groupid)]);
      }
    }
  }
  return rows;
}

/** The tables in `logicalrelid::text` order (schema-qualified outside public). */
function sortedTables(metadata: MetadataStore): CitusTable[] {
  const key = (t: CitusTable): string =>
    (t.schemaName === "public" ? t.relationName : `${t.schemaName}.${t.relationName}`);
  return [...metadata.cache.tables()]
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** citus_table_type as the views compute it. */
function tableType(table: CitusTable, metadata: MetadataStore): string {
  const group = table.partition.colocationid;
  if (metadata.snapshot.schemas.some((s) => s.colocationid === group)) return "schema";
  if (table.partition.partkey !== null) return "distributed";
  if (table.partition.repmodel === "t") return "reference";
  if (table.partition.colocationid === 0) return "local";
  return "distributed";
}

/** pg_size_pretty(bigint) as Postgres 15 prints it: bytes, kB, MB, GB, TB, halves rounded. */
export function sizePretty(bytes: bigint): string {
  const limit = 10n * 1024n;
  const limit2 = limit * 2n - 1n;
  const abs = (n: bigint): bigint => (n < 0n ? -n : n);
  const halfRounded = (n: bigint): bigint => (n + (n < 0n ? -1n : 1n)) / 2n;
  if (abs(bytes) < limit) return `${bytes} bytes`;
  let size = bytes >> 9n;
  for (const unit of ["kB", "MB", "GB"]) {
    if (abs(size) < limit2) return `${halfRounded(size)} ${unit}`;
    size >>= 10n;
  }
  return `${halfRounded(size)} TB`;
}
