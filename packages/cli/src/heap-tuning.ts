/**
 * V8 heap settings for the daemons. A database keeps its rows in the JavaScript heap, which is
 * not the heap V8's defaults are tuned for: a few long bulk loads whose objects all live, then
 * a steady stream of statements whose objects all die young.
 *
 * - A larger young generation (`youngGenerationFlag`, a start-up flag: `tessera cluster`, the
 *   test harness and the Dockerfile pass it) lets most per-row values of COPY and scans die
 *   there: about 15% less CPU on a COPY of the bench's events.
 * - No allocation-site pretenuring (`tuneHeap`, set when a daemon starts). While a bulk load
 *   runs, nearly every young object survives, and V8 then marks every object and array literal
 *   site it is sampling as "tenure": from then on those sites allocate straight into the old
 *   generation. Among them are the literals of the statement path (the cursor, the statement's
 *   context, the transaction handle), so after one big load every later statement's garbage
 *   lands in the old generation: it grows by tens of MB a second under pgbench -S, and its
 *   objects make each scavenge several times slower. Measured on one worker after a 1M-row
 *   INSERT … SELECT and `pgbench -i -s 10` (/tmp/gcx.sh, `pgbench -S -M prepared -c 8`):
 *   23–33k tps with pretenuring, 37–43k without, the load itself costing about the same CPU
 *   (/tmp/loadab.sh). The price: a GROUP BY over a million rows makes more young objects
 *   survive and be copied, about 10 % more time for the bench's outliers aggregate on a
 *   cluster (/tmp/aggexp.mjs: 1 worker 930–1,070 ms against 830–890, 2 workers 510–730 ms
 *   against 460–560). A throughput that drops by a third for good after one INSERT … SELECT
 *   is the worse of the two.
 */
import { setFlagsFromString } from "node:v8";

/** The young generation's semi-space size in MiB, as a `node` start-up flag. */
export const youngGenerationFlag = "--max-semi-space-size=32";

/** Applies the settings V8 takes at run time; call before the daemon allocates its data. */
export function tuneHeap(): void {
  setFlagsFromString("--no-allocation-site-pretenuring");
}
