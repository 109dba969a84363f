/**
 * Progress of long operations inside a process (crash recovery replaying its log), for
 * whoever shows it: the CLI draws a progress bar, a parent process gets IPC messages. The
 * operation reports; listeners subscribe. With no listener, reporting costs a set lookup.
 *
 *     reportProgress({ task: "recovery", done: 0, total: bytes });   // start
 *     reportProgress({ task: "recovery", done, total });             // now and then
 *     reportProgress({ task: "recovery", done: total, total });      // finished
 */

export interface Progress {
  /** What runs, e.g. "recovery". */
  readonly task: string;
  /** Units done so far (bytes for recovery); equal to `total` once finished. */
  readonly done: number;
  readonly total: number;
}

export type ProgressListener = (progress: Progress) => void;

const listeners = new Set<ProgressListener>();

/** Subscribes to every report; returns the unsubscribe function. */
export function onProgress(listener: ProgressListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function reportProgress(progress: Progress): void {
  for (const listener of listeners) listener(progress);
}

/**
 * A reporter for one operation that passes on at most one report per `intervalMs` (plus the
 * first and the last, each once), so a loop may call it for every record.
 */
export function throttledProgress(task: string, total: number, intervalMs = 100):
  (done: number) => void {
  let last = -Infinity;
  let lastDone = -1;
  return (done) => {
    const now = performance.now();
    if (done === lastDone) return;
    if (done < total && done > 0 && now - last < intervalMs) return;
    last = now;
    lastDone = done;
    reportProgress({ task, done: Math.min(done, total), total });
  };
}
