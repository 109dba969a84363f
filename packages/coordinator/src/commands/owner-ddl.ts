/**
 * Ownership statements on the coordinator, propagated as Citus propagates them
 * (`commands/schema.c`, `type.c`, `function.c`, `owned.c`):
 *
 *   ALTER SCHEMA | TYPE | DOMAIN | FUNCTION | PROCEDURE | AGGREGATE | ROUTINE … OWNER TO
 *       run on the coordinator, then on every worker with the object's name qualified by
 *       the schema the coordinator found it in (schemas, types and functions are on every
 *       worker, `type-function-ddl.ts`)
 *   REASSIGN OWNED BY, DROP OWNED BY
 *       run on the coordinator, then the same statement on every worker (the shards there
 *       change owner or lose the role's privileges); the Citus tables DROP OWNED drops lose
 *       their metadata and shards (`drop-owned.ts`)
 *
 * ALTER TABLE … OWNER TO of a distributed or reference table reaches its shards as any
 * ALTER TABLE does (`ddl.ts`). The coordinator's change and the workers' commit or roll back
 * together; with `citus.enable_ddl_propagation` off the statement runs on the coordinator
 * only.
 */
import type { PreparedStatement, StatementContext } from "@tessera/engine";
import { allSqlFunctions, allUserTypes, sessionUserOf } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { deparseSync } from "pgsql-deparser";
import type { Cluster } from "../cluster.js";
import { runOnWorkers } from "../operations/type-function-propagation.js";
import { ddlStatement, runLocal } from "./ddl.js";
import { dropOwnedWithShards } from "./drop-owned.js";
import { ddlPropagationOn } from "./schema-ddl.js";
import { quoteIdentifier } from "../metadata/naming.js";

const propagatedKinds = new Set(["OBJECT_SCHEMA", "OBJECT_TYPE", "OBJECT_DOMAIN",
  "OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_AGGREGATE", "OBJECT_ROUTINE"]);

/** Prepares an ownership statement, or returns undefined for other statements. */
export function prepareOwnerDdl(cluster: Cluster, stmt: ast.Node):
  PreparedStatement | undefined {
  const owned = "ReassignOwnedStmt" in stmt || "DropOwnedStmt" in stmt;
  const alter = "AlterOwnerStmt" in stmt &&
    propagatedKinds.has(stmt.AlterOwnerStmt.objectType ?? "") ? stmt.AlterOwnerStmt : undefined;
  if (!owned && alter === undefined) return undefined;
  return ddlStatement(cluster, async (ctx) => {
    const sql = alter === undefined ? ownedSql(stmt, ctx) : alterOwnerSql(cluster, alter, ctx);
    const local = (): Promise<string> => runLocal(cluster, stmt, ctx);
    const tag = await ("DropOwnedStmt" in stmt ? dropOwnedWithShards(cluster, ctx, local)
      : local());
    if (ddlPropagationOn(ctx)) await runOnWorkers(cluster, [sql], ctx);
    return tag;
  });
}

/**
 * A role as the workers must see it: CURRENT_USER and SESSION_USER name the coordinator's
 * session roles, not the connection the statement reaches the workers over.
 */
function namedRole(spec: ast.RoleSpec | undefined, ctx: StatementContext): ast.RoleSpec {
  switch (spec?.roletype) {
    case "ROLESPEC_CURRENT_USER":
    case "ROLESPEC_CURRENT_ROLE":
      return { roletype: "ROLESPEC_CSTRING", rolename: ctx.user };
    case "ROLESPEC_SESSION_USER":
      return { roletype: "ROLESPEC_CSTRING", rolename: sessionUserOf(ctx) };
    default:
      return spec ?? {};
  }
}

function roleText(spec: ast.RoleSpec): string {
  return spec.roletype === "ROLESPEC_CSTRING" ? quoteIdentifier(spec.rolename ?? "")
    : deparseSync({ RoleSpec: spec }, { pretty: false });
}

/** REASSIGN OWNED / DROP OWNED with the roles named. */
function ownedSql(stmt: ast.Node, ctx: StatementContext): string {
  const roles = (list: readonly ast.Node[] | undefined): ast.Node[] => (list ?? [])
    .map((node) => ({ RoleSpec: namedRole("RoleSpec" in node ? node.RoleSpec : undefined,
      ctx) }));
  const named: ast.Node = "ReassignOwnedStmt" in stmt
    ? { ReassignOwnedStmt: { roles: roles(stmt.ReassignOwnedStmt.roles),
      newrole: namedRole(stmt.ReassignOwnedStmt.newrole, ctx) } }
    : "DropOwnedStmt" in stmt
      ? { DropOwnedStmt: { ...stmt.DropOwnedStmt, roles: roles(stmt.DropOwnedStmt.roles) } }
      : stmt;
  return deparseSync(named, { pretty: false });
}

/** ALTER … OWNER TO with the object's name qualified by the schema the search path finds. */
function alterOwnerSql(cluster: Cluster, stmt: ast.AlterOwnerStmt, ctx: StatementContext):
  string {
  const owner = roleText(namedRole(stmt.newowner, ctx));
  const object = stmt.object;
  const path = cluster.local.statementScope([], ctx).path;
  if (object !== undefined && "ObjectWithArgs" in object) {
    const names = stringsOf(object.ObjectWithArgs.objname);
    const schema = names.length === 1 ? functionSchema(cluster, path, names[0]!) : undefined;
    const objname = schema === undefined ? object.ObjectWithArgs.objname ?? []
      : [schema, names[0]!].map((sval): ast.Node => ({ String: { sval } }));
    return deparseSync({ AlterOwnerStmt: { ...stmt, newowner: namedRole(stmt.newowner, ctx),
      object: { ObjectWithArgs: { ...object.ObjectWithArgs, objname } } } }, { pretty: false });
  }
  const names = object === undefined ? [] : "List" in object ? stringsOf(object.List.items)
    : stringsOf([object]);
  if (stmt.objectType === "OBJECT_SCHEMA") {
    return `ALTER SCHEMA ${quoteIdentifier(names[0] ?? "")} OWNER TO ${owner}`;
  }
  const schema = names.length === 1 ? typeSchema(cluster, path, names[0]!) : undefined;
  const qualified = (schema === undefined ? names : [schema, names[0]!])
    .map(quoteIdentifier).join(".");
  const word = stmt.objectType === "OBJECT_DOMAIN" ? "DOMAIN" : "TYPE";
  return `ALTER ${word} ${qualified} OWNER TO ${owner}`;
}

/** The schema of the first SQL function of this name along the search path. */
function functionSchema(cluster: Cluster, path: readonly string[], name: string):
  string | undefined {
  const schemas = allSqlFunctions(cluster.local.catalog).filter((f) => f.name === name)
    .map((f) => f.schema);
  return path.find((s) => schemas.includes(s));
}

/** The schema of the first user type of this name along the search path. */
function typeSchema(cluster: Cluster, path: readonly string[], name: string):
  string | undefined {
  const schemas = allUserTypes(cluster.local.catalog).filter((t) => t.name === name)
    .map((t) => t.schema);
  return path.find((s) => schemas.includes(s));
}

function stringsOf(nodes: readonly ast.Node[] | undefined): string[] {
  return (nodes ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
}
