/**
 * ModifyTable's work: INSERT, UPDATE and DELETE over the rows of the input plan, through the
 * statement's `StatementWriter` (constraints, indexes, undo, foreign keys), collecting the
 * RETURNING rows.
 *
 * UPDATE and DELETE find each target version by the row id the target scan appended
 * (`analyze/modify-target.ts`), in constant time. A version this statement already changed is
 * skipped, as Postgres skips rows a join offers twice. New versions are invisible to the
 * statement's own snapshot, so no row is visited twice (the Halloween problem).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Row, Value } from "@tessera/sql";
import type { ModifySpec } from "../analyze/modify.js";
import type { OnConflictSpec } from "../analyze/on-conflict.js";
import type { ModifyPlan } from "../plan/plan.js";
import { compileExpr, compilePredicate, type Compiled } from "./compile.js";
import { StatementWriter, type TableWriter } from "./row-writer.js";
import type { NodeState, Runtime } from "./runtime.js";
import { inheritanceTargets } from "../partition/inherit-scan.js";
import { checkConflictUpdateStays, leafConflictSpec, PartitionTargets }
  from "../partition/modify-targets.js";
import { viewChecker, type ViewChecker } from "../analyze/view-write-plan.js";
import { modifyTriggers, type ModifyTriggers } from "../plpgsql/triggers.js";
import { runMerge } from "./merge.js";
import { LeafTriggers } from "../partition/leaf-triggers.js";
import { runInsteadOf } from "./instead-of-run.js";
import { isTempSchema } from "../catalog/catalog.js";
import type { RowVersion } from "../storage/table-store.js";
import { cidOfStamp, xidOfStamp } from "../txn/stamp.js";
import { appendSystemValues } from "./system-values.js";
import { transactionIsReadOnly } from "./read-only-transaction.js";
import { refuseTriggeredChange } from "./self-modified.js";

export function runModify(plan: ModifyPlan, rt: Runtime): Row[] {
  checkWritable(plan, rt);
  if (plan.operation === "merge") return runMerge(plan, rt);
  if (plan.relation.kind === "v") return runInsteadOf(plan, rt);
  const spec = plan.spec as ModifySpec;
  const writes = new StatementWriter(rt);
  const writer = writes.table(plan.relation);
  const targets = plan.relation.partitionKey !== undefined
    ? new PartitionTargets(plan.relation, writes) : inheritanceTargets(plan, writes);
  const input = rt.build(plan.input);
  const returning = plan.returning?.map((e) => compileExpr(e)) ?? null;
  const out: Row[] = [];
  const system = plan.returningSystem === true;
  const emit: Emit = (row, written) => {
    rt.modified++;
    if (returning === null) return;
    const full = system && written !== undefined
      ? appendSystemValues(row.slice(), written.version, written.tableOid, written.lockedBy)
      : row;
    out.push(returning.map((f) => f(full, rt)));
  };
  const check = viewChecker(spec.viewChecks, plan.relation, rt);
  const triggers = modifyTriggers(plan.relation, plan.operation, rt, spec.sets);
  // ON CONFLICT DO UPDATE fires the table's UPDATE triggers too (ExecOnConflictUpdate).
  const conflictTriggers = spec.onConflict?.action === "update"
    ? modifyTriggers(plan.relation, "update", rt, spec.onConflict.sets) : undefined;
  if (plan.relation.partitionKey !== undefined) {
    targets!.leafTriggers = new LeafTriggers(rt, spec.sets ?? spec.onConflict?.sets);
  }
  switch (plan.operation) {
    case "insert":
      runInsert(input, writer, spec.onConflict, emit, check, targets, triggers,
        conflictTriggers);
      break;
    case "update":
      runUpdate(input, writer, spec, emit, check, targets, triggers, system);
      break;
    case "delete":
      runDelete(input, writer, spec, system ? deletedSystemValues(emit, spec, plan, rt) : emit,
        targets, triggers);
      break;
  }
  writes.finish();
  targets?.leafTriggers?.finish();
  // PostgreSQL queues AFTER UPDATE STATEMENT before AFTER INSERT STATEMENT.
  triggers?.finishRows();
  conflictTriggers?.finish();
  triggers?.finishStatement();
  return out;
}

/**
 * A READ ONLY transaction (BEGIN READ ONLY, SET TRANSACTION READ ONLY, JDBC's setReadOnly)
 * writes only temporary tables, as Postgres's ExecCheckXactReadOnly allows.
 */
function checkWritable(plan: ModifyPlan, rt: Runtime): void {
  if (isTempSchema(plan.relation.schema)) return;
  if (!transactionIsReadOnly(rt.ctx)) return;
  throw new SqlError(SqlState.readOnlySqlTransaction,
    `cannot execute ${plan.operation.toUpperCase()} in a read-only transaction`);
}

/**
 * Counts a written row and adds its RETURNING row; `written` is its new version, for the
 * system columns INSERT … RETURNING may read (`lockedBy`: the xid an ON CONFLICT update
 * locked the row with, which Postgres shows as its xmax).
 */
type Emit = (row: Row, written?: { version: RowVersion; tableOid: number; lockedBy?: number })
  => void;

function runInsert(input: NodeState, writer: TableWriter, onConflict: OnConflictSpec | null,
  emit: Emit, check: ViewChecker | null, targets: PartitionTargets | null,
  triggers: ModifyTriggers | undefined, conflictTriggers: ModifyTriggers | undefined): void {
  const handlers = new Map<TableWriter, ConflictHandler>();
  const conflictsFor = (w: TableWriter): ConflictHandler | null => {
    if (onConflict === null) return null;
    let handler = handlers.get(w);
    if (handler === undefined) {
      handler = targets === null ? new ConflictHandler(w, onConflict, false, conflictTriggers)
        : new ConflictHandler(w, leafConflictSpec(onConflict, w.rel), true,
          leafAndRoot(targets.leafTriggers?.of(w.rel, "update"), conflictTriggers));
      handlers.set(w, handler);
    }
    return handler;
  };
  for (let r = input.next(); r !== null; r = input.next()) {
    let row = triggers === undefined ? r.slice() : triggers.before(r.slice(), null);
    if (row === null) continue;
    const target = targets?.route(row) ?? writer;
    // A leaf's BEFORE ROW triggers may change the row: then its bound is checked again.
    const leaf = targets?.leafTriggers?.of(target.rel, "insert");
    if (leaf !== undefined && (row = leaf.before(row, null)) === null) continue;
    target.checkRow(row, targets !== null && leaf === undefined);
    const conflicts = conflictsFor(target);
    if (conflicts !== null) {
      const outcome = conflicts.handle(row);
      if (outcome !== undefined) {
        if (outcome !== null) check?.(outcome);
        if (outcome !== null) {
          emit(outcome, { version: conflicts.updated!, tableOid: target.rel.oid,
            lockedBy: xidOfStamp(target.rt.writeId) });
        }
        continue;
      }
    }
    const version = target.insertChecked(row);
    check?.(row);
    triggers?.after(row, null);
    leaf?.after(row, null);
    emit(row, { version, tableOid: target.rel.oid });
  }
}

function runUpdate(input: NodeState, writer: TableWriter, spec: ModifySpec,
  emit: (row: Row) => void, check: ViewChecker | null, targets: PartitionTargets | null,
  triggers: ModifyTriggers | undefined, system: boolean): void {
  const { rel, rt } = writer;
  const offset = spec.targetOffset;
  const width = rel.columns.length;
  const sets = spec.sets!.map((e) => (e === null ? null : compileExpr(e)));
  for (let r = input.next(); r !== null; r = input.next()) {
    const located = targets?.locate(r[offset + width] as number);
    const version = located?.version ?? rel.store.at(r[offset + width] as number);
    refuseTriggeredChange(version, rt.writeId, "updated");
    if (version.xmax !== 0 && (writer.rt.guard?.changedVersion(version) ?? true)) continue;
    writer.rt.guard?.checkRowLocks(version, "noKeyUpdate");
    const old = located?.old ?? version.values;
    let row = new Array<Value>(width);
    for (let i = 0; i < width; i++) {
      const set = sets[i];
      row[i] = set === null || set === undefined ? old[i] ?? null : set(r, rt);
    }
    const leaf = leafTriggers(targets, located?.writer, "update");
    const rowTriggers = leaf ?? triggers;
    if (rowTriggers !== undefined) {
      const changed = rowTriggers.before(row, old);
      if (changed === null) continue;
      refuseTriggeredChange(version, rt.writeId, "updated");
      row = changed;
    }
    const written = located !== undefined ? targets!.update(located.writer, version, row)
      : { version: writer.update(version, row), tableOid: rel.oid };
    if (written === null) continue;
    // A row moved to another partition fired that leaf's INSERT triggers, not AFTER UPDATE.
    if (written.row !== undefined) row = written.row;
    check?.(row);
    // The statement's table captures every row for its transition tables.
    triggers?.after(row, old);
    if (written.row === undefined) leaf?.after(row, old);
    if (offset === 0 && r.length === width + 1) {
      emit(row);
      continue;
    }
    const joined = r.slice();
    for (let i = 0; i < width; i++) joined[offset + i] = row[i]!;
    // RETURNING reads the new version's system columns, after the row id.
    if (system) {
      const values = appendSystemValues([], written.version, written.tableOid);
      values.forEach((v, i) => { joined[offset + width + 1 + i] = v; });
    }
    emit(joined);
  }
}

function runDelete(input: NodeState, writer: TableWriter, spec: ModifySpec,
  emit: (row: Row) => void, targets: PartitionTargets | null,
  triggers: ModifyTriggers | undefined): void {
  const rel = writer.rel;
  const offset = spec.targetOffset;
  const width = rel.columns.length;
  for (let r = input.next(); r !== null; r = input.next()) {
    const located = targets?.locate(r[offset + width] as number);
    const version = located?.version ?? rel.store.at(r[offset + width] as number);
    refuseTriggeredChange(version, writer.rt.writeId, "deleted");
    if (version.xmax !== 0 && (writer.rt.guard?.changedVersion(version) ?? true)) continue;
    writer.rt.guard?.checkRowLocks(version, "update");
    const leaf = leafTriggers(targets, located?.writer, "delete");
    const rowTriggers = leaf ?? triggers;
    if (rowTriggers !== undefined && rowTriggers.before(null, version.values) === null) continue;
    refuseTriggeredChange(version, writer.rt.writeId, "deleted");
    (located?.writer ?? writer).delete(version);
    triggers?.after(null, version.values);
    leaf?.after(null, version.values);
    emit(r);
  }
}

/**
 * A partition's row triggers for an ON CONFLICT update through its partitioned table, with
 * the table's own (its statement triggers and transition tables) seeing the row too.
 */
function leafAndRoot(leaf: ModifyTriggers | undefined, root: ModifyTriggers | undefined):
  ModifyTriggers | undefined {
  if (leaf === undefined || root === undefined) return leaf ?? root;
  return { ...root, before: (newRow, oldRow) => leaf.before(newRow, oldRow),
    after: (newRow, oldRow) => {
      root.after(newRow, oldRow);
      leaf.after(newRow, oldRow);
    } };
}

/**
 * The row triggers of the partition a row was found in, when the statement names its
 * partitioned table (whose own triggers then fire for the statement alone).
 */
function leafTriggers(targets: PartitionTargets | null, leaf: TableWriter | undefined,
  event: "update" | "delete"): ModifyTriggers | undefined {
  const leaves = targets?.leafTriggers;
  return leaves === undefined || leaf === undefined ? undefined : leaves.of(leaf.rel, event);
}

/**
 * ON CONFLICT: finds a live row that conflicts with a proposed one in an arbiter index, then
 * skips the proposed row (DO NOTHING) or updates the existing one (DO UPDATE).
 */
class ConflictHandler {
  private readonly sets: readonly (Compiled | null)[] | null;
  private readonly where: ((row: Row, rt: Runtime) => boolean) | null;
  /** The version the last DO UPDATE made. */
  updated: RowVersion | undefined;

  constructor(private readonly writer: TableWriter, private readonly spec: OnConflictSpec,
    /** Set when the statement routes rows into partitions: the update must not move one. */
    private readonly routed = false,
    /** The table's UPDATE row triggers, which DO UPDATE fires. */
    private readonly triggers?: ModifyTriggers) {
    this.sets = spec.sets?.map((e) => (e === null ? null : compileExpr(e))) ?? null;
    this.where = compilePredicate(spec.where);
  }

  /**
   * Returns undefined when nothing conflicts (the caller inserts), null when the proposed row
   * is dropped, or the updated row.
   */
  handle(proposed: Row): Row | null | undefined {
    const writer = this.writer;
    const existing = writer.findConflict(proposed, this.spec.arbiters);
    if (existing === undefined) return undefined;
    if (this.spec.action === "nothing") return null;
    const rt = writer.rt;
    if (existing.xmin === rt.writeId) {
      throw new SqlError(SqlState.cardinalityViolation,
        "ON CONFLICT DO UPDATE command cannot affect row a second time",
        { hint: "Ensure that no rows proposed for insertion within the same command have " +
          "duplicate constrained values." });
    }
    const both = existing.values.concat(proposed);
    if (this.where !== null && !this.where(both, rt)) return null;
    let row: Row | null = existing.values.map((v, i) => {
      const set = this.sets![i];
      return set === null || set === undefined ? v : set(both, rt);
    });
    const old = existing.values;
    if (this.triggers !== undefined) {
      row = this.triggers.before(row, old);
      if (row === null) return null;
      refuseTriggeredChange(existing, rt.writeId, "updated");
    }
    if (this.routed) checkConflictUpdateStays(writer, row);
    this.updated = writer.update(existing, row);
    this.triggers?.after(row, old);
    return row;
  }
}

/**
 * DELETE … RETURNING of system columns: the deleted version as Postgres returns it, its
 * xmax (and the raw command id) now the deleting statement's.
 */
function deletedSystemValues(emit: Emit, spec: ModifySpec, plan: ModifyPlan, rt: Runtime):
  Emit {
  const at = spec.targetOffset + plan.relation.columns.length + 1;
  const xid = xidOfStamp(rt.writeId);
  const cid = cidOfStamp(rt.writeId);
  return (row) => {
    const copy = row.slice();
    copy[at + 2] = cid;
    copy[at + 3] = xid;
    copy[at + 4] = cid;
    emit(copy);
  };
}
