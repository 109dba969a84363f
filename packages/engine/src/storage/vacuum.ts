/**
 * Vacuum: drops row versions no transaction can see any more (aborted inserts, whose xmin
 * undo cleared, and versions whose delete committed) from a table and its indexes, and
 * renumbers the rest. It runs only when the engine is idle, with no statement running and
 * no transaction open, because then every snapshot taken later sees every committed write:
 * a deleted version is dead for all of them, and no cursor holds a row id vacuum changes.
 */
import { assert } from "@tessera/base";
import type { Catalog } from "../catalog/catalog.js";

/** Vacuums every table with dead versions; returns how many versions it dropped. */
export function vacuumIdle(catalog: Catalog, idle: () => boolean): number {
  if (!idle()) return 0;
  let dropped = 0;
  for (const rel of catalog.allRelations()) {
    if (rel.virtualRows !== undefined) continue;
    const store = rel.store;
    const before = store.versions.length;
    if (before === store.liveCount) continue;
    store.vacuum();
    for (const index of rel.indexes) index.tree.vacuum();
    dropped += before - store.versions.length;
    assert(store.versions.length === store.liveCount, "after vacuum every version is live");
  }
  assert(idle(), "vacuum runs synchronously, so the engine is still idle");
  return dropped;
}
