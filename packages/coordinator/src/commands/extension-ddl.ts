/**
 * CREATE / DROP EXTENSION on the coordinator, propagated as Citus propagates them
 * (`commands/extension.c`): the statement runs on the coordinator, then on every worker, so
 * shards can use what the extension brings (btree_gist's gist operator classes in an
 * exclusion constraint's shard DDL). The workers get `IF NOT EXISTS` / `IF EXISTS`, since
 * a worker may hold the extension already. citus and plpgsql are part of every node and are
 * never sent. A worker that joins later gets the coordinator's extensions first
 * (`extensionCreateStatements`, run by `typesAndFunctionsToNewNode`).
 */
import { extensionsOf, type Engine, type PreparedStatement } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { deparseSync } from "pgsql-deparser";
import type { Cluster } from "../cluster.js";
import { runOnWorkers } from "../operations/type-function-propagation.js";
import { quoteIdentifier } from "../metadata/naming.js";
import { ddlStatement, runLocal } from "./ddl.js";
import { ddlPropagationOn } from "./schema-ddl.js";

/** Extensions every node has; statements naming only them stay on the coordinator. */
const everyNode = new Set(["citus", "plpgsql"]);

/** Prepares CREATE or DROP EXTENSION, or returns undefined for other statements. */
export function prepareExtensionDdl(cluster: Cluster, stmt: ast.Node):
  PreparedStatement | undefined {
  const forWorkers = workerStatement(stmt);
  if (forWorkers === undefined) return undefined;
  return ddlStatement(cluster, async (ctx) => {
    const tag = await runLocal(cluster, stmt, ctx);
    if (ddlPropagationOn(ctx)) {
      await runOnWorkers(cluster, [deparseSync(forWorkers, { pretty: false })], ctx);
    }
    return tag;
  });
}

/** The statement the workers run, or undefined when it is not one to propagate. */
function workerStatement(stmt: ast.Node): ast.Node | undefined {
  if ("CreateExtensionStmt" in stmt) {
    const create = stmt.CreateExtensionStmt;
    if (everyNode.has(create.extname ?? "")) return undefined;
    return { CreateExtensionStmt: { ...create, if_not_exists: true } };
  }
  if ("DropStmt" in stmt && stmt.DropStmt.removeType === "OBJECT_EXTENSION") {
    const names = (stmt.DropStmt.objects ?? [])
      .map((o) => ("String" in o ? o.String.sval ?? "" : ""));
    if (names.every((n) => everyNode.has(n))) return undefined;
    return { DropStmt: { ...stmt.DropStmt, missing_ok: true } };
  }
  return undefined;
}

/** CREATE EXTENSION IF NOT EXISTS for each extension the coordinator added (new nodes). */
export function extensionCreateStatements(catalog: Engine["catalog"]): string[] {
  return extensionsOf(catalog).filter(([name]) => !everyNode.has(name))
    .map(([name]) => `CREATE EXTENSION IF NOT EXISTS ${quoteIdentifier(name)}`);
}
