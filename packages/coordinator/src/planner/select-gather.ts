/**
 * Shapes that shards cannot finish in parts, computed on the coordinator over gathered rows:
 * window functions whose PARTITION BY lacks the distribution column, ordered-set and ordered
 * aggregates (string_agg(x ORDER BY y), percentile_cont), DISTINCT aggregates that are not
 * pushed down as grouping, DISTINCT ON. Shards filter (WHERE, joins) and return only the
 * columns the rest of the query reads; the coordinator runs the query's own target list,
 * grouping, windows, ordering and limits over them:
 *
 *     SELECT tag, string_agg(x, ',' ORDER BY y) FROM t WHERE z > 1 GROUP BY tag
 *  -> worker:  SELECT tag AS worker_column_1, x AS worker_column_2, y AS worker_column_3
 *              FROM t WHERE z > 1
 *  -> combine: SELECT remote_scan.worker_column_1 AS tag, string_agg(remote_scan.worker_column_2,
 *              ',' ORDER BY remote_scan.worker_column_3) FROM remote_scan GROUP BY ...
 *
 * It also says when a window can be pushed down whole: every window partitions by a
 * distribution column, so each partition lives on one shard.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { columnNames, exprKey, resTarget, unsupported } from "./raw.js";
import { someNode, walkTree } from "./tree-walk.js";
import type { SplitInput, SplitPlan } from "./select-split.js";

const remoteScanAlias = "remote_scan";

/** Tells whether the query calls a window function or defines a window. */
export function hasWindow(select: ast.SelectStmt): boolean {
  return (select.windowClause ?? []).length > 0 || exprKey(select.targetList ?? [])
    .includes('"over":') || exprKey(select.sortClause ?? []).includes('"over":');
}

/** True when every window of the query partitions by a distribution column. */
export function windowsPushable(input: SplitInput): boolean {
  const defs: ast.WindowDef[] = [];
  const visit = (value: unknown): void => {
    if (typeof value !== "object" || value === null) return;
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    const record = value as Record<string, unknown>;
    if ("SubLink" in record) return;
    const call = record["FuncCall"] as ast.FuncCall | undefined;
    if (call?.over !== undefined) defs.push(call.over);
    const def = record["WindowDef"] as ast.WindowDef | undefined;
    if (def !== undefined) defs.push(def);
    Object.values(record).forEach(visit);
  };
  visit([input.select.targetList, input.select.sortClause, input.select.windowClause]);
  return defs.every((def) => {
    const named = def.refname !== undefined && (def.partitionClause ?? []).length === 0;
    if (named && (input.select.windowClause ?? []).length > 0) return true;
    return (def.partitionClause ?? []).some((item) =>
      "ColumnRef" in item && input.isDistributionColumn(item.ColumnRef));
  });
}

/** Builds the gather shape: shards return the referenced columns, the coordinator the rest. */
export function buildGather(input: SplitInput): SplitPlan {
  const select = input.select;
  const workerTargets: ast.Node[] = [];
  const remoteNames: string[] = [];
  const byKey = new Map<string, string>();
  const visitor = {
    columnRef: (ref: ast.ColumnRef): ast.ColumnRef | undefined => {
      const names = columnNames(ref);
      if (names === undefined) {
        throw unsupported("SELECT * with window functions or ordered aggregates on " +
          "distributed tables is not supported yet");
      }
      if (names.length === 1 && !input.inputColumns.has(names[0]!) &&
        input.outputNames.includes(names[0]!)) return undefined;
      const key = exprKey(input.singleTable ? names.at(-1) : names);
      let name = byKey.get(key);
      if (name === undefined) {
        name = `worker_column_${workerTargets.length + 1}`;
        byKey.set(key, name);
        workerTargets.push(resTarget({ ColumnRef: ref }, name));
        remoteNames.push(name);
      }
      return { fields: [{ String: { sval: remoteScanAlias } }, { String: { sval: name } }] };
    },
  };
  const rewrite = <T>(part: T): T => {
    if (exprKey(part ?? null).includes('"SubLink"')) {
      throw unsupported("subqueries next to window functions or ordered aggregates on " +
        "distributed tables are not supported yet");
    }
    return walkTree(part, visitor) as T;
  };
  const targetList = (select.targetList ?? []).map((target, i) => {
    if (!("ResTarget" in target) || target.ResTarget.val === undefined) return target;
    return resTarget(rewrite(target.ResTarget.val), input.outputNames[i]);
  });
  const combine: ast.SelectStmt = {
    targetList,
    fromClause: [{
      RangeVar: {
        schemaname: "pg_catalog", relname: remoteScanAlias, inh: true, relpersistence: "p",
        alias: { aliasname: remoteScanAlias },
      },
    }],
    limitOption: select.limitOption ?? "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
  };
  for (const key of ["groupClause", "havingClause", "sortClause", "windowClause",
    "distinctClause", "limitCount", "limitOffset"] as const) {
    if (select[key] !== undefined) Object.assign(combine, { [key]: rewrite(select[key]) });
  }
  if (workerTargets.length === 0) {
    workerTargets.push(resTarget({ A_Const: { ival: { ival: 1 } } }, "worker_column_1"));
    remoteNames.push("worker_column_1");
  }
  const worker: ast.SelectStmt = {
    targetList: workerTargets, limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
    ...(select.fromClause !== undefined && { fromClause: select.fromClause }),
    ...(select.whereClause !== undefined && { whereClause: select.whereClause }),
  };
  return { mode: "gather", worker, remoteNames, combine, aggregates: [] };
}

/** An aggregate shards cannot split: the query runs over gathered rows instead. */
export class GatherInstead extends SqlError {
  constructor(what: string) {
    super(SqlState.featureNotSupported, `${what} on distributed tables is not supported yet`);
  }
}

/** True when the query has a DISTINCT aggregate that must be pushed down as grouping. */
export function needsDistinctGrouping(input: SplitInput): boolean {
  const parts = [input.select.targetList, input.select.havingClause, input.select.sortClause];
  return someNode(parts, (record) => {
    const call = record["FuncCall"] as ast.FuncCall | undefined;
    if (call?.agg_distinct !== true) return false;
    const arg = call.args?.length === 1 ? call.args[0] : undefined;
    const onDist = arg !== undefined && "ColumnRef" in arg &&
      input.isDistributionColumn(arg.ColumnRef);
    const inRow = arg !== undefined && "RowExpr" in arg;
    return !onDist && !inRow;
  });
}
