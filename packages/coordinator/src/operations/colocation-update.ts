/**
 * update_distributed_table_colocation(table, colocate_with) (`citus-surface.md` §3.1,
 * Citus's `utils/colocation_utils.c`): changes only pg_dist_partition.colocationid, no data
 * moves. 'none' puts the table in a new group of its own (Citus's `BreakColocation`); a
 * table name puts it in that table's group (`MarkTablesColocated`) once the two are really
 * colocated: same replication model, distribution column type and collation, shard count,
 * shard ranges and placement nodes. A group left without tables is deleted.
 */
import { SqlError, SqlState, oid } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { TypeOid, type FunctionDef, type Value } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import type { MetadataState } from "../metadata/metadata-store.js";
import { undoOnRollback } from "./metadata-undo.js";
import { checkNotTenantTable } from "./schema-sharding.js";
import type { ShellRelation } from "./shard-ddl.js";
import { contextOf } from "./statement-contexts.js";
import { dropEmptyGroups } from "./table-rebuild.js";
import { resolveTable } from "./create-table.js";

/** The function definition for the coordinator's engine. */
export function colocationUpdateFunction(cluster: Cluster): FunctionDef {
  return {
    kind: "scalar", name: "update_distributed_table_colocation", volatility: "v",
    strict: true, argTypes: [TypeOid.regclass, TypeOid.text],
    argNames: ["table_name", "colocate_with"], returnType: TypeOid.void,
    impl: (args: readonly Value[], ctx) => {
      updateColocation(cluster, Number(args[0]), String(args[1]), contextOf(ctx));
      return null;
    },
  };
}


function updateColocation(cluster: Cluster, relationId: number, colocateWith: string,
  ctx: StatementContext): void {
  checkNotTenantTable(cluster, relationId, "update_distributed_table_colocation");
  const targetName = cluster.local.catalog.relation(relationId)?.name ?? String(relationId);
  const target = cluster.metadata.cache.table(oid(relationId));
  const before = target?.partition.colocationid;
  if (colocateWith.toLowerCase() === "none") {
    const table = hashOrSingleShard(target, targetName);
    change(cluster, ctx, relationId, (state) => ({
      id: state.nextColocationId, nextColocationId: state.nextColocationId + 1,
      row: { colocationid: state.nextColocationId, shardcount: table.shards.length,
        replicationfactor: table.shards[0]?.placements.length ?? 1,
        distributioncolumntype: table.distributionColumn?.typeOid ?? oid(0),
        distributioncolumncollation: table.distributionColumn?.collationOid ?? oid(0) },
    }), before);
    return;
  }
  const found = resolveTable(cluster, colocateWith, ctx);
  checkNotTenantTable(cluster, found.relation.oid, "colocate_with");
  if (found.citus?.kind === "local" || target?.kind === "local") {
    throw new SqlError(SqlState.internalError,
      "local tables cannot be colocated with other tables");
  }
  const source = hashOrSingleShard(found.citus, found.relation.name);
  const table = hashOrSingleShard(target, targetName);
  checkColocated(source, table);
  const groupId = source.partition.colocationid;
  change(cluster, ctx, relationId, () => ({ id: groupId }), before);
}

/** Citus's `EnsureHashOrSingleShardDistributedTable`. */
function hashOrSingleShard(table: CitusTable | undefined, name: string): CitusTable {
  if (table !== undefined && (table.kind === "hash" || table.kind === "single-shard")) {
    return table;
  }
  throw new SqlError(SqlState.featureNotSupported,
    `relation ${name} should be a hash or single shard distributed table`);
}

/**
 * Citus's `CheckReplicationModel`, `CheckDistributionColumnType` and
 * `ErrorIfShardPlacementsNotColocated`, source first.
 */
function checkColocated(source: CitusTable, target: CitusTable): void {
  const left = source.relationName;
  const right = target.relationName;
  const cannot = (detail: string): SqlError => new SqlError(SqlState.internalError,
    `cannot colocate tables ${left} and ${right}`, { detail });
  if (source.partition.repmodel !== target.partition.repmodel) {
    throw cannot(`Replication models don't match for ${left} and ${right}.`);
  }
  const type = (t: CitusTable): number => t.distributionColumn?.typeOid ?? 0;
  const collation = (t: CitusTable): number => t.distributionColumn?.collationOid ?? 0;
  if (type(source) !== type(target)) {
    throw cannot(`Distribution column types don't match for ${left} and ${right}.`);
  }
  if (collation(source) !== collation(target)) {
    throw cannot(`Distribution column collations don't match for ${left} and ${right}.`);
  }
  if (source.shards.length !== target.shards.length) {
    throw cannot(`Shard counts don't match for ${left} and ${right}.`);
  }
  for (const [i, l] of source.shards.entries()) {
    const r = target.shards[i]!;
    if (l.row.shardid === r.row.shardid) continue;
    if (source.kind !== target.kind || l.row.shardminvalue !== r.row.shardminvalue ||
      l.row.shardmaxvalue !== r.row.shardmaxvalue) {
      throw cannot(`Shard intervals don't match for ${left} and ${right}.`);
    }
    const lid = l.row.shardid;
    const rid = r.row.shardid;
    if (l.placements.length !== r.placements.length) {
      throw cannot(`Shard ${lid} of ${left} and shard ${rid} of ${right} have different ` +
        "number of shard placements.");
    }
    const groups = (s: typeof l): number[] => s.placements.map((p) => p.groupid)
      .sort((a, b) => a - b);
    const lg = groups(l);
    const rg = groups(r);
    if (lg.some((g, k) => g !== rg[k])) {
      throw cannot(`Shard ${lid} of ${left} and shard ${rid} of ${right} are not colocated.`);
    }
  }
}

interface GroupChoice {
  readonly id: number;
  readonly nextColocationId?: number;
  readonly row?: MetadataState["colocations"][number];
}

/** Moves the table to the chosen group (dropping its old one if empty), undone on rollback. */
function change(cluster: Cluster, ctx: StatementContext, relationId: number,
  choose: (state: MetadataState) => GroupChoice, before: number | undefined): void {
  const previous = cluster.metadata.snapshot;
  let chosen: GroupChoice | undefined;
  cluster.metadata.update((state) => {
    const choice = choose(state);
    chosen = choice;
    const next: MetadataState = { ...state,
      tables: state.tables.map((t) => (t.partition.logicalrelid === relationId
        ? { ...t, partition: { ...t.partition, colocationid: choice.id } } : t)),
      colocations: choice.row === undefined ? state.colocations
        : [...state.colocations, choice.row],
      nextColocationId: choice.nextColocationId ?? state.nextColocationId };
    return before === undefined ? next : dropEmptyGroups(next, [before]);
  });
  const oldGroup = previous.colocations.find((g) => g.colocationid === before);
  undoOnRollback(ctx, () => cluster.metadata.update((state) => {
    const groups = oldGroup === undefined ||
      state.colocations.some((g) => g.colocationid === oldGroup.colocationid)
      ? state.colocations : [...state.colocations, oldGroup];
    const back: MetadataState = { ...state, colocations: groups,
      tables: state.tables.map((t) => (t.partition.logicalrelid === relationId
        ? { ...t, partition: { ...t.partition, colocationid: before ?? 0 } } : t)) };
    return chosen?.row === undefined ? back : dropEmptyGroups(back, [chosen.id]);
  }));
}
