/**
 * MERGE into a distributed table from a source that is not colocated with it shard by shard
 * (a reference table, a distributed table of another colocation group or joined on another
 * column, a subquery over Citus tables): Citus's repartition plan
 * (CreateNonPushableMergePlan). The source query runs first, as a distributed SELECT; its rows
 * go to the target's shards by the hash of the source column that ON equates with the
 * target's distribution column; then each shard with rows runs the MERGE over them:
 *
 *     MERGE INTO mg_dt t USING mg_rt s ON t.id = s.id …
 *  -> SELECT * FROM mg_rt s;  then per target shard with rows:
 *     MERGE INTO mg_dt_<i> t USING (VALUES ('1'::integer, 'x'::text), …) s(id, v) ON t.id = s.id …
 *
 * A source row whose join value is NULL matches no target row; it goes to the first shard.
 * Citus's checks come with its messages: the equi-join on the distribution column, the
 * INSERT of the joined source column, no subqueries in ON or in the actions.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { PreparedStatement, StatementContext } from "@tessera/engine";
import type { Row, ast } from "@tessera/sql";
import { shardNodes, type Cluster } from "../cluster.js";
import { preparedStatement } from "../executor/cursor.js";
import { sumCounts, valueText, type Task } from "../executor/tasks.js";
import { hashValue } from "../metadata/hash.js";
import { shardIndexForHash } from "../metadata/shard-ranges.js";
import { bindParams } from "./bind-params.js";
import type { TableRef } from "./classify.js";
import type { ModifyRunner } from "./distributed-modify.js";
import { castTo, columnNames } from "./raw.js";
import { shardQueryText } from "./shard-query.js";
import { someNode } from "./tree-walk.js";

/** Prepares a statement through the distributed engine (the source SELECT). */
export type PrepareQuery = (stmt: ast.Node, paramTypes: readonly number[],
  ctx: StatementContext) => PreparedStatement;

export interface RepartitionInput {
  readonly merge: ast.MergeStmt;
  readonly target: TableRef;
  /** The column ref an INSERT action stores in the target's distribution column, if any. */
  readonly insertValue: ast.ColumnRef | undefined;
  readonly paramTypes: readonly number[];
}

export function prepareRepartitionedMerge(cluster: Cluster, input: RepartitionInput,
  prepare: PrepareQuery, ctx: StatementContext, runner: ModifyRunner): PreparedStatement {
  const { merge, target } = input;
  const hint = "Consider making the source and target colocated and joined on the " +
    "distribution column to make it a routable query";
  if (hasSubquery(merge.joinCondition)) {
    throw citusError("Sub-queries and CTEs are not allowed in ON clause for MERGE with " +
      "repartitioning", { hint });
  }
  if (hasSubquery(merge.mergeWhenClauses)) {
    throw citusError("Sub-queries and CTEs are not allowed in actions for MERGE with " +
      "repartitioning", { hint });
  }
  const source = merge.sourceRelation!;
  const alias = sourceAlias(source);
  const select: ast.Node = { SelectStmt: { targetList: [{ ResTarget: { val: { ColumnRef:
    { fields: [{ A_Star: {} }] } } } }], fromClause: [source],
  limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
  const rows = prepare(select, input.paramTypes, ctx);
  const columns = rows.columns ?? [];
  const names = columns.map((c) => c.name);
  const joinAt = joinColumn(merge, target, alias, names);
  const dist = target.citus!.distributionColumn!;
  if (joinAt < 0 || columns[joinAt]!.typeOid !== dist.typeOid) throw missingJoin();
  if (input.insertValue !== undefined &&
    sourceColumnAt(input.insertValue, alias, names) !== joinAt) {
    throw citusError("MERGE INSERT must use the source's joining column for target's " +
      "distribution column");
  }
  const table = target.citus!;
  return preparedStatement(null, rows.paramTypes, async (params, runCtx) => {
    const cursor = rows.open(params, runCtx);
    let sourceRows: readonly Row[];
    try {
      sourceRows = (await cursor.fetch(0)).rows;
    } finally {
      cursor.close();
    }
    const groups = new Map<number, Row[]>();
    for (const row of sourceRows) {
      const value = row[joinAt] ?? null;
      const index = value === null ? 0
        : shardIndexForHash(table.ranges, hashValue(value, dist.typeOid));
      groups.set(index, [...groups.get(index) ?? [], row]);
    }
    const bound = bindParams(merge, params, rows.paramTypes);
    const tasks: Task[] = [];
    for (const [index, group] of [...groups].sort((a, b) => a[0] - b[0])) {
      const shard = table.shards[index]!;
      const values = group.map((row) => ({ List: { items: columns.map((c, i) =>
        castTo(literal(valueText(row[i] ?? null, c.typeOid)), c.typeOid, c.typeModifier)) } }));
      const sourceNode: ast.Node = { RangeSubselect: {
        subquery: { SelectStmt: { valuesLists: values, limitOption: "LIMIT_OPTION_DEFAULT",
          op: "SETOP_NONE" } },
        alias: { aliasname: alias, colnames: names.map((n) => ({ String: { sval: n } })) } } };
      const stmt: ast.Node = { MergeStmt: { ...bound, sourceRelation: sourceNode } };
      const sql = shardQueryText(stmt, { resolveRelation: (rv) => (rv === bound.relation
        ? { shardId: shard.row.shardid, schemaName: target.relation.schema } : undefined) });
      for (const node of shardNodes(cluster, shard)) {
        tasks.push({ sql, params: [], node, shardId: shard.row.shardid });
      }
    }
    const results = await runner(cluster, tasks, runCtx);
    const counted = results.filter((_r, i) =>
      tasks.findIndex((t) => t.shardId === tasks[i]!.shardId) === i);
    return { rows: [], commandTag: `MERGE ${sumCounts(counted)}` };
  });
}

function literal(text: string | null): ast.Node {
  return text === null ? { A_Const: { isnull: true } } : { A_Const: { sval: { sval: text } } };
}

function hasSubquery(tree: unknown): boolean {
  return someNode(tree, (record) => "SubLink" in record);
}

/** The name the source goes by (Citus takes a table, a subquery or a CTE). */
function sourceAlias(source: ast.Node): string {
  if ("RangeVar" in source) {
    return source.RangeVar.alias?.aliasname ?? source.RangeVar.relname ?? "";
  }
  if ("RangeSubselect" in source && source.RangeSubselect.alias?.aliasname !== undefined) {
    return source.RangeSubselect.alias.aliasname;
  }
  if ("JoinExpr" in source) {
    throw citusError("Source is not an explicit query", { hint: "Source query is a Join " +
      "expression, try converting into a query as SELECT * FROM (..Join..)" });
  }
  throw citusError("Currently, Citus only supports table, subquery, and CTEs as valid " +
    "sources for the MERGE operation");
}

/**
 * The position, in the source's columns, of the source column ON equates with the target's
 * distribution column (Citus's SinglePartitionJoinClause over ON's AND-ed parts), or -1.
 */
function joinColumn(merge: ast.MergeStmt, target: TableRef, alias: string,
  names: readonly string[]): number {
  const dist = target.citus!.distributionColumn!.name;
  const isTarget = (node: ast.Node | undefined): boolean => {
    if (node === undefined || !("ColumnRef" in node)) return false;
    const ref = columnNames(node.ColumnRef);
    if (ref === undefined || ref.at(-1) !== dist) return false;
    return ref.length >= 2 ? ref.at(-2) === target.alias : !names.includes(dist);
  };
  for (const part of conjuncts(merge.joinCondition)) {
    if (!("A_Expr" in part) || part.A_Expr.kind !== "AEXPR_OP") continue;
    const op = part.A_Expr.name?.map((n) => ("String" in n ? n.String.sval : "")).at(-1);
    if (op !== "=") continue;
    const { lexpr, rexpr } = part.A_Expr;
    const other = isTarget(lexpr) ? rexpr : isTarget(rexpr) ? lexpr : undefined;
    if (other === undefined || !("ColumnRef" in other)) continue;
    const at = sourceColumnAt(other.ColumnRef, alias, names);
    if (at >= 0) return at;
  }
  return -1;
}

function conjuncts(expr: ast.Node | undefined): ast.Node[] {
  if (expr === undefined) return [];
  if ("BoolExpr" in expr && expr.BoolExpr.boolop === "AND_EXPR") {
    return (expr.BoolExpr.args ?? []).flatMap(conjuncts);
  }
  return [expr];
}

/** The source column a column reference names, or -1 when it names none. */
function sourceColumnAt(ref: ast.ColumnRef, alias: string, names: readonly string[]): number {
  const parts = columnNames(ref);
  if (parts === undefined) return -1;
  if (parts.length >= 2 && parts.at(-2) !== alias) return -1;
  return names.indexOf(parts.at(-1)!);
}

function missingJoin(): SqlError {
  return citusError("The required join operation is missing between the target's " +
    "distribution column and any expression originating from the source. The issue may " +
    "arise from either a non-equi-join or a mismatch in the datatypes of the columns being " +
    "joined.", { detail: "Without a equi-join condition on the target's distribution column, " +
    "the source rows cannot be efficiently redistributed, and the NOT-MATCHED condition " +
    "cannot be evaluated unambiguously. This can result in incorrect or unexpected results " +
    "when attempting to merge tables in a distributed setting" });
}

/** An error Citus raises without a SQLSTATE (so XX000). */
export function citusError(message: string, extra: { detail?: string; hint?: string } = {}):
  SqlError {
  return new SqlError(SqlState.internalError, message, extra);
}
