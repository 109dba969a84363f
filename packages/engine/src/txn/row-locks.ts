/**
 * Row locks: SELECT … FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE, and the locks UPDATE and
 * DELETE take on the rows they change (Postgres's tuple lock modes, heapam.c's
 * tupleLockExtraInfo). A lock is a locker (xid + mode) recorded on the row version in a side
 * table, not in xmax: visibility never reads it. A locker counts while its transaction runs
 * (a prepared transaction still runs), so commit and abort release every lock at once without
 * touching the table; a statement that fails or restarts drops the locks it took (undo).
 *
 *                  KEY SHARE   SHARE   NO KEY UPDATE   UPDATE
 *   KEY SHARE                                             x
 *   SHARE                               x                 x
 *   NO KEY UPDATE              x        x                 x
 *   UPDATE          x          x        x                 x
 */
import { assert, type Xid } from "@tessera/base";
import type { RowVersion } from "../storage/table-store.js";

export type RowLockMode = "keyShare" | "share" | "noKeyUpdate" | "update";
/** What a locking read does with a row another transaction holds. */
export type LockWait = "block" | "nowait" | "skip";

export interface RowLocker {
  readonly xid: Xid;
  readonly mode: RowLockMode;
}

const strength: Record<RowLockMode, number> = { keyShare: 0, share: 1, noKeyUpdate: 2, update: 3 };

/** True when a lock in `held` mode keeps `wanted` from being granted (the table above). */
export function lockModesConflict(held: RowLockMode, wanted: RowLockMode): boolean {
  const a = strength[held];
  const b = strength[wanted];
  return a + b >= 3;
}

/** True when holding `held` already gives what `wanted` asks for. */
export function lockCovers(held: RowLockMode, wanted: RowLockMode): boolean {
  return strength[held] >= strength[wanted];
}

export class RowLocks {
  private readonly lockers = new WeakMap<RowVersion, RowLocker[]>();

  /** The running lockers of `version` (`running` says which xids still run). */
  holders(version: RowVersion, running: (xid: Xid) => boolean): readonly RowLocker[] {
    const list = this.lockers.get(version);
    if (list === undefined) return [];
    const live = list.filter((l) => running(l.xid));
    if (live.length !== list.length) {
      if (live.length === 0) this.lockers.delete(version);
      else this.lockers.set(version, live);
    }
    return live;
  }

  /** Records `xid`'s lock on `version`; returns the undo that drops it again. */
  add(version: RowVersion, xid: Xid, mode: RowLockMode): () => void {
    assert(xid > 0, "row lockers have xids");
    const locker: RowLocker = { xid, mode };
    const list = this.lockers.get(version);
    if (list === undefined) this.lockers.set(version, [locker]);
    else list.push(locker);
    return () => {
      const now = this.lockers.get(version);
      const at = now?.indexOf(locker) ?? -1;
      if (at >= 0) now!.splice(at, 1);
    };
  }
}
