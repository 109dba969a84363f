/**
 * The Citus tables of an UPDATE … FROM or DELETE … USING on a distributed table: the target
 * and the tables it joins with, which must be colocated with it and joined on the
 * distribution column (or be reference tables), so that each shard group's task joins its
 * own rows, as Citus's router and multi-shard modify planners require:
 *
 *     UPDATE dx_events e SET qty = 0 FROM dx_devices d
 *       WHERE d.device_id = e.device_id AND d.active
 *  -> per shard group i: UPDATE dx_events_<i> e SET qty = 0 FROM dx_devices_<i> d WHERE …
 *
 * Local tables next to the target are shipped (`local-join.ts`).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Classification, TableRef } from "./classify.js";
import { rangeVarKey } from "./distributed-select.js";
import { unsupported } from "./raw.js";
import {
  checkColocatedJoin, joinedOnDistributionColumns, queryTables, type QueryTables,
} from "./shard-groups.js";
import { fromItems } from "./table-subquery.js";

/** Returns the Citus tables a modification runs over, or throws why it cannot. */
export function modifyJoinTables(stmt: ast.Node, target: TableRef,
  classification: Classification, inside: ReadonlySet<string> = new Set()): QueryTables {
  // Tables read inside subqueries are planned on their own (`modify-subqueries.ts`).
  const others = classification.citus.filter((ref) => ref !== target &&
    !inside.has(rangeVarKey(ref.rangeVar)));
  const hash = target.citus?.kind === "hash" || target.citus?.kind === "single-shard";
  if (others.length === 0) {
    return hash ? { distributed: [target], reference: [] }
      : { distributed: [], reference: [target] };
  }
  const joinedRefs = [target, ...others];
  if (oneNode(target, others)) return queryTables(joinedRefs);
  const verb = "UpdateStmt" in stmt ? "UPDATE" : "DELETE";
  if (!hash && others.some((ref) => ref.citus?.kind !== "reference")) {
    throw new SqlError(SqlState.featureNotSupported,
      "cannot perform select on a distributed table and modify a reference table");
  }
  if (!hash) {
    throw unsupported(`${verb} of a reference table with other Citus tables is not ` +
      "supported yet");
  }
  const from = "UpdateStmt" in stmt ? stmt.UpdateStmt.fromClause
    : "DeleteStmt" in stmt ? stmt.DeleteStmt.usingClause : undefined;
  const where = "UpdateStmt" in stmt ? stmt.UpdateStmt.whereClause
    : "DeleteStmt" in stmt ? stmt.DeleteStmt.whereClause : undefined;
  const joined: ast.SelectStmt = {
    fromClause: [{ RangeVar: target.rangeVar }, ...(from ?? [])],
    ...(where !== undefined && { whereClause: where }),
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
  };
  const top = new Set(fromItems(joined).flatMap((item) =>
    ("RangeVar" in item.node ? [rangeVarKey(item.node.RangeVar)] : [])));
  if (others.some((ref) => !top.has(rangeVarKey(ref.rangeVar)))) {
    throw unsupported(`${verb} with subqueries on other Citus tables is not supported yet`);
  }
  const tables = queryTables(joinedRefs);
  const why = checkColocatedJoin(joined, tables);
  if (why === undefined) return tables;
  const apart = tables.distributed.find((ref) =>
    ref.citus!.partition.colocationid !== target.citus!.partition.colocationid);
  if (apart !== undefined && joinedOnDistributionColumns(joined, tables.distributed)) {
    // Joined on the distribution columns but not colocated: Citus's pushdown planner's error.
    throw new SqlError(SqlState.featureNotSupported, "cannot push down this subquery",
      { detail: `${target.relation.name} and ${apart.relation.name} are not colocated` });
  }
  throw why;
}

/**
 * True when the target is a single-shard table and every other Citus table is a reference
 * table or a single-shard table of its colocation group: the whole statement, subqueries
 * included, runs on the group's node as one task, as Citus's router planner does.
 */
function oneNode(target: TableRef, others: readonly TableRef[]): boolean {
  const table = target.citus;
  if (table?.kind !== "single-shard") return false;
  return others.every((ref) => ref.citus?.kind === "reference" ||
    (ref.citus?.kind === "single-shard" &&
      ref.citus.partition.colocationid === table.partition.colocationid));
}
