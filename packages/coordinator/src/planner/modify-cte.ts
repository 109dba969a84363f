/**
 * Data-modifying CTEs over Citus tables, planned recursively as Citus plans them: the
 * INSERT, UPDATE or DELETE runs first, distributed like a statement of its own, and its
 * RETURNING rows become an intermediate result that the rest of the query reads:
 *
 *     WITH d AS (DELETE FROM dx_scratch WHERE id = 4 RETURNING id, k) SELECT * FROM d
 *  -> piece 1: DELETE FROM dx_scratch WHERE id = 4 RETURNING id, k   (routed to its shard)
 *  -> outer:   WITH d AS (SELECT ir.c1 AS id, ir.c2 AS k FROM <piece 1> ir) SELECT * FROM d
 *
 * As in Citus, the modification runs before the rest of the query, which therefore sees its
 * effects (PostgreSQL runs them in one snapshot). A CTE modifying a local table stays with
 * the local engine.
 */
import type { ColumnInfo, PreparedStatement, StatementContext } from "@tessera/engine";
import type { Value, ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import type { StatementResult } from "../executor/cursor.js";
import type { ColumnType } from "../executor/tasks.js";
import { classify } from "./classify.js";
import { prepareInsert, prepareUpdateOrDelete } from "./distributed-modify.js";

/** A data-modifying CTE, prepared as a distributed modification. */
export interface ModifyPiece {
  readonly columns: readonly ColumnInfo[];
  readonly paramTypes: readonly number[];
  readonly outputTypes: readonly ColumnType[];
  readonly modify: PreparedStatement;
}

const targetPositions: Readonly<Record<string, string>> = {
  InsertStmt: "InsertStmt.relation", UpdateStmt: "UpdateStmt.relation",
  DeleteStmt: "DeleteStmt.relation",
};

/** Prepares a CTE's modification of a Citus table; undefined for anything else. */
export function planModifyingCte(cluster: Cluster, query: ast.Node,
  paramTypes: readonly number[], ctx: StatementContext): ModifyPiece | undefined {
  const position = targetPositions[Object.keys(query)[0] ?? ""];
  if (position === undefined) return undefined;
  const path = cluster.local.statementScope(paramTypes, ctx).path;
  const found = classify(query, cluster.local.catalog, path, cluster.metadata.cache);
  if (!found.citus.some((ref) => ref.position === position)) return undefined;
  const modify = "InsertStmt" in query
    ? prepareInsert(cluster, query.InsertStmt, found, paramTypes, ctx)
    : prepareUpdateOrDelete(cluster, query, found, paramTypes, ctx);
  const columns = modify.columns ?? [];
  return { columns, paramTypes, modify,
    outputTypes: columns.map((c) => ({ typeOid: c.typeOid, typmod: c.typeModifier })) };
}

/** Runs the modification and returns its RETURNING rows. */
export async function runModifyPiece(piece: ModifyPiece, params: readonly Value[],
  ctx: StatementContext): Promise<StatementResult> {
  const cursor = piece.modify.open(params, ctx);
  try {
    const result = await cursor.fetch(0);
    return { rows: result.rows, commandTag: `SELECT ${result.rows.length}` };
  } finally {
    cursor.close();
  }
}
