/**
 * The undo log: every write a statement makes is recorded here, in order. A failing
 * statement replays its log backwards so that it changes nothing; a finished statement's log
 * joins its transaction's (`absorb`), so ROLLBACK undoes the whole transaction and
 * ROLLBACK TO SAVEPOINT undoes back to a mark (`rollbackTo`). Catalog changes (DDL) record
 * `custom` entries that restore what they changed.
 *
 * The same entries, read forwards, are the transaction's redo: `storage/redo.ts` turns a
 * finished statement's inserts and deletes into WAL operations.
 */
import { assert } from "@tessera/base";
import type { RowVersion, TableStore } from "./table-store.js";
import type { BTree, IndexEntry } from "./btree.js";
import { unchainVersion } from "./version-chains.js";
import type { Value } from "@tessera/sql";

export type UndoEntry =
  | { readonly kind: "insert"; readonly store: TableStore; readonly version: RowVersion;
      readonly indexes: readonly { readonly tree: BTree; readonly key: readonly Value[] }[];
      /** The entries an update pointed at `version`, the head of their chain now. */
      readonly chained?: readonly IndexEntry[] }
  | { readonly kind: "delete"; readonly store: TableStore; readonly version: RowVersion }
  /** Many inserts undone at once (COPY); `versions` are what the redo log needs. */
  | { readonly kind: "insertMany"; readonly store: TableStore;
      readonly versions: readonly RowVersion[]; readonly undo: () => void }
  | { readonly kind: "custom"; readonly undo: () => void }
  /**
   * A utility statement a PL/pgSQL function ran (CREATE TABLE in a DO block): nothing to undo
   * itself (its own `custom` entries restore the catalog), but the redo log replays it here,
   * between the rows written before and after it (`storage/redo.ts`).
   */
  | { readonly kind: "utility"; readonly stmt: import("@tessera/sql").ast.Node;
      readonly oidBefore: number; readonly searchPath: string; readonly user: string };

export class UndoLog {
  private readonly list: UndoEntry[] = [];

  record(entry: UndoEntry): void {
    this.list.push(entry);
  }

  /** The number of entries: a mark for `rollbackTo`. */
  get length(): number {
    return this.list.length;
  }

  /** The entries in the order they were recorded. */
  get entries(): readonly UndoEntry[] {
    return this.list;
  }

  /** Reverts every recorded write, newest first. */
  rollback(): void {
    this.rollbackTo(0);
  }

  /** Reverts the writes recorded after `mark` (an earlier `length`), newest first. */
  rollbackTo(mark: number): void {
    assert(mark >= 0, "an undo mark is not negative");
    assert(mark <= this.list.length, "an undo mark is not past the end");
    for (let i = this.list.length - 1; i >= mark; i--) undoEntry(this.list[i]!);
    this.list.length = mark;
  }

  /** Moves the entries of `other` (a finished statement's log) to the end of this one. */
  absorb(other: UndoLog): void {
    assert(other !== this, "a log does not absorb itself");
    for (const entry of other.list) this.list.push(entry);
    other.list.length = 0;
  }
}

function undoEntry(entry: UndoEntry): void {
  switch (entry.kind) {
    case "insert":
      entry.version.xmin = 0;
      if (entry.version.xmax === 0) entry.store.liveCount--;
      for (const { tree, key } of entry.indexes) tree.remove(key, entry.version);
      if (entry.chained !== undefined) unchainVersion(entry.chained, entry.version);
      break;
    case "delete":
      entry.version.xmax = 0;
      entry.store.liveCount++;
      break;
    case "insertMany":
    case "custom":
      entry.undo();
      break;
    case "utility":
      break;
  }
}
