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
 * under a new name.
 *
 * A plain integer literal on an integer distribution column is sent as one more parameter
 * (`liftedLiteral`), so simple queries that differ only in that value share one node-side
 * statement instead of each being parsed and planned on the node.
 *
 * Per execution only the shard is chosen: a parameter of the distribution column's own type
 * is hashed as it is (another type, or a literal, goes through the column type's input), and
 * each shard's text, node and statement are made once per metadata snapshot and node list
 * (`ShardState`, made again when either changes).
 */
import { limits, oid as toOid } from "@tessera/base";
import type { ColumnInfo, StatementContext } from "@tessera/engine";
import { defaultFormatContext, typeOf, type Value, type ast } from "@tessera/sql";
import { shardNodes, type Cluster, type PlacementAddress } from "../cluster.js";
import { NodeStatement } from "../connection/bound-statement.js";
import { valueText, type ColumnType } from "../executor/tasks.js";
import { hashValue } from "../metadata/hash.js";
import type { CitusTable, MetadataCache } from "../metadata/metadata-cache.js";
import type { DistNode } from "../metadata/node-registry.js";
import { shardIndexForHash } from "../metadata/shard-ranges.js";
import { bindParams } from "./bind-params.js";
import { needsCoordinatorConstants } from "./constant-eval.js";
import { callsSequence } from "./select-split.js";
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
  /** The node-side statement of `sql`; undefined when the parameters are bound. */
  readonly statement: NodeStatement | undefined;
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

let statements = new Map<string, NodeStatement>();
let nextStatementNumber = 1;

/** Forgets every node-side statement name: the next run of each text prepares it again. */
export function schemaChanged(): void {
  statements = new Map();
}

/** The named node-side statement of a text: one name per text until the schema changes. */
function namedStatementOf(sql: string): NodeStatement {
  let statement = statements.get(sql);
  if (statement === undefined) {
    if (statements.size >= statementNamesMax) statements = new Map();
    statement = new NodeStatement(`tessera_fp_${nextStatementNumber++}`, sql);
    statements.set(sql, statement);
  }
  return statement;
}

/** Where the distribution value comes from: a parameter or the text of a literal. */
type ValueSource =
  | { readonly kind: "param"; readonly number: number }
  | { readonly kind: "literal"; readonly text: string | null; readonly node: ast.Node };

/** Plans a SELECT on the fast path, or returns undefined when it does not qualify. */
export function planFastPath(cluster: Cluster, select: ast.SelectStmt,
  classification: Classification, paramTypes: readonly number[],
  ctx: StatementContext): FastPathSelect | undefined {
  const ref = fastPathTable(select, classification);
  if (ref === undefined) return undefined;
  const source = distributionValue(select.whereClause, ref, classification);
  if (source === undefined) return undefined;
  if (needsCoordinatorConstants(select, cluster.local.catalog)) return undefined;
  if (callsSequence([select.targetList, select.sortClause])) return undefined;
  const local = cluster.local.prepare({ SelectStmt: select }, paramTypes, ctx);
  if (local.columns === null) return undefined;
  const types = local.paramTypes;
  if (types.some((t) => t === 0 || t === unknownTypeOid)) return undefined;
  const columns = local.columns;
  const lifted = liftedLiteral(select, source, ref, types);
  const typed = typedParams(lifted?.select ?? select, lifted?.types ?? types);
  if (typed.highest !== (lifted?.types ?? types).length) return undefined;
  const relationOid = toOid(ref.relation.oid);
  const distributionColumn = ref.citus?.distributionColumn?.name;
  const shape: QueryShape = { select, typed: typed.select, types, classification, source };
  let state = shardState(cluster, relationOid, distributionColumn);
  let executions = 0;
  return {
    columns, paramTypes: types,
    outputTypes: columns.map((c) => ({ typeOid: c.typeOid, typmod: c.typeModifier })),
    route(params, bound) {
      if (!state.current(cluster)) state = shardState(cluster, relationOid, distributionColumn);
      const index = state.shardIndex(source, params, types);
      if (index === undefined) return undefined;
      if (bound) return boundRoute(cluster, state, index, shape, params);
      const target = state.target(cluster, index, shape);
      const texts = paramTexts(params, types, lifted?.text);
      // A text without parameters that runs once (a simple query) is not worth a name.
      executions++;
      const statement = types.length > 0 || lifted !== undefined || executions > 1
        ? target.named() : target.unnamed;
      return { node: target.node, shardId: target.shardId, sql: target.sql, params: texts,
        statement };
    },
  };
}

/** Distribution column types whose integer literals are sent as a parameter. */
const integerTypeOids: ReadonlySet<number> = new Set([20, 21, 23]);
/** pg_type OID of `integer`, the type of an integer literal that fits it. */
const int4TypeOid = 23;

/**
 * The statement with its distribution value, a plain integer literal on an integer column,
 * made a parameter after the statement's own (`aid = 42` becomes `aid = $1::integer`, with
 * '42' sent as its text): the shard query's text is then the same for every value, so the
 * node keeps it prepared and plans it once, instead of parsing and planning every simple
 * query's text anew. The literal is `integer` either way, so the comparison is the same.
 */
function liftedLiteral(select: ast.SelectStmt, source: ValueSource, ref: TableRef,
  types: readonly number[]):
  { select: ast.SelectStmt; types: number[]; text: string } | undefined {
  if (source.kind !== "literal" || source.text === null) return undefined;
  const column = ref.citus?.distributionColumn;
  if (column === undefined || column === null || !integerTypeOids.has(column.typeOid)) {
    return undefined;
  }
  const node = source.node;
  if (!("A_Const" in node) || node.A_Const.ival === undefined) return undefined;
  const param: ast.Node = { ParamRef: { number: types.length + 1 } };
  let replaced = 0;
  const visit = (value: unknown, depth: number): unknown => {
    if (value === node) {
      replaced++;
      return param;
    }
    if (depth > limits.treeDepthMax * 4) return value;
    if (Array.isArray(value)) return value.map((item) => visit(item, depth + 1));
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, depth + 1)]));
  };
  const copy = visit(select, 0) as ast.SelectStmt;
  if (replaced !== 1) return undefined;
  return { select: copy, types: [...types, int4TypeOid], text: source.text };
}

/**
 * The parameters as the text sent to the node, with `extra` (a lifted literal) after them.
 * An integer's text is its decimal digits (what the type's output gives), made directly.
 */
function paramTexts(params: readonly Value[], types: readonly number[],
  extra: string | undefined): (string | null)[] {
  const count = params.length;
  const texts = new Array<string | null>(extra === undefined ? count : count + 1);
  for (let i = 0; i < count; i++) {
    const value = params[i] ?? null;
    const type = types[i]!;
    texts[i] = (typeof value === "number" || typeof value === "bigint") &&
      integerTypeOids.has(type) ? String(value) : valueText(value, type);
  }
  if (extra !== undefined) texts[count] = extra;
  return texts;
}

/** What a fast-path statement's shard queries are made from. */
interface QueryShape {
  readonly select: ast.SelectStmt;
  /** `select` with each `$n` cast to its type. */
  readonly typed: ast.SelectStmt;
  readonly types: readonly number[];
  readonly classification: Classification;
  readonly source: ValueSource;
}

/** The route of an execution with its parameters bound into the text. */
function boundRoute(cluster: Cluster, state: ShardState, index: number, shape: QueryShape,
  params: readonly Value[]): FastPathRoute {
  const table = state.table!;
  const shard = table.shards[index]!;
  const sql = shardQueryText({ SelectStmt: bindParams(shape.select, params, shape.types) },
    { resolveRelation: shardResolver(tableRefs(shape.classification, table), index) });
  return { node: shardNodes(cluster, shard)[0]!, shardId: shard.row.shardid, sql,
    params: [], statement: undefined };
}

/** One shard's parameterized query and where it runs. */
class ShardTarget {
  readonly unnamed: NodeStatement;
  private statement: NodeStatement | undefined;

  constructor(readonly node: PlacementAddress, readonly shardId: number, readonly sql: string) {
    this.unnamed = new NodeStatement("", sql);
  }

  /** The text's named node-side statement (names are made afresh after a schema change). */
  named(): NodeStatement {
    if (this.statement === undefined || statements.get(this.sql) !== this.statement) {
      this.statement = namedStatementOf(this.sql);
    }
    return this.statement;
  }
}

/**
 * What the shard queries of one metadata snapshot and one list of nodes rest on: the table
 * as that snapshot describes it, and the shard targets made so far.
 */
class ShardState {
  private readonly targets = new Map<number, ShardTarget>();
  /** The node registry's entries when the state was made (each change replaces one). */
  private readonly nodes: readonly DistNode[];
  private literalIndex: number | undefined | null = null;

  constructor(cluster: Cluster, private readonly cache: MetadataCache,
    readonly table: CitusTable | undefined) {
    this.nodes = [...cluster.registry.list()];
  }

  /** Whether the metadata and the node registry are still those the state was made from. */
  current(cluster: Cluster): boolean {
    if (cluster.metadata.cache !== this.cache) return false;
    const nodes = cluster.registry.list();
    if (nodes.length !== this.nodes.length) return false;
    for (let i = 0; i < nodes.length; i++) if (nodes[i] !== this.nodes[i]) return false;
    return true;
  }

  /** The shard index of an execution's distribution value, or undefined (general planner). */
  shardIndex(source: ValueSource, params: readonly Value[], types: readonly number[]):
    number | undefined {
    const table = this.table;
    if (table === undefined) return undefined;
    const typeOid = table.distributionColumn!.typeOid;
    if (source.kind === "literal") {
      if (this.literalIndex === null) this.literalIndex = shardIndexOf(table, typeOid, source.text);
      return this.literalIndex;
    }
    const value = params[source.number - 1] ?? null;
    const type = types[source.number - 1]!;
    if (value === null) return undefined;
    // A parameter of the column's own type hashes as it is; another goes through its text.
    if (type === typeOid) return shardIndexForHash(table.ranges, hashValue(value, typeOid));
    return shardIndexOf(table, typeOid, valueText(value, type));
  }

  target(cluster: Cluster, index: number, shape: QueryShape): ShardTarget {
    let target = this.targets.get(index);
    if (target === undefined) {
      const table = this.table!;
      const shard = table.shards[index]!;
      const sql = shardQueryText({ SelectStmt: shape.typed },
        { resolveRelation: shardResolver(tableRefs(shape.classification, table), index) });
      target = new ShardTarget(shardNodes(cluster, shard)[0]!, shard.row.shardid, sql);
      this.targets.set(index, target);
    }
    return target;
  }
}

/**
 * The state of the current metadata: its table is undefined (general planner) when the
 * relation is no longer hash-distributed by the column the statement was planned for.
 */
function shardState(cluster: Cluster, relationOid: ReturnType<typeof toOid>,
  distributionColumn: string | undefined): ShardState {
  const cache = cluster.metadata.cache;
  const table = cache.table(relationOid);
  const column = table?.distributionColumn;
  const usable = table !== undefined && table.kind === "hash" && column !== undefined &&
    column !== null && column.name === distributionColumn;
  return new ShardState(cluster, cache, usable ? table : undefined);
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
  return text === undefined ? undefined : { kind: "literal", text, node: expr };
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
