/**
 * Maintenance commands on Citus tables, propagated as Citus does:
 *
 * - VACUUM and ANALYZE (`commands/vacuum.c`): the statement runs on the coordinator, then
 *   once per shard placement of each Citus table it names, outside any transaction (VACUUM
 *   cannot run in one), with the same options and columns:
 *       VACUUM (FULL, ANALYZE) events (device_id)
 *    -> VACUUM (FULL, ANALYZE) public.events_102008 (device_id)   … every shard
 *   A table named with ONLY stays on the coordinator; a VACUUM or ANALYZE naming no table
 *   runs as it is on every worker too.
 * - REINDEX TABLE and CLUSTER … USING (`commands/cluster.c`): on the shell table and every
 *   shard, in one transaction, the index named by its shard's name; CLUSTER (VERBOSE) is
 *   refused as Citus refuses it.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { PreparedStatement } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { shardNodes, type Cluster } from "../cluster.js";
import { preparedStatement } from "../executor/cursor.js";
import type { Task } from "../executor/tasks.js";
import { quoteIdentifier } from "../metadata/naming.js";
import { schemaNodes } from "../operations/schema-propagation.js";
import { qualifiedShard } from "../operations/shard-ddl.js";
import type { Classification } from "../planner/classify.js";
import { propagateToShards, runLocal } from "./ddl.js";
import { runShardCommands } from "./shard-command-batch.js";

/** VACUUM / ANALYZE, REINDEX or CLUSTER on Citus tables; undefined for other statements. */
export function prepareMaintenance(cluster: Cluster, stmt: ast.Node,
  classification: Classification): PreparedStatement | undefined {
  if ("VacuumStmt" in stmt) return prepareVacuum(cluster, stmt, stmt.VacuumStmt, classification);
  if (!("ReindexStmt" in stmt) && !("ClusterStmt" in stmt)) return undefined;
  const target = classification.citus.find((ref) => ref.position.endsWith("Stmt.relation"));
  if (target === undefined) return undefined;
  if ("ClusterStmt" in stmt && (stmt.ClusterStmt.params ?? []).some((p) =>
    "DefElem" in p && p.DefElem.defname === "verbose")) {
    throw new SqlError(SqlState.internalError, "cannot run CLUSTER command",
      { detail: "VERBOSE option is currently unsupported for distributed tables." });
  }
  return propagateToShards(cluster, stmt, classification, target);
}

/** True for a VACUUM or ANALYZE that names no table (it then runs on every node). */
export function isUnqualifiedVacuum(stmt: ast.Node): boolean {
  return "VacuumStmt" in stmt && (stmt.VacuumStmt.rels ?? []).length === 0;
}

function prepareVacuum(cluster: Cluster, stmt: ast.Node, vacuum: ast.VacuumStmt,
  classification: Classification): PreparedStatement {
  const prefix = vacuumPrefix(vacuum);
  const tasks = (): Task[] => {
    if ((vacuum.rels ?? []).length === 0) {
      return schemaNodes(cluster).map((node) =>
        ({ sql: prefix.trimEnd(), params: [], shardId: null, node }));
    }
    return (vacuum.rels ?? []).flatMap((rel) => {
      const relation = "VacuumRelation" in rel ? rel.VacuumRelation : undefined;
      const ref = classification.citus.find((r) => r.rangeVar === relation?.relation);
      if (relation === undefined || ref === undefined || relation.relation?.inh !== true) {
        return [];
      }
      const columns = (relation.va_cols ?? []).map((c) =>
        quoteIdentifier("String" in c ? c.String.sval ?? "" : ""));
      const list = columns.length === 0 ? "" : ` (${columns.join(", ")})`;
      return ref.citus!.shards.flatMap((shard) => shardNodes(cluster, shard).map((node):
        Task => ({ node, params: [], shardId: shard.row.shardid,
        sql: `${prefix}${qualifiedShard(ref.relation, shard.row.shardid)}${list}` })));
    });
  };
  return preparedStatement(null, [], async (_params, ctx) => {
    const tag = await runLocal(cluster, stmt, ctx);
    await runShardCommands(cluster, tasks(), ctx, { grouped: false });
    return { rows: [], commandTag: tag };
  });
}

/** "VACUUM " or "ANALYZE ", with the statement's options in parentheses. */
function vacuumPrefix(vacuum: ast.VacuumStmt): string {
  const options = (vacuum.options ?? []).flatMap((o) => {
    if (!("DefElem" in o)) return [];
    const { defname, arg } = o.DefElem;
    const value = arg === undefined ? "" : ` ${optionValue(arg)}`;
    return [`${(defname ?? "").toUpperCase()}${value}`];
  });
  const verb = vacuum.is_vacuumcmd === true ? "VACUUM" : "ANALYZE";
  return options.length === 0 ? `${verb} ` : `${verb} (${options.join(", ")}) `;
}

function optionValue(arg: ast.Node): string {
  if ("Integer" in arg) return String(arg.Integer.ival ?? 0);
  if ("String" in arg) return quoteIdentifier(arg.String.sval ?? "");
  if ("Boolean" in arg) return arg.Boolean.boolval === true ? "true" : "false";
  if ("A_Const" in arg) {
    const c = arg.A_Const;
    if (c.ival !== undefined) return String(c.ival.ival ?? 0);
    if (c.sval !== undefined) return quoteIdentifier(c.sval.sval ?? "");
    if (c.boolval !== undefined) return c.boolval.boolval === true ? "true" : "false";
  }
  return "";
}
