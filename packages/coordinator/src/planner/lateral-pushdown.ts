/**
 * LATERAL subqueries over distributed tables pushed down whole, as Citus's pushdown planner
 * does: when the subquery's distributed tables are equated on their distribution columns with
 * a distributed table of the outer query (colocated), the rows a given outer row sees all live
 * in its own shard group, so every shard runs the query, LATERAL included, on its own:
 *
 *     SELECT d.device_id, x.n FROM dx_devices d,
 *       LATERAL (SELECT count(*) AS n FROM dx_events e WHERE e.device_id = d.device_id) x
 *
 * When the outer query reads only reference tables, each shard joins the replicated outer rows
 * with its own inner rows, which is right as long as the subquery needs no merge across
 * shards (no aggregate, GROUP BY, DISTINCT, LIMIT or OFFSET that spans them) and no outer join
 * null-extends per shard; otherwise Citus's errors.
 *
 * Only the outer query's top-level FROM may hold such subqueries, and their distributed
 * tables must sit in the subquery's own FROM; anything else is left to recursive planning
 * (which refuses a correlated LATERAL with Citus's error).
 */
import type { ast } from "@tessera/sql";
import { SqlError, SqlState } from "@tessera/base";
import type { Classification, TableRef } from "./classify.js";
import { rangeVarKey } from "./distributed-select.js";
import { checkColocatedJoin, distributionResolver, queryTables } from "./shard-groups.js";
import { integerConstant, unsupported } from "./raw.js";
import { containsAggregate } from "./select-split.js";
import { fromItems } from "./table-subquery.js";

/** What the distributed planner needs to run a query with pushable LATERAL subqueries. */
export interface LateralPushdown {
  /** rangeVarKeys of the Citus tables inside the LATERAL subqueries. */
  readonly keys: ReadonlySet<string>;
  /** The query with the subqueries' FROM and WHERE added, for the colocated-join check. */
  readonly joinSelect: ast.SelectStmt;
}

/** Returns how to push down the LATERAL subqueries of `select`, or undefined. */
export function lateralPushdown(select: ast.SelectStmt,
  classification: Classification): LateralPushdown | undefined {
  if ((select.op ?? "SETOP_NONE") !== "SETOP_NONE" || select.withClause !== undefined) {
    return undefined;
  }
  const subs = fromItems(select).flatMap((item) => {
    const sub = "RangeSubselect" in item.node ? item.node.RangeSubselect : undefined;
    const query = sub?.subquery;
    return sub?.lateral === true && query !== undefined && "SelectStmt" in query
      ? [query.SelectStmt] : [];
  });
  if (subs.length === 0) return undefined;
  const top = new Set(fromItems(select).flatMap((item) =>
    ("RangeVar" in item.node ? [rangeVarKey(item.node.RangeVar)] : [])));
  const inner = new Set<string>();
  for (const sub of subs) {
    if ((sub.op ?? "SETOP_NONE") !== "SETOP_NONE" || sub.withClause !== undefined) {
      return undefined;
    }
    for (const item of fromItems(sub)) {
      if ("RangeVar" in item.node) inner.add(rangeVarKey(item.node.RangeVar));
    }
  }
  const aliases = classification.refs.map((ref) => ref.alias);
  if (new Set(aliases).size !== aliases.length) return undefined;
  for (const ref of classification.citus) {
    const key = rangeVarKey(ref.rangeVar);
    if (!top.has(key) && !inner.has(key)) return undefined;
  }
  const tables = queryTables(classification.citus);
  const innerDist = tables.distributed.filter((ref) => inner.has(rangeVarKey(ref.rangeVar)));
  if (innerDist.length === 0) return undefined;
  const outerDist = tables.distributed.filter((ref) => top.has(rangeVarKey(ref.rangeVar)));
  if (outerDist.length === 0) checkRecurringOuter(select, subs, innerDist);
  const wheres = [select.whereClause, ...subs.map((sub) => sub.whereClause)]
    .filter((w): w is ast.Node => w !== undefined);
  const joinSelect: ast.SelectStmt = {
    ...select,
    fromClause: [...(select.fromClause ?? []), ...subs.flatMap((sub) => sub.fromClause ?? [])],
    ...(wheres.length > 0 && { whereClause: { BoolExpr: { boolop: "AND_EXPR", args: wheres } } }),
  };
  if (checkColocatedJoin(joinSelect, tables) !== undefined) return undefined;
  return { keys: inner, joinSelect };
}

/**
 * Refuses, with Citus's messages, LATERAL subqueries correlated with reference tables only
 * that would need a merge across shards or null-extend per shard.
 */
function checkRecurringOuter(select: ast.SelectStmt, subs: readonly ast.SelectStmt[],
  innerDist: readonly TableRef[]): void {
  const outerJoined = fromItems(select).some((item) => item.nullable &&
    "RangeSubselect" in item.node && item.node.RangeSubselect.lateral === true);
  if (outerJoined) {
    throw unsupported("cannot perform a lateral outer join when a distributed subquery " +
      "references a reference table");
  }
  const resolve = distributionResolver(innerDist);
  const onPartition = (items: readonly ast.Node[], targets: readonly ast.Node[]): boolean =>
    items.some((item) => {
      const at = integerConstant(item);
      const target = at === undefined ? undefined : targets[at - 1];
      const expr = target !== undefined && "ResTarget" in target ? target.ResTarget.val : item;
      return expr !== undefined && "ColumnRef" in expr && resolve(expr.ColumnRef) !== undefined;
    });
  const thing = "a reference table";
  for (const sub of subs) {
    const targets = sub.targetList ?? [];
    let detail: string | undefined;
    if (sub.limitOffset !== undefined) {
      detail = `Offset clause is currently unsupported when a lateral subquery references a ` +
        `column from ${thing}`;
    }
    if (sub.limitCount !== undefined) {
      detail = `Limit clause is currently unsupported when a lateral subquery references a ` +
        `column from ${thing}`;
    }
    const group = sub.groupClause ?? [];
    if (group.length > 0 && !onPartition(group, targets)) {
      detail = "Group by list without partition column is currently unsupported when a " +
        `lateral subquery references a column from ${thing}`;
    }
    if (group.length === 0 && containsAggregate([targets, sub.havingClause])) {
      detail = "Aggregates without group by are currently unsupported when a lateral " +
        `subquery references a column from ${thing}`;
    }
    if (sub.havingClause !== undefined && group.length === 0) {
      detail = "Having qual without group by on partition column is currently unsupported " +
        `when a lateral subquery references a column from ${thing}`;
    }
    const distinct = distinctItems(sub);
    if (distinct.length > 0 && !onPartition(distinct, targets)) {
      detail = "Distinct on columns without partition column is currently unsupported";
    }
    if (detail !== undefined) {
      throw new SqlError(SqlState.featureNotSupported, "cannot push down this subquery",
        { detail });
    }
  }
}

/** The expressions of DISTINCT ON, or every output expression of plain DISTINCT. */
function distinctItems(sub: ast.SelectStmt): ast.Node[] {
  const distinct = sub.distinctClause ?? [];
  const plain = distinct.some((item) => Object.keys(item).length === 0);
  if (!plain) return distinct;
  return (sub.targetList ?? []).flatMap((target) =>
    ("ResTarget" in target && target.ResTarget.val !== undefined ? [target.ResTarget.val] : []));
}
