/**
 * Two-phase commit recovery in the background, as Citus's maintenance daemon runs it
 * (`utils/maintenanced.c`): once when the coordinator starts, then every
 * `citus.recover_2pc_interval`.
 *
 * The interval is a server-wide value (a sighup setting in Citus, not a per-session one):
 * it comes from the environment variable `TESSERA_RECOVER_2PC_INTERVAL` when the
 * coordinator starts, in Postgres's units ("1min" by default, "10s", "500ms", a bare number
 * of milliseconds, or -1 or 0 to turn background recovery off, start-up pass included;
 * recover_prepared_transactions() still works then).
 *
 * The start-up pass retries every few seconds until it reached every node (in
 * `tessera cluster` the workers start after the coordinator), a bounded number of times;
 * after that only the regular interval runs. Passes never overlap (`recover.ts`).
 *
 * The same daemon checks for distributed deadlocks (`operations/distributed-deadlocks.ts`)
 * every citus.distributed_deadlock_detection_factor × deadlock_timeout: the factor comes
 * from `TESSERA_DISTRIBUTED_DEADLOCK_DETECTION_FACTOR` (Citus's default 2; -1 turns it off;
 * otherwise at least 1, as Citus requires), deadlock_timeout is Postgres's default 1 s.
 * Checks never overlap, and one with fewer than two open transaction blocks costs nothing.
 */
import { SqlError, SqlState, type Logger } from "@tessera/base";
import type { Cluster } from "../cluster.js";
import type { DistTransactionLog } from "../metadata/dist-transaction-log.js";
import { checkDistributedDeadlocks } from "../operations/distributed-deadlocks.js";
import { recoverPreparedTransactions, type RecoveryOutput } from "./recover.js";

/** Citus's default citus.recover_2pc_interval: one minute. */
export const recoverIntervalMsDefault = 60_000;
/** How often the start-up pass is retried while a node cannot be reached. */
const startRetryMs = 2_000;
/** Start-up attempts before the regular interval takes over. */
const startAttemptsMax = 30;

/** Postgres's default deadlock_timeout, the unit of the deadlock detection factor. */
const deadlockTimeoutMs = 1_000;

export interface RecoveryDaemon {
  readonly intervalMs: number;
  /** The period of distributed deadlock checks; -1 when they are off. */
  readonly deadlockCheckMs: number;
  stop(): void;
}

/** Starts background recovery, unless the interval is -1 or 0 (off). */
export function startRecoveryDaemon(cluster: Cluster, log: DistTransactionLog,
  logger: Logger, intervalMs: number): RecoveryDaemon {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // Nodes still starting are expected during the start-up retries: not worth a warning yet.
  let quiet = false;
  const output: RecoveryOutput = {
    warn: (message) => (quiet ? logger.info(message) : logger.warn(message)),
    log: (message) => logger.info(message),
  };
  const schedule = (delayMs: number, attempt: number): void => {
    if (stopped) return;
    timer = setTimeout(() => void pass(attempt), delayMs);
    timer.unref();
  };
  // Runs one pass; `attempt` counts start-up passes, 0 once the start-up pass succeeded.
  const pass = async (attempt: number): Promise<void> => {
    let complete = false;
    quiet = attempt > 0 && attempt < startAttemptsMax;
    try {
      const result = await recoverPreparedTransactions(cluster, log, output);
      complete = result.unreachable === 0;
      if (result.recovered > 0) {
        logger.info(`maintenance daemon recovered ${result.recovered} distributed transactions`);
      }
    } catch (error) {
      logger.warn(`transaction recovery failed: ${error instanceof Error ? error.message
        : String(error)}`);
    }
    const starting = attempt > 0 && !complete && attempt < startAttemptsMax;
    schedule(starting ? startRetryMs : intervalMs, starting ? attempt + 1 : 0);
  };
  if (intervalMs > 0) schedule(0, 1);
  const deadlockCheckMs = deadlockCheckMsFromEnvironment();
  const stopDeadlocks = deadlockCheckMs > 0
    ? startDeadlockDetection(cluster, logger, deadlockCheckMs) : () => undefined;
  return {
    intervalMs,
    deadlockCheckMs,
    stop: () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      stopDeadlocks();
    },
  };
}

/** Checks for distributed deadlocks every `periodMs`; returns the function that stops it. */
function startDeadlockDetection(cluster: Cluster, logger: Logger,
  periodMs: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void check(), periodMs);
    timer.unref();
  };
  const check = async (): Promise<void> => {
    try {
      await checkDistributedDeadlocks(cluster, logger);
    } catch (error) {
      logger.warn(`distributed deadlock detection failed: ${error instanceof Error
        ? error.message : String(error)}`);
    }
    schedule();
  };
  schedule();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}

/**
 * citus.distributed_deadlock_detection_factor from the environment, as the period of the
 * checks in milliseconds (-1: off). A bad value fails the coordinator's start.
 */
function deadlockCheckMsFromEnvironment(): number {
  const text = process.env["TESSERA_DISTRIBUTED_DEADLOCK_DETECTION_FACTOR"];
  if (text === undefined || text === "") return 2 * deadlockTimeoutMs;
  const factor = parseDeadlockFactor(text);
  if (factor === undefined) {
    throw new SqlError(SqlState.invalidParameterValue,
      `invalid value for parameter "citus.distributed_deadlock_detection_factor": "${text}"`,
      { hint: "Use -1 to turn distributed deadlock detection off, else a value from 1 " +
        "to 1000." });
  }
  return factor === -1 ? -1 : Math.round(factor * deadlockTimeoutMs);
}

/**
 * Parses a citus.distributed_deadlock_detection_factor value: a real number, -1 (off) or
 * from 1 to 1000 (Citus refuses factors below 1 other than -1). Undefined when invalid.
 */
export function parseDeadlockFactor(text: string): number | undefined {
  if (!/^\s*-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(text)) return undefined;
  const factor = Number(text);
  if (factor === -1) return -1;
  return factor >= 1 && factor <= 1000 ? factor : undefined;
}

/**
 * Parses a citus.recover_2pc_interval value as Postgres parses an integer setting in
 * milliseconds: "60000", "10s", "1min", "2h", or -1 (off). Returns undefined when invalid.
 */
export function parseIntervalMs(text: string): number | undefined {
  const match = /^\s*(-?\d+)\s*(ms|s|min|h|d)?\s*$/.exec(text);
  if (match === null) return undefined;
  const value = Number(match[1]);
  const unit = { ms: 1, s: 1_000, min: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? "ms"];
  if (value === -1 && match[2] === undefined) return -1;
  if (value < 0 || unit === undefined) return undefined;
  const ms = value * unit;
  // Node timers hold at most 2^31 - 1 ms; Postgres's int settings stop at the same value.
  return Number.isSafeInteger(ms) && ms <= 2_147_483_647 ? ms : undefined;
}
