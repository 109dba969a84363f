/**
 * COPY … FROM STDIN into a Citus table. The engine's COPY loader reads the client's bytes in
 * record mode (`CopyLoader.routeRecords`): it cuts records (text or CSV, with every option,
 * HEADER, `\.` and the line-ending rules), checks the field count, decodes only the
 * distribution column and evaluates on the coordinator the defaults and sequences of the
 * columns the COPY leaves out. Each record's text goes on as it came (the defaults appended
 * as fields) to its shard by the hash of that value (`copy-shards.ts`), which streams batches
 * to the placements as COPY; the nodes decode and check the other fields.
 *
 *     client bytes -> CopyLoader (records) -> hash -> ShardCopyWriter -> COPY shard FROM STDIN
 *
 * While too much is on its way to the nodes, `accept` returns a promise and the client's
 * data waits (the session reads no further message until it settles).
 *
 * A COPY with a WHERE clause, in the binary format, or into a table with generated columns,
 * needs whole rows: the loader decodes them, and the rows are printed back as COPY text for
 * the shards.
 */
import { SqlError, SqlState } from "@tessera/base";
import {
  copyOptions, startCopyIn, type CopyInSink, type CopyLoader, type CopyOptions,
  type StatementContext,
} from "@tessera/engine";
import type { Row, Value, ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { valueText } from "../executor/tasks.js";
import { hashValue } from "../metadata/hash.js";
import { quoteIdentifier } from "../metadata/naming.js";
import { shardIndexForHash } from "../metadata/shard-ranges.js";
import { liveColumns, type InsertTarget } from "../planner/insert-tasks.js";
import { ShardCopyWriter } from "./copy-shards.js";
import { copyField, shardCopyOptions } from "./copy-text.js";

/** Starts a COPY FROM STDIN whose rows go to the shards of `target`. */
export function startDistributedCopy(cluster: Cluster, stmt: ast.CopyStmt,
  target: InsertTarget, ctx: StatementContext): CopyInSink {
  const loader = startCopyIn(cluster.local, stmt, ctx);
  const options = copyOptions(stmt);
  const relation = target.relation;
  const rowMode = stmt.whereClause !== undefined || options.format === "binary" ||
    liveColumns(relation).some((c) => c.generated !== null);
  const listed = columnList(stmt, target);
  const defaults = rowMode ? [] : loader.defaultColumns;
  const columns = rowMode ? stored(target).map((i) => relation.columns[i]!.name)
    : [...listed, ...defaults.map((i) => relation.columns[i]!.name)];
  const writer = new ShardCopyWriter(cluster, { table: target.table, relation, columns,
    options: shardCopyOptions(rowMode ? textFormat() : options) }, ctx);
  const route = router(target);
  if (!rowMode) {
    const types = defaults.map((i) => relation.columns[i]!.type);
    const column = distributionColumn(target);
    loader.routeRecords(column, (value, line, values, lineNumber) => {
      const suffix = values.length === 0 ? ""
        : values.map((v, i) => options.delimiter +
          copyField(valueText(v, types[i]!), options)).join("");
      writer.add(route(value), suffix === "" ? line : line + suffix, lineNumber);
    });
  }
  return {
    columnCount: loader.columnCount,
    binary: loader.binary,
    accept: (chunk) => {
      loader.accept(chunk);
      return writer.pressure;
    },
    finish: async () => {
      if (rowMode) sendRows(loader, target, writer, route);
      else loader.takeRows();
      return `COPY ${await writer.finish()}`;
    },
    abort: () => {
      loader.abort();
      void writer.abort().catch(() => undefined);
    },
  };
}

/** The names of the COPY's columns: its list, or every live column. */
function columnList(stmt: ast.CopyStmt, target: InsertTarget): string[] {
  const names = (stmt.attlist ?? []).flatMap((node) =>
    "String" in node ? [node.String.sval ?? ""] : []);
  return names.length > 0 ? names : liveColumns(target.relation).map((c) => c.name);
}

/** The table column (index among all columns) the rows are routed by, or -1. */
function distributionColumn(target: InsertTarget): number {
  const column = target.table.distributionColumn;
  if (column === null) return -1;
  return target.relation.columns.findIndex((c) => !c.dropped && c.name === column.name);
}

/** Maps a distribution column value to its shard index (0 for reference tables). */
export function router(target: InsertTarget): (value: Value) => number {
  const column = target.table.distributionColumn;
  if (column === null) return () => 0;
  const { schema, name } = target.relation;
  const ranges = target.table.ranges;
  // Loads repeat keys (many events per device): a key's shard is hashed once.
  const known = new Map<number | string | bigint, number>();
  return (value) => {
    if (value === null) {
      throw new SqlError(SqlState.nullValueNotAllowed, "the partition column of table " +
        `${quoteIdentifier(schema)}.${quoteIdentifier(name)} cannot be NULL`);
    }
    const key = typeof value === "number" || typeof value === "string" ||
      typeof value === "bigint" ? value : undefined;
    const seen = key === undefined ? undefined : known.get(key);
    if (seen !== undefined) return seen;
    const index = shardIndexForHash(ranges, hashValue(value, column.typeOid));
    if (key === undefined) return index;
    if (known.size >= routeCacheSize) known.clear();
    known.set(key, index);
    return index;
  };
}

/** Distribution keys whose shard one COPY remembers. */
const routeCacheSize = 65_536;

/** Row mode: the loader's checked rows, printed back as COPY text, to their shards. */
function sendRows(loader: CopyLoader, target: InsertTarget, writer: ShardCopyWriter,
  route: (value: Value) => number): void {
  const live = stored(target);
  const rows: Row[] = loader.takeRows();
  const at = distributionColumn(target);
  const format = textFormat();
  for (const [n, row] of rows.entries()) {
    const line = live.map((i) => copyField(valueText(row[i] ?? null,
      target.relation.columns[i]!.type), format)).join("\t");
    writer.add(route(at < 0 ? null : row[at] ?? null), line, n + 1);
  }
}

/**
 * The columns a row-mode COPY sends: every live one, generated columns with the values the
 * loader computed (a shard's columns are plain columns).
 */
function stored(target: InsertTarget): number[] {
  return target.relation.columns.flatMap((c, i) => (c.dropped ? [] : [i]));
}

/** COPY's text format with its defaults. */
export function textFormat(): CopyOptions {
  return { format: "text", delimiter: "\t", nullString: "\\N", header: false, quote: "\"",
    escape: "\"", forceQuote: [], forceNotNull: [], forceNull: [] };
}
