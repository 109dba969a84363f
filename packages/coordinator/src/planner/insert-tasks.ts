/**
 * Rows into shards: route full rows by the hash of their distribution column, cut each
 * shard's rows into batches, and make one INSERT task per batch and placement. INSERT,
 * COPY and create_distributed_table's copy of existing rows all end here, with rows whose
 * defaults the coordinator already evaluated (sequences live on the coordinator).
 *
 *     INSERT INTO public.events_102009 AS citus_table_alias (device_id, event_id, payload)
 *       VALUES ($1::integer, $2::bigint, $3::jsonb), ($4::integer, $5::bigint, $6::jsonb)
 *
 * A single-row INSERT has no alias, as in Citus; a multi-row one has it in every shard's
 * INSERT. Values travel as text parameters, printed by the type's output function and read
 * back by the node's input function.
 */
import { domainDefault } from "@tessera/engine";
import { SqlError, SqlState, assert, limits, type ShardId } from "@tessera/base";
import type { Row, ast } from "@tessera/sql";
import { shardNodes, type Cluster } from "../cluster.js";
import { hashValue } from "../metadata/hash.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import { shardIndexForHash } from "../metadata/shard-ranges.js";
import type { ShellRelation } from "../operations/shard-ddl.js";
import { valueText, type Task } from "../executor/tasks.js";
import { quoteIdentifier } from "../metadata/naming.js";
import { castTo } from "./raw.js";
import { shardQueryText } from "./shard-query.js";

/** Parameters per INSERT statement, well below the protocol's 65,535. */
const paramsPerStatementMax = 30_000;

export interface InsertTarget {
  readonly table: CitusTable;
  readonly relation: ShellRelation;
}

/** The table's live columns in order: the width of every row routed here. */
export function liveColumns(relation: ShellRelation): ShellRelation["columns"] {
  return relation.columns.filter((c) => !c.dropped);
}

/**
 * Citus's error for an INSERT … VALUES whose column list leaves out the distribution column
 * (or an INSERT … DEFAULT VALUES) when that column has no default
 * (ExtractInsertPartitionValue): 22004, before any row is made.
 */
export function checkPartitionColumnListed(target: InsertTarget, insert: ast.InsertStmt): void {
  const column = target.table.distributionColumn;
  // DEFAULT VALUES (no selectStmt) lists no column at all.
  const defaults = insert.selectStmt === undefined;
  if (column === null || (!defaults && insert.cols === undefined)) return;
  const listed = (insert.cols ?? []).some((c) =>
    "ResTarget" in c && c.ResTarget.name === column.name);
  const def = liveColumns(target.relation).find((c) => c.name === column.name);
  if (listed || def === undefined || def.defaultExpr !== null || def.identity !== null ||
    domainDefault(def.type) !== undefined) return;
  if (!defaults && !insertsValues(insert)) {
    // INSERT … SELECT: the COPY into the shards finds no column (CitusCopyDestReceiver).
    throw new SqlError(SqlState.nullValueNotAllowed,
      `the partition column of table ${qualifiedName(target)} should have a value`);
  }
  throw new SqlError(SqlState.nullValueNotAllowed,
    "cannot perform an INSERT without a partition column value");
}

/** Whether the INSERT's rows are a VALUES list (not a SELECT). */
function insertsValues(insert: ast.InsertStmt): boolean {
  return insert.selectStmt !== undefined && "SelectStmt" in insert.selectStmt
    && insert.selectStmt.SelectStmt.valuesLists !== undefined;
}

/** The table as Citus's generate_qualified_relation_name prints it: schema always given. */
function qualifiedName(target: InsertTarget): string {
  return `${quoteIdentifier(target.relation.schema)}.${quoteIdentifier(target.relation.name)}`;
}

/**
 * Groups rows by shard index; reference tables put every row in shard 0. A NULL distribution
 * value is Citus's error for an INSERT's VALUES, or, for the rows of an INSERT … SELECT
 * (`insert`), its COPY's error.
 */
export function routeRows(target: InsertTarget, rows: readonly Row[],
  insert?: ast.InsertStmt): Map<number, Row[]> {
  const groups = new Map<number, Row[]>();
  const column = target.table.distributionColumn;
  const at = column === null ? -1
    : liveColumns(target.relation).findIndex((c) => c.name === column.name);
  assert(column === null || at >= 0, "the distribution column is a live column");
  for (const row of rows) {
    let index = 0;
    if (column !== null) {
      const value = row[at];
      if (value === null || value === undefined) {
        throw new SqlError(SqlState.nullValueNotAllowed, insert !== undefined &&
          insert.selectStmt !== undefined && !insertsValues(insert)
          ? `the partition column of table ${qualifiedName(target)} cannot be NULL`
          : "cannot perform an INSERT with NULL in the partition column");
      }
      index = shardIndexForHash(target.table.ranges, hashValue(value, column.typeOid));
    }
    const list = groups.get(index) ?? [];
    list.push(row);
    groups.set(index, list);
  }
  return groups;
}

/** Makes the INSERT tasks for routed rows; `template` carries ON CONFLICT and RETURNING. */
export function insertTasks(cluster: Cluster, target: InsertTarget,
  groups: ReadonlyMap<number, readonly Row[]>, template?: ast.InsertStmt): Task[] {
  const columns = liveColumns(target.relation);
  const batchRows = Math.max(1, Math.floor(paramsPerStatementMax / columns.length));
  const tasks: Task[] = [];
  // Citus aliases the target of a multi-row INSERT in every shard's INSERT, even one that
  // gets a single row of it.
  let total = 0;
  for (const rows of groups.values()) total += rows.length;
  for (const [index, rows] of [...groups].sort((a, b) => a[0] - b[0])) {
    const shard = target.table.shards[index];
    assert(shard !== undefined, "a routed row has a shard");
    for (let start = 0; start < rows.length; start += batchRows) {
      const batch = rows.slice(start, start + batchRows);
      const sql = insertText(target, shard.row.shardid, batch.length, total > 1, template);
      const params = batch.flatMap((row) => columns.map((c, i) => valueText(row[i]!, c.type)));
      assert(params.length <= limits.columnCountMax * batchRows, "batches stay bounded");
      for (const node of shardNodes(cluster, shard)) {
        tasks.push({ sql, params, node, shardId: shard.row.shardid });
      }
    }
  }
  return tasks;
}

/**
 * Prints the INSERT of `rowCount` parameter rows into one shard. The deparser prints one row;
 * the other rows repeat its text with shifted parameter numbers, because deparsing a tree of
 * thousands of casts costs more than the rows themselves.
 */
function insertText(target: InsertTarget, id: ShardId, rowCount: number, alias: boolean,
  template: ast.InsertStmt | undefined): string {
  const one = deparseInsert(target, id, 1, alias, template);
  if (rowCount === 1) return one;
  const start = one.indexOf(" VALUES (");
  assert(start > 0, "an INSERT of parameter rows has a VALUES list");
  const end = closingParen(one, start + " VALUES ".length);
  const row = one.slice(start + " VALUES ".length, end + 1);
  const width = liveColumns(target.relation).length;
  const rows: string[] = [];
  for (let r = 0; r < rowCount; r++) {
    const shift = (_match: string, k: string): string => `$${Number(k) + r * width}`;
    rows.push(r === 0 ? row : row.replace(/\$(\d+)/g, shift));
  }
  return `${one.slice(0, start)} VALUES ${rows.join(", ")}${one.slice(end + 1)}`;
}

/** Returns the index of the parenthesis that closes the one at `open`. */
function closingParen(text: string, open: number): number {
  assert(text[open] === "(", "a VALUES row opens with a parenthesis");
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    if (text[i] === ")" && --depth === 0) return i;
  }
  assert(false, "a VALUES row closes");
}

function deparseInsert(target: InsertTarget, id: ShardId, rowCount: number, alias: boolean,
  template: ast.InsertStmt | undefined): string {
  const columns = liveColumns(target.relation);
  let n = 0;
  const valuesLists = Array.from({ length: rowCount }, (): ast.Node => ({
    List: {
      items: columns.map((c) => castTo({ ParamRef: { number: ++n } }, c.type, c.typmod)),
    },
  }));
  const relation: ast.RangeVar = template?.relation ?? {
    schemaname: target.relation.schema, relname: target.relation.name, inh: true,
    relpersistence: "p",
  };
  const insert: ast.InsertStmt = {
    ...template,
    relation,
    cols: columns.map((c): ast.Node => ({ ResTarget: { name: c.name } })),
    selectStmt: {
      SelectStmt: { valuesLists, limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" },
    },
    // The coordinator evaluated every identity value: the shard must take them as given.
    override: columns.some((c) => c.identity !== null) ? "OVERRIDING_SYSTEM_VALUE"
      : template?.override ?? "OVERRIDING_NOT_SET",
  };
  return shardQueryText({ InsertStmt: insert }, {
    resolveRelation: (rangeVar) => (rangeVar === relation
      ? { shardId: id, schemaName: target.relation.schema } : undefined),
    insertAlias: alias ? "citus_table_alias" : null,
  });
}
