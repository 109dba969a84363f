/**
 * Utility statements the engine runs itself: EXPLAIN, DROP, TRUNCATE, CREATE VIEW, CREATE
 * SCHEMA here, and through `ddl/ddl.ts` the rest of the DDL (CREATE TABLE, CREATE INDEX,
 * ALTER, sequences, CREATE TABLE AS, VACUUM, COPY with a file). Each prepares to a statement
 * without result columns whose first fetch does the work and returns the command tag.
 */
import { cluster, reindex } from "./ddl/reindex-cluster.js";
import { alterFunction } from "./ddl/function-config.js";
import { recordUndo } from "./ddl/enum-ddl.js";
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { PreparedStatement, StatementContext } from "./api.js";
import type { StatementScope } from "./analyze/scope.js";
import { dropObjects } from "./catalog/drop.js";
import { checkCreateInDatabase } from "./catalog/database-privileges.js";
import { walk } from "./catalog/depend.js";
import { bindRelations } from "./ddl/view-follow.js";
import type { Catalog } from "./catalog/catalog.js";
import { TableStore } from "./storage/table-store.js";
import type { Engine } from "./engine.js";
import { Scope } from "./analyze/scope.js";
import { analyzeSubquery } from "./analyze/subquery.js";
import { checkViewQuery } from "./analyze/view-query-check.js";
import { prepareExplain } from "./plan/explain.js";
import { ddlAction, prepareDdl } from "./ddl/ddl.js";
import { actionFor, prepareTypeFunctionDdl } from "./ddl/type-function-utility.js";
import { truncate } from "./ddl/truncate.js";
import { prepareCheckpoint } from "./storage/checkpoint-statement.js";
import { prepareSetConstraints } from "./txn/set-constraints.js";
import { onceCursor } from "./execute/command-cursor.js";
import type { Relation } from "./catalog/relation.js";
import { createViewOptions } from "./ddl/view-options.js";
import { setViewOptions } from "./ddl/view-check-option.js";
import { keepColumnDefaults } from "./ddl/alter-view.js";
import { alterExtension, createExtension, dropExtensions } from "./ddl/extensions.js";
import { commentOn } from "./ddl/comment.js";
import { prepareRoleDdl } from "./ddl/role-ddl.js";
import { prepareGrant } from "./ddl/grant.js";
import { ownNewObjects, withCreatorAsOwner } from "./ddl/ownership.js";
import { checkOwnership } from "./ddl/owner-checks.js";
import { prepareDefaultPrivileges } from "./ddl/default-privileges.js";
import { checkSetStatementValue } from "./session/utility.js";
import { checkUtilityWritable } from "./execute/read-only-commands.js";
import { planWithSystemColumns } from "./analyze/system-columns.js";
import { truncateTriggers } from "./plpgsql/triggers.js";

type Action = () => string;

/** Returns the prepared form of a utility statement, or undefined for queries. */
export function prepareUtility(engine: Engine, stmt: ast.Node, statement: StatementScope):
  PreparedStatement | undefined {
  const prepared = prepareUtilityStatement(engine, stmt, statement);
  return prepared === undefined ? undefined
    : refusedWhenReadOnly(stmt, withCreatorAsOwner(engine, stmt, prepared));
}

/** `prepared`, refused in a READ ONLY transaction when it changes the catalog. */
function refusedWhenReadOnly(stmt: ast.Node, prepared: PreparedStatement): PreparedStatement {
  return { ...prepared, open: (params, ctx) => {
    checkUtilityWritable(stmt, ctx);
    return prepared.open(params, ctx);
  } };
}

function prepareUtilityStatement(engine: Engine, stmt: ast.Node, statement: StatementScope):
  PreparedStatement | undefined {
  if ("ExplainStmt" in stmt) return prepareExplain(engine, stmt.ExplainStmt, statement);
  if ("CheckPointStmt" in stmt) return prepareCheckpoint(engine);
  if ("ConstraintsSetStmt" in stmt) {
    return prepareSetConstraints(engine.txns, stmt.ConstraintsSetStmt, statement);
  }
  const role = prepareRoleDdl(engine, stmt, statement) ?? prepareGrant(engine, stmt, statement) ??
    prepareDefaultPrivileges(engine, stmt, statement);
  if (role !== undefined) return role;
  const typeOrFunction = prepareTypeFunctionDdl(engine, stmt, statement);
  if (typeOrFunction !== undefined) return typeOrFunction;
  const ddl = prepareDdl(engine, stmt, statement);
  if (ddl !== undefined) return ddl;
  const action = utilityAction(stmt, statement, engine);
  if (action === undefined) return undefined;
  return { paramTypes: [], columns: null, open: () => onceCursor(action) };
}


/**
 * A utility statement's work as one call, for PL/pgSQL (`plpgsql/engine-host.ts` runs the
 * DDL of a DO block or function through it); undefined when the engine has none for it.
 */
export function utilityWork(engine: Engine, stmt: ast.Node, statement: StatementScope):
  ((ctx: StatementContext) => Promise<string> | string) | undefined {
  const work = utilityWorkOf(engine, stmt, statement);
  return work === undefined ? undefined : (ctx) => {
    checkUtilityWritable(stmt, ctx);
    checkOwnership(stmt, engine.statementScope([], ctx));
    const from = engine.catalog.oidNext;
    const tag = work(ctx);
    // Objects made get their owner and default privileges, as at top level.
    if (typeof tag === "string") ownNewObjects(engine.catalog, from, ctx);
    return tag;
  };
}

function utilityWorkOf(engine: Engine, stmt: ast.Node, statement: StatementScope):
  ((ctx: StatementContext) => Promise<string> | string) | undefined {
  const typeOrFunction = actionFor(engine, stmt, statement);
  if (typeOrFunction !== undefined) return () => typeOrFunction();
  const ddl = ddlAction(engine, stmt, statement);
  if (ddl !== undefined) return ddl;
  const action = utilityAction(stmt, statement, engine);
  return action === undefined ? undefined : () => action();
}

function utilityAction(stmt: ast.Node, statement: StatementScope, engine: Engine):
  Action | undefined {
  const { catalog, path, ctx } = statement;
  const notice = (message: string): void =>
    ctx.notice(new SqlError(SqlState.successfulCompletion, message, { severity: "NOTICE" }));
  if ("CreateExtensionStmt" in stmt) {
    return () => createExtension(stmt.CreateExtensionStmt, notice, catalog,
      (undo) => recordUndo(engine, statement, undo));
  }
  if ("AlterExtensionStmt" in stmt) {
    return () => alterExtension(stmt.AlterExtensionStmt, notice, catalog);
  }
  if ("CommentStmt" in stmt) return () => commentOn(stmt.CommentStmt, statement);
  if ("AlterFunctionStmt" in stmt) {
    return () => alterFunction(engine, stmt.AlterFunctionStmt, statement);
  }
  if ("ReindexStmt" in stmt) return () => reindex(stmt.ReindexStmt, statement);
  if ("ClusterStmt" in stmt) {
    return () => cluster(stmt.ClusterStmt, statement,
      (undo) => recordUndo(engine, statement, undo));
  }
  if ("AlterDatabaseSetStmt" in stmt) {
    return () => {
      // A bad value fails as in Postgres before the statement is refused.
      checkSetStatementValue(stmt.AlterDatabaseSetStmt.setstmt);
      throw new SqlError(SqlState.featureNotSupported,
        "ALTER DATABASE … SET (per-database settings) is not supported");
    };
  }
  if ("CreatedbStmt" in stmt || "DropdbStmt" in stmt || "AlterDatabaseStmt" in stmt) {
    const verb = "CreatedbStmt" in stmt ? "CREATE" : "DropdbStmt" in stmt ? "DROP" : "ALTER";
    return () => {
      throw new SqlError(SqlState.featureNotSupported, `${verb} DATABASE is not supported`,
        { detail: "A Tessera cluster serves one database: every database name a client " +
          "connects with reaches the same tables." });
    };
  }
  if ("DropStmt" in stmt && stmt.DropStmt.removeType === "OBJECT_EXTENSION") {
    return () => dropExtensions(stmt.DropStmt, notice, catalog,
      (undo) => recordUndo(engine, statement, undo));
  }
  if ("DropStmt" in stmt) {
    return () => dropObjects(catalog, path, stmt.DropStmt, (message, detail) =>
      ctx.notice(new SqlError(SqlState.successfulCompletion, message,
        { severity: "NOTICE", ...(detail !== undefined && { detail }) })));
  }
  if ("TruncateStmt" in stmt) {
    return () => truncate(stmt.TruncateStmt, statement, notice,
      (tables) => truncateTriggers(engine, statement, tables));
  }
  if ("ViewStmt" in stmt) return () => createView(stmt.ViewStmt, statement);
  if ("CreateSchemaStmt" in stmt) {
    return () => {
      const name = stmt.CreateSchemaStmt.schemaname ?? "";
      checkCreateInDatabase(catalog, statement.ctx);
      if (catalog.schemaExists(name)) {
        if (stmt.CreateSchemaStmt.if_not_exists === true) {
          notice(`schema "${name}" already exists, skipping`);
          return "CREATE SCHEMA";
        }
        throw new SqlError(SqlState.duplicateSchema, `schema "${name}" already exists`);
      }
      catalog.createSchema(name);
      return "CREATE SCHEMA";
    };
  }
  return undefined;
}

function createView(stmt: ast.ViewStmt, statement: StatementScope): string {
  const { catalog, path } = statement;
  const rv = stmt.view!;
  const schema = rv.schemaname ?? catalog.creationSchema(path);
  const name = rv.relname ?? "";
  const existing = catalog.findRelation([schema], schema, name);
  if (existing !== undefined) {
    if (stmt.replace !== true || existing.kind !== "v") {
      throw new SqlError(SqlState.duplicateTable, `relation "${name}" already exists`);
    }
  }
  const result = planWithSystemColumns(statement,
    () => analyzeSubquery(stmt.query!, new Scope(statement, undefined)));
  const aliases = (stmt.aliases ?? []).map((a) => ("String" in a ? a.String.sval ?? "" : ""));
  const columns = result.columns.map((c, i) => ({ name: aliases[i] ?? c.name, type: c.type,
    typmod: c.typmod, notNull: false, defaultExpr: null, identity: null, generated: null,
    dropped: false }));
  checkViewQuery(stmt.query!, columns);
  const seen = new Set<string>();
  for (const { name: column } of columns) {
    if (seen.has(column)) {
      throw new SqlError(SqlState.duplicateColumn, `column "${column}" specified more than once`);
    }
    seen.add(column);
  }
  // The query is kept inside a projection naming the view's columns, so later changes to
  // what it reads (a column renamed, one added that `*` would now expand to) leave the
  // view's columns as they were, as Postgres's stored query tree does.
  const query: ast.Node = { SelectStmt: {
    targetList: columns.map((c) => ({ ResTarget: { name: c.name,
      val: { ColumnRef: { fields: [{ String: { sval: c.name } }] } } } })),
    fromClause: [{ RangeSubselect: { subquery: bindRelations(catalog, path, stmt.query!),
      alias: { aliasname: "v",
      colnames: result.columns.map((_c, i) => ({ String: { sval: columns[i]!.name } })) } } }],
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
  // A replaced view keeps its OID, so the views that read it still find it.
  const view: Relation = { oid: existing?.oid ?? catalog.allocateOid(), kind: "v", schema, name,
    columns, store: new TableStore(), indexes: [], checks: [], foreignKeys: [], viewQuery: query,
    version: 0, viewDeps: relationsRead(catalog, path, stmt.query!) };
  setViewOptions(view, createViewOptions(stmt), statement);
  if (existing !== undefined) keepColumnDefaults(existing, view);
  if (existing !== undefined) catalog.removeRelation(existing);
  catalog.addRelation(view);
  return "CREATE VIEW";
}

/** Returns the OIDs of the tables and views a query names (not its WITH queries). */
export function relationsRead(catalog: Catalog, path: readonly string[], query: ast.Node):
  number[] {
  const ctes = new Set<string>();
  const vars: ast.RangeVar[] = [];
  walk(query, 0, (node) => {
    if ("CommonTableExpr" in node) ctes.add(node.CommonTableExpr.ctename ?? "");
    if ("RangeVar" in node) vars.push(node.RangeVar);
  });
  const oids = new Set<number>();
  for (const rv of vars) {
    if (rv.schemaname === undefined && ctes.has(rv.relname ?? "")) continue;
    const rel = catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
    if (rel !== undefined) oids.add(rel.oid);
  }
  return [...oids];
}
