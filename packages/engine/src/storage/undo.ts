/**
 * The per-statement undo log: every write a statement makes is recorded here, and a failing
 * statement replays the log backwards so that it changes nothing (Postgres gets this from
 * aborting the subtransaction; we have no transactions yet, so a statement is the unit).
 */
import type { RowVersion, TableStore } from "./table-store.js";
import type { BTree } from "./btree.js";
import type { Value } from "@tessera/sql";

export type UndoEntry =
  | { readonly kind: "insert"; readonly store: TableStore; readonly version: RowVersion;
      readonly indexes: readonly { readonly tree: BTree; readonly key: readonly Value[] }[] }
  | { readonly kind: "delete"; readonly store: TableStore; readonly version: RowVersion }
  | { readonly kind: "custom"; readonly undo: () => void };

export class UndoLog {
  private readonly entries: UndoEntry[] = [];

  record(entry: UndoEntry): void {
    this.entries.push(entry);
  }

  /** Reverts every recorded write, newest first. */
  rollback(): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i]!;
      switch (entry.kind) {
        case "insert":
          entry.version.xmin = 0;
          if (entry.version.xmax === 0) entry.store.liveCount--;
          for (const { tree, key } of entry.indexes) tree.remove(key, entry.version);
          break;
        case "delete":
          entry.version.xmax = 0;
          entry.store.liveCount++;
          break;
        case "custom":
          entry.undo();
          break;
      }
    }
    this.entries.length = 0;
  }
}
