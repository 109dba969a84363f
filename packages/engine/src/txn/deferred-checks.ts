/**
 * Deferred constraint checks, as Postgres's after-trigger queue keeps them for a transaction
 * (trigger.c): the foreign-key checks of a DEFERRABLE constraint that is deferred now
 * (INITIALLY DEFERRED, or SET CONSTRAINTS … DEFERRED) wait here instead of running at the end
 * of their statement, and run in the order they were queued:
 *
 * - at COMMIT and PREPARE TRANSACTION (`runAll`): a failure is the commit's error and the
 *   transaction rolls back;
 * - when SET CONSTRAINTS makes their constraint IMMEDIATE again (`runImmediate`);
 * - at the end of their statement outside a transaction block (the statement's own commit).
 *
 * The modes SET CONSTRAINTS gives (ALL, or by constraint) live here too. Both the queue and
 * the modes change through the statement's undo log, so a failed statement or ROLLBACK TO
 * SAVEPOINT forgets the checks queued and the modes set after it, as Postgres does.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { UndoLog } from "../storage/undo.js";
import { LockMode } from "./relation-locks.js";
import type { StatementLocks } from "./statement-locks.js";

/** What a deferrable constraint declares (a foreign key, for now). */
export interface DeferrableConstraint {
  readonly name: string;
  readonly deferrable?: boolean;
  readonly initDeferred?: boolean;
}

/** One queued check of the constraint `name` of table `relationOid`. */
export interface DeferredCheck {
  readonly relationOid: number;
  readonly constraint: DeferrableConstraint;
  /** The table whose row change queued the check, when not the constraint's own table. */
  readonly eventTableOid?: number;
  /** Raises the constraint's error when the check fails now. */
  readonly run: () => void;
}

interface QueuedCheck extends DeferredCheck {
  fired: boolean;
}

/** A constraint's key in the mode table: its table's OID and its name. */
const modeKey = (relationOid: number, name: string): string => `${relationOid}/${name}`;

export class DeferredChecks {
  private readonly queue: QueuedCheck[] = [];
  /** SET CONSTRAINTS ALL's mode (true: deferred), until another ALL. */
  private all: boolean | undefined;
  /** Modes SET CONSTRAINTS gave by name since the last ALL. */
  private named = new Map<string, boolean>();

  /** Checks queued and not run yet. */
  get pending(): number {
    return this.queue.reduce((n, c) => n + (c.fired ? 0 : 1), 0);
  }

  /** True when `constraint` of table `relationOid` is checked at commit now. */
  isDeferred(relationOid: number, constraint: DeferrableConstraint): boolean {
    if (constraint.deferrable !== true) return false;
    return this.named.get(modeKey(relationOid, constraint.name)) ?? this.all ??
      constraint.initDeferred === true;
  }

  /**
   * Queues checks for the end of the transaction. `undo` is the queuing statement's: its
   * rollback (statement failure, ROLLBACK TO SAVEPOINT) drops them again.
   */
  add(checks: readonly DeferredCheck[], undo: UndoLog): void {
    if (checks.length === 0) return;
    const mark = this.queue.length;
    for (const check of checks) this.queue.push({ ...check, fired: false });
    undo.record({ kind: "custom", undo: () => { this.queue.length = mark; } });
  }

  /**
   * SET CONSTRAINTS: sets the mode of every constraint (`targets` null: ALL) or of the ones
   * given, then runs the queued checks of constraints that are immediate now.
   */
  setMode(targets: readonly { relationOid: number; name: string }[] | null, deferred: boolean,
    undo: UndoLog): void {
    const all = this.all;
    const named = this.named;
    undo.record({ kind: "custom", undo: () => { this.all = all; this.named = named; } });
    if (targets === null) {
      this.all = deferred;
      this.named = new Map();
    } else {
      this.named = new Map(named);
      for (const t of targets) this.named.set(modeKey(t.relationOid, t.name), deferred);
    }
    if (!deferred) this.runImmediate(undo);
  }

  /** Runs the queued checks whose constraints are no longer deferred. */
  private runImmediate(undo: UndoLog): void {
    const fired: QueuedCheck[] = [];
    undo.record({ kind: "custom", undo: () => { for (const c of fired) c.fired = false; } });
    for (const check of this.queue) {
      if (check.fired || this.isDeferred(check.relationOid, check.constraint)) continue;
      check.run();
      check.fired = true;
      fired.push(check);
    }
  }

  /** True when a check not run yet was queued by a row change of table `oid`. */
  pendingOn(oid: number): boolean {
    return this.queue.some((c) => !c.fired && (c.eventTableOid ?? c.relationOid) === oid);
  }

  /** COMMIT, PREPARE TRANSACTION: runs every check not run yet; the first failure throws. */
  runAll(): void {
    for (const check of this.queue) {
      if (check.fired) continue;
      check.run();
      check.fired = true;
    }
  }
}

/**
 * DROP TABLE, ALTER TABLE and TRUNCATE of a table with checks still queued are refused, as
 * Postgres's CheckTableNotInUse does (55006). The tables are those the statement locks:
 * AccessExclusive ones for DROP and TRUNCATE, the named one for ALTER TABLE.
 */
export function refusePendingChecks(checks: DeferredChecks | undefined, utility: ast.Node,
  locks: StatementLocks): void {
  if (checks === undefined) return;
  const alter = "AlterTableStmt" in utility ? utility.AlterTableStmt.relation : undefined;
  const verb = "DropStmt" in utility && utility.DropStmt.removeType === "OBJECT_TABLE"
    ? "DROP TABLE" : "TruncateStmt" in utility ? "TRUNCATE"
    : alter !== undefined ? "ALTER TABLE" : undefined;
  if (verb === undefined) return;
  for (const request of locks.requests) {
    const named = alter === undefined ? request.mode === LockMode.accessExclusive
      : request.relation.name === alter.relname &&
        (alter.schemaname === undefined || request.relation.schema === alter.schemaname);
    if (!named || !checks.pendingOn(request.oid)) continue;
    throw new SqlError(SqlState.objectInUse,
      `cannot ${verb} "${request.relation.name}" because it has pending trigger events`);
  }
}
