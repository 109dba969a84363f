/**
 * The coordinator's half of split aggregates (`select-split.ts`): while splitting, each
 * aggregate of the query becomes a placeholder column; once the worker query is analyzed and
 * its column types are known, `finishCombine` swaps each placeholder for the combine
 * expression Citus uses (`citus-surface.md` §7.2):
 *
 *     count(x)  ->  COALESCE((pg_catalog.sum(w))::bigint, '0'::bigint)
 *     sum(x)    ->  (pg_catalog.sum(w))::<type of the worker's sum>
 *     min, max, bool_and, bool_or, bit_and, bit_or  ->  the same aggregate over w
 *     avg(x)    ->  (pg_catalog.sum(w_sum) / pg_catalog.sum(w_count))
 *                   (float8 casts and a NULLIF for float input, interval / float8 for
 *                   intervals)
 *     agg(DISTINCT x)  ->  agg(DISTINCT w), shards having grouped by x as well
 *     user aggregate with a COMBINEFUNC (CREATE AGGREGATE), as Citus's
 *       worker:       worker_partial_agg('public.agg(integer)'::regprocedure, x)   (its state)
 *       coordinator:  coord_combine_agg('16390'::oid, w, NULL::integer)
 *     other user aggregates gather the rows (`select-gather.ts`).
 */
import { liveUserAggregatesNamed, combinable, type SqlFunction } from "@tessera/engine";
import { formatType, type ast } from "@tessera/sql";
import { columnNames, parseExpr, unsupported } from "./raw.js";

/** One aggregate the combine query finishes once worker column types are known. */
export interface PendingAggregate {
  readonly placeholder: string;
  readonly kind: "count" | "sum" | "min" | "max" | "avg" | "same" | "distinct" | "user";
  readonly name: string;
  readonly columns: readonly string[];
  /** For "user": the coordinator's aggregate OID and the result type's SQL spelling. */
  readonly user?: { readonly oid: number; readonly result: string | undefined };
}

/** The user aggregates (CREATE AGGREGATE) a call's name can mean, by its arity. */
function userAggregatesOf(call: ast.FuncCall): SqlFunction[] {
  const names = (call.funcname ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  if (names.length === 0 || names.length > 2) return [];
  const arity = call.agg_star === true ? 0 : (call.args ?? []).length;
  return liveUserAggregatesNamed(names.at(-1)!)
    .filter(({ fn }) => (names.length === 1 || fn.schema === names[0]) &&
      fn.argTypes.length === arity)
    .map(({ fn }) => fn);
}

/** True when a call names an aggregate made with CREATE AGGREGATE. */
export function isUserAggregateCall(call: ast.FuncCall): boolean {
  return userAggregatesOf(call).length > 0;
}

/**
 * The worker half of a user aggregate computed in parts, or undefined when its rows must be
 * gathered instead: no COMBINEFUNC, a polymorphic state, DISTINCT or ORDER BY inside, or a
 * name with several overloads of the call's arity (the raw tree cannot tell which).
 */
export function userAggregatePartial(call: ast.FuncCall):
  { readonly worker: ast.Node; readonly oid: number; readonly result: string | undefined } |
  undefined {
  const found = userAggregatesOf(call);
  const fn = found.length === 1 ? found[0]! : undefined;
  const agg = fn === undefined ? undefined
    : liveUserAggregatesNamed(fn.name).find((a) => a.fn === fn)?.agg;
  if (fn === undefined || agg === undefined || call.agg_distinct === true ||
    call.agg_order !== undefined || !combinable(agg, isPolymorphicType)) return undefined;
  const identity = `${fn.schema}.${fn.name}(${fn.argTypes.map((t) => formatType(t))
    .join(",")})`;
  const worker: ast.Node = { FuncCall: { ...call, agg_star: false,
    funcname: [{ String: { sval: "worker_partial_agg" } }],
    args: [{ TypeCast: { arg: { A_Const: { sval: { sval: identity } } },
      typeName: { names: [{ String: { sval: "regprocedure" } }], typemod: -1 } } },
    ...(call.args ?? [])] } };
  const result = fn.returnType < 10_000 ? formatType(fn.returnType) : undefined;
  return { worker, oid: fn.oid, result };
}

/** The polymorphic pseudo-types (anyelement, anyarray, anycompatible …). */
function isPolymorphicType(type: number): boolean {
  return [2277, 2283, 2776, 5077, 5078, 5079].includes(type);
}

/** What finishCombine needs of a split plan. */
interface CombineParts {
  readonly combine: ast.SelectStmt;
  readonly aggregates: readonly PendingAggregate[];
}

/** The alias of remote_scan in the combine query. */
const remoteScanAlias = "remote_scan";

/** Rewrites the wrapped child nodes of a node (lists included) with `fn`. */
export function mapChildren(expr: ast.Node, fn: (child: ast.Node) => ast.Node): ast.Node {
  const [type, fields] = Object.entries(expr)[0] as [string, Record<string, unknown>];
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (Array.isArray(value)) {
      copy[key] = value.map((item: unknown) => (isWrapped(item) ? fn(item) : item));
    } else {
      copy[key] = isWrapped(value) ? fn(value) : value;
    }
  }
  return { [type]: copy } as unknown as ast.Node;
}

function isWrapped(value: unknown): value is ast.Node {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && /^[A-Z]/.test(keys[0]!) &&
    typeof (value as Record<string, unknown>)[keys[0]!] === "object";
}

/** A worker column's type, as the worker query's analysis found it. */
export interface RemoteColumnType {
  readonly typeOid: number;
  readonly typmod: number;
}

/** Replaces the aggregate placeholders of the combine query with typed combine calls. */
export function finishCombine(plan: CombineParts,
  types: ReadonlyMap<string, RemoteColumnType>): ast.SelectStmt {
  const finals = new Map<string, ast.Node>();
  for (const agg of plan.aggregates) {
    finals.set(agg.placeholder, parseExpr(combineText(agg, types)));
  }
  if (finals.size === 0) return plan.combine;
  return swapPlaceholders({ SelectStmt: plan.combine }, finals).SelectStmt;
}

function swapPlaceholders(tree: unknown, finals: ReadonlyMap<string, ast.Node>):
  { SelectStmt: ast.SelectStmt } {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (typeof value !== "object" || value === null) return value;
    const record = value as Record<string, unknown>;
    const ref = record["ColumnRef"] as ast.ColumnRef | undefined;
    if (ref !== undefined) {
      const names = columnNames(ref);
      const final = names?.length === 1 ? finals.get(names[0]!) : undefined;
      if (final !== undefined) return final;
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, visit(v)]));
  };
  return visit(tree) as { SelectStmt: ast.SelectStmt };
}

/** Prints the coordinator's half of one aggregate. */
function combineText(agg: PendingAggregate, types: ReadonlyMap<string, RemoteColumnType>): string {
  const col = (i: number): string => `${remoteScanAlias}.${agg.columns[i]!}`;
  const typeOf = (i: number): RemoteColumnType => {
    const type = types.get(agg.columns[i]!);
    if (type === undefined) throw unsupported("a worker column has no type");
    return type;
  };
  switch (agg.kind) {
    case "count":
      return `COALESCE((pg_catalog.sum(${col(0)}))::bigint, '0'::bigint)`;
    case "sum": {
      const t = typeOf(0);
      return `(pg_catalog.sum(${col(0)}))::${formatType(t.typeOid, t.typmod)}`;
    }
    case "distinct":
      return `pg_catalog.${agg.name}(DISTINCT ${col(0)})`;
    case "min":
    case "max":
    case "same":
      return `pg_catalog.${agg.name}(${col(0)})`;
    case "user": {
      const { oid, result } = agg.user!;
      return `coord_combine_agg('${oid}'::oid, ${col(0)}` +
        `${result === undefined ? "" : `, NULL::${result}`})`;
    }
    case "avg": {
      const sumType = typeOf(0).typeOid;
      const count = `NULLIF(pg_catalog.sum(${col(1)}), 0)`;
      if (sumType === 1186) return `(pg_catalog.sum(${col(0)}) / (${count})::float8)`;
      if (sumType === 700 || sumType === 701) {
        return `((pg_catalog.sum(${col(0)}))::float8 / (${count})::float8)`;
      }
      // Both sums are numeric, as in Citus's MasterAverageExpression; where every count is
      // 0 the sum of the values is NULL, so the quotient is NULL without a NULLIF.
      return `(pg_catalog.sum(${col(0)}) / pg_catalog.sum(${col(1)}))`;
    }
  }
}
