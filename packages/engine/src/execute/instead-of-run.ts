/**
 * ModifyTable on a view with INSTEAD OF triggers (`analyze/view-instead-of.ts` plans it):
 * nothing is written here; each row goes to the view's INSTEAD OF row triggers, as
 * PostgreSQL's ExecInsert / ExecUpdate / ExecDelete do with ExecIR*Triggers.
 *
 * INSERT passes the new row as NEW; UPDATE the view's row as OLD and it with the SET list
 * applied as NEW; DELETE the view's row as OLD. A row counts (command tag, RETURNING) when
 * the triggers return non-NULL; RETURNING reads the row the triggers returned (DELETE: the
 * view's row). The view's statement triggers fire before and after, as on a table.
 */
import { assert } from "@tessera/base";
import type { Row, Value } from "@tessera/sql";
import type { ModifySpec } from "../analyze/modify.js";
import type { ModifyPlan } from "../plan/plan.js";
import { insteadOfRow, modifyTriggers, type TriggerEvent } from "../plpgsql/triggers.js";
import { compileExpr, type Compiled } from "./compile.js";
import type { Runtime } from "./runtime.js";

export function runInsteadOf(plan: ModifyPlan, rt: Runtime): Row[] {
  assert(plan.operation !== "merge", "MERGE does not write views");
  const view = plan.relation;
  const event: TriggerEvent = plan.operation;
  const spec = plan.spec as ModifySpec;
  const fire = insteadOfRow(view, event, rt);
  assert(fire !== undefined, "the view has INSTEAD OF triggers for the command");
  const statement = modifyTriggers(view, event, rt);
  const width = view.columns.length;
  const offset = spec.targetOffset;
  const sets = spec.sets?.map((e) => (e === null ? null : compileExpr(e))) ?? null;
  const returning = plan.returning?.map((e) => compileExpr(e)) ?? null;
  const out: Row[] = [];
  const input = rt.build(plan.input);
  for (let r = input.next(); r !== null; r = input.next()) {
    const old = event === "insert" ? null : r.slice(offset, offset + width);
    const proposed = event === "delete" ? null
      : event === "insert" ? r.slice(0, width) : updated(old!, r, sets, rt);
    const result = fire(proposed, old);
    if (result === null) continue;
    rt.modified++;
    if (returning === null) continue;
    const row = event === "insert" ? result : r.slice();
    if (event === "update") for (let i = 0; i < width; i++) row[offset + i] = result[i] ?? null;
    out.push(returning.map((f) => f(row, rt)));
  }
  statement?.finish();
  return out;
}

/** The view's row with UPDATE's SET list applied. */
function updated(old: Row, input: Row, sets: readonly (Compiled | null)[] | null,
  rt: Runtime): Row {
  return old.map((v, i): Value => {
    const set = sets?.[i];
    return set === null || set === undefined ? v ?? null : set(input, rt);
  });
}
