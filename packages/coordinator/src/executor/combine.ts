/**
 * The combine step in the local engine: the rows the tasks returned become a relation
 * `pg_catalog.remote_scan_<oid>` (aliased `remote_scan`) for the length of one statement,
 * and the combine query (`planner/select-split.ts`) runs over it with the engine's own
 * aggregation, sorting and limits. EXPLAIN runs the same query over an empty relation and
 * shows its plan above the Custom Scan.
 */
import { assert } from "@tessera/base";
import { addSystemRelation, type StatementContext } from "@tessera/engine";
import type { Row, ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import type { ColumnType } from "./tasks.js";

/** The columns of remote_scan: names and types, one per worker output column. */
export interface RemoteScanShape {
  readonly names: readonly string[];
  readonly types: readonly ColumnType[];
}

/** Runs `combine` over `rows` and returns its rows. */
export async function runCombine(cluster: Cluster, combine: ast.SelectStmt,
  shape: RemoteScanShape, rows: readonly Row[], ctx: StatementContext): Promise<Row[]> {
  return withRemoteScan(cluster, shape, rows, async (relname) => {
    const stmt: ast.Node = { SelectStmt: withRelation(combine, relname) };
    const cursor = cluster.local.prepare(stmt, [], ctx).open([], ctx);
    try {
      const result = await cursor.fetch(0);
      assert(result.commandTag !== undefined, "fetch(0) runs to the end");
      return result.rows;
    } finally {
      cursor.close();
    }
  });
}

/**
 * Returns the local EXPLAIN lines of `combine` over remote_scan: empty, or holding the rows
 * the tasks returned (EXPLAIN ANALYZE).
 */
export async function explainCombine(cluster: Cluster, combine: ast.SelectStmt,
  shape: RemoteScanShape, options: readonly ast.Node[], ctx: StatementContext,
  rows: readonly Row[] = []): Promise<string[]> {
  return withRemoteScan(cluster, shape, rows, async (relname) => {
    const stmt: ast.Node = {
      ExplainStmt: { query: { SelectStmt: withRelation(combine, relname) }, options: [...options] },
    };
    const cursor = cluster.local.prepare(stmt, [], ctx).open([], ctx);
    try {
      const result = await cursor.fetch(0);
      return result.rows.map((row) => String(row[0]));
    } finally {
      cursor.close();
    }
  });
}

/** Runs `body` while a remote_scan relation holding `rows` exists in the local catalog. */
async function withRemoteScan<T>(cluster: Cluster, shape: RemoteScanShape,
  rows: readonly Row[], body: (relname: string) => Promise<T>): Promise<T> {
  assert(shape.names.length === shape.types.length, "every remote column has a type");
  const catalog = cluster.local.catalog;
  const oid = catalog.allocateOid();
  const relname = `remote_scan_${oid}`;
  addSystemRelation(catalog, {
    oid, schema: "pg_catalog", name: relname,
    columns: shape.names.map((name, i) => [name, shape.types[i]!.typeOid] as const),
    rows: () => rows.map((row) => [...row]),
  });
  const relation = catalog.relation(oid);
  assert(relation !== undefined, "the remote_scan relation was added");
  relation.columns.forEach((column, i) => { column.typmod = shape.types[i]!.typmod; });
  try {
    return await body(relname);
  } finally {
    catalog.removeRelation(relation);
  }
}

function withRelation(combine: ast.SelectStmt, relname: string): ast.SelectStmt {
  const from = combine.fromClause?.[0];
  assert(from !== undefined && "RangeVar" in from, "a combine query reads remote_scan");
  return { ...combine, fromClause: [{ RangeVar: { ...from.RangeVar, relname } }] };
}
