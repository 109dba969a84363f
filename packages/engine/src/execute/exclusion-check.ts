/**
 * Exclusion constraints at write time, as Postgres's check_exclusion_or_unique_constraint
 * makes them: a new row conflicts with a stored one when every operator of the constraint
 * returns true between their keys (a null key element never conflicts). Candidates come from
 * a plain index whose first column is the constraint's first `=` element, else from the
 * table's versions. A conflicting version that another running transaction inserted or
 * deleted makes the statement wait for it and run again (`TxnConflict`, as unique checks do);
 * one that is live then raises 23P01, so of two overlapping inserts only the first commits.
 *
 * A DEFERRABLE constraint's rows are checked at the end of the statement instead, or at
 * commit when the constraint is deferred (`txn/deferred-checks.ts`), as Postgres's
 * unique_key_recheck does: each new row that is still live then must conflict with no other.
 *
 * ALTER TABLE ADD CONSTRAINT checks the stored rows pairwise, in storage order, and reports
 * the first pair as Postgres's index build does ("could not create exclusion constraint").
 */
import type { Row, Value } from "@tessera/sql";
import { exclusionBuildViolation, exclusionViolation } from "../catalog/exclusion.js";
import type { Index, Relation } from "../catalog/relation.js";
import { isLive, type RowVersion } from "../storage/table-store.js";
import { DeferredChecks, type DeferredCheck } from "../txn/deferred-checks.js";
import type { Runtime } from "./runtime.js";

/** True when `rel` has an exclusion constraint. */
export function hasExclusions(rel: Relation): boolean {
  return rel.indexes.some((i) => i.exclusion !== undefined);
}

/** Raises 23P01 when `row`, about to be stored, conflicts under an exclusion constraint. */
export function checkExclusions(rel: Relation, row: Row, rt: Runtime): void {
  for (const index of rel.indexes) {
    if (index.exclusion === undefined || index.deferrable === true) continue;
    const key = index.exclusion.keyOf(row, rt);
    if (key === null || key.includes(null)) continue;
    const found = conflictOf(rel, index, key, rt);
    if (found !== undefined) throw exclusionViolation(rel, index, key, found.existing);
  }
}

/** The live version `row` conflicts with under exclusion constraint `index` (ON CONFLICT). */
export function exclusionConflict(rel: Relation, index: Index, row: Row, rt: Runtime):
  RowVersion | undefined {
  const key = index.exclusion!.keyOf(row, rt);
  if (key === null || key.includes(null)) return undefined;
  return conflictOf(rel, index, key, rt)?.version;
}

function conflictOf(rel: Relation, index: Index, key: readonly Value[], rt: Runtime,
  self?: RowVersion, wait = true): { version: RowVersion; existing: Value[] } | undefined {
  const spec = index.exclusion!;
  for (const version of candidates(rel, index, key)) {
    if (version.xmin === 0 || version === self) continue;
    if (!spec.conflictsRow(key, version.values, rt)) continue;
    if (wait) rt.guard?.checkWriters(version);
    if (version.xmax !== 0) continue;
    return { version, existing: spec.keyOf(version.values, rt)! };
  }
  return undefined;
}

/** The versions that may conflict: an index range on the first `=` column, or all of them. */
function candidates(rel: Relation, index: Index, key: readonly Value[]): Iterable<RowVersion> {
  const spec = index.exclusion!;
  const first = spec.columns[0]!;
  if (spec.operators[0] !== "=") return rel.store.versions;
  const usable = spec.indexed ? index : first < 0 ? undefined
    : rel.indexes.find((i) => i.computed === undefined && i.columns[0] === first &&
      i.descending === undefined);
  if (usable === undefined) return rel.store.versions;
  const tree = usable.tree;
  const prefix = [key[0]!];
  const start = tree.lowerBound(prefix);
  const end = tree.upperBound(prefix);
  const out: RowVersion[] = [];
  for (let i = start; i < end; i++) out.push(tree.at(i).version);
  return out;
}

/** ALTER TABLE ADD CONSTRAINT … EXCLUDE: raises 23P01 when two stored rows conflict. */
export function validateExclusion(rel: Relation, index: Index, rt: Runtime): void {
  const spec = index.exclusion!;
  const keyed: Value[][] = [];
  for (const version of rel.store.versions) {
    if (!isLive(version)) continue;
    const key = spec.keyOf(version.values, rt);
    if (key !== null && !key.includes(null)) keyed.push(key);
  }
  for (let i = 0; i < keyed.length; i++) {
    for (let j = 0; j < keyed.length; j++) {
      if (i === j || !spec.conflicts(keyed[i]!, keyed[j]!, rt)) continue;
      throw exclusionBuildViolation(rel, index, keyed[i]!, keyed[j]!);
    }
  }
}

interface Pending {
  readonly rel: Relation;
  readonly version: RowVersion;
}

/** Rows written into tables with DEFERRABLE exclusion constraints, by statement writer. */
const pendingRows = new WeakMap<object, Pending[]>();

/** Queues `version`'s check for the end of the statement when its table needs it. */
export function queueExclusionRecheck(statement: object, rel: Relation, version: RowVersion):
  void {
  if (!rel.indexes.some((i) => i.exclusion !== undefined && i.deferrable === true)) return;
  let pending = pendingRows.get(statement);
  if (pending === undefined) pendingRows.set(statement, pending = []);
  pending.push({ rel, version });
}

/** End of statement: checks the immediate constraints, queues the deferred ones. */
export function runExclusionRechecks(statement: object, rt: Runtime): void {
  const pending = pendingRows.get(statement);
  if (pending === undefined) return;
  pendingRows.delete(statement);
  const txn = rt.guard?.txn;
  const deferred: DeferredCheck[] = [];
  for (const { rel, version } of pending) {
    for (const index of rel.indexes) {
      if (index.exclusion === undefined || index.deferrable !== true) continue;
      const constraint = { name: index.name, deferrable: true,
        initDeferred: index.initDeferred === true };
      if (txn?.explicit === true) txn.deferred ??= new DeferredChecks();
      if (txn?.explicit !== true || txn.deferred?.isDeferred(rel.oid, constraint) !== true) {
        recheck(rel, index, version, rt, true);
        continue;
      }
      deferred.push({ relationOid: rel.oid, constraint, run: () => {
        const current = rt.catalog.relation(rel.oid);
        if (current?.indexes.includes(index) === true) recheck(current, index, version, rt, false);
      } });
    }
  }
  if (deferred.length > 0) txn!.deferred!.add(deferred, rt.undo);
}

/** Raises 23P01 when live `version` conflicts with another row under `index`. */
function recheck(rel: Relation, index: Index, version: RowVersion, rt: Runtime,
  wait: boolean): void {
  if (!isLive(version)) return;
  const key = index.exclusion!.keyOf(version.values, rt);
  if (key === null || key.includes(null)) return;
  const found = conflictOf(rel, index, key, rt, version, wait);
  if (found !== undefined) throw exclusionViolation(rel, index, key, found.existing);
}
