/**
 * The fast-path router planner (Citus's `FastPathRouterQuery`): a SELECT on one hash-
 * distributed table whose WHERE pins the distribution column to one value, from a literal
 * or a parameter, is routed by hashing that value, without the general planner:
 *
 *     SELECT abalance FROM pgbench_accounts WHERE aid = $1
 *  -> shard of hash($1), once per execution; the shard query's text is made once per shard
 *     and prepared statement, with its parameters left in place and typed:
 *     SELECT abalance FROM public.pgbench_accounts_102008 AS pgbench_accounts
 *       WHERE aid = $1::integer
 *
 * That text runs on the node as a named prepared statement of the connection
 * (`connection/pool.ts`), so the node parses and plans it once per connection and every
 * later execution only binds the parameters. Where the text itself is seen (a transaction
 * block's connection, `citus.log_remote_commands`) the parameters are bound into it as the
 * general router does (`bindParams`), and the text is exactly the general router's.
 *
 * Qualifying queries (all must hold, else the general planner takes the query):
 * - one relation in the whole statement, in FROM, a hash-distributed table;
 * - no set operation, CTE, INTO, FOR UPDATE/SHARE, VALUES, subquery (SubLink);
 * - a top-level AND conjunct `dist_col = literal | $n` (casts allowed) and no other
 *   reference to the distribution column anywhere in WHERE.
 * An execution whose value is NULL or does not read as the column's type returns no route,
 * and the caller falls back to the general planner, which prunes it as before.
 *
 * Names of node-side statements come from one process-wide map of texts, so a name always
 * stands for one text. `schemaChanged()` forgets them all: a node keeps a prepared statement
 * bound to the table it first planned against, so after DDL every text is prepared anew
 * under a new name. The metadata (shards, placements) is re-read when its snapshot changes.
 */
import { limits, oid as toOid } from "@tessera/base";
import type { ColumnInfo, StatementContext } from "@tessera/engine";
import { defaultFormatContext, typeOf, type Value, type ast } from "@tessera/sql";
import { shardNodes, type Cluster, type PlacementAddress } from "../cluster.js";
import { valueText, type ColumnType } from "../executor/tasks.js";
import { hashValue } from "../metadata/hash.js";
import type { CitusTable, MetadataCache } from "../metadata/metadata-cache.js";
import { shardIndexForHash } from "../metadata/shard-ranges.js";
import { bindParams } from "./bind-params.js";
import type { Classification, TableRef } from "./classify.js";
import { rangeVarKey, shardResolver } from "./distributed-select.js";
import { castTo, constantText } from "./raw.js";
import { distributionResolver } from "./shard-groups.js";
import { shardQueryText } from "./shard-query.js";

/** pg_type OID of `unknown`: a parameter of that type cannot be cast in the shard text. */
const unknownTypeOid = 705;
/** Node-side statement names remembered before the map starts afresh. */
const statementNamesMax = 10_000;

/** One execution's shard query. */
export interface FastPathRoute {
  readonly node: PlacementAddress;
  readonly shardId: number;
  readonly sql: string;
  /** The parameters as text ($n of `sql`); empty when they are bound into the text. */
  readonly params: readonly (string | null)[];
  /** The node-side prepared statement name; undefined when the parameters are bound. */
  readonly statementName: string | undefined;
}

export interface FastPathSelect {
  readonly columns: readonly ColumnInfo[];
  readonly paramTypes: readonly number[];
  readonly outputTypes: readonly ColumnType[];
  /**
   * The shard query of one execution, or undefined when the general planner must plan it
   * (a NULL or unreadable value, or a table no longer hash-distributed). `bound` asks for
   * the parameters bound into the text.
   */
  route(params: readonly Value[], bound: boolean): FastPathRoute | undefined;
}

let statementNames = new Map<string, string>();
let nextStatementNumber = 1;

/** Forgets every node-side statement name: the next run of each text prepares it again. */
export function schemaChanged(): void {
  statementNames = new Map();
}

function statementNameOf(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    if (statementNames.size >= statementNamesMax) statementNames = new Map();
    name = `tessera_fp_${nextStatementNumber++}`;
    statementNames.set(sql, name);
  }
  return name;
}

/** Where the distribution value comes from: a parameter or the text of a literal. */
type ValueSource =
  | { readonly kind: "param"; readonly number: number }
  | { readonly kind: "literal"; readonly text: string | null };

/** Plans a SELECT on the fast path, or returns undefined when it does not qualify. */
export function planFastPath(cluster: Cluster, select: ast.SelectStmt,
  classification: Classification, paramTypes: readonly number[],
  ctx: StatementContext): FastPathSelect | undefined {
  const ref = fastPathTable(select, classification);
  if (ref === undefined) return undefined;
  const source = distributionValue(select.whereClause, ref, classification);
  if (source === undefined) return undefined;
  const local = cluster.local.prepare({ SelectStmt: select }, paramTypes, ctx);
  if (local.columns === null) return undefined;
  const types = local.paramTypes;
  if (types.some((t) => t === 0 || t === unknownTypeOid)) return undefined;
  const columns = local.columns;
  const typed = typedParams(select, types);
  if (typed.highest !== types.length) return undefined;
  const relationOid = toOid(ref.relation.oid);
  const distributionColumn = ref.citus?.distributionColumn?.name;
  let state = shardState(cluster.metadata.cache, relationOid, statementNames);
  let executions = 0;
  return {
    columns, paramTypes: types,
    outputTypes: columns.map((c) => ({ typeOid: c.typeOid, typmod: c.typeModifier })),
    route(params, bound) {
      const cache = cluster.metadata.cache;
      if (state.cache !== cache || state.names !== statementNames) {
        state = shardState(cache, relationOid, statementNames);
      }
      const table = state.table;
      const column = table?.distributionColumn;
      if (table === undefined || table.kind !== "hash" || column === undefined ||
        column === null || column.name !== distributionColumn) return undefined;
      const text = source.kind === "literal" ? source.text
        : valueText(params[source.number - 1] ?? null, types[source.number - 1]!);
      const index = shardIndexOf(table, column.typeOid, text);
      if (index === undefined) return undefined;
      const shard = table.shards[index]!;
      const node = shardNodes(cluster, shard)[0]!;
      const shardId = shard.row.shardid;
      if (bound) {
        const sql = shardQueryText({ SelectStmt: bindParams(select, params, types) },
          { resolveRelation: shardResolver(tableRefs(classification, table), index) });
        return { node, shardId, sql, params: [], statementName: undefined };
      }
      let sql = state.texts.get(index);
      if (sql === undefined) {
        sql = shardQueryText({ SelectStmt: typed.select },
          { resolveRelation: shardResolver(tableRefs(classification, table), index) });
        state.texts.set(index, sql);
      }
      const texts = params.map((value, i) => valueText(value, types[i]!));
      // A text without parameters that runs once (a simple query) is not worth a name.
      executions++;
      const named = types.length > 0 || executions > 1;
      return { node, shardId, sql, params: texts,
        statementName: named ? statementNameOf(sql) : undefined };
    },
  };
}

/** What the shard texts of one metadata snapshot and one generation of names rest on. */
interface ShardState {
  readonly cache: MetadataCache;
  readonly names: ReadonlyMap<string, string>;
  readonly table: CitusTable | undefined;
  /** The parameterized shard text by shard index. */
  readonly texts: Map<number, string>;
}

function shardState(cache: MetadataCache, relationOid: ReturnType<typeof toOid>,
  names: ReadonlyMap<string, string>): ShardState {
  return { cache, names, table: cache.table(relationOid), texts: new Map() };
}

/** The classification's reference, with the table as the current metadata describes it. */
function tableRefs(classification: Classification, table: CitusTable): TableRef[] {
  return classification.citus.map((ref) => ({ ...ref, citus: table }));
}

/** The shard index of a distribution value given as text, or undefined for NULL or junk. */
function shardIndexOf(table: CitusTable, typeOid: number, text: string | null):
  number | undefined {
  if (text === null) return undefined;
  let value: Value;
  try {
    value = typeOf(typeOid).input(text, -1, defaultFormatContext);
  } catch {
    return undefined;
  }
  if (value === null) return undefined;
  return shardIndexForHash(table.ranges, hashValue(value, typeOid));
}

/** The one hash-distributed table of a qualifying statement, or undefined. */
function fastPathTable(select: ast.SelectStmt,
  classification: Classification): TableRef | undefined {
  if (select.op !== undefined && select.op !== "SETOP_NONE") return undefined;
  if (select.withClause !== undefined || select.intoClause !== undefined) return undefined;
  if ((select.lockingClause?.length ?? 0) > 0 || select.valuesLists !== undefined) {
    return undefined;
  }
  const from = select.fromClause ?? [];
  if (from.length !== 1 || classification.refs.length !== 1) return undefined;
  const item = from[0]!;
  const ref = classification.citus[0];
  if (!("RangeVar" in item) || ref === undefined ||
    rangeVarKey(ref.rangeVar) !== rangeVarKey(item.RangeVar)) {
    return undefined;
  }
  if (ref.citus?.kind !== "hash" || ref.citus.distributionColumn === null) return undefined;
  return hasSubLink(select, 0) ? undefined : ref;
}

function hasSubLink(value: unknown, depth: number): boolean {
  if (depth > limits.treeDepthMax * 4) return true;
  if (Array.isArray(value)) return value.some((item) => hasSubLink(item, depth + 1));
  if (typeof value !== "object" || value === null) return false;
  for (const [key, field] of Object.entries(value)) {
    if (key === "SubLink" || hasSubLink(field, depth + 1)) return true;
  }
  return false;
}

/** The source of the distribution value in WHERE, or undefined when the query is no fast path. */
function distributionValue(where: ast.Node | undefined, ref: TableRef,
  classification: Classification): ValueSource | undefined {
  if (where === undefined) return undefined;
  const resolve = distributionResolver(classification.citus);
  const isDistColumn = (node: ast.Node): boolean =>
    "ColumnRef" in node && resolve(node.ColumnRef)?.alias === ref.alias;
  if (distColumnCount(where, isDistColumn, 0) !== 1) return undefined;
  for (const conjunct of conjuncts(where)) {
    if (!("A_Expr" in conjunct)) continue;
    const expr = conjunct.A_Expr;
    if (expr.kind !== "AEXPR_OP" || !isEquality(expr.name)) continue;
    const { lexpr, rexpr } = expr;
    if (lexpr === undefined || rexpr === undefined) continue;
    if (isDistColumn(lexpr)) return valueSource(rexpr);
    if (isDistColumn(rexpr)) return valueSource(lexpr);
  }
  return undefined;
}

function conjuncts(where: ast.Node): ast.Node[] {
  if ("BoolExpr" in where && where.BoolExpr.boolop === "AND_EXPR") {
    return (where.BoolExpr.args ?? []).flatMap(conjuncts);
  }
  return [where];
}

function distColumnCount(value: unknown, isDistColumn: (node: ast.Node) => boolean,
  depth: number): number {
  if (depth > limits.treeDepthMax * 4) return Infinity;
  if (Array.isArray(value)) {
    let sum = 0;
    for (const item of value) sum += distColumnCount(item, isDistColumn, depth + 1);
    return sum;
  }
  if (typeof value !== "object" || value === null) return 0;
  if (isDistColumn(value as ast.Node)) return 1;
  let count = 0;
  for (const field of Object.values(value)) {
    count += distColumnCount(field, isDistColumn, depth + 1);
  }
  return count;
}

/** A parameter or literal, under any casts, as the source of the distribution value. */
function valueSource(expr: ast.Node): ValueSource | undefined {
  let inner = expr;
  while ("TypeCast" in inner && inner.TypeCast.arg !== undefined) inner = inner.TypeCast.arg;
  if ("ParamRef" in inner) {
    const number = inner.ParamRef.number ?? 0;
    return number >= 1 ? { kind: "param", number } : undefined;
  }
  const text = constantText(expr);
  return text === undefined ? undefined : { kind: "literal", text };
}

/** Accepts `=` and `OPERATOR(pg_catalog.=)`, as pruning does. */
function isEquality(name: readonly ast.Node[] | undefined): boolean {
  if (name === undefined || name.length === 0 || name.length > 2) return false;
  const parts = name.map((part) => ("String" in part ? part.String.sval : undefined));
  if (parts.length === 2 && parts[0] !== "pg_catalog") return false;
  return parts.at(-1) === "=";
}

/**
 * A copy of the statement with every `$n` cast to its type, so the node types it alike, and
 * the highest parameter number it uses.
 */
function typedParams(select: ast.SelectStmt, types: readonly number[]):
  { select: ast.SelectStmt; highest: number } {
  if (types.length === 0) return { select, highest: 0 };
  let highest = 0;
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (typeof value !== "object" || value === null) return value;
    const record = value as Record<string, unknown>;
    const ref = record["ParamRef"] as ast.ParamRef | undefined;
    if (ref !== undefined && Object.keys(record).length === 1) {
      const number = ref.number ?? 0;
      highest = Math.max(highest, number);
      const type = types[number - 1];
      return type === undefined ? record : castTo({ ParamRef: ref }, type, -1);
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, visit(v)]));
  };
  const typed = visit(select) as ast.SelectStmt;
  return { select: typed, highest };
}
