/**
 * Timed runs framed by the machine's CPU use, for measures that need free cores: the
 * distributed section's 1 → 2 worker speed-up.
 *
 * A 2-worker run needs both cores of a 2-core machine, the 1-worker run one. When another
 * session runs something CPU-bound meanwhile, the scheduler shares the cores between the
 * sessions: the 2-worker run loses much of its second core, the 1-worker run little (it takes
 * the core the other load leaves). One busy process elsewhere thus caps the measured speed-up
 * near 1.3×, whatever the cluster does, and a median of three runs does not help when the
 * load lasts the whole section.
 *
 * So each timed run is framed by two samples of the machine's CPU use (`/proc/stat`) taken
 * while the contenders are idle:
 *
 *     wait for a quiet window ─> timed run ─> one window after
 *
 * A run with a busy window before or after is repeated (at most `attemptsMax` attempts); the
 * attempt with the quietest frame is kept. Waiting and repeating draw on one budget per
 * section (`patienceMs`), so a machine that never gets quiet costs a bounded time and its
 * figures say how busy it was (`frameBusyPct` of each kept run).
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { QuerySession, median, runOnce, type TimedQuery } from "./measure.js";

/** A sample window: long enough for /proc/stat's 10 ms ticks, short next to a run. */
const windowMs = 300;
/** Busy share of all CPUs (idle servers, the bench itself) below which the machine is quiet. */
const quietShare = 0.1;
/** `quietShare` in percent, as `frameBusyPct` reports it. */
export const quietPercent = quietShare * 100;
/** Attempts of one timed run at most. */
const attemptsMax = 3;

/** CPU time of all cores since boot: busy and total, in clock ticks. */
function cpuTicks(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
    const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
    if (fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return undefined;
    const total = fields.reduce((sum, n) => sum + n, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined; // not Linux: runs are timed without frames
  }
}

/** The share (0–1) of all CPUs busy during the next `ms`; undefined when unknown. */
async function busyShare(ms: number): Promise<number | undefined> {
  const before = cpuTicks();
  await sleep(ms);
  const after = cpuTicks();
  if (before === undefined || after === undefined || after.total === before.total) {
    return undefined;
  }
  return (after.busy - before.busy) / (after.total - before.total);
}

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

/** CPU time (user + system) one process has used, ms; undefined when it is gone. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The fields after the command name (which may hold spaces): utime, stime are 12th, 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** The children of a process in the order it started them (a cluster's daemons). */
export function childrenOf(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8");
    return text.trim().split(/\s+/).filter((t) => t !== "").map(Number);
  } catch {
    return [];
  }
}

/** The time one section may spend waiting for quiet windows and repeating runs. */
export class Patience {
  private spentMs = 0;

  constructor(private readonly budgetMs: number) {}

  get left(): number {
    return Math.max(0, this.budgetMs - this.spentMs);
  }

  get spent(): number {
    return this.spentMs;
  }

  spend(ms: number): void {
    this.spentMs += ms;
  }
}

/** One timed query's figures, with how busy the machine was around each kept run. */
export interface FramedQuery extends TimedQuery {
  /** Per kept run: the busy share of all CPUs in its busier frame window, percent. */
  readonly frameBusyPct: readonly number[];
  /** Runs repeated because their frame was busy. */
  readonly repeated: number;
  /** Per watched process, the median of its CPU time over the kept runs, ms. */
  readonly processCpuMs: readonly number[];
}


/**
 * One contender's connection for one query: the first `run()` is the warm-up (unframed),
 * later ones are framed and repeated while their frame is busy and patience lasts.
 */
export class FramedSession extends QuerySession {
  private readonly framePct: number[] = [];
  private repeated = 0;
  private readonly cpuMs: number[][] = [];

  /** `processes`: the server's processes whose CPU time each kept run reports. */
  constructor(url: string, text: string, timeoutMs: number, private readonly patience: Patience,
    private readonly processes: readonly number[] = [], setup?: string) {
    super(url, text, timeoutMs, setup);
  }

  protected override async measured(): Promise<void> {
    let best: { ms: number; busy: number; cpu: number[] } | undefined;
    for (let attempt = 1; attempt <= attemptsMax; attempt++) {
      const before = await this.quietWindow();
      const cpu0 = this.processes.map(processCpuMs);
      const { ms } = await runOnce(this.sql, this.text, this.timeoutMs);
      const cpu = this.processes.map((pid, i) => (processCpuMs(pid) ?? 0) - (cpu0[i] ?? 0));
      const after = await this.measuredWindow();
      const busy = Math.max(before ?? 0, after ?? 0);
      if (best === undefined || busy < best.busy) best = { ms, busy, cpu };
      if (busy <= quietShare || this.patience.left === 0 || attempt === attemptsMax) break;
      this.repeated++;
    }
    this.runsMs.push(best!.ms);
    this.framePct.push(Math.round(best!.busy * 1000) / 10);
    this.cpuMs.push(best!.cpu);
  }

  override result(): FramedQuery {
    return {
      ...super.result(), frameBusyPct: [...this.framePct], repeated: this.repeated,
      processCpuMs: this.processes.map((_, i) => median(this.cpuMs.map((run) => run[i] ?? 0))),
    };
  }

  /** Waits for a quiet window while patience lasts; the last window's busy share. */
  private async quietWindow(): Promise<number | undefined> {
    for (;;) {
      const share = await this.measuredWindow();
      if (share === undefined || share <= quietShare || this.patience.left === 0) return share;
    }
  }

  /** One sample window; a busy one's time counts against patience. */
  private async measuredWindow(): Promise<number | undefined> {
    const start = performance.now();
    const share = await busyShare(windowMs);
    if (share !== undefined && share > quietShare) this.patience.spend(performance.now() - start);
    return share;
  }
}
