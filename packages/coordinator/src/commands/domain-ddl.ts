/**
 * Domain DDL on the coordinator, propagated to the worker nodes as Citus does
 * (`commands/domain.c`): the statement runs in the local engine first (its checks and errors
 * are PostgreSQL's), then goes to every active worker, schema-qualified, so shards can have
 * columns of the domain and enforce it:
 *
 *   CREATE DOMAIN …                   -> CREATE DOMAIN "s"."d" AS … built from the catalog
 *   ALTER DOMAIN … / RENAME …         -> the same statement, its domain name qualified
 *   DROP DOMAIN (or DROP TYPE) …      -> DROP DOMAIN IF EXISTS of the domains it dropped
 *   citus_add_node                    -> every domain, by `domainCreateStatements`
 *
 * ALTER DOMAIN … ADD CONSTRAINT checks the stored values on the workers too, where the shards
 * hold them; a violation there fails the statement everywhere. With
 * `citus.enable_ddl_propagation` off the statement runs on the coordinator only.
 */
import type { PreparedStatement, StatementContext, DomainType } from "@tessera/engine";
import { domainsOf, findDomain } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { deparseSync } from "pgsql-deparser";
import type { Cluster } from "../cluster.js";
import { quoteIdentifier } from "../metadata/naming.js";
import { deparseExpr } from "../operations/shard-ddl.js";
import { runOnWorkers, typeSql } from "../operations/type-function-propagation.js";
import { ddlStatement, runLocal } from "./ddl.js";
import { ddlPropagationOn } from "./schema-ddl.js";

function qualified(domain: DomainType): string {
  return `${quoteIdentifier(domain.schema)}.${quoteIdentifier(domain.name)}`;
}

function names(domain: DomainType): ast.Node[] {
  return [{ String: { sval: domain.schema } }, { String: { sval: domain.name } }];
}

function nameParts(nodes: readonly ast.Node[] | undefined): { schema?: string; name: string } {
  const parts = (nodes ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const name = parts[parts.length - 1] ?? "";
  return parts.length > 1 ? { schema: parts[parts.length - 2]!, name } : { name };
}

/** `CREATE DOMAIN "s"."d" AS base [DEFAULT …] [NOT NULL] [CONSTRAINT "c" CHECK (…)] …`. */
export function domainCreateSql(domain: DomainType,
  typeSql: (oid: number, typmod: number) => string): string {
  let sql = `CREATE DOMAIN ${qualified(domain)} AS ${typeSql(domain.baseType, domain.baseTypmod)}`;
  if (domain.defaultExpr !== null) sql += ` DEFAULT ${deparseExpr(domain.defaultExpr)}`;
  if (domain.notNull) sql += " NOT NULL";
  for (const c of domain.constraints) {
    if (!c.validated) continue;
    sql += ` CONSTRAINT ${quoteIdentifier(c.name)} CHECK (${deparseExpr(c.expr)})`;
  }
  return sql;
}

/** The statements that give a new node every domain, in creation order, NOT VALID ones too. */
export function domainCreateStatements(cluster: Cluster,
  typeSql: (oid: number, typmod: number) => string): string[] {
  const domains = [...domainsOf(cluster.local.catalog).values()].sort((a, b) => a.oid - b.oid);
  return domains.flatMap((d) => [domainCreateSql(d, typeSql),
    ...d.constraints.filter((c) => !c.validated).map((c) =>
      `ALTER DOMAIN ${qualified(d)} ADD CONSTRAINT ${quoteIdentifier(c.name)} ` +
      `CHECK (${deparseExpr(c.expr)}) NOT VALID`)]);
}

function pathOf(cluster: Cluster, ctx: StatementContext): string[] {
  return cluster.local.catalog.searchPath(ctx.setting("search_path"), ctx.user,
    ctx.backendPid ?? 0);
}

/** The domain an ALTER or RENAME names, as the local engine finds it, before it runs. */
function namedDomain(cluster: Cluster, ctx: StatementContext,
  nodes: readonly ast.Node[] | undefined): DomainType | undefined {
  const { schema, name } = nameParts(nodes);
  return findDomain(cluster.local.catalog, pathOf(cluster, ctx), schema, name);
}

/** The statement for the workers, with the domain's name (as it was) qualified. */
function workerStatement(stmt: ast.Node, domain: DomainType): string | undefined {
  if ("AlterDomainStmt" in stmt) {
    const node = { AlterDomainStmt: { ...stmt.AlterDomainStmt, typeName: names(domain) } };
    return deparseSync(node, { pretty: false });
  }
  if (!("RenameStmt" in stmt)) return undefined;
  // Written out: the deparser prints RENAME CONSTRAINT's domain name as a list.
  const rename = stmt.RenameStmt;
  const to = quoteIdentifier(rename.newname ?? "");
  return rename.renameType === "OBJECT_DOMCONSTRAINT"
    ? `ALTER DOMAIN ${qualified(domain)} RENAME CONSTRAINT ` +
      `${quoteIdentifier(rename.subname ?? "")} TO ${to}`
    : `ALTER DOMAIN ${qualified(domain)} RENAME TO ${to}`;
}

function isDomainStatement(cluster: Cluster, stmt: ast.Node, path: () => string[]): boolean {
  if ("CreateDomainStmt" in stmt || "AlterDomainStmt" in stmt) return true;
  if ("RenameStmt" in stmt) {
    return stmt.RenameStmt.renameType === "OBJECT_DOMAIN" ||
      stmt.RenameStmt.renameType === "OBJECT_DOMCONSTRAINT";
  }
  if (!("DropStmt" in stmt)) return false;
  const drop = stmt.DropStmt;
  if (drop.removeType === "OBJECT_DOMAIN") return true;
  if (drop.removeType !== "OBJECT_TYPE") return false;
  // DROP TYPE of domains only; other types are `type-function-ddl.ts`'s.
  const objects = (drop.objects ?? []).map((o) =>
    nameParts("TypeName" in o ? o.TypeName.names : undefined));
  const found = objects.map(({ schema, name }) =>
    findDomain(cluster.local.catalog, path(), schema, name));
  return found.some((d) => d !== undefined) && found.every((d) => d !== undefined);
}

/** Prepares domain DDL, or returns undefined for other statements. */
export function prepareDomainDdl(cluster: Cluster, stmt: ast.Node, ctx: StatementContext):
  PreparedStatement | undefined {
  if (!isDomainStatement(cluster, stmt, () => pathOf(cluster, ctx))) return undefined;
  return ddlStatement(cluster, (runCtx) => propagate(cluster, stmt, runCtx));
}

async function propagate(cluster: Cluster, stmt: ast.Node, ctx: StatementContext):
  Promise<string> {
  const catalog = cluster.local.catalog;
  const before = new Set(domainsOf(catalog).values());
  const target = "AlterDomainStmt" in stmt
    ? namedDomain(cluster, ctx, stmt.AlterDomainStmt.typeName)
    : "RenameStmt" in stmt && stmt.RenameStmt.object !== undefined &&
      "List" in stmt.RenameStmt.object
      ? namedDomain(cluster, ctx, stmt.RenameStmt.object.List.items) : undefined;
  const targetName = target === undefined ? undefined : { ...target };
  const tag = await runLocal(cluster, stmt, ctx);
  if (!ddlPropagationOn(ctx)) return tag;
  const after = new Set(domainsOf(catalog).values());
  const statements: string[] = [];
  const dropped = [...before].filter((d) => !after.has(d));
  if (dropped.length > 0) {
    const cascade = "DropStmt" in stmt && stmt.DropStmt.behavior === "DROP_CASCADE";
    statements.push(`DROP DOMAIN IF EXISTS ${dropped.map(qualified).join(", ")}` +
      (cascade ? " CASCADE" : ""));
  }
  for (const created of [...after].filter((d) => !before.has(d))) {
    statements.push(domainCreateSql(created, (oid, typmod) => typeSql(cluster, oid, typmod)));
  }
  if (targetName !== undefined) {
    const sql = workerStatement(stmt, targetName);
    if (sql !== undefined) statements.push(sql);
  }
  await runOnWorkers(cluster, statements, ctx);
  return tag;
}
