/**
 * create_distributed_table_concurrently (`citus-surface.md` §3.1): Citus's restrictions and
 * messages (not in a transaction block, hash only, replication factor 1, a shard key, a
 * NOTICE when the table has no primary key), then the table is distributed as
 * create_distributed_table distributes it. Citus copies the rows with logical replication
 * while writes go on; Tessera copies them as create_distributed_table does while the
 * statements on the table wait on the coordinator (`move-gate.ts`), then runs them on the
 * new shards (docs/compatibility.md).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { TypeOid, type FunctionDef, type Value } from "@tessera/sql";
import { citusSetting, type Cluster } from "../cluster.js";
import { createDistributedTable, shellRelation } from "./create-table.js";
import { awaitedFunction } from "./shard-transfer-functions.js";
import { raiseFence, settle } from "./move-gate.js";
import { notice } from "./statement-contexts.js";

const name = "create_distributed_table_concurrently";

/** The function definition, with create_distributed_table's parameters and defaults. */
export function distributeConcurrentlyFunction(cluster: Cluster): FunctionDef {
  const { regclass, text, int4, void: voidType } = TypeOid;
  return awaitedFunction(name, [["table_name", regclass], ["distribution_column", text],
    ["distribution_type", text], ["colocate_with", text], ["shard_count", int4]],
  ["hash", "default", null], { strict: false, returns: voidType }, async (args, ctx) => {
    await distributeConcurrently(cluster, args, ctx);
    return null;
  });
}

async function distributeConcurrently(cluster: Cluster, args: readonly Value[],
  ctx: StatementContext): Promise<void> {
  const [table, column, type, colocate, shards] = args;
  if (table === null || table === undefined || type === null || colocate === null) return;
  if (column === null || column === undefined) {
    throw new SqlError(SqlState.internalError, `cannot use ${name} to create a distributed ` +
      "table with a null shard key, consider using create_distributed_table()");
  }
  const colocateWith = colocate === undefined ? "default" : String(colocate);
  const lowered = colocateWith.toLowerCase();
  if (shards !== null && shards !== undefined && lowered !== "default" && lowered !== "none") {
    throw new SqlError(SqlState.internalError,
      "Cannot use colocate_with with a table and shard_count at the same time");
  }
  if (ctx.transaction?.status === "T") {
    throw new SqlError(SqlState.activeSqlTransaction,
      `${name} cannot run inside a transaction block`);
  }
  const method = type === undefined ? "hash" : String(type);
  if (!["hash", "range", "append"].includes(method)) {
    throw new SqlError(SqlState.invalidTextRepresentation,
      `invalid input value for enum citus.distribution_type: "${method}"`);
  }
  if (method !== "hash") {
    throw new SqlError(SqlState.invalidParameterValue,
      "only hash-distributed tables can be distributed without blocking writes");
  }
  if (Number(citusSetting(ctx, "citus.shard_replication_factor", "1")) > 1) {
    throw new SqlError(SqlState.internalError, "cannot distribute a table concurrently when " +
      "citus.shard_replication_factor > 1");
  }
  const relation = shellRelation(cluster, Number(table));
  if (!relation.indexes.some((index) => index.primary)) {
    notice(ctx, `relation ${relation.name} does not have a REPLICA IDENTITY or PRIMARY KEY`, {
      detail: "UPDATE and DELETE commands on the relation will error out during " +
        `${name} unless there is a REPLICA IDENTITY or PRIMARY KEY. INSERT commands will ` +
        "still work." });
  }
  // Statements on the table wait (move-gate.ts) from before its rows are read until its
  // shards hold them all; Citus lets them go on and replicates the writes.
  const fence = raiseFence(new Set([relation.oid]));
  fence.holds = "all";
  try {
    await settle();
    await createDistributedTable(cluster, { relationId: Number(table),
      column: String(column), colocateWith,
      shardCount: shards === null || shards === undefined ? null : Number(shards),
    }, withoutCopyNotices(ctx));
  } finally {
    fence.lower();
  }
}

/** Citus's concurrent distribution prints no "Copying data" NOTICEs: they are left out. */
function withoutCopyNotices(ctx: StatementContext): StatementContext {
  const quiet = new Set(["Copying data from local table...", "copying the data has completed"]);
  return new Proxy(ctx, {
    get(target, key) {
      if (key === "notice") {
        return (error: SqlError): void => {
          if (!quiet.has(error.message)) target.notice(error);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? (value as () => unknown).bind(target) : value;
    },
  });
}
