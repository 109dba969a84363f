/**
 * The utility statements that change the catalog's shape or move data in bulk: CREATE TABLE
 * (temporary tables, storage parameters), CREATE TABLE AS / SELECT INTO, CREATE INDEX,
 * ALTER TABLE and the RENAMEs, CREATE / ALTER SEQUENCE, VACUUM, ANALYZE, and COPY to or from a
 * server file. `utility.ts` asks here first; each statement prepares to a cursor whose first
 * fetch does the work and returns the command tag.
 */
import { alterOwner, alterRelationOwner, isOwnerChangeOnly } from "./alter-owner.js";
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { PreparedStatement, StatementContext } from "../api.js";
import type { StatementScope } from "../analyze/scope.js";
import { alterRelation } from "./alter-view.js";
import { renameObject } from "./rename.js";
import { setSchema } from "./schema-moves.js";
import { createTable, removeTable } from "../catalog/create-table.js";
import type { Catalog } from "../catalog/catalog.js";
import { partitionCreate, type PartitionCreate } from "../partition/create.js";
import { indexPartitions } from "../partition/index-cascade.js";
import { createIndexStmt } from "./create-index.js";
import { checkRelOptions } from "../catalog/rel-options.js";
import { alterSequence, createSequence } from "../catalog/sequences.js";
import { tempSchemaFor } from "../catalog/temp-schema.js";
import { checkTemporaryInDatabase } from "../catalog/database-privileges.js";
import { prepareCopyFile } from "../copy/copy-file.js";
import { createTableAs } from "./create-as.js";
import { createMatview, refreshMatview } from "./materialized-views.js";
import { checkNewTable } from "./check-new-table.js";
import { inheritCreate } from "./inherits.js";
import type { Engine } from "../engine.js";
import type { Relation } from "../catalog/relation.js";
import { onceCursor } from "../execute/command-cursor.js";

type Action = (ctx: StatementContext) => Promise<string> | string;

/** Returns the prepared form of a statement handled here, or undefined. */
export function prepareDdl(engine: Engine, stmt: ast.Node, statement: StatementScope):
  PreparedStatement | undefined {
  if ("CopyStmt" in stmt) {
    if ((stmt.CopyStmt.filename ?? "") === "" && stmt.CopyStmt.is_program !== true) {
      throw notSupported("COPY to or from the client outside the simple query protocol");
    }
    return prepareCopyFile(engine, stmt.CopyStmt);
  }
  const action = ddlAction(engine, stmt, statement);
  if (action === undefined) return undefined;
  return { paramTypes: [], columns: null, open: (_params, ctx) => onceCursor(() => action(ctx)) };
}


export function ddlAction(engine: Engine, stmt: ast.Node, statement: StatementScope):
  Action | undefined {
  const { catalog, path, ctx } = statement;
  const notice = (message: string): void =>
    ctx.notice(new SqlError(SqlState.successfulCompletion, message, { severity: "NOTICE" }));
  const schemaFor = (rv: ast.RangeVar): string => schemaOf(engine, rv, statement);
  if ("CreateStmt" in stmt) {
    const create = stmt.CreateStmt;
    return (run) => {
      checkCreateOptions(create);
      const schema = schemaFor(create.relation!);
      const relation = { ...create.relation!, schemaname: schema };
      const partitioning = partitionCreate({ ...create, relation }, statement,
        () => engine.runtime([], run));
      const inheriting = inheritCreate({ ...create, relation }, statement, notice);
      const created = createTable(catalog, path,
        inheriting?.stmt ?? partitioning?.stmt ?? { ...create, relation }, notice, statement);
      if (created !== undefined) {
        finishPartitioning(catalog, created, partitioning);
        inheriting?.finish(created);
        checkNewTable(created, statement);
      }
      return "CREATE TABLE";
    };
  }
  if ("IndexStmt" in stmt) {
    return (run) => {
      const tag = createIndexStmt(engine, stmt.IndexStmt, statement, run, notice);
      indexPartitions(statement, stmt.IndexStmt);
      return tag;
    };
  }
  if ("CreateSeqStmt" in stmt) {
    return () => createSequence(catalog, path, stmt.CreateSeqStmt, schemaFor, notice);
  }
  if ("AlterSeqStmt" in stmt) return () => alterSequence(catalog, path, stmt.AlterSeqStmt, notice);
  if ("AlterTableStmt" in stmt && isOwnerChangeOnly(stmt.AlterTableStmt)) {
    return () => alterRelationOwner(stmt.AlterTableStmt, statement);
  }
  if ("AlterOwnerStmt" in stmt) return () => alterOwner(stmt.AlterOwnerStmt, statement);
  if ("AlterTableStmt" in stmt) {
    return (run) => alterRelation(engine, stmt.AlterTableStmt, engine.statementScope([], run),
      notice);
  }
  if ("RenameStmt" in stmt) return () => renameObject(catalog, path, stmt.RenameStmt, notice);
  if ("AlterObjectSchemaStmt" in stmt) {
    return () => setSchema(catalog, path, stmt.AlterObjectSchemaStmt, notice);
  }
  if ("VacuumStmt" in stmt) return () => vacuum(engine, stmt.VacuumStmt, statement);
  if ("CreateTableAsStmt" in stmt) {
    const create = stmt.CreateTableAsStmt;
    if (create.objtype === "OBJECT_MATVIEW") {
      return (run) => createMatview(engine, create, run, notice);
    }
    return (run) => createTableAs(engine, create.query!, create.into!,
      { ifNotExists: create.if_not_exists === true, selectInto: false }, run, notice);
  }
  if ("RefreshMatViewStmt" in stmt) {
    return (run) => refreshMatview(engine, stmt.RefreshMatViewStmt, run);
  }
  if ("SelectStmt" in stmt && stmt.SelectStmt.intoClause !== undefined) {
    const { intoClause, ...query } = stmt.SelectStmt;
    return (run) => createTableAs(engine, { SelectStmt: query }, intoClause,
      { ifNotExists: false, selectInto: true }, run, notice);
  }
  return undefined;
}

/** The schema a new relation goes to: the session's temporary schema for TEMP ones. */
export function schemaOf(engine: Engine, rv: ast.RangeVar, statement: StatementScope): string {
  const temp = rv.relpersistence === "t";
  if (temp && rv.schemaname !== undefined && rv.schemaname !== "pg_temp") {
    throw new SqlError(SqlState.invalidTableDefinition,
      "cannot create temporary relation in non-temporary schema");
  }
  if (temp || rv.schemaname === "pg_temp") {
    checkTemporaryInDatabase(engine.catalog, statement.ctx);
    return tempSchemaFor(engine.catalog, statement.ctx.backendPid);
  }
  const schema = rv.schemaname ?? engine.catalog.creationSchema(statement.path);
  if (!engine.catalog.schemaExists(schema)) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`);
  }
  return schema;
}

function checkCreateOptions(create: ast.CreateStmt): void {
  checkTableKind(create);
  checkRelOptions(create.options);
  const onCommit = create.oncommit ?? "ONCOMMIT_NOOP";
  if (onCommit === "ONCOMMIT_NOOP") return;
  if (create.relation?.relpersistence !== "t") {
    throw new SqlError(SqlState.invalidTableDefinition,
      "ON COMMIT can only be used on temporary tables");
  }
  if (onCommit !== "ONCOMMIT_PRESERVE_ROWS") throw notSupported("ON COMMIT DELETE ROWS and DROP");
}

/**
 * Refuses the table kinds the catalog cannot hold: a typed table (OF type). Tables with
 * INHERITS are `inherits.ts`'s. Partitioned tables and partitions are `partition/`'s.
 */
function checkTableKind(create: ast.CreateStmt): void {
  if (create.ofTypename !== undefined) throw notSupported("CREATE TABLE … OF type (typed tables)");
}

/** Sets a new table's partition key or bound; removes the table when that fails. */
function finishPartitioning(catalog: Catalog, created: Relation,
  partitioning: PartitionCreate | undefined): void {
  if (partitioning === undefined) return;
  try {
    partitioning.finish(created);
  } catch (error) {
    removeTable(catalog, created);
    throw error;
  }
}

/** VACUUM drops dead versions of its tables (all without names); ANALYZE only checks them. */
function vacuum(engine: Engine, stmt: ast.VacuumStmt, statement: StatementScope): string {
  const rels: Relation[] = [];
  for (const node of stmt.rels ?? []) {
    if (!("VacuumRelation" in node)) continue;
    const rv = node.VacuumRelation.relation!;
    const rel = statement.catalog.findRelation(statement.path, rv.schemaname, rv.relname ?? "");
    if (rel === undefined) {
      throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname}" does not exist`);
    }
    rels.push(rel);
  }
  if (stmt.is_vacuumcmd !== true) return "ANALYZE";
  engine.vacuumStatement(rels.length === 0 ? undefined : rels);
  return "VACUUM";
}
