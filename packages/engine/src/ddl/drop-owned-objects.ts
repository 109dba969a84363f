/**
 * The objects DROP OWNED BY drops (Postgres's shdepDropOwned): every relation, sequence,
 * routine, type and schema the roles own, each kind as one DROP statement through the
 * engine's own DROP, so that dependency checks, notices and undo are those of DROP:
 *
 *     views, materialized views, tables, sequences, aggregates, procedures, functions,
 *     domains, types, schemas
 *
 * Dependents go before what they depend on, so that objects of the roles that depend on
 * one another need no CASCADE. With RESTRICT an object of another role that depends on a
 * dropped one fails the statement with 2BP01 (the DROP's DETAIL and HINT kept); with CASCADE
 * it goes too. A schema of the roles goes with what is left in it only under CASCADE.
 * The whole statement is one utility statement: its catalog capture takes it all back on
 * ROLLBACK or when a later DROP fails, and replay runs DROP OWNED again.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import type { Catalog } from "../catalog/catalog.js";
import type { Engine } from "../engine.js";
import { keptObjects } from "../catalog/privileges.js";
import { allSqlFunctions, type SqlFunction } from "../catalog/sql-functions.js";
import { allUserTypes, type UserType } from "../catalog/type-owners.js";
import { domainsOf } from "../catalog/domains.js";
import { rangeTypesOf } from "../catalog/range-types.js";
import { typeInfo } from "../catalog/types.js";
import { utilityWork } from "../utility.js";
import { captureCatalog } from "../txn/catalog-undo.js";

type Behavior = ast.DropStmt["behavior"];

/** Drops every object `roles` own, in dependency order. */
export function dropOwnedObjects(engine: Engine, roles: readonly number[], behavior: Behavior,
  ctx: StatementContext): void {
  captureForFailure(engine, ctx);
  const mode = behavior ?? "DROP_RESTRICT";
  for (const removeType of dropOrder) {
    // Read again each time: an earlier DROP … CASCADE may have taken some already.
    const objects = ownedObjects(engine.catalog, roles, removeType);
    if (objects.length === 0) continue;
    if (!oneEach.has(removeType)) {
      runDrop(engine, { removeType, objects, behavior: mode }, ctx);
      continue;
    }
    // One statement a type, the newest first: a type may be built on an older one.
    for (const object of objects.reverse()) {
      runDrop(engine, { removeType, objects: [object], behavior: mode, missing_ok: true }, ctx);
    }
  }
}

/** Kinds whose DROP takes one kind of object at a time (an enum, a composite …). */
const oneEach = new Set<ast.ObjectType>(["OBJECT_DOMAIN", "OBJECT_TYPE", "OBJECT_AGGREGATE",
  "OBJECT_PROCEDURE", "OBJECT_FUNCTION"]);

/**
 * Outside a transaction block a utility statement's catalog is not captured, each DROP
 * checking everything before it changes anything; DROP OWNED runs several, so a later one
 * failing must take the earlier ones back: the capture joins the statement's undo.
 */
function captureForFailure(engine: Engine, ctx: StatementContext): void {
  const run = engine.txns.runOf(ctx);
  if (run === undefined || run.catalogCapture !== undefined) return;
  const capture = captureCatalog(engine.catalog, false);
  run.undo.record({ kind: "custom", undo: () => capture.restore() });
}

const dropOrder: readonly ast.ObjectType[] = ["OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_TABLE",
  "OBJECT_SEQUENCE", "OBJECT_AGGREGATE", "OBJECT_PROCEDURE", "OBJECT_FUNCTION",
  "OBJECT_DOMAIN", "OBJECT_TYPE", "OBJECT_SCHEMA"];

function runDrop(engine: Engine, drop: ast.DropStmt, ctx: StatementContext): void {
  const stmt: ast.Node = { DropStmt: drop };
  const work = utilityWork(engine, stmt, engine.statementScope([], ctx));
  if (work === undefined) {
    throw new SqlError(SqlState.internalError, `no DROP for ${drop.removeType ?? "?"}`);
  }
  try {
    const tag = work(ctx);
    if (typeof tag !== "string") {
      tag.catch(() => undefined);
      throw new SqlError(SqlState.internalError, "DROP OWNED: a DROP did not finish at once");
    }
  } catch (error) {
    if (!(error instanceof SqlError) || error.code !== SqlState.dependentObjectsStillExist) {
      throw error;
    }
    // Postgres reports the statement's targets as a whole (reportDependentObjects).
    throw new SqlError(SqlState.dependentObjectsStillExist,
      "cannot drop desired object(s) because other objects depend on them",
      { ...(error.detail !== undefined && { detail: error.detail }),
        ...(error.hint !== undefined && { hint: error.hint }) });
  }
}

/** The objects of one DROP kind that `roles` own, as a DropStmt names them. */
function ownedObjects(catalog: Catalog, roles: readonly number[], kind: ast.ObjectType):
  ast.Node[] {
  const owned = new Map<string, Set<number>>();
  for (const kept of keptObjects(catalog)) {
    if (kept.owner === undefined || !roles.includes(kept.owner)) continue;
    if (!owned.has(kept.kind)) owned.set(kept.kind, new Set());
    owned.get(kept.kind)!.add(kept.oid);
  }
  const mine = (aclKind: string, oid: number): boolean => owned.get(aclKind)?.has(oid) === true;
  switch (kind) {
    case "OBJECT_VIEW":
    case "OBJECT_MATVIEW":
    case "OBJECT_TABLE": {
      const relkind = kind === "OBJECT_VIEW" ? "v" : kind === "OBJECT_MATVIEW" ? "m" : "r";
      return [...catalog.allRelations()]
        .filter((rel) => rel.kind === relkind && rel.virtualRows === undefined &&
          mine("table", rel.oid))
        .map((rel) => qualifiedName([rel.schema, rel.name]));
    }
    case "OBJECT_SEQUENCE":
      return [...catalog.allSequences()].filter((seq) => mine("table", seq.oid))
        .map((seq) => qualifiedName([seq.schema, seq.name]));
    case "OBJECT_AGGREGATE":
    case "OBJECT_PROCEDURE":
    case "OBJECT_FUNCTION":
      return allSqlFunctions(catalog).sort((a, b) => a.oid - b.oid)
        .filter((fn) => routineKind(fn) === kind && mine("function", fn.oid))
        .map((fn) => routineName(catalog, fn));
    case "OBJECT_DOMAIN":
    case "OBJECT_TYPE":
      return ownedTypes(catalog, kind === "OBJECT_DOMAIN", (oid) => mine("type", oid))
        .map((type) => ({ TypeName: { names: strings([type.schema, type.name]), typemod: -1 } }));
    case "OBJECT_SCHEMA":
      return catalog.allSchemas().filter(([, oid]) => mine("schema", oid))
        .map(([name]): ast.Node => ({ String: { sval: name } }));
    default:
      return [];
  }
}

function routineKind(fn: SqlFunction): ast.ObjectType {
  return fn.aggregate === true ? "OBJECT_AGGREGATE" : fn.procedure === true ? "OBJECT_PROCEDURE"
    : "OBJECT_FUNCTION";
}

/** The user types, or only the domains, that pass `mine`; a range's multirange goes with it. */
function ownedTypes(catalog: Catalog, domains: boolean, mine: (oid: number) => boolean):
  UserType[] {
  const domainOids = new Set([...domainsOf(catalog).values()].map((d) => d.oid));
  const multiranges = new Set([...rangeTypesOf(catalog).values()].map((r) => r.multirangeOid));
  return allUserTypes(catalog).filter((type) => mine(type.oid) &&
    domainOids.has(type.oid) === domains && !multiranges.has(type.oid))
    .sort((a, b) => a.oid - b.oid);
}

/** A routine as DROP FUNCTION names it: qualified, with its input types by OID. */
function routineName(catalog: Catalog, fn: SqlFunction): ast.Node {
  return { ObjectWithArgs: { objname: strings([fn.schema, fn.name]),
    objargs: fn.argTypes.map((oid) => ({ TypeName: typeNameOf(catalog, oid) })) } };
}

/** A type name that finds `oid` whatever the search path: qualified, arrays as bounds. */
function typeNameOf(catalog: Catalog, oid: number): ast.TypeName {
  const info = typeInfo(oid);
  if (info.elem !== 0 && info.name.startsWith("_")) {
    return { ...typeNameOf(catalog, info.elem), arrayBounds: [{ Integer: { ival: -1 } }] };
  }
  const user = allUserTypes(catalog).find((t) => t.oid === oid);
  const names = user === undefined ? ["pg_catalog", info.name] : [user.schema, user.name];
  return { names: strings(names), typemod: -1 };
}

function qualifiedName(names: readonly string[]): ast.Node {
  return { List: { items: strings(names) } };
}

function strings(names: readonly string[]): ast.Node[] {
  return names.map((sval) => ({ String: { sval } }));
}
