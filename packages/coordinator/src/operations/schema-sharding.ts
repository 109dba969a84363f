/**
 * Schema-based sharding (Citus 12, `citus-surface.md` §1.6, §3.1, §4): a distributed
 * ("tenant") schema has a row in pg_dist_schema naming its own colocation group
 * (shardcount 1, replicationfactor 1, type 0, collation 0), and every table in it is a
 * single-shard table of that group (`single-shard-tables.ts`), so all of a tenant's tables
 * live on one node and any query over them runs there as one router task.
 *
 *     citus_schema_distribute('s')     new group + pg_dist_schema row; s's tables converted
 *     citus_schema_undistribute('s')   row removed; s's tables back to local tables
 *     CREATE SCHEMA s                  with citus.enable_schema_based_sharding on: as
 *                                      citus_schema_distribute on the empty schema
 *     CREATE TABLE s.t (…)             t becomes a single-shard table of s's group
 *     DROP SCHEMA s CASCADE            the tables' metadata, the row and the group go
 *
 * The rows live in the metadata store with the other catalogs (`schemas`), keyed by the
 * schema's OID, so ALTER SCHEMA … RENAME keeps them.
 */
import { SqlError, SqlState, oid } from "@tessera/base";
import type { PreparedStatement, StatementContext } from "@tessera/engine";
import { TypeOid, type FunctionDef, type Value, type ast } from "@tessera/sql";
import { citusFlag, type Cluster } from "../cluster.js";
import { singleShardGroup } from "../metadata/colocation.js";
import type { DistSchemaRow } from "../metadata/metadata-store.js";
import { ddlStatement, runLocal } from "../commands/ddl.js";
import { undoOnRollback } from "./metadata-undo.js";
import { createSingleShardTable } from "./single-shard-tables.js";
import { contextOf, notice } from "./statement-contexts.js";
import { undistributeTable } from "./undistribute.js";
import type { ShellRelation } from "./shard-ddl.js";

/** The pg_dist_schema row of the schema named `name`, if it is distributed. */
export function distributedSchema(cluster: Cluster, name: string): DistSchemaRow | undefined {
  const id = schemaOid(cluster, name);
  return id === undefined ? undefined
    : cluster.metadata.snapshot.schemas.find((row) => row.schemaid === id);
}

/** Refuses `operation` on a table of a distributed schema (Citus's `ErrorIfTenantTable`). */
export function checkNotTenantTable(cluster: Cluster, relationId: number,
  operation: string): void {
  const relation = cluster.local.catalog.relation(relationId);
  if (relation === undefined || distributedSchema(cluster, relation.schema) === undefined) return;
  throw new SqlError(SqlState.internalError, `${qualified(relation)} is not allowed for ` +
    `${operation} because it belongs to a distributed schema`);
}

/** citus_schema_distribute and citus_schema_undistribute. */
export function schemaShardingFunctions(cluster: Cluster): FunctionDef[] {
  const mustAwait = (): Value => {
    throw new SqlError(SqlState.internalError, "this function must be awaited");
  };
  return [{
    kind: "scalar", name: "citus_schema_distribute", volatility: "v", strict: true,
    argTypes: [TypeOid.regnamespace], argNames: ["schemaname"], returnType: TypeOid.void,
    impl: mustAwait,
    implAsync: async (args, ctx) => {
      await distributeSchema(cluster, schemaName(cluster, args[0]), contextOf(ctx));
      return null;
    },
  }, {
    kind: "scalar", name: "citus_schema_undistribute", volatility: "v", strict: true,
    argTypes: [TypeOid.regnamespace], argNames: ["schemaname"], returnType: TypeOid.void,
    impl: mustAwait,
    implAsync: async (args, ctx) => {
      await undistributeSchema(cluster, schemaName(cluster, args[0]), contextOf(ctx));
      return null;
    },
  }];
}

/** citus_schema_distribute: registers the schema and converts its tables. */
async function distributeSchema(cluster: Cluster, name: string,
  ctx: StatementContext): Promise<void> {
  if (distributedSchema(cluster, name) !== undefined) {
    notice(ctx, `schema ${name} is already distributed`);
    return;
  }
  checkSchemaName(name);
  const tables = schemaTables(cluster, name);
  for (const relation of tables) checkTenantTable(cluster, relation, "citus_schema_distribute");
  notice(ctx, `distributing the schema ${name}`);
  const row = registerSchema(cluster, name, ctx);
  try {
    await convertTables(cluster, row.colocationid, tables, ctx);
  } catch (error) {
    // Outside a transaction block nothing else takes the row out again.
    if (distributedSchema(cluster, name) !== undefined) {
      forgetSchemaRows(cluster, new Set([row.schemaid]));
    }
    throw error;
  }
}

/** citus_schema_undistribute: unregisters the schema, then undistributes its tables. */
async function undistributeSchema(cluster: Cluster, name: string,
  ctx: StatementContext): Promise<void> {
  const row = distributedSchema(cluster, name);
  if (row === undefined) {
    throw new SqlError(SqlState.internalError, `schema ${name} is not distributed`);
  }
  notice(ctx, `undistributing schema ${name}`);
  const tables = schemaTables(cluster, name)
    .filter((relation) => cluster.metadata.cache.table(oid(relation.oid)) !== undefined);
  const keyed = tables.find((relation) => relation.foreignKeys.length > 0 ||
    tables.some((other) => other.foreignKeys.some((fk) => fk.refRelationOid === relation.oid)));
  if (keyed !== undefined) {
    throw new SqlError(SqlState.featureNotSupported, "citus_schema_undistribute of a schema " +
      `whose tables have foreign keys is not supported yet (table ${qualified(keyed)})`);
  }
  const restore = forgetSchemaRows(cluster, new Set([row.schemaid]));
  undoOnRollback(ctx, restore);
  try {
    for (const relation of tables) await undistributeTable(cluster, relation.oid, ctx);
  } catch (error) {
    // Outside a transaction block nothing else puts the row back.
    if (distributedSchema(cluster, name) === undefined) restore();
    throw error;
  }
}

/**
 * After CREATE SCHEMA made `name` (it did not exist before): with
 * citus.enable_schema_based_sharding on, the schema becomes distributed, and the tables its
 * schema elements created become its single-shard tables.
 */
export async function schemaCreated(cluster: Cluster, name: string,
  ctx: StatementContext): Promise<void> {
  if (!citusFlag(ctx, "citus.enable_schema_based_sharding")) return;
  if (name === "public") return;
  const row = registerSchema(cluster, name, ctx);
  await convertTables(cluster, row.colocationid, schemaTables(cluster, name), ctx);
}

/**
 * CREATE TABLE while some schema is distributed: runs the statement, then makes the new
 * table a single-shard table when its schema is distributed. Undefined when no schema is
 * distributed (the caller runs the statement as usual).
 */
export function prepareTenantTable(cluster: Cluster, stmt: ast.Node,
  ctx: StatementContext): PreparedStatement | undefined {
  if (cluster.metadata.snapshot.schemas.length === 0) return undefined;
  const into = "CreateTableAsStmt" in stmt ? stmt.CreateTableAsStmt.into
    : "SelectStmt" in stmt ? stmt.SelectStmt.intoClause : undefined;
  if (into !== undefined) refuseTenantCreateAs(cluster, into, ctx);
  if (!("CreateStmt" in stmt)) return undefined;
  const create = stmt.CreateStmt;
  if (create.relation?.relpersistence === "t") return undefined;
  return ddlStatement(cluster, async (ctx) => {
    const path = cluster.local.statementScope([], ctx).path;
    const before = findCreated(cluster, create.relation, path);
    const tag = await runLocal(cluster, stmt, ctx);
    const relation = findCreated(cluster, create.relation, path);
    if (relation === undefined || relation.oid === before?.oid) return tag;
    const row = distributedSchema(cluster, relation.schema);
    if (row === undefined) return tag;
    if ((create.inhRelations ?? []).length > 0 || create.partspec !== undefined ||
      create.partbound !== undefined) {
      throw new SqlError(SqlState.featureNotSupported,
        "partitioned and inheriting tables in a distributed schema are not supported yet");
    }
    checkTenantTable(cluster, relation, "CREATE TABLE");
    await createSingleShardTable(cluster, { relationId: relation.oid, colocateWith: "none",
      schemaColocationId: row.colocationid, tenantTables: new Set([relation.oid]) }, ctx);
    return tag;
  });
}

/**
 * After DROP SCHEMA: forgets the pg_dist_schema rows (and their groups) of the schemas that
 * `before` listed and that no longer exist; returns what puts them back.
 */
export function forgetDroppedSchemas(cluster: Cluster,
  before: readonly DistSchemaRow[]): () => void {
  const present = new Set(cluster.local.catalog.allSchemas().map(([, id]) => id));
  const gone = new Set(before.filter((row) => !present.has(row.schemaid))
    .map((row) => row.schemaid));
  return forgetSchemaRows(cluster, gone);
}

/** A new group and pg_dist_schema row for `name`, undone if the statement rolls back. */
function registerSchema(cluster: Cluster, name: string, ctx: StatementContext): DistSchemaRow {
  const schemaid = schemaOid(cluster, name);
  if (schemaid === undefined) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${name}" does not exist`);
  }
  const colocationid = cluster.metadata.sequences.nextColocationId;
  const row: DistSchemaRow = { schemaid, colocationid };
  cluster.metadata.update((state) => ({
    ...state,
    colocations: [...state.colocations, { colocationid, ...singleShardGroup() }],
    schemas: [...state.schemas, row],
    nextColocationId: colocationid + 1,
  }));
  undoOnRollback(ctx, () => void forgetSchemaRows(cluster, new Set([schemaid])));
  return row;
}

/** Removes the rows of `schemaIds` and their groups if no table is left in them. */
function forgetSchemaRows(cluster: Cluster, schemaIds: ReadonlySet<number>): () => void {
  const rows = cluster.metadata.snapshot.schemas.filter((row) => schemaIds.has(row.schemaid));
  if (rows.length === 0) return () => undefined;
  const groupIds = new Set(rows.map((row) => row.colocationid));
  const emptyGroups = cluster.metadata.snapshot.colocations.filter((group) =>
    groupIds.has(group.colocationid) &&
    cluster.metadata.cache.tablesInColocationGroup(group.colocationid).length === 0);
  const dropped = new Set(emptyGroups.map((group) => group.colocationid));
  cluster.metadata.update((state) => ({
    ...state,
    schemas: state.schemas.filter((row) => !schemaIds.has(row.schemaid)),
    colocations: state.colocations.filter((group) => !dropped.has(group.colocationid)),
  }));
  // Idempotent: a failed statement and its block's rollback may both restore.
  return () => cluster.metadata.update((state) => {
    const has = new Set(state.colocations.map((group) => group.colocationid));
    const present = new Set(state.schemas.map((row) => row.schemaid));
    return { ...state,
      colocations: [...state.colocations, ...emptyGroups.filter((g) => !has.has(g.colocationid))],
      schemas: [...state.schemas, ...rows.filter((row) => !present.has(row.schemaid))] };
  });
}

/** Makes `tables` single-shard tables of group `colocationId`, referenced tables first. */
async function convertTables(cluster: Cluster, colocationId: number,
  tables: readonly ShellRelation[], ctx: StatementContext): Promise<void> {
  const tenantTables = new Set(tables.map((relation) => relation.oid));
  const done = new Set<number>();
  const pending = [...tables];
  // Each round converts the tables whose referenced tables are done: at most one per table.
  for (let round = 0; round <= tables.length && pending.length > 0; round++) {
    const ready = pending.filter((relation) => relation.foreignKeys.every((fk) =>
      fk.refRelationOid === relation.oid || !tenantTables.has(fk.refRelationOid) ||
      done.has(fk.refRelationOid)));
    if (ready.length === 0) {
      throw new SqlError(SqlState.featureNotSupported,
        "foreign key cycles between tables of a distributed schema are not supported yet");
    }
    for (const relation of ready) {
      await createSingleShardTable(cluster, { relationId: relation.oid, colocateWith: "none",
        schemaColocationId: colocationId, tenantTables }, ctx);
      done.add(relation.oid);
      pending.splice(pending.indexOf(relation), 1);
    }
  }
}

/** The tables of schema `name` (not views or sequences), in oid order. */
function schemaTables(cluster: Cluster, name: string): ShellRelation[] {
  return [...cluster.local.catalog.allRelations()]
    .filter((relation) => relation.schema === name && relation.kind === "r" &&
      relation.virtualRows === undefined)
    .sort((a, b) => a.oid - b.oid);
}

/** Citus's checks on a table that is to join a distributed schema. */
function checkTenantTable(cluster: Cluster, relation: ShellRelation, operation: string): void {
  const cache = cluster.metadata.cache;
  if (cache.table(oid(relation.oid)) !== undefined) {
    throw new SqlError(SqlState.internalError, "distributed schema cannot have distributed " +
      "tables", { hint: `Undistribute distributed tables before '${operation}'.` });
  }
  const catalog = cluster.local.catalog;
  for (const fk of relation.foreignKeys) {
    const target = catalog.relation(fk.refRelationOid);
    if (target === undefined || target.schema === relation.schema) continue;
    if (cache.table(oid(target.oid))?.kind === "reference") continue;
    throw new SqlError(SqlState.internalError, "foreign keys from distributed schemas can only " +
      "point to the same distributed schema or reference tables in regular schemas", {
      detail: `"${qualified(relation)}" references "${qualified(target)}" via foreign key ` +
        `constraint "${fk.name}"` });
  }
  for (const other of catalog.allRelations()) {
    if (other.schema === relation.schema) continue;
    const fk = other.foreignKeys.find((key) => key.refRelationOid === relation.oid);
    if (fk === undefined) continue;
    throw new SqlError(SqlState.internalError, "cannot create foreign keys to tables in a " +
      "distributed schema from another schema", {
      detail: `"${qualified(other)}" references "${qualified(relation)}" via foreign key ` +
        `constraint "${fk.name}"` });
  }
}

/** CREATE TABLE … AS and SELECT … INTO a distributed schema: not converted yet, refused. */
function refuseTenantCreateAs(cluster: Cluster, into: ast.IntoClause,
  ctx: StatementContext): void {
  if (into.rel?.relpersistence === "t") return;
  const path = cluster.local.statementScope([], ctx).path;
  const schema = into.rel?.schemaname ?? cluster.local.catalog.creationSchema(path);
  if (distributedSchema(cluster, schema) === undefined) return;
  throw new SqlError(SqlState.featureNotSupported,
    "CREATE TABLE AS in a distributed schema is not supported yet");
}

/** Citus refuses system and public schemas. */
function checkSchemaName(name: string): void {
  const refused = ["public", "information_schema", "pg_catalog", "pg_toast"];
  if (refused.includes(name)) {
    throw new SqlError(SqlState.internalError, `${name} schema cannot be distributed`);
  }
  if (name.startsWith("pg_temp") || name.startsWith("pg_toast_temp")) {
    throw new SqlError(SqlState.internalError, "temporary schema cannot be distributed");
  }
}

function findCreated(cluster: Cluster, rangeVar: ast.RangeVar | undefined,
  path: readonly string[]): ShellRelation | undefined {
  if (rangeVar === undefined) return undefined;
  const schema = rangeVar.schemaname ?? cluster.local.catalog.creationSchema(path);
  return cluster.local.catalog.findRelation(path, schema, rangeVar.relname ?? "");
}

function schemaOid(cluster: Cluster, name: string): number | undefined {
  return cluster.local.catalog.allSchemas().find(([schema]) => schema === name)?.[1];
}

function schemaName(cluster: Cluster, value: Value | undefined): string {
  const id = Number(value);
  const found = cluster.local.catalog.allSchemas().find(([, schemaid]) => schemaid === id);
  if (found === undefined) {
    throw new SqlError(SqlState.invalidSchemaName, `schema with OID ${id} does not exist`);
  }
  return found[0];
}

function qualified(relation: { schema: string; name: string }): string {
  return `${relation.schema}.${relation.name}`;
}
