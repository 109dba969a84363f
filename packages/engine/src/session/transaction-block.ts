/**
 * The transaction block of one session, as Postgres's xact.c tracks it for the protocol:
 * idle (I), in a block (T), or in a failed block (E) where everything but ROLLBACK is refused
 * with 25P02. Savepoints are a stack of names.
 *
 * Writes are undone, not hidden: every statement run in a block hands the block its undo log
 * (`track`), and ROLLBACK replays the logs newest first, as ROLLBACK TO replays those made
 * since its savepoint. A failed statement has already undone itself, so its log is empty.
 * Other sessions see uncommitted rows until MVCC transactions land.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { SessionSettings } from "./settings.js";
import type { TransactionStatus } from "./output.js";
import type { Undoable, UndoSink } from "../api.js";

type Notify = (notice: SqlError) => void;

export class TransactionBlock implements UndoSink {
  private state: TransactionStatus = "I";
  private savepoints: string[] = [];
  /** The undo log of each statement of the block, oldest first. */
  private logs: Undoable[] = [];
  /** Per savepoint, how many logs existed when it was set. */
  private marks: number[] = [];
  /** Micros since 2000-01-01 when the block started, for now() inside it. */
  startMicros: bigint | undefined;

  constructor(private readonly settings: SessionSettings) {}

  get status(): TransactionStatus {
    return this.state;
  }

  begin(notify: Notify, options: Record<string, string>): void {
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
    this.marks = [];
    this.logs = [];
    this.settings.beginTransaction();
    const isolation = options["transaction_isolation"];
    if (isolation !== undefined) {
      this.settings.set("transaction_isolation", isolation, { local: true, internal: true });
    }
    const readOnly = options["transaction_read_only"];
    if (readOnly !== undefined) {
      this.settings.set("transaction_read_only", readOnly === "1" ? "on" : "off", { local: true });
    }
  }

  /** Ends the block; returns the command tag ("ROLLBACK" when the block had failed). */
  commit(notify: Notify, chain: boolean): string {
    if (this.state === "I") {
      notify(
        new SqlError(SqlState.noActiveSqlTransaction, "there is no transaction in progress", {
          severity: "WARNING",
        }),
      );
      return "COMMIT";
    }
    const failed = this.state === "E";
    if (failed) this.undoTo(0);
    this.end(!failed);
    if (chain) this.begin(notify, {});
    return failed ? "ROLLBACK" : "COMMIT";
  }

  rollback(notify: Notify, chain: boolean): void {
    if (this.state === "I") {
      notify(
        new SqlError(SqlState.noActiveSqlTransaction, "there is no transaction in progress", {
          severity: "WARNING",
        }),
      );
      return;
    }
    this.undoTo(0);
    this.end(false);
    if (chain) this.begin(notify, {});
  }

  /** Keeps a statement's undo log while a block is open; outside one, writes are final. */
  track(log: Undoable): void {
    if (this.state !== "I") this.logs.push(log);
  }

  /** Replays the logs after the first `keep`, newest first, and forgets them. */
  private undoTo(keep: number): void {
    for (let i = this.logs.length - 1; i >= keep; i--) this.logs[i]!.rollback();
    this.logs.length = Math.min(this.logs.length, keep);
  }

  savepoint(name: string): void {
    if (this.state === "I") {
      throw new SqlError(
        SqlState.noActiveSqlTransaction,
        "SAVEPOINT can only be used in transaction blocks",
      );
    }
    this.savepoints.push(name);
    this.marks.push(this.logs.length);
  }

  release(name: string): void {
    const at = this.findSavepoint(name);
    this.savepoints.length = at;
    this.marks.length = at;
  }

  rollbackTo(name: string): void {
    const at = this.findSavepoint(name);
    this.savepoints.length = at + 1;
    this.marks.length = at + 1;
    this.undoTo(this.marks[at]!);
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

  private findSavepoint(name: string): number {
    if (this.state === "I") {
      throw new SqlError(
        SqlState.noActiveSqlTransaction,
        "ROLLBACK TO SAVEPOINT can only be used in transaction blocks",
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

  private end(committed: boolean): void {
    this.state = "I";
    this.savepoints = [];
    this.marks = [];
    this.logs = [];
    this.startMicros = undefined;
    this.settings.endTransaction(committed);
  }
}
