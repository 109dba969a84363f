/**
 * ModifyTable: runs INSERT, UPDATE and DELETE plans. The work lives in `modify-run.ts`
 * (ON CONFLICT, row ids) and `row-writer.ts` (constraints, indexes, undo, foreign keys); this
 * node runs it on the first fetch and yields the RETURNING rows.
 */
import type { Row } from "@tessera/sql";
import type { ModifyPlan } from "../plan/plan.js";
import type { NodeState, Runtime } from "./runtime.js";
import { runModify } from "./modify-run.js";

export function buildModify(plan: ModifyPlan, rt: Runtime): NodeState {
  let out: Row[] | null = null;
  let i = 0;
  return {
    next(): Row | null {
      if (out === null) out = runModify(plan, rt);
      return i < out.length ? out[i++]! : null;
    },
    rescan(): void {
      out = null;
      i = 0;
    },
  };
}
