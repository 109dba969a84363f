/**
 * What a READ ONLY transaction refuses besides writes to tables (`modify-run.ts`), as
 * Postgres 15's PreventCommandIfReadOnly: every utility statement that changes the catalog
 * (ClassifyUtilityCommandAsReadOnly), named by its command tag ("cannot execute CREATE TABLE
 * in a read-only transaction", 25006); COPY FROM into a table that is not temporary; and
 * nextval() and setval() of a sequence that is not temporary; SELECT FOR UPDATE / SHARE of a
 * table that is not temporary. The check comes before the
 * statement looks anything up, so even `DROP ROLE IF EXISTS nobody` is refused.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import type { EvalLike } from "../analyze/expr.js";
import { isTempSchema } from "../catalog/catalog.js";
import { evalContextOwner } from "./eval-context.js";
import { transactionIsReadOnly } from "./read-only-transaction.js";
import type { RowLockMode } from "../txn/row-locks.js";

/** Utility statements a read-only transaction may run (COPY is checked per table). */
const allowed = new Set(["SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt",
  "ExplainStmt", "TransactionStmt", "VariableSetStmt", "VariableShowStmt", "DiscardStmt",
  "PrepareStmt", "ExecuteStmt", "DeallocateStmt", "DeclareCursorStmt", "FetchStmt",
  "ClosePortalStmt", "ListenStmt", "NotifyStmt", "UnlistenStmt", "LockStmt", "CheckPointStmt",
  "DoStmt", "CallStmt", "VacuumStmt", "ReindexStmt", "ClusterStmt", "CopyStmt",
  "ConstraintsSetStmt", "LoadStmt", "AlterSystemStmt", "PLAssignStmt", "ReturnStmt"]);

/** Object type words as command tags print them, where not the enum's own words. */
const objectWords: Readonly<Record<string, string>> = {
  MATVIEW: "MATERIALIZED VIEW", TSCONFIGURATION: "TEXT SEARCH CONFIGURATION",
  TSDICTIONARY: "TEXT SEARCH DICTIONARY", TSPARSER: "TEXT SEARCH PARSER",
  TSTEMPLATE: "TEXT SEARCH TEMPLATE", FDW: "FOREIGN DATA WRAPPER", FOREIGN_SERVER: "SERVER",
  OPCLASS: "OPERATOR CLASS", OPFAMILY: "OPERATOR FAMILY", ATTRIBUTE: "TYPE",
  STATISTIC_EXT: "STATISTICS", LARGEOBJECT: "LARGE OBJECT", TABCONSTRAINT: "TABLE",
  COLUMN: "TABLE", AMOP: "OPERATOR FAMILY", AMPROC: "OPERATOR FAMILY",
  DOMCONSTRAINT: "DOMAIN",
};

function objectWord(objtype: string | undefined): string {
  const bare = (objtype ?? "OBJECT_TABLE").replace(/^OBJECT_/, "");
  return objectWords[bare] ?? bare.replace(/_/g, " ");
}

/** Command tags of statements whose tag is not "<verb> <object type>" from a field. */
function fixedTag(kind: string, node: Record<string, unknown>): string | undefined {
  switch (kind) {
    case "CreateStmt": return "CREATE TABLE";
    case "IndexStmt": return "CREATE INDEX";
    case "TruncateStmt": return "TRUNCATE TABLE";
    case "ViewStmt": return "CREATE VIEW";
    case "CreateSeqStmt": return "CREATE SEQUENCE";
    case "AlterSeqStmt": return "ALTER SEQUENCE";
    case "CompositeTypeStmt": case "CreateEnumStmt": case "CreateRangeStmt":
      return "CREATE TYPE";
    case "AlterEnumStmt": return "ALTER TYPE";
    case "AlterRoleSetStmt": return "ALTER ROLE";
    case "AlterDatabaseSetStmt": case "AlterDatabaseStmt": return "ALTER DATABASE";
    case "CreatedbStmt": return "CREATE DATABASE";
    case "DropdbStmt": return "DROP DATABASE";
    case "CreateTrigStmt": return "CREATE TRIGGER";
    case "RuleStmt": return "CREATE RULE";
    case "CreateStatsStmt": return "CREATE STATISTICS";
    case "SecLabelStmt": return "SECURITY LABEL";
    case "CommentStmt": return "COMMENT";
    case "GrantStmt": return node["is_grant"] === true ? "GRANT" : "REVOKE";
    case "GrantRoleStmt": return node["is_grant"] === true ? "GRANT ROLE" : "REVOKE ROLE";
    case "CreateFunctionStmt":
      return node["is_procedure"] === true ? "CREATE PROCEDURE" : "CREATE FUNCTION";
    case "AlterExtensionContentsStmt": return "ALTER EXTENSION";
    case "CreatePLangStmt": return "CREATE LANGUAGE";
    case "CreateForeignTableStmt": return "CREATE FOREIGN TABLE";
    case "CreateTableSpaceStmt": return "CREATE TABLESPACE";
    case "DropTableSpaceStmt": return "DROP TABLESPACE";
    case "CreateForeignServerStmt": return "CREATE SERVER";
    case "CreateFdwStmt": return "CREATE FOREIGN DATA WRAPPER";
    case "CreateOpClassStmt": return "CREATE OPERATOR CLASS";
    case "CreateOpFamilyStmt": return "CREATE OPERATOR FAMILY";
    case "CreateAmStmt": return "CREATE ACCESS METHOD";
    case "CreateEventTrigStmt": return "CREATE EVENT TRIGGER";
    case "AlterTSConfigurationStmt": return "ALTER TEXT SEARCH CONFIGURATION";
    case "AlterTSDictionaryStmt": return "ALTER TEXT SEARCH DICTIONARY";
    case "DropOwnedStmt": return "DROP OWNED";
    case "RefreshMatViewStmt": return "REFRESH MATERIALIZED VIEW";
    case "ReassignOwnedStmt": return "REASSIGN OWNED";
    default: return undefined;
  }
}

/** Postgres's CreateCommandTag for a statement that changes the catalog. */
function commandTag(stmt: ast.Node): string {
  const kind = Object.keys(stmt)[0] ?? "";
  const node = (stmt as unknown as Record<string, Record<string, unknown>>)[kind] ?? {};
  const fixed = fixedTag(kind, node);
  if (fixed !== undefined) return fixed;
  switch (kind) {
    case "CreateTableAsStmt":
      if (node["objtype"] === "OBJECT_MATVIEW") return "CREATE MATERIALIZED VIEW";
      return node["is_select_into"] === true ? "SELECT INTO" : "CREATE TABLE AS";
    case "DropStmt": return `DROP ${objectWord(node["removeType"] as string)}`;
    case "AlterTableStmt": return `ALTER ${objectWord(node["objtype"] as string)}`;
    case "RenameStmt": {
      const type = node["renameType"] as string;
      const onRelation = type === "OBJECT_COLUMN" || type === "OBJECT_TABCONSTRAINT";
      return `ALTER ${objectWord(onRelation ? node["relationType"] as string : type)}`;
    }
    case "AlterObjectSchemaStmt": case "AlterOwnerStmt":
      return `ALTER ${objectWord(node["objectType"] as string)}`;
    case "AlterFunctionStmt": return `ALTER ${objectWord(node["objtype"] as string)}`;
    case "DefineStmt": return `CREATE ${objectWord(node["kind"] as string)}`;
    default: {
      // CreateRoleStmt → CREATE ROLE, AlterDefaultPrivilegesStmt → ALTER DEFAULT PRIVILEGES …
      const words = kind.replace(/Stmt$/, "").replace(/([a-z])([A-Z])/g, "$1 $2");
      return words.toUpperCase();
    }
  }
}

function refusal(command: string): SqlError {
  return new SqlError(SqlState.readOnlySqlTransaction,
    `cannot execute ${command} in a read-only transaction`);
}

const rowLockCommands: Readonly<Record<RowLockMode, string>> = {
  update: "SELECT FOR UPDATE", noKeyUpdate: "SELECT FOR NO KEY UPDATE",
  share: "SELECT FOR SHARE", keyShare: "SELECT FOR KEY SHARE",
};

/** Throws 25006 when a scan locks rows of a table that is not temporary in a READ ONLY one. */
export function checkRowLockWritable(mode: RowLockMode, schema: string,
  ctx: StatementContext): void {
  if (isTempSchema(schema) || !transactionIsReadOnly(ctx)) return;
  throw refusal(rowLockCommands[mode]);
}

/** Throws 25006 when `stmt` changes the catalog and the transaction is READ ONLY. */
export function checkUtilityWritable(stmt: ast.Node, ctx: StatementContext): void {
  const kind = Object.keys(stmt)[0] ?? "";
  if (allowed.has(kind) && !("SelectStmt" in stmt && stmt.SelectStmt.intoClause)) return;
  if (!transactionIsReadOnly(ctx)) return;
  throw refusal("SelectStmt" in stmt ? "SELECT INTO" : commandTag(stmt));
}

/** COPY FROM into a table of schema `schema`: refused in a READ ONLY transaction. */
export function checkCopyFromWritable(schema: string, ctx: StatementContext): void {
  if (isTempSchema(schema) || !transactionIsReadOnly(ctx)) return;
  throw refusal("COPY FROM");
}

/** nextval() or setval() of a sequence of schema `schema` (`fn`), in a function's context. */
export function checkSequenceWritable(schema: string, ctx: EvalLike, fn: string): void {
  if (isTempSchema(schema)) return;
  const owner = evalContextOwner(ctx) as { rt?: { ctx?: StatementContext } } | undefined;
  const statement = owner?.rt?.ctx;
  if (statement === undefined || !transactionIsReadOnly(statement)) return;
  throw refusal(`${fn}()`);
}
