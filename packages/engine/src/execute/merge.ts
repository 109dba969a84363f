/**
 * MERGE's work (Postgres's ExecMerge): for each row of the source-target join, the first WHEN
 * clause of its kind whose condition holds acts. A row with a target row id is MATCHED:
 * UPDATE, DELETE or DO NOTHING that target version; one without is NOT MATCHED: INSERT or
 * DO NOTHING. Writes go through the statement's `StatementWriter` as INSERT, UPDATE and
 * DELETE's do (constraints, indexes, undo, foreign keys) and fire those commands' triggers.
 *
 * A target version this statement already updated or deleted, met again through another
 * source row whose clause would change it, is Postgres's 21000. Triggers fire as Postgres
 * fires them for MERGE: BEFORE STATEMENT for each kind of action named (INSERT, UPDATE,
 * DELETE in that order), row triggers as rows are written, AFTER ROW in the order of the
 * writes once all are done, then AFTER STATEMENT (DELETE, UPDATE, INSERT).
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { Row, Value } from "@tessera/sql";
import type { MergeAction, MergeSpec } from "../analyze/merge.js";
import type { ModifyPlan } from "../plan/plan.js";
import { modifyTriggers, triggersOf, type ModifyTriggers } from "../plpgsql/triggers.js";
import { compileExpr, compilePredicate, type Compiled } from "./compile.js";
import { PartitionTargets } from "../partition/modify-targets.js";
import { inheritanceTargets } from "../partition/inherit-scan.js";
import { StatementWriter, type TableWriter } from "./row-writer.js";
import type { Runtime } from "./runtime.js";
import { refuseTriggeredChange } from "./self-modified.js";

type Event = "insert" | "update" | "delete";

interface CompiledAction {
  readonly kind: MergeAction["kind"];
  readonly condition: ((row: Row, rt: Runtime) => boolean) | null;
  readonly values: readonly (Compiled | null)[] | null;
}

/** The triggers of each event the statement names, and the AFTER ROW events in write order. */
class MergeTriggers {
  private readonly byEvent = new Map<Event, ModifyTriggers>();
  private readonly queued: [ModifyTriggers, Row | null, Row | null][] = [];

  constructor(writer: TableWriter, events: readonly Event[]) {
    // Its row triggers fire as the partitions' clones, which MERGE does not reach yet.
    if (writer.rel.partitionKey !== undefined && triggersOf(writer.rt.catalog, writer.rel.oid)
      .some((t) => t.row && t.events.some((e) => events.includes(e as Event)))) {
      throw notSupported("MERGE into a partitioned table with row triggers");
    }
    for (const event of events) {
      const triggers = modifyTriggers(writer.rel, event, writer.rt);
      if (triggers !== undefined) this.byEvent.set(event, triggers);
    }
  }

  /** BEFORE ROW: the row to write, or null when a trigger skips it. */
  before(event: Event, newRow: Row | null, oldRow: Row | null): Row | null {
    const triggers = this.byEvent.get(event);
    if (triggers === undefined) return event === "delete" ? oldRow : newRow;
    return triggers.before(newRow, oldRow);
  }

  after(event: Event, newRow: Row | null, oldRow: Row | null): void {
    const triggers = this.byEvent.get(event);
    if (triggers !== undefined) this.queued.push([triggers, newRow, oldRow]);
  }

  finish(): void {
    for (const [triggers, newRow, oldRow] of this.queued) triggers.afterNow(newRow, oldRow);
    for (const event of ["delete", "update", "insert"] as const) {
      this.byEvent.get(event)?.finishStatement();
    }
  }
}

export function runMerge(plan: ModifyPlan, rt: Runtime): Row[] {
  const spec = plan.spec as MergeSpec;
  const writes = new StatementWriter(rt);
  const writer = writes.table(plan.relation);
  const targets = plan.relation.partitionKey !== undefined
    ? new PartitionTargets(plan.relation, writes)
    : inheritanceTargets({ ...plan, operation: "update" }, writes);
  const target: MergeTarget = { writer, targets, triggers: new MergeTriggers(writer, spec.events) };
  const matched = spec.matched.map(compileAction);
  const notMatched = spec.notMatched.map(compileAction);
  const input = rt.build(plan.input);
  const idAt = spec.targetOffset + plan.relation.columns.length;
  for (let r = input.next(); r !== null; r = input.next()) {
    const id = r[idAt];
    if (id === null || id === undefined) {
      const action = firstQualifying(notMatched, r, rt);
      if (action !== undefined && action.kind === "insert") insertRow(target, action, r);
      continue;
    }
    const action = firstQualifying(matched, r, rt);
    if (action === undefined || action.kind === "nothing") continue;
    changeRow(target, action, r, id as number);
  }
  writes.finish();
  target.triggers.finish();
  return [];
}

function compileAction(action: MergeAction): CompiledAction {
  return {
    kind: action.kind,
    condition: compilePredicate(action.condition),
    values: action.values?.map((e) => (e === null ? null : compileExpr(e))) ?? null,
  };
}

function firstQualifying(actions: readonly CompiledAction[], row: Row, rt: Runtime):
  CompiledAction | undefined {
  return actions.find((a) => a.condition === null || a.condition(row, rt));
}

/** The target table's writer, its partitions' when it has them, and its triggers. */
interface MergeTarget {
  readonly writer: TableWriter;
  readonly targets: PartitionTargets | null;
  readonly triggers: MergeTriggers;
}

/** WHEN NOT MATCHED THEN INSERT: builds the new row over the source's values and stores it. */
function insertRow(target: MergeTarget, action: CompiledAction, r: Row): void {
  const { writer, targets, triggers } = target;
  const rt = writer.rt;
  const proposed: Row = action.values!.map((f) => (f === null ? null : f(r, rt)));
  const row = triggers.before("insert", proposed, null);
  if (row === null) return;
  const leaf = targets?.route(row) ?? writer;
  leaf.checkRow(row, targets !== null);
  leaf.insertChecked(row);
  triggers.after("insert", row, null);
  rt.modified++;
}

/** WHEN MATCHED THEN UPDATE or DELETE of the target version with row id `id`. */
function changeRow(target: MergeTarget, action: CompiledAction, r: Row, id: number): void {
  const { writer, targets, triggers } = target;
  const { rel, rt } = writer;
  const located = targets?.locate(id);
  const version = located?.version ?? rel.store.at(id);
  refuseTriggeredChange(version, rt.writeId, "updated or deleted");
  if (version.xmax !== 0 && (rt.guard?.changedVersion(version) ?? true)) {
    throw new SqlError(SqlState.cardinalityViolation,
      "MERGE command cannot affect row a second time",
      { hint: "Ensure that not more than one source row matches any one target row." });
  }
  const old = located?.old ?? version.values;
  if (action.kind === "delete") {
    rt.guard?.checkRowLocks(version, "update");
    if (triggers.before("delete", null, old) === null) return;
    refuseTriggeredChange(version, rt.writeId, "updated or deleted");
    (located?.writer ?? writer).delete(version);
    triggers.after("delete", null, old);
    rt.modified++;
    return;
  }
  rt.guard?.checkRowLocks(version, "noKeyUpdate");
  const width = rel.columns.length;
  const proposed = new Array<Value>(width);
  for (let i = 0; i < width; i++) {
    const set = action.values![i];
    proposed[i] = set === null || set === undefined ? old[i] ?? null : set(r, rt);
  }
  const row = triggers.before("update", proposed, old);
  if (row === null) return;
  refuseTriggeredChange(version, rt.writeId, "updated or deleted");
  if (located !== undefined) targets!.update(located.writer, version, row);
  else writer.update(version, row);
  triggers.after("update", row, old);
  rt.modified++;
}
