/**
 * Roles and privileges on the coordinator, propagated as Citus propagates them
 * (`commands/role.c`, `commands/grant.c`):
 *
 *   CREATE / ALTER / DROP ROLE, ALTER ROLE … RENAME, GRANT / REVOKE role, COMMENT ON ROLE
 *   and COMMENT ON DATABASE
 *       run on the coordinator, then the same statement on every worker; a password goes
 *       out as the coordinator's stored SCRAM secret, so every node keeps the same one
 *   GRANT / REVOKE on tables (and on their columns)
 *       run on the coordinator (the shell tables), then on every placement of every shard
 *       of the distributed and reference tables it names
 *   ALTER DEFAULT PRIVILEGES
 *       run on the coordinator, then on every worker, as Citus propagates it
 *   GRANT / REVOKE on schemas, sequences and functions
 *       the coordinator only: queries are checked there, and the workers are reached as the
 *       cluster's superuser
 *   ALTER … OWNER TO, REASSIGN OWNED, DROP OWNED
 *       `owner-ddl.ts`
 *
 * The coordinator's change and the workers' commit or roll back together
 * (`ddl-transaction.ts`); with `citus.enable_ddl_propagation` off the statement runs on the
 * coordinator only.
 */
import type { PreparedStatement, StatementContext } from "@tessera/engine";
import { loginRoleOf } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { deparseSync } from "pgsql-deparser";
import { shardNodes, type Cluster } from "../cluster.js";
import { runOnWorkers } from "../operations/type-function-propagation.js";
import { shardName } from "../metadata/naming.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import { ddlStatement, runLocal } from "./ddl.js";
import { ddlPropagationOn } from "./schema-ddl.js";
import { prepareOwnerDdl } from "./owner-ddl.js";
import { runShardCommands, type ShardCommand } from "./shard-command-batch.js";

/** Prepares role DDL or GRANT / REVOKE, or returns undefined for other statements. */
export function prepareRoleDdl(cluster: Cluster, stmt: ast.Node): PreparedStatement | undefined {
  const owner = prepareOwnerDdl(cluster, stmt);
  if (owner !== undefined) return owner;
  if ("CreateRoleStmt" in stmt || "AlterRoleStmt" in stmt || "DropRoleStmt" in stmt ||
    "GrantRoleStmt" in stmt || "AlterDefaultPrivilegesStmt" in stmt ||
    ("RenameStmt" in stmt && stmt.RenameStmt.renameType === "OBJECT_ROLE") ||
    ("CommentStmt" in stmt && sharedComments.has(stmt.CommentStmt.objtype ?? ""))) {
    return ddlStatement(cluster, async (ctx) => {
      const tag = await runLocal(cluster, stmt, ctx);
      if (ddlPropagationOn(ctx)) {
        await runOnWorkers(cluster, [deparseSync(withStoredSecret(cluster, stmt),
          { pretty: false })], ctx);
      }
      return tag;
    });
  }
  if ("GrantStmt" in stmt) {
    const grant = stmt.GrantStmt;
    return ddlStatement(cluster, async (ctx) => {
      const tag = await runLocal(cluster, stmt, ctx);
      if (ddlPropagationOn(ctx)) await grantOnShards(cluster, grant, ctx);
      return tag;
    });
  }
  return undefined;
}

/** COMMENT ON ROLE and DATABASE, which Citus runs on every node (`comment.c`). */
const sharedComments = new Set(["OBJECT_ROLE", "OBJECT_DATABASE"]);

/** The statement with its PASSWORD option replaced by the secret the coordinator stored. */
function withStoredSecret(cluster: Cluster, stmt: ast.Node): ast.Node {
  const role = "CreateRoleStmt" in stmt ? stmt.CreateRoleStmt.role
    : "AlterRoleStmt" in stmt ? stmt.AlterRoleStmt.role?.rolename : undefined;
  const options = "CreateRoleStmt" in stmt ? stmt.CreateRoleStmt.options
    : "AlterRoleStmt" in stmt ? stmt.AlterRoleStmt.options : undefined;
  if (role === undefined || options === undefined) return stmt;
  const secret = loginRoleOf(cluster.local.catalog, role)?.secret ?? null;
  const replaced = options.map((node): ast.Node => {
    if (!("DefElem" in node) || node.DefElem.defname !== "password" ||
      node.DefElem.arg === undefined) {
      return node;
    }
    const { arg: _given, ...rest } = node.DefElem;
    return { DefElem: secret === null ? rest : { ...rest, arg: { String: { sval: secret } } } };
  });
  if ("CreateRoleStmt" in stmt) {
    return { CreateRoleStmt: { ...stmt.CreateRoleStmt, options: replaced } };
  }
  if ("AlterRoleStmt" in stmt) {
    return { AlterRoleStmt: { ...stmt.AlterRoleStmt, options: replaced } };
  }
  return stmt;
}

/** Sends a table GRANT / REVOKE to every placement of the Citus tables it names. */
async function grantOnShards(cluster: Cluster, grant: ast.GrantStmt, ctx: StatementContext):
  Promise<void> {
  const objtype = grant.objtype ?? "OBJECT_TABLE";
  if (objtype !== "OBJECT_TABLE") return;
  const commands: ShardCommand[] = [];
  for (const table of citusTargets(cluster, grant, ctx)) {
    for (const shard of table.shards) {
      const id = shard.row.shardid;
      const onShard: ast.Node = { GrantStmt: { ...grant, targtype: "ACL_TARGET_OBJECT",
        objects: [{ RangeVar: { schemaname: table.schemaName,
          relname: shardName(table.relationName, id), inh: true, relpersistence: "p" } }] } };
      const sql = deparseSync(onShard, { pretty: false });
      for (const node of shardNodes(cluster, shard)) commands.push({ sql, node, shardId: id });
    }
  }
  await runShardCommands(cluster, commands, ctx);
}

/** The distributed and reference tables a GRANT names, by name or ALL TABLES IN SCHEMA. */
function citusTargets(cluster: Cluster, grant: ast.GrantStmt, ctx: StatementContext):
  CitusTable[] {
  const cache = cluster.metadata.cache;
  const local = cluster.local;
  if (grant.targtype === "ACL_TARGET_ALL_IN_SCHEMA") {
    const schemas = new Set((grant.objects ?? []).map((n) =>
      ("String" in n ? n.String.sval ?? "" : "")));
    return [...cache.tables()].filter((t) => schemas.has(t.schemaName));
  }
  const path = local.statementScope([], ctx).path;
  const found: CitusTable[] = [];
  for (const node of grant.objects ?? []) {
    if (!("RangeVar" in node)) continue;
    const rv = node.RangeVar;
    const rel = local.catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
    const table = rel === undefined ? undefined : cache.tableByName(rel.schema, rel.name);
    if (table !== undefined) found.push(table);
  }
  return found;
}
