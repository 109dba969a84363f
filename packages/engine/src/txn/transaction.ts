/**
 * One transaction as the engine keeps it: its xid (assigned on its first writing statement,
 * as Postgres assigns xids lazily), the next command id, the undo log of its finished
 * statements, the redo of those statements (WAL operations, written only at commit), its
 * savepoints as marks into both, and its isolation level with, under REPEATABLE READ, the
 * snapshot taken at its first statement.
 *
 * Implicit transactions wrap one statement outside a block; explicit ones follow the
 * session's transaction block (BEGIN … COMMIT), which reaches them through the
 * `TransactionParticipant` the engine attaches to it.
 */
import { assert, type Xid } from "@tessera/base";
import type { Snapshot } from "../storage/table-store.js";
import { UndoLog } from "../storage/undo.js";
import type { LockWaiter, TakenLock } from "./relation-locks.js";
import type { DeferredChecks } from "./deferred-checks.js";

export type Isolation = "read committed" | "repeatable read";

/** A finished statement's WAL operations; `ddl` ones also join the catalog history. */
export interface RedoChunk {
  readonly bytes: Uint8Array;
  readonly ddl: boolean;
}

export interface Savepoint {
  readonly undoMark: number;
  readonly redoMark: number;
  /** How many relation locks the transaction had taken: ROLLBACK TO releases the later ones. */
  readonly lockMark: number;
}

export type TransactionState = "active" | "committed" | "aborted";

/** What PREPARE TRANSACTION records, as pg_prepared_xacts shows it. */
export interface PreparedInfo {
  readonly gid: string;
  /** Micros since 2000-01-01 when it was prepared. */
  readonly preparedMicros: bigint;
  readonly owner: string;
  readonly database: string;
}

export class Transaction {
  /** 0 until the first writing statement. */
  xid: Xid | 0 = 0;
  nextCid = 0;
  readonly undo = new UndoLog();
  readonly redo: RedoChunk[] = [];
  readonly savepoints: Savepoint[] = [];
  isolation: Isolation | undefined;
  /** REPEATABLE READ: the snapshot of the first statement, without own ids. */
  snapshot: Snapshot | undefined;
  /** The xmin of the newest snapshot this transaction reads with (0: none yet): vacuum's. */
  snapshotXmin = 0;
  /** Set once the commit record is appended: checkpoints count the transaction committed. */
  commitAppended = false;
  /** Set while a synchronous commit waits for its WAL flush: still running, no session's. */
  committing = false;
  /** The xid this transaction waits for (the wait-for graph's edge), or 0. */
  waitingFor: Xid | 0 = 0;
  /** The relation lock request this transaction waits on (`relation-locks.ts`). */
  lockWait: LockWaiter | undefined;
  /** Relation locks taken, in order; released when the transaction ends. */
  relationLocksTaken: TakenLock[] | undefined;
  state: TransactionState = "active";
  /** Set by PREPARE TRANSACTION: the transaction belongs to no session any more. */
  prepared: PreparedInfo | undefined;
  /** Deferred constraint checks and SET CONSTRAINTS modes (`deferred-checks.ts`), once used. */
  deferred: DeferredChecks | undefined;
  /** True once a statement touched temporary objects: such transactions cannot PREPARE. */
  touchedTemp = false;
  /** Made by the first waiter: most transactions end without anyone waiting for them. */
  private endedPromise: Promise<void> | undefined;
  private resolveEnded: (() => void) | undefined;

  constructor(readonly explicit: boolean, readonly backendPid: number) {}

  /** Resolves when the transaction commits or aborts: what waiting writers await. */
  get ended(): Promise<void> {
    if (this.state !== "active") return Promise.resolve();
    this.endedPromise ??= new Promise((resolve) => { this.resolveEnded = resolve; });
    return this.endedPromise;
  }

  /** Marks the transaction ended and wakes its waiters. */
  finish(state: "committed" | "aborted"): void {
    assert(this.state === "active", "a transaction ends once");
    assert(this.waitingFor === 0, "an ending transaction waits for nobody");
    this.state = state;
    this.resolveEnded?.();
  }

  /** Pushes a savepoint at the current end of the undo and redo logs. */
  pushSavepoint(): void {
    assert(this.state === "active", "savepoints belong to active transactions");
    this.savepoints.push({ undoMark: this.undo.length, redoMark: this.redo.length,
      lockMark: this.relationLocksTaken?.length ?? 0 });
  }

  /** Undoes everything after savepoint `depth` (0-based) and keeps that savepoint. */
  rollbackTo(depth: number): void {
    const savepoint = this.savepoints[depth];
    assert(savepoint !== undefined, "ROLLBACK TO names an existing savepoint");
    assert(savepoint.redoMark <= this.redo.length, "redo marks stay within the redo");
    this.undo.rollbackTo(savepoint.undoMark);
    this.redo.length = savepoint.redoMark;
    this.savepoints.length = depth + 1;
  }

  /** RELEASE: forgets savepoint `depth` and the ones after it; their writes stay. */
  release(depth: number): void {
    assert(depth >= 0 && depth < this.savepoints.length, "RELEASE names an existing savepoint");
    this.savepoints.length = depth;
  }
}
