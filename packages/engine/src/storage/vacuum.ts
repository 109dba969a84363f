/**
 * Vacuum: drops row versions no snapshot can see any more from a table and its indexes, and
 * renumbers the rest. Dead are aborted inserts (undo cleared their xmin) and versions deleted
 * by a transaction older than the horizon, Postgres's OldestXmin: the oldest xid a running
 * transaction, a snapshot one reads with, or a running checkpoint still counts as running.
 *
 * Vacuum renumbers row ids, so it runs only while no statement runs (an open cursor is a
 * running statement): scans and portals hold row ids. It runs after checkpoints, for the
 * VACUUM statement, and in the background (`Autovacuum`): a table at a time, the tables whose
 * dead versions pass Postgres's autovacuum threshold, a few per tick, so writers wait little.
 */
import { assert } from "@tessera/base";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";

/** Postgres's autovacuum_naptime, shortened: the pause between background passes. */
export const autovacuumNaptimeMs = 200;
/** Versions one background tick may rewrite before it yields to statements. */
const tickVersionsMax = 200_000;
/** As autovacuum_vacuum_threshold and autovacuum_vacuum_scale_factor. */
const deadThreshold = 50;
const deadScale = 0.2;

/** What vacuum needs of the engine. */
export interface VacuumHost {
  readonly catalog: Catalog;
  /** True while no statement runs (the VACUUM statement's own run aside). */
  canVacuum(): boolean;
  /** The oldest xid some snapshot still judges. */
  horizon(): number;
}

/** Versions stored but not live: dead, or deleted by a transaction not yet past the horizon. */
export function deadVersions(rel: Relation): number {
  return rel.store.versions.length - rel.store.liveCount;
}

/** Vacuums one table and its indexes under `horizon`; returns how many versions it dropped. */
export function vacuumRelation(rel: Relation, horizon: number): number {
  if (rel.virtualRows !== undefined || deadVersions(rel) === 0) return 0;
  const dropped = rel.store.vacuum(horizon);
  if (dropped > 0) for (const index of rel.indexes) index.tree.vacuum(horizon);
  return dropped;
}

/** Vacuums every table (VACUUM without names, and after checkpoints). */
export function vacuumAll(host: VacuumHost): number {
  if (!host.canVacuum()) return 0;
  const horizon = host.horizon();
  let dropped = 0;
  for (const rel of host.catalog.allRelations()) dropped += vacuumRelation(rel, horizon);
  return dropped;
}

/** Vacuums when the engine is idle, when every deleted version is dead (after recovery). */
export function vacuumIdle(catalog: Catalog, idle: () => boolean, horizon: number): number {
  if (!idle()) return 0;
  const dropped = vacuumAll({ catalog, canVacuum: () => true, horizon: () => horizon });
  for (const rel of catalog.allRelations()) {
    if (rel.virtualRows !== undefined) continue;
    assert(rel.store.versions.length === rel.store.liveCount, "idle vacuum leaves live versions");
  }
  return dropped;
}

/** The background vacuum: every naptime, the tables with enough dead versions, a few a tick. */
export class Autovacuum {
  private timer: NodeJS.Timeout | undefined;
  private queue: Relation[] = [];
  /** Versions dropped since start, for tests and logs. */
  dropped = 0;

  constructor(private readonly host: VacuumHost, private readonly naptimeMs: number) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.tick(), this.naptimeMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.queue = [];
  }

  /** One pass: refills the queue when empty, then vacuums tables up to the tick's budget. */
  tick(): void {
    if (!this.host.canVacuum()) return;
    if (this.queue.length === 0) this.queue = this.due();
    const horizon = this.host.horizon();
    let rewritten = 0;
    while (this.queue.length > 0 && rewritten < tickVersionsMax) {
      const rel = this.queue.shift()!;
      if (!this.host.catalog.relation(rel.oid)) continue;
      rewritten += rel.store.versions.length;
      this.dropped += vacuumRelation(rel, horizon);
    }
  }

  private due(): Relation[] {
    const due: Relation[] = [];
    for (const rel of this.host.catalog.allRelations()) {
      if (rel.virtualRows !== undefined) continue;
      if (deadVersions(rel) >= deadThreshold + deadScale * rel.store.liveCount) due.push(rel);
    }
    return due;
  }
}
