/**
 * ALTER VIEW, and ALTER TABLE naming a view (PostgreSQL's tablecmds.c lets both through for
 * the same subcommands):
 *
 *   ALTER VIEW v ALTER COLUMN c SET DEFAULT expr | DROP DEFAULT
 *       the default an INSERT through the view uses for a column it leaves out, before the
 *       table's (`analyze/view-write.ts`), and NEW's value under INSTEAD OF triggers
 *   ALTER VIEW v SET (check_option = …, security_barrier, security_invoker) | RESET (…)
 *       the view's options (`view-options.ts`)
 *   ALTER VIEW v OWNER TO role                     (`alter-owner.ts`)
 *
 * Every other subcommand is 42809 "ALTER action … cannot be performed on relation", and
 * ALTER VIEW naming a table is 42809 "… is not a view". RENAME and SET SCHEMA are separate
 * statements (`rename.ts`, `schema-moves.ts`). The subcommands run in order and are undone
 * together when one fails.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import type { Relation } from "../catalog/relation.js";
import type { Engine } from "../engine.js";
import { requireOwner } from "./owner-checks.js";
import { ownerOf } from "../catalog/privileges.js";
import { alterRelationOwner } from "./alter-owner.js";
import { setDefaultCmd } from "./alter-column.js";
import { alterTable, type AlterContext } from "./alter-table.js";
import { alteredViewOptions } from "./view-options.js";
import { setViewOptions } from "./view-check-option.js";

/** ALTER TABLE / ALTER VIEW: to `alterView` when it names or means a view, else `alterTable`. */
export function alterRelation(engine: Engine, stmt: ast.AlterTableStmt,
  statement: StatementScope, notice: (message: string) => void): string {
  const objtype = stmt.objtype ?? "OBJECT_TABLE";
  const rv = stmt.relation!;
  const rel = statement.catalog.findRelation(statement.path, rv.schemaname, rv.relname ?? "");
  if (objtype === "OBJECT_MATVIEW" && rel !== undefined && rel.kind !== "m") {
    throw new SqlError(SqlState.wrongObjectType, `"${rel.name}" is not a materialized view`);
  }
  const onView = objtype === "OBJECT_VIEW" || (objtype === "OBJECT_TABLE" && rel?.kind === "v");
  if (!onView) return alterTable(engine, stmt, statement, notice);
  const tag = objtype === "OBJECT_VIEW" ? "ALTER VIEW" : "ALTER TABLE";
  if (rel === undefined) {
    if (stmt.missing_ok === true) {
      notice(`relation "${rv.relname}" does not exist, skipping`);
      return tag;
    }
    throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname}" does not exist`);
  }
  if (rel.kind !== "v") {
    throw new SqlError(SqlState.wrongObjectType, `"${rel.name}" is not a view`);
  }
  requireViewOwner(rel, statement);
  alterView(engine, stmt, rel, statement, notice);
  return tag;
}

/** 42501 unless the current role has the privileges of the view's owner (or is superuser). */
function requireViewOwner(view: Relation, statement: StatementScope): void {
  const { catalog, ctx } = statement;
  requireOwner(catalog, ctx, ownerOf(catalog, "table", view.oid), "view", view.name);
}

function alterView(engine: Engine, stmt: ast.AlterTableStmt, view: Relation,
  statement: StatementScope, notice: (message: string) => void): void {
  const rt = engine.runtime([], statement.ctx);
  const a: AlterContext = { catalog: statement.catalog, statement, rel: view, rt, notice,
    undo: (fn) => rt.undo.record({ kind: "custom", undo: fn }) };
  const cmds = (stmt.cmds ?? []).flatMap((node) => ("AlterTableCmd" in node ? [node] : []));
  // Every subcommand must apply to a view before any runs, as ATPrepCmd checks them.
  for (const node of cmds) checkViewCommand(view, node.AlterTableCmd);
  const version = view.version;
  try {
    for (const node of cmds) {
      if (node.AlterTableCmd.subtype === "AT_ChangeOwner") {
        alterRelationOwner({ ...stmt, cmds: [node] }, statement);
      } else {
        viewCommand(a, node.AlterTableCmd);
      }
    }
  } catch (error) {
    rt.undo.rollback();
    view.version = version + 1;
    throw error;
  }
  view.version = version + 1;
  engine.catalog.lastWriteId = rt.writeId;
}

function viewCommand(a: AlterContext, cmd: ast.AlterTableCmd): void {
  const subtype = cmd.subtype ?? "";
  if (subtype === "AT_ColumnDefault") return setDefaultCmd(a, cmd.name ?? "", cmd.def ?? null);
  const view = a.rel;
  const list = cmd.def !== undefined && "List" in cmd.def ? cmd.def.List.items ?? [] : [];
  const saved = { options: view.viewOptions, check: view.viewCheck };
  a.undo(() => {
    if (saved.options === undefined) delete view.viewOptions;
    else view.viewOptions = saved.options;
    if (saved.check === undefined) delete view.viewCheck;
    else view.viewCheck = saved.check;
  });
  const options = alteredViewOptions(view.viewOptions ?? [], list,
    subtype === "AT_ResetRelOptions");
  setViewOptions(view, options, a.statement);
}

const viewSubcommands = new Set(["AT_ColumnDefault", "AT_SetRelOptions", "AT_ResetRelOptions",
  "AT_ChangeOwner"]);

/** 42809 for a subcommand a view does not take. */
function checkViewCommand(view: Relation, cmd: ast.AlterTableCmd): void {
  if (viewSubcommands.has(cmd.subtype ?? "")) return;
  throw new SqlError(SqlState.wrongObjectType,
    `ALTER action ${actionName(cmd)} cannot be performed on relation "${view.name}"`,
    { detail: "This operation is not supported for views." });
}

/**
 * CREATE OR REPLACE VIEW keeps the defaults of the columns it keeps (the relation stays;
 * only its query changes), as PostgreSQL keeps their pg_attrdef rows.
 */
export function keepColumnDefaults(old: Relation, view: Relation): void {
  old.columns.forEach((column, i) => {
    const kept = view.columns[i];
    if (kept !== undefined && kept.name === column.name && !column.dropped) {
      kept.defaultExpr = column.defaultExpr;
    }
  });
}

/** The subcommand as PostgreSQL's alter_table_type_to_string names it. */
function actionName(cmd: ast.AlterTableCmd): string {
  const subtype = cmd.subtype ?? "";
  const named = actionNames[subtype];
  if (named !== undefined) return named;
  return subtype.replace("AT_", "").replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase();
}

const actionNames: Readonly<Record<string, string>> = {
  AT_AddColumn: "ADD COLUMN", AT_DropColumn: "DROP COLUMN",
  AT_SetNotNull: "ALTER COLUMN ... SET NOT NULL", AT_DropNotNull: "ALTER COLUMN ... DROP NOT NULL",
  AT_AlterColumnType: "ALTER COLUMN ... SET DATA TYPE", AT_AddConstraint: "ADD CONSTRAINT",
  AT_DropConstraint: "DROP CONSTRAINT", AT_ValidateConstraint: "VALIDATE CONSTRAINT",
  AT_AlterConstraint: "ALTER CONSTRAINT", AT_SetStatistics: "ALTER COLUMN ... SET STATISTICS",
  AT_SetStorage: "ALTER COLUMN ... SET STORAGE",
  AT_SetCompression: "ALTER COLUMN ... SET COMPRESSION",
  AT_AddIdentity: "ALTER COLUMN ... ADD IDENTITY", AT_SetIdentity: "ALTER COLUMN ... SET",
  AT_DropIdentity: "ALTER COLUMN ... DROP IDENTITY",
  AT_DropExpression: "ALTER COLUMN ... DROP EXPRESSION",
  AT_ClusterOn: "CLUSTER ON", AT_DropCluster: "SET WITHOUT CLUSTER",
  AT_SetLogged: "SET LOGGED", AT_SetUnLogged: "SET UNLOGGED", AT_DropOids: "SET WITHOUT OIDS",
  AT_SetAccessMethod: "SET ACCESS METHOD", AT_SetTableSpace: "SET TABLESPACE",
  AT_ReplaceRelOptions: "SET", AT_EnableTrig: "ENABLE TRIGGER", AT_DisableTrig: "DISABLE TRIGGER",
  AT_EnableTrigAll: "ENABLE TRIGGER ALL", AT_DisableTrigAll: "DISABLE TRIGGER ALL",
  AT_EnableTrigUser: "ENABLE TRIGGER USER", AT_DisableTrigUser: "DISABLE TRIGGER USER",
  AT_EnableRowSecurity: "ENABLE ROW SECURITY", AT_DisableRowSecurity: "DISABLE ROW SECURITY",
  AT_ForceRowSecurity: "FORCE ROW SECURITY", AT_NoForceRowSecurity: "NO FORCE ROW SECURITY",
  AT_AddInherit: "INHERIT", AT_DropInherit: "NO INHERIT", AT_AddOf: "OF", AT_DropOf: "NOT OF",
  AT_ReplicaIdentity: "REPLICA IDENTITY", AT_AttachPartition: "ATTACH PARTITION",
  AT_DetachPartition: "DETACH PARTITION",
};
