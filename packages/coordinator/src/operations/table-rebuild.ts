/**
 * The rebuild behind alter_distributed_table (Citus's `ConvertTable` for
 * ALTER_DISTRIBUTED_TABLE): a hash table gets new shards laid out by a new distribution
 * column, shard count or colocation group, its rows move into them, the old shards go.
 *
 * Citus builds a second table and swaps it in; here the shell table on the coordinator stays
 * as it is (same OID), so its indexes, constraints, defaults, owned sequences, views and
 * foreign keys need no rebuilding: only the shards and the metadata change.
 *
 *     NOTICE creating a new table   CREATE TABLE <table>_<new id> on the planned placements
 *     NOTICE moving the data        each old shard's rows are read and sent, routed by the new
 *                                   layout's distribution column, as COPY
 *                                   (`commands/copy-shards.ts`)
 *     NOTICE dropping the old       one metadata update switches the table to the new shards;
 *                                   DROP TABLE <table>_<old id> on the old placements
 *     NOTICE renaming the new table (nothing left to do: the shell keeps its name)
 *     foreign keys of the new shards, once every rebuilt table of the call is done
 *
 * All of it runs in one distributed transaction: the caller's transaction block, or one of the
 * call's own, committed at the end (two-phase with several nodes). The old shards are locked
 * IN EXCLUSIVE MODE on their nodes first (writes wait, reads go on); outside a block the
 * coordinator holds back new writes to the tables (`move-gate.ts`), and from the metadata
 * switch on their reads too, until the commit.
 */
import { SqlError, SqlState, assert, oid } from "@tessera/base";
import type { StatementContext, TransactionHandle } from "@tessera/engine";
import { defaultFormatContext, typeOf } from "@tessera/sql";
import { shardNodes, type Cluster } from "../cluster.js";
import { router, textFormat } from "../commands/copy.js";
import { ShardCopyWriter } from "../commands/copy-shards.js";
import { copyField, shardCopyOptions } from "../commands/copy-text.js";
import { shardForeignKeys } from "../commands/foreign-keys.js";
import { runShardCommands, type ShardCommand } from "../commands/shard-command-batch.js";
import {
  DistributedTransaction, blockOf, isolationOf,
} from "../connection/remote-transaction.js";
import { runTasks } from "../executor/tasks.js";
import type { ColocationDecision } from "../metadata/colocation.js";
import {
  MetadataCache, type CitusTable, type CitusTableInput,
} from "../metadata/metadata-cache.js";
import type { MetadataState } from "../metadata/metadata-store.js";
import { quoteIdentifier } from "../metadata/naming.js";
import type { ShardPlan } from "../metadata/placement.js";
import { liveColumns } from "../planner/insert-tasks.js";
import { undoOnRollback } from "./metadata-undo.js";
import { raiseFence, settle, type MoveFence } from "./move-gate.js";
import { schemaCommands } from "./schema-propagation.js";
import { qualifiedShard, shardCreateStatements, type ShellRelation } from "./shard-ddl.js";
import { notice } from "./statement-contexts.js";

/** The new layout of one table: its colocation group, shards and pg_dist_partition row. */
export interface NewLayout {
  readonly decision: ColocationDecision;
  readonly plan: ShardPlan;
  readonly input: (colocationid: number) => CitusTableInput;
}

/** What a rebuild runs in: its context (with the transaction) and the fence, if any. */
export interface RebuildRun {
  readonly ctx: StatementContext;
  readonly fence: MoveFence | undefined;
}

/**
 * Runs `work` in one distributed transaction: the caller's block, or one of its own that
 * commits when `work` succeeds and rolls back (with `undo`s run) when it fails.
 */
export async function inOneTransaction(cluster: Cluster, ctx: StatementContext,
  tables: ReadonlySet<number>, work: (run: RebuildRun) => Promise<void>): Promise<void> {
  if (blockOf(ctx) !== undefined) {
    await work({ ctx, fence: undefined });
    return;
  }
  const transaction = new DistributedTransaction(cluster.pools, ctx.backendPid,
    isolationOf(ctx), 0, undefined, (sent) => ctx.notice(sent), { statement: true });
  const handle: TransactionHandle = { status: "T", savepointDepth: 0,
    participant: transaction };
  const fence = raiseFence(tables);
  try {
    await settle();
    await work({ ctx: { ...ctx, transaction: handle }, fence });
    await transaction.commit({ synchronous: true });
  } catch (error) {
    await transaction.abort().catch(() => undefined);
    for (const undo of undos.get(handle)?.splice(0).reverse() ?? []) undo();
    throw error;
  } finally {
    undos.delete(handle);
    fence.lower();
  }
}

/** The undos of the calls' own transactions, by their handle. */
const undos = new WeakMap<TransactionHandle, (() => void)[]>();

/** Registers `undo` with the run's transaction: the call's own, or the caller's block. */
export function undoIfRolledBack(run: RebuildRun, undo: () => void): void {
  const handle = run.ctx.transaction;
  if (run.fence !== undefined && handle !== undefined) {
    const list = undos.get(handle) ?? [];
    list.push(undo);
    undos.set(handle, list);
    return;
  }
  const hooked = undoOnRollback(run.ctx, undo);
  assert(hooked, "a rebuild inside a block registers its undo with the block");
}

/** Locks the old shards of `tables` against writes on their nodes until the end. */
export async function lockOldShards(cluster: Cluster, tables: readonly CitusTable[],
  run: RebuildRun): Promise<void> {
  const commands: ShardCommand[] = [];
  for (const table of tables) {
    const relation = shellOf(cluster, table);
    for (const shard of table.shards) {
      for (const node of shardNodes(cluster, shard)) {
        commands.push({ node, shardId: shard.row.shardid,
          sql: `LOCK TABLE ${qualifiedShard(relation, shard.row.shardid)} IN EXCLUSIVE MODE` });
      }
    }
  }
  await runShardCommands(cluster, commands, run.ctx);
}

/** Rebuilds one table into `layout`, with Citus's four NOTICEs (see the top). */
export async function rebuildTable(cluster: Cluster, old: CitusTable, layout: NewLayout,
  run: RebuildRun): Promise<void> {
  const relation = shellOf(cluster, old);
  const name = `${relation.schema}.${relation.name}`;
  notice(run.ctx, `creating a new table for ${name}`);
  const commands: ShardCommand[] = [];
  for (const planned of layout.plan.shards) {
    const id = planned.shard.shardid;
    for (const node of shardNodes(cluster, planned)) {
      for (const sql of shardCreateStatements(relation, id)) {
        commands.push({ sql, node, shardId: id });
      }
    }
  }
  const schemas = schemaCommands([relation.schema], commands.map((c) => c.node));
  await runShardCommands(cluster, [...schemas, ...commands], run.ctx);
  notice(run.ctx, `moving the data of ${name}`);
  // The rows go by the new layout as the switch will publish it; reads use the old shards.
  const preview = MetadataCache.load(switchedState(cluster.metadata.snapshot, old, layout))
    .table(old.partition.logicalrelid);
  assert(preview !== undefined, "the switched metadata holds the table");
  await moveRows(cluster, old, preview, relation, run.ctx);
  notice(run.ctx, `dropping the old ${name}`);
  if (run.fence !== undefined) {
    // From the switch on, the shell's statements would read shards not committed yet.
    run.fence.holds = "all";
    await settle();
  }
  undoIfRolledBack(run, switchLayout(cluster, old, layout));
  const drops = old.shards.flatMap((shard) => shardNodes(cluster, shard).map((node) => ({
    node, shardId: shard.row.shardid,
    sql: `DROP TABLE IF EXISTS ${qualifiedShard(relation, shard.row.shardid)} CASCADE`,
  })));
  await runShardCommands(cluster, drops, run.ctx);
  notice(run.ctx, `renaming the new table to ${name}`);
}

/** Adds the foreign keys of the rebuilt tables' new shards. */
export async function addForeignKeys(cluster: Cluster, relationIds: readonly number[],
  run: RebuildRun): Promise<void> {
  const commands: ShardCommand[] = [];
  for (const relationId of relationIds) {
    const table = cluster.metadata.cache.table(oid(relationId));
    assert(table !== undefined, "a rebuilt table is a Citus table");
    const relation = shellOf(cluster, table);
    for (const shard of table.shards) {
      const id = shard.row.shardid;
      for (const fk of shardForeignKeys(cluster, relation, shard.index, id)) {
        for (const node of shardNodes(cluster, shard)) {
          commands.push({ node, shardId: id, sql: `ALTER TABLE ${qualifiedShard(relation, id)} ` +
            `ADD ${fk}` });
        }
      }
    }
  }
  await runShardCommands(cluster, commands, run.ctx);
}

/**
 * Reads each old shard's rows (its first active placement, in the run's transaction) and
 * sends them to the new shards, routed by the new layout's distribution column.
 */
async function moveRows(cluster: Cluster, old: CitusTable, table: CitusTable,
  relation: ShellRelation, ctx: StatementContext): Promise<void> {
  assert(table.distributionColumn !== null, "the new layout is hash");
  const live = liveColumns(relation);
  const list = live.map((c) => quoteIdentifier(c.name)).join(", ");
  const at = live.findIndex((c) => c.name === table.distributionColumn?.name);
  assert(at >= 0, "the distribution column is a live column");
  const key = live[at]!;
  const format = textFormat();
  const writer = new ShardCopyWriter(cluster, { table, relation, columns: live.map((c) => c.name),
    options: shardCopyOptions(format) }, ctx);
  const route = router({ table, relation });
  let line = 0;
  try {
    for (const shard of old.shards) {
      const [result] = await runTasks(cluster, [{ node: shardNodes(cluster, shard)[0]!,
        shardId: shard.row.shardid, params: [],
        sql: `SELECT ${list} FROM ${qualifiedShard(relation, shard.row.shardid)}` }], ctx);
      for (const row of result?.rows ?? []) {
        const text = row[at] ?? null;
        const value = text === null ? null
          : typeOf(key.type).input(text, key.typmod, defaultFormatContext);
        writer.add(route(value), row.map((v) => copyField(v, format)).join("\t"), ++line);
        await writer.pressure;
      }
    }
    await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/**
 * Switches `old`'s metadata to `layout` in one update (its old colocation group goes when no
 * table or distributed schema is left in it); returns what switches it back.
 */
function switchLayout(cluster: Cluster, old: CitusTable, layout: NewLayout): () => void {
  const relationId = old.partition.logicalrelid;
  const before = cluster.metadata.snapshot;
  const oldIds = new Set<number>(old.shards.map((s) => s.row.shardid));
  const newIds = new Set<number>(layout.plan.shards.map((s) => s.shard.shardid));
  const oldRow = before.tables.find((t) => t.partition.logicalrelid === relationId);
  assert(oldRow !== undefined, "the table has a pg_dist_partition row");
  const oldShards = before.shards.filter((s) => oldIds.has(s.shardid));
  const oldPlacements = before.placements.filter((p) => oldIds.has(p.shardid));
  const oldGroup = before.colocations.find((g) => g.colocationid === old.partition.colocationid);
  let newGroup: number | undefined;
  cluster.metadata.update((state) => {
    newGroup = layout.decision.kind === "new" ? state.nextColocationId : undefined;
    return switchedState(state, old, layout);
  });
  return () => cluster.metadata.update((state) => {
    const groups = state.colocations.some((g) => g.colocationid === oldGroup?.colocationid)
      || oldGroup === undefined ? state.colocations : [...state.colocations, oldGroup];
    const back = { ...state,
      tables: state.tables.map((t) => (t.partition.logicalrelid === relationId ? oldRow : t)),
      shards: [...state.shards.filter((s) => !newIds.has(s.shardid)), ...oldShards],
      placements: [...state.placements.filter((p) => !newIds.has(p.shardid)),
        ...oldPlacements],
      colocations: groups };
    return newGroup === undefined ? back : dropEmptyGroups(back, [newGroup]);
  });
}

/** `state` with `old` switched to `layout` (and its old group gone if left empty). */
function switchedState(state: MetadataState, old: CitusTable, layout: NewLayout):
  MetadataState {
  const relationId = old.partition.logicalrelid;
  const oldIds = new Set<number>(old.shards.map((s) => s.row.shardid));
  const isNew = layout.decision.kind === "new";
  const colocationid = layout.decision.kind === "new" ? state.nextColocationId
    : layout.decision.colocationId;
  const switched = { ...state,
    tables: state.tables.map((t) => (t.partition.logicalrelid === relationId
      ? layout.input(colocationid) : t)),
    shards: [...state.shards.filter((s) => !oldIds.has(s.shardid)),
      ...layout.plan.shards.map((s) => s.shard)],
    placements: [...state.placements.filter((p) => !oldIds.has(p.shardid)),
      ...layout.plan.shards.flatMap((s) => s.placements)],
    colocations: layout.decision.kind === "new"
      ? [...state.colocations, { colocationid, ...layout.decision.group }] : state.colocations,
    nextShardId: Math.max(state.nextShardId, layout.plan.nextShardId),
    nextPlacementId: Math.max(state.nextPlacementId, layout.plan.nextPlacementId),
    nextColocationId: isNew ? state.nextColocationId + 1 : state.nextColocationId,
  };
  return dropEmptyGroups(switched, [old.partition.colocationid]);
}

/** Removes the groups of `ids` that no table and no distributed schema uses any more. */
export function dropEmptyGroups(state: MetadataState, ids: readonly number[]): MetadataState {
  const used = new Set([...state.tables.map((t) => t.partition.colocationid),
    ...state.schemas.map((s) => s.colocationid)]);
  const gone = new Set(ids.filter((id) => !used.has(id)));
  if (gone.size === 0) return state;
  return { ...state, colocations: state.colocations.filter((g) => !gone.has(g.colocationid)) };
}

/** The shell table of a Citus table. */
export function shellOf(cluster: Cluster, table: CitusTable): ShellRelation {
  const relation = cluster.local.catalog.relation(table.partition.logicalrelid);
  if (relation === undefined) {
    throw new SqlError(SqlState.internalError,
      "cannot complete operation because no such table exists");
  }
  return relation;
}
