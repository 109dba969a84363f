/**
 * Write-write conflicts, as the executor meets them. The executor is synchronous, so it
 * cannot wait where Postgres's heap_update does; instead it throws `TxnConflict`, the
 * statement's work is undone, the cursor (`statement-cursor.ts`) awaits the other
 * transaction's end and runs the statement again with a fresh snapshot. For
 * `UPDATE t SET n = n + 1 WHERE id = 1` that is exactly READ COMMITTED's re-check: the second
 * updater reads the first one's committed row. Under REPEATABLE READ a row changed by a
 * transaction that committed after the snapshot is 40001 instead.
 *
 * The cases, for a version the statement's snapshot sees and wants to change:
 *   xmax is this statement's own stamp        -> skip it (a join offered the row twice)
 *   xmax by another running transaction       -> wait for it, then run again
 *   xmax by one that committed since          -> run again (RC) or 40001 (RR)
 * And for a new key in a unique index: a version with that key inserted or deleted by
 * another running transaction -> wait for it, then run again (the unique check decides).
 */
import { SqlError, SqlState, assert, type Xid } from "@tessera/base";
import type { Value } from "@tessera/sql";
import type { BTree } from "../storage/btree.js";
import type { RowVersion } from "../storage/table-store.js";
import { xidOfStamp } from "./stamp.js";
import type { TxnManager } from "./manager.js";
import type { Transaction } from "./transaction.js";
import type { UndoLog } from "../storage/undo.js";
import { lockCovers, lockModesConflict, type LockWait, type RowLockMode } from "./row-locks.js";

/** A locking read's clause as a scan applies it to each row it returns. */
export interface RowLockSpec {
  readonly mode: RowLockMode;
  readonly wait: LockWait;
  /** The relation's name, for NOWAIT's message. */
  readonly relation: string;
}

/**
 * Thrown through the executor: the statement must wait for `holder` (0: just retry). It is a
 * signal the statement cursor always catches, thrown about once for every two TPC-B
 * transactions (their branch rows collide), so it carries no stack trace: capturing one
 * through the executor's frames took some 20 µs a throw.
 */
export class TxnConflict extends Error {
  constructor(readonly holder: Xid | 0) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(holder === 0 ? "row changed by a committed transaction"
      : `row changed by running transaction ${holder}`);
    Error.stackTraceLimit = stackTraceLimit;
  }
}

export class WriteGuard {
  constructor(private readonly txns: TxnManager, readonly txn: Transaction,
    private readonly writeId: number) {}

  /**
   * For a visible version whose xmax is set: returns true when this statement changed it
   * (the caller skips it), else throws what the other transaction's change calls for.
   */
  changedVersion(version: RowVersion): boolean {
    const xmax = version.xmax;
    assert(xmax !== 0, "only changed versions are judged");
    if (xmax === this.writeId) return true;
    const xid = xidOfStamp(xmax);
    if (xid === this.txn.xid) return true;
    if (this.txns.isRunning(xid)) throw new TxnConflict(xid);
    if (this.txn.isolation === "repeatable read") throw serializationFailure();
    throw new TxnConflict(0);
  }

  /** Throws when another running transaction inserted or deleted a version under `key`. */
  checkKey(tree: BTree, key: readonly Value[]): void {
    if (key.includes(null)) return;
    // Visits every entry of the key (none is accepted); a conflict throws out of the walk.
    tree.findEqual(key, ({ version }) => {
      if (version.xmin === 0) return false;
      this.checkStamp(version.xmin);
      if (version.xmax !== 0) this.checkStamp(version.xmax);
      return false;
    });
  }

  /**
   * Throws when another running transaction inserted or deleted `version` (an exclusion
   * constraint's conflicting row: wait for it, then run again).
   */
  checkWriters(version: RowVersion): void {
    if (version.xmin === 0) return;
    this.checkStamp(version.xmin);
    if (version.xmax !== 0) this.checkStamp(version.xmax);
  }

  /** Throws when `version` was inserted by another transaction that is still running. */
  checkInserter(version: RowVersion): void {
    assert(version.xmin !== 0, "only stored versions are judged");
    this.checkStamp(version.xmin);
  }

  /**
   * Locks `version` in `mode` for a locking read (`undo` drops the lock if the statement
   * fails). Returns false when the row is to be skipped (SKIP LOCKED, or a row this
   * statement changed); throws `TxnConflict` to wait, 55P03 for NOWAIT.
   */
  lockRow(version: RowVersion, lock: RowLockSpec, undo: UndoLog): boolean {
    const xid = this.txn.xid === 0 ? this.txns.assignXid(this.txn) : this.txn.xid;
    if (version.xmax !== 0) {
      const holder = xidOfStamp(version.xmax);
      if (version.xmax === this.writeId || holder === xid) return false;
      if (this.txns.isRunning(holder)) return this.blocked(holder, lock);
      if (this.txn.isolation === "repeatable read") throw serializationFailure();
      throw new TxnConflict(0);
    }
    let held = false;
    for (const locker of this.txns.rowLocks.holders(version, (x) => this.txns.isRunning(x))) {
      if (locker.xid === xid) {
        held ||= lockCovers(locker.mode, lock.mode);
        continue;
      }
      if (lockModesConflict(locker.mode, lock.mode)) return this.blocked(locker.xid, lock);
    }
    if (held) return true;
    undo.record({ kind: "custom", undo: this.txns.rowLocks.add(version, xid, lock.mode) });
    return true;
  }

  /** UPDATE and DELETE: throws when another running transaction holds a conflicting lock. */
  checkRowLocks(version: RowVersion, mode: RowLockMode): void {
    for (const locker of this.txns.rowLocks.holders(version, (x) => this.txns.isRunning(x))) {
      if (locker.xid !== this.txn.xid && lockModesConflict(locker.mode, mode)) {
        throw new TxnConflict(locker.xid);
      }
    }
  }

  private blocked(holder: Xid, lock: RowLockSpec): boolean {
    if (lock.wait === "skip") return false;
    if (lock.wait === "nowait") {
      throw new SqlError(SqlState.lockNotAvailable,
        `could not obtain lock on row in relation "${lock.relation}"`);
    }
    throw new TxnConflict(holder);
  }

  private checkStamp(stamp: number): void {
    const xid = xidOfStamp(stamp);
    if (xid !== this.txn.xid && this.txns.isRunning(xid)) throw new TxnConflict(xid);
  }
}

export function serializationFailure(): SqlError {
  return new SqlError(SqlState.serializationFailure,
    "could not serialize access due to concurrent update");
}
