/**
 * The colocation checks of create_distributed_function, as Citus's `commands/function.c`
 * makes them before it records a function's colocation (GetFunctionColocationId,
 * EnsureFunctionCanBeColocatedWithTable, DistributeFunctionColocatedWithDistributedTable),
 * with Citus's messages and codes:
 *
 *   distribution argument, colocate_with 'default'  a colocation group with citus.shard_count
 *        shards, citus.shard_replication_factor and the argument's type must exist
 *   distribution argument, colocate_with <table>    the table must be hash distributed with
 *        streaming replication (shard_replication_factor 1)
 *   no distribution argument, colocate_with <table> only a reference or single-shard table
 *
 * Tessera keeps no pg_dist_object row for the function (calls are not delegated), so this
 * only decides whether the call is accepted.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { citusSetting, type Cluster } from "../cluster.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import { resolveTable } from "./create-table.js";

export interface FunctionColocationRequest {
  readonly functionName: string;
  /** The distribution argument's type OID, undefined without a distribution argument. */
  readonly argumentType: number | undefined;
  /** colocate_with as given ('default' or a table name). */
  readonly colocateWith: string;
}

/** Raises Citus's error when the function cannot be colocated as asked. */
export function checkFunctionColocation(cluster: Cluster, request: FunctionColocationRequest,
  ctx: StatementContext): void {
  const isDefault = request.colocateWith.toLowerCase() === "default";
  const table = isDefault ? undefined : citusTableNamed(cluster, request.colocateWith, ctx);
  if (request.argumentType === undefined) {
    if (table === undefined || table.kind === "reference" || table.kind === "single-shard") {
      return;
    }
    throw new SqlError(SqlState.invalidParameterValue, `cannot distribute the function ` +
      `"${request.functionName}" since the distribution argument is not valid `, {
      hint: "To provide \"colocate_with\" option with a distributed table, the distribution " +
        "argument parameter should also be provided" });
  }
  if (table !== undefined) {
    checkColocatedTable(request, table);
    return;
  }
  const type = request.argumentType;
  const group = cluster.metadata.snapshot.colocations.find((g) =>
    g.shardcount === Number(citusSetting(ctx, "citus.shard_count", "32")) &&
    g.replicationfactor === Number(citusSetting(ctx, "citus.shard_replication_factor", "1")) &&
    Number(g.distributioncolumntype) === type &&
    Number(g.distributioncolumncollation) === collationOf(type));
  if (group === undefined) {
    throw new SqlError(SqlState.invalidParameterValue, `cannot distribute the function ` +
      `"${request.functionName}" since there is no table to colocate with`, {
      hint: "Provide a distributed table via \"colocate_with\" option to " +
        "create_distributed_function()" });
  }
  const member = cluster.metadata.cache.tablesInColocationGroup(group.colocationid)[0];
  if (member !== undefined) checkColocatedTable(request, member);
}

/** The collation Citus records for a column of `type`: the default one for strings. */
function collationOf(type: number): number {
  return [25, 1043, 1042, 19].includes(type) ? 100 : 0;
}

function citusTableNamed(cluster: Cluster, name: string, ctx: StatementContext): CitusTable {
  const found = resolveTable(cluster, name, ctx);
  if (found.citus === undefined) {
    throw new SqlError(SqlState.invalidParameterValue,
      `relation ${found.relation.name} is not distributed`);
  }
  return found.citus;
}

/** EnsureFunctionCanBeColocatedWithTable, for a function with a distribution argument. */
function checkColocatedTable(request: FunctionColocationRequest, table: CitusTable): void {
  const names = `"${request.functionName}" and table "${table.relationName}"`;
  const refuse = (why: string): SqlError => new SqlError(SqlState.featureNotSupported,
    `cannot colocate function ${names} because ${why}`);
  if (table.kind === "single-shard") {
    throw refuse("distribution arguments are not supported when colocating with single " +
      "shard distributed tables.");
  }
  if (table.kind !== "hash" && table.kind !== "reference") {
    throw refuse("colocate_with option is only supported for hash distributed tables and " +
      "reference tables.");
  }
  if (table.kind === "reference") {
    throw refuse("distribution arguments are not supported when colocating with reference " +
      "tables.");
  }
  if (table.partition.repmodel !== "s") {
    throw new SqlError(SqlState.internalError, `cannot colocate function ${names}`, {
      detail: "Citus currently only supports colocating function with distributed tables " +
        "that are created using streaming replication model.",
      hint: "When distributing tables make sure that citus.shard_replication_factor = 1" });
  }
}
