/**
 * The transaction block of one session, as Postgres's xact.c tracks it for the protocol:
 * idle (I), in a block (T), or in a failed block (E) where everything but ROLLBACK is refused
 * with 25P02. Savepoints are a stack of names.
 *
 * The block is the `TransactionHandle` every statement's context carries. On the block's
 * first statement the engine attaches its transaction as the block's `participant`, and the
 * block reports COMMIT, ROLLBACK and the savepoint commands to it: ROLLBACK undoes the
 * block's writes and DDL, ROLLBACK TO undoes those after the savepoint. COMMIT ends the
 * block at once; its writes become visible when the WAL flush of its commit record is done
 * (at once with synchronous_commit=off). `takeDurable` hands the session that wait, which it
 * awaits before it answers.
 *
 * An implicit block (xact.c's TBLOCK_IMPLICIT_INPROGRESS) wraps the statements of a
 * multi-statement simple query, or the Executes up to a Sync, in one transaction: an error
 * rolls all of it back, BEGIN turns it into a real block, COMMIT and ROLLBACK end it with a
 * warning, SAVEPOINT is refused. `endImplicit` commits or rolls it back.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { SessionSettings } from "./settings.js";
import type { TransactionStatus } from "./output.js";
import { committedAtOnce, type TransactionHandle, type TransactionParticipant }
  from "../api.js";
import type { SessionNotifications } from "./notifications.js";

type Notify = (notice: SqlError) => void;

export class TransactionBlock implements TransactionHandle {
  private state: TransactionStatus = "I";
  private savepoints: string[] = [];
  /** Each savepoint's mark in the settings' changes, which ROLLBACK TO undoes. */
  private settingMarks: number[] = [];
  /** True while the block is an implicit one (no BEGIN was given). */
  private implicitBlock = false;
  /** The implicit block is the extended protocol's, not a multi-statement query's. */
  private untilSync = false;
  /** The engine transaction of the block, once a statement ran in it. */
  participant: TransactionParticipant | undefined;
  /** The last COMMIT's wait for durability, until the session takes it. */
  private durable: Promise<void> | undefined;
  /** Micros since 2000-01-01 when the block started, for now() inside it. */
  startMicros: bigint | undefined;
  /** The session's LISTEN/NOTIFY queue, told of every end; set on its first use. */
  notifications: SessionNotifications | undefined;

  constructor(private readonly settings: SessionSettings) {}

  get status(): TransactionStatus {
    return this.state;
  }

  get savepointDepth(): number {
    return this.savepoints.length;
  }

  get implicit(): boolean {
    return this.implicitBlock;
  }

  /**
   * Whether this is a transaction block as Postgres's IsTransactionBlock says: BEGIN's, or the
   * implicit block of a multi-statement query, but not the extended protocol's transaction of
   * the messages up to Sync (TBLOCK_STARTED). LOCK TABLE and DECLARE CURSOR need one.
   */
  get isTransactionBlock(): boolean {
    return this.state !== "I" && !(this.implicitBlock && this.untilSync);
  }

  /**
   * Starts an implicit block when idle: for a statement of a multi-statement string, or
   * (`untilSync`) for the extended protocol's messages up to Sync.
   */
  beginImplicit(untilSync = false): void {
    if (this.state !== "I") return;
    this.state = "T";
    this.savepoints = [];
    this.settingMarks = [];
    this.participant = undefined;
    this.implicitBlock = true;
    this.untilSync = untilSync;
    this.settings.beginTransaction();
  }

  /** Ends an implicit block: commits it, or rolls it back when it failed. */
  endImplicit(): void {
    if (!this.implicitBlock) return;
    // Not through commit(): an implicit block ends silently, with no "no transaction" WARNING
    // to build and throw away on every statement.
    if (this.state === "E") this.abandon();
    else this.commitBlock(() => undefined, false);
  }

  begin(notify: Notify, options: Record<string, string>): void {
    if (this.implicitBlock) {
      this.implicitBlock = false;
      this.applyOptions(options);
      return;
    }
    if (this.state !== "I") {
      notify(
        new SqlError(SqlState.activeSqlTransaction, "there is already a transaction in progress", {
          severity: "WARNING",
        }),
      );
      return;
    }
    this.state = "T";
    this.savepoints = [];
    this.settingMarks = [];
    this.participant = undefined;
    this.settings.beginTransaction();
    // A block starts with the session's characteristics (SET SESSION CHARACTERISTICS, JDBC's
    // setTransactionIsolation), then BEGIN's own options.
    this.applyOptions({
      transaction_isolation: this.settings.get("default_transaction_isolation"),
      transaction_read_only: this.settings.get("default_transaction_read_only") === "on"
        ? "1" : "0",
      transaction_deferrable: this.settings.get("default_transaction_deferrable") === "on"
        ? "1" : "0",
      ...options,
    });
  }

  private applyOptions(options: Record<string, string>): void {
    const isolation = options["transaction_isolation"];
    if (isolation !== undefined) {
      this.settings.set("transaction_isolation", isolation, { local: true, internal: true });
    }
    const readOnly = options["transaction_read_only"];
    if (readOnly !== undefined) {
      this.settings.set("transaction_read_only", readOnly === "1" ? "on" : "off", { local: true });
    }
    const deferrable = options["transaction_deferrable"];
    if (deferrable !== undefined) {
      this.settings.set("transaction_deferrable", deferrable === "1" ? "on" : "off",
        { local: true });
    }
  }

  /** Ends the block; returns the command tag ("ROLLBACK" when the block had failed). */
  commit(notify: Notify, chain: boolean): string {
    if (this.implicitBlock) this.checkImplicitEnd(notify, chain, "COMMIT");
    if (this.state === "I") {
      if (chain) this.refuseChainOutsideBlock("COMMIT");
      notify(
        new SqlError(SqlState.noActiveSqlTransaction, "there is no transaction in progress", {
          severity: "WARNING",
        }),
      );
      return "COMMIT";
    }
    return this.commitBlock(notify, chain);
  }

  /** Ends a block that is open: commits it, or rolls it back when it failed. */
  private commitBlock(notify: Notify, chain: boolean): string {
    const failed = this.state === "E";
    const characteristics = chain ? this.characteristics() : {};
    const participant = this.participant;
    this.participant = undefined;
    if (failed) participant?.rollback();
    else if (participant !== undefined) {
      let durable: Promise<void>;
      try {
        durable = participant.commit({ synchronous: this.synchronousCommit() });
      } catch (error) {
        // A deferred constraint failed: the transaction rolled back, the block is over.
        this.end(false);
        throw error;
      }
      this.durable = durable === committedAtOnce ? undefined : durable;
    }
    this.end(!failed);
    if (chain) this.begin(notify, characteristics);
    return failed ? "ROLLBACK" : "COMMIT";
  }

  rollback(notify: Notify, chain: boolean): void {
    if (this.implicitBlock) this.checkImplicitEnd(notify, chain, "ROLLBACK");
    if (this.state === "I") {
      if (chain) this.refuseChainOutsideBlock("ROLLBACK");
      notify(
        new SqlError(SqlState.noActiveSqlTransaction, "there is no transaction in progress", {
          severity: "WARNING",
        }),
      );
      return;
    }
    const characteristics = chain ? this.characteristics() : {};
    this.abandon();
    if (chain) this.begin(notify, characteristics);
  }

  /** The ending block's isolation, read-only and deferrable, which AND CHAIN carries over. */
  private characteristics(): Record<string, string> {
    return {
      transaction_isolation: this.settings.get("transaction_isolation"),
      transaction_read_only: this.settings.get("transaction_read_only") === "on" ? "1" : "0",
      transaction_deferrable: this.settings.get("transaction_deferrable") === "on" ? "1" : "0",
    };
  }

  /** COMMIT AND CHAIN / ROLLBACK AND CHAIN with no block: an error, not a warning (xact.c). */
  private refuseChainOutsideBlock(what: string): never {
    throw new SqlError(SqlState.noActiveSqlTransaction,
      `${what} AND CHAIN can only be used in transaction blocks`);
  }

  /** Rolls back whatever the block holds (also when the session ends inside a block). */
  abandon(): void {
    const participant = this.participant;
    this.participant = undefined;
    participant?.rollback();
    if (this.state !== "I") this.end(false);
  }

  /** PREPARE TRANSACTION succeeded: the engine transaction left; the session is idle. */
  detachPrepared(): void {
    this.participant = undefined;
    this.end(true);
  }

  /** Returns the wait for the last COMMIT's durability, once. */
  takeDurable(): Promise<void> | undefined {
    const durable = this.durable;
    this.durable = undefined;
    return durable;
  }

  /** The stack index of savepoint `name` (the innermost of that name); -1 when none. */
  savepointIndex(name: string): number {
    return this.savepoints.lastIndexOf(name);
  }

  savepoint(name: string): void {
    if (this.state === "I" || this.implicitBlock) {
      throw new SqlError(
        SqlState.noActiveSqlTransaction,
        "SAVEPOINT can only be used in transaction blocks",
      );
    }
    this.savepoints.push(name);
    this.settingMarks.push(this.settings.savepointMark());
    this.participant?.savepoint();
  }

  release(name: string): void {
    const at = this.findSavepoint(name, "RELEASE SAVEPOINT");
    this.savepoints.length = at;
    this.settingMarks.length = at;
    this.participant?.release(at);
    this.notifications?.released(at);
  }

  rollbackTo(name: string): void {
    const at = this.findSavepoint(name, "ROLLBACK TO SAVEPOINT");
    this.savepoints.length = at + 1;
    this.settingMarks.length = at + 1;
    this.settings.rollbackToMark(this.settingMarks[at] ?? 0);
    this.participant?.rollbackTo(at);
    this.notifications?.rolledBackTo(at);
    this.state = "T";
  }

  /** Marks the block failed after an error; outside a block nothing changes. */
  fail(): void {
    if (this.state === "T") this.state = "E";
  }

  /** Refuses statements in a failed block, as Postgres does before even planning them. */
  checkNotFailed(): void {
    if (this.state === "E") {
      throw new SqlError(
        SqlState.inFailedSqlTransaction,
        "current transaction is aborted, commands ignored until end of transaction block",
      );
    }
  }

  private findSavepoint(name: string, what: string): number {
    if (this.state === "I" || this.implicitBlock) {
      throw new SqlError(
        SqlState.noActiveSqlTransaction,
        `${what} can only be used in transaction blocks`,
      );
    }
    const at = this.savepoints.lastIndexOf(name);
    if (at < 0) {
      throw new SqlError(
        SqlState.invalidSavepointSpecification,
        `savepoint "${name}" does not exist`,
      );
    }
    return at;
  }

  /** COMMIT or ROLLBACK in an implicit block: AND CHAIN is refused, else a warning. */
  private checkImplicitEnd(notify: Notify, chain: boolean, what: string): void {
    if (chain) {
      throw new SqlError(SqlState.noActiveSqlTransaction,
        `${what} AND CHAIN can only be used in transaction blocks`);
    }
    notify(new SqlError(SqlState.noActiveSqlTransaction, "there is no transaction in progress",
      { severity: "WARNING" }));
  }

  private synchronousCache = { version: -1, on: true };

  /** synchronous_commit is not off; read again only after a setting changed. */
  private synchronousCommit(): boolean {
    const cache = this.synchronousCache;
    if (cache.version !== this.settings.version) {
      cache.on = this.settings.get("synchronous_commit") !== "off";
      cache.version = this.settings.version;
    }
    return cache.on;
  }

  private end(committed: boolean): void {
    this.implicitBlock = false;
    this.state = "I";
    this.savepoints = [];
    this.settingMarks = [];
    this.startMicros = undefined;
    this.settings.endTransaction(committed);
    this.notifications?.ended(committed);
  }
}
