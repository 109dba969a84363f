/**
 * alter_distributed_table(table, distribution_column, shard_count, colocate_with,
 * cascade_to_colocated) (`citus-surface.md` §3.1, Citus's `AlterDistributedTable` in
 * `commands/alter_table.c`): Citus's checks and messages in Citus's order, the new layout
 * as Citus's `CreateDistributedTableLike` decides it, then the rebuild (`table-rebuild.ts`).
 *
 * NULL keeps a property. The new colocation group: colocate_with's, else the table's own when
 * neither the shard count nor the distribution column's type changes, else 'default' (a group
 * with the new shard count and column type, or a new one). cascade_to_colocated => true
 * rebuilds the tables colocated with it too, into its new group (they get the new shard
 * count); false breaks the colocation. Foreign keys between distributed tables survive a
 * cascade; without one Citus drops them with a WARNING, and so does this.
 */
import { SqlError, SqlState, oid, type Oid } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { TypeOid, parseStatements, type FunctionDef, type Value } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { formatPartitionKey } from "../metadata/catalog-model.js";
import { decideHashColocation, type ColocateWith } from "../metadata/colocation.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import { planColocatedShards, planHashShards } from "../metadata/placement.js";
import { checkShardCount } from "../metadata/shard-ranges.js";
import { consumeShardIdSetting, nextShardId } from "./create-table.js";
import { colocationUpdateFunction } from "./colocation-update.js";
import { resolveTable } from "./create-table.js";
import { checkNotTenantTable } from "./schema-sharding.js";
import { qualifiedName, type ShellRelation } from "./shard-ddl.js";
import { contextOf, notice } from "./statement-contexts.js";
import {
  addForeignKeys, inOneTransaction, lockOldShards, rebuildTable, shellOf, type NewLayout,
  type RebuildRun,
} from "./table-rebuild.js";

/** The call's arguments; null keeps the property. */
export interface AlterRequest {
  readonly relationId: number;
  readonly distributionColumn: string | null;
  readonly shardCount: number | null;
  readonly colocateWith: string | null;
  readonly cascade: boolean | null;
}

/** What the checks settled: the new column, shard count and colocation. */
interface Target {
  readonly column: ShellRelation["columns"][number] | null;
  /** The new shard count, or null to keep the current one. */
  readonly shardCount: number | null;
  readonly colocateWith: ColocateWith | null;
}

/** alter_distributed_table and update_distributed_table_colocation, for the engine. */
export function alterTableFunctions(cluster: Cluster): FunctionDef[] {
  const mustAwait = (): Value => {
    throw new SqlError(SqlState.internalError, "this function must be awaited");
  };
  const text = (value: Value | undefined): string | null =>
    (value === null || value === undefined ? null : String(value));
  return [{
    kind: "scalar", name: "alter_distributed_table", volatility: "v", strict: false,
    argTypes: [TypeOid.regclass, TypeOid.text, TypeOid.int4, TypeOid.text, TypeOid.bool],
    argNames: ["table_name", "distribution_column", "shard_count", "colocate_with",
      "cascade_to_colocated"],
    defaultCount: 4, defaults: [null, null, null, null], returnType: TypeOid.void,
    impl: mustAwait,
    implAsync: async (args, ctx) => {
      if (args[0] === null || args[0] === undefined) return null;
      const cascade = args[4];
      await alterDistributedTable(cluster, {
        relationId: Number(args[0]), distributionColumn: text(args[1]),
        shardCount: args[2] === null || args[2] === undefined ? null : Number(args[2]),
        colocateWith: text(args[3]),
        cascade: cascade === null || cascade === undefined ? null : cascade === true,
      }, contextOf(ctx));
      return null;
    },
  }, colocationUpdateFunction(cluster)];
}

/** alter_distributed_table: checks, then the rebuild of the table (and its group). */
export async function alterDistributedTable(cluster: Cluster, request: AlterRequest,
  ctx: StatementContext): Promise<void> {
  checkNotTenantTable(cluster, request.relationId, "alter_distributed_table");
  const table = alterableTable(cluster, request.relationId);
  const relation = shellOf(cluster, table);
  if (relation.columns.some((c) => !c.dropped && c.identity !== null)) {
    throw new SqlError(SqlState.featureNotSupported,
      "cannot complete operation on a table with identity column");
  }
  const target = checkRequest(cluster, table, relation, request, ctx);
  // Partitions are Citus's parents' business (`ConvertTable`), not colocated tables.
  const group = colocatedTables(cluster, table)
    .filter((t) => t.partition.logicalrelid !== table.partition.logicalrelid);
  const cascaded = request.cascade === true ? group : [];
  for (const member of cascaded) refusePartitions(cluster, shellOf(cluster, member));
  const rebuilt = [table, ...cascaded];
  if (request.cascade !== true) warnDroppedForeignKeys(cluster, relation, ctx);
  await inOneTransaction(cluster, ctx, new Set(rebuilt.map((t) => t.partition.logicalrelid)),
    async (run) => {
      await lockOldShards(cluster, rebuilt, run);
      await rebuildTable(cluster, table, layoutOf(cluster, table, target, run.ctx), run);
      const rebuiltTable = cluster.metadata.cache.table(table.partition.logicalrelid)!;
      for (const member of cascaded) {
        const fresh = cluster.metadata.cache.table(member.partition.logicalrelid)!;
        await rebuildTable(cluster, fresh, layoutOf(cluster, fresh, { column: null,
          shardCount: null, colocateWith: { kind: "table", table: rebuiltTable } }, run.ctx),
        run);
      }
      // The shards of these keys went with the old shards (dropped CASCADE).
      if (request.cascade !== true) await dropDistributedForeignKeys(cluster, relation, ctx);
      await addForeignKeys(cluster, rebuilt.map((t) => t.partition.logicalrelid), run);
    });
}

/** The tables of `table`'s group but partitions, in OID order (Citus's list). */
function colocatedTables(cluster: Cluster, table: CitusTable): CitusTable[] {
  return cluster.metadata.cache.tablesInColocationGroup(table.partition.colocationid)
    .filter((t) => cluster.local.catalog.relation(t.partition.logicalrelid)?.partitionOf ===
      undefined)
    .sort((a, b) => a.partition.logicalrelid - b.partition.logicalrelid);
}

/**
 * A partition: Citus's `EnsureTableNotPartition`. A partitioned table: Citus rebuilds its
 * partitions one by one first; Tessera does not yet.
 */
function refusePartitions(cluster: Cluster, relation: ShellRelation): void {
  if (relation.partitionOf !== undefined) {
    const parent = cluster.local.catalog.relation(relation.partitionOf.parentOid)?.name ?? "?";
    throw new SqlError(SqlState.internalError,
      "cannot complete operation because table is a partition",
      { hint: `the parent table is "${parent}"` });
  }
  if (relation.partitionKey !== undefined) {
    throw new SqlError(SqlState.featureNotSupported, "alter_distributed_table() is not " +
      `supported by Tessera yet for partitioned tables such as ${relation.name}: it needs ` +
      "rebuilding each partition");
  }
}

/** The table, refused unless it is a hash-distributed table (Citus's checks and texts). */
function alterableTable(cluster: Cluster, relationId: number): CitusTable {
  const table = cluster.metadata.cache.table(oid(relationId));
  if (table === undefined || table.kind === "reference" || table.kind === "local") {
    throw new SqlError(SqlState.internalError,
      "cannot alter table because the table is not distributed");
  }
  refusePartitions(cluster, shellOf(cluster, table));
  if (table.kind !== "hash") {
    throw new SqlError(SqlState.featureNotSupported,
      `relation ${table.relationName} should be a hash distributed table`);
  }
  return table;
}

/** Citus's `CheckAlterDistributedTableConversionParameters`, in its order. */
function checkRequest(cluster: Cluster, table: CitusTable, relation: ShellRelation,
  request: AlterRequest, ctx: StatementContext): Target {
  const { distributionColumn, colocateWith, cascade } = request;
  let shardCount = request.shardCount;
  if (distributionColumn === null && shardCount === null && colocateWith === null &&
    cascade !== true) {
    throw new SqlError(SqlState.internalError, "you have to specify at least one of the " +
      "distribution_column, shard_count or colocate_with parameters");
  }
  const column = distributionColumn === null ? null : columnOf(relation, distributionColumn);
  const current = table.distributionColumn!;
  const sameColumn = column !== null && column.name === current.name;
  const originalCount = table.shards.length;
  const sameCount = shardCount !== null && shardCount === originalCount;
  const special = colocateWith === null ||
    ["default", "none"].includes(colocateWith.toLowerCase());
  let colocateTable: CitusTable | undefined;
  let sameGroup = false;
  if (!special) {
    const found = resolveTable(cluster, colocateWith, ctx);
    sameGroup = found.citus?.partition.colocationid === table.partition.colocationid;
    if (found.citus === undefined || found.citus.kind === "reference" ||
      found.citus.kind === "local") {
      throw new SqlError(SqlState.internalError,
        `cannot colocate with ${colocateWith} because it is not a distributed table`);
    }
    if (found.citus.kind === "single-shard") {
      throw new SqlError(SqlState.internalError, `cannot colocate with ${colocateWith} ` +
        "because it is a single shard distributed table");
    }
    colocateTable = found.citus;
  }
  if (shardCount === 0) {
    throw new SqlError(SqlState.internalError, "shard_count cannot be 0", {
      hint: "if you no longer want this to be a distributed table you can try " +
        "undistribute_table() function" });
  }
  if (cascade === true && distributionColumn !== null) {
    throw new SqlError(SqlState.internalError,
      "distribution_column cannot be cascaded to colocated tables");
  }
  if (cascade === true && shardCount === null && colocateWith === null) {
    throw new SqlError(SqlState.internalError,
      "shard_count or colocate_with is necessary for cascading to colocated tables");
  }
  if ((distributionColumn === null || sameColumn) && (shardCount === null || sameCount) &&
    (colocateWith === null || sameGroup)) {
    throw new SqlError(SqlState.internalError,
      "this call doesn't change any properties of the table",
      { hint: "check citus_tables view to see current properties of the table" });
  }
  if (cascade === true && colocateWith?.toLowerCase() === "none") {
    throw new SqlError(SqlState.internalError,
      "colocate_with := 'none' cannot be cascaded to colocated tables");
  }
  const colocated = colocatedTables(cluster, table).length - 1;
  if (colocated > 0 && shardCount !== null && !sameCount && cascade === null) {
    throw new SqlError(SqlState.internalError, "cascade_to_colocated parameter is necessary", {
      detail: "this table is colocated with some other tables",
      hint: "cascade_to_colocated := false will break the current colocation, " +
        "cascade_to_colocated := true will change the shard count of colocated tables too." });
  }
  if (colocateTable !== undefined) {
    shardCount = checkColocateWith(table, colocateTable, colocateWith!, column, shardCount);
  }
  if (shardCount !== null) checkShardCount(shardCount);
  if (sameColumn) notice(ctx, `table is already distributed by ${distributionColumn}`);
  if (sameCount) notice(ctx, `shard count of the table is already ${originalCount}`);
  if (sameGroup) notice(ctx, `table is already colocated with ${colocateWith}`);
  return { column, shardCount, colocateWith: colocateWith === null ? null
    : colocateTable !== undefined ? { kind: "table", table: colocateTable }
      : colocateWith.toLowerCase() === "none" ? { kind: "none" } : { kind: "default" } };
}

/** The checks against a colocate_with table; returns the shard count to use. */
function checkColocateWith(table: CitusTable, with_: CitusTable, name: string,
  column: ShellRelation["columns"][number] | null, shardCount: number | null): number | null {
  const count = with_.shards.length;
  if (shardCount !== null && shardCount !== count) {
    throw new SqlError(SqlState.internalError, "shard_count cannot be different than the " +
      "shard count of the table in colocate_with", {
      hint: "if no shard_count is specified shard count will be same with colocate_with " +
        "table's" });
  }
  const withType = with_.distributionColumn!.typeOid;
  if (column !== null && column.type !== withType) {
    throw new SqlError(SqlState.internalError, `cannot colocate with ${name} and change ` +
      `distribution column to ${column.name} because data type of column ${column.name} is ` +
      `different then the distribution column of the ${name}`);
  }
  if (column === null && table.distributionColumn!.typeOid !== withType) {
    throw new SqlError(SqlState.internalError, `cannot colocate with ${name} because data ` +
      `type of its distribution column is different than ${table.relationName}`);
  }
  return count !== table.shards.length ? count : shardCount;
}

function columnOf(relation: ShellRelation, name: string): ShellRelation["columns"][number] {
  const column = relation.columns.find((c) => !c.dropped && c.name === name);
  if (column === undefined) {
    throw new SqlError(SqlState.undefinedColumn,
      `column "${name}" of relation "${relation.name}" does not exist`);
  }
  return column;
}

/** Citus's `CreateDistributedTableLike`: the group, shards and partition row of the rebuild. */
function layoutOf(cluster: Cluster, table: CitusTable, target: Target,
  ctx: StatementContext): NewLayout {
  const relation = shellOf(cluster, table);
  const column = target.column ?? relation.columns[table.distributionColumn!.attnum - 1]!;
  const attnum = relation.columns.indexOf(column) + 1;
  const collation = [25, 1043, 1042, 19].includes(column.type) ? 100 : 0;
  const shardCount = target.shardCount ?? table.shards.length;
  const sameType = column.type === table.distributionColumn!.typeOid;
  const colocateWith: ColocateWith = target.colocateWith ??
    (sameType && target.shardCount === null ? { kind: "table", table } : { kind: "default" });
  const replicationFactor = table.shards[0]?.placements.length ?? 1;
  const repmodel = table.partition.repmodel;
  const decision = decideHashColocation(cluster.metadata.cache, {
    relationName: relation.name, colocateWith, shardCount,
    shardCountExplicit: target.shardCount !== null && colocateWith.kind !== "table",
    replicationFactor, replicationModel: repmodel,
    columnTypeOid: oid(column.type), columnCollationOid: oid(collation),
    schemaColocationIds: new Set(cluster.metadata.snapshot.schemas.map((s) => s.colocationid)),
  });
  const base = { relationId: oid(relation.oid), nextShardId: nextShardId(cluster, ctx),
    nextPlacementId: cluster.metadata.sequences.nextPlacementId };
  const source = decision.kind === "existing" ? decision.sourceTable : undefined;
  const plan = source !== undefined
    ? planColocatedShards({ ...base, source: source.shards.map((s) => ({ shard: s.row,
      placements: s.placements })) })
    : planHashShards({ ...base, shardCount, replicationFactor, nodes: cluster.registry.list() });
  consumeShardIdSetting(ctx, plan.nextShardId);
  return { decision, plan, input: (colocationid) => ({
    partition: { logicalrelid: oid(relation.oid) as Oid, partmethod: "h",
      partkey: formatPartitionKey({ attnum, typeOid: oid(column.type), typmod: column.typmod,
        collationOid: oid(collation) }),
      colocationid, repmodel, autoconverted: false },
    schemaName: relation.schema, relationName: relation.name,
    distributionColumn: { name: column.name, attnum, typeOid: oid(column.type),
      collationOid: oid(collation) },
  }) };
}

/** The foreign keys from and to other distributed tables, which a rebuild without cascade drops. */
function distributedForeignKeys(cluster: Cluster, relation: ShellRelation):
  { readonly owner: ShellRelation; readonly name: string }[] {
  const distributed = (relationId: number): boolean =>
    cluster.metadata.cache.table(oid(relationId))?.kind === "hash";
  const found: { owner: ShellRelation; name: string }[] = [];
  for (const fk of relation.foreignKeys) {
    if (fk.refRelationOid !== relation.oid && distributed(fk.refRelationOid)) {
      found.push({ owner: relation, name: fk.name });
    }
  }
  for (const other of cluster.local.catalog.allRelations()) {
    if (other.oid === relation.oid || !distributed(other.oid)) continue;
    for (const fk of other.foreignKeys) {
      if (fk.refRelationOid === relation.oid) found.push({ owner: other, name: fk.name });
    }
  }
  return found;
}

/** Citus's `WarningsForDroppingForeignKeysWithDistributedTables`. */
function warnDroppedForeignKeys(cluster: Cluster, relation: ShellRelation,
  ctx: StatementContext): void {
  for (const fk of distributedForeignKeys(cluster, relation)) {
    ctx.notice(new SqlError(SqlState.warning, `foreign key ${fk.name} will be dropped`,
      { severity: "WARNING" }));
  }
}

/**
 * Drops those foreign keys from the shell tables (the coordinator's engine only: their shard
 * copies go with the old shards, dropped CASCADE).
 */
async function dropDistributedForeignKeys(cluster: Cluster, relation: ShellRelation,
  ctx: StatementContext): Promise<void> {
  for (const fk of distributedForeignKeys(cluster, relation)) {
    const sql = `ALTER TABLE ${qualifiedName(fk.owner)} DROP CONSTRAINT ` +
      `"${fk.name.replace(/"/g, '""')}"`;
    const stmt = parseStatements(sql)[0]!.stmt;
    const cursor = cluster.local.prepare(stmt, [], ctx).open([], ctx);
    await cursor.fetch(0);
    cursor.close();
  }
}

export type { RebuildRun };
