/**
 * Cancellation of short remote commands without an AbortSignal for each: a statement's
 * signal (`StatementContext.signal`) is made on first use, and making one (an EventTarget,
 * with its listener bookkeeping) costs more than a whole point lookup on the coordinator. A
 * fast-path execution therefore registers here with a way to get the signal, and only a
 * command still running after a tick or two of a shared timer asks for it and listens:
 *
 *     command.watch()         in flight; no signal made yet
 *     tick (every tickMs)     seen once before: signalOf(), then cancel now or on "abort"
 *     command.unwatch()       settled: forgotten, its listener removed
 *
 * A cancel (CancelRequest, pg_cancel_backend, statement_timeout) therefore still stops a
 * long remote command, at most about two ticks after it was asked for; a command that ends
 * sooner ends as if the cancel had come just after it. The timer runs only while commands
 * are in flight and never keeps the process alive.
 */

/**
 * One remote command that a cancel of its statement must stop. It is its own "abort"
 * listener (`handleEvent`), so watching it allocates nothing more.
 */
export abstract class CancellableCommand {
  /** Set at the first tick that saw the command in flight. */
  private seen = false;
  /** The signal listened to, once the command outlived a tick. */
  private signal: AbortSignal | undefined = undefined;

  /** The statement's abort signal, made on first use. */
  protected abstract signalOf(): AbortSignal;

  /** Stops the command: it fails with query_canceled and its connection is dropped. */
  protected abstract cancel(): void;

  /** Registers the command, which has started. */
  watch(): void {
    inFlight.add(this);
    idleTicks = 0;
    if (timer === undefined) {
      timer = setInterval(tick, tickMs);
      timer.unref();
    }
  }

  /** Forgets the command, which has settled. */
  unwatch(): void {
    if (!inFlight.delete(this)) return;
    this.signal?.removeEventListener("abort", this);
  }

  handleEvent(): void {
    this.cancel();
  }

  /** One tick of the timer while the command is in flight. */
  tick(): void {
    if (!this.seen) {
      this.seen = true;
      return;
    }
    if (this.signal !== undefined) return;
    const signal = this.signalOf();
    this.signal = signal;
    if (signal.aborted) this.cancel();
    else signal.addEventListener("abort", this, { once: true });
  }
}

/** The shared timer's period. */
const tickMs = 5;

const inFlight = new Set<CancellableCommand>();
let timer: NodeJS.Timeout | undefined;
/** Ticks in a row that found nothing in flight; the timer stops after the second. */
let idleTicks = 0;

function tick(): void {
  if (inFlight.size === 0) {
    if (++idleTicks >= 2 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
    return;
  }
  for (const command of inFlight) command.tick();
}
