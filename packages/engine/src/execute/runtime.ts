/**
 * The state of one run of a plan: parameter values, the slots correlated subqueries read,
 * the EvalContext functions see, and the storage handles writes need. Compiled expressions
 * and node states receive it; plans themselves stay read-only and reusable.
 */
import type { Row, Value } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import type { EvalLike } from "../analyze/expr.js";
import type { Catalog } from "../catalog/catalog.js";
import type { Snapshot } from "../storage/table-store.js";
import type { UndoLog } from "../storage/undo.js";
import type { WriteGuard } from "../txn/write-guard.js";
import type { Plan } from "../plan/plan.js";

/** A node of the state tree: yields rows one at a time and can start over. */
export interface NodeState {
  /** Returns the next row, or null when done. Rows may be shared; callers must not mutate. */
  next(): Row | null;
  /** Restarts from the first row (with new outer values, for correlated subplans). */
  rescan(): void;
}

/** A CTE's rows so far, and how to read one more (null once its plan is exhausted). */
export interface CteStore {
  readonly rows: Row[];
  fill: (() => boolean) | null;
}

export interface Runtime {
  readonly params: readonly Value[];
  /** PARAM_EXEC slots: values passed into correlated subqueries and lateral joins. */
  readonly slots: Value[];
  readonly evalContext: EvalLike;
  readonly ctx: StatementContext;
  readonly catalog: Catalog;
  readonly snapshot: Snapshot;
  /** The id this statement's writes carry. */
  readonly writeId: number;
  readonly undo: UndoLog;
  /** Judges rows other transactions changed (waits, retries); absent outside statements. */
  readonly guard?: WriteGuard;
  /** State trees of subplans, built on first use. */
  readonly subplans: Map<Plan, NodeState>;
  /** CTE results by CTE id, read as far as some scan has needed (see `setop.ts`). */
  readonly cteRows: Map<number, CteStore>;
  /** The rows of each recursive CTE's current round, which its WorkTableScan reads. */
  readonly workTables: Map<number, Row[]>;
  /** Current values of the select list's set-returning functions (ProjectSet). */
  srfValues: Value[];
  /** Rows processed by a ModifyTable, for the command tag. */
  modified: number;
  /** Builds a state tree; set by `execute/build.ts` to avoid an import cycle. */
  build(plan: Plan): NodeState;
}
