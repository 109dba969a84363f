/**
 * Joins of distributed tables that are not colocated, or not joined on their distribution
 * columns. Citus runs an inner equi-join of such tables as a repartition join, and only when
 * `citus.enable_repartition_joins` is on; off (the default), it fails with its executor error
 * (XX000, with a HINT). Tessera gives the same error; with the setting on, it reads each
 * table on its own (filters and needed columns pushed down, `table-subquery.ts`) and joins
 * them on the coordinator: the rows Citus would move between workers move to the
 * coordinator instead. Inner joins of plain tables whose clauses compare two distributed
 * tables other than by equality get the join order planner's 0A000 (`joinOrderError`);
 * other joins that Citus cannot repartition (outer joins, subqueries) keep the pushdown
 * planner's 0A000.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { citusFlag } from "../cluster.js";
import type { Classification } from "./classify.js";
import { checkColocatedJoin, queryTables, distributionResolver } from "./shard-groups.js";
import { columnNames } from "./raw.js";
import { conjuncts, fromItems } from "./table-subquery.js";
import { citusTablesAsSubqueries } from "./local-join.js";
import { someNode } from "./tree-walk.js";

/** The error Citus raises for a join that needs repartitioning while that is off. */
export function repartitionError(): SqlError {
  return new SqlError(SqlState.internalError,
    "the query contains a join that requires repartitioning", {
      hint: "Set citus.enable_repartition_joins to on to enable repartitioning",
    });
}

/**
 * Returns the query rewritten to read its tables one by one when its distributed tables need
 * a repartition join and that is on; throws Citus's error when it is off; returns undefined
 * when the tables join shard by shard, or the join is not one Citus repartitions.
 */
export function planRepartitionJoin(select: ast.SelectStmt, classification: Classification,
  ctx: Pick<StatementContext, "setting">): ast.SelectStmt | undefined {
  const tables = queryTables(classification.citus);
  if (checkColocatedJoin(select, tables) === undefined) return undefined;
  if (!repartitionable(select, classification)) {
    if (joinedWithoutEquality(select, classification)) throw joinOrderError();
    return undefined;
  }
  if (!citusFlag(ctx, "citus.enable_repartition_joins")) throw repartitionError();
  return citusTablesAsSubqueries(select, classification);
}

/**
 * The error of Citus's join order planner: inner joins of tables whose join clauses are not
 * equalities between columns (`ON a.id = b.id OR a.x = b.y`, `ON a.x < b.y`).
 */
export function joinOrderError(): SqlError {
  return new SqlError(SqlState.featureNotSupported, "complex joins are only supported when " +
    "all distributed tables are joined on their distribution columns with equal operator");
}

/**
 * True for inner joins of plain tables (no subqueries) where a clause compares columns of
 * two distributed tables other than by `a.x = b.y`: Citus plans such queries with its join
 * order planner, which finds no join rule for them.
 */
function joinedWithoutEquality(select: ast.SelectStmt, classification: Classification):
  boolean {
  const items = fromItems(select);
  if (items.some((item) => item.nullable || !("RangeVar" in item.node))) return false;
  if (classification.refs.length !== items.length) return false;
  const clauses = [...conjuncts(select.whereClause), ...joinQuals(select.fromClause ?? [])];
  if (someNode(clauses, (record) => "SubLink" in record)) return false;
  const aliasOf = aliasResolver(classification);
  const distributed = new Set(queryTables(classification.citus).distributed
    .map((ref) => ref.alias));
  return clauses.some((clause) => {
    if (isColumnEquality(clause)) return false;
    const aliases = new Set<string>();
    someNode(clause, (record) => {
      const ref = record["ColumnRef"] as ast.ColumnRef | undefined;
      const alias = ref === undefined ? undefined : aliasOf(ref);
      if (alias !== undefined && distributed.has(alias)) aliases.add(alias);
      return false;
    });
    return aliases.size >= 2;
  });
}

function isColumnEquality(clause: ast.Node): boolean {
  if (!("A_Expr" in clause) || clause.A_Expr.kind !== "AEXPR_OP") return false;
  const op = (clause.A_Expr.name ?? []).map((n) => ("String" in n ? n.String.sval : "")).at(-1);
  const { lexpr, rexpr } = clause.A_Expr;
  return op === "=" && lexpr !== undefined && rexpr !== undefined &&
    "ColumnRef" in lexpr && "ColumnRef" in rexpr;
}

/** Inner joins only, every distributed table equi-joined with some other table. */
function repartitionable(select: ast.SelectStmt, classification: Classification): boolean {
  const items = fromItems(select);
  if (items.some((item) => item.nullable || !("RangeVar" in item.node))) return false;
  if (classification.refs.length !== items.length) return false;
  const clauses = [...conjuncts(select.whereClause), ...joinQuals(select.fromClause ?? [])];
  const aliasOf = aliasResolver(classification);
  const joined = new Set<string>();
  for (const clause of clauses) {
    if (!("A_Expr" in clause) || clause.A_Expr.kind !== "AEXPR_OP") continue;
    const op = (clause.A_Expr.name ?? []).map((n) => ("String" in n ? n.String.sval : "")).at(-1);
    const { lexpr, rexpr } = clause.A_Expr;
    if (op !== "=" || lexpr === undefined || rexpr === undefined) continue;
    if (!("ColumnRef" in lexpr) || !("ColumnRef" in rexpr)) continue;
    const left = aliasOf(lexpr.ColumnRef);
    const right = aliasOf(rexpr.ColumnRef);
    if (left === undefined || right === undefined || left === right) continue;
    joined.add(left).add(right);
  }
  for (const alias of usingJoined(select.fromClause ?? [], classification)) joined.add(alias);
  return queryTables(classification.citus).distributed.every((ref) => joined.has(ref.alias));
}

/**
 * The tables a JOIN … USING (c) equi-joins: on each side, a table that has column c (the
 * subqueries that replace the tables keep c, `table-subquery.ts`).
 */
function usingJoined(items: readonly ast.Node[], classification: Classification): string[] {
  const holders = (item: ast.Node | undefined, column: string): string[] => {
    if (item === undefined) return [];
    if ("JoinExpr" in item) {
      return [...holders(item.JoinExpr.larg, column), ...holders(item.JoinExpr.rarg, column)];
    }
    if (!("RangeVar" in item)) return [];
    const alias = item.RangeVar.alias?.aliasname ?? item.RangeVar.relname ?? "";
    const ref = classification.refs.find((r) => r.alias === alias);
    return ref?.relation.columns.some((c) => !c.dropped && c.name === column) === true
      ? [alias] : [];
  };
  return items.flatMap((item) => {
    if (!("JoinExpr" in item)) return [];
    const join = item.JoinExpr;
    const nested = usingJoined([join.larg, join.rarg]
      .filter((n): n is ast.Node => n !== undefined), classification);
    const found = (join.usingClause ?? []).flatMap((name) => {
      const column = "String" in name ? name.String.sval ?? "" : "";
      const left = holders(join.larg, column);
      const right = holders(join.rarg, column);
      return left.length > 0 && right.length > 0 ? [left[0]!, right[0]!] : [];
    });
    return [...nested, ...found];
  });
}

function joinQuals(items: readonly ast.Node[]): ast.Node[] {
  return items.flatMap((item) => {
    if (!("JoinExpr" in item)) return [];
    const join = item.JoinExpr;
    const nested = joinQuals([join.larg, join.rarg].filter((n): n is ast.Node => n !== undefined));
    if ((join.usingClause ?? []).length > 0 || join.isNatural === true) return nested;
    return [...conjuncts(join.quals), ...nested];
  });
}

/** Resolves a column reference to the alias of the table it reads, when that is clear. */
function aliasResolver(classification: Classification):
  (ref: ast.ColumnRef) => string | undefined {
  const refs = classification.refs;
  const dist = distributionResolver(refs);
  return (column) => {
    const names = columnNames(column);
    if (names === undefined || names.length === 0) return undefined;
    if (names.length >= 2) return refs.find((r) => r.alias === names.at(-2))?.alias;
    const owners = refs.filter((r) => r.relation.columns.some((c) => !c.dropped &&
      c.name === names[0]));
    return owners.length === 1 ? owners[0]!.alias : dist(column)?.alias;
  };
}
