/**
 * The in-memory view of the distribution catalogs the planner and executor read: Citus
 * tables by oid and name, their shards in range order, each shard's placements, and the
 * colocation groups. A cache is an immutable snapshot; any catalog change builds a new one
 * (Citus invalidates its metadata cache the same way, on every pg_dist_* write).
 *
 * Loading checks what the rest of the coordinator relies on, so a corrupt catalog stops the
 * process instead of routing rows to the wrong shard:
 * - the shard ranges of each hash table cover the int32 space exactly once;
 * - every shard has at least one placement, at most one per node group;
 * - colocated hash tables have equal ranges and place shard i on the same groups;
 * - each table's row agrees with its kind (partkey, repmodel, colocation id, shard count).
 */
import { assert, type Oid, type ShardId } from "@tessera/base";
import {
  parsePartitionKey, type DistColocationRow, type DistPartitionRow, type DistPlacementRow,
  type DistShardRow,
} from "./catalog-model.js";
import { assertRangesCoverHashSpace, parseHashRange, type HashRange } from "./shard-ranges.js";

/** The distribution column of a hash (or append/range) table, resolved from `partkey`. */
export interface DistributionColumn {
  readonly name: string;
  readonly attnum: number;
  readonly typeOid: Oid;
  readonly collationOid: Oid;
}

/** One pg_dist_partition row with the names the catalog resolves its regclass to. */
export interface CitusTableInput {
  readonly partition: DistPartitionRow;
  readonly schemaName: string;
  readonly relationName: string;
  readonly distributionColumn: DistributionColumn | null;
}

/** Everything a cache is built from: the catalog rows as read. */
export interface MetadataSnapshot {
  readonly tables: readonly CitusTableInput[];
  readonly shards: readonly DistShardRow[];
  readonly placements: readonly DistPlacementRow[];
  readonly colocations: readonly DistColocationRow[];
}

/** Which kind of Citus table a row describes (`citus_tables.citus_table_type`, refined). */
export type CitusTableKind = "hash" | "reference" | "single-shard" | "local" | "append" | "range";

export interface CachedShard {
  readonly row: DistShardRow;
  /** Position in the table's range order; shard i of colocated tables share a group. */
  readonly index: number;
  /** Hash tables only. */
  readonly range: HashRange | null;
  /** Sorted by placementid. */
  readonly placements: readonly DistPlacementRow[];
}

export interface CitusTable extends CitusTableInput {
  readonly kind: CitusTableKind;
  readonly shards: readonly CachedShard[];
  /** The hash ranges in shard order; empty unless `kind` is "hash". */
  readonly ranges: readonly HashRange[];
}

export class MetadataCache {
  private readonly tablesByOid = new Map<Oid, CitusTable>();
  private readonly tablesByName = new Map<string, CitusTable>();
  private readonly shardsById = new Map<ShardId, { table: CitusTable; shard: CachedShard }>();
  private readonly groupsById = new Map<number, DistColocationRow>();
  private readonly tablesByGroup = new Map<number, CitusTable[]>();

  private constructor(snapshot: MetadataSnapshot) {
    for (const group of snapshot.colocations) {
      assert(!this.groupsById.has(group.colocationid), "colocation ids are unique");
      assert(group.colocationid > 0, "colocation ids start at 1");
      this.groupsById.set(group.colocationid, group);
    }
    const shardsByTable = groupShards(snapshot);
    for (const input of snapshot.tables) {
      const table = buildTable(input, shardsByTable.get(input.partition.logicalrelid) ?? []);
      this.addTable(table);
    }
    assert(this.shardsById.size === snapshot.shards.length, "every shard belongs to a table");
    for (const [id, tables] of this.tablesByGroup) this.checkGroup(id, tables);
  }

  /** Builds a cache from catalog rows, asserting every invariant listed above. */
  static load(snapshot: MetadataSnapshot): MetadataCache {
    return new MetadataCache(snapshot);
  }

  table(relationId: Oid): CitusTable | undefined {
    return this.tablesByOid.get(relationId);
  }

  tableByName(schemaName: string, relationName: string): CitusTable | undefined {
    return this.tablesByName.get(nameKey(schemaName, relationName));
  }

  tables(): IterableIterator<CitusTable> {
    return this.tablesByOid.values();
  }

  /** Returns a shard and its table by shard id. */
  shard(id: ShardId): { readonly table: CitusTable; readonly shard: CachedShard } | undefined {
    return this.shardsById.get(id);
  }

  colocationGroup(id: number): DistColocationRow | undefined {
    return this.groupsById.get(id);
  }

  colocationGroups(): IterableIterator<DistColocationRow> {
    return this.groupsById.values();
  }

  /** Returns the tables of a colocation group, in oid order (Citus's `ColocatedTableId`). */
  tablesInColocationGroup(id: number): readonly CitusTable[] {
    return this.tablesByGroup.get(id) ?? [];
  }

  private addTable(table: CitusTable): void {
    const oidKey = table.partition.logicalrelid;
    assert(!this.tablesByOid.has(oidKey), "one pg_dist_partition row per table");
    const key = nameKey(table.schemaName, table.relationName);
    assert(!this.tablesByName.has(key), "table names are unique within a schema");
    this.tablesByOid.set(oidKey, table);
    this.tablesByName.set(key, table);
    for (const shard of table.shards) {
      assert(!this.shardsById.has(shard.row.shardid), "shard ids are unique");
      this.shardsById.set(shard.row.shardid, { table, shard });
    }
    const groupId = table.partition.colocationid;
    if (groupId === 0) return;
    assert(this.groupsById.has(groupId), "a table's colocation group exists");
    const members = this.tablesByGroup.get(groupId) ?? [];
    members.push(table);
    members.sort((a, b) => a.partition.logicalrelid - b.partition.logicalrelid);
    this.tablesByGroup.set(groupId, members);
  }

  /** Checks that a group's tables agree with its row and with each other, shard by shard. */
  private checkGroup(id: number, tables: readonly CitusTable[]): void {
    const group = this.groupsById.get(id);
    assert(group !== undefined, "a used colocation group exists");
    const first = tables[0];
    assert(first !== undefined, "a listed group has tables");
    for (const table of tables) {
      assert(table.shards.length === group.shardcount, "a group's tables have its shard count");
      if (table.kind === "hash") {
        const column = table.distributionColumn;
        assert(column !== null, "hash tables have a distribution column");
        assert(column.typeOid === group.distributioncolumntype, "group column type matches");
      }
      if (table.kind === "reference") {
        assert(group.replicationfactor === -1, "the reference group has replication factor -1");
      }
      assert(table.kind === first.kind, "a group holds one kind of table");
      assert(table.shards.length === first.shards.length, "colocated shard counts match");
      table.shards.forEach((shard, index) => checkColocatedShard(shard, first.shards[index]!));
    }
  }
}

function nameKey(schemaName: string, relationName: string): string {
  return `${schemaName}\u0000${relationName}`;
}

/** Groups shard rows by table and placement rows by shard, checking placement uniqueness. */
function groupShards(snapshot: MetadataSnapshot): Map<Oid, CachedShardDraft[]> {
  const placementsByShard = new Map<ShardId, DistPlacementRow[]>();
  const placementIds = new Set<number>();
  for (const placement of snapshot.placements) {
    assert(!placementIds.has(placement.placementid), "placement ids are unique");
    placementIds.add(placement.placementid);
    const list = placementsByShard.get(placement.shardid) ?? [];
    assert(list.every((p) => p.groupid !== placement.groupid), "one placement per shard and group");
    list.push(placement);
    placementsByShard.set(placement.shardid, list);
  }
  const byTable = new Map<Oid, CachedShardDraft[]>();
  for (const row of snapshot.shards) {
    const placements = placementsByShard.get(row.shardid) ?? [];
    assert(placements.length >= 1, `shard ${row.shardid} has at least one placement`);
    placementsByShard.delete(row.shardid);
    placements.sort((a, b) => a.placementid - b.placementid);
    const list = byTable.get(row.logicalrelid) ?? [];
    list.push({ row, placements });
    byTable.set(row.logicalrelid, list);
  }
  assert(placementsByShard.size === 0, "every placement belongs to a shard");
  return byTable;
}

interface CachedShardDraft {
  readonly row: DistShardRow;
  readonly placements: readonly DistPlacementRow[];
}

/** Builds one table entry, checking its row against its kind and its shards. */
function buildTable(input: CitusTableInput, drafts: readonly CachedShardDraft[]): CitusTable {
  const kind = tableKind(input.partition);
  checkPartitionRow(input, kind);
  for (const draft of drafts) {
    assert(draft.row.logicalrelid === input.partition.logicalrelid, "shard of this table");
  }
  if (kind !== "hash") {
    const shards = drafts.map((draft, index): CachedShard => ({ ...draft, index, range: null }));
    if (kind !== "append" && kind !== "range") {
      assert(shards.length === 1, "tables without a shard key have exactly one shard");
      assert(shards[0]!.row.shardminvalue === null, "a single shard has no bounds");
    }
    return Object.freeze({ ...input, kind, shards, ranges: [] });
  }
  const ranged = drafts
    .map((draft) => {
      const range = parseHashRange(draft.row.shardminvalue, draft.row.shardmaxvalue);
      return { draft, range };
    })
    .sort((a, b) => a.range.min - b.range.min);
  const ranges = ranged.map((entry) => entry.range);
  assertRangesCoverHashSpace(ranges);
  const shards = ranged.map(({ draft, range }, index): CachedShard => ({ ...draft, index, range }));
  return Object.freeze({ ...input, kind, shards, ranges });
}

/** Classifies a pg_dist_partition row as §1.2's table-type matrix does. */
export function tableKind(row: DistPartitionRow): CitusTableKind {
  switch (row.partmethod) {
    case "h": return "hash";
    case "a": return "append";
    case "r": return "range";
    case "n":
      if (row.repmodel === "t") return "reference";
      return row.colocationid === 0 ? "local" : "single-shard";
  }
}

function checkPartitionRow(input: CitusTableInput, kind: CitusTableKind): void {
  const row = input.partition;
  assert(input.schemaName.length > 0 && input.relationName.length > 0, "tables have names");
  if (row.partkey === null) {
    assert(input.distributionColumn === null, "no partkey, no distribution column");
    assert(kind !== "hash" && kind !== "append" && kind !== "range", "'n' tables only");
  } else {
    const column = input.distributionColumn;
    assert(column !== null, "a partkey names a distribution column");
    const key = parsePartitionKey(row.partkey);
    assert(key.attnum === column.attnum, "partkey and column agree on attnum");
    assert(key.typeOid === column.typeOid, "partkey and column agree on type");
  }
  if (kind === "hash" || kind === "reference" || kind === "single-shard") {
    assert(row.colocationid > 0, "hash, reference and single-shard tables are colocated");
  }
  if (kind === "hash") assert(row.repmodel === "s" || row.repmodel === "c", "hash repmodel");
  if (kind === "append" || kind === "range") assert(row.colocationid === 0, "not colocated");
}

/** Asserts shard i of two colocated tables has the same range and the same node groups. */
function checkColocatedShard(shard: CachedShard, peer: CachedShard): void {
  assert(shard.index === peer.index, "colocated shards compared by position");
  assert(shard.range?.min === peer.range?.min, "colocated shards share a range");
  assert(shard.range?.max === peer.range?.max, "colocated shards share a range");
  const groups = shard.placements.map((p) => p.groupid).sort((a, b) => a - b);
  const peerGroups = peer.placements.map((p) => p.groupid).sort((a, b) => a - b);
  assert(groups.join(",") === peerGroups.join(","), "colocated shards share node groups");
}
