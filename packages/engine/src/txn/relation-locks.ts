/**
 * Table-level locks (Postgres's heavyweight relation locks, lmgr/lock.c): the eight modes,
 * their conflict table, and the lock table of one engine. A transaction holds what it takes
 * until it ends (`TxnManager.end` releases it all); a prepared transaction keeps its locks
 * until COMMIT/ROLLBACK PREPARED; ROLLBACK TO SAVEPOINT releases the ones taken after the
 * savepoint, as Postgres releases a rolled-back subtransaction's locks.
 *
 *                      AS  RS  RX  SUX  S  SRX  X  AX
 *   AccessShare                                    x
 *   RowShare                                    x  x
 *   RowExclusive                    x   x   x  x  x
 *   ShareUpdateExclusive        x   x   x   x  x  x
 *   Share                   x   x       x   x  x  x
 *   ShareRowExclusive       x   x   x   x   x  x  x
 *   Exclusive           x   x   x   x   x   x  x  x
 *   AccessExclusive  x  x   x   x   x   x   x  x  x
 *
 * The hot path (every SELECT and INSERT takes a lock) costs a map lookup, a few integer
 * operations and one small object: a lock object per relation (kept between uses) counts
 * the grants per mode and keeps a bit mask of the modes granted, so a request that conflicts
 * with nothing granted is granted without looking at holders. Each grant is a `TakenLock`,
 * linked both into its transaction's list (in order, for savepoints and the end) and into
 * its lock's holder list (for waiters, deadlock detection and pg_locks); what a transaction
 * holds already is found in its own short list, so no map is keyed by transactions.
 * Requests that must wait queue in arrival order (`LockWaiter`); `TxnManager` does the
 * waiting, with lock_timeout, cancel and deadlock detection over row and relation waits.
 */
import { assert } from "@tessera/base";
import type { Transaction } from "./transaction.js";

/** Postgres's lock mode numbers (lockdefs.h): 1 AccessShare … 8 AccessExclusive. */
export const LockMode = {
  accessShare: 1, rowShare: 2, rowExclusive: 3, shareUpdateExclusive: 4, share: 5,
  shareRowExclusive: 6, exclusive: 7, accessExclusive: 8,
} as const;

export type RelationLockMode = (typeof LockMode)[keyof typeof LockMode];

/** The names pg_locks shows, by mode number. */
export const lockModeNames: readonly string[] = ["", "AccessShareLock", "RowShareLock",
  "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock",
  "ExclusiveLock", "AccessExclusiveLock"];

const bit = (mode: number): number => 1 << mode;
const bits = (...modes: number[]): number => modes.reduce((mask, m) => mask | bit(m), 0);

/** For each mode, the mask of the modes it conflicts with (the table above). */
const conflictMasks: readonly number[] = [0,
  bits(8), bits(7, 8), bits(5, 6, 7, 8), bits(4, 5, 6, 7, 8), bits(3, 4, 6, 7, 8),
  bits(3, 4, 5, 6, 7, 8), bits(2, 3, 4, 5, 6, 7, 8), bits(1, 2, 3, 4, 5, 6, 7, 8)];

/** True when a lock held in `held` mode keeps `wanted` from being granted to another. */
export function relationModesConflict(held: number, wanted: number): boolean {
  return (conflictMasks[wanted]! & bit(held)) !== 0;
}

/** Parses LOCK TABLE's mode words ("ACCESS SHARE", "row exclusive"); undefined if unknown. */
export function lockModeByWords(words: string): RelationLockMode | undefined {
  const key = words.trim().toLowerCase().replace(/\s+/g, " ");
  const table: Record<string, RelationLockMode> = {
    "access share": 1, "row share": 2, "row exclusive": 3, "share update exclusive": 4,
    "share": 5, "share row exclusive": 6, "exclusive": 7, "access exclusive": 8 };
  return table[key];
}

/** The lock of one relation: who holds which modes, who waits. */
export class RelationLock {
  /** Granted count per mode (index = mode). */
  readonly counts = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  /** Bit `m` set while some transaction holds mode m. */
  grantedMask = 0;
  /** The grants, a doubly linked list through `TakenLock.prev/next`. */
  head: TakenLock | null = null;
  readonly waiters: LockWaiter[] = [];

  constructor(readonly oid: number) {}

  /** The modes `txn` holds here, as a mask (its own list is short: a scan). */
  heldBy(txn: Transaction): number {
    const taken = txn.relationLocksTaken;
    if (taken === undefined) return 0;
    let mask = 0;
    for (let i = 0; i < taken.length; i++) {
      const entry = taken[i]!;
      if (entry.lock === this) mask |= bit(entry.mode);
    }
    return mask;
  }

  /** Each holder with the mask of the modes it holds. */
  holders(): Map<Transaction, number> {
    const out = new Map<Transaction, number>();
    for (let at = this.head; at !== null; at = at.next) {
      out.set(at.txn, (out.get(at.txn) ?? 0) | bit(at.mode));
    }
    return out;
  }

  get unused(): boolean {
    return this.head === null && this.waiters.length === 0;
  }
}

/** One grant: a transaction holds `mode` on `lock`. */
export class TakenLock {
  prev: TakenLock | null = null;
  next: TakenLock | null = null;

  constructor(readonly lock: RelationLock, readonly mode: RelationLockMode,
    readonly txn: Transaction) {}
}

/** A request that waits; `granted` resolves once it holds the lock, rejects if withdrawn. */
export class LockWaiter {
  readonly granted: Promise<void>;
  private settle: ((error?: Error) => void) | undefined;
  done = false;

  constructor(readonly txn: Transaction, readonly lock: RelationLock,
    readonly mode: RelationLockMode) {
    this.granted = new Promise((resolve, reject) => {
      this.settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    this.granted.catch(() => undefined);
  }

  grant(): void {
    this.done = true;
    this.settle?.();
  }

  withdraw(error: Error): void {
    this.done = true;
    this.settle?.(error);
  }
}

/** One row of pg_locks. */
export interface RelationLockEntry {
  readonly oid: number;
  readonly txn: Transaction;
  readonly mode: RelationLockMode;
  readonly granted: boolean;
}

export class RelationLocks {
  private readonly locks = new Map<number, RelationLock>();
  private readonly waiting = new Set<LockWaiter>();
  private sweepAt = unusedLocksKept;

  /**
   * Grants `mode` on relation `oid` to `txn` when no other transaction holds a conflicting
   * mode and no conflicting request waits ahead; false when the request must wait.
   */
  tryAcquire(txn: Transaction, oid: number, mode: RelationLockMode): boolean {
    let lock = this.locks.get(oid);
    if (lock === undefined) {
      lock = new RelationLock(oid);
      this.locks.set(oid, lock);
    }
    const held = lock.grantedMask === 0 ? 0 : lock.heldBy(txn);
    if ((held & bit(mode)) !== 0) return true;
    if (!this.grantable(lock, txn, mode, held)) return false;
    this.grant(lock, txn, mode);
    return true;
  }

  /** True when `txn` holds `mode` on relation `oid`. */
  holds(txn: Transaction, oid: number, mode: RelationLockMode): boolean {
    return ((this.locks.get(oid)?.heldBy(txn) ?? 0) & bit(mode)) !== 0;
  }

  /** Queues a request `tryAcquire` refused; the caller awaits `granted` or `cancel`s. */
  enqueue(txn: Transaction, oid: number, mode: RelationLockMode): LockWaiter {
    let lock = this.locks.get(oid);
    if (lock === undefined) {
      lock = new RelationLock(oid);
      this.locks.set(oid, lock);
    }
    const waiter = new LockWaiter(txn, lock, mode);
    lock.waiters.push(waiter);
    this.waiting.add(waiter);
    // Granted meanwhile (nothing conflicts any more): no wait after all.
    this.wake(lock);
    return waiter;
  }

  /** Withdraws a request that stopped waiting (timeout, cancel, deadlock, its end). */
  cancel(waiter: LockWaiter, error?: Error): void {
    if (waiter.done) return;
    waiter.withdraw(error ?? new Error("lock request withdrawn"));
    this.waiting.delete(waiter);
    const at = waiter.lock.waiters.indexOf(waiter);
    if (at >= 0) waiter.lock.waiters.splice(at, 1);
    this.wake(waiter.lock);
  }

  /** Releases every lock `txn` holds (its end). */
  releaseAll(txn: Transaction): void {
    this.releaseAfter(txn, 0);
  }

  /** Releases the locks `txn` took after it had taken `mark` (ROLLBACK TO SAVEPOINT). */
  releaseAfter(txn: Transaction, mark: number): void {
    const taken = txn.relationLocksTaken;
    if (taken === undefined || taken.length <= mark) return;
    const end = taken.length;
    for (let i = mark; i < end; i++) {
      const entry = taken[i]!;
      const { lock, mode } = entry;
      if (entry.prev === null) lock.head = entry.next;
      else entry.prev.next = entry.next;
      if (entry.next !== null) entry.next.prev = entry.prev;
      if (--lock.counts[mode]! === 0) lock.grantedMask &= ~bit(mode);
    }
    for (let i = mark; i < end; i++) {
      const lock = taken[i]!.lock;
      if (lock.waiters.length > 0) this.wake(lock);
    }
    taken.length = mark;
    if (this.locks.size > this.sweepAt) this.sweep();
  }

  /** The transactions `waiter` waits for: conflicting holders and requests ahead of it. */
  blockers(waiter: LockWaiter): Transaction[] {
    const out: Transaction[] = [];
    const { lock, mode, txn } = waiter;
    for (let at = lock.head; at !== null; at = at.next) {
      if (at.txn !== txn && (bit(at.mode) & conflictMasks[mode]!) !== 0 &&
        !out.includes(at.txn)) out.push(at.txn);
    }
    for (const ahead of lock.waiters) {
      if (ahead === waiter) break;
      if (ahead.txn !== txn && relationModesConflict(ahead.mode, mode) &&
        !out.includes(ahead.txn)) out.push(ahead.txn);
    }
    return out;
  }

  /** Every request waiting now. */
  waiters(): IterableIterator<LockWaiter> {
    return this.waiting.values();
  }

  /** Held and awaited locks, for pg_locks. */
  entries(): RelationLockEntry[] {
    const out: RelationLockEntry[] = [];
    for (const lock of this.locks.values()) {
      for (const [txn, mask] of lock.holders()) {
        for (let mode = 1; mode <= 8; mode++) {
          if ((mask & bit(mode)) !== 0) {
            out.push({ oid: lock.oid, txn, mode: mode as RelationLockMode, granted: true });
          }
        }
      }
      for (const w of lock.waiters) out.push({ oid: lock.oid, txn: w.txn, mode: w.mode,
        granted: false });
    }
    return out;
  }

  private grantable(lock: RelationLock, txn: Transaction, mode: RelationLockMode,
    held: number): boolean {
    const conflicting = conflictMasks[mode]! & lock.grantedMask;
    if (conflicting !== 0) {
      for (let m = 1; m <= 8; m++) {
        if ((conflicting & bit(m)) === 0) continue;
        const own = (held & bit(m)) !== 0 ? 1 : 0;
        if (lock.counts[m]! > own) return false;
      }
    }
    // Requests queued earlier go first, unless this transaction holds the lock already
    // (waiting behind a request that waits for it would be a deadlock).
    if (held !== 0) return true;
    for (const w of lock.waiters) {
      if (w.txn !== txn && relationModesConflict(w.mode, mode)) return false;
    }
    return true;
  }

  private grant(lock: RelationLock, txn: Transaction, mode: RelationLockMode): void {
    const entry = new TakenLock(lock, mode, txn);
    entry.next = lock.head;
    if (lock.head !== null) lock.head.prev = entry;
    lock.head = entry;
    lock.counts[mode]!++;
    lock.grantedMask |= bit(mode);
    (txn.relationLocksTaken ??= []).push(entry);
  }

  /** Grants what the queue allows, in order; a request that must wait blocks later ones. */
  private wake(lock: RelationLock): void {
    for (let i = 0; i < lock.waiters.length;) {
      const waiter = lock.waiters[i]!;
      const held = lock.heldBy(waiter.txn);
      if (!this.grantableInQueue(lock, waiter, held, i)) {
        i++;
        continue;
      }
      lock.waiters.splice(i, 1);
      this.waiting.delete(waiter);
      if ((held & bit(waiter.mode)) === 0) this.grant(lock, waiter.txn, waiter.mode);
      waiter.grant();
    }
  }

  /** `grantable` for the waiter at `index`: only requests ahead of it count. */
  private grantableInQueue(lock: RelationLock, waiter: LockWaiter, held: number,
    index: number): boolean {
    const conflicting = conflictMasks[waiter.mode]! & lock.grantedMask;
    for (let m = 1; m <= 8 && conflicting !== 0; m++) {
      if ((conflicting & bit(m)) === 0) continue;
      const own = (held & bit(m)) !== 0 ? 1 : 0;
      if (lock.counts[m]! > own) return false;
    }
    for (let j = 0; j < index; j++) {
      const ahead = lock.waiters[j]!;
      if (ahead.txn !== waiter.txn && relationModesConflict(ahead.mode, waiter.mode)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Drops the lock objects nobody holds or awaits. They are kept between uses, so that the
   * lock of a table every statement reads is not made anew each time, and swept once there
   * are many (tables dropped, temporary ones).
   */
  private sweep(): void {
    for (const [oid, lock] of this.locks) {
      if (lock.unused) this.locks.delete(oid);
    }
    this.sweepAt = Math.max(unusedLocksKept, 2 * this.locks.size);
  }
}

/** How many lock objects may stay before the unused ones are swept. */
const unusedLocksKept = 4096;


assert(conflictMasks.length === 9, "one conflict mask per mode");
