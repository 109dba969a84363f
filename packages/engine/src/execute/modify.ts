/**
 * ModifyTable: runs INSERT, UPDATE and DELETE plans. The row-level work (defaults, constraint
 * checks, index maintenance, ON CONFLICT) lives in `storage/writer.ts`; this node feeds it
 * rows from its input and yields RETURNING rows.
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
