/**
 * The catalog epoch: one process-wide counter that moves whenever the shape of the catalog
 * may have changed (DDL ran, a rollback put catalog maps back). A prepared statement keeps
 * the epoch it was planned at and, before it runs, compares it with the current one: one
 * integer compare on the hot path, and a re-analysis when they differ — what Postgres's
 * plancache does with its relcache invalidation messages (RevalidateCachedQuery).
 */

/** The current epoch; read `catalogEpoch.value`, never cache the object's field. */
export const catalogEpoch = { value: 0 };

/** Marks every plan made before now as possibly stale. */
export function bumpCatalogEpoch(): void {
  catalogEpoch.value++;
}
