/**
 * Citus's time partitioning helpers (udfs/create_time_partitions,
 * get_missing_time_partition_ranges and time_partitions, PL/pgSQL in Citus):
 *
 *   create_time_partitions(table_name regclass, partition_interval interval,
 *     end_at timestamptz, start_from timestamptz DEFAULT now()) RETURNS boolean
 *
 * creates the range partitions of `partition_interval` that cover [start_from, end_at), named
 * `<table>_p<to_char(from, format)>`, aligned to the earliest existing partition or else to
 * start_from truncated by the interval's size; each is made by `CREATE TABLE … PARTITION OF`,
 * which distributes it when the parent is distributed (`distribute-partitioned.ts`). The view
 * `time_partitions` lists the range partitions of one-column partitioned tables, and
 * `CALL drop_old_time_partitions(table_name regclass, older_than timestamptz)` drops those
 * whose range ends at or before older_than (a distributed partition with its shards). The date
 * arithmetic (date_trunc, + interval, to_char) is the coordinator's engine's, through SQL.
 */
import { SqlError, SqlState, assert, oid } from "@tessera/base";
import {
  addSystemRelation, partitionsNow, type Engine, type PreparedStatement, type StatementContext,
} from "@tessera/engine";
import {
  TypeOid, parseStatements, type FunctionDef, type Row, type Value, type ast,
} from "@tessera/sql";
import { shardNodes, type Cluster } from "../cluster.js";
import { ddlStatement, runLocal } from "../commands/ddl.js";
import { runShardCommands } from "../commands/shard-command-batch.js";
import { valueText } from "../executor/tasks.js";
import { quoteIdentifier } from "../metadata/naming.js";
import { distributePartition } from "./distribute-partitioned.js";
import { forgetTables, undoOnRollback } from "./metadata-undo.js";
import {
  deparseExpr, qualifiedName, qualifiedShard, type ShellRelation,
} from "./shard-ddl.js";
import { contextOf, notice } from "./statement-contexts.js";

const timeTypes = new Set<number>([TypeOid.date, TypeOid.timestamp, TypeOid.timestamptz]);

/** One range partition of a time-partitioned table, as time_partitions shows it. */
interface TimePartition {
  readonly relation: ShellRelation;
  readonly from: string;
  readonly to: string;
}

/** The range partitions of `parent` with value bounds, in bound order. */
function timePartitions(engine: Engine, parent: ShellRelation): TimePartition[] {
  const key = parent.partitionKey;
  if (key?.strategy !== "r" || key.columns.length !== 1) return [];
  const type = parent.columns[key.columns[0]!]!.type;
  return partitionsNow(engine.catalog, parent).flatMap((relation) => {
    const bound = relation.partitionOf?.bound;
    const lower = bound?.kind === "range" ? bound.lower[0] : undefined;
    const upper = bound?.kind === "range" ? bound.upper[0] : undefined;
    if (lower?.kind !== "value" || upper?.kind !== "value") return [];
    return [{ relation, from: valueText(lower.value, type) ?? "",
      to: valueText(upper.value, type) ?? "" }];
  });
}

/** The time_partitions view (Citus's columns, ordered by parent_table::text, from_value). */
export function addTimePartitionsView(engine: Engine): void {
  addSystemRelation(engine.catalog, {
    oid: 15_090, schema: "pg_catalog", name: "time_partitions",
    columns: [["parent_table", TypeOid.regclass], ["partition_column", TypeOid.name],
      ["partition", TypeOid.regclass], ["from_value", TypeOid.text],
      ["to_value", TypeOid.text], ["access_method", TypeOid.name]],
    rows: () => [...engine.catalog.allRelations()]
      .filter((r) => r.partitionKey !== undefined)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .flatMap((parent) => timePartitions(engine, parent).map((p): Row => [parent.oid,
        parent.columns[parent.partitionKey!.columns[0]!]!.name, p.relation.oid, p.from, p.to,
        "heap"])),
  });
}

/** create_time_partitions as a function of the coordinator's engine. */
export function timePartitionFunctions(cluster: Cluster): FunctionDef[] {
  return [{
    kind: "scalar", name: "create_time_partitions", volatility: "v", strict: false,
    argTypes: [TypeOid.regclass, TypeOid.interval, TypeOid.timestamptz, TypeOid.timestamptz],
    argNames: ["table_name", "partition_interval", "end_at", "start_from"],
    defaultCount: 1, defaults: [null], returnType: TypeOid.bool,
    impl: () => {
      throw new SqlError(SqlState.internalError, "this function must be awaited");
    },
    implAsync: async (args, evalCtx) => {
      const [table, interval, endAt, startFrom] = args;
      if (table === null || table === undefined || interval === null || interval === undefined ||
        endAt === null || endAt === undefined) return null;
      const ctx = contextOf(evalCtx);
      const text = (v: Value, type: number): string => valueText(v, type) ?? "";
      const start = startFrom === null || startFrom === undefined
        ? String((await one(cluster, "SELECT now()::text", [], ctx))[0])
        : text(startFrom, TypeOid.timestamptz);
      return createTimePartitions(cluster, {
        relationId: Number(table), interval: text(interval, TypeOid.interval),
        endAt: text(endAt, TypeOid.timestamptz), startFrom: start,
      }, ctx);
    },
  }];
}

interface TimePartitionRequest {
  readonly relationId: number;
  /** The interval and timestamps as text, read back by the SQL that does the arithmetic. */
  readonly interval: string;
  readonly endAt: string;
  readonly startFrom: string;
}

/** First row of a statement run on the coordinator's engine with text parameters. */
async function one(cluster: Cluster, sql: string, params: readonly string[],
  ctx: StatementContext): Promise<Value[]> {
  const stmt = parseStatements(sql)[0];
  assert(stmt !== undefined, "a local statement parses");
  const cursor = cluster.local.prepare(stmt.stmt, params.map(() => TypeOid.text), ctx)
    .open([...params], ctx);
  try {
    const row = (await cursor.fetch(0)).rows[0];
    assert(row !== undefined, "the statement returns a row");
    return row;
  } finally {
    cursor.close();
  }
}

function raise(message: string, hint?: string): SqlError {
  return new SqlError(SqlState.raiseException, message, hint === undefined ? {} : { hint });
}

/** Creates the missing partitions; true when it created any. */
async function createTimePartitions(cluster: Cluster, request: TimePartitionRequest,
  ctx: StatementContext): Promise<boolean> {
  const q = (sql: string, ...params: string[]): Promise<Value[]> =>
    one(cluster, sql, params, ctx);
  const [older, startText, endText] = await q("SELECT $1::timestamptz >= $2::timestamptz, " +
    "$1::timestamptz::text, $2::timestamptz::text", request.startFrom, request.endAt);
  if (older === true) {
    throw raise(`start_from (${String(startText)}) must be older than end_at ` +
      `(${String(endText)})`);
  }
  const parent = cluster.local.catalog.relation(request.relationId);
  const [regclass] = await q("SELECT $1::oid::regclass::text", String(request.relationId));
  if (parent?.partitionKey === undefined) throw raise(`${String(regclass)} is not partitioned`);
  if (parent.partitionKey.columns.length !== 1) {
    throw raise("partitioned tables with multiple partition columns are not supported");
  }
  const type = parent.columns[parent.partitionKey.columns[0]!]!.type;
  if (!timeTypes.has(type)) {
    throw raise(`type of the partition column of the table ${String(regclass)} must be date, ` +
      "timestamp or timestamptz");
  }
  const [dayMultiple, positive] = await q("SELECT date_trunc('day', $1::interval) = " +
    "$1::interval, $1::interval > interval '0'", request.interval);
  if (type === TypeOid.date && dayMultiple !== true) {
    throw raise("partition interval of date partitioned table must be day or multiple days");
  }
  if (positive !== true) {
    throw new SqlError(SqlState.invalidParameterValue, "partition interval must be positive");
  }
  const ranges = await missingRanges(cluster, parent, type, request, q);
  for (const range of ranges) {
    const name = quoteIdentifier(range.name);
    const schema = quoteIdentifier(parent.schema);
    const sql = `CREATE TABLE ${schema}.${name} PARTITION OF ${schema}.` +
      `${quoteIdentifier(parent.name)} FOR VALUES FROM ('${range.from}') TO ('${range.to}')`;
    const stmt = parseStatements(sql)[0];
    assert(stmt !== undefined, "the partition's CREATE TABLE parses");
    await runLocal(cluster, stmt.stmt, ctx);
    const parentTable = cluster.metadata.cache.table(oid(parent.oid));
    const child = cluster.local.catalog.findRelation([parent.schema], parent.schema, range.name);
    if (parentTable !== undefined && child !== undefined) {
      await distributePartition(cluster, parentTable, child, ctx);
    }
  }
  return ranges.length > 0;
}

type Query = (sql: string, ...params: string[]) => Promise<Value[]>;

interface Range { readonly name: string; readonly from: string; readonly to: string }

/** get_missing_time_partition_ranges: the partitions to create, in order. */
async function missingRanges(cluster: Cluster, parent: ShellRelation, type: number,
  request: TimePartitionRequest, q: Query): Promise<Range[]> {
  const typeName = type === TypeOid.date ? "date" : type === TypeOid.timestamp ? "timestamp"
    : "timestamptz";
  const existing = await Promise.all(timePartitions(cluster.local, parent).map(async (p) => {
    const [from, to, fromTs] = await q(`SELECT extract(epoch FROM $1::${typeName}::timestamptz)` +
      `::float8, extract(epoch FROM $2::${typeName}::timestamptz)::float8, ` +
      `$1::${typeName}::timestamptz::text`, p.from, p.to);
    return { ...p, fromEpoch: Number(from), toEpoch: Number(to), fromTs: String(fromTs) };
  }));
  const step = async (ts: string, sign: "+" | "-"): Promise<string> =>
    String((await q(`SELECT ($1::timestamptz ${sign} $2::interval)::text`, ts,
      request.interval))[0]);
  const epoch = async (ts: string): Promise<number> =>
    Number((await q("SELECT extract(epoch FROM $1::timestamptz)::float8", ts))[0]);
  const [truncated, format] = await q(alignmentSql, request.startFrom, request.interval);
  let current = String(truncated);
  const pivot = existing[0];
  if (pivot !== undefined) {
    current = pivot.fromTs;
    const from = await epoch(request.startFrom);
    if (from >= pivot.fromEpoch) {
      while (await epoch(current) < from) current = await step(current, "+");
    } else {
      while (await epoch(current) > from) current = await step(current, "-");
    }
  }
  const end = await epoch(request.endAt);
  const ranges: Range[] = [];
  for (let e = await epoch(current); e < end;) {
    const next = await step(current, "+");
    const n = await epoch(next);
    const exact = existing.some((p) => p.fromEpoch === e && p.toEpoch === n);
    const covering = existing.find((p) => (e >= p.fromEpoch && e < p.toEpoch) ||
      (n > p.fromEpoch && n < p.toEpoch));
    if (!exact && covering !== undefined) {
      throw raise(`partition ${covering.relation.name} with the range from ${covering.from} ` +
        `to ${covering.to} does not align with the initial partition given the partition ` +
        "interval", "Only use partitions of the same size, without gaps between partitions.");
    }
    if (!exact) {
      const [name, from, to] = await q("SELECT substring($1, 0, 63 - length(to_char(" +
        "$2::timestamptz, $4)) - 1) || '_p' || to_char($2::timestamptz, $4), " +
        `$2::timestamptz::${typeName}::text, $3::timestamptz::${typeName}::text`,
      parent.name, current, next, String(format));
      ranges.push({ name: String(name), from: String(from), to: String(to) });
    }
    current = next;
    e = n;
  }
  return ranges;
}

/** The first range's start when no partition exists yet, and the names' to_char format. */
const alignmentSql = `SELECT (CASE
  WHEN $2::interval < interval '1 hour' THEN date_trunc('minute', $1::timestamptz)
  WHEN $2::interval < interval '1 day' THEN date_trunc('hour', $1::timestamptz)
  WHEN $2::interval < interval '1 week' THEN date_trunc('day', $1::timestamptz)
  WHEN $2::interval < interval '1 month' THEN date_trunc('week', $1::timestamptz)
  WHEN $2::interval = interval '3 months' THEN date_trunc('quarter', $1::timestamptz)
  WHEN $2::interval < interval '1 year' THEN date_trunc('month', $1::timestamptz)
  ELSE date_trunc('year', $1::timestamptz) END)::text,
  CASE WHEN $2::interval = interval '3 months' THEN 'YYYY"q"Q'
  WHEN $2::interval = interval '1 week' THEN 'IYYY"w"IW'
  ELSE 'YYYY'
    || CASE WHEN $2::interval < interval '1 year' THEN '_MM' ELSE '' END
    || CASE WHEN $2::interval < interval '1 month' THEN '_DD' ELSE '' END
    || CASE WHEN $2::interval < interval '1 day' THEN '_HH24MI' ELSE '' END
    || CASE WHEN $2::interval < interval '1 minute' THEN 'SS' ELSE '' END END`;

/**
 * CALL drop_old_time_partitions(table_name, older_than), or undefined for other CALLs: drops
 * the partitions whose to_value <= older_than, oldest first, with Citus's NOTICE each.
 */
export function prepareTimePartitionCall(cluster: Cluster, call: ast.CallStmt):
  PreparedStatement | undefined {
  const fn = call.funccall;
  const names = (fn?.funcname ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  if (names.at(-1) !== "drop_old_time_partitions" ||
    (names.length > 1 && names[0] !== "pg_catalog")) return undefined;
  const args: (ast.Node | undefined)[] = [undefined, undefined];
  (fn?.args ?? []).forEach((arg, i) => {
    if (!("NamedArgExpr" in arg)) {
      args[i] = arg;
      return;
    }
    const at = ["table_name", "older_than"].indexOf(arg.NamedArgExpr.name ?? "");
    if (at >= 0) args[at] = arg.NamedArgExpr.arg;
  });
  const [table, olderThan] = args;
  if (table === undefined || olderThan === undefined || (fn?.args ?? []).length !== 2) {
    throw new SqlError(SqlState.undefinedFunction,
      "procedure drop_old_time_partitions with these arguments does not exist",
      { hint: "drop_old_time_partitions(table_name regclass, older_than timestamptz)" });
  }
  return ddlStatement(cluster, async (ctx) => {
    const [relid, cutoff] = await one(cluster, `SELECT (${deparseExpr(table)})::regclass::oid` +
      `::text, (${deparseExpr(olderThan)})::timestamptz::text`, [], ctx);
    const parent = cluster.local.catalog.relation(Number(relid));
    if (parent === undefined) return "CALL";
    const type = parent.partitionKey === undefined ? TypeOid.timestamptz
      : parent.columns[parent.partitionKey.columns[0]!]!.type;
    const cast = type === TypeOid.date ? "date" : type === TypeOid.timestamp ? "timestamp"
      : "timestamptz";
    const old: { partition: TimePartition; end: number }[] = [];
    for (const partition of timePartitions(cluster.local, parent)) {
      const [due, end] = await one(cluster, `SELECT $1::${cast}::timestamptz <= ` +
        `$2::timestamptz, extract(epoch FROM $1::${cast}::timestamptz)::float8`,
      [partition.to, String(cutoff)], ctx);
      if (due === true) old.push({ partition, end: Number(end) });
    }
    for (const { partition } of old.sort((a, b) => a.end - b.end)) {
      notice(ctx, `dropping ${partition.relation.name} with start time ${partition.from} ` +
        `and end time ${partition.to}`);
      await dropPartition(cluster, partition.relation, ctx);
    }
    return "CALL";
  });
}

/** DROP TABLE of one partition: the shell table, then (a Citus table's) shards and metadata. */
async function dropPartition(cluster: Cluster, relation: ShellRelation,
  ctx: StatementContext): Promise<void> {
  const table = cluster.metadata.cache.table(oid(relation.oid));
  const stmt = parseStatements(`DROP TABLE ${qualifiedName(relation)}`)[0];
  assert(stmt !== undefined, "the DROP TABLE parses");
  const drops = (table?.shards ?? []).flatMap((shard) => shardNodes(cluster, shard).map(
    (node) => ({ node, shardId: shard.row.shardid as number,
      sql: `DROP TABLE IF EXISTS ${qualifiedShard(relation, shard.row.shardid)} CASCADE` })));
  await runLocal(cluster, stmt.stmt, ctx);
  if (table === undefined) return;
  undoOnRollback(ctx, forgetTables(cluster, new Set([relation.oid])));
  await runShardCommands(cluster, drops, ctx);
}
