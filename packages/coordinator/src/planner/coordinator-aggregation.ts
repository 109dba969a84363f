/**
 * citus.coordinator_aggregation_strategy (Citus's `multi_logical_optimizer.c`): by default
 * ('row-gather') an aggregate the shards cannot compute in parts is computed on the
 * coordinator over the gathered rows (`select-gather.ts`). With 'disabled' such a query fails
 * instead, with the error Citus raises for the first aggregate in the way:
 *
 *   array_agg(… ORDER BY …)            0A000 array_agg with order by is unsupported
 *   array_agg(DISTINCT …)              0A000 array_agg (distinct) is unsupported
 *   json[b]_[object_]agg(… ORDER BY …) 0A000 <name> with order by is unsupported
 *   json[b]_[object_]agg(DISTINCT …)   0A000 <name> (distinct) is unsupported
 *   an aggregate Citus does not know and that has no combine function (string_agg,
 *   percentile_cont, mode, a CREATE AGGREGATE without COMBINEFUNC …)
 *                                      XX000 unsupported aggregate function <name>
 *
 * Queries whose aggregates are pushed down whole (grouped by the distribution column) or
 * split into partial aggregates are not affected.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { lookupFunction, type ast } from "@tessera/sql";
import { citusSetting } from "../cluster.js";
import { isUserAggregateCall, userAggregatePartial } from "./aggregate-combine.js";
import { functionName } from "./raw.js";
import type { SplitPlan } from "./select-split.js";
import { someNode } from "./tree-walk.js";

/** The aggregates Citus computes in parts itself (its AggregateNames). */
const citusAggregates = new Set(["avg", "min", "max", "sum", "count", "array_agg",
  "jsonb_agg", "jsonb_object_agg", "json_agg", "json_object_agg", "bit_and", "bit_or",
  "bool_and", "bool_or", "every", "any_value"]);

/** Built-in aggregates of PostgreSQL 15 without a combine function. */
const withoutCombine = new Set(["string_agg", "xmlagg", "percentile_cont", "percentile_disc",
  "mode", "rank", "dense_rank", "percent_rank", "cume_dist", "range_agg",
  "range_intersect_agg"]);

/**
 * Raises Citus's error when the session disabled coordinator aggregation and `plan` gathers
 * rows to compute an aggregate on the coordinator.
 */
export function checkCoordinatorAggregation(plan: SplitPlan, select: ast.SelectStmt,
  ctx: Pick<StatementContext, "setting">): void {
  if (plan.mode !== "gather") return;
  if (citusSetting(ctx, "citus.coordinator_aggregation_strategy", "row-gather")
    .toLowerCase() !== "disabled") return;
  let error: SqlError | undefined;
  someNode([select.targetList, select.havingClause, select.sortClause], (record) => {
    if ("SubLink" in record) return "skip";
    const call = record["FuncCall"] as ast.FuncCall | undefined;
    if (call === undefined || call.over !== undefined) return false;
    error = aggregateError(call);
    return error !== undefined;
  });
  if (error !== undefined) throw error;
}

/** Citus's error for one aggregate call it would not compute in parts, or undefined. */
function aggregateError(call: ast.FuncCall): SqlError | undefined {
  const name = functionName(call);
  if (name === undefined) return undefined;
  const ordered = call.agg_order !== undefined && call.agg_within_group !== true;
  if (name === "array_agg" || name.startsWith("json")) {
    if (!citusAggregates.has(name)) return undefined;
    if (ordered) return notSupported(`${name} with order by is unsupported`);
    if (call.agg_distinct === true) return notSupported(`${name} (distinct) is unsupported`);
    return undefined;
  }
  if (citusAggregates.has(name)) return undefined;
  const builtIn = lookupFunction(name).some((def) => def.kind === "aggregate");
  const { agg_order: _order, ...plain } = call;
  const combines = isUserAggregateCall(call)
    ? userAggregatePartial({ ...plain, agg_distinct: false }) !== undefined
    : builtIn && !withoutCombine.has(name);
  if (combines || (!builtIn && !isUserAggregateCall(call))) return undefined;
  return new SqlError(SqlState.internalError, `unsupported aggregate function ${name}`);
}

function notSupported(message: string): SqlError {
  return new SqlError(SqlState.featureNotSupported, message);
}
