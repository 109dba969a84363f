/**
 * DEFERRABLE unique and primary-key constraints, as Postgres checks them (unique_key_recheck):
 * a write into such an index does not fail on a duplicate at once; the key is checked again
 * at the end of the statement when the constraint is IMMEDIATE, or at the end of the
 * transaction block when it is deferred (`txn/deferred-checks.ts`). So
 * `UPDATE t SET id = id + 1` passes where a row-by-row check would meet the next row's key.
 *
 * The index holds the duplicate entries meanwhile (the B-tree allows them); a check fails
 * when more than one live row holds the key then.
 */
import type { Value } from "@tessera/sql";
import { uniqueViolation } from "../catalog/indexes.js";
import type { Index, Relation } from "../catalog/relation.js";
import { isLive } from "../storage/table-store.js";
import { DeferredChecks, type DeferredCheck } from "../txn/deferred-checks.js";
import type { Runtime } from "./runtime.js";

interface Pending {
  readonly rel: Relation;
  readonly index: Index;
  readonly key: readonly Value[];
}

/** The keys one statement wrote into deferrable unique indexes. */
export class UniqueRechecks {
  private readonly pending: Pending[] = [];

  add(rel: Relation, index: Index, key: readonly Value[]): void {
    if (key.includes(null) && index.nullsNotDistinct !== true) return;
    this.pending.push({ rel, index, key });
  }

  /** End of statement: checks the immediate constraints, queues the deferred ones. */
  run(rt: Runtime): void {
    const deferred: DeferredCheck[] = [];
    const txn = rt.guard?.txn;
    const catalog = rt.catalog;
    for (const { rel, index, key } of this.pending) {
      const constraint = { name: index.constraintName ?? index.name,
        deferrable: index.deferrable === true, initDeferred: index.initDeferred === true };
      if (txn?.explicit === true) txn.deferred ??= new DeferredChecks();
      if (txn?.explicit !== true || txn.deferred?.isDeferred(rel.oid, constraint) !== true) {
        recheck(rel, index, key);
        continue;
      }
      deferred.push({ relationOid: rel.oid, constraint, run: () => {
        const current = catalog.relation(rel.oid);
        if (current?.indexes.includes(index) === true) recheck(current, index, key);
      } });
    }
    this.pending.length = 0;
    if (deferred.length > 0) txn!.deferred!.add(deferred, rt.undo);
  }
}

/** Raises 23505 when more than one live row holds `key` in `index`. */
function recheck(rel: Relation, index: Index, key: readonly Value[]): void {
  const tree = index.tree;
  const end = tree.upperBound(key);
  let live = 0;
  for (let i = tree.lowerBound(key); i < end; i++) {
    if (isLive(tree.at(i).version) && ++live > 1) throw uniqueViolation(rel, index, key);
  }
}
