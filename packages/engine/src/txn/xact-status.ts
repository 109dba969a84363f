/**
 * The fate of ended transactions, for txid_status() and pg_xact_status(): Postgres reads its
 * commit log (pg_xact); we keep a bitmap of the aborted xids among those that ended in this
 * process, a bit per xid in chunks of 2^16 made on first use. Aborts are the rare case, so
 * the map stays small; an xid not marked is committed.
 *
 * Only xids from the first one that ended here on are known: older ones (before a restart,
 * or recovery's) are "too old", as Postgres answers NULL for xids its commit log no longer
 * holds.
 */
import { assert } from "@tessera/base";

const chunkBits = 16;
const chunkSpan = 2 ** chunkBits;

export class XactStatusLog {
  private readonly abortedChunks = new Map<number, Uint8Array>();
  /** The lowest xid whose end was recorded here; Infinity until one is. */
  private floor = Infinity;

  /** Records that `xid` ended as `state`. */
  ended(xid: number, state: "committed" | "aborted"): void {
    assert(Number.isSafeInteger(xid) && xid > 0, "ended xids are positive");
    if (xid < this.floor) this.floor = xid;
    if (state === "committed") return;
    const key = Math.floor(xid / chunkSpan);
    let chunk = this.abortedChunks.get(key);
    if (chunk === undefined) this.abortedChunks.set(key, chunk = new Uint8Array(chunkSpan / 8));
    const bit = xid % chunkSpan;
    chunk[bit >> 3]! |= 1 << (bit & 7);
  }

  /** The fate of an ended `xid`: undefined when it ended before this log began. */
  statusOf(xid: number): "committed" | "aborted" | undefined {
    if (xid < this.floor) return undefined;
    const chunk = this.abortedChunks.get(Math.floor(xid / chunkSpan));
    const bit = xid % chunkSpan;
    const aborted = chunk !== undefined && (chunk[bit >> 3]! & (1 << (bit & 7))) !== 0;
    return aborted ? "aborted" : "committed";
  }
}
