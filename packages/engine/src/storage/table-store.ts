/**
 * One table's rows: an append-only array of row versions, each with the write stamp that
 * created it (`xmin`) and the one that deleted it (`xmax`, 0 while live). A stamp is the
 * writing transaction's xid plus the statement's command id (`txn/stamp.ts`). An UPDATE marks
 * the old version deleted and appends a new one; nothing is overwritten in place, so a scan
 * that runs while the same statement writes never sees its own new versions twice.
 *
 * Visibility is Postgres's MVCC rule (`sees`): a version is visible when its creator
 * committed before the snapshot (or is the reader's own transaction, at an earlier command)
 * and its deleter did not. Undoing a statement or transaction (`UndoLog`) clears the `xmin`
 * of its inserts (0 means "never happened") and the `xmax` of its deletes, so an aborted
 * transaction leaves nothing to judge. Dead versions stay until `vacuum` compacts the array.
 * An UPDATE that keeps every index key chains the new version to the old one instead of
 * giving it index entries (`version-chains.ts`).
 */
import { assert, type Xid } from "@tessera/base";
import type { Row } from "@tessera/sql";
import { cidOfStamp, frozenXid, stampOf, xidOfStamp } from "../txn/stamp.js";

export interface RowVersion {
  /** The row; emptied when vacuum reclaims a dead version in place (`TableStore.reclaim`). */
  values: Row;
  /**
   * Position in `TableStore.versions` (Postgres's ctid): UPDATE and DELETE find the version a
   * scan produced through it without searching. Renumbered only by `vacuum`.
   */
  slot: number;
  /**
   * The version's number in its table, in insertion order, never reused (vacuum keeps it):
   * what the system column ctid shows (`analyze/system-columns.ts`). `TableStore.insert`
   * always sets it; versions made elsewhere (test fixtures) may leave it out: their slot.
   */
  readonly ordinal?: number;
  /** The write stamp that created this version; 0 when its statement was undone. */
  xmin: number;
  /** The write stamp that deleted it; 0 while live. */
  xmax: number;
  /**
   * The version this one replaced when an UPDATE kept every index key: it has no index
   * entries of its own, and its row's entries reach it first (`version-chains.ts`).
   */
  prior?: RowVersion | undefined;
}

/** Which versions a statement sees: Postgres's SnapshotData, plus the reader's own ids. */
export interface Snapshot {
  /** Xids from this one on had not started when the snapshot was taken: invisible. */
  readonly xmax: number;
  /** Xids running when the snapshot was taken: invisible too. */
  readonly inProgress: ReadonlySet<number>;
  /** The reader's own xid, 0 when it has none; its own writes are judged by command id. */
  readonly xid: number;
  /** The reader's command id: its own writes of earlier commands are visible, not this one's. */
  readonly cid: number;
}

/** True when the write with `stamp` had happened for `snapshot`. */
export function stampVisible(stamp: number, snapshot: Snapshot): boolean {
  const xid = xidOfStamp(stamp);
  if (xid === snapshot.xid) return cidOfStamp(stamp) < snapshot.cid;
  return xid < snapshot.xmax && !snapshot.inProgress.has(xid);
}

/** True when `version` is visible in `snapshot`. */
export function sees(snapshot: Snapshot, version: RowVersion): boolean {
  const { xmin, xmax } = version;
  if (xmin === 0 || !stampVisible(xmin, snapshot)) return false;
  return xmax === 0 || !stampVisible(xmax, snapshot);
}

/**
 * The write stamps below which every write had happened for `snapshot`: stamps of xids older
 * than its oldest running xid, its xmax and its own xid. For scans over many versions with one
 * snapshot (`seesAbove`), where most stamps are old: they are judged without the set lookup.
 */
export function stampFloor(snapshot: Snapshot): number {
  let xid = snapshot.xmax;
  for (const running of snapshot.inProgress) if (running < xid) xid = running;
  if (snapshot.xid !== 0 && snapshot.xid < xid) xid = snapshot.xid;
  return stampOf(Math.max(xid, frozenXid) as Xid, 0);
}

/** `sees(snapshot, version)`, with `floor` from `stampFloor(snapshot)`. */
export function seesAbove(snapshot: Snapshot, floor: number, version: RowVersion): boolean {
  const { xmin, xmax } = version;
  if (xmin === 0 || (xmin >= floor && !stampVisible(xmin, snapshot))) return false;
  return xmax === 0 || (xmax >= floor && !stampVisible(xmax, snapshot));
}

/** True for versions no write has deleted or undone: what unique checks must consider. */
export function isLive(version: RowVersion): boolean {
  return version.xmin !== 0 && version.xmax === 0;
}

export class TableStore {
  versions: RowVersion[] = [];
  /** Live row count, kept for the planner's estimates. */
  liveCount = 0;
  /** Dead versions `reclaim` emptied in place, still holding their slots until `vacuum`. */
  reclaimed = 0;
  /** The ordinal the next inserted version gets. */
  private ordinalNext = 0;

  /** Appends a new version written by `writeId` (a write stamp). */
  insert(values: Row, writeId: number): RowVersion {
    assert(writeId > 0, "a write id is positive");
    const version: RowVersion = { values, slot: this.versions.length,
      ordinal: this.ordinalNext++, xmin: writeId, xmax: 0, prior: undefined };
    this.versions.push(version);
    this.liveCount++;
    return version;
  }

  /** Returns the version at `slot` (a row id a scan produced), asserting it exists. */
  at(slot: number): RowVersion {
    const version = this.versions[slot];
    assert(version !== undefined, "a row id names a stored version");
    assert(version.slot === slot, "row ids match positions");
    return version;
  }

  /** Marks `version` deleted by `writeId`. */
  delete(version: RowVersion, writeId: number): void {
    assert(version.xmax === 0, "a version is deleted once");
    assert(writeId > 0, "a write id is positive");
    version.xmax = writeId;
    this.liveCount--;
  }

  /** Drops every version (TRUNCATE). */
  clear(): RowVersion[] {
    const old = this.versions;
    this.versions = [];
    this.liveCount = 0;
    this.reclaimed = 0;
    return old;
  }

  /**
   * Removes versions no snapshot can see any more (`isDead` under `horizon`) and renumbers the
   * rest; returns how many it dropped. Only while no statement runs: scans hold row ids.
   */
  vacuum(horizon: number): number {
    const before = this.versions.length;
    this.versions = this.versions.filter((v) => !isDead(v, horizon));
    this.versions.forEach((v, i) => { v.slot = i; });
    this.reclaimed = 0;
    return before - this.versions.length;
  }

  /**
   * Vacuum while statements run, over `count` slots from `from`: empties the versions no
   * snapshot can see (`isDead` under `horizon`) in place, so their rows are freed, without
   * renumbering any slot a running statement may hold. A reclaimed version keeps its slot,
   * undone (`xmin` 0) and marked by `xmax` -1, until `vacuum` compacts the array. Returns the
   * slot to go on from (0 when the pass reached the end) and how many versions it emptied.
   */
  reclaim(horizon: number, from: number, count: number): { next: number; emptied: number } {
    const versions = this.versions;
    const end = Math.min(versions.length, from + count);
    let emptied = 0;
    for (let i = from; i < end; i++) {
      const v = versions[i]!;
      if (v.xmax !== reclaimedMark && isDead(v, horizon)) {
        v.xmin = 0;
        v.xmax = reclaimedMark;
        v.values = [];
        emptied++;
      }
    }
    this.reclaimed += emptied;
    return { next: end >= versions.length ? 0 : end, emptied };
  }
}

/** The `xmax` of a version `reclaim` emptied. */
const reclaimedMark = -1;

/**
 * True when no snapshot can see `version`: its insert was undone, or its delete was made by a
 * transaction older than `horizon`, the oldest xid any snapshot still judges (which has
 * therefore committed: an abort's undo clears the xmax).
 */
export function isDead(version: RowVersion, horizon: number): boolean {
  // A reclaimed version (xmax -1) has xmin 0: dead by the first test.
  return version.xmin === 0 || (version.xmax !== 0 && xidOfStamp(version.xmax) < horizon);
}
