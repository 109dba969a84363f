/**
 * One table's rows: an append-only array of row versions, each with the write that created it
 * (`xmin`) and the write that deleted it (`xmax`, 0 while live). An UPDATE marks the old
 * version deleted and appends a new one; nothing is overwritten in place, so a scan that runs
 * while the same statement writes never sees its own new versions twice.
 *
 * Visibility is a function a scan receives (`Snapshot.sees`); today every version written by
 * an earlier statement and not deleted is visible. Undoing a failed statement (`UndoLog`)
 * clears the `xmin` of its inserts (0 means "never happened") and the `xmax` of its deletes.
 * Dead versions stay until `vacuum` compacts the array.
 */
import { assert } from "@tessera/base";
import type { Row } from "@tessera/sql";

export interface RowVersion {
  readonly values: Row;
  /**
   * Position in `TableStore.versions` (Postgres's ctid): UPDATE and DELETE find the version a
   * scan produced through it without searching. Renumbered only by `vacuum`.
   */
  slot: number;
  /** The write id that created this version; 0 when its statement was undone. */
  xmin: number;
  /** The write id that deleted it; 0 while live. */
  xmax: number;
}

/** Which versions a statement sees. */
export interface Snapshot {
  /** Writes with ids up to this one are visible. */
  readonly upTo: number;
}

/** True when `version` is visible in `snapshot`. */
export function sees(snapshot: Snapshot, version: RowVersion): boolean {
  const { xmin, xmax } = version;
  return xmin !== 0 && xmin <= snapshot.upTo && (xmax === 0 || xmax > snapshot.upTo);
}

/** True for versions no write has deleted or undone: what unique checks must consider. */
export function isLive(version: RowVersion): boolean {
  return version.xmin !== 0 && version.xmax === 0;
}

export class TableStore {
  versions: RowVersion[] = [];
  /** Live row count, kept for the planner's estimates. */
  liveCount = 0;

  /** Appends a new version written by `writeId`. */
  insert(values: Row, writeId: number): RowVersion {
    assert(writeId > 0, "a write id is positive");
    const version: RowVersion = { values, slot: this.versions.length, xmin: writeId, xmax: 0 };
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
    return old;
  }

  /** Removes versions no snapshot can see any more. */
  vacuum(): void {
    this.versions = this.versions.filter((v) => v.xmin !== 0 && v.xmax === 0);
    this.versions.forEach((v, i) => { v.slot = i; });
    this.liveCount = this.versions.length;
  }
}
