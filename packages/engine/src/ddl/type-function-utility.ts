/**
 * The utility statements of user-defined types and functions: CREATE TYPE … AS ENUM,
 * ALTER TYPE (enum labels), DROP TYPE (`enum-ddl.ts`), and CREATE / DROP FUNCTION
 * (`create-function.ts`), DO blocks and CALL (`plpgsql/`), CREATE / DROP TRIGGER
 * (`plpgsql/triggers.ts`), and DROP SCHEMA of a schema holding some (`schema-drop-objects.ts`).
 * `utility.ts` asks here first; other statements pass through.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { PreparedStatement } from "../api.js";
import type { StatementScope } from "../analyze/scope.js";
import type { Engine } from "../engine.js";
import { alterEnum, createEnum, dropTypes } from "./enum-ddl.js";
import {
  alterCompositeType, createCompositeType, dropCompositeTypes, renameComposite, renamesComposite,
} from "./composite-ddl.js";
import { createFunction, dropFunctions } from "./create-function.js";
import { aggregateAction } from "./aggregate-admin.js";
import { prepareDo } from "../plpgsql/do-block.js";
import { prepareCall } from "../plpgsql/call-statement.js";
import { createTrigger, dropTrigger } from "../plpgsql/triggers.js";
import { renameTrigger } from "../plpgsql/trigger-admin.js";
import { dropSchemaWithObjects, schemaObjects } from "./schema-drop-objects.js";
import { onceCursor } from "../execute/command-cursor.js";
import { domainAction } from "./domain-ddl.js";
import { createRange, dropRangeTypes } from "./range-ddl.js";

type Action = () => string | Promise<string>;

/** The prepared form of a type or function statement, or undefined for other statements. */
export function prepareTypeFunctionDdl(engine: Engine, stmt: ast.Node,
  statement: StatementScope): PreparedStatement | undefined {
  if ("CallStmt" in stmt) return prepareCall(engine, stmt.CallStmt, statement);
  if ("DoStmt" in stmt) return prepareDo(engine, stmt.DoStmt);
  const action = actionFor(engine, stmt, statement);
  if (action === undefined) return undefined;
  return { paramTypes: [], columns: null, open: () => onceCursor(action) };
}

export function actionFor(engine: Engine, stmt: ast.Node, statement: StatementScope):
  Action | undefined {
  const notice = (message: string): void => statement.ctx.notice(
    new SqlError(SqlState.successfulCompletion, message, { severity: "NOTICE" }));
  const aggregate = aggregateAction(engine, stmt, statement, notice);
  if (aggregate !== undefined) return aggregate;
  const domain = domainAction(engine, stmt, statement, notice);
  if (domain !== undefined) return domain;
  if ("CreateEnumStmt" in stmt) return () => createEnum(engine, stmt.CreateEnumStmt, statement);
  if ("CreateRangeStmt" in stmt) {
    return () => createRange(engine, stmt.CreateRangeStmt, statement);
  }
  if ("CompositeTypeStmt" in stmt) {
    return () => createCompositeType(engine, stmt.CompositeTypeStmt, statement);
  }
  if ("AlterTableStmt" in stmt && stmt.AlterTableStmt.objtype === "OBJECT_TYPE") {
    return () => alterCompositeType(engine, stmt.AlterTableStmt, statement, notice);
  }
  if ("RenameStmt" in stmt && renamesComposite(stmt.RenameStmt, statement)) {
    return () => renameComposite(engine, stmt.RenameStmt, statement);
  }
  if ("AlterEnumStmt" in stmt) {
    return () => alterEnum(engine, stmt.AlterEnumStmt, statement, notice);
  }
  if ("CreateFunctionStmt" in stmt) {
    return () => createFunction(engine, stmt.CreateFunctionStmt, statement);
  }
  if ("CreateTrigStmt" in stmt) {
    return () => createTrigger(engine, stmt.CreateTrigStmt, statement);
  }
  if ("RenameStmt" in stmt && stmt.RenameStmt.renameType === "OBJECT_TRIGGER") {
    const rename = stmt.RenameStmt;
    return () => renameTrigger(engine, rename, statement);
  }
  if ("DropStmt" in stmt) {
    const drop = stmt.DropStmt;
    if (drop.removeType === "OBJECT_TYPE") {
      return () => dropRangeTypes(engine, drop, statement, notice) ??
        dropCompositeTypes(engine, drop, statement, notice) ??
        dropTypes(engine, drop, statement, notice);
    }
    if (drop.removeType === "OBJECT_FUNCTION" || drop.removeType === "OBJECT_PROCEDURE") {
      return () => dropFunctions(engine, drop, statement, notice);
    }
    if (drop.removeType === "OBJECT_TRIGGER") {
      return () => dropTrigger(engine, drop, statement, notice);
    }
    const doomed = drop.removeType === "OBJECT_SCHEMA" ? schemaObjects(statement, drop)
      : undefined;
    if (doomed !== undefined) {
      return () => dropSchemaWithObjects(engine, drop, statement, doomed, (message, detail) =>
        statement.ctx.notice(new SqlError(SqlState.successfulCompletion, message,
          { severity: "NOTICE", ...(detail !== undefined && { detail }) })));
    }
  }
  return undefined;
}

