/**
 * The Citus table functions as SQL functions of the coordinator's engine:
 * create_distributed_table, create_reference_table,
 * truncate_local_data_after_distributing_table, get_shard_id_for_distribution_column,
 * undistribute_table and citus_add_local_table_to_metadata (`undistribute.ts`),
 * plus run_command_on_workers / run_command_on_shards (`run-command.ts`) and
 * citus_schema_distribute / citus_schema_undistribute (`schema-sharding.ts`). The ones
 * that talk to nodes are asynchronous (`implAsync`): the engine awaits them before the
 * statement's plan runs, which fits `SELECT create_distributed_table('events', 'device_id')`.
 */
import { SqlError, SqlState, oid } from "@tessera/base";
import {
  TypeOid, defaultFormatContext, parseStatements, typeOf, type FunctionDef, type Value,
} from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { hashValue } from "../metadata/hash.js";
import { shardIndexForHash } from "../metadata/shard-ranges.js";
import { valueText } from "../executor/tasks.js";
import { createDistributedTable, createReferenceTable } from "./create-table.js";
import { createSingleShardTable, nullKeyRequest } from "./single-shard-tables.js";
import { checkNotTenantTable, schemaShardingFunctions } from "./schema-sharding.js";
import { runCommandFunctions } from "./run-command.js";
import { globalPidFunctions } from "./global-pids.js";
import { activityFunctions } from "./activity-views.js";
import { addLocalTableToMetadata, undistributeTable } from "./undistribute.js";
import { qualifiedName } from "./shard-ddl.js";
import { contextOf } from "./statement-contexts.js";
import { alterTableFunctions } from "./alter-distributed-table.js";

/** Returns the definitions to register in the coordinator's engine. */
export function citusTableFunctions(cluster: Cluster): FunctionDef[] {
  const mustAwait = (): Value => {
    throw new SqlError(SqlState.internalError, "this function must be awaited");
  };
  return [{
    kind: "scalar", name: "create_distributed_table", volatility: "v", strict: false,
    argTypes: [TypeOid.regclass, TypeOid.text, TypeOid.text, TypeOid.text, TypeOid.int4],
    argNames: ["table_name", "distribution_column", "distribution_type", "colocate_with",
      "shard_count"],
    defaultCount: 3, defaults: ["hash", "default", null], returnType: TypeOid.void,
    impl: mustAwait,
    implAsync: async (args, ctx) => {
      const [table, column, type, colocate, shards] = args;
      if (table === null || table === undefined || colocate === null) return null;
      if (column === null || column === undefined) {
        await createSingleShardTable(cluster, nullKeyRequest(Number(table), args),
          contextOf(ctx));
        return null;
      }
      if (type !== undefined && type !== null && String(type) !== "hash") {
        throw new SqlError(SqlState.featureNotSupported,
          `${String(type)} distributed tables are not supported yet`);
      }
      await createDistributedTable(cluster, {
        relationId: Number(table), column: String(column),
        colocateWith: colocate === undefined ? "default" : String(colocate),
        shardCount: shards === undefined || shards === null ? null : Number(shards),
      }, contextOf(ctx));
      return null;
    },
  }, {
    kind: "scalar", name: "create_reference_table", volatility: "v", strict: true,
    argTypes: [TypeOid.regclass], argNames: ["table_name"], returnType: TypeOid.void,
    impl: mustAwait,
    implAsync: async (args, ctx) => {
      await createReferenceTable(cluster, Number(args[0]), contextOf(ctx));
      return null;
    },
  }, {
    kind: "scalar", name: "truncate_local_data_after_distributing_table", volatility: "v",
    strict: true, argTypes: [TypeOid.regclass], argNames: ["function_name"],
    returnType: TypeOid.void, impl: mustAwait,
    implAsync: async (args, ctx) => {
      await truncateLocalData(cluster, Number(args[0]), contextOf(ctx));
      return null;
    },
  }, {
    kind: "scalar", name: "get_shard_id_for_distribution_column", volatility: "s",
    strict: false, argTypes: [TypeOid.regclass, TypeOid.any],
    argNames: ["table_name", "distribution_value"], defaultCount: 1, defaults: [null],
    returnType: TypeOid.int8,
    impl: (args, _ctx, call) => shardIdFor(cluster, args[0] ?? null, args[1] ?? null,
      call.argTypes[1] ?? TypeOid.text),
  }, {
    kind: "scalar", name: "undistribute_table", volatility: "v", strict: true,
    argTypes: [TypeOid.regclass, TypeOid.bool], argNames: ["table_name",
      "cascade_via_foreign_keys"], defaultCount: 1, defaults: [false],
    returnType: TypeOid.void, impl: mustAwait,
    implAsync: async (args, ctx) => {
      if (args[1] === true) {
        throw new SqlError(SqlState.featureNotSupported,
          "cascade_via_foreign_keys is not supported yet");
      }
      checkNotTenantTable(cluster, Number(args[0]), "undistribute_table");
      await undistributeTable(cluster, Number(args[0]), contextOf(ctx));
      return null;
    },
  }, {
    kind: "scalar", name: "citus_add_local_table_to_metadata", volatility: "v", strict: true,
    argTypes: [TypeOid.regclass, TypeOid.bool], argNames: ["table_name",
      "cascade_via_foreign_keys"], defaultCount: 1, defaults: [false],
    returnType: TypeOid.void, impl: mustAwait,
    implAsync: async (args, ctx) => {
      await addLocalTableToMetadata(cluster, Number(args[0]), args[1] === true, contextOf(ctx));
      return null;
    },
  }, ...runCommandFunctions(), ...schemaShardingFunctions(cluster),
  ...globalPidFunctions(cluster), ...activityFunctions(), ...alterTableFunctions(cluster)];
}

/** get_shard_id_for_distribution_column: the shard that holds `value`. */
function shardIdFor(cluster: Cluster, table: Value, value: Value, valueType: number): Value {
  if (table === null) {
    throw new SqlError(SqlState.nullValueNotAllowed, "relation cannot be NULL");
  }
  const citus = cluster.metadata.cache.table(oid(Number(table)));
  if (citus === undefined) {
    throw new SqlError(SqlState.invalidTableDefinition, "relation is not distributed");
  }
  if (citus.kind === "reference" || citus.kind === "single-shard") {
    return BigInt(citus.shards[0]?.row.shardid ?? 0);
  }
  if (citus.kind !== "hash" || citus.distributionColumn === null) {
    throw new SqlError(SqlState.featureNotSupported, "finding shard id of given distribution " +
      "value is only supported for hash partitioned tables, range partitioned tables and " +
      "reference tables.");
  }
  if (value === null) {
    throw new SqlError(SqlState.nullValueNotAllowed,
      "distribution value cannot be NULL for tables other than reference tables.");
  }
  const column = citus.distributionColumn;
  const text = valueText(value, valueType === TypeOid.unknown ? TypeOid.text : valueType)!;
  const typed = typeOf(column.typeOid).input(text, -1, defaultFormatContext);
  const index = shardIndexForHash(citus.ranges, hashValue(typed, column.typeOid));
  return BigInt(citus.shards[index]!.row.shardid);
}

/** truncate_local_data_after_distributing_table: empties the shell table on the coordinator. */
async function truncateLocalData(cluster: Cluster, relationId: number,
  ctx: ReturnType<typeof contextOf>): Promise<void> {
  const relation = cluster.local.catalog.relation(relationId);
  if (relation === undefined || cluster.metadata.cache.table(oid(relationId)) === undefined) {
    throw new SqlError(SqlState.invalidTableDefinition,
      "supplied parameter is not a distributed relation",
      { detail: "This UDF only truncates local records of distributed tables." });
  }
  for (const other of cluster.local.catalog.allRelations()) {
    const local = cluster.metadata.cache.table(oid(other.oid)) === undefined;
    if (!local || !other.foreignKeys.some((fk) => fk.refRelationOid === relationId)) continue;
    throw new SqlError(SqlState.internalError, "cannot truncate a table referenced in a " +
      "foreign key constraint by a local table",
    { detail: `Table "${other.name}" references "${relation.name}"` });
  }
  // CASCADE reaches only the shell tables of Citus tables that reference this one.
  const stmt = parseStatements(`TRUNCATE TABLE ${qualifiedName(relation)} CASCADE`)[0]!.stmt;
  const cursor = cluster.local.prepare(stmt, [], ctx).open([], ctx);
  await cursor.fetch(0);
  cursor.close();
}
