/**
 * Runs a recursively planned SELECT (`planner/recursive.ts`): each piece runs as its own
 * distributed query, in order; its rows become a relation `pg_catalog.intermediate_result_<oid>`
 * in the local catalog for the length of the statement, and the outer query runs over them in
 * the local engine.
 */
import { assert } from "@tessera/base";
import { addSystemRelation, type StatementContext } from "@tessera/engine";
import type { Row, Value } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import type { DistributedSelect } from "../planner/distributed-select.js";
import { pieceRelname, type PlannedSelect, type RecursiveSelect }
  from "../planner/recursive.js";
import { walkTree } from "../planner/tree-walk.js";
import type { StatementResult } from "./cursor.js";
import { runSelect } from "./select-exec.js";
import { runShipped } from "./subplan-exec.js";
import { runModifyPiece } from "../planner/modify-cte.js";

/** Runs a distributed or recursively planned SELECT. */
export async function runPlannedSelect(cluster: Cluster, planned: PlannedSelect,
  params: readonly Value[], ctx: StatementContext): Promise<StatementResult> {
  if ("modify" in planned) return runModifyPiece(planned, params, ctx);
  if ("subplans" in planned) return runShipped(cluster, planned, params, ctx);
  if (!("pieces" in planned)) return runSelect(cluster, planned as DistributedSelect, params, ctx);
  return runRecursive(cluster, planned, params, ctx);
}

async function runRecursive(cluster: Cluster, planned: RecursiveSelect,
  params: readonly Value[], ctx: StatementContext): Promise<StatementResult> {
  const catalog = cluster.local.catalog;
  const names = new Map<string, string>();
  const added: number[] = [];
  try {
    for (const [index, piece] of planned.pieces.entries()) {
      const result = await runPlannedSelect(cluster, piece.planned, params, ctx);
      const oid = catalog.allocateOid();
      const relname = `intermediate_result_${oid}`;
      const rows: readonly Row[] = result.rows;
      const types = piece.planned.outputTypes;
      addSystemRelation(catalog, {
        oid, schema: "pg_catalog", name: relname,
        columns: types.map((type, i) => [`c${i + 1}`, type.typeOid, type.typmod] as const),
        rows: () => rows.map((row) => [...row]),
      });
      added.push(oid);
      names.set(pieceRelname(index), relname);
    }
    const outer = walkTree({ SelectStmt: planned.outer }, {
      rangeVar: (rangeVar) => {
        const name = names.get(rangeVar.relname ?? "");
        return name === undefined || rangeVar.schemaname !== "pg_catalog" ? undefined
          : { ...rangeVar, relname: name };
      },
    }) as Parameters<typeof cluster.local.prepare>[0];
    const cursor = cluster.local.prepare(outer, planned.paramTypes, ctx).open(params, ctx);
    try {
      const result = await cursor.fetch(0);
      assert(result.commandTag !== undefined, "fetch(0) runs to the end");
      return { rows: result.rows, commandTag: `SELECT ${result.rows.length}` };
    } finally {
      cursor.close();
    }
  } finally {
    for (const oid of added) {
      const relation = catalog.relation(oid);
      if (relation !== undefined) catalog.removeRelation(relation);
    }
  }
}
