/**
 * idle_in_transaction_session_timeout: a session that sent ReadyForQuery 'T' or 'E' (inside a
 * transaction block) and then hears nothing from its client for longer than the setting is
 * ended with FATAL 25P03, as Postgres's backend does, so it stops holding back vacuum and
 * row locks. Any message from the client stops the clock.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { TransactionStatus } from "@tessera/engine";

export class IdleInTransactionTimer {
  private timer: NodeJS.Timeout | undefined;

  /**
   * `timeoutMs` reads the setting when the session goes idle (0: off); `terminate` ends the
   * connection with the FATAL it is given.
   */
  constructor(private readonly timeoutMs: () => number,
    private readonly terminate: (error: SqlError) => void) {}

  /** The session sent ReadyForQuery with `status`: inside a block, start the clock. */
  ready(status: TransactionStatus): void {
    this.stop();
    if (status === "I") return;
    const ms = this.timeoutMs();
    if (!(ms > 0)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.terminate(new SqlError(SqlState.idleInTransactionSessionTimeout,
        "terminating connection due to idle-in-transaction timeout", { severity: "FATAL" }));
    }, ms);
    this.timer.unref();
  }

  /** A message arrived, or the connection ended. */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
