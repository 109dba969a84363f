/**
 * Type and function DDL on the coordinator, propagated to the worker nodes as Citus does
 * (`commands/type.c`, `commands/function.c`): the statement runs in the local engine first
 * (its checks and errors are PostgreSQL's), then what it changed is sent to every active
 * worker, schema-qualified (`operations/type-function-propagation.ts`):
 *
 *   CREATE TYPE … AS ENUM            -> CREATE TYPE "s"."t" AS ENUM (…)
 *   CREATE TYPE … AS (…)             -> CREATE TYPE "s"."t" AS (…) (`composite-type-propagation`)
 *   ALTER TYPE … ATTRIBUTE / RENAME  -> the same statement, its type name qualified
 *   ALTER TYPE … ADD / RENAME VALUE  -> the same ALTER TYPE, its type name qualified
 *   DROP TYPE …                      -> DROP TYPE IF EXISTS … of the types it dropped
 *   CREATE [OR REPLACE] FUNCTION     -> CREATE OR REPLACE FUNCTION … (SQL functions)
 *   DROP FUNCTION …                  -> DROP FUNCTION IF EXISTS … of the functions it dropped
 *   CREATE / DROP / ALTER AGGREGATE  -> CREATE OR REPLACE AGGREGATE …, DROP AGGREGATE IF
 *                                       EXISTS …, the ALTER qualified
 *
 * With `citus.enable_ddl_propagation` off the statement runs on the coordinator only. The
 * coordinator's change and the workers' commit or roll back together (`ddl-transaction.ts`).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { PreparedStatement, StatementContext } from "@tessera/engine";
import { allSqlFunctions, enumTypesOf, type EnumType, type SqlFunction } from "@tessera/engine";
import { compositeTypesOf, type CompositeType } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { deparseSync } from "pgsql-deparser";
import type { Cluster } from "../cluster.js";
import {
  aggregateAlterSql, enumCreateSql, enumDropSql, functionCreateSql, functionDropSql,
  runOnWorkers, typeSql,
} from "../operations/type-function-propagation.js";
import { ddlStatement, runLocal } from "./ddl.js";
import {
  allRangeTypes, rangeCreateSql, rangeDropSql,
} from "../operations/range-type-propagation.js";
import {
  compositeAlterSql, compositeCreateSql, compositeDropSql,
} from "../operations/composite-type-propagation.js";
import { ddlPropagationOn } from "./schema-ddl.js";

/** Prepares type or function DDL, or returns undefined for other statements. */
export function prepareTypeFunctionDdl(cluster: Cluster, stmt: ast.Node):
  PreparedStatement | undefined {
  const drop = "DropStmt" in stmt ? stmt.DropStmt : undefined;
  if (altersComposite(cluster, stmt)) {
    return ddlStatement(cluster, (ctx) => propagateCompositeAlter(cluster, stmt, ctx));
  }
  if (altersAggregate(stmt)) {
    return ddlStatement(cluster, (ctx) => propagateAggregateAlter(cluster, stmt, ctx));
  }
  if ("CreateEnumStmt" in stmt || "CreateFunctionStmt" in stmt || "CompositeTypeStmt" in stmt ||
    "CreateRangeStmt" in stmt || isCreateAggregate(stmt) ||
    drop?.removeType === "OBJECT_TYPE" || drop?.removeType === "OBJECT_FUNCTION" ||
    drop?.removeType === "OBJECT_AGGREGATE") {
    return ddlStatement(cluster, (ctx) => propagateChanges(cluster, stmt, ctx));
  }
  if ("AlterEnumStmt" in stmt) {
    const alter = stmt.AlterEnumStmt;
    return ddlStatement(cluster, async (ctx) => {
      const before = enumState(cluster);
      const tag = await runLocal(cluster, stmt, ctx);
      const type = [...enumTypesOf(cluster.local.catalog).values()]
        .find((t) => before.labels.get(t) !== labelText(t));
      if (type !== undefined && ddlPropagationOn(ctx)) {
        const qualified: ast.Node = { AlterEnumStmt: { ...alter, typeName: [
          { String: { sval: type.schema } }, { String: { sval: type.name } }] } };
        await runOnWorkers(cluster, [deparseSync(qualified, { pretty: false })], ctx);
      }
      return tag;
    });
  }
  return undefined;
}

function labelText(type: EnumType): string {
  return type.labels.labels.map((l) => `${l.oid}:${l.label}`).join(",");
}

function enumState(cluster: Cluster): { labels: Map<EnumType, string> } {
  const labels = new Map<EnumType, string>();
  for (const type of enumTypesOf(cluster.local.catalog).values()) {
    labels.set(type, labelText(type));
  }
  return { labels };
}

/** ALTER TYPE … ADD / DROP / RENAME ATTRIBUTE, or RENAME TO of a composite type's name. */
function altersComposite(cluster: Cluster, stmt: ast.Node): boolean {
  if ("AlterTableStmt" in stmt) return stmt.AlterTableStmt.objtype === "OBJECT_TYPE";
  if (!("RenameStmt" in stmt)) return false;
  const rename = stmt.RenameStmt;
  if (rename.renameType === "OBJECT_ATTRIBUTE") return true;
  if (rename.renameType !== "OBJECT_TYPE") return false;
  const items = rename.object !== undefined && "List" in rename.object
    ? rename.object.List.items ?? [] : [];
  const last = items[items.length - 1];
  const name = last !== undefined && "String" in last ? last.String.sval : undefined;
  return [...compositeTypesOf(cluster.local.catalog).values()].some((t) => t.name === name);
}

/** Runs an ALTER of a composite type locally, then the same on the workers, qualified. */
async function propagateCompositeAlter(cluster: Cluster, stmt: ast.Node,
  ctx: StatementContext): Promise<string> {
  const types = [...compositeTypesOf(cluster.local.catalog).values()];
  const before = new Map(types.map((t) => [t, { name: t.name, attributes: t.attributes }]));
  const tag = await runLocal(cluster, stmt, ctx);
  const changed = types.find((t) => before.get(t)?.name !== t.name ||
    before.get(t)?.attributes !== t.attributes);
  const sql = changed === undefined ? undefined : compositeAlterSql(stmt, changed.schema);
  if (sql !== undefined && ddlPropagationOn(ctx)) await runOnWorkers(cluster, [sql], ctx);
  return tag;
}

function isCreateAggregate(stmt: ast.Node): boolean {
  return "DefineStmt" in stmt && stmt.DefineStmt.kind === "OBJECT_AGGREGATE";
}

function altersAggregate(stmt: ast.Node): boolean {
  return ("RenameStmt" in stmt && stmt.RenameStmt.renameType === "OBJECT_AGGREGATE") ||
    ("AlterObjectSchemaStmt" in stmt &&
      stmt.AlterObjectSchemaStmt.objectType === "OBJECT_AGGREGATE");
}

/** ALTER AGGREGATE … RENAME TO / SET SCHEMA: locally, then the same, qualified, on workers. */
async function propagateAggregateAlter(cluster: Cluster, stmt: ast.Node,
  ctx: StatementContext): Promise<string> {
  const catalog = cluster.local.catalog;
  const before = new Map(allSqlFunctions(catalog).map((f) => [f.oid, f]));
  const tag = await runLocal(cluster, stmt, ctx);
  const changed = allSqlFunctions(catalog).find((f) => before.get(f.oid) !== undefined &&
    before.get(f.oid) !== f);
  const old = changed === undefined ? undefined : before.get(changed.oid);
  const sql = old === undefined ? undefined : aggregateAlterSql(stmt, old.schema);
  if (sql !== undefined && ddlPropagationOn(ctx)) await runOnWorkers(cluster, [sql], ctx);
  return tag;
}

/** Runs `stmt` locally, then sends the types and functions it created or dropped. */
async function propagateChanges(cluster: Cluster, stmt: ast.Node, ctx: StatementContext):
  Promise<string> {
  const catalog = cluster.local.catalog;
  const typesBefore = new Set(enumTypesOf(catalog).values());
  const compositesBefore = new Set<CompositeType>(compositeTypesOf(catalog).values());
  const functionsBefore = new Set(allSqlFunctions(catalog));
  const rangesBefore = new Set(allRangeTypes(cluster));
  const tag = await runLocal(cluster, stmt, ctx);
  if (!ddlPropagationOn(ctx)) return tag;
  const typesAfter = new Set(enumTypesOf(catalog).values());
  const compositesAfter = new Set<CompositeType>(compositeTypesOf(catalog).values());
  const droppedComposites = [...compositesBefore].filter((t) => !compositesAfter.has(t));
  const createdComposites = [...compositesAfter].filter((t) => !compositesBefore.has(t));
  const functionsAfter = new Set(allSqlFunctions(catalog));
  const droppedTypes = [...typesBefore].filter((t) => !typesAfter.has(t));
  const createdTypes = [...typesAfter].filter((t) => !typesBefore.has(t));
  const droppedFunctions = [...functionsBefore].filter((f) => !functionsAfter.has(f));
  const createdFunctions = [...functionsAfter].filter((f) => !functionsBefore.has(f));
  const cascade = "DropStmt" in stmt && stmt.DropStmt.behavior === "DROP_CASCADE";
  const statements: string[] = [];
  // OR REPLACE swaps a function for a new one with the same identity: no drop for it.
  const replaced = (f: SqlFunction): boolean => createdFunctions.some((c) => c.oid === f.oid);
  const gone = droppedFunctions.filter((f) => !replaced(f));
  statements.push(...functionDropSql(cluster, gone));
  if (droppedComposites.length > 0) {
    statements.push(compositeDropSql(droppedComposites, cascade));
  }
  if (droppedTypes.length > 0) statements.push(enumDropSql(droppedTypes, cascade));
  const rangesAfter = new Set(allRangeTypes(cluster));
  const droppedRanges = [...rangesBefore].filter((t) => !rangesAfter.has(t));
  if (droppedRanges.length > 0) statements.push(rangeDropSql(droppedRanges, cascade));
  statements.push(...createdTypes.map(enumCreateSql));
  statements.push(...[...rangesAfter].filter((t) => !rangesBefore.has(t))
    .map((t) => rangeCreateSql(t, (oid) => typeSql(cluster, oid))));
  statements.push(...createdComposites.map((t) =>
    compositeCreateSql(t, (oid, typmod) => typeSql(cluster, oid, typmod))));
  statements.push(...createdFunctions.map((f) => functionCreateSql(cluster, f)));
  await runOnWorkers(cluster, statements, ctx);
  return tag;
}

/**
 * Refuses (0A000) a statement calling a SQL function whose body reads a Citus table: the
 * coordinator expands the call in its own engine, where the table is an empty shell, so the
 * answer would be wrong. (Citus plans the body's query as a distributed one.) Calls of
 * functions that read no Citus table run as usual, also inside pushed-down fragments.
 */
export function refuseSqlFunctionsOnCitusTables(cluster: Cluster, stmt: ast.Node,
  path: readonly string[]): void {
  const catalog = cluster.local.catalog;
  const functions = allSqlFunctions(catalog);
  if (functions.length === 0) return;
  const citus = new Set<number>();
  for (const table of cluster.metadata.cache.tables()) citus.add(table.partition.logicalrelid);
  if (citus.size === 0) return;
  const seen = new Set<SqlFunction>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    const call = record["FuncCall"] as ast.FuncCall | undefined;
    if (call !== undefined) {
      const names = (call.funcname ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
      for (const fn of functions) {
        if (fn.name !== names[names.length - 1] || seen.has(fn)) continue;
        seen.add(fn);
        const table = citusTableRead(fn.body);
        if (table !== undefined) {
          throw new SqlError(SqlState.featureNotSupported, `calling SQL function ${fn.name}, ` +
            `whose body reads the distributed table ${table}, is not supported`);
        }
        visit(fn.body);
      }
    }
    for (const value of Object.values(record)) visit(value);
  };
  const citusTableRead = (body: ast.Node): string | undefined => {
    let found: string | undefined;
    const look = (node: unknown): void => {
      if (found !== undefined || node === null || typeof node !== "object") return;
      if (Array.isArray(node)) {
        for (const item of node) look(item);
        return;
      }
      const range = (node as Record<string, unknown>)["RangeVar"] as ast.RangeVar | undefined;
      if (range !== undefined) {
        const rel = catalog.findRelation(path, range.schemaname, range.relname ?? "");
        if (rel !== undefined && citus.has(rel.oid)) found = rel.name;
      }
      for (const value of Object.values(node)) look(value);
    };
    look(body);
    return found;
  };
  visit(stmt);
}
