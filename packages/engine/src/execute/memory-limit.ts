/**
 * The per-process memory limit (a daemon setting, `--memory-limit`): places that hold rows
 * (table inserts, COPY, sorts, hash tables, aggregates) call `checkMemory` per row; every
 * `checkEveryRows` calls it reads the V8 heap, and past the limit the statement fails with
 * 53200 out of memory, as Postgres's palloc does, while the process keeps serving. Before it
 * fails it collects garbage once, so dead rows of an earlier statement do not count.
 *
 * The limit is kept below V8's own heap limit, so V8 never aborts the process first.
 */
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { SqlError, SqlState, limits } from "@tessera/base";

const checkEveryRows = 1024;
/** Of V8's heap limit, the share we let statements use; the rest is V8's working room. */
const heapShareMax = 0.8;

let limitBytes = effectiveLimit(limits.memoryBytesMaxDefault);
let countdown = checkEveryRows;
let collect: (() => void) | undefined;

/** Sets the limit in bytes; returns the limit enforced (at most 80% of V8's heap limit). */
export function setMemoryLimit(bytes: number): number {
  limitBytes = effectiveLimit(bytes);
  return limitBytes;
}

export function memoryLimit(): number {
  return limitBytes;
}

function effectiveLimit(bytes: number): number {
  return Math.min(bytes, Math.floor(getHeapStatistics().heap_size_limit * heapShareMax));
}

/** Counts one row (or `weight` rows); every few thousand, checks the heap against the limit. */
export function checkMemory(weight = 1): void {
  countdown -= weight;
  if (countdown > 0) return;
  countdown = checkEveryRows;
  if (heapUsed() <= limitBytes) return;
  collectGarbage();
  const used = heapUsed();
  if (used <= limitBytes) return;
  throw new SqlError(SqlState.outOfMemory, "out of memory", {
    detail: `Failed on request of size ${checkEveryRows} rows: ${used} bytes in use, ` +
      `limit ${limitBytes} bytes.`,
  });
}

function heapUsed(): number {
  return getHeapStatistics().used_heap_size;
}

/** A full collection through V8's gc(), exposed on first use. */
function collectGarbage(): void {
  if (collect === undefined) {
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  collect();
}
