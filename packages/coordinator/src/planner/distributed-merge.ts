/**
 * MERGE on Citus tables (Citus's merge_planner.c). The case Citus routes shard by shard:
 * the target and the source (a table) are colocated hash-distributed tables and ON joins
 * their distribution columns (or single-shard tables of one colocation group), so each shard
 * group's task merges its own rows:
 *
 *     MERGE INTO mg_d t USING mg_e s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v
 *  -> per shard group i: MERGE INTO mg_d_<i> t USING mg_e_<i> s ON t.id = s.id …
 *
 * An INSERT action must store the source's distribution column in the target's, so the new
 * row belongs to the shard group it was found in. Other sources of a hash-distributed target
 * (not colocated, not joined on the distribution column, reference tables, subqueries) take
 * Citus's repartition plan (`merge-repartition.ts`). Citus's refusals come with its messages
 * (most have no SQLSTATE there: XX000).
 */
import type { PreparedStatement, StatementContext } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { shardNodes, type Cluster } from "../cluster.js";
import { preparedStatement } from "../executor/cursor.js";
import { runTasks, sumCounts, type Task } from "../executor/tasks.js";
import { bindParams } from "./bind-params.js";
import type { ModifyRunner } from "./distributed-modify.js";
import type { Classification, TableRef } from "./classify.js";
import { shardResolver } from "./distributed-select.js";
import { calls } from "./modify-functions.js";
import { columnNames, unsupported } from "./raw.js";
import { conjuncts } from "./table-subquery.js";
import { checkColocatedJoin, queryTables } from "./shard-groups.js";
import { shardQueryTexts } from "./shard-query-template.js";
import { citusError, prepareRepartitionedMerge, type PrepareQuery } from "./merge-repartition.js";

export interface MergeOptions {
  /** Runs the tasks (EXPLAIN shows them instead). */
  readonly runner?: ModifyRunner;
  /** Prepares the source SELECT of a repartitioned MERGE; without it that plan is refused. */
  readonly prepare?: PrepareQuery;
}

/** Plans a MERGE that names Citus tables, or throws why it cannot run. */
export function prepareMerge(cluster: Cluster, merge: ast.MergeStmt,
  classification: Classification, paramTypes: readonly number[], ctx: StatementContext,
  options: MergeOptions = {}): PreparedStatement {
  const target = classification.refs.find((r) => r.position === "MergeStmt.relation");
  checkTableKinds(classification, target);
  if (calls(merge, "mutable", true)) {
    throw citusError("non-IMMUTABLE functions are not yet supported in MERGE sql with " +
      "distributed tables");
  }
  if (target?.citus === undefined) {
    if (classification.citus.some((r) => r.citus!.kind !== "reference")) {
      throw citusError("MERGE involving repartition of rows is supported only if the target " +
        "is distributed");
    }
    throw unsupported("MERGE into a local table from reference or Citus local tables is not " +
      "supported yet");
  }
  checkUpdates(merge, target);
  if (merge.withClause !== undefined) {
    throw unsupported("MERGE with WITH queries on distributed tables is not supported yet");
  }
  const stmt: ast.Node = { MergeStmt: merge };
  // The local engine analyzes it against the shell tables: PostgreSQL's errors, param types.
  const types = cluster.local.prepare(stmt, paramTypes, ctx).paramTypes;
  const runner = options.runner ?? runTasks;
  const routed = routedSource(merge, classification, target);
  const insertValue = checkInserts(merge, target);
  if (typeof routed === "string") {
    if (target.citus.kind === "single-shard") {
      throw citusError("MERGE operation across distributed schemas or with a row-based " +
        "distributed table is not yet supported");
    }
    if (options.prepare === undefined) {
      throw unsupported("EXPLAIN of a MERGE that repartitions the source rows is not " +
        "supported yet", routed);
    }
    return prepareRepartitionedMerge(cluster, { merge, target, insertValue, paramTypes: types },
      options.prepare, ctx, runner);
  }
  const sourceColumn = routed.citus!.distributionColumn?.name;
  if (insertValue !== undefined &&
    !isColumn({ ColumnRef: insertValue }, [routed.alias, ""], sourceColumn)) {
    throw citusError("MERGE INSERT must use the source table distribution column value");
  }
  const shards = target.citus.shards;
  return preparedStatement(null, types, async (params, runCtx) => {
    const bound = bindParams(stmt, params, types);
    const indexes = shards.map((_s, i) => i);
    const texts = shardQueryTexts(bound, indexes,
      (index) => shardResolver(classification.citus, index));
    const tasks: Task[] = [];
    for (const [i, shard] of shards.entries()) {
      for (const node of shardNodes(cluster, shard)) {
        tasks.push({ sql: texts[i]!, params: [], node, shardId: shard.row.shardid });
      }
    }
    const results = await runner(cluster, tasks, runCtx);
    // With several placements of a shard, each ran the same MERGE: count one of them.
    const counted = results.filter((_r, i) =>
      tasks.findIndex((t) => t.shardId === tasks[i]!.shardId) === i);
    return { rows: [], commandTag: `MERGE ${sumCounts(counted)}` };
  });
}

/** Citus's ErrorIfMergeHasUnsupportedTables, and the kinds we do not merge. */
function checkTableKinds(classification: Classification, target: TableRef | undefined): void {
  for (const ref of classification.citus) {
    const kind = ref.citus!.kind;
    if (kind === "append" || kind === "range") {
      throw unsupported("For MERGE command, append/range distribution table is not supported " +
        "yet");
    }
    if (kind === "reference" && ref === target) {
      throw unsupported("Reference table as target is not allowed in MERGE command");
    }
    if (kind === "local") throw unsupported("MERGE on Citus local tables is not supported yet");
  }
}

/**
 * Citus refuses an UPDATE action that changes the distribution column: one that sets it to
 * something other than itself or than what the ON clause equates it to
 * (`ON t.a = s.a … SET a = s.a` keeps every row's value; Citus's TargetEntryChangesValue).
 */
function checkUpdates(merge: ast.MergeStmt, target: TableRef): void {
  const column = target.citus!.distributionColumn?.name;
  for (const clause of whenClauses(merge)) {
    if (clause.commandType !== "CMD_UPDATE") continue;
    for (const node of clause.targetList ?? []) {
      if (!("ResTarget" in node) || node.ResTarget.name !== column) continue;
      const value = node.ResTarget.val;
      if (!isColumn(value, [target.alias], column) &&
        !equatedOnJoin(merge.joinCondition, target, column, value)) {
        throw unsupported("updating the distribution column is not allowed in MERGE actions");
      }
    }
  }
}

/**
 * The source table when the MERGE can run shard group by shard group (Citus's router plan),
 * else why not (Citus's deferred error): the repartitioned plan is next.
 */
function routedSource(merge: ast.MergeStmt, classification: Classification,
  target: TableRef): TableRef | string {
  if (classification.refs.some((r) => r.citus === undefined)) {
    throw citusError("MERGE INTO an distributed table from Postgres table is not yet supported");
  }
  if (classification.citus.length === 1) {
    throw citusError("To MERGE into a distributed table, source must be Citus table(s)");
  }
  const source = classification.citus.find((r) => r.position === "MergeStmt.sourceRelation");
  const others = classification.citus.filter((r) => r !== target && r !== source);
  if (source === undefined || others.length > 0) {
    return "There is only one distributed table, merge is not pushable, try repartitioning";
  }
  if (source.citus!.kind === "reference") {
    return "A mix of distributed and reference table, routable query is not possible";
  }
  if (source.citus!.partition.colocationid !== target.citus!.partition.colocationid) {
    return "For MERGE command, all the distributed tables must be colocated";
  }
  if (!joinedOnDistribution(merge, target, source)) {
    return "MERGE command is only supported when all distributed tables are co-located and " +
      "joined on their distribution columns";
  }
  return source;
}

function joinedOnDistribution(merge: ast.MergeStmt, target: TableRef, source: TableRef):
  boolean {
  const joined: ast.SelectStmt = {
    fromClause: [{ RangeVar: target.rangeVar }, { RangeVar: source.rangeVar }],
    ...(merge.joinCondition !== undefined && { whereClause: merge.joinCondition }),
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
  };
  return checkColocatedJoin(joined, queryTables([target, source])) === undefined;
}

/**
 * Citus's FetchAndValidateInsertVarIfExists: the first NOT MATCHED clause that inserts must
 * store a column reference in the target's distribution column; returns it.
 */
function checkInserts(merge: ast.MergeStmt, target: TableRef): ast.ColumnRef | undefined {
  const column = target.citus!.distributionColumn?.name;
  if (column === undefined) return undefined;
  const live = target.relation.columns.filter((c) => !c.dropped).map((c) => c.name);
  for (const clause of whenClauses(merge)) {
    if (clause.matchKind === "MERGE_WHEN_MATCHED") continue;
    if (clause.commandType !== "CMD_INSERT") return undefined;
    const values = clause.values;
    if (values === undefined) {
      throw citusError("cannot perform MERGE INSERT with DEFAULTS", { detail: arbitraryValues });
    }
    const names = (clause.targetList ?? []).map((n) =>
      ("ResTarget" in n ? n.ResTarget.name ?? "" : ""));
    const at = (names.length === 0 ? live : names).indexOf(column ?? "");
    const value = at < 0 ? undefined : values[at];
    if (value === undefined || "SetToDefault" in value) {
      throw citusError("MERGE INSERT must have distribution column as value");
    }
    if (!("ColumnRef" in value)) {
      throw citusError("MERGE INSERT is using unsupported expression type for distribution " +
        "column", { detail: arbitraryValues });
    }
    return value.ColumnRef;
  }
  return undefined;
}

const arbitraryValues = "Inserting arbitrary values that don't correspond to the joined column " +
  "values can lead to unpredictable outcomes where rows are incorrectly distributed among " +
  "different shards";

function whenClauses(merge: ast.MergeStmt): ast.MergeWhenClause[] {
  return (merge.mergeWhenClauses ?? []).flatMap((n) =>
    ("MergeWhenClause" in n ? [n.MergeWhenClause] : []));
}

/** True when `node` is a reference to `column`, qualified by one of `qualifiers` ("": none). */
function isColumn(node: ast.Node | undefined, qualifiers: readonly string[],
  column: string | undefined): boolean {
  if (node === undefined || !("ColumnRef" in node) || column === undefined) return false;
  const names = columnNames(node.ColumnRef);
  if (names === undefined || names.at(-1) !== column) return false;
  return qualifiers.includes(names.length === 1 ? "" : names.at(-2)!);
}


/** True when a top-level AND conjunct of `on` is `target.column = value` (either side). */
function equatedOnJoin(on: ast.Node | undefined, target: TableRef, column: string | undefined,
  value: ast.Node | undefined): boolean {
  if (on === undefined || value === undefined || !("ColumnRef" in value)) return false;
  const same = (a: ast.Node, b: ast.Node): boolean => JSON.stringify(stripLocations(a)) ===
    JSON.stringify(stripLocations(b));
  return conjuncts(on).some((clause) => {
    if (!("A_Expr" in clause) || clause.A_Expr.kind !== "AEXPR_OP") return false;
    const { lexpr, rexpr, name } = clause.A_Expr;
    const op = name?.map((n) => ("String" in n ? n.String.sval : "")).at(-1);
    if (op !== "=" || lexpr === undefined || rexpr === undefined) return false;
    return (isColumn(lexpr, [target.alias], column) && same(rexpr, value)) ||
      (isColumn(rexpr, [target.alias], column) && same(lexpr, value));
  });
}

function stripLocations(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(stripLocations);
  return Object.fromEntries(Object.entries(value as Record<string, unknown>)
    .filter(([key]) => key !== "location").map(([key, inner]) => [key, stripLocations(inner)]));
}
