/**
 * Colocation groups for new tables, as Citus's `ColocationIdForNewTable` decides them
 * (`citus-surface.md` §2.6). Tables in one group have the same shard count, ranges and
 * placements, so shard i of each can be joined on one node without moving rows.
 *
 * - `colocate_with => 'default'`: reuse the smallest group with equal (column type, shard
 *   count, replication factor, collation), except tenant-schema groups; with an explicit
 *   `shard_count`, only a group whose table really has that many shards; else a new group.
 * - `colocate_with => 'none'`: always a new group.
 * - `colocate_with => 'table'`: that table's group, after checking kind, replication model,
 *   column type and collation.
 * - reference tables share one group (1, -1, 0, 0); single-shard tables without
 *   `colocate_with` get a new group (1, 1, 0, 0).
 */
import { SqlError, SqlState, assert, oid, type Oid } from "@tessera/base";
import type { DistColocationRow, ReplicationModel } from "./catalog-model.js";
import type { CitusTable, MetadataCache } from "./metadata-cache.js";

export type ColocateWith =
  | { readonly kind: "default" }
  | { readonly kind: "none" }
  | { readonly kind: "table"; readonly table: CitusTable };

export interface HashColocationRequest {
  readonly relationName: string;
  readonly colocateWith: ColocateWith;
  readonly shardCount: number;
  /** True when the user passed `shard_count`, not when it came from citus.shard_count. */
  readonly shardCountExplicit: boolean;
  readonly replicationFactor: number;
  readonly replicationModel: ReplicationModel;
  readonly columnTypeOid: Oid;
  readonly columnCollationOid: Oid;
  /** Colocation ids of tenant schemas (pg_dist_schema), never reused by 'default'. */
  readonly schemaColocationIds: ReadonlySet<number>;
}

/** Where a new table goes: an existing group (maybe joining a table) or a new one. */
export type ColocationDecision =
  | {
    readonly kind: "existing";
    readonly colocationId: number;
    /** A table already in the group whose shards the new table copies, if any. */
    readonly sourceTable: CitusTable | undefined;
  }
  | { readonly kind: "new"; readonly group: Omit<DistColocationRow, "colocationid"> };

/** Decides the colocation group of a new hash-distributed table. */
export function decideHashColocation(
  cache: MetadataCache, request: HashColocationRequest,
): ColocationDecision {
  assert(request.shardCount >= 1, "shard count checked before colocation");
  assert(request.replicationFactor >= 1, "replication factor checked before colocation");
  const group = {
    shardcount: request.shardCount, replicationfactor: request.replicationFactor,
    distributioncolumntype: request.columnTypeOid,
    distributioncolumncollation: request.columnCollationOid,
  };
  switch (request.colocateWith.kind) {
    case "none":
      return { kind: "new", group };
    case "table": {
      if (request.shardCountExplicit) {
        throw new SqlError(SqlState.internalError,
          "Cannot use colocate_with with a table and shard_count at the same time");
      }
      const source = request.colocateWith.table;
      checkColocatable(source, request);
      return existing(cache, source.partition.colocationid);
    }
    case "default": {
      const match = findDefaultGroup(cache, request, group);
      return match === undefined ? { kind: "new", group } : existing(cache, match);
    }
  }
}

/** Decides the group of a new reference table: the shared reference group, or a new one. */
export function decideReferenceColocation(cache: MetadataCache): ColocationDecision {
  const group = {
    shardcount: 1, replicationfactor: -1, distributioncolumntype: oid(0),
    distributioncolumncollation: oid(0),
  };
  const ids = [...cache.colocationGroups()]
    .filter((row) => sameConfiguration(row, group))
    .map((row) => row.colocationid)
    .sort((a, b) => a - b);
  return ids[0] === undefined ? { kind: "new", group } : existing(cache, ids[0]);
}

/** Returns the group row for a new single-shard table or a new tenant schema. */
export function singleShardGroup(): Omit<DistColocationRow, "colocationid"> {
  return {
    shardcount: 1, replicationfactor: 1, distributioncolumntype: oid(0),
    distributioncolumncollation: oid(0),
  };
}

function existing(cache: MetadataCache, colocationId: number): ColocationDecision {
  assert(cache.colocationGroup(colocationId) !== undefined, "the chosen group exists");
  const sourceTable = cache.tablesInColocationGroup(colocationId)[0];
  return { kind: "existing", colocationId, sourceTable };
}

/** Returns the smallest matching default group id, or undefined for a new group. */
function findDefaultGroup(
  cache: MetadataCache,
  request: HashColocationRequest,
  group: Omit<DistColocationRow, "colocationid">,
): number | undefined {
  const ids = [...cache.colocationGroups()]
    .filter((row) => sameConfiguration(row, group))
    .filter((row) => !request.schemaColocationIds.has(row.colocationid))
    .map((row) => row.colocationid)
    .sort((a, b) => a - b);
  const smallest = ids[0];
  if (smallest === undefined || !request.shardCountExplicit) return smallest;
  // An explicit shard_count must match a real table of the group, not only its row.
  const table = cache.tablesInColocationGroup(smallest)[0];
  if (table === undefined || table.shards.length !== request.shardCount) return undefined;
  return smallest;
}

function sameConfiguration(
  row: DistColocationRow, group: Omit<DistColocationRow, "colocationid">,
): boolean {
  return row.shardcount === group.shardcount &&
    row.replicationfactor === group.replicationfactor &&
    row.distributioncolumntype === group.distributioncolumntype &&
    row.distributioncolumncollation === group.distributioncolumncollation;
}

/** Raises Citus's errors when a new table cannot join `source`'s group. */
function checkColocatable(source: CitusTable, request: HashColocationRequest): void {
  const sourceName = source.relationName;
  const name = request.relationName;
  if (source.kind === "append" || source.kind === "range" || source.kind === "local") {
    throw new SqlError(SqlState.featureNotSupported, "cannot distribute relation", {
      detail: "Currently, colocate_with option is not supported with append / range " +
        "distributed tables and local tables added to metadata.",
    });
  }
  const cannot = (detail: string): SqlError => new SqlError(SqlState.internalError,
    `cannot colocate tables ${sourceName} and ${name}`, { detail });
  if (source.partition.repmodel !== request.replicationModel) {
    throw cannot(`Replication models don't match for ${sourceName} and ${name}.`);
  }
  const column = source.distributionColumn;
  if ((column?.typeOid ?? 0) !== request.columnTypeOid) {
    throw cannot(`Distribution column types don't match for ${sourceName} and ${name}.`);
  }
  if ((column?.collationOid ?? 0) !== request.columnCollationOid) {
    throw cannot(`Distribution column collations don't match for ${sourceName} and ${name}.`);
  }
}
