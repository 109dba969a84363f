/**
 * DROP AGGREGATE [IF EXISTS] name(argtypes) [, …] [CASCADE | RESTRICT] and ALTER AGGREGATE
 * name(argtypes) RENAME TO / SET SCHEMA, with PostgreSQL's errors (LookupFuncWithArgs):
 * 42883 `aggregate a(text) does not exist` (a NOTICE with IF EXISTS), 42809 when the name
 * is a plain function, 42723 when the new name or schema already has one of the same types.
 * `name(*)` names an aggregate without arguments.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import { resolveTypeName } from "../analyze/type-name.js";
import { findRowType } from "../catalog/row-types.js";
import {
  addSqlFunction, allSqlFunctions, removeSqlFunction, sameArgs, sqlFunctionsNamed,
  type SqlFunction,
} from "../catalog/sql-functions.js";
import { formatTypeName } from "../catalog/types.js";
import {
  addUserAggregate, removeUserAggregate, userAggregateOf,
} from "../catalog/user-aggregates.js";
import type { Engine } from "../engine.js";
import { createAggregate } from "./create-aggregate.js";
import { qualifiedName, recordUndo } from "./enum-ddl.js";

export function dropAggregates(engine: Engine, stmt: ast.DropStmt, statement: StatementScope,
  notice: (message: string) => void): string {
  const { catalog } = statement;
  const targets: SqlFunction[] = [];
  for (const object of stmt.objects ?? []) {
    if (!("ObjectWithArgs" in object)) throw notSupported("this DROP AGGREGATE form");
    const found = findAggregate(statement, object.ObjectWithArgs, stmt.missing_ok === true,
      notice);
    if (found !== undefined && !targets.includes(found)) targets.push(found);
  }
  for (const fn of targets) {
    const agg = userAggregateOf(catalog, fn.oid);
    removeSqlFunction(catalog, fn);
    if (agg !== undefined) removeUserAggregate(catalog, agg);
    recordUndo(engine, statement, () => {
      addSqlFunction(catalog, fn);
      if (agg !== undefined) addUserAggregate(catalog, agg);
    });
  }
  return "DROP AGGREGATE";
}

/** ALTER AGGREGATE … RENAME TO name. */
export function renameAggregate(engine: Engine, stmt: ast.RenameStmt,
  statement: StatementScope): string {
  const object = stmt.object !== undefined && "ObjectWithArgs" in stmt.object
    ? stmt.object.ObjectWithArgs : undefined;
  if (object === undefined) throw notSupported("this ALTER AGGREGATE form");
  const fn = findAggregate(statement, object, false, () => undefined)!;
  const name = stmt.newname ?? "";
  replaceIdentity(engine, statement, fn, { ...fn, name });
  return "ALTER AGGREGATE";
}

/** ALTER AGGREGATE … SET SCHEMA schema. */
export function moveAggregate(engine: Engine, stmt: ast.AlterObjectSchemaStmt,
  statement: StatementScope): string {
  const object = stmt.object !== undefined && "ObjectWithArgs" in stmt.object
    ? stmt.object.ObjectWithArgs : undefined;
  if (object === undefined) throw notSupported("this ALTER AGGREGATE form");
  const fn = findAggregate(statement, object, false, () => undefined)!;
  const schema = stmt.newschema ?? "";
  if (!statement.catalog.schemaExists(schema)) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`);
  }
  replaceIdentity(engine, statement, fn, { ...fn, schema });
  return "ALTER AGGREGATE";
}

/** Swaps `fn` for `renamed` (same OID), after 42723 when the new identity is taken. */
function replaceIdentity(engine: Engine, statement: StatementScope, fn: SqlFunction,
  renamed: SqlFunction): void {
  const { catalog } = statement;
  const taken = allSqlFunctions(catalog).some((f) => f !== fn && f.schema === renamed.schema &&
    f.name === renamed.name && sameArgs(f.argTypes, fn.argTypes));
  if (taken) {
    throw new SqlError(SqlState.duplicateFunction, `function ${signature(renamed)} already ` +
      `exists in schema "${renamed.schema}"`);
  }
  removeSqlFunction(catalog, fn);
  addSqlFunction(catalog, renamed);
  recordUndo(engine, statement, () => {
    removeSqlFunction(catalog, renamed);
    addSqlFunction(catalog, fn);
  });
}

function signature(fn: { name: string; argTypes: readonly number[] }): string {
  return `${fn.name}(${fn.argTypes.map((t) => formatTypeName(t, -1)).join(", ")})`;
}

/** The aggregate `object` names, or undefined after a NOTICE when `missingOk`. */
function findAggregate(statement: StatementScope, object: ast.ObjectWithArgs,
  missingOk: boolean, notice: (message: string) => void): SqlFunction | undefined {
  const { catalog, path } = statement;
  const { schema, name } = qualifiedName(object.objname);
  const candidates = sqlFunctionsNamed(catalog, path, schema, name);
  if (object.args_unspecified === true) {
    const aggregates = candidates.filter((f) => f.aggregate === true);
    if (aggregates.length > 1) {
      throw new SqlError(SqlState.ambiguousFunction, `function name "${name}" is not unique`,
        { hint: "Specify the argument list to select the function unambiguously." });
    }
    if (aggregates.length === 1) return aggregates[0];
    return missing(`could not find a function named "${name}"`, missingOk, notice,
      `aggregate ${name}() does not exist, skipping`);
  }
  const lookup = (s: string | undefined, n: string): number | undefined =>
    findRowType(catalog, path, s, n);
  const argTypes = (object.objargs ?? []).map((a) =>
    ("TypeName" in a ? resolveTypeName(a.TypeName, lookup).type : 0));
  const found = candidates.find((f) => sameArgs(f.argTypes, argTypes));
  const shown = `${schema === undefined ? "" : `${schema}.`}${signature({ name, argTypes })}`;
  if (found !== undefined && found.aggregate !== true) {
    throw new SqlError(SqlState.wrongObjectType, `function ${shown} is not an aggregate`);
  }
  if (found !== undefined) return found;
  return missing(`aggregate ${shown} does not exist`, missingOk, notice,
    `aggregate ${shown} does not exist, skipping`);
}

function missing(message: string, missingOk: boolean, notice: (message: string) => void,
  skipping: string): undefined {
  if (!missingOk) throw new SqlError(SqlState.undefinedFunction, message);
  notice(skipping);
  return undefined;
}

/**
 * The work of an aggregate statement (CREATE, DROP, ALTER … RENAME / SET SCHEMA AGGREGATE), or
 * undefined for other statements (`type-function-utility.ts` asks here first).
 */
export function aggregateAction(engine: Engine, stmt: ast.Node, statement: StatementScope,
  notice: (message: string) => void): (() => string) | undefined {
  if ("DefineStmt" in stmt && stmt.DefineStmt.kind === "OBJECT_AGGREGATE") {
    const define = stmt.DefineStmt;
    const warn = (message: string): void => statement.ctx.notice(
      new SqlError(SqlState.syntaxError, message, { severity: "WARNING" }));
    return () => createAggregate(engine, define, statement, warn);
  }
  if ("DropStmt" in stmt && stmt.DropStmt.removeType === "OBJECT_AGGREGATE") {
    const drop = stmt.DropStmt;
    return () => dropAggregates(engine, drop, statement, notice);
  }
  if ("RenameStmt" in stmt && stmt.RenameStmt.renameType === "OBJECT_AGGREGATE") {
    const rename = stmt.RenameStmt;
    return () => renameAggregate(engine, rename, statement);
  }
  if ("AlterObjectSchemaStmt" in stmt &&
    stmt.AlterObjectSchemaStmt.objectType === "OBJECT_AGGREGATE") {
    const move = stmt.AlterObjectSchemaStmt;
    return () => moveAggregate(engine, move, statement);
  }
  return undefined;
}

/**
 * DROP FUNCTION's check for aggregates (a hook in `create-function.ts`): an aggregate is
 * dropped only by DROP AGGREGATE (42809), and a function an aggregate calls only with
 * CASCADE, which drops the aggregate too; without it 2BP01 names the dependents.
 */
export function dropAggregateDependents(engine: Engine, statement: StatementScope,
  targets: readonly SqlFunction[], cascade: boolean): void {
  const { catalog } = statement;
  const aggregate = targets.find((f) => f.aggregate === true);
  if (aggregate !== undefined) {
    throw new SqlError(SqlState.wrongObjectType, `"${aggregate.name}" is an aggregate function`,
      { hint: "Use DROP AGGREGATE to drop aggregate functions." });
  }
  const oids = new Set(targets.map((f) => f.oid));
  const dependents = allSqlFunctions(catalog).filter((f) => {
    const agg = f.aggregate === true ? userAggregateOf(catalog, f.oid) : undefined;
    return agg !== undefined && [agg.transition, agg.final, agg.combine]
      .some((s) => s !== undefined && oids.has(s.oid));
  });
  if (dependents.length === 0) return;
  const described = (f: SqlFunction): string =>
    `function ${f.name}(${f.argTypes.map((t) => formatTypeName(t, -1)).join(",")})`;
  if (!cascade) {
    const target = targets.find((t) => dependents.some((d) => supports(catalog, d, t)))!;
    throw new SqlError(SqlState.dependentObjectsStillExist, `cannot drop ${described(target)} ` +
      "because other objects depend on it", {
      detail: dependents.map((d) => `${described(d)} depends on ${described(target)}`)
        .join("\n"),
      hint: "Use DROP ... CASCADE to drop the dependent objects too." });
  }
  const lines = dependents.map((d) => `drop cascades to ${described(d)}`);
  statement.ctx.notice(new SqlError(SqlState.successfulCompletion, lines.length === 1
    ? lines[0]! : `drop cascades to ${lines.length} other objects`,
  { severity: "NOTICE", ...(lines.length > 1 && { detail: lines.join("\n") }) }));
  for (const fn of dependents) {
    const agg = userAggregateOf(catalog, fn.oid)!;
    removeSqlFunction(catalog, fn);
    removeUserAggregate(catalog, agg);
    recordUndo(engine, statement, () => {
      addSqlFunction(catalog, fn);
      addUserAggregate(catalog, agg);
    });
  }
}

function supports(catalog: StatementScope["catalog"], aggregate: SqlFunction,
  fn: SqlFunction): boolean {
  const agg = userAggregateOf(catalog, aggregate.oid);
  return agg !== undefined && [agg.transition, agg.final, agg.combine]
    .some((s) => s?.oid === fn.oid);
}
