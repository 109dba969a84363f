/**
 * The transaction manager of one engine: hands out xids, keeps the set of running
 * transactions (Postgres's ProcArray), takes snapshots from it, and ends transactions.
 *
 * A snapshot is `{ xmax, inProgress }` plus the reader's own xid and command id: every xid
 * below `xmax` and not in `inProgress` had committed when it was taken (aborted ones leave no
 * stamps behind, their undo cleared them). The running set is copied into a frozen set only
 * when it changed since the last snapshot, so read-mostly loads share one copy.
 *
 * Waiting: a writer that meets a row another running transaction changed waits for that
 * transaction to end (`waitFor`). Before it waits it follows the wait-for edges from the
 * holder; reaching itself is a deadlock (40P01), raised in the transaction that would close
 * the cycle, as Postgres raises it in the backend whose deadlock check finds it.
 */
import { SqlError, SqlState, assert, type Xid } from "@tessera/base";
import type { Cancellation, StatementContext } from "../api.js";
import type { Snapshot } from "../storage/table-store.js";
import { firstNormalXid, xidMax } from "./stamp.js";
import { Transaction, type PreparedInfo } from "./transaction.js";
import { RowLocks } from "./row-locks.js";
import { ChurnMap } from "./churn-map.js";
import { XactStatusLog } from "./xact-status.js";
import { LockWaiter, RelationLocks, lockModeNames, type RelationLockMode }
  from "./relation-locks.js";

export interface WaitOptions {
  /** The waiting statement's cancel (`cancellationOf`). */
  readonly cancellation: Cancellation;
  /** lock_timeout in milliseconds; 0 waits without limit. */
  readonly lockTimeoutMs: number;
}

/** How a relation lock request waits (LOCK TABLE … NOWAIT does not). */
export interface RelationWaitOptions extends WaitOptions {
  readonly nowait: boolean;
  /** The relation's name, for the messages. */
  readonly relationName: string;
}

/** Postgres's deadlock_timeout: a waiter checks for a cycle again after this long. */
const deadlockTimeoutMs = 1000;

/** One wait-for edge: a backend's transaction waits for another transaction to end. */
export interface WaitEdge {
  readonly waitingPid: number;
  /** 0 when the waiter has no xid yet. */
  readonly waitingXid: number;
  /** undefined when the holder is a prepared transaction (it has left its session). */
  readonly blockingPid: number | undefined;
  readonly blockingXid: number;
  /** Whether the holder itself waits for another transaction. */
  readonly blockingWaits: boolean;
}

export class TxnManager {
  private nextXid: number = firstNormalXid;
  private readonly running = new Map<number, Transaction>();
  private inProgress: ReadonlySet<number> | null = null;
  /** Explicit transactions by backend pid: statements of the session without a block join. */
  private readonly byPid = new ChurnMap<number, Transaction>();
  /** Row locks (SELECT … FOR UPDATE and friends), held while their transaction runs. */
  readonly rowLocks = new RowLocks();
  /** Table-level locks, held until their transaction ends (`relation-locks.ts`). */
  readonly relationLocks = new RelationLocks();
  /** Takes an adopted prepared transaction's table locks again (`prepared-locks.ts`). */
  relockPrepared: ((txn: Transaction) => void) | undefined;
  /** Called when a deadlock is detected (pg_stat_database.deadlocks counts them). */
  onDeadlock: (() => void) | undefined;
  /** Which ended xids committed and which aborted, for txid_status() (`xact-status.ts`). */
  readonly statusLog = new XactStatusLog();
  /** Prepared transactions by gid: running, with their locks, until COMMIT/ROLLBACK PREPARED. */
  private readonly prepared = new Map<string, Transaction>();

  /** The xid the next transaction gets (the xmax of a snapshot taken now). */
  get xidNext(): number {
    return this.nextXid;
  }

  /** Restores the xid counter after recovery: new xids must not collide with logged ones. */
  advanceXid(next: number): void {
    assert(next <= xidMax, "xids fit their stamp bits");
    if (next > this.nextXid) this.nextXid = next;
  }

  /** True when no transaction holds an xid or a block: every snapshot would see the same. */
  get idle(): boolean {
    return this.running.size === 0 && this.byPid.size === 0;
  }

  get runningCount(): number {
    return this.running.size;
  }

  isRunning(xid: number): boolean {
    return this.running.has(xid);
  }

  /**
   * Postgres's OldestXmin: the oldest xid a running transaction has or a snapshot it reads
   * with still counts as running. A delete by an older xid is seen by every snapshot.
   */
  oldestXmin(): number {
    let xmin = this.runningXmin();
    for (const txn of this.running.values()) {
      if (txn.snapshotXmin !== 0) xmin = Math.min(xmin, txn.snapshotXmin);
    }
    for (const txn of this.byPid.values()) {
      if (txn.snapshotXmin !== 0) xmin = Math.min(xmin, txn.snapshotXmin);
    }
    return xmin;
  }

  /** The oldest running xid, or the next xid when none runs. */
  private runningXmin(): number {
    let xmin = this.nextXid;
    for (const xid of this.running.keys()) if (xid < xmin) xmin = xid;
    return xmin;
  }

  /** Running transactions, for checkpoints and vacuum. */
  runningTransactions(): IterableIterator<Transaction> {
    return this.running.values();
  }

  begin(explicit: boolean, backendPid: number): Transaction {
    const txn = new Transaction(explicit, backendPid);
    if (explicit) {
      assert(!this.byPid.has(backendPid), "a session has one explicit transaction");
      this.byPid.set(backendPid, txn);
    }
    return txn;
  }

  explicitFor(backendPid: number): Transaction | undefined {
    return this.byPid.get(backendPid);
  }

  /**
   * PREPARE TRANSACTION: `txn` (with its xid) leaves its session and stays running, its
   * writes invisible and its locks held, until COMMIT or ROLLBACK PREPARED ends it.
   */
  prepare(txn: Transaction, info: PreparedInfo): void {
    assert(txn.state === "active" && txn.xid !== 0, "prepared transactions are active, with xids");
    assert(!this.prepared.has(info.gid), "gids are unique");
    if (txn.explicit && this.byPid.get(txn.backendPid) === txn) this.byPid.delete(txn.backendPid);
    txn.prepared = info;
    this.prepared.set(info.gid, txn);
  }

  /** A committing transaction leaves its session; it keeps running until it ends. */
  leaveSession(txn: Transaction): void {
    if (txn.explicit && this.byPid.get(txn.backendPid) === txn) this.byPid.delete(txn.backendPid);
  }

  /** Recovery: statements of `txn`'s backend (replay's) run in `txn` until `leaveSession`. */
  attachReplay(txn: Transaction): void {
    assert(txn.explicit && !this.byPid.has(txn.backendPid), "the replay backend is free");
    this.byPid.set(txn.backendPid, txn);
  }

  /** Takes in a prepared transaction recovery rebuilt: running again, under its old xid. */
  adoptPrepared(txn: Transaction): void {
    assert(txn.prepared !== undefined && txn.xid !== 0, "adopted transactions are prepared");
    assert(!this.running.has(txn.xid), "an adopted xid is not running yet");
    this.running.set(txn.xid, txn);
    this.inProgress = null;
    this.prepared.set(txn.prepared.gid, txn);
    this.advanceXid(txn.xid + 1);
    this.relockPrepared?.(txn);
  }

  preparedByGid(gid: string): Transaction | undefined {
    return this.prepared.get(gid);
  }

  preparedTransactions(): IterableIterator<Transaction> {
    return this.prepared.values();
  }

  /** Gives `txn` its xid, making it visible to snapshots as running. */
  assignXid(txn: Transaction): Xid {
    assert(txn.xid === 0, "a transaction gets one xid");
    assert(txn.state === "active", "only active transactions get xids");
    const xid = this.nextXid++ as Xid;
    assert(xid <= xidMax, "xids fit their stamp bits");
    txn.xid = xid;
    this.running.set(xid, txn);
    this.inProgress = null;
    return xid;
  }

  /** A snapshot now, for the reader `txn` at command `cid`. */
  snapshot(txn: Transaction, cid: number): Snapshot {
    if (this.inProgress === null) this.inProgress = new Set(this.running.keys());
    txn.snapshotXmin = this.runningXmin();
    return { xmax: this.nextXid, inProgress: this.inProgress, xid: txn.xid, cid };
  }

  /** The running xids whose commit is not yet appended: what a checkpoint must leave out. */
  checkpointSnapshot(): Snapshot {
    const inProgress = new Set<number>();
    for (const [xid, txn] of this.running) if (!txn.commitAppended) inProgress.add(xid);
    return { xmax: this.nextXid, inProgress, xid: 0, cid: 0 };
  }

  /** Ends `txn`: it leaves the running set (its writes become visible if committed). */
  end(txn: Transaction, state: "committed" | "aborted"): void {
    if (txn.xid !== 0) {
      assert(this.running.get(txn.xid) === txn, "an ending transaction was running");
      this.running.delete(txn.xid);
      this.inProgress = null;
      this.statusLog.ended(txn.xid, state);
    }
    if (txn.explicit && this.byPid.get(txn.backendPid) === txn) this.byPid.delete(txn.backendPid);
    if (txn.prepared !== undefined) this.prepared.delete(txn.prepared.gid);
    if (txn.lockWait !== undefined) this.relationLocks.cancel(txn.lockWait, cancelled());
    if (txn.relationLocksTaken !== undefined) this.relationLocks.releaseAll(txn);
    txn.finish(state);
  }

  /**
   * Waits until transaction `holder` ends. Raises 40P01 when that would close a cycle of
   * waits, 55P03 past lock_timeout, and 57014 when the statement is cancelled.
   */
  async waitFor(waiter: Transaction, holder: Xid, options: WaitOptions):
    Promise<"committed" | "aborted" | "gone"> {
    const target = this.running.get(holder);
    if (target === undefined) return "gone";
    assert(target !== waiter, "a transaction never waits for itself");
    assert(waiter.waitingFor === 0, "a transaction waits for one other at a time");
    waiter.waitingFor = holder;
    try {
      this.checkDeadlock(waiter);
      await waitUntil(target.ended, options, () => this.checkDeadlock(waiter));
    } finally {
      waiter.waitingFor = 0;
    }
    assert(target.state !== "active", "a waited-for transaction has ended");
    return target.state;
  }

  /**
   * Takes `mode` on relation `oid` for `txn`, waiting while other transactions hold or
   * await conflicting modes: 55P03 under NOWAIT or past lock_timeout, 57014 on cancel,
   * 40P01 when the wait closes a cycle (of relation and row waits).
   */
  async waitForRelation(txn: Transaction, oid: number, mode: RelationLockMode,
    options: RelationWaitOptions): Promise<void> {
    if (this.relationLocks.tryAcquire(txn, oid, mode)) return;
    if (options.nowait) {
      throw new SqlError(SqlState.lockNotAvailable,
        `could not obtain lock on relation "${options.relationName}"`);
    }
    assert(txn.lockWait === undefined && txn.waitingFor === 0, "one wait at a time");
    const waiter = this.relationLocks.enqueue(txn, oid, mode);
    if (waiter.done) return;
    txn.lockWait = waiter;
    try {
      this.checkDeadlock(txn);
      await waitUntil(waiter.granted, options, () => this.checkDeadlock(txn));
    } catch (error) {
      this.relationLocks.cancel(waiter);
      throw error;
    } finally {
      txn.lockWait = undefined;
    }
  }

  /**
   * The wait-for edges now: each transaction waiting in `waitFor` or for a relation lock,
   * with each transaction it waits for (read-only; what a coordinator's distributed deadlock
   * detection reads).
   */
  waitEdges(): WaitEdge[] {
    const edges: WaitEdge[] = [];
    const seen = new Set<Transaction>();
    const add = (txn: Transaction, holder: Transaction): void => {
      edges.push({
        waitingPid: txn.backendPid, waitingXid: txn.xid, blockingXid: holder.xid,
        blockingPid: holder.prepared === undefined ? holder.backendPid : undefined,
        blockingWaits: holder.waitingFor !== 0 || holder.lockWait !== undefined,
      });
    };
    for (const txn of [...this.running.values(), ...this.byPid.values()]) {
      if (seen.has(txn) || txn.waitingFor === 0) continue;
      seen.add(txn);
      const holder = this.running.get(txn.waitingFor);
      if (holder !== undefined) add(txn, holder);
    }
    for (const waiter of this.relationLocks.waiters()) {
      for (const holder of this.relationLocks.blockers(waiter)) add(waiter.txn, holder);
    }
    return edges;
  }

  /** The transactions `txn` waits for now (none when it does not wait). */
  private blockersOf(txn: Transaction): Transaction[] {
    if (txn.waitingFor !== 0) {
      const holder = this.running.get(txn.waitingFor);
      return holder === undefined ? [] : [holder];
    }
    return txn.lockWait === undefined ? [] : this.relationLocks.blockers(txn.lockWait);
  }

  /** A snapshot of everything committed now, for a reader without a transaction. */
  latest(): Snapshot {
    if (this.inProgress === null) this.inProgress = new Set(this.running.keys());
    return { xmax: this.nextXid, inProgress: this.inProgress, xid: 0, cid: 0 };
  }

  /**
   * Follows wait-for edges (row waits and relation lock waits) from `waiter`, which just
   * started waiting; coming back to it means a deadlock, raised in `waiter`.
   */
  private checkDeadlock(waiter: Transaction): void {
    const visited = new Set<Transaction>();
    const chain: Transaction[] = [waiter];
    const search = (at: Transaction): boolean => {
      for (const next of this.blockersOf(at)) {
        if (next === waiter) return true;
        if (visited.has(next)) continue;
        visited.add(next);
        chain.push(next);
        if (search(next)) return true;
        chain.pop();
      }
      return false;
    };
    if (search(waiter)) {
      this.onDeadlock?.();
      throw deadlockError(chain);
    }
  }
}

/**
 * Resolves with `ended`, or rejects on lock timeout or cancel; `recheck` (the deadlock
 * check) runs again after deadlock_timeout, for cycles closed by an edge that was no new wait.
 */
function waitUntil(ended: Promise<void>, options: WaitOptions, recheck: () => void):
  Promise<void> {
  const { cancellation, lockTimeoutMs } = options;
  if (cancellation.aborted) return Promise.reject(cancelled());
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const deadlockTimer = setTimeout(() => {
      try {
        recheck();
      } catch (error) {
        done(error as SqlError);
      }
    }, deadlockTimeoutMs);
    const done = (error?: SqlError): void => {
      clearTimeout(deadlockTimer);
      if (timer !== undefined) clearTimeout(timer);
      stopListening();
      if (error === undefined) resolve();
      else reject(error);
    };
    const stopListening = cancellation.listen(() => done(cancelled()));
    if (lockTimeoutMs > 0) {
      timer = setTimeout(() => done(new SqlError(SqlState.lockNotAvailable,
        "canceling statement due to lock timeout")), lockTimeoutMs);
    }
    void ended.then(() => done(), (error: unknown) => done(error as SqlError));
  });
}

/**
 * The cancel a wait of `ctx`'s statement listens to: the context's own `cancellation`, else
 * its signal (an AbortController made for the wait).
 */
export function cancellationOf(ctx: StatementContext): Cancellation {
  return ctx.cancellation ?? signalCancellation(ctx.signal);
}

/** An AbortSignal as a `Cancellation`. */
export function signalCancellation(signal: AbortSignal): Cancellation {
  return {
    get aborted() {
      return signal.aborted;
    },
    listen(listener) {
      signal.addEventListener("abort", listener, { once: true });
      return () => signal.removeEventListener("abort", listener);
    },
  };
}

function cancelled(): SqlError {
  return new SqlError(SqlState.queryCanceled, "canceling statement due to user request");
}

/** Postgres's message, one DETAIL line per waiting process. */
function deadlockError(chain: readonly Transaction[]): SqlError {
  const lines = chain.map((txn, i) => {
    const next = chain[(i + 1) % chain.length]!;
    return `Process ${txn.backendPid} waits for ${awaited(txn)}; ` +
      `blocked by process ${next.backendPid}.`;
  });
  return new SqlError(SqlState.deadlockDetected, "deadlock detected",
    { detail: lines.join("\n"), hint: "See server log for query details." });
}

/** What a waiting transaction waits for, as Postgres's deadlock report names it. */
function awaited(txn: Transaction): string {
  const wait: LockWaiter | undefined = txn.lockWait;
  if (wait === undefined) return `ShareLock on transaction ${txn.waitingFor}`;
  return `${lockModeNames[wait.mode]} on relation ${wait.lock.oid} of database ${databaseOid}`;
}

/** The OID pg_database gives the one database (`postgres`). */
const databaseOid = 5;
