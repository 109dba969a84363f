/**
 * Progress of long operations (crash recovery replaying its log) as the CLI shows it: a bar
 * redrawn in place on stderr when stderr is a terminal, plain log lines every few seconds
 * otherwise. The operation reports through `@tessera/base`'s `reportProgress`; a daemon run by
 * `tessera cluster` forwards its reports to the parent over IPC, which draws them.
 *
 *     recovery coordinator [##########..........]  50%  512.0 MiB of 1.0 GiB
 */
import type { Logger, Progress } from "@tessera/base";

/** Something that shows progress reports; `label` names the process (e.g. "worker-1"). */
export interface ProgressView {
  update(label: string, progress: Progress): void;
}

/** The stream a bar is drawn on: `process.stderr`, or a test's stand-in. */
export interface BarStream {
  readonly isTTY?: boolean;
  write(text: string): boolean;
}

const barWidth = 30;
/** Log lines when stderr is not a terminal: one at the start, the end, and every so often. */
const logIntervalMs = 5000;

/** A terminal bar for a terminal, log lines otherwise. */
export function progressView(stream: BarStream, logger: Logger): ProgressView {
  return stream.isTTY === true ? terminalBar(stream) : logLines(logger);
}

/** One line, redrawn with a carriage return; a finished task ends it with a newline. */
export function terminalBar(stream: BarStream): ProgressView {
  let drawn = false;
  return {
    update(label, progress) {
      if (progress.total <= 0) return;
      stream.write(`\r${renderBar(label, progress)}\x1b[K`);
      drawn = true;
      if (progress.done >= progress.total) {
        stream.write("\n");
        drawn = false;
      }
    },
  };
}

/** Info lines: when a task starts, every `logIntervalMs` while it runs, and when it ends. */
export function logLines(logger: Logger, intervalMs = logIntervalMs): ProgressView {
  const started = new Map<string, { at: number; logged: number }>();
  return {
    update(label, progress) {
      if (progress.total <= 0) return;
      const key = `${label}\0${progress.task}`;
      const now = Date.now();
      const fields = { process: label, task: progress.task, done: progress.done,
        total: progress.total, percent: percentOf(progress) };
      const state = started.get(key);
      if (state === undefined) {
        started.set(key, { at: now, logged: now });
        logger.info(fields, `${progress.task} started: ${sizeOf(progress.total)} to replay`);
      } else if (progress.done >= progress.total) {
        started.delete(key);
        logger.info({ ...fields, seconds: (now - state.at) / 1000 },
          `${progress.task} finished`);
      } else if (now - state.logged >= intervalMs) {
        state.logged = now;
        logger.info(fields, `${progress.task}: ${renderCounts(progress)}`);
      }
    },
  };
}

/** `recovery worker-1 [#####.....]  50%  5.0 MiB of 10.0 MiB` */
export function renderBar(label: string, progress: Progress, width = barWidth): string {
  const fraction = fractionOf(progress);
  const filled = Math.round(fraction * width);
  const bar = "#".repeat(filled) + ".".repeat(width - filled);
  return `${progress.task} ${label} [${bar}] ${renderCounts(progress)}`;
}

function renderCounts(progress: Progress): string {
  const percent = `${percentOf(progress)}%`.padStart(4);
  return `${percent}  ${sizeOf(progress.done)} of ${sizeOf(progress.total)}`;
}

function fractionOf(progress: Progress): number {
  if (progress.total <= 0) return 1;
  return Math.min(1, Math.max(0, progress.done / progress.total));
}

function percentOf(progress: Progress): number {
  return Math.floor(fractionOf(progress) * 100);
}

/** Bytes as KiB, MiB or GiB with one decimal. */
export function sizeOf(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Reads a progress report another process sent over IPC; undefined for other messages. */
export function progressMessage(message: unknown): Progress | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const m = message as { type?: unknown; task?: unknown; done?: unknown; total?: unknown };
  if (m.type !== "progress" || typeof m.task !== "string") return undefined;
  if (typeof m.done !== "number" || typeof m.total !== "number") return undefined;
  return { task: m.task, done: m.done, total: m.total };
}
