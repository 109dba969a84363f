/**
 * undistribute_table and citus_add_local_table_to_metadata (`citus-surface.md` §3.1).
 *
 * undistribute_table: read every shard's rows (first active placement), remove the table's
 * metadata (its colocation group too when it empties), drop the shard tables, and put the
 * rows back into the coordinator's table, with Citus's four NOTICEs.
 *
 * citus_add_local_table_to_metadata: a "citus local" table, one shard on the coordinator
 * (group 0, so the coordinator must be in pg_dist_node), partmethod 'n', colocation 0.
 */
import { SqlError, SqlState, assert, oid } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { formatType, parseStatements, type Row, type Value } from "@tessera/sql";
import { nodeOfGroup, shardNodes, type Cluster } from "../cluster.js";
import { makeShardRow, shardStateActive } from "../metadata/catalog-model.js";
import { quoteIdentifier } from "../metadata/naming.js";
import { runTasks } from "../executor/tasks.js";
import { insertTasks, liveColumns, routeRows } from "../planner/insert-tasks.js";
import {
  qualifiedName, qualifiedShard, shardCreateStatements, type ShellRelation,
} from "./shard-ddl.js";
import { notice } from "./statement-contexts.js";

/** Rows per INSERT when moving rows back into the coordinator's table. */
const rowsPerInsert = 500;

/** undistribute_table(table): the shards' rows back into a plain table. */
export async function undistributeTable(cluster: Cluster, relationId: number,
  ctx: StatementContext): Promise<void> {
  const table = cluster.metadata.cache.table(oid(relationId));
  const relation = cluster.local.catalog.relation(relationId);
  if (table === undefined || relation === undefined) {
    throw new SqlError(SqlState.internalError,
      "cannot undistribute table because the table is not distributed");
  }
  const name = `${relation.schema}.${relation.name}`;
  checkForeignKeys(cluster, relation, name, "undistribute");
  notice(ctx, `creating a new table for ${name}`);
  const columns = liveColumns(relation);
  const list = columns.map((c) => quoteIdentifier(c.name)).join(", ");
  const rows: (string | null)[][] = [];
  for (const shard of table.shards) {
    const result = await cluster.pools.run(shardNodes(cluster, shard)[0]!,
      `SELECT ${list} FROM ${qualifiedShard(relation, shard.row.shardid)}`, [], ctx.signal);
    for (const row of result.rows) rows.push([...row]);
  }
  notice(ctx, `moving the data of ${name}`);
  const shardIds = new Set<number>(table.shards.map((s) => s.row.shardid));
  const drops = table.shards.flatMap((shard) => shard.placements.map((p) => ({
    groupid: p.groupid, sql: `DROP TABLE IF EXISTS ${qualifiedShard(relation,
      shard.row.shardid)} CASCADE`,
  })));
  cluster.metadata.update((state) => {
    const tables = state.tables.filter((t) => t.partition.logicalrelid !== relationId);
    const groupId = table.partition.colocationid;
    const groupUsed = tables.some((t) => t.partition.colocationid === groupId) ||
      state.schemas.some((schema) => schema.colocationid === groupId);
    return { ...state, tables,
      shards: state.shards.filter((s) => !shardIds.has(s.shardid)),
      placements: state.placements.filter((p) => !shardIds.has(p.shardid)),
      colocations: groupUsed ? state.colocations
        : state.colocations.filter((g) => g.colocationid !== groupId) };
  });
  await runLocal(cluster, `TRUNCATE TABLE ${qualifiedName(relation)}`, [], ctx);
  const casts = columns.map((c) => formatType(c.type, c.typmod));
  for (let start = 0; start < rows.length; start += rowsPerInsert) {
    const batch = rows.slice(start, start + rowsPerInsert);
    const values = batch.map((_, r) => `(${casts.map((cast, i) =>
      `$${r * casts.length + i + 1}::text::${cast}`).join(", ")})`);
    await runLocal(cluster, `INSERT INTO ${qualifiedName(relation)} (${list}) VALUES ` +
      values.join(", "), batch.flat(), ctx);
  }
  notice(ctx, `dropping the old ${name}`);
  for (const drop of drops) {
    await cluster.pools.run(nodeOfGroup(cluster, drop.groupid), drop.sql, [], ctx.signal)
      .catch(() => undefined);
  }
  notice(ctx, `renaming the new table to ${name}`);
}

/** citus_add_local_table_to_metadata(table, cascade_via_foreign_keys). */
export async function addLocalTableToMetadata(cluster: Cluster, relationId: number,
  cascade: boolean, ctx: StatementContext): Promise<void> {
  const relation = cluster.local.catalog.relation(relationId);
  if (relation === undefined || relation.kind !== "r") {
    throw new SqlError(SqlState.undefinedTable, `relation with OID ${relationId} does not exist`);
  }
  if (cluster.metadata.cache.table(oid(relationId)) !== undefined) {
    throw new SqlError(SqlState.invalidTableDefinition,
      `table "${relation.name}" is already distributed`);
  }
  if (!cluster.registry.list().some((n) => n.groupid === 0)) {
    throw new SqlError(SqlState.internalError, "coordinator is not added to the metadata", {
      hint: "Use SELECT citus_set_coordinator_host('<hostname>') to configure the coordinator " +
        "hostname",
    });
  }
  if (cascade) {
    throw new SqlError(SqlState.featureNotSupported,
      "cascade_via_foreign_keys is not supported yet");
  }
  checkForeignKeys(cluster, relation, `${relation.schema}.${relation.name}`, "add-local");
  const id = cluster.metadata.sequences.nextShardId;
  await cluster.pools.run(nodeOfGroup(cluster, 0),
    shardCreateStatements(relation, makeShardRow(oid(relationId), id, null).shardid).join("; "),
    [], ctx.signal);
  cluster.metadata.update((state) => ({
    ...state,
    tables: [...state.tables, { partition: { logicalrelid: oid(relationId), partmethod: "n",
      partkey: null, colocationid: 0, repmodel: "s", autoconverted: false },
    schemaName: relation.schema, relationName: relation.name, distributionColumn: null }],
    shards: [...state.shards, makeShardRow(oid(relationId), id, null)],
    placements: [...state.placements, { placementid: state.nextPlacementId,
      shardid: makeShardRow(oid(relationId), id, null).shardid, shardstate: shardStateActive,
      shardlength: 0, groupid: 0 }],
    nextShardId: id + 1, nextPlacementId: state.nextPlacementId + 1,
  }));
  const table = cluster.metadata.cache.table(oid(relationId));
  assert(table !== undefined, "the table was just added");
  const list = liveColumns(relation).map((c) => quoteIdentifier(c.name)).join(", ");
  const rows = await runLocal(cluster, `SELECT ${list} FROM ${qualifiedName(relation)}`, [], ctx);
  const target = { table, relation };
  if (rows.length > 0) {
    await runTasks(cluster, insertTasks(cluster, target, routeRows(target, rows)), ctx);
  }
  await runLocal(cluster, `TRUNCATE TABLE ${qualifiedName(relation)}`, [], ctx);
}

/** Refuses tables with foreign keys, as Citus does without cascade_via_foreign_keys. */
function checkForeignKeys(cluster: Cluster, relation: ShellRelation, name: string,
  operation: "undistribute" | "add-local"): void {
  const referenced = [...cluster.local.catalog.allRelations()]
    .some((r) => r.oid !== relation.oid && r.foreignKeys.some((fk) =>
      fk.refRelationOid === relation.oid));
  const has = relation.foreignKeys.some((fk) => fk.refRelationOid !== relation.oid);
  if (!has && !referenced) return;
  if (operation === "add-local") {
    throw new SqlError(SqlState.internalError,
      `relation ${name} is involved in a foreign key relationship with another table`, {
        hint: "Use cascade_via_foreign_keys option to add all the relations involved in a " +
          `foreign key relationship with ${name} to citus metadata by executing SELECT ` +
          `citus_add_local_table_to_metadata($$${name}$$, cascade_via_foreign_keys=>true)`,
      });
  }
  throw new SqlError(SqlState.internalError, `cannot complete operation because table ` +
    `${relation.name} ${has ? "has a foreign key" : "is referenced by a foreign key"}`, {
    hint: "Use cascade option to undistribute all the relations involved in a foreign key " +
      `relationship with ${name} by executing SELECT undistribute_table($$${name}$$, ` +
      "cascade_via_foreign_keys=>true)",
  });
}

/** Runs one statement on the coordinator's own engine and returns its rows. */
async function runLocal(cluster: Cluster, sql: string, params: readonly (string | null)[],
  ctx: StatementContext): Promise<Row[]> {
  const stmt = parseStatements(sql)[0];
  assert(stmt !== undefined, "a local statement parses");
  const types = params.map(() => 25);
  const cursor = cluster.local.prepare(stmt.stmt, types, ctx).open(params as Value[], ctx);
  const rows = (await cursor.fetch(0)).rows;
  cursor.close();
  return rows;
}
