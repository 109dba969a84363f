/**
 * The table locks a prepared transaction holds again after a restart, read from its logged
 * operations when recovery adopts it: RowExclusive on the tables it wrote rows into, and
 * what its DDL takes (AccessExclusive for ALTER TABLE, DROP, TRUNCATE …) on the tables that
 * DDL names, so that other sessions wait for COMMIT/ROLLBACK PREPARED as they did before the
 * restart. (Replay itself takes no locks: it only redoes what held them.)
 */
import type { Catalog } from "../catalog/catalog.js";
import { OpKind, decodeOps } from "../storage/redo.js";
import { LockMode } from "./relation-locks.js";
import type { RelationLocks } from "./relation-locks.js";
import { utilityLocks } from "./statement-locks.js";
import type { Transaction } from "./transaction.js";

export function relockPrepared(locks: RelationLocks, catalog: Catalog, txn: Transaction): void {
  // Nothing else runs during recovery, and prepared transactions never conflict with each
  // other (they held these locks together before the restart): every request is granted.
  for (const chunk of txn.redo) {
    for (const op of decodeOps(chunk.bytes)) {
      if (op.kind !== OpKind.Utility) {
        if (catalog.relation(op.oid) !== undefined) {
          locks.tryAcquire(txn, op.oid, LockMode.rowExclusive);
        }
        continue;
      }
      const path = catalog.searchPath(op.searchPath, op.user);
      for (const request of utilityLocks(op.stmt, catalog, path).requests) {
        locks.tryAcquire(txn, request.oid, request.mode);
      }
    }
  }
}
