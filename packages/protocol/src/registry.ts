/**
 * The backends of one server, by process id: the slots that count against
 * `connectionCountMax`, and the lookup that routes a CancelRequest (or `pg_cancel_backend`)
 * to the right session.
 *
 * A slot is taken when a startup packet arrives, before authentication (as Postgres's
 * "sorry, too many clients already"), and released when the connection ends. Process ids are
 * positive int32s handed out in turn, skipping ids still live, so a stale CancelRequest never
 * reaches a newer session that happens to share a recycled id while the old one lives.
 */
import { assert, type SqlError } from "@tessera/base";

/** What the registry can do to a live backend. */
export interface BackendHandle {
  readonly secretKey: number;
  cancel(): void;
  /** Ends the connection with FATAL 57P01 `terminating connection due to administrator command`. */
  terminate(error?: SqlError): void;
}

const processIdFirst = 10_000;
const processIdLast = 0x7fffffff;

export class BackendRegistry {
  /** Process ids that hold a slot; the handle is set once the session is open. */
  private readonly backends = new Map<number, BackendHandle | undefined>();
  private processIdNext = processIdFirst;

  constructor(private readonly connectionCountMax: number) {
    assert(Number.isInteger(connectionCountMax) && connectionCountMax > 0, "a positive limit");
  }

  get size(): number {
    return this.backends.size;
  }

  /** Takes a slot and returns its process id, or undefined when every slot is in use. */
  admit(): number | undefined {
    if (this.backends.size >= this.connectionCountMax) return undefined;
    // Bounded: fewer than connectionCountMax ids are live, so a free one comes up soon.
    for (;;) {
      const processId = this.processIdNext;
      this.processIdNext = processId === processIdLast ? processIdFirst : processId + 1;
      if (!this.backends.has(processId)) {
        this.backends.set(processId, undefined);
        return processId;
      }
    }
  }

  /** Attaches the open session's handle to its slot. */
  attach(processId: number, handle: BackendHandle): void {
    assert(this.backends.has(processId), "attach() follows admit()");
    assert(this.backends.get(processId) === undefined, "a slot is attached once");
    this.backends.set(processId, handle);
  }

  release(processId: number): void {
    assert(this.backends.has(processId), "release() frees a slot that was admitted");
    this.backends.delete(processId);
  }

  /** Cancels the backend's statement when the secret matches; a CancelRequest's path. */
  cancelWithSecret(processId: number, secretKey: number): boolean {
    const handle = this.backends.get(processId);
    if (handle === undefined || handle.secretKey !== secretKey) return false;
    handle.cancel();
    return true;
  }

  /** Cancels the backend's statement, as pg_cancel_backend; false when there is none. */
  cancel(processId: number): boolean {
    const handle = this.backends.get(processId);
    if (handle === undefined) return false;
    handle.cancel();
    return true;
  }

  /** Ends the backend's connection, as pg_terminate_backend; false when there is none. */
  terminate(processId: number, error?: SqlError): boolean {
    const handle = this.backends.get(processId);
    if (handle === undefined) return false;
    handle.terminate(error);
    return true;
  }

  /** Returns the process ids of the open sessions. */
  processIds(): number[] {
    const ids: number[] = [];
    for (const [processId, handle] of this.backends) if (handle !== undefined) ids.push(processId);
    return ids;
  }
}
