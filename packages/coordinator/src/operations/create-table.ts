/**
 * create_distributed_table and create_reference_table (`citus-surface.md` §3.1): check the
 * shell table against Citus's rules, decide its colocation group and shards, create the
 * shards on their nodes, record the metadata, and copy the rows the table already holds.
 *
 *     checks (column, type, constraints)  ->  decideHashColocation / decideReferenceColocation
 *     -> planHashShards | planColocatedShards | planReferenceShard
 *     -> CREATE TABLE <table>_<shardid> on every placement, one message per node
 *        (`commands/shard-command-batch.ts`)  ->  MetadataStore.update
 *     -> copy local rows (NOTICEs; the local rows stay until
 *        truncate_local_data_after_distributing_table)
 */
import { checkDistributingPartitions, distributePartitioned } from "./distribute-partitioned.js";
import { SqlError, SqlState, assert, oid, type Oid } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { inheritorsOf, triggersOf } from "@tessera/engine";
import { formatType, parseStatements, type Row } from "@tessera/sql";
import { citusFlag, citusSetting, shardNodes, type Cluster } from "../cluster.js";
import { shardTriggerStatements, unsafeTriggersSetting } from "../commands/citus-triggers.js";
import { runShardCommands, type ShardCommand } from "../commands/shard-command-batch.js";
import { formatPartitionKey, type DistPartitionRow } from "../metadata/catalog-model.js";
import {
  decideHashColocation, decideReferenceColocation, type ColocateWith, type ColocationDecision,
} from "../metadata/colocation.js";
import { checkHashableType } from "../metadata/hash.js";
import type { CitusTable, CitusTableInput } from "../metadata/metadata-cache.js";
import {
  planColocatedShards, planHashShards, planReferenceShard, type PlannedShard, type ShardPlan,
} from "../metadata/placement.js";
import { checkShardCount } from "../metadata/shard-ranges.js";
import { liveColumns } from "../planner/insert-tasks.js";
import { router, textFormat } from "../commands/copy.js";
import { ShardCopyWriter } from "../commands/copy-shards.js";
import { copyField, shardCopyOptions } from "../commands/copy-text.js";
import { valueText } from "../executor/tasks.js";
import { notice } from "./statement-contexts.js";
import { schemaCommands } from "./schema-propagation.js";
import { forgetTables, undoOnRollback } from "./metadata-undo.js";
import { checkDistributeForeignKeys, shardForeignKeys } from "../commands/foreign-keys.js";
import {
  qualifiedName, qualifiedShard, shardCreateStatements, type ShellRelation,
} from "./shard-ddl.js";

export interface DistributeRequest {
  readonly relationId: number;
  readonly column: string;
  readonly colocateWith: string;
  readonly shardCount: number | null;
}

/** create_distributed_table(table, column, 'hash', colocate_with, shard_count). */
export async function createDistributedTable(cluster: Cluster, request: DistributeRequest,
  ctx: StatementContext): Promise<void> {
  const namedGroup = !["default", "none"].includes(request.colocateWith.toLowerCase());
  if (request.shardCount !== null && namedGroup) {
    throw new SqlError(SqlState.internalError,
      "Cannot use colocate_with with a table and shard_count at the same time");
  }
  const relation = shellRelation(cluster, request.relationId, true,
    citusFlag(ctx, unsafeTriggersSetting));
  const column = relation.columns.findIndex((c) => !c.dropped && c.name === request.column);
  if (column < 0) {
    throw new SqlError(SqlState.undefinedColumn,
      `column "${request.column}" of relation "${relation.name}" does not exist`);
  }
  const def = relation.columns[column]!;
  checkHashableType(def.type, formatType(def.type, -1));
  if (def.generated !== null) {
    throw new SqlError(SqlState.featureNotSupported, `cannot distribute relation: ${relation.name}`,
      { detail: "Distribution column must not use GENERATED ALWAYS AS (...) STORED." });
  }
  checkUniqueConstraints(relation, column);
  const explicit = request.shardCount !== null;
  const shardCount = request.shardCount ?? Number(citusSetting(ctx, "citus.shard_count", "32"));
  checkShardCount(shardCount);
  const replicationFactor = Number(citusSetting(ctx, "citus.shard_replication_factor", "1"));
  const collation = [25, 1043, 1042, 19].includes(def.type) ? 100 : 0;
  const decision = decideHashColocation(cluster.metadata.cache, {
    relationName: relation.name, colocateWith: colocateWith(cluster, request.colocateWith, ctx),
    shardCount, shardCountExplicit: explicit, replicationFactor,
    replicationModel: replicationFactor === 1 ? "s" : "c",
    columnTypeOid: oid(def.type), columnCollationOid: oid(collation),
    schemaColocationIds: new Set(),
  });
  const partition = (colocationid: number): DistPartitionRow => ({
    logicalrelid: oid(relation.oid), partmethod: "h",
    partkey: formatPartitionKey({ attnum: column + 1, typeOid: oid(def.type),
      typmod: def.typmod, collationOid: oid(collation) }),
    colocationid, repmodel: replicationFactor === 1 ? "s" : "c", autoconverted: false,
  });
  const input = (colocationid: number): CitusTableInput => ({
    partition: partition(colocationid), schemaName: relation.schema, relationName: relation.name,
    distributionColumn: { name: def.name, attnum: column + 1, typeOid: oid(def.type),
      collationOid: oid(collation) },
  });
  checkDistributeForeignKeys(cluster, relation, { kind: "hash", column,
    colocationId: decision.kind === "existing" ? decision.colocationId : null });
  await withCoordinatorIfClusterEmpty(cluster, ctx, async () => {
    const plan = planShards(cluster, relation, decision, replicationFactor, shardCount, ctx);
    // A partitioned table takes its partitions along (`distribute-partitioned.ts`).
    await (relation.partitionKey === undefined ? distribute : distributePartitioned)(cluster,
      relation, { decision, plan, input }, ctx);
  });
}

/** create_reference_table(table). */
export async function createReferenceTable(cluster: Cluster, relationId: number,
  ctx: StatementContext): Promise<void> {
  const relation = shellRelation(cluster, relationId, false,
    citusFlag(ctx, unsafeTriggersSetting));
  checkDistributeForeignKeys(cluster, relation, { kind: "reference" });
  await withCoordinatorIfClusterEmpty(cluster, ctx, async () => {
    const decision = decideReferenceColocation(cluster.metadata.cache);
    const sequences = cluster.metadata.sequences;
    const plan = planReferenceShard({
      relationId: oid(relation.oid), nodes: cluster.registry.list(),
      nextShardId: nextShardId(cluster, ctx), nextPlacementId: sequences.nextPlacementId,
    });
    const input = (colocationid: number): CitusTableInput => ({
      partition: { logicalrelid: oid(relation.oid), partmethod: "n", partkey: null,
        colocationid, repmodel: "t", autoconverted: false },
      schemaName: relation.schema, relationName: relation.name, distributionColumn: null,
    });
    await distribute(cluster, relation, { decision, plan, input }, ctx);
  });
}

export interface Distribution {
  readonly decision: ColocationDecision;
  readonly plan: ShardPlan;
  readonly input: (colocationid: number) => CitusTableInput;
}

/** Creates the shards, records the metadata and copies the local rows. */
export async function distribute(cluster: Cluster, relation: ShellRelation, how: Distribution,
  ctx: StatementContext): Promise<void> {
  const commands: ShardCommand[] = [];
  for (const [index, planned] of how.plan.shards.entries()) {
    const id = planned.shard.shardid;
    const statements = [...shardCreateStatements(relation, id),
      ...shardForeignKeys(cluster, relation, index, id).map((fk) =>
        `ALTER TABLE ${qualifiedShard(relation, id)} ADD ${fk}`)];
    for (const node of shardNodes(cluster, planned)) {
      for (const sql of statements) commands.push({ sql, node, shardId: id });
    }
  }
  // The schema first on each node, in the same message as the node's shards.
  const schemas = schemaCommands([relation.schema], commands.map((c) => c.node));
  await runShardCommands(cluster, [...schemas, ...commands], ctx);
  cluster.metadata.update((state) => {
    const isNew = how.decision.kind === "new";
    const colocationid = how.decision.kind === "new" ? state.nextColocationId
      : how.decision.colocationId;
    return {
      ...state,
      tables: [...state.tables, how.input(colocationid)],
      shards: [...state.shards, ...how.plan.shards.map((s) => s.shard)],
      placements: [...state.placements, ...how.plan.shards.flatMap((s) => s.placements)],
      colocations: how.decision.kind === "new"
        ? [...state.colocations, { colocationid, ...how.decision.group }] : state.colocations,
      nextShardId: Math.max(state.nextShardId, how.plan.nextShardId),
      nextPlacementId: how.plan.nextPlacementId,
      nextColocationId: isNew ? state.nextColocationId + 1 : state.nextColocationId,
    };
  });
  consumeShardIdSetting(ctx, how.plan.nextShardId);
  const forget = (): void => void forgetTables(cluster, new Set([relation.oid]));
  // Triggers once the rows are in, so they do not fire for the copy (`citus-triggers.ts`).
  const load = async (): Promise<void> => {
    await copyLocalRows(cluster, relation, ctx);
    await runShardCommands(cluster, how.plan.shards.flatMap((planned) =>
      shardTriggerStatements(cluster, relation, planned.shard.shardid).flatMap((sql) =>
        shardNodes(cluster, planned).map((node) =>
          ({ sql, node, shardId: planned.shard.shardid })))), ctx);
  };
  if (undoOnRollback(ctx, forget)) {
    await load();
    return;
  }
  // No block holds the new shards and rows: a failed copy takes both back here.
  try {
    await load();
  } catch (error) {
    forget();
    const drops = how.plan.shards.flatMap((planned) => shardNodes(cluster, planned).map(
      (node) => ({ node, shardId: planned.shard.shardid,
        sql: `DROP TABLE IF EXISTS ${qualifiedShard(relation, planned.shard.shardid)}` })));
    await runShardCommands(cluster, drops, ctx).catch(() => undefined);
    throw error;
  }
}

/** Plans the shards of a hash table: copies of a colocated table's, or round-robin. */
function planShards(cluster: Cluster, relation: ShellRelation, decision: ColocationDecision,
  replicationFactor: number, shardCount: number, ctx: StatementContext): ShardPlan {
  const sequences = cluster.metadata.sequences;
  const base = { relationId: oid(relation.oid), nextShardId: nextShardId(cluster, ctx),
    nextPlacementId: sequences.nextPlacementId };
  if (decision.kind === "existing" && decision.sourceTable !== undefined) {
    const source: PlannedShard[] = decision.sourceTable.shards.map((s) => ({
      shard: s.row, placements: s.placements,
    }));
    return planColocatedShards({ ...base, source });
  }
  return planHashShards({ ...base, shardCount, replicationFactor,
    nodes: cluster.registry.list() });
}

/**
 * Single-node mode, as Citus's `InsertCoordinatorIfClusterEmpty`: with no node at all in
 * pg_dist_node, the first distributed or reference table adds the coordinator itself
 * (`localhost`, its own port, group 0, shouldhaveshards true), so its shards live on the
 * coordinator, for the length of `work`: a failure or a block that rolls back takes the row
 * back out.
 */
export async function withCoordinatorIfClusterEmpty(cluster: Cluster, ctx: StatementContext,
  work: () => Promise<void>): Promise<void> {
  const registry = cluster.registry;
  if (registry.list().length > 0) return work();
  const node = registry.setCoordinator("localhost", Number(citusSetting(ctx, "port", "5432")));
  registry.update(node.nodeid, { shouldhaveshards: true });
  let present = true;
  const undo = (): void => {
    if (!present) return;
    present = false;
    registry.remove(node.nodeid);
  };
  undoOnRollback(ctx, undo);
  try {
    await work();
  } catch (error) {
    undo();
    throw error;
  }
}

/**
 * As Citus's `GetNextShardId`, a set citus.next_shard_id is consumed: once shards up to (not
 * including) `next` were taken from it, the session's setting moves on to `next`, so the next
 * table continues after them.
 */
export function consumeShardIdSetting(ctx: StatementContext, next: number): void {
  const setting = Number(citusSetting(ctx, "citus.next_shard_id", "0"));
  if (!Number.isSafeInteger(setting) || setting <= 0 || next <= setting) return;
  ctx.setSetting?.("citus.next_shard_id", String(next), false);
}

/** citus.next_shard_id when set, else the sequence. */
export function nextShardId(cluster: Cluster, ctx: StatementContext): number {
  const setting = Number(citusSetting(ctx, "citus.next_shard_id", "0"));
  const sequence = cluster.metadata.sequences.nextShardId;
  if (!Number.isSafeInteger(setting) || setting <= 0) return sequence;
  const used = [...cluster.metadata.cache.tables()].flatMap((t) => t.shards)
    .some((s) => s.row.shardid >= setting && s.row.shardid < setting + 64_000);
  if (used) {
    throw new SqlError(SqlState.invalidParameterValue,
      `citus.next_shard_id ${setting} would reuse existing shard ids`);
  }
  return setting;
}

/** Rows read from the shell table at a time while its rows are copied into the shards. */
const copyPageRows = 10_000;

/**
 * Copies the shell table's rows into its new shards, with Citus's NOTICEs: the local rows
 * are read a page at a time, printed as COPY text and streamed to the shards as COPY
 * (`commands/copy-shards.ts`), routed by the hash of their distribution column.
 */
export async function copyLocalRows(cluster: Cluster, relation: ShellRelation,
  ctx: StatementContext): Promise<void> {
  const table = cluster.metadata.cache.table(oid(relation.oid));
  assert(table !== undefined, "the table was just distributed");
  const live = liveColumns(relation);
  const columns = live.map((c) => `"${c.name.replace(/"/g, '""')}"`);
  const stmt = parseStatements(`SELECT ${columns.join(", ")} FROM ${qualifiedName(relation)}`)[0];
  assert(stmt !== undefined, "the copy query parses");
  const cursor = cluster.local.prepare(stmt.stmt, [], ctx).open([], ctx);
  const target = { table, relation };
  const format = textFormat();
  const writer = new ShardCopyWriter(cluster, { table, relation,
    columns: live.map((c) => c.name), options: shardCopyOptions(format) }, ctx);
  const route = router(target);
  const at = table.distributionColumn === null ? -1
    : live.findIndex((c) => c.name === table.distributionColumn?.name);
  const types = live.map((c) => c.type);
  let copied = 0;
  try {
    for (;;) {
      const page = await cursor.fetch(copyPageRows);
      if (copied === 0 && page.rows.length > 0) notice(ctx, "Copying data from local table...");
      for (const row of page.rows) {
        const line = row.map((v, i) => copyField(valueText(v, types[i]!), format)).join("\t");
        writer.add(route(at < 0 ? null : row[at] ?? null), line, ++copied);
      }
      await writer.pressure;
      if (page.commandTag !== undefined || page.rows.length < copyPageRows) break;
    }
    await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  } finally {
    cursor.close();
  }
  if (copied === 0) return;
  notice(ctx, "copying the data has completed", {
    detail: "The local data in the table is no longer visible, but is still on disk.",
    hint: "To remove the local data, run: SELECT truncate_local_data_after_distributing_table(" +
      `$$${relation.schema}.${relation.name}$$)`,
  });
}

/**
 * Returns the shell table, refusing tables Citus will not distribute; `hash` is true for
 * hash distribution, the only one a partitioned table takes.
 */
export function shellRelation(cluster: Cluster, relationId: number, hash = false,
  unsafeTriggers = false): ShellRelation {
  const relation = cluster.local.catalog.relation(relationId);
  // Below FirstNormalObjectId (16384): pg_class and the other system catalogs.
  if (relationId < 16384 && (relation === undefined || relation.schema === "pg_catalog")) {
    throw new SqlError(SqlState.featureNotSupported,
      "cannot create a citus table from a catalog table");
  }
  if (relation === undefined || relation.kind !== "r" || relation.virtualRows !== undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation with OID ${relationId} does not exist`);
  }
  if (relation.schema.startsWith("pg_temp")) {
    throw new SqlError(SqlState.featureNotSupported, "cannot distribute a temporary table");
  }
  refuseInheritance(cluster, relation);
  checkDistributingPartitions(cluster, relation, hash);
  if (cluster.metadata.cache.table(oid(relation.oid)) !== undefined) {
    throw new SqlError(SqlState.invalidTableDefinition,
      `table "${relation.name}" is already distributed`);
  }
  // Citus refuses them unless citus.enable_unsafe_triggers is on (`citus-triggers.ts`).
  if (!unsafeTriggers && triggersOf(cluster.local.catalog, relation.oid).length > 0) {
    throw new SqlError(SqlState.internalError,
      `cannot distribute relation "${relation.name}" because it has triggers`,
      { hint: `Consider dropping all the triggers on "${relation.name}" and retry.` });
  }
  return relation;
}

/**
 * Citus's EnsureRelationKindSupported: a table that inherits or is inherited (table
 * inheritance, not partitioning) cannot become a Citus table (42809).
 */
function refuseInheritance(cluster: Cluster, relation: ShellRelation): void {
  const catalog = cluster.local.catalog;
  const local = catalog.relation(relation.oid);
  if (local === undefined) return;
  if ((local.inheritsFrom ?? []).length === 0 && inheritorsOf(catalog, local).length === 0) {
    return;
  }
  throw new SqlError(SqlState.wrongObjectType,
    `${relation.name} is not a regular, foreign or partitioned table`);
}

/** PRIMARY KEY and UNIQUE must include the distribution column (Citus §6 #1). */
function checkUniqueConstraints(relation: ShellRelation, column: number): void {
  for (const index of relation.indexes) {
    const exclusion = index.exclusion;
    if (exclusion !== undefined) {
      // EXCLUDE must compare the distribution column with `=` (Citus §6 #1).
      if (exclusion.columns.some((c, k) => c === column && exclusion.operators[k] === "=")) {
        continue;
      }
      throw constraintError(relation.name);
    }
    if (!index.unique || index.columns.includes(column)) continue;
    throw constraintError(relation.name);
  }
}

/** The error for a UNIQUE/PRIMARY KEY without the distribution column. */
export function constraintError(relationName: string): SqlError {
  return new SqlError(SqlState.featureNotSupported, `cannot create constraint on "${relationName}"`,
    { detail: "Distributed relations cannot have UNIQUE, EXCLUDE, or PRIMARY KEY constraints " +
      "that do not include the partition column (with an equality operator if EXCLUDE)." });
}

/** A relation named by colocate_with text, and its Citus table if it is one. */
export function resolveTable(cluster: Cluster, text: string, ctx: StatementContext):
  { readonly relation: ShellRelation; readonly citus: CitusTable | undefined } {
  const path = cluster.local.statementScope([], ctx).path;
  const parts = text.split(".");
  const relation = cluster.local.catalog.findRelation(path,
    parts.length > 1 ? parts[0] : undefined, parts.at(-1)!);
  if (relation === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${text}" does not exist`);
  }
  return { relation, citus: cluster.metadata.cache.table(oid(relation.oid)) };
}

/** Reads colocate_with: 'default', 'none' or the name of a distributed table. */
export function colocateWith(cluster: Cluster, text: string,
  ctx: StatementContext): ColocateWith {
  const lowered = text.toLowerCase();
  if (lowered === "default") return { kind: "default" };
  if (lowered === "none") return { kind: "none" };
  const table = resolveTable(cluster, text, ctx).citus;
  if (table === undefined) {
    throw new SqlError(SqlState.internalError, `relation ${text} is not distributed`);
  }
  return { kind: "table", table };
}
