/**
 * ALTER TABLE (Postgres's tablecmds.c): runs each subcommand in order against the table, and
 * undoes them all if one fails, so the statement is atomic as in Postgres. Subcommands that
 * touch rows (ADD COLUMN with a default, ALTER COLUMN TYPE) rewrite the stored versions in
 * place; those that add constraints check the existing rows first.
 *
 *   alter-table.ts       dispatch, IF EXISTS, storage parameters, the undo log
 *   alter-column.ts      ADD / DROP COLUMN, ALTER COLUMN TYPE, SET / DROP DEFAULT, NOT NULL
 *   alter-constraint.ts  ADD / DROP CONSTRAINT (PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY)
 *   alter-table-cascade.ts  DROP COLUMN … CASCADE of a column that views read
 */
import { addIdentityCmd } from "./add-identity.js";
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";
import { checkRelOptions } from "../catalog/rel-options.js";
import type { Engine } from "../engine.js";
import type { Runtime } from "../execute/runtime.js";
import { addColumnCmd, alterTypeCmd, dropColumnCmd, setDefaultCmd, setNotNullCmd }
  from "./alter-column.js";
import { addConstraintCmd, dropConstraintCmd, validateConstraintCmd,
  alterConstraintCmd }
  from "./alter-constraint.js";
import { dropExpressionCmd, dropIdentityCmd, setIdentityCmd } from "./identity-column.js";
import { attachPartitionCmd, cascadeToPartitions, checkPartitionColumnCommand,
  detachPartitionCmd, dropConstraintCascade } from "../partition/attach.js";
import { noteInheritRecursion, runInherited } from "./inherits-alter.js";
import { isTriggerStateCommand, setTriggersEnabled } from "../plpgsql/trigger-admin.js";
import { refuseTableInUse } from "../plpgsql/trigger-checks.js";

/** What every subcommand works with. */
export interface AlterContext {
  readonly catalog: Catalog;
  readonly statement: StatementScope;
  readonly rel: Relation;
  /** Evaluates defaults, USING and CHECK expressions; its undo log undoes the statement. */
  readonly rt: Runtime;
  notice(message: string): void;
  /** Records how to undo a catalog change. */
  undo(fn: () => void): void;
}

/** Subcommands that change nothing we keep (owner, statistics, storage, clustering). */
const accepted = new Set(["AT_ChangeOwner", "AT_SetStatistics", "AT_SetStorage",
  "AT_ClusterOn", "AT_DropCluster", "AT_SetCompression", "AT_ReplicaIdentity",
  "AT_SetLogged", "AT_SetUnLogged"]);

export function alterTable(engine: Engine, stmt: ast.AlterTableStmt, statement: StatementScope,
  notice: (message: string) => void): string {
  const objtype = stmt.objtype ?? "OBJECT_TABLE";
  if (objtype !== "OBJECT_TABLE") throw notSupported(`ALTER ${objtype.replace("OBJECT_", "")}`);
  const rv = stmt.relation!;
  const rel = statement.catalog.findRelation(statement.path, rv.schemaname, rv.relname ?? "");
  if (rel === undefined) {
    if (stmt.missing_ok === true) {
      notice(`relation "${rv.relname}" does not exist, skipping`);
      return "ALTER TABLE";
    }
    throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname}" does not exist`);
  }
  if (rel.kind !== "r") {
    throw new SqlError(SqlState.wrongObjectType, `"${rel.name}" is not a table`);
  }
  refuseTableInUse(rel, "ALTER TABLE");
  const rt = engine.runtime([], statement.ctx);
  const a: AlterContext = { catalog: statement.catalog, statement, rel, rt, notice,
    undo: (fn) => rt.undo.record({ kind: "custom", undo: fn }) };
  noteInheritRecursion(a, rv);
  const version = rel.version;
  try {
    for (const node of stmt.cmds ?? []) {
      if ("AlterTableCmd" in node) runCascading(a, node.AlterTableCmd);
    }
  } catch (error) {
    rt.undo.rollback();
    rel.version = version + 1;
    throw error;
  }
  rel.version = version + 1;
  engine.catalog.lastWriteId = rt.writeId;
  return "ALTER TABLE";
}

/**
 * Runs a subcommand, then on the partitions of a partitioned table (`partition/attach.ts`);
 * in an inheritance hierarchy `inherits-alter.ts` runs it and recurses to the children.
 */
function runCascading(a: AlterContext, cmd: ast.AlterTableCmd): void {
  if (!runInherited(a, cmd, runPartitionAware)) runPartitionAware(a, cmd);
}

function runPartitionAware(a: AlterContext, cmd: ast.AlterTableCmd): void {
  checkPartitionColumnCommand(a, cmd);
  const dropped = dropConstraintCascade(a, cmd);
  runCommand(a, cmd);
  dropped();
  cascadeToPartitions(a, cmd, runCascading);
}

/** Per-column options a planner would read (n_distinct): checked, then not kept. */
const columnOptions = new Set(["n_distinct", "n_distinct_inherited"]);

function columnOptionsCmd(a: AlterContext, name: string, def: ast.Node | undefined): void {
  columnIndex(a.rel, name);
  const list = def !== undefined && "List" in def ? def.List.items ?? [] : [];
  for (const node of list) {
    if (!("DefElem" in node)) continue;
    const option = node.DefElem.defname ?? "";
    if (!columnOptions.has(option)) {
      throw new SqlError(SqlState.invalidParameterValue, `unrecognized parameter "${option}"`);
    }
  }
}

function runCommand(a: AlterContext, cmd: ast.AlterTableCmd): void {
  const subtype = cmd.subtype ?? "";
  const name = cmd.name ?? "";
  const missingOk = cmd.missing_ok === true;
  const cascade = cmd.behavior === "DROP_CASCADE";
  switch (subtype) {
    case "AT_AddColumn":
      return addColumnCmd(a, (cmd.def as { ColumnDef: ast.ColumnDef }).ColumnDef, missingOk);
    case "AT_DropColumn": return dropColumnCmd(a, name, missingOk, cascade);
    case "AT_ColumnDefault": return setDefaultCmd(a, name, cmd.def ?? null);
    case "AT_SetNotNull": return setNotNullCmd(a, name, true);
    case "AT_DropNotNull": return setNotNullCmd(a, name, false);
    case "AT_AlterColumnType":
      return alterTypeCmd(a, name, (cmd.def as { ColumnDef: ast.ColumnDef }).ColumnDef);
    case "AT_AddConstraint":
      return addConstraintCmd(a, (cmd.def as { Constraint: ast.Constraint }).Constraint);
    case "AT_DropConstraint": return dropConstraintCmd(a, name, missingOk, cascade);
    case "AT_ValidateConstraint": return validateConstraintCmd(a, name);
    case "AT_AlterConstraint": return alterConstraintCmd(a, cmd.def);
    case "AT_AddIdentity": return addIdentityCmd(a, name, cmd.def);
    case "AT_DropIdentity": return dropIdentityCmd(a, name, missingOk);
    case "AT_SetIdentity": return setIdentityCmd(a, name, cmd.def);
    case "AT_DropExpression": return dropExpressionCmd(a, name, missingOk);
    case "AT_AttachPartition":
      return attachPartitionCmd(a, (cmd.def as { PartitionCmd: ast.PartitionCmd }).PartitionCmd);
    case "AT_DetachPartition": case "AT_DetachPartitionFinalize":
      return detachPartitionCmd(a, (cmd.def as { PartitionCmd: ast.PartitionCmd }).PartitionCmd);
    case "AT_SetOptions": case "AT_ResetOptions": return columnOptionsCmd(a, name, cmd.def);
    case "AT_SetRelOptions": case "AT_ResetRelOptions": {
      const list = cmd.def !== undefined && "List" in cmd.def ? cmd.def.List.items : [];
      return checkRelOptions(list, subtype === "AT_ResetRelOptions");
    }
    default:
      if (accepted.has(subtype)) return;
      if (isTriggerStateCommand(subtype)) {
        return setTriggersEnabled(a.catalog, a.rel, subtype, name, a.undo);
      }
      throw notSupported(`ALTER TABLE ${subtype.replace("AT_", "")}`);
  }
}

/** Returns the position of a live column, or raises 42703 as ALTER TABLE does. */
export function columnIndex(rel: Relation, name: string): number {
  const i = rel.columns.findIndex((c) => c.name === name && !c.dropped);
  if (i < 0) {
    throw new SqlError(SqlState.undefinedColumn,
      `column "${name}" of relation "${rel.name}" does not exist`);
  }
  return i;
}

/** True when a raw expression reads column `name` (a ColumnRef ending in it). */
export function mentionsColumn(node: unknown, name: string): boolean {
  if (node === null || typeof node !== "object") return false;
  if (Array.isArray(node)) return node.some((n) => mentionsColumn(n, name));
  const record = node as Record<string, unknown>;
  const ref = record.ColumnRef as { fields?: { String?: { sval?: string } }[] } | undefined;
  if (ref !== undefined) return ref.fields?.[ref.fields.length - 1]?.String?.sval === name;
  return Object.values(record).some((v) => mentionsColumn(v, name));
}
