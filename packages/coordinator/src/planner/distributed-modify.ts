/**
 * INSERT, UPDATE and DELETE on Citus tables (`citus-surface.md` §7, DESIGN.md step 6).
 *
 * INSERT evaluates its rows on the coordinator first, defaults and sequences included, by
 * running a query over the VALUES list (or the SELECT) in the local engine, each value cast
 * to its column's type; then the rows are routed by hash and sent in batches
 * (`insert-tasks.ts`). UPDATE and DELETE are pruned by their WHERE clause: one task per shard
 * left, or per placement for reference tables. Each task autocommits on its node.
 */
import { domainDefault } from "@tessera/engine";
import { SqlError, SqlState, assert } from "@tessera/base";
import type { PreparedStatement, StatementContext } from "@tessera/engine";
import type { Row, Value, ast } from "@tessera/sql";
import { shardNodes, type Cluster } from "../cluster.js";
import type { RemoteResult } from "../connection/pool.js";
import { preparedStatement } from "../executor/cursor.js";
import { rowsToValues, runTasks, sumCounts, type Task } from "../executor/tasks.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import { bindParams } from "./bind-params.js";
import { classify, type Classification, type TableRef } from "./classify.js";
import { planSelect } from "./recursive.js";
import { runPlannedSelect } from "../executor/recursive-exec.js";
import { shardResolver } from "./distributed-select.js";
import type { ShellRelation } from "../operations/shard-ddl.js";
import { checkPartitionColumnListed, insertTasks, liveColumns, routeRows, type InsertTarget }
  from "./insert-tasks.js";
import { castTo, columnRef, resTarget, unsupported } from "./raw.js";
import { someNode } from "./tree-walk.js";
import { shardIndexes } from "./shard-groups.js";
import { shardQueryTexts } from "./shard-query-template.js";
import { shipModifyLocals } from "./local-join.js";
import { modifyJoinTables } from "./modify-joins.js";
import { planRouterModify } from "./modify-router.js";
import { checkModifyFunctions } from "./modify-functions.js";
import { checkPartitionValue } from "./partition-value.js";
import { planModifySubqueries, runCitusSubplans } from "./modify-subqueries.js";
import { prepareLocalInsert } from "./local-insert.js";
import { planInsertSelectPushdown } from "./insert-select-pushdown.js";
import { inlineSubplans, subplanFiller } from "./subplan-inline.js";
import { runSubplans } from "../executor/subplan-exec.js";
import { checkRows, checkedRowsQuery, insertChecksOf } from "./view-writes.js";
import { withGeneratedSets, withGeneratedValues } from "./generated-columns.js";

export { partitionValueError } from "./partition-value.js";

/**
 * How a modification's tasks run: `runTasks`, or EXPLAIN's runner, which shows them
 * (executor/explain-modify.ts).
 */
export type ModifyRunner = (cluster: Cluster, tasks: readonly Task[],
  ctx: StatementContext) => Promise<RemoteResult[]>;

/** Plans an INSERT into a Citus table. */
export function prepareInsert(cluster: Cluster, insert: ast.InsertStmt,
  classification: Classification, paramTypes: readonly number[],
  ctx: StatementContext, runner: ModifyRunner = runTasks): PreparedStatement {
  if (classification.citus.length > 0) checkInsertSubLinks(insert);
  if (!classification.citus.some((ref) => ref.position === "InsertStmt.relation")) {
    return prepareLocalInsert(cluster, insert, paramTypes, ctx);
  }
  const target = targetOf(classification, "InsertStmt.relation");
  checkModifyFunctions({ InsertStmt: insert });
  checkWithReach(insert);
  checkOnConflict(insert, target.citus);
  const local = cluster.local.prepare({ InsertStmt: insert }, paramTypes, ctx);
  const types = local.paramTypes;
  const checks = insertChecksOf(insert);
  const relation = target.ref.relation;
  const rowQuery = prepareRows(cluster, checkedRowsQuery(withGeneratedValues(
    rowsQuery(insert, target, sourceWidth(cluster, insert, types, ctx)), relation), checks),
    classification, types, ctx);
  // The shards get the rows as VALUES: the WITH queries ran with the rows' query.
  const { withClause: _ranFirst, ...shardInsert } = withOnConflictGenerated(insert, relation);
  const sent: ast.InsertStmt = shardInsert;
  const insertTarget: InsertTarget = { table: target.citus, relation: target.ref.relation };
  checkPartitionColumnListed(insertTarget, insert);
  const outputTypes = (local.columns ?? []).map((c) => ({ typeOid: c.typeOid,
    typmod: c.typeModifier }));
  const pushdown = checks !== undefined ? undefined
    : planInsertSelectPushdown(cluster, insert, classification, target, types, ctx);
  return preparedStatement(local.columns, types, async (params, runCtx) => {
    const pushed = pushdown?.tasks(params);
    if (pushed !== undefined) {
      const results = onePerShard(await runner(cluster, pushed, runCtx), pushed);
      return { rows: [], commandTag: `INSERT 0 ${sumCounts(results)}` };
    }
    const evaluated = checkRows(await rowQuery(params, runCtx), checks, runCtx);
    const template = bindParams(sent, params, types);
    const tasks = insertTasks(cluster, insertTarget, routeRows(insertTarget, evaluated, insert),
      template);
    const results = onePerShard(await runner(cluster, tasks, runCtx), tasks);
    const rows = outputTypes.length === 0 ? []
      : results.flatMap((result) => rowsToValues(result, outputTypes));
    return { rows, commandTag: `INSERT 0 ${sumCounts(results)}` };
  });
}

/** The INSERT sent to the shards: ON CONFLICT DO UPDATE also sets generated columns. */
function withOnConflictGenerated(insert: ast.InsertStmt, relation: ShellRelation):
  ast.InsertStmt {
  const clause = insert.onConflictClause;
  if (clause?.action !== "ONCONFLICT_UPDATE") return insert;
  return { ...insert, onConflictClause: { ...clause,
    targetList: withGeneratedSets(clause.targetList ?? [], relation) } };
}

/**
 * The rows to insert, evaluated on the coordinator: by the local engine, or, when the SELECT
 * reads Citus tables, by the distributed planner first (Citus's INSERT … SELECT "pull to
 * coordinator": the SELECT runs as a distributed query, its rows are routed like VALUES).
 */
function prepareRows(cluster: Cluster, query: ast.Node, classification: Classification,
  paramTypes: readonly number[], ctx: StatementContext):
  (params: readonly Value[], runCtx: StatementContext) => Promise<readonly Row[]> {
  if (classification.citus.length <= 1 || !("SelectStmt" in query)) {
    const prepared = cluster.local.prepare(query, paramTypes, ctx);
    return async (params, runCtx) => {
      const cursor = prepared.open(params, runCtx);
      try {
        return (await cursor.fetch(0)).rows;
      } finally {
        cursor.close();
      }
    };
  }
  const path = cluster.local.statementScope(paramTypes, ctx).path;
  const found = classify(query, cluster.local.catalog, path, cluster.metadata.cache);
  const planned = planSelect(cluster, query.SelectStmt, found, paramTypes, ctx);
  return async (params, runCtx) => (await runPlannedSelect(cluster, planned, params, runCtx)).rows;
}

/**
 * Keeps one result per shard: a write of a replicated shard (a reference table, or
 * citus.shard_replication_factor > 1) runs on every placement, but its rows and count are
 * those of one, the first placement's (all of its batches).
 */
function onePerShard(results: readonly RemoteResult[], tasks: readonly Task[]):
  RemoteResult[] {
  assert(results.length === tasks.length, "one result per task");
  const firstNode = new Map<number | null, Task["node"]>();
  for (const task of tasks) {
    if (!firstNode.has(task.shardId)) firstNode.set(task.shardId, task.node);
  }
  return results.filter((_, i) => {
    const node = firstNode.get(tasks[i]!.shardId)!;
    return tasks[i]!.node.host === node.host && tasks[i]!.node.port === node.port;
  });
}

/** Plans an UPDATE or DELETE of a Citus table. */
export function prepareUpdateOrDelete(cluster: Cluster, stmt: ast.Node,
  classification: Classification, paramTypes: readonly number[],
  ctx: StatementContext, runner: ModifyRunner = runTasks): PreparedStatement {
  const isUpdate = "UpdateStmt" in stmt;
  const target = targetOf(classification, isUpdate ? "UpdateStmt.relation" : "DeleteStmt.relation");
  if ("UpdateStmt" in stmt) checkUpdateSet(stmt.UpdateStmt, target.citus);
  const where = "UpdateStmt" in stmt ? stmt.UpdateStmt.whereClause
    : "DeleteStmt" in stmt ? stmt.DeleteStmt.whereClause : undefined;
  if (where !== undefined && "CurrentOfExpr" in where) {
    throw new SqlError(SqlState.featureNotSupported, "cannot run DML queries with cursors");
  }
  checkModifyFunctions(stmt);
  const routed = planRouterModify(cluster, stmt, target.ref, classification, paramTypes, ctx,
    runner, onePerShard);
  if (routed !== undefined) return routed;
  const shipped = classification.refs.some((ref) => ref.citus === undefined)
    ? shipModifyLocals(cluster, stmt, target.ref, classification, paramTypes, ctx)
    : { stmt, subplans: [] };
  const subqueries = planModifySubqueries(cluster, shipped.stmt, target.ref, paramTypes, ctx,
    shipped.subplans.length + 1);
  const tables = modifyJoinTables(stmt, target.ref, classification, subqueries.inside);
  const modify = subqueries.stmt;
  const local = cluster.local.prepare(modify, paramTypes, ctx);
  const types = local.paramTypes;
  const outputTypes = (local.columns ?? []).map((c) => ({ typeOid: c.typeOid,
    typmod: c.typeModifier }));
  const verb = isUpdate ? "UPDATE" : "DELETE";
  // The shell table refuses SET of a generated column, so they are added after its planning.
  const sent: ast.Node = "UpdateStmt" in modify ? { UpdateStmt: { ...modify.UpdateStmt,
    targetList: withGeneratedSets(modify.UpdateStmt.targetList ?? [], target.ref.relation) } }
    : modify;
  return preparedStatement(local.columns, types, async (params, runCtx) => {
    const subplanRows = [...await runSubplans(shipped.subplans, params, runCtx),
      ...await runCitusSubplans(cluster, subqueries.subplans, params, runCtx)];
    const bound = inlineSubplans(bindParams(sent, params, types), subplanRows);
    const fill = subplanFiller(subplanRows);
    const where = "UpdateStmt" in bound ? bound.UpdateStmt.whereClause
      : "DeleteStmt" in bound ? bound.DeleteStmt.whereClause : undefined;
    const tasks: Task[] = [];
    const indexes = shardIndexes(where, tables);
    const texts = shardQueryTexts(bound, indexes,
      (index) => shardResolver(classification.citus, index));
    for (const [i, index] of indexes.entries()) {
      const sql = fill(texts[i]!);
      const shard = target.citus.shards[target.citus.kind === "hash" ? index : 0]!;
      for (const node of shardNodes(cluster, shard)) {
        tasks.push({ sql, params: [], node, shardId: shard.row.shardid });
      }
    }
    const results = onePerShard(await runner(cluster, tasks, runCtx), tasks);
    const rows: Row[] = outputTypes.length === 0 ? []
      : results.flatMap((result) => rowsToValues(result, outputTypes));
    return { rows, commandTag: `${verb} ${sumCounts(results)}` };
  });
}

interface ModifyTarget {
  readonly ref: TableRef;
  readonly citus: CitusTable;
}

export function targetOf(classification: Classification, position: string): ModifyTarget {
  const ref = classification.citus.find((r) => r.position === position);
  if (ref === undefined || ref.citus === undefined) {
    throw unsupported("modifying local tables from distributed tables is not supported yet");
  }
  const kind = ref.citus.kind;
  if (kind !== "hash" && kind !== "reference" && kind !== "single-shard") {
    throw unsupported(`modifying ${ref.citus.kind} tables is not supported yet`);
  }
  return { ref, citus: ref.citus };
}

/** The number of columns an INSERT's SELECT (not VALUES) gives without a column list. */
function sourceWidth(cluster: Cluster, insert: ast.InsertStmt, paramTypes: readonly number[],
  ctx: StatementContext): number | undefined {
  const source = insert.selectStmt;
  if (insert.cols !== undefined || source === undefined || !("SelectStmt" in source) ||
    source.SelectStmt.valuesLists !== undefined) return undefined;
  const query: ast.Node = insert.withClause === undefined ? source
    : { SelectStmt: { targetList: [resTarget({ ColumnRef: { fields: [{ A_Star: {} }] } })],
      fromClause: [{ RangeSubselect: { subquery: source, alias: { aliasname: "s" } } }],
      withClause: insert.withClause, limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
  return cluster.local.prepare(query, paramTypes, ctx).columns?.length;
}

/**
 * An INSERT's WITH queries (data-modifying ones too) become the WITH of the query that
 * computes its rows (`rowsQuery`), which runs first, as Citus plans them before the INSERT.
 * RETURNING and ON CONFLICT run on the shards, where those names mean nothing: a subquery
 * there is refused (as `checkInsertSubLinks` refuses it for VALUES).
 */
function checkWithReach(insert: ast.InsertStmt): void {
  if (insert.withClause === undefined) return;
  if (someNode([insert.returningClause, insert.onConflictClause],
    (record) => "SubLink" in record)) {
    throw unsupported("INSERT with a WITH clause and subqueries in RETURNING or ON CONFLICT "
      + "into distributed tables is not supported yet");
  }
}

/**
 * As Citus's router planner, an INSERT that is not an INSERT … SELECT may hold no subquery:
 * not in its VALUES, its RETURNING list nor its ON CONFLICT clause.
 */
function checkInsertSubLinks(insert: ast.InsertStmt): void {
  const select = insert.selectStmt;
  const values = select !== undefined && "SelectStmt" in select
    && select.SelectStmt.valuesLists !== undefined ? select.SelectStmt.valuesLists : undefined;
  if (select !== undefined && values === undefined) return;
  const parts = [values, insert.returningClause, insert.onConflictClause];
  if (!someNode(parts, (record) => "SubLink" in record)) return;
  throw new SqlError(SqlState.featureNotSupported,
    "subqueries are not supported within INSERT queries",
    { hint: "Try rewriting your queries with 'INSERT INTO ... SELECT' syntax." });
}

function checkOnConflict(insert: ast.InsertStmt, table: CitusTable): void {
  const clause = insert.onConflictClause;
  const column = table.distributionColumn?.name;
  if (clause?.action !== "ONCONFLICT_UPDATE" || column === undefined) return;
  const relation = insert.relation;
  const qualifiers = ["excluded", relation?.alias?.aliasname ?? relation?.relname ?? ""];
  checkPartitionValue(clause.targetList ?? [], { column, qualifiers });
}

function checkUpdateSet(update: ast.UpdateStmt, table: CitusTable): void {
  const column = table.distributionColumn?.name;
  if (column === undefined) return;
  const relation = update.relation;
  checkPartitionValue(update.targetList ?? [], { column,
    qualifiers: [relation?.alias?.aliasname ?? relation?.relname ?? ""],
    ...(update.whereClause !== undefined && { where: update.whereClause }) });
}

/**
 * The local query that evaluates the rows to insert, full table width in column order:
 * given values cast to their column's type, DEFAULT and missing columns their default.
 */
function rowsQuery(insert: ast.InsertStmt, target: ModifyTarget,
  width: number | undefined): ast.Node {
  const columns = liveColumns(target.ref.relation);
  const given = (insert.cols ?? []).map((item) => {
    if (!("ResTarget" in item) || item.ResTarget.indirection !== undefined) {
      throw unsupported("INSERT into subfields or array elements of distributed tables");
    }
    return item.ResTarget.name ?? "";
  });
  // Without a column list, a SELECT fills the first columns; the others take their default.
  const names = given.length > 0 ? given : columns.map((c) => c.name).slice(0, width);
  const defaultOf = (at: number): ast.Node => {
    const column = columns[at]!;
    // A generated column's value is computed by the shard (`insert-tasks.ts` leaves it out).
    if (column.generated !== null) {
      return castTo({ A_Const: { isnull: true } }, column.type, column.typmod);
    }
    // An identity column's default is its sequence's nextval, on the coordinator as serial's.
    return castTo(column.defaultExpr ?? domainDefault(column.type)?.expr ??
      { A_Const: { isnull: true } }, column.type, column.typmod);
  };
  // OVERRIDING USER VALUE: the identity columns take their default whatever was given.
  const userValueIgnored = (column: (typeof columns)[number]): boolean =>
    column.identity !== null && insert.override === "OVERRIDING_USER_VALUE";
  const row = (value: (position: number) => ast.Node | undefined): ast.Node[] =>
    columns.map((column, at) => {
      const position = names.indexOf(column.name);
      const expr = position < 0 || userValueIgnored(column) ? undefined : value(position);
      return expr === undefined || "SetToDefault" in expr
        ? defaultOf(at) : castTo(expr, column.type, column.typmod);
    });
  // The INSERT's WITH queries go with the query of its rows (`checkWithReach`).
  const common = { limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
    ...(insert.withClause !== undefined && { withClause: insert.withClause }) } as const;
  const source = insert.selectStmt;
  if (source === undefined) {
    return { SelectStmt: { targetList: row(() => undefined).map((e) => resTarget(e)),
      ...common } };
  }
  assert("SelectStmt" in source, "an INSERT source is a SELECT or VALUES");
  const values = source.SelectStmt.valuesLists;
  if (values !== undefined && source.SelectStmt.sortClause === undefined) {
    return { SelectStmt: { valuesLists: values.map((list): ast.Node => {
      const items = "List" in list ? list.List.items ?? [] : [];
      return { List: { items: row((position) => items[position]) } };
    }), ...common } };
  }
  const aliases = names.map((_, i) => ({ String: { sval: `c${i + 1}` } }));
  return { SelectStmt: {
    targetList: row((position) => columnRef("s", `c${position + 1}`)).map((e) => resTarget(e)),
    fromClause: [{ RangeSubselect: { subquery: source,
      alias: { aliasname: "s", colnames: aliases } } }],
    ...common,
  } };
}

