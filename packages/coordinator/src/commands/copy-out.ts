/**
 * COPY … TO STDOUT of distributed and reference tables, as Citus runs it: the COPY becomes a
 * SELECT — `COPY t (a, b) TO STDOUT` reads `SELECT a, b FROM t`, `COPY (query) TO STDOUT` reads
 * the query — planned by the distributed planner (router or multi-shard), and its rows are
 * printed by the engine's COPY formatter with the statement's options (text, CSV or binary).
 */
import { startCopyOutOfCursor, type CopyOutSource, type PreparedStatement,
  type StatementContext } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { unsupported } from "../planner/raw.js";

type Prepare = (stmt: ast.Node, ctx: StatementContext) => PreparedStatement;

/** Starts COPY TO STDOUT through `prepare`, the coordinator's planner for the SELECT. */
export function startDistributedCopyOut(stmt: ast.CopyStmt, ctx: StatementContext,
  prepare: Prepare): CopyOutSource {
  const prepared = prepare(stmt.query ?? selectOfTable(stmt), ctx);
  const columns = prepared.columns;
  if (columns === null) throw unsupported("COPY TO of a statement without rows");
  return startCopyOutOfCursor(stmt, ctx, columns, () => prepared.open([], ctx));
}

/** `SELECT cols FROM relation` for COPY relation (cols) TO: every column when none is named. */
function selectOfTable(stmt: ast.CopyStmt): ast.Node {
  const relation = stmt.relation;
  if (relation === undefined) throw unsupported("COPY TO without a table or query");
  const names = (stmt.attlist ?? []).flatMap((node) =>
    "String" in node ? [node.String.sval ?? ""] : []);
  const targetList: ast.Node[] = names.length === 0
    ? [{ ResTarget: { val: { ColumnRef: { fields: [{ A_Star: {} }] } } } }]
    : names.map((name) => ({ ResTarget: { val: { ColumnRef: { fields: [{ String: {
      sval: name } }] } } } }));
  return { SelectStmt: { targetList, fromClause: [{ RangeVar: { ...relation, inh: true } }],
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
}
