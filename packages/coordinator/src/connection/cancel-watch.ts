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
  /**
   * The commands in flight form one list through these fields (`watching` while in it): a
   * command joins and leaves it without allocating, as it does for every point query.
   */
  private watching = false;
  private previousWatched: CancellableCommand | null = null;
  private nextWatched: CancellableCommand | null = null;

  /** The statement's abort signal, made on first use. */
  protected abstract signalOf(): AbortSignal;

  /** Stops the command: it fails with query_canceled and its connection is dropped. */
  protected abstract cancel(): void;

  /** Registers the command, which has started. */
  watch(): void {
    if (this.watching) return;
    this.watching = true;
    this.nextWatched = firstWatched;
    if (firstWatched !== null) firstWatched.previousWatched = this;
    firstWatched = this;
    idleTicks = 0;
    if (timer === undefined) {
      timer = setInterval(tick, tickMs);
      timer.unref();
    }
  }

  /** Forgets the command, which has settled. */
  unwatch(): void {
    if (!this.watching) return;
    this.watching = false;
    const previous = this.previousWatched;
    const next = this.nextWatched;
    if (previous === null) firstWatched = next;
    else previous.nextWatched = next;
    if (next !== null) next.previousWatched = previous;
    this.previousWatched = null;
    this.nextWatched = null;
    this.signal?.removeEventListener("abort", this);
  }

  handleEvent(): void {
    this.cancel();
  }

  /**
   * One tick over the commands in flight. They are listed first: a cancel may settle other
   * commands (a closed link fails all of its executions), which leave the list meanwhile.
   */
  static tickAll(): void {
    const commands: CancellableCommand[] = [];
    for (let at = firstWatched; at !== null; at = at.nextWatched) commands.push(at);
    for (const command of commands) if (command.watching) command.tick();
  }

  /** One tick of the timer while the command is in flight. */
  private tick(): void {
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

/** The most recently watched command in flight; the list runs from it through older ones. */
let firstWatched: CancellableCommand | null = null;
let timer: NodeJS.Timeout | undefined;
/** Ticks in a row that found nothing in flight; the timer stops after the second. */
let idleTicks = 0;

function tick(): void {
  if (firstWatched === null) {
    if (++idleTicks >= 2 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
    return;
  }
  CancellableCommand.tickAll();
}
