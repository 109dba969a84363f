/**
 * INSERT into a local (coordinator) table from a SELECT over Citus tables, as Citus runs it:
 * the SELECT runs as a distributed query first ("pull to coordinator"), its rows become a
 * relation `pg_catalog.intermediate_result_<oid>` for the length of the statement, and the
 * local engine runs the INSERT over that relation, with its column list, ON CONFLICT and
 * RETURNING as written:
 *
 *     INSERT INTO totals SELECT device_id, count(*) FROM events GROUP BY 1
 *  -> rows of the distributed SELECT, then
 *     INSERT INTO totals SELECT * FROM pg_catalog.intermediate_result_16400
 */
import { assert } from "@tessera/base";
import { addSystemRelation, type PreparedStatement, type StatementContext }
  from "@tessera/engine";
import type { ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { preparedStatement } from "../executor/cursor.js";
import { runPlannedSelect } from "../executor/recursive-exec.js";
import { classify } from "./classify.js";
import { unsupported } from "./raw.js";
import { planSelect } from "./recursive.js";

/** Plans an INSERT … SELECT whose target is a local table and whose SELECT reads Citus tables. */
export function prepareLocalInsert(cluster: Cluster, insert: ast.InsertStmt,
  paramTypes: readonly number[], ctx: StatementContext): PreparedStatement {
  const source = insert.selectStmt;
  if (insert.withClause !== undefined || source === undefined || !("SelectStmt" in source) ||
    source.SelectStmt.valuesLists !== undefined) {
    throw unsupported("modifying local tables from distributed tables is supported for " +
      "INSERT … SELECT only");
  }
  const whole = cluster.local.prepare({ InsertStmt: insert }, paramTypes, ctx);
  const types = whole.paramTypes;
  const path = cluster.local.statementScope(types, ctx).path;
  const found = classify(source, cluster.local.catalog, path, cluster.metadata.cache);
  const planned = planSelect(cluster, source.SelectStmt, found, types, ctx);
  return preparedStatement(whole.columns, types, async (params, runCtx) => {
    const rows = (await runPlannedSelect(cluster, planned, params, runCtx)).rows;
    const catalog = cluster.local.catalog;
    const oid = catalog.allocateOid();
    const relname = `intermediate_result_${oid}`;
    addSystemRelation(catalog, {
      oid, schema: "pg_catalog", name: relname, rows: () => rows.map((row) => [...row]),
      columns: planned.outputTypes.map((type, i) =>
        [`c${i + 1}`, type.typeOid, type.typmod] as const),
    });
    try {
      const local: ast.InsertStmt = { ...insert, selectStmt: { SelectStmt: {
        targetList: [{ ResTarget: { val: { ColumnRef: { fields: [{ A_Star: {} }] } } } }],
        fromClause: [{ RangeVar: { schemaname: "pg_catalog", relname, inh: true,
          relpersistence: "p" } }],
        limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE",
      } } };
      const cursor = cluster.local.prepare({ InsertStmt: local }, types, runCtx)
        .open(params, runCtx);
      try {
        const result = await cursor.fetch(0);
        assert(result.commandTag !== undefined, "fetch(0) runs to the end");
        return { rows: result.rows, commandTag: result.commandTag };
      } finally {
        cursor.close();
      }
    } finally {
      const relation = catalog.relation(oid);
      if (relation !== undefined) catalog.removeRelation(relation);
    }
  });
}
