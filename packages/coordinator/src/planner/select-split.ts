/**
 * Multi-shard SELECT: cuts one query into the query every shard runs (the worker query) and
 * the query the coordinator runs over their concatenated results (the combine query, over a
 * relation called `remote_scan`), as Citus's `MasterExtendedOpNode` and
 * `WorkerExtendedOpNode` do (`citus-surface.md` §7.2–7.3). Three shapes:
 *
 *   plain     no aggregates, no GROUP BY: shards run the query (with ORDER BY and
 *             LIMIT + OFFSET when LIMIT is a constant); the coordinator sorts and limits again.
 *   pushdown  GROUP BY holds a distribution column, so groups never span shards: shards run
 *             everything, the coordinator concatenates, sorts and limits.
 *   split     aggregates over groups that span shards:
 *
 *     SELECT g, count(*) AS n, avg(x) FROM t GROUP BY g HAVING sum(x) > 3 ORDER BY n
 *  -> worker:  SELECT g AS worker_column_1, count(*) AS worker_column_2,
 *                     sum(x) AS worker_column_3, count(x) AS worker_column_4,
 *                     sum(x) AS worker_column_5  FROM t GROUP BY 1
 *  -> combine: SELECT worker_column_1 AS g,
 *                     COALESCE((pg_catalog.sum(worker_column_2))::bigint, '0'::bigint) AS n,
 *                     (pg_catalog.sum(worker_column_3) / pg_catalog.sum(worker_column_4))
 *              FROM remote_scan GROUP BY worker_column_1 HAVING ... ORDER BY n
 *
 * Aggregate combine expressions depend on the worker columns' types (sum of int4 is int8, of
 * int8 numeric), known only after the worker query is analyzed; `finishCombine` fills them.
 * agg(DISTINCT x) adds x to the shards' GROUP BY and the coordinator runs agg(DISTINCT) over
 * the pairs; of the distribution column it runs whole on the shards. Windows partitioned by
 * the distribution column are pushed down whole; other windows, ordered and ordered-set
 * aggregates and DISTINCT ON take the gather shape (`select-gather.ts`). Anything else (set
 * operations, grouping sets) is a `why`, never a guess.
 */
import { SqlError } from "@tessera/base";
import { lookupFunction, type ast } from "@tessera/sql";
import {
  columnNames, columnRef, exprKey, functionName, integerConstant, resTarget, unsupported,
} from "./raw.js";
import { someNode, walkTree } from "./tree-walk.js";
import {
  isUserAggregateCall, mapChildren, userAggregatePartial, type PendingAggregate,
} from "./aggregate-combine.js";
import {
  GatherInstead, buildGather, hasWindow, needsDistinctGrouping, windowsPushable,
} from "./select-gather.js";

export interface SplitInput {
  readonly select: ast.SelectStmt;
  /** Output column names of the original query, from the local analysis. */
  readonly outputNames: readonly string[];
  /** Tells whether a column reference is the distribution column of a distributed table. */
  readonly isDistributionColumn: (ref: ast.ColumnRef) => boolean;
  /** Column names of the FROM tables, to resolve GROUP BY names as Postgres does. */
  readonly inputColumns: ReadonlySet<string>;
  /** True when FROM has one table, so `t.x` and `x` are the same column. */
  readonly singleTable: boolean;
}

export interface SplitPlan {
  readonly mode: "plain" | "pushdown" | "split" | "gather";
  readonly worker: ast.SelectStmt;
  /** The names of remote_scan's columns, one per worker output column. */
  readonly remoteNames: readonly string[];
  readonly combine: ast.SelectStmt;
  readonly aggregates: readonly PendingAggregate[];
}

export type SplitResult =
  { readonly ok: true; readonly plan: SplitPlan } | { readonly ok: false; readonly why: SqlError };

/** The alias of the combine query's input relation. */
export const remoteScanAlias = "remote_scan";

/** Splits a SELECT into worker and combine queries, or says why it cannot. */
export function splitSelect(input: SplitInput): SplitResult {
  try {
    return { ok: true, plan: buildSplit(input) };
  } catch (error) {
    if (error instanceof SqlError) return { ok: false, why: error };
    throw error;
  }
}

function buildSplit(input: SplitInput): SplitPlan {
  const select = input.select;
  checkShape(select);
  const hasAggregates = [select.targetList, select.havingClause, select.sortClause]
    .some((part) => containsAggregate(part));
  const groupKeys = resolveGroupKeys(input);
  const distributed = groupKeys.some((key) =>
    "ColumnRef" in key && input.isDistributionColumn(key.ColumnRef));
  const grouped = hasAggregates || groupKeys.length > 0 || select.havingClause !== undefined;
  if (hasWindow(select)) {
    const pushable = windowsPushable(input) && (!grouped || distributed);
    return pushable ? buildPassThrough(input, "pushdown") : buildGather(input);
  }
  if ((select.distinctClause ?? []).some((item) => Object.keys(item).length > 0) ||
    callsSequence([select.targetList, select.sortClause])) {
    return buildGather(input);
  }
  if (!hasAggregates && groupKeys.length === 0 && select.havingClause === undefined) {
    return buildPassThrough(input, "plain");
  }
  if (distributed) return buildPassThrough(input, "pushdown");
  try {
    return new AggregateSplitter(input, groupKeys).build();
  } catch (error) {
    if (!(error instanceof GatherInstead)) throw error;
    return buildGather(input);
  }
}

function checkShape(select: ast.SelectStmt): void {
  if (select.op !== undefined && select.op !== "SETOP_NONE") {
    throw unsupported("set operations on distributed tables are not supported yet");
  }
  if (select.withClause !== undefined) {
    throw unsupported("CTEs on distributed tables are not supported yet");
  }
  if ((select.lockingClause ?? []).length > 0) {
    throw unsupported("could not run distributed query with FOR UPDATE/SHARE commands");
  }
  if (exprKey(select.groupClause ?? []).includes("GroupingSet")) {
    throw unsupported("could not run distributed query with GROUPING SETS, CUBE, or ROLLUP");
  }
  if (select.intoClause !== undefined) {
    throw unsupported("SELECT INTO from distributed tables is not supported yet");
  }
}

/** Resolves GROUP BY items: ordinals and output aliases become their expressions. */
function resolveGroupKeys(input: SplitInput): ast.Node[] {
  const targets = input.select.targetList ?? [];
  return (input.select.groupClause ?? []).map((item) => {
    const ordinal = integerConstant(item);
    if (ordinal !== undefined) {
      const target = targets[ordinal - 1];
      if (target === undefined || !("ResTarget" in target) || target.ResTarget.val === undefined) {
        throw unsupported(`GROUP BY position ${ordinal} is not in select list`);
      }
      return target.ResTarget.val;
    }
    if ("ColumnRef" in item) {
      const names = columnNames(item.ColumnRef);
      if (names?.length === 1 && !input.inputColumns.has(names[0]!)) {
        const aliased = targets.find((t) => "ResTarget" in t && t.ResTarget.name === names[0]);
        const val = aliased !== undefined && "ResTarget" in aliased
          ? aliased.ResTarget.val : undefined;
        if (val !== undefined) return val;
      }
    }
    return item;
  });
}

const sequenceFunctions = new Set(["nextval", "setval", "currval", "lastval"]);

/**
 * True when the expressions call a sequence function outside subqueries: the sequences live
 * on the coordinator, which evaluates these calls (Citus never pushes nextval() down).
 */
export function callsSequence(parts: unknown): boolean {
  return someNode(parts, (record) => {
    if ("SubLink" in record) return "skip";
    const call = record["FuncCall"] as ast.FuncCall | undefined;
    return call !== undefined && sequenceFunctions.has(functionName(call) ?? "");
  });
}

/** Plain and pushdown shapes: shards run the query, the coordinator merges. */
function buildPassThrough(input: SplitInput, mode: "plain" | "pushdown"): SplitPlan {
  const select = input.select;
  const remoteNames = input.outputNames.map((_, i) => `c${i + 1}`);
  const extras: ast.Node[] = [];
  const sortClause = (select.sortClause ?? []).map((item) => {
    if (!("SortBy" in item) || item.SortBy.node === undefined) return item;
    if (isOutputReference(item.SortBy.node, input)) return item;
    const name = `worker_column_${extras.length + 1}`;
    extras.push(resTarget(item.SortBy.node, name));
    remoteNames.push(name);
    return { SortBy: { ...item.SortBy, node: columnRef(remoteScanAlias, name) } };
  });
  const limit = pushedLimit(select);
  const targetList = [...(select.targetList ?? []), ...extras];
  const worker: ast.SelectStmt = { ...select, targetList };
  delete worker.limitOffset;
  delete worker.sortClause;
  delete worker.limitCount;
  // WITH TIES goes with a pushed LIMIT (each shard keeps its ties, `with-ties-deparse.ts`),
  // never without one.
  worker.limitOption = "LIMIT_OPTION_DEFAULT";
  if (limit !== undefined) {
    worker.limitCount = limit;
    worker.limitOption = select.limitOption ?? "LIMIT_OPTION_DEFAULT";
    if (select.sortClause !== undefined) worker.sortClause = select.sortClause;
  }
  const combine = combineStmt(select, {
    targetList: input.outputNames.map((name, i) =>
      resTarget(columnRef(remoteScanAlias, remoteNames[i]!), name)),
    sortClause,
  });
  return { mode, worker, remoteNames, combine, aggregates: [] };
}

/** Returns LIMIT + OFFSET as a constant for the shards, or undefined when not pushable. */
function pushedLimit(select: ast.SelectStmt): ast.Node | undefined {
  const limit = integerConstant(select.limitCount);
  if (limit === undefined) return undefined;
  const offset = select.limitOffset === undefined ? 0 : integerConstant(select.limitOffset);
  if (offset === undefined) return undefined;
  return { A_Const: { ival: { ival: limit + offset } } };
}

/** ORDER BY 2 and ORDER BY an output name refer to the combine query's own columns. */
function isOutputReference(expr: ast.Node, input: SplitInput): boolean {
  if (integerConstant(expr) !== undefined) return true;
  if (!("ColumnRef" in expr)) return false;
  const names = columnNames(expr.ColumnRef);
  return names?.length === 1 && input.outputNames.includes(names[0]!);
}

/** The combine query: the original's tail (DISTINCT, LIMIT, OFFSET) over remote_scan. */
function combineStmt(select: ast.SelectStmt, parts: Partial<ast.SelectStmt>): ast.SelectStmt {
  const combine: ast.SelectStmt = {
    fromClause: [{
      RangeVar: {
        schemaname: "pg_catalog", relname: remoteScanAlias, inh: true, relpersistence: "p",
        alias: { aliasname: remoteScanAlias },
      },
    }],
    limitOption: select.limitOption ?? "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE", ...parts,
  };
  if (select.distinctClause !== undefined) combine.distinctClause = select.distinctClause;
  if (select.limitCount !== undefined) combine.limitCount = select.limitCount;
  if (select.limitOffset !== undefined) combine.limitOffset = select.limitOffset;
  if (combine.sortClause?.length === 0) delete combine.sortClause;
  return combine;
}

/** Tells whether a part of the query calls an aggregate (outside subqueries). */
export function containsAggregate(part: unknown): boolean {
  return someNode(part, (record) => {
    if ("SubLink" in record) return "skip";
    const call = record["FuncCall"] as ast.FuncCall | undefined;
    return call !== undefined && call.over === undefined && isAggregateCall(call);
  });
}

function isAggregateCall(call: ast.FuncCall): boolean {
  const name = functionName(call);
  if (name !== undefined && lookupFunction(name).some((def) => def.kind === "aggregate")) {
    return true;
  }
  return isUserAggregateCall(call);
}

/** The names of remote_scan columns a combine expression reads. */
function remoteRef(name: string): ast.Node {
  return columnRef(remoteScanAlias, name);
}

/** Split shape: group keys and partial aggregates on the shards, the rest here. */
class AggregateSplitter {
  private readonly workerTargets: ast.Node[] = [];
  private readonly remoteNames: string[] = [];
  private readonly aggregates: PendingAggregate[] = [];
  private readonly keyIndex = new Map<string, string>();
  private readonly distinctKeys = new Map<string, string>();
  private readonly groupOrdinals: number[] = [];
  private readonly groupDistinct: boolean;

  constructor(private readonly input: SplitInput, private readonly keys: readonly ast.Node[]) {
    this.groupDistinct = needsDistinctGrouping(input);
  }

  build(): SplitPlan {
    const select = this.input.select;
    for (const key of this.keys) {
      const name = this.addWorkerColumn(key);
      this.groupOrdinals.push(this.workerTargets.length);
      this.keyIndex.set(this.normalKey(key), name);
    }
    const targetList = (select.targetList ?? []).map((target, i) => {
      if (!("ResTarget" in target) || target.ResTarget.val === undefined) return target;
      return resTarget(this.rewrite(target.ResTarget.val, false), this.input.outputNames[i]);
    });
    if (targetList.length !== this.input.outputNames.length) {
      throw unsupported("SELECT * with aggregates on distributed tables is not supported yet");
    }
    const sortClause = (select.sortClause ?? []).map((item) => {
      if (!("SortBy" in item) || item.SortBy.node === undefined) return item;
      if (isOutputReference(item.SortBy.node, this.input)) return item;
      return { SortBy: { ...item.SortBy, node: this.rewrite(item.SortBy.node, false) } };
    });
    const having = select.havingClause === undefined ? undefined
      : this.rewrite(select.havingClause, false);
    const worker: ast.SelectStmt = {
      ...select, targetList: this.workerTargets,
      groupClause: this.groupOrdinals.map((i): ast.Node => ({ A_Const: { ival: { ival: i } } })),
      limitOption: "LIMIT_OPTION_DEFAULT",
    };
    for (const key of ["havingClause", "sortClause", "limitCount", "limitOffset",
      "distinctClause"] as const) delete worker[key];
    if (this.groupOrdinals.length === 0) delete worker.groupClause;
    const combine = combineStmt(select, {
      targetList, sortClause,
      ...(this.keys.length > 0 && {
        groupClause: [...this.keyIndex.values()].map((name) => remoteRef(name)),
      }),
      ...(having !== undefined && { havingClause: having }),
    });
    return { mode: "split", worker, remoteNames: this.remoteNames, combine,
      aggregates: this.aggregates };
  }

  private addWorkerColumn(expr: ast.Node): string {
    const name = `worker_column_${this.workerTargets.length + 1}`;
    this.workerTargets.push(resTarget(expr, name));
    this.remoteNames.push(name);
    return name;
  }

  private normalKey(expr: ast.Node): string {
    if (!this.input.singleTable) return exprKey(expr);
    return exprKey(walkTree(expr, {
      columnRef: (ref) => {
        const names = columnNames(ref);
        if (names === undefined || names.length < 2) return undefined;
        return { ...ref, fields: [{ String: { sval: names.at(-1)! } }] };
      },
    }));
  }

  /** Rewrites an expression over the input rows into one over remote_scan. */
  private rewrite(expr: ast.Node, inAggregate: boolean): ast.Node {
    const key = this.keyIndex.get(this.normalKey(expr));
    if (key !== undefined && !inAggregate) return remoteRef(key);
    if ("FuncCall" in expr && expr.FuncCall.over === undefined && isAggregateCall(expr.FuncCall)) {
      return this.splitAggregate(expr.FuncCall);
    }
    if ("SubLink" in expr) {
      throw unsupported("subqueries in the select list of a multi-shard query are not " +
        "supported yet");
    }
    if ("ColumnRef" in expr) {
      const names = columnNames(expr.ColumnRef);
      if (names?.length === 1 && this.input.outputNames.includes(names[0]!)) return expr;
      throw unsupported(`column "${(names ?? ["*"]).join(".")}" must appear in the GROUP BY ` +
        "clause of a multi-shard query");
    }
    return mapChildren(expr, (child) => this.rewrite(child, inAggregate));
  }

  /** Adds an aggregate's partial columns and returns its placeholder in the combine query. */
  private splitAggregate(call: ast.FuncCall): ast.Node {
    const name = functionName(call) ?? "";
    if (isUserAggregateCall(call)) return this.splitUserAggregate(call, name);
    if (call.agg_order !== undefined || call.agg_within_group === true) {
      throw new GatherInstead(`${name} with ORDER BY`);
    }
    const placeholder = `__citus_aggregate_${this.aggregates.length + 1}`;
    if (call.agg_distinct === true && (this.groupDistinct || !this.onDistribution(call))) {
      return this.distinctByGrouping(call, name, placeholder);
    }
    const partial = (fn: string): string => this.addWorkerColumn({
      FuncCall: { ...call, funcname: [{ String: { sval: fn } }] },
    });
    const kinds: Record<string, PendingAggregate["kind"]> = {
      count: "count", sum: "sum", min: "min", max: "max", avg: "avg", bool_and: "same",
      bool_or: "same", every: "same", bit_and: "same", bit_or: "same",
    };
    const kind = kinds[name];
    if (kind === undefined) throw new GatherInstead(`aggregate ${name}`);
    const columns = kind === "avg" ? [partial("sum"), partial("count")] : [partial(name)];
    this.aggregates.push({ placeholder, kind, name: name === "every" ? "bool_and" : name,
      columns });
    return columnRef(placeholder);
  }

  /** A user aggregate: partial states on the shards and combined here, or gathered rows. */
  private splitUserAggregate(call: ast.FuncCall, name: string): ast.Node {
    const parts = userAggregatePartial(call);
    if (parts === undefined) throw new GatherInstead(`aggregate ${name}`);
    const placeholder = `__citus_aggregate_${this.aggregates.length + 1}`;
    const column = this.addWorkerColumn(parts.worker);
    this.aggregates.push({ placeholder, kind: "user", name, columns: [column],
      user: { oid: parts.oid, result: parts.result } });
    return columnRef(placeholder);
  }

  /** DISTINCT of the distribution column (or a row holding it): values never span shards. */
  private onDistribution(call: ast.FuncCall): boolean {
    const arg = call.args?.length === 1 ? call.args[0] : undefined;
    if (arg === undefined) return false;
    const items = "RowExpr" in arg ? arg.RowExpr.args ?? [] : [arg];
    return items.some((item) => "ColumnRef" in item &&
      this.input.isDistributionColumn(item.ColumnRef));
  }

  /**
   * agg(DISTINCT x): shards group by x as well, so each returns distinct (keys, x) pairs and
   * the coordinator runs agg(DISTINCT x) over them (Citus's approach).
   */
  private distinctByGrouping(call: ast.FuncCall, name: string, placeholder: string): ast.Node {
    const arg = call.args?.length === 1 ? call.args[0] : undefined;
    const simple = ["count", "sum", "avg", "min", "max"].includes(name);
    if (arg === undefined || !simple || call.agg_filter !== undefined || "RowExpr" in arg) {
      throw new GatherInstead(`${name}(DISTINCT ...)`);
    }
    const key = this.normalKey(arg);
    let column = this.distinctKeys.get(key);
    if (column === undefined) {
      column = this.addWorkerColumn(arg);
      this.distinctKeys.set(key, column);
      this.groupOrdinals.push(this.workerTargets.length);
    }
    this.aggregates.push({ placeholder, kind: "distinct", name, columns: [column] });
    return columnRef(placeholder);
  }
}
