/**
 * Background rebalances (Citus 11.1's citus_rebalance_start and its job catalogs): a job is
 * the plan's moves as tasks, run one after another in the coordinator process after the
 * call returns its job id; citus_rebalance_status shows the latest rebalance job,
 * citus_rebalance_wait waits for it, citus_rebalance_stop cancels the moves not started.
 *
 * Jobs live in the coordinator's memory (pg_dist_background_job / pg_dist_background_task
 * read them): a restart forgets them, where Citus keeps them in tables and resumes them.
 */
import { SqlError, SqlState } from "@tessera/base";
import { addSystemRelation, type Engine } from "@tessera/engine";
import { TypeOid, parseJsonb, type Row, type Value } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import type { PlannedMove } from "./rebalancer.js";
import { transferShards, type TransferMode } from "./shard-transfer.js";

export type JobState = "scheduled" | "running" | "finished" | "cancelling" | "cancelled" |
  "failing" | "failed";
type TaskState = "blocked" | "runnable" | "running" | "done" | "error" | "cancelled";

interface Task {
  readonly taskId: number;
  readonly command: string;
  readonly move: PlannedMove;
  state: TaskState;
  message: string;
}

interface Job {
  readonly jobId: number;
  state: JobState;
  readonly description: string;
  readonly startedAt: bigint;
  finishedAt: bigint | null;
  readonly tasks: Task[];
  done: Promise<void>;
}

const jobs: Job[] = [];
let nextJobId = 1;
let nextTaskId = 1;

/** Microseconds since 2000-01-01, the engine's timestamptz. */
function now(): bigint {
  return BigInt(Date.now() - 946_684_800_000) * 1000n;
}

const terminal = new Set<JobState>(["finished", "cancelled", "failed"]);

/** The rebalance job still running, if any. */
export function runningJob(): Job | undefined {
  return jobs.find((job) => !terminal.has(job.state));
}

/** Schedules `moves` as a job and starts it; returns the job id. */
export function startJob(cluster: Cluster, moves: readonly PlannedMove[],
  mode: TransferMode): number {
  const job: Job = {
    jobId: nextJobId++, state: "scheduled", description: "Rebalance all colocation groups",
    startedAt: now(), finishedAt: null, done: Promise.resolve(),
    tasks: moves.map((move): Task => ({ taskId: nextTaskId++, move, state: "runnable",
      message: "", command: `SELECT pg_catalog.citus_move_shard_placement(${move.shardId},` +
        `${move.source.nodeid},${move.target.nodeid},'${mode}')` })),
  };
  jobs.push(job);
  job.done = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => runJob(cluster, job, mode));
  return job.jobId;
}

async function runJob(cluster: Cluster, job: Job, mode: TransferMode): Promise<void> {
  job.state = "running";
  for (const task of job.tasks) {
    if (stateOf(job) === "cancelling") {
      task.state = "cancelled";
      continue;
    }
    task.state = "running";
    try {
      await transferShards(cluster, { kind: "move", shardId: task.move.shardId, mode,
        source: { host: task.move.source.nodename, port: task.move.source.nodeport },
        target: { host: task.move.target.nodename, port: task.move.target.nodeport } },
      { warning: () => undefined });
      task.state = "done";
    } catch (error) {
      task.state = "error";
      task.message = error instanceof Error ? error.message : String(error);
      job.state = "failing";
      break;
    }
  }
  for (const task of job.tasks) if (task.state === "runnable") task.state = "cancelled";
  const state = stateOf(job);
  job.state = state === "failing" ? "failed" : state === "cancelling" ? "cancelled" : "finished";
  job.finishedAt = now();
}

/** The job's state now: citus_rebalance_stop changes it while the job awaits a move. */
function stateOf(job: Job): JobState {
  return job.state;
}

/** citus_rebalance_wait: waits for the running job; false when there is none. */
export async function waitForJob(): Promise<boolean> {
  const job = runningJob();
  if (job === undefined) return false;
  await job.done;
  return true;
}

/** citus_rebalance_stop: lets the running move end and cancels the rest. */
export async function stopJob(): Promise<void> {
  const job = runningJob();
  if (job === undefined) {
    throw new SqlError(SqlState.internalError, "no ongoing rebalance that can be stopped");
  }
  job.state = "cancelling";
  await job.done;
}

/** citus_rebalance_status(): the latest rebalance job, Citus's columns. */
export function jobStatus(): Value[][] {
  const job = jobs.at(-1);
  if (job === undefined) return [];
  const counts: Record<string, number> = {};
  for (const task of job.tasks) counts[task.state] = (counts[task.state] ?? 0) + 1;
  const running = job.tasks.filter((t) => t.state === "running" || t.state === "error")
    .map((t) => ({ state: t.state, command: t.command, message: t.message, retried: 0,
      task_id: t.taskId }));
  const details = { task_state_counts: counts, tasks: running };
  return [[BigInt(job.jobId), job.state, "rebalance", job.description, job.startedAt,
    job.finishedAt, parseJsonb(JSON.stringify(details))]];
}

/** pg_dist_background_job and pg_dist_background_task, over the jobs above. */
export function addBackgroundJobCatalogs(engine: Engine): void {
  const T = TypeOid;
  addSystemRelation(engine.catalog, {
    oid: 15_021, schema: "pg_catalog", name: "pg_dist_background_job",
    columns: [["job_id", T.int8], ["state", T.text], ["job_type", T.name],
      ["description", T.text], ["started_at", T.timestamptz], ["finished_at", T.timestamptz]],
    rows: () => jobs.map((job): Row => [BigInt(job.jobId), job.state, "rebalance",
      job.description, job.startedAt, job.finishedAt]),
  });
  addSystemRelation(engine.catalog, {
    oid: 15_022, schema: "pg_catalog", name: "pg_dist_background_task",
    columns: [["job_id", T.int8], ["task_id", T.int8], ["status", T.text],
      ["command", T.text], ["retry_count", T.int4], ["message", T.text]],
    rows: () => jobs.flatMap((job) => job.tasks.map((task): Row => [BigInt(job.jobId),
      BigInt(task.taskId), task.state, task.command, null, task.message])),
  });
}
