/**
 * INSERT … SELECT pushed down to the shards, Citus's first strategy (`citus-surface.md` §7.4):
 * when the target and every table the SELECT reads are colocated hash-distributed tables (or
 * reference tables), and the target's distribution column is fed directly by a source's
 * distribution column of the same type, each shard group runs its own INSERT on its node and
 * no row passes through the coordinator:
 *
 *     INSERT INTO totals (device_id, n) SELECT device_id, count(*) FROM events GROUP BY 1
 *  -> per shard group, on the group's node:
 *     INSERT INTO public.totals_102040 AS citus_table_alias (device_id, n)
 *       SELECT device_id, count(*) FROM public.events_102008 events
 *       WHERE (device_id IS NOT NULL) GROUP BY device_id
 *
 * The `IS NOT NULL` filter is Citus's: a row whose distribution value is NULL belongs to no
 * shard. The SELECT is planned as a distributed SELECT with that filter; only when its
 * coordinator step would merely pass the columns through (nothing left to aggregate, sort or
 * limit there) do its shard queries become the INSERTs' sources. With ON CONFLICT the whole
 * statement is printed per shard instead, the target aliased `citus_table_alias` there too
 * (`… DO UPDATE SET n = citus_table_alias.n + excluded.n`). Anything else (RETURNING, LIMIT,
 * omitted columns with defaults, volatile functions, other tables) takes the coordinator
 * path as before (`distributed-modify.ts`).
 */
import { shardId } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import type { Value, ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { passThroughColumns } from "../executor/select-stream.js";
import type { Task } from "../executor/tasks.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import { qualifiedShardName, quoteIdentifier } from "../metadata/naming.js";
import type { Classification, TableRef } from "./classify.js";
import { bindParams } from "./bind-params.js";
import {
  planDistributedSelect, shardResolver, type DistributedSelect,
} from "./distributed-select.js";
import { liveColumns } from "./insert-tasks.js";
import { functionName } from "./raw.js";
import { shardQueryTexts } from "./shard-query-template.js";
import { someNode } from "./tree-walk.js";

/** One planned pushdown: the tasks of an execution, or undefined to take the coordinator path. */
export interface InsertSelectPushdown {
  tasks(params: readonly Value[]): Task[] | undefined;
}

/** Functions whose value may differ per call: Citus evaluates such SELECTs on the coordinator. */
const volatileFunctions = new Set(["nextval", "setval", "random", "gen_random_uuid",
  "clock_timestamp", "timeofday", "uuid_generate_v4", "pg_sleep"]);

/** Plans the pushdown of `insert` into `target`, or undefined when it does not apply. */
export function planInsertSelectPushdown(cluster: Cluster, insert: ast.InsertStmt,
  classification: Classification, target: { ref: TableRef; citus: CitusTable },
  paramTypes: readonly number[], ctx: StatementContext): InsertSelectPushdown | undefined {
  const pushable = pushableSelect(insert);
  const column = target.citus.distributionColumn;
  if (pushable === undefined || target.citus.kind !== "hash" || column === null) return undefined;
  const sources = classification.refs.filter((r) => r.position !== "InsertStmt.relation");
  const select = withStarsExpanded(pushable, sources);
  if (select === undefined) return undefined;
  if (!sources.every((r) => r.citus?.kind === "reference" || (r.citus?.kind === "hash" &&
    r.citus.partition.colocationid === target.citus.partition.colocationid))) {
    return undefined;
  }
  const names = insertColumns(insert, target.ref);
  if (names === undefined || names.length !== (select.targetList ?? []).length) return undefined;
  const feed = select.targetList![names.indexOf(column.name)];
  const source = feed === undefined ? undefined : distributionSource(feed, sources);
  if (source === undefined || source.citus!.distributionColumn?.typeOid !== column.typeOid) {
    return undefined;
  }
  const filtered: ast.SelectStmt = { ...select,
    whereClause: andNotNull(select.whereClause, source.columnRef) };
  let planned: DistributedSelect;
  try {
    planned = planDistributedSelect(cluster, filtered,
      { refs: sources, citus: sources }, paramTypes, ctx);
  } catch {
    return undefined;
  }
  const prefix = `AS citus_table_alias (${names.map(quoteIdentifier).join(", ")}) `;
  const whole: ast.Node = { InsertStmt: { ...insert, selectStmt: { SelectStmt: filtered } } };
  return {
    tasks(params) {
      const run = planned.plan(params);
      if (run.kind === "multi") {
        const columns = passThroughColumns(run.combine, run.shape);
        if (columns === undefined || columns.some((c, i) => c !== i)) return undefined;
      }
      const reads = run.kind === "router" ? [run.task] : run.tasks;
      const indexes = reads.map((read) => read.shardId === null ? undefined
        : cluster.metadata.cache.shard(shardId(read.shardId))?.shard.index);
      if (indexes.some((index) => index === undefined || !target.citus.shards[index])) {
        return undefined;
      }
      // ON CONFLICT names the target: the whole INSERT is printed per shard, the target
      // aliased as Citus aliases it; otherwise the shard queries of the SELECT are reused.
      const texts = insert.onConflictClause === undefined ? undefined
        : shardQueryTexts(bindParams(whole, params, paramTypes), indexes as number[],
          (index) => shardResolver(classification.citus, index),
          { insertAlias: "citus_table_alias" });
      return reads.map((read, i): Task => {
        const shard = target.citus.shards[indexes[i]!]!;
        const name = qualifiedShardName({ schemaName: target.citus.schemaName,
          relationName: target.citus.relationName, shardId: shard.row.shardid,
          skipQualifyPublic: false });
        return { sql: texts?.[i] ?? `INSERT INTO ${name} ${prefix}${read.sql}`,
          params: read.params, node: read.node, shardId: shard.row.shardid };
      });
    },
  };
}

/** The INSERT's SELECT when its shape can run per shard, else undefined. */
function pushableSelect(insert: ast.InsertStmt): ast.SelectStmt | undefined {
  const source = insert.selectStmt;
  if (source === undefined || !("SelectStmt" in source)) return undefined;
  const select = source.SelectStmt;
  const plain = select.valuesLists === undefined && select.withClause === undefined &&
    select.limitCount === undefined && select.limitOffset === undefined &&
    select.lockingClause === undefined && (select.op ?? "SETOP_NONE") === "SETOP_NONE" &&
    insert.withClause === undefined && insert.returningClause === undefined &&
    (insert.override ?? "OVERRIDING_NOT_SET") === "OVERRIDING_NOT_SET";
  if (!plain) return undefined;
  const volatile = someNode({ SelectStmt: select }, (record) => {
    const call = record["FuncCall"] as ast.FuncCall | undefined;
    return call !== undefined && volatileFunctions.has(functionName(call) ?? "");
  });
  return volatile ? undefined : select;
}

/**
 * The target columns the SELECT fills, in order; undefined when a column left out has a
 * default or identity (evaluated on the coordinator) or a listed one is generated.
 */
function insertColumns(insert: ast.InsertStmt, target: TableRef): string[] | undefined {
  const live = liveColumns(target.relation);
  const listed = (insert.cols ?? []).map((item) =>
    "ResTarget" in item && item.ResTarget.indirection === undefined
      ? item.ResTarget.name ?? "" : "");
  const names = listed.length > 0 ? listed : live.map((c) => c.name);
  for (const column of live) {
    const given = names.includes(column.name);
    if (column.generated !== null || column.identity !== null) return undefined;
    if (!given && column.defaultExpr !== null) return undefined;
  }
  return names.every((name) => live.some((c) => c.name === name)) ? names : undefined;
}

/**
 * The SELECT with `*` and `alias.*` spelled out as the columns of its FROM list's tables, in
 * order, as the analyzer expands them (`INSERT INTO t SELECT * FROM t`); undefined when a
 * FROM item is not a plain table (a subquery, a function, a join with USING or NATURAL,
 * whose `*` merges columns).
 */
function withStarsExpanded(select: ast.SelectStmt, sources: readonly TableRef[]):
  ast.SelectStmt | undefined {
  const targets = select.targetList ?? [];
  if (!targets.some((target) => starOf(target) !== undefined)) return select;
  const tables: TableRef[] = [];
  const collect = (item: ast.Node): boolean => {
    if ("JoinExpr" in item) {
      const join = item.JoinExpr;
      if (join.isNatural === true || join.usingClause !== undefined) return false;
      return join.larg !== undefined && join.rarg !== undefined && collect(join.larg) &&
        collect(join.rarg);
    }
    if (!("RangeVar" in item)) return false;
    const name = item.RangeVar.alias?.aliasname ?? item.RangeVar.relname ?? "";
    const matches = sources.filter((ref) => ref.alias === name);
    if (matches.length !== 1) return false;
    tables.push(matches[0]!);
    return true;
  };
  if (!(select.fromClause ?? []).every(collect)) return undefined;
  const expanded: ast.Node[] = [];
  for (const target of targets) {
    const star = starOf(target);
    if (star === undefined) {
      expanded.push(target);
      continue;
    }
    const named = star.qualifier === undefined ? tables
      : tables.filter((ref) => ref.alias === star.qualifier);
    if (named.length === 0) return undefined;
    for (const ref of named) {
      for (const c of liveColumns(ref.relation)) {
        expanded.push({ ResTarget: { val: { ColumnRef: { fields: [
          { String: { sval: ref.alias } }, { String: { sval: c.name } }] } } } });
      }
    }
  }
  return { ...select, targetList: expanded };
}

/** `*` or `alias.*` as a select-list item, with its qualifier. */
function starOf(target: ast.Node): { qualifier: string | undefined } | undefined {
  const val = "ResTarget" in target ? target.ResTarget.val : undefined;
  if (val === undefined || !("ColumnRef" in val)) return undefined;
  const fields = val.ColumnRef.fields ?? [];
  if (fields.length === 0 || !("A_Star" in fields[fields.length - 1]!)) return undefined;
  if (fields.length === 1) return { qualifier: undefined };
  const first = fields[0]!;
  return fields.length === 2 && "String" in first ? { qualifier: first.String.sval } : undefined;
}

/** The hash source whose distribution column `item` selects as it is, with its reference. */
function distributionSource(item: ast.Node, sources: readonly TableRef[]):
  (TableRef & { columnRef: ast.Node }) | undefined {
  const val = "ResTarget" in item ? item.ResTarget.val : undefined;
  if (val === undefined || !("ColumnRef" in val)) return undefined;
  const fields = (val.ColumnRef.fields ?? []).map((f) => ("String" in f ? f.String.sval : ""));
  if (fields.length === 0 || fields.length > 2) return undefined;
  const name = fields[fields.length - 1]!;
  const candidates = sources.filter((ref) => (fields.length === 1 || ref.alias === fields[0]) &&
    ref.relation.columns.some((c) => !c.dropped && c.name === name));
  const ref = candidates.length === 1 ? candidates[0]! : undefined;
  if (ref?.citus?.kind !== "hash" || ref.citus.distributionColumn?.name !== name) {
    return undefined;
  }
  return { ...ref, columnRef: val };
}

/** `where AND (column IS NOT NULL)`. */
function andNotNull(where: ast.Node | undefined, column: ast.Node): ast.Node {
  const test: ast.Node = { NullTest: { arg: column, nulltesttype: "IS_NOT_NULL" } };
  if (where === undefined) return test;
  return { BoolExpr: { boolop: "AND_EXPR", args: [where, test] } };
}
