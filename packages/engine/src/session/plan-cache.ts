/**
 * Keeping a session's prepared statements valid, after Postgres's plancache.c: a statement
 * remembers the catalog epoch and the search_path it was planned under. Before it runs
 * (Bind, Describe, EXECUTE) one integer compare tells whether anything may have changed; if
 * so it is analysed and planned again from its parse tree. A new plan whose result row
 * differs fails with 0A000 "cached plan must not change result type"; a relation that is
 * gone fails as the fresh analysis does (42P01).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { ColumnInfo, PreparedStatement } from "../api.js";
import { bumpCatalogEpoch, catalogEpoch } from "../catalog/catalog-epoch.js";

/** Statement kinds that never change the catalog; every other kind bumps the epoch. */
const catalogNeutralKinds = new Set(["SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt",
  "MergeStmt", "ExplainStmt", "CopyStmt", "VariableSetStmt", "VariableShowStmt",
  "DeclareCursorStmt", "FetchStmt", "ClosePortalStmt", "PrepareStmt", "ExecuteStmt",
  "DeallocateStmt", "DiscardStmt", "LockStmt", "CheckPointStmt", "ListenStmt",
  "NotifyStmt", "UnlistenStmt", "TransactionStmt"]);

/**
 * True when running `stmt` may change the catalog (DDL, DO, CALL…). Transaction control is
 * neutral: a rollback that undoes DDL moves the epoch itself (Catalog.restoreMaps), so a
 * plain ROLLBACK does not make every plan of the process plan again.
 */
export function changesCatalog(stmt: ast.Node): boolean {
  return !catalogNeutralKinds.has(Object.keys(stmt)[0] ?? "");
}

/** Called after a statement that `changesCatalog` ran, whether it succeeded or not. */
export function catalogMayHaveChanged(): void {
  bumpCatalogEpoch();
}

/** A plan with what it was made under. */
export interface CachedPlan {
  readonly stmt: ast.Node;
  /** Parameter types as resolved by the first planning; later plans keep them. */
  readonly paramTypes: readonly number[];
  prepared: PreparedStatement;
  epoch: number;
  settingsVersion: number;
  searchPath: string;
}

export interface PlanScope {
  settingsVersion(): number;
  searchPath(): string;
  /** Analyses and plans the statement again. */
  replan(stmt: ast.Node, paramTypes: readonly number[]): PreparedStatement;
}

/** Makes the cache entry of a statement just planned. */
export function cachePlan(stmt: ast.Node, prepared: PreparedStatement, epoch: number,
  scope: PlanScope): CachedPlan {
  return { stmt, paramTypes: prepared.paramTypes, prepared, epoch,
    settingsVersion: scope.settingsVersion(), searchPath: scope.searchPath() };
}

/** The epoch to record before planning (read first: DDL during planning counts as later). */
export function currentEpoch(): number {
  return catalogEpoch.value;
}

/** True when the plan may be stale; the cheap check of every run. */
export function planMayBeStale(plan: CachedPlan, settingsVersion: number): boolean {
  return plan.epoch !== catalogEpoch.value || plan.settingsVersion !== settingsVersion;
}

/** Forces the next run to plan again (DISCARD PLANS). */
export function invalidatePlan(plan: CachedPlan): void {
  plan.epoch = -1;
}

/**
 * Plans again when the catalog or search_path changed; returns true when the plan was
 * replaced. Throws what the fresh analysis throws, or 0A000 when the result row changed.
 */
export function revalidatePlan(plan: CachedPlan, scope: PlanScope): boolean {
  const searchPath = scope.searchPath();
  const epoch = catalogEpoch.value;
  if (plan.epoch === epoch && plan.searchPath === searchPath) {
    plan.settingsVersion = scope.settingsVersion();
    return false;
  }
  const fresh = scope.replan(plan.stmt, plan.paramTypes);
  if (!sameRowType(plan.prepared.columns, fresh.columns)) {
    throw new SqlError(SqlState.featureNotSupported, "cached plan must not change result type");
  }
  plan.prepared = fresh;
  plan.epoch = epoch;
  plan.settingsVersion = scope.settingsVersion();
  plan.searchPath = searchPath;
  return true;
}

/** Postgres's equalTupleDescs as the plancache uses it: names, types and typmods. */
function sameRowType(a: readonly ColumnInfo[] | null, b: readonly ColumnInfo[] | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.name !== y.name || x.typeOid !== y.typeOid || x.typeModifier !== y.typeModifier) {
      return false;
    }
  }
  return true;
}
