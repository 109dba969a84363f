/**
 * Fault-injection points for crash tests of two-phase commit. They are off unless the
 * coordinator process starts with the environment variable `TESSERA_FAULT_INJECTION`, read
 * once when this module loads (never per statement, so a running coordinator cannot be
 * switched into a faulty one). The value is a comma-separated list of
 * `<area>:<point>:<action>`:
 *
 *   2pc:after-prepare:crash      every node answered PREPARE TRANSACTION, no decision yet
 *   2pc:after-decision:crash     the pg_dist_transaction rows are on disk, no COMMIT PREPARED
 *   2pc:after-decision:sleep=3000   wait 3 s there (a test kills a worker meanwhile)
 *
 * `crash` is a real crash: the process sends itself SIGKILL, so nothing after the point runs,
 * no handler flushes anything and the operating system closes every socket, exactly as
 * `kill -9` from outside would. Recovery after a restart is what the tests then check.
 */
import { SqlError, SqlState } from "@tessera/base";

/** The places in the commit protocol where a fault can be injected. */
export type FaultPoint = "2pc:after-prepare" | "2pc:after-decision";

type FaultAction = { readonly kind: "crash" } | { readonly kind: "sleep"; readonly ms: number };

const points: readonly FaultPoint[] = ["2pc:after-prepare", "2pc:after-decision"];
/** A sleep longer than this is a typo, not a test. */
const sleepMsMax = 60_000;

const faults: ReadonlyMap<FaultPoint, FaultAction> =
  parseFaults(process.env["TESSERA_FAULT_INJECTION"] ?? "");

/** Runs the fault configured at `point`, if any: crashes the process or waits. */
export async function injectFault(point: FaultPoint): Promise<void> {
  const action = faults.get(point);
  if (action === undefined) return;
  if (action.kind === "crash") {
    process.stderr.write(`fault injection: ${point}: crashing with SIGKILL\n`);
    process.kill(process.pid, "SIGKILL");
    // SIGKILL is not delivered synchronously everywhere; nothing may run after the point.
    await new Promise<never>(() => undefined);
  }
  if (action.kind === "sleep") await new Promise((done) => setTimeout(done, action.ms));
}

/** Parses the variable's value; a malformed one stops the start-up with its reason. */
export function parseFaults(text: string): Map<FaultPoint, FaultAction> {
  const faults = new Map<FaultPoint, FaultAction>();
  for (const item of text.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const parts = item.split(":");
    const point = `${parts[0] ?? ""}:${parts[1] ?? ""}`;
    const action = parseAction(parts.slice(2).join(":"));
    if (!isFaultPoint(point) || action === undefined) {
      throw new SqlError(SqlState.invalidParameterValue,
        `invalid TESSERA_FAULT_INJECTION entry "${item}"`,
        { hint: `Use <point>:crash or <point>:sleep=<ms> with a point of ${points.join(", ")}.` });
    }
    faults.set(point, action);
  }
  return faults;
}

function parseAction(text: string): FaultAction | undefined {
  if (text === "crash") return { kind: "crash" };
  const sleep = /^sleep=(\d+)$/.exec(text);
  const ms = Number(sleep?.[1] ?? NaN);
  return Number.isInteger(ms) && ms <= sleepMsMax ? { kind: "sleep", ms } : undefined;
}

function isFaultPoint(text: string): text is FaultPoint {
  return (points as readonly string[]).includes(text);
}
