/**
 * LOCK TABLE naming Citus tables, on the coordinator: the lock is taken twice, as Citus takes
 * it on the coordinator and on the metadata nodes (`AcquireDistributedLockOnRelations`):
 *
 *   1. the whole statement runs in the coordinator's engine, on the shell tables (and any
 *      local table the list names): other coordinator sessions' LOCK TABLE and DDL on those
 *      tables wait, as on PostgreSQL, and pg_locks shows the locks. NOWAIT, lock_timeout,
 *      cancel and deadlock detection are the engine's;
 *   2. then every node holding a placement gets one `LOCK <shards> IN <mode> MODE [NOWAIT]`
 *      over the session's connection to it, inside the block's remote transaction, nodes in
 *      one order (`executor/tasks.ts`): the shards stay locked until the block commits or
 *      rolls back, and the statements routed to them from other sessions wait there.
 *
 * Citus locks the shell tables on its metadata nodes, and its queries lock the shell table on
 * the coordinator; a Tessera worker has no shell tables and the distributed queries lock only
 * the shards, so the shards are what is locked on the nodes. Step 1 comes first, so two
 * sessions locking the same table meet on the coordinator and never half-way on the nodes.
 *
 * The session's lock_timeout travels with the node's LOCK (`SET LOCAL`, put back to its
 * default right after it), so a node's wait fails as PostgreSQL's does (55P03 "canceling
 * statement due to lock timeout"). A node's NOWAIT failure names the shard; it is reported
 * with the table's name as the statement wrote it, as PostgreSQL words it. With
 * `citus.enable_ddl_propagation = off` only step 1 runs, as Citus then locks nothing remote.
 *
 * Outside a transaction block: 25P01, before anything is locked, as PostgreSQL.
 */
import { SqlError, SqlState, assert, oid, type ShardId } from "@tessera/base";
import type { PreparedStatement, StatementContext } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { citusSetting, shardNodes, type Cluster, type PlacementAddress } from "../cluster.js";
import { runTasks, type Task } from "../executor/tasks.js";
import { quoteIdentifier, shardName } from "../metadata/naming.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import type { Classification } from "../planner/classify.js";
import { ddlStatement, runLocal } from "./ddl.js";

/** LOCK's mode words by Postgres's mode number (1 AccessShare … 8 AccessExclusive). */
const modeWords: readonly string[] = ["", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE",
  "SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"];

/** One Citus table the statement names, with the name it was written as. */
interface LockedTable {
  readonly table: CitusTable;
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly written: string;
  /** LOCK ONLY: descendants are not locked (kept on the shards' LOCK). */
  readonly only: boolean;
}

/** Prepares LOCK TABLE of a list that names at least one Citus table. */
export function prepareDistributedLock(cluster: Cluster, stmt: ast.LockStmt,
  classification: Classification): PreparedStatement {
  const tables = lockedTables(stmt, classification);
  assert(tables.length > 0, "a distributed LOCK names a Citus table");
  const mode = stmt.mode ?? 8;
  assert(Number.isInteger(mode) && mode >= 1 && mode <= 8, "LOCK's mode is one of eight");
  const nowait = stmt.nowait === true;
  const inner = ddlStatement(cluster, async (ctx) => {
    const tag = await runLocal(cluster, { LockStmt: stmt }, ctx);
    // The shards as they are now that the shell tables are held (not as when prepared).
    const current = tables.flatMap((locked) => {
      const table = cluster.metadata.cache.table(oid(locked.oid));
      return table === undefined ? [] : [{ ...locked, table }];
    });
    if (propagates(ctx)) await lockShards(cluster, current, { mode, nowait }, ctx);
    return tag;
  });
  return {
    ...inner,
    open: (params, ctx) => {
      requireTransactionBlock(ctx);
      return inner.open(params, ctx);
    },
  };
}

/** The Citus tables of the list, each once, in the statement's order. */
function lockedTables(stmt: ast.LockStmt, classification: Classification): LockedTable[] {
  const out: LockedTable[] = [];
  for (const ref of classification.citus) {
    const table = ref.citus!;
    if (out.some((t) => t.table === table)) continue;
    const rv = ref.rangeVar;
    const written = rv.schemaname === undefined ? rv.relname ?? ""
      : `${rv.schemaname}.${rv.relname ?? ""}`;
    const { schema, name } = ref.relation;
    out.push({ table, oid: ref.relation.oid, schema, name, written, only: rv.inh !== true });
  }
  assert(out.length <= (stmt.relations ?? []).length, "each table comes from the list");
  return out;
}

/** 25P01 outside a transaction block (an implicit one, of several statements, counts). */
function requireTransactionBlock(ctx: StatementContext): void {
  const block = ctx.transaction;
  if (block === undefined || block.status === "I" || block.isTransactionBlock === false) {
    throw new SqlError(SqlState.noActiveSqlTransaction,
      "LOCK TABLE can only be used in transaction blocks");
  }
}

/** Whether the lock goes to the nodes: citus.enable_ddl_propagation, on by default. */
function propagates(ctx: StatementContext): boolean {
  const value = citusSetting(ctx, "citus.enable_ddl_propagation", "on").toLowerCase();
  return !["off", "false", "0", "no"].includes(value);
}

/** Locks every placement of `tables`: one LOCK per node, in the block's transaction there. */
async function lockShards(cluster: Cluster, tables: readonly LockedTable[],
  lock: { readonly mode: number; readonly nowait: boolean }, ctx: StatementContext):
  Promise<void> {
  const perNode = new Map<string, { node: PlacementAddress; targets: string[] }>();
  const writtenByShard = new Map<string, string>();
  for (const locked of tables) {
    for (const shard of locked.table.shards) {
      const id: ShardId = shard.row.shardid;
      const name = shardName(locked.name, id);
      writtenByShard.set(name, locked.written);
      const target = `${locked.only ? "ONLY " : ""}${quoteIdentifier(locked.schema)}.` +
        quoteIdentifier(name);
      for (const node of shardNodes(cluster, shard)) {
        const key = `${node.host}:${node.port}`;
        const entry = perNode.get(key) ?? { node, targets: [] };
        perNode.set(key, entry);
        entry.targets.push(target);
      }
    }
  }
  const timeoutMs = lockTimeoutMs(ctx);
  const tasks = [...perNode.values()].map(({ node, targets }): Task => {
    const statements = [`LOCK ${targets.join(", ")} IN ${modeWords[lock.mode]!} MODE` +
      (lock.nowait ? " NOWAIT" : "")];
    if (timeoutMs > 0) {
      statements.unshift(`SET LOCAL lock_timeout = ${timeoutMs}`);
      statements.push("SET LOCAL lock_timeout TO DEFAULT");
    }
    return { sql: statements.join("; "), params: [], node, shardId: null };
  });
  try {
    await runTasks(cluster, tasks, ctx);
  } catch (error) {
    throw withTableName(error, writtenByShard);
  }
}

/**
 * A node's "could not obtain lock on relation "<shard>"" (NOWAIT) with the table's name as
 * the statement wrote it instead, as PostgreSQL reports it; other errors as they are.
 */
function withTableName(error: unknown, writtenByShard: ReadonlyMap<string, string>): unknown {
  if (!(error instanceof SqlError) || error.code !== SqlState.lockNotAvailable) return error;
  const match = /^could not obtain lock on relation "(.*)"$/.exec(error.message);
  // Tessera's nodes name the shard; PostgreSQL's name it as sent, schema-qualified.
  const named = match?.[1];
  const written = named === undefined ? undefined
    : writtenByShard.get(named) ?? writtenByShard.get(named.replace(/^[^"]*\./, ""));
  if (written === undefined) return error;
  return new SqlError(error.code, `could not obtain lock on relation "${written}"`,
    error.fields);
}

/** The session's lock_timeout in milliseconds; 0 when off or unreadable. */
function lockTimeoutMs(ctx: StatementContext): number {
  const text = citusSetting(ctx, "lock_timeout", "0");
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/.exec(text);
  if (match === null) return 0;
  const units: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000,
    d: 86_400_000 };
  return Math.ceil(Number(match[1]) * (units[match[2] ?? "ms"] ?? 1));
}
