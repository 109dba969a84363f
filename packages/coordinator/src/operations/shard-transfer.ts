/**
 * Shard transfer (`D:operations/shard_transfer.c`): citus_move_shard_placement and
 * citus_copy_shard_placement move or copy a shard together with every colocated shard (the
 * shards at the same index of the tables of its colocation group) from one node to another.
 *
 *     checks (same node, table kind, target node, placements; Citus's messages and codes)
 *     -> fence the tables on the coordinator (`move-gate.ts`: new writes wait)
 *     -> BEGIN; LOCK TABLE <old shards> IN EXCLUSIVE MODE on the source (writes routed
 *        there already finish first; reads go on)
 *     -> CREATE TABLE <shards> on the target with the shell table's DDL (`shard-ddl.ts`)
 *     -> rows: a batched SELECT of each old shard, sent to the target as COPY text
 *     -> foreign keys of the new shards, once all of them are filled
 *     -> reads wait too; one metadata update moves (or adds) the placements; the fence
 *        comes down (statements now go to the target)
 *     -> move: DROP TABLE <old shards> in the transaction that holds the lock; COMMIT
 *
 * Every mode is carried out as 'block_writes': 'auto' and 'force_logical' are accepted
 * (and 'auto' still asks for a replica identity as Citus does), but the rows are copied
 * while writes wait. Citus defers the drop of the old shards to a cleanup record; here they
 * are dropped right after the metadata switch, under the same lock, so a write routed to
 * them before the switch fails instead of landing in a shard nobody reads.
 */
import { SqlError, SqlState, assert, shardId as toShardId } from "@tessera/base";
import { nodeOfGroup, type Cluster, type PlacementAddress } from "../cluster.js";
import { textFormat } from "../commands/copy.js";
import { copyField, shardCopyOptions } from "../commands/copy-text.js";
import { shardForeignKeys } from "../commands/foreign-keys.js";
import { shardTriggerStatements } from "../commands/citus-triggers.js";
import { shardStateActive } from "../metadata/catalog-model.js";
import type { CachedShard, CitusTable } from "../metadata/metadata-cache.js";
import { quoteIdentifier } from "../metadata/naming.js";
import type { DistNode } from "../metadata/node-registry.js";
import { liveColumns } from "../planner/insert-tasks.js";
import { raiseFence, settle } from "./move-gate.js";
import { schemaCreateStatement } from "./schema-propagation.js";
import {
  qualifiedName, qualifiedShard, shardCreateStatements, type ShellRelation,
} from "./shard-ddl.js";

export type TransferKind = "move" | "copy";
export type TransferMode = "auto" | "force_logical" | "block_writes";

export interface NodeName {
  readonly host: string;
  readonly port: number;
}

export interface TransferRequest {
  readonly kind: TransferKind;
  readonly shardId: number;
  readonly source: NodeName;
  readonly target: NodeName;
  readonly mode: TransferMode;
}

/** What a transfer reports to and is cancelled by. */
export interface TransferHooks {
  readonly signal?: AbortSignal;
  warning(message: string, detail: string): void;
}

/** One shard of the group being transferred. */
interface GroupShard {
  readonly table: CitusTable;
  readonly relation: ShellRelation;
  readonly shard: CachedShard;
}

/** Rows per batch read from the old shard and sent as one COPY. */
const copyBatchRows = 10_000;

/** Reads citus.shard_transfer_mode's labels; anything else is Postgres's enum error. */
export function transferMode(value: unknown): TransferMode {
  const text = String(value);
  if (text === "auto" || text === "force_logical" || text === "block_writes") return text;
  throw new SqlError(SqlState.invalidTextRepresentation,
    `invalid input value for enum citus.shard_transfer_mode: "${text}"`);
}

/** Moves or copies a shard and its colocated shards; Citus's `TransferShards`. */
export async function transferShards(cluster: Cluster, request: TransferRequest,
  hooks: TransferHooks): Promise<void> {
  const { kind, source, target } = request;
  if (source.host === target.host && source.port === target.port) {
    throw new SqlError(SqlState.invalidParameterValue, `cannot ${kind} shard to the same node`);
  }
  const found = cluster.metadata.cache.shard(toShardId(request.shardId));
  if (found === undefined) {
    throw new SqlError(SqlState.internalError,
      `could not find valid entry for shard ${request.shardId}`);
  }
  if (kind === "move") checkMovable(found.table);
  else checkCopyable(found.table);
  const targetNode = checkTargetNode(cluster, target, kind);
  const group = colocatedShards(cluster, found.table, found.shard.index);
  if (kind === "copy") checkNoForeignKeys(group);
  const sourceNode = cluster.registry.find(source.host, source.port);
  if (sourceNode === undefined) {
    // Citus's `IsShardListOnNode` says this of a source it cannot find, too.
    throw new SqlError(SqlState.featureNotSupported,
      "Moving shards to a non-existing node is not supported");
  }
  if (transferDone(group, sourceNode, targetNode, kind)) {
    hooks.warning(`shard is already present on node ${target.host}:${target.port}`,
      `${kind === "move" ? "Move" : "Copy"} may have already completed.`);
    return;
  }
  for (const member of group) checkPlacements(member, sourceNode, targetNode);
  if (request.mode === "auto") checkReplicaIdentity(group);
  const ids = group.map((m) => m.shard.row.shardid);
  if (ids.some((id) => transferring.has(id))) {
    throw new SqlError(SqlState.internalError, `could not acquire the lock required to ${kind} ` +
      qualifiedName({ schema: found.table.schemaName, name: found.table.relationName }), {
      detail: "It means that either a concurrent shard move or colocated distributed table " +
        "creation is happening.",
      hint: "Make sure that the concurrent operation has finished and re-run the command" });
  }
  for (const id of ids) transferring.add(id);
  try {
    await copyShardGroup(cluster, group, {
      kind, source: nodeOfGroup(cluster, sourceNode.groupid),
      target: nodeOfGroup(cluster, targetNode.groupid),
    }, hooks.signal);
  } finally {
    for (const id of ids) transferring.delete(id);
  }
}

/** Shards being moved or copied now (Citus's shard move lock, taken without waiting). */
const transferring = new Set<number>();

/** Refuses shards of tables a move cannot take (`ErrorIfMoveUnsupportedTableType`). */
export function checkMovable(table: CitusTable | undefined,
  relation?: { schema: string; name: string }): void {
  if (table !== undefined && (table.kind === "hash" || table.kind === "single-shard")) return;
  const name = qualifiedName(relation ?? { schema: table!.schemaName, name: table!.relationName });
  if (table === undefined) {
    throw new SqlError(SqlState.featureNotSupported, `table ${name} is a regular postgres ` +
      "table, you can only move shards of a citus table");
  }
  if (table.kind === "reference") {
    throw new SqlError(SqlState.featureNotSupported, `table ${name} is a reference table, ` +
      "moving shard of a reference table is not supported");
  }
  throw new SqlError(SqlState.featureNotSupported, `table ${name} is a local table, moving ` +
    "shard of a local table added to metadata is currently not supported");
}

/** Refuses copies Citus refuses (`ErrorIfTableCannotBeReplicated`). */
function checkCopyable(table: CitusTable): void {
  const name = `'${table.relationName.replace(/'/g, "''")}'`;
  if (table.kind === "local") {
    throw new SqlError(SqlState.featureNotSupported, `Table ${name} is a local table. ` +
      "Replicating shard of a local table added to metadata currently is not supported");
  }
  if (table.partition.repmodel === "s") {
    throw new SqlError(SqlState.featureNotSupported, `Table ${name} is streaming replicated. ` +
      "Shards of streaming replicated tables cannot be copied");
  }
}

/** `ErrorIfTargetNodeIsNotSafeForTransfer`. */
function checkTargetNode(cluster: Cluster, target: NodeName, kind: TransferKind): DistNode {
  const node = cluster.registry.find(target.host, target.port);
  const doing = kind === "move" ? "Moving" : "Copying";
  if (node === undefined) {
    throw new SqlError(SqlState.featureNotSupported,
      `${doing} shards to a non-existing node is not supported`,
      { hint: `Add the target node via SELECT citus_add_node('${target.host}', ` +
        `${target.port});` });
  }
  if (!node.isactive) {
    throw new SqlError(SqlState.featureNotSupported,
      `${doing} shards to a non-active node is not supported`,
      { hint: `Activate the target node via SELECT citus_activate_node('${target.host}', ` +
        `${target.port});` });
  }
  if (kind === "move" && !node.shouldhaveshards) {
    throw new SqlError(SqlState.featureNotSupported,
      "Moving shards to a node that shouldn't have a shard is not supported",
      { hint: "Allow shards on the target node via SELECT * FROM citus_set_node_property(" +
        `'${target.host}', ${target.port}, 'shouldhaveshards', true);` });
  }
  if (node.noderole !== "primary") {
    throw new SqlError(SqlState.featureNotSupported,
      `${doing} shards to a secondary (e.g., replica) node is not supported`);
  }
  return node;
}

/** The shards at `index` of every table in the group of `table`, in shard id order. */
export function colocatedShards(cluster: Cluster, table: CitusTable, index: number):
  GroupShard[] {
  const tables = table.partition.colocationid === 0 ? [table]
    : cluster.metadata.cache.tablesInColocationGroup(table.partition.colocationid);
  return tables.map((member): GroupShard => {
    const relation = cluster.local.catalog.relation(member.partition.logicalrelid);
    assert(relation !== undefined, "a Citus table has a shell table");
    const shard = member.shards[index];
    assert(shard !== undefined, "colocated tables have as many shards");
    return { table: member, relation, shard };
  }).sort((a, b) => a.shard.row.shardid - b.shard.row.shardid);
}

function checkNoForeignKeys(group: readonly GroupShard[]): void {
  if (!group.some((m) => m.table.kind === "hash" && m.relation.foreignKeys.length > 0)) return;
  throw new SqlError(SqlState.featureNotSupported, "cannot replicate shards with foreign keys");
}

/**
 * `TransferAlreadyCompleted`: every shard of the group is on the target, and (a move) not
 * all of them on the source, or (a copy) all of them on the source too.
 */
function transferDone(group: readonly GroupShard[], source: DistNode, target: DistNode,
  kind: TransferKind): boolean {
  const allOn = (node: DistNode): boolean => group.every((m) =>
    m.shard.placements.some((p) => p.groupid === node.groupid));
  return allOn(target) && (kind === "copy" ? allOn(source) : !allOn(source));
}

/** `EnsureShardCanBeCopied`: the source holds the shard, the target does not. */
function checkPlacements(member: GroupShard, source: DistNode, target: DistNode): void {
  const on = (node: DistNode): boolean =>
    member.shard.placements.some((p) => p.groupid === node.groupid);
  if (!on(source)) throw placementNotFound(`${source.nodename}:${source.nodeport}`);
  if (on(target)) {
    throw new SqlError(SqlState.invalidParameterValue,
      `shard ${member.shard.row.shardid} already exists in the target node`);
  }
}

export function placementNotFound(where: string): SqlError {
  return new SqlError(SqlState.dataException, `could not find placement matching "${where}"`,
    { hint: "Confirm the placement still exists and try again." });
}

/** `VerifyTablesHaveReplicaIdentity`: 'auto' needs a primary key on every table. */
export function checkReplicaIdentity(group: readonly { relation: ShellRelation }[]): void {
  for (const { relation } of group) {
    if (relation.indexes.some((index) => index.primary)) continue;
    throw new SqlError(SqlState.featureNotSupported, "cannot use logical replication to " +
      `transfer shards of the relation ${relation.name} since it doesn't have a REPLICA ` +
      "IDENTITY or PRIMARY KEY", {
      detail: "UPDATE and DELETE commands on the shard will error out during logical " +
        "replication unless there is a REPLICA IDENTITY or PRIMARY KEY.",
      hint: "If you wish to continue without a replica identity set the shard_transfer_mode " +
        "to 'force_logical' or 'block_writes'.",
    });
  }
}

interface Route {
  readonly kind: TransferKind;
  readonly source: PlacementAddress;
  readonly target: PlacementAddress;
}

/** Copies the group's shards to the target and switches the placements (see the top). */
async function copyShardGroup(cluster: Cluster, group: readonly GroupShard[], route: Route,
  signal: AbortSignal | undefined): Promise<void> {
  const fence = raiseFence(new Set(group.map((m) => m.relation.oid)));
  const lock = await settle().then(() => cluster.pools.reserve(route.source))
    .catch((error: unknown) => {
      fence.lower();
      throw error;
    });
  let switched = false;
  try {
    const names = group.map((m) => qualifiedShard(m.relation, m.shard.row.shardid));
    await lock.run("BEGIN", [], signal);
    await lock.run(`LOCK TABLE ${names.join(", ")} IN EXCLUSIVE MODE`, [], signal);
    await fillTarget(cluster, group, route, signal);
    fence.holds = "all";
    await settle();
    switchPlacements(cluster, group, route);
    switched = true;
    // New statements go to the target now; the drop waits only for readers of the old shards.
    fence.lower();
    if (route.kind === "move") {
      await lock.run(names.map((name) => `DROP TABLE IF EXISTS ${name} CASCADE`).join("; "));
    }
    await lock.run("COMMIT");
  } catch (error) {
    await lock.run("ROLLBACK").catch(() => undefined);
    // After the switch the metadata is right; an old shard left behind holds no live rows.
    if (!switched) throw error;
  } finally {
    lock.release();
    fence.lower();
  }
}

/** Creates the shards on the target, copies their rows, adds foreign keys and triggers. */
async function fillTarget(cluster: Cluster, group: readonly GroupShard[], route: Route,
  signal: AbortSignal | undefined): Promise<void> {
  const names = group.map((m) => qualifiedShard(m.relation, m.shard.row.shardid));
  const drop = names.map((name) => `DROP TABLE IF EXISTS ${name} CASCADE`);
  const schema = schemaCreateStatement(group.map((m) => m.relation.schema));
  const create = [...(schema === undefined ? [] : [schema]), ...drop,
    ...group.flatMap((m) => shardCreateStatements(m.relation, m.shard.row.shardid))];
  await cluster.pools.run(route.target, create.join("; "), [], signal);
  try {
    for (const member of group) await copyRows(cluster, member, route, signal);
    const fks = group.flatMap((m) => shardForeignKeys(cluster, m.relation, m.shard.index,
      m.shard.row.shardid).map((fk) =>
      `ALTER TABLE ${qualifiedShard(m.relation, m.shard.row.shardid)} ADD ${fk}`));
    // Triggers after the rows, as at create_distributed_table (`citus-triggers.ts`).
    const after = [...fks, ...group.flatMap((m) =>
      shardTriggerStatements(cluster, m.relation, m.shard.row.shardid))];
    if (after.length > 0) await cluster.pools.run(route.target, after.join("; "), [], signal);
  } catch (error) {
    await cluster.pools.run(route.target, drop.join("; ")).catch(() => undefined);
    throw error;
  }
}

/** Streams one shard's rows from the source into the target, a COPY per batch. */
async function copyRows(cluster: Cluster, member: GroupShard, route: Route,
  signal: AbortSignal | undefined): Promise<void> {
  const name = qualifiedShard(member.relation, member.shard.row.shardid);
  const columns = liveColumns(member.relation).map((c) => quoteIdentifier(c.name)).join(", ");
  const format = textFormat();
  const copy = `COPY ${name} (${columns}) FROM STDIN${shardCopyOptions(format)}`;
  const stream = await cluster.pools.stream(route.source, `SELECT ${columns} FROM ${name}`, [],
    copyBatchRows);
  const writer = await cluster.pools.reserve(route.target);
  try {
    for (;;) {
      if (signal?.aborted === true) throw new SqlError(SqlState.queryCanceled,
        "canceling statement due to user request");
      const batch = await stream.next();
      if (batch.rows.length > 0) {
        const text = batch.rows.map((row) => row.map((v) => copyField(v, format)).join("\t"))
          .join("\n") + "\n";
        await writer.copyIn(copy, [Buffer.from(text, "utf8")]);
      }
      if (batch.done) break;
    }
  } catch (error) {
    stream.cancel();
    throw error;
  } finally {
    writer.release();
  }
}

/** One metadata update: the group's placements on the source go to (or gain) the target. */
function switchPlacements(cluster: Cluster, group: readonly GroupShard[], route: Route): void {
  const ids = new Set(group.map((m) => m.shard.row.shardid));
  const from = route.source.groupid;
  const to = route.target.groupid;
  const before = cluster.metadata.snapshot.placements.length;
  cluster.metadata.update((state) => {
    if (route.kind === "move") {
      return { ...state, placements: state.placements.map((p) =>
        (ids.has(p.shardid) && p.groupid === from ? { ...p, groupid: to } : p)) };
    }
    let next = state.nextPlacementId;
    const added = [...ids].map((shardid) => ({ placementid: next++, shardid,
      shardstate: shardStateActive, shardlength: 0, groupid: to }));
    return { ...state, placements: [...state.placements, ...added], nextPlacementId: next };
  });
  const after = cluster.metadata.snapshot.placements;
  assert(after.length === before + (route.kind === "move" ? 0 : ids.size), "placement count");
  for (const id of ids) {
    assert(after.some((p) => p.shardid === id && p.groupid === to), "a placement on the target");
    assert(route.kind === "copy" || !after.some((p) => p.shardid === id && p.groupid === from),
      "no placement left on the source of a move");
  }
}
