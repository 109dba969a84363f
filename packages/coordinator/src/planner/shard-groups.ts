/**
 * Which shard groups a query touches. Distributed tables of one query must be colocated and
 * joined on their distribution columns (an equality in WHERE or a JOIN's ON/USING), so that
 * shard i of each holds the matching rows: then one task per shard index i joins them on one
 * node. Each table is pruned by the WHERE clause (`prune.ts`) and, since joined rows share
 * their distribution value, the indexes of all tables intersect:
 *
 *     FROM events e JOIN devices d ON e.device_id = d.device_id WHERE d.device_id = 42
 *     e: all shards   d: {shard of 42}   ->   {shard of 42}: a router query
 *
 * Reference tables have one shard with a placement on every node and join anywhere.
 * Single-shard tables count as distributed tables with one shard group: tables of one
 * colocation group share a node, so any join among them runs there as one task; with a
 * table of another group or a hash table they need the same treatment as non-colocated
 * tables (a repartition join, or Citus's error).
 */
import { SqlError, assert } from "@tessera/base";
import { typeOf, type ast } from "@tessera/sql";
import { defaultFormatContext } from "@tessera/sql";
import type { CitusTable } from "../metadata/metadata-cache.js";
import type { TableRef } from "./classify.js";
import { pruneShards, type ConstantResult, type PruneContext } from "./prune.js";
import { columnNames, constantText, unsupported } from "./raw.js";

/** The Citus tables of a query's FROM clause. */
export interface QueryTables {
  readonly distributed: readonly TableRef[];
  readonly reference: readonly TableRef[];
}

/** Splits the Citus references into distributed (hash, single-shard) and reference tables. */
export function queryTables(citus: readonly TableRef[]): QueryTables {
  const distributed: TableRef[] = [];
  const reference: TableRef[] = [];
  for (const ref of citus) {
    const kind = ref.citus?.kind;
    if (kind === "hash" || kind === "single-shard") distributed.push(ref);
    else if (kind === "reference") reference.push(ref);
    else throw unsupported(`queries on ${kind ?? "local"} Citus tables are not supported yet`);
  }
  return { distributed, reference };
}

/** Resolves column references to distribution columns, for pruning and join checks. */
export function distributionResolver(refs: readonly TableRef[]):
  (ref: ast.ColumnRef) => { alias: string; typeOid: number } | undefined {
  return (ref) => {
    const names = columnNames(ref);
    if (names === undefined || names.length === 0) return undefined;
    const column = names.at(-1)!;
    const candidates = names.length >= 2
      ? refs.filter((r) => r.alias === names.at(-2))
      : refs.filter((r) => r.relation.columns.some((c) => !c.dropped && c.name === column));
    if (candidates.length !== 1) return undefined;
    const dist = candidates[0]!.citus?.distributionColumn;
    if (dist === undefined || dist === null || dist.name !== column) return undefined;
    return { alias: candidates[0]!.alias, typeOid: dist.typeOid };
  };
}

/** Returns why the distributed tables cannot run shard by shard, or undefined when they can. */
export function checkColocatedJoin(select: ast.SelectStmt | undefined,
  tables: QueryTables): SqlError | undefined {
  const dist = tables.distributed;
  if (dist.length <= 1) return undefined;
  const groups = new Set(dist.map((ref) => ref.citus!.partition.colocationid));
  const single = dist.filter((ref) => ref.citus!.kind === "single-shard").length;
  if (single === dist.length && groups.size === 1) return undefined;
  if (groups.size === 1 && joinedOnDistributionColumns(select, dist)) return undefined;
  return unsupported("complex joins are only supported when all distributed tables are " +
    "co-located and joined on their distribution columns");
}

/**
 * True when equalities of distribution columns (in WHERE, ON or USING) join all the
 * distributed tables into one group, whatever their colocation.
 */
export function joinedOnDistributionColumns(select: ast.SelectStmt | undefined,
  dist: readonly TableRef[]): boolean {
  const parent = new Map<string, string>(dist.map((ref) => [ref.alias, ref.alias]));
  const find = (alias: string): string => {
    let at = alias;
    for (let i = 0; i < parent.size && parent.get(at) !== at; i++) at = parent.get(at)!;
    return at;
  };
  const resolve = distributionResolver(dist);
  for (const clause of joinClauses(select)) {
    if (!("A_Expr" in clause) || clause.A_Expr.kind !== "AEXPR_OP") continue;
    const { lexpr, rexpr, name } = clause.A_Expr;
    const op = name?.map((n) => ("String" in n ? n.String.sval : "")).at(-1);
    if (op !== "=" || lexpr === undefined || rexpr === undefined) continue;
    if (!("ColumnRef" in lexpr) || !("ColumnRef" in rexpr)) continue;
    const left = resolve(lexpr.ColumnRef);
    const right = resolve(rexpr.ColumnRef);
    if (left !== undefined && right !== undefined) parent.set(find(left.alias), find(right.alias));
  }
  for (const [left, right] of usingPairs(select, dist)) parent.set(find(left), find(right));
  return new Set(dist.map((ref) => find(ref.alias))).size === 1;
}

/** The AND-ed equalities of WHERE and of every JOIN ... ON in FROM. */
export function joinClauses(select: ast.SelectStmt | undefined): ast.Node[] {
  const clauses: ast.Node[] = [];
  const conjuncts = (expr: ast.Node | undefined): void => {
    if (expr === undefined) return;
    if ("BoolExpr" in expr && expr.BoolExpr.boolop === "AND_EXPR") {
      for (const arg of expr.BoolExpr.args ?? []) conjuncts(arg);
      return;
    }
    clauses.push(expr);
  };
  const from = (item: ast.Node): void => {
    if (!("JoinExpr" in item)) return;
    conjuncts(item.JoinExpr.quals);
    if (item.JoinExpr.larg !== undefined) from(item.JoinExpr.larg);
    if (item.JoinExpr.rarg !== undefined) from(item.JoinExpr.rarg);
  };
  conjuncts(select?.whereClause);
  for (const item of select?.fromClause ?? []) from(item);
  return clauses;
}

/**
 * Pairs of distributed tables that a JOIN ... USING (c) joins on their distribution column c:
 * every table under the left side with distribution column c against every one on the right.
 */
function usingPairs(select: ast.SelectStmt | undefined,
  dist: readonly TableRef[]): [string, string][] {
  const pairs: [string, string][] = [];
  const aliasesUnder = (item: ast.Node | undefined, column: string): string[] => {
    if (item === undefined) return [];
    if ("JoinExpr" in item) {
      return [...aliasesUnder(item.JoinExpr.larg, column),
        ...aliasesUnder(item.JoinExpr.rarg, column)];
    }
    if (!("RangeVar" in item)) return [];
    const alias = item.RangeVar.alias?.aliasname ?? item.RangeVar.relname ?? "";
    const ref = dist.find((r) => r.alias === alias);
    return ref?.citus?.distributionColumn?.name === column ? [alias] : [];
  };
  const visit = (item: ast.Node): void => {
    if (!("JoinExpr" in item)) return;
    const join = item.JoinExpr;
    for (const name of join.usingClause ?? []) {
      const column = "String" in name ? name.String.sval ?? "" : "";
      for (const left of aliasesUnder(join.larg, column)) {
        for (const right of aliasesUnder(join.rarg, column)) pairs.push([left, right]);
      }
    }
    if (join.larg !== undefined) visit(join.larg);
    if (join.rarg !== undefined) visit(join.rarg);
  };
  for (const item of select?.fromClause ?? []) visit(item);
  return pairs;
}

/** Returns the shard indexes the query must visit, ascending. */
export function shardIndexes(where: ast.Node | undefined, tables: QueryTables): number[] {
  const dist = tables.distributed;
  if (dist.length === 0) return [0];
  const context: PruneContext = {
    resolveColumn: distributionResolver([...dist, ...tables.reference]),
    evaluateConstant,
  };
  let result: Set<number> | undefined;
  for (const ref of dist) {
    const table: CitusTable = ref.citus!;
    if (table.kind === "single-shard") {
      result = result === undefined ? new Set([0]) : new Set([...result].filter((i) => i === 0));
      continue;
    }
    const column = table.distributionColumn;
    assert(column !== null, "hash tables have a distribution column");
    const pruned = pruneShards(where, { alias: ref.alias, typeOid: column.typeOid,
      ranges: table.ranges }, context);
    const indexes = new Set(pruned.shardIndexes);
    result = result === undefined ? indexes : new Set([...result].filter((i) => indexes.has(i)));
  }
  return [...(result ?? [])].sort((a, b) => a - b);
}

/** Reads a constant (bound parameters are constants by now) as a value of `typeOid`. */
export function evaluateConstant(expr: ast.Node, typeOid: number): ConstantResult {
  const text = constantText(expr);
  if (text === undefined) return { ok: false };
  if (text === null) return { ok: true, value: null };
  try {
    return { ok: true, value: typeOf(typeOid).input(text, -1, defaultFormatContext) };
  } catch {
    return { ok: false };
  }
}
