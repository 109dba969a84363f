/**
 * The rebalancer's SQL functions (`citus-surface.md` §3.3–3.4): rebalance_table_shards,
 * get_rebalance_table_shards_plan, citus_drain_node / master_drain_node,
 * replicate_reference_tables and citus_rebalance_start / _status / _wait / _stop, with
 * Citus's signatures, NOTICEs and errors. The planning is in `rebalancer.ts`, the moves in
 * `shard-transfer.ts`, the background jobs in `rebalance-jobs.ts`.
 */
import { SqlError, SqlState, assert, oid, shardId } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { TypeOid, type FunctionDef, type PgArray, type Value } from "@tessera/sql";
import { citusSetting, type Cluster } from "../cluster.js";
import { placementSize, prefetchShardSizes } from "./shard-sizes.js";
import { ensureReferenceTables } from "./reference-replication.js";
import {
  planInput, planRebalance, rebalanceTables, type PlanHooks, type PlannedMove,
  type RebalanceOptions,
} from "./rebalancer.js";
import { findStrategy } from "./rebalance-strategies.js";
import { jobStatus, runningJob, startJob, stopJob, waitForJob } from "./rebalance-jobs.js";
import {
  checkMovable, checkReplicaIdentity, colocatedShards, transferMode, transferShards,
  type TransferMode,
} from "./shard-transfer.js";
import { awaitedFunction, refuseInBlock, withDefaults } from "./shard-transfer-functions.js";
import { contextOf, notice } from "./statement-contexts.js";

const {
  regclass, float4, int4, int8, int8Array, text, bool, name, record, void: voidType,
  timestamptz, jsonb,
} = TypeOid;

const planColumns = [["table_name", regclass], ["shardid", int8], ["shard_size", int8],
  ["sourcename", text], ["sourceport", int4], ["targetname", text],
  ["targetport", int4]] as const;

const statusColumns = [["job_id", int8], ["state", text], ["job_type", name],
  ["description", text], ["started_at", timestamptz], ["finished_at", timestamptz],
  ["details", jsonb]] as const;

/** Returns the rebalancer's functions. */
export function rebalancerFunctions(cluster: Cluster): FunctionDef[] {
  const loose = { strict: false, returns: voidType };
  return [
    awaitedFunction("rebalance_table_shards", [["relation", regclass], ["threshold", float4],
      ["max_shard_moves", int4], ["excluded_shard_list", int8Array],
      ["shard_transfer_mode", text], ["drain_only", bool], ["rebalance_strategy", name]],
    [null, null, 1_000_000, emptyIds, "auto", false, null], loose, async (args, ctx) => {
      refuseInBlock(ctx, "rebalance_table_shards");
      await rebalanceTableShards(cluster, args, ctx);
      return null;
    }),
    {
      kind: "srf", name: "get_rebalance_table_shards_plan", volatility: "v", strict: false,
      argTypes: [regclass, float4, int4, int8Array, bool, name, float4],
      argNames: ["relation", "threshold", "max_shard_moves", "excluded_shard_list",
        "drain_only", "rebalance_strategy", "improvement_threshold"],
      defaultCount: 7, defaults: [null, null, 1_000_000, emptyIds, false, null, null],
      returnType: record, outColumns: planColumns.map(([n, type]) => ({ name: n, type })),
      impl: (args, evalCtx) => planRows(cluster, withDefaults(args, 7,
        [null, null, 1_000_000, emptyIds, false, null, null]), contextOf(evalCtx)),
    },
    ...["citus_drain_node", "master_drain_node"].map((fn) => awaitedFunction(fn,
      [["nodename", text], ["nodeport", int4], ["shard_transfer_mode", text],
        ["rebalance_strategy", name]], ["auto", null], loose, async (args, ctx) => {
        refuseInBlock(ctx, fn);
        await drainNode(cluster, args, ctx);
        return null;
      })),
    awaitedFunction("replicate_reference_tables", [["shard_transfer_mode", text]], ["auto"],
      { strict: true, returns: voidType }, async (args, ctx) => {
        transferMode(args[0]);
        await ensureReferenceTables(cluster, ctx);
        return null;
      }),
    ...jobFunctions(cluster),
  ];
}

const emptyIds: PgArray = { kind: "array", elementType: int8, dims: [], lowerBounds: [],
  items: [] };

function notNull(args: readonly Value[], index: number, argName: string):
  NonNullable<Value> {
  const value = args[index];
  if (value === null || value === undefined) {
    throw new SqlError(SqlState.nullValueNotAllowed, `${argName} cannot be NULL`);
  }
  return value;
}

/** Reads the options shared by rebalance_table_shards and the plan function. */
function readOptions(cluster: Cluster, args: readonly Value[], ctx: StatementContext,
  at: { drainOnly: number; strategy: number; improvement?: number }): RebalanceOptions {
  const relationId = args[0] === null || args[0] === undefined ? null : Number(args[0]);
  if (relationId !== null) {
    const relation = cluster.local.catalog.relation(relationId);
    checkMovable(cluster.metadata.cache.table(oid(relationId)), relation);
  }
  const excluded = notNull(args, 3, "excluded_shard_list");
  assert(typeof excluded === "object" && "kind" in excluded && excluded.kind === "array",
    "excluded_shard_list is a bigint[]");
  const improvement = at.improvement === undefined ? null : args[at.improvement] ?? null;
  return {
    relationId, threshold: args[1] === null || args[1] === undefined ? null : Number(args[1]),
    maxShardMoves: Number(notNull(args, 2, "max_shard_moves")),
    excludedShards: excluded.items.map((id) => Number(id)),
    drainOnly: notNull(args, at.drainOnly, "drain_only") === true,
    strategy: nameArg(args[at.strategy]),
    improvementThreshold: improvement === null ? null : Number(improvement),
    replicationFactor: Number(citusSetting(ctx, "citus.shard_replication_factor", "1")),
  };
}

function nameArg(value: Value | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** Plan hooks over a statement: its NOTICEs and WARNINGs, sizes prefetched for it. */
function planHooks(ctx: StatementContext): PlanHooks {
  return {
    warning: (message, detail) => ctx.notice(new SqlError(SqlState.warning, message,
      { severity: "WARNING", ...(detail !== undefined && { detail }) })),
    notice: (message, fields) => notice(ctx, message, fields),
    placementBytes: (shardId, groupid) => placementSize(ctx, shardId, groupid),
  };
}

/** get_rebalance_table_shards_plan: every shard each move carries, colocated ones too. */
function planRows(cluster: Cluster, args: readonly Value[], ctx: StatementContext): Value[][] {
  const options = readOptions(cluster, args, ctx, { drainOnly: 4, strategy: 5,
    improvement: 6 });
  const moves = planRebalance(planInput(cluster), options, planHooks(ctx));
  return moves.flatMap((move) => {
    const found = cluster.metadata.cache.shard(shardId(move.shardId))!;
    return colocatedShards(cluster, found.table, found.shard.index).map((member): Value[] => {
      const placement = member.shard.placements.find((p) => p.groupid === move.source.groupid);
      return [member.table.partition.logicalrelid, BigInt(member.shard.row.shardid),
        BigInt(placement?.shardlength ?? 0), move.source.nodename, move.source.nodeport,
        move.target.nodename, move.target.nodeport];
    });
  });
}

/** Refuses a second rebalance while a background one runs (`ErrorOnConcurrentRebalance`). */
function checkNoRunningJob(): void {
  const job = runningJob();
  if (job === undefined) return;
  throw new SqlError(SqlState.internalError, `A rebalance is already running as job ` +
    `${job.jobId}`, { detail: "A rebalance was already scheduled as background job",
    hint: "To monitor progress, run: SELECT * FROM citus_rebalance_status();" });
}

/** Plans with the shard sizes of by_disk_size fetched from the nodes first. */
async function plan(cluster: Cluster, options: RebalanceOptions,
  ctx: StatementContext): Promise<PlannedMove[]> {
  if (findStrategy(options.strategy).shardCost === "disk-size") {
    await prefetchShardSizes(cluster, ctx);
  }
  return planRebalance(planInput(cluster), options, planHooks(ctx));
}

async function rebalanceTableShards(cluster: Cluster, args: readonly Value[],
  ctx: StatementContext): Promise<void> {
  const options = readOptions(cluster, args, ctx, { drainOnly: 5, strategy: 6 });
  const mode = transferMode(notNull(args, 4, "shard_transfer_mode"));
  findStrategy(options.strategy);
  if (rebalanceTables(cluster.metadata.cache, options.relationId).length === 0) {
    await ensureReferenceTables(cluster, ctx);
    return;
  }
  checkNoRunningJob();
  await runMoves(cluster, await plan(cluster, options, ctx), mode, ctx);
}

/** Carries out planned moves one group at a time, with Citus's NOTICE before each. */
async function runMoves(cluster: Cluster, moves: readonly PlannedMove[], mode: TransferMode,
  ctx: StatementContext): Promise<void> {
  if (mode === "auto") checkIdentities(cluster, moves);
  await ensureReferenceTables(cluster, ctx);
  for (const move of moves) {
    const { source, target } = move;
    notice(ctx, `Moving shard ${move.shardId} from ${source.nodename}:${source.nodeport} to ` +
      `${target.nodename}:${target.nodeport} ...`);
    await transferShards(cluster, { kind: "move", shardId: move.shardId, mode,
      source: { host: source.nodename, port: source.nodeport },
      target: { host: target.nodename, port: target.nodeport } }, {
      signal: ctx.signal,
      warning: (message, detail) => ctx.notice(new SqlError(SqlState.warning, message,
        { severity: "WARNING", detail })),
    });
  }
}

function checkIdentities(cluster: Cluster, moves: readonly PlannedMove[]): void {
  for (const move of moves) {
    const found = cluster.metadata.cache.shard(shardId(move.shardId));
    if (found !== undefined) {
      checkReplicaIdentity(colocatedShards(cluster, found.table, found.shard.index));
    }
  }
}

/** citus_drain_node: shouldhaveshards off (kept even if a move fails), then drain moves. */
async function drainNode(cluster: Cluster, args: readonly Value[],
  ctx: StatementContext): Promise<void> {
  const host = String(notNull(args, 0, "nodename"));
  const port = Number(notNull(args, 1, "nodeport"));
  const mode = transferMode(notNull(args, 2, "shard_transfer_mode"));
  const strategy = nameArg(args[3]);
  findStrategy(strategy);
  const found = cluster.registry.find(host, port);
  if (found === undefined) {
    throw new SqlError(SqlState.internalError, `node ${host}:${port} not found`);
  }
  checkNoRunningJob();
  const node = cluster.registry.update(found.nodeid, { shouldhaveshards: false });
  const moves = await plan(cluster, {
    relationId: null, threshold: null, maxShardMoves: 0, excludedShards: [],
    drainOnly: true, strategy, improvementThreshold: null, drainNode: node,
    replicationFactor: Number(citusSetting(ctx, "citus.shard_replication_factor", "1")),
  }, ctx);
  await runMoves(cluster, moves, mode, ctx);
}

/** citus_rebalance_start / _status / _wait / _stop. */
function jobFunctions(cluster: Cluster): FunctionDef[] {
  return [
    awaitedFunction("citus_rebalance_start", [["rebalance_strategy", name],
      ["drain_only", bool], ["shard_transfer_mode", text],
      ["parallel_transfer_reference_tables", bool],
      ["parallel_transfer_colocated_shards", bool]], [null, false, "auto", false, false],
    { strict: false, returns: int8 }, (args, ctx) => {
      refuseInBlock(ctx, "citus_rebalance_start");
      return rebalanceStart(cluster, args, ctx);
    }),
    {
      kind: "srf", name: "citus_rebalance_status", volatility: "v", strict: false,
      argTypes: [bool], argNames: ["raw"], defaultCount: 1, defaults: [false],
      returnType: record, outColumns: statusColumns.map(([n, type]) => ({ name: n, type })),
      impl: () => jobStatus(),
    },
    awaitedFunction("citus_rebalance_wait", [], [], { strict: false, returns: voidType },
      async (_args, ctx) => {
        if (!(await waitForJob())) {
          ctx.notice(new SqlError(SqlState.warning,
            "no ongoing rebalance that can be waited on", { severity: "WARNING" }));
        }
        return null;
      }),
    awaitedFunction("citus_rebalance_stop", [], [], { strict: false, returns: voidType },
      async () => {
        await stopJob();
        return null;
      }),
  ];
}

async function rebalanceStart(cluster: Cluster, args: readonly Value[],
  ctx: StatementContext): Promise<Value> {
  const strategy = findStrategy(nameArg(args[0]));
  const drainOnly = notNull(args, 1, "drain_only") === true;
  const mode = transferMode(notNull(args, 2, "shard_transfer_mode"));
  notNull(args, 3, "parallel_transfer_reference_tables");
  notNull(args, 4, "parallel_transfer_colocated_shards");
  if (rebalanceTables(cluster.metadata.cache, null).length === 0) {
    notice(ctx, "No tables to rebalance");
    return null;
  }
  checkNoRunningJob();
  const moves = await plan(cluster, {
    relationId: null, threshold: null, maxShardMoves: 10_000_000, excludedShards: [],
    drainOnly, strategy: strategy.name, improvementThreshold: null,
    replicationFactor: Number(citusSetting(ctx, "citus.shard_replication_factor", "1")),
  }, ctx);
  if (moves.length === 0) {
    notice(ctx, "No moves available for rebalancing");
    return null;
  }
  if (mode === "auto") checkIdentities(cluster, moves);
  await ensureReferenceTables(cluster, ctx);
  const jobId = startJob(cluster, moves, mode);
  notice(ctx, `Scheduled ${moves.length} moves as job ${jobId}`, {
    detail: "Rebalance scheduled as background job",
    hint: "To monitor progress, run: SELECT * FROM citus_rebalance_status();" });
  return BigInt(jobId);
}
