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
 *
 * Under a steady load some statement is nearly always running, so the background vacuum then
 * works in bounded slices instead (`VacuumRounds`): it empties dead versions in place
 * (`TableStore.reclaim`, no renumbering) and drops their index entries a few leaves at a time
 * (`BTree.vacuumLeaves`), so neither memory nor index walks grow with the updates. The slots
 * stay until a later idle vacuum compacts the table. Both forms prune the version chains of
 * updates that kept their index keys (`version-chains.ts`) as they pass index entries.
 */
import { assert } from "@tessera/base";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";
import { pruneChain } from "./version-chains.js";

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

/**
 * Versions stored but not live, and not yet reclaimed: dead, or deleted by a transaction not
 * yet past the horizon.
 */
export function deadVersions(rel: Relation): number {
  return rel.store.versions.length - rel.store.liveCount - rel.store.reclaimed;
}

/** Vacuums one table and its indexes under `horizon`; returns how many versions it dropped. */
export function vacuumRelation(rel: Relation, horizon: number): number {
  if (rel.virtualRows !== undefined) return 0;
  if (rel.store.versions.length === rel.store.liveCount) return 0;
  const dropped = rel.store.vacuum(horizon);
  if (dropped === 0) return 0;
  for (const index of rel.indexes) index.tree.vacuum(horizon);
  // Chains no index reaches any more (their table lost its indexes) are pruned here.
  for (const version of rel.store.versions) {
    if (version.prior !== undefined) pruneChain(version, horizon);
  }
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

  /** Background vacuum of the tables in progress while statements run (`VacuumRounds`). */
  private readonly rounds = new VacuumRounds();

  /**
   * One pass: when no statement runs, refills the queue when empty, then vacuums tables up to
   * the tick's budget; otherwise vacuums a bounded slice in place.
   */
  tick(): void {
    if (!this.host.canVacuum()) {
      this.dropped += this.rounds.slice(this.host.horizon(), () => this.due());
      return;
    }
    this.rounds.clear();
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

/** Versions (or index entries) one slice may visit: a few milliseconds of work. */
const sliceVisitsMax = 20_000;
/** Index entries a leaf holds, about: how many entries one leaf of a slice counts for. */
const entriesPerLeaf = 100;

/** Where a table's in-place round stands: its slots first, then each index's leaves. */
interface Round {
  readonly rel: Relation;
  /** -1 while reclaiming the table's slots, then the index being cleaned. */
  index: number;
  cursor: number;
}

/**
 * Vacuum while statements run, in slices: per due table a round that reclaims its dead
 * versions in place, then drops dead entries from each of its indexes. Nothing is renumbered
 * or moved that a running statement holds: slots keep their numbers, and index entries that go
 * are those of versions no snapshot sees (index positions are not held across statements).
 */
export class VacuumRounds {
  private rounds: Round[] = [];

  clear(): void {
    this.rounds = [];
  }

  /** Works through the rounds (smallest tables first) up to the slice's budget. */
  slice(horizon: number, due: () => Relation[]): number {
    if (this.rounds.length === 0) {
      this.rounds = due().sort((a, b) => a.store.versions.length - b.store.versions.length)
        .map((rel) => ({ rel, index: -1, cursor: 0 }));
    }
    let budget = sliceVisitsMax;
    let reclaimed = 0;
    while (this.rounds.length > 0 && budget > 0) {
      const round = this.rounds[0]!;
      const { store, indexes } = round.rel;
      if (round.index < 0) {
        const from = round.cursor;
        const { next, emptied } = store.reclaim(horizon, from, budget);
        budget -= Math.max(0, Math.min(store.versions.length, from + budget) - from);
        reclaimed += emptied;
        round.cursor = next;
        if (next === 0) round.index = 0;
      } else if (round.index < indexes.length) {
        const leaves = Math.max(1, Math.floor(budget / entriesPerLeaf));
        round.cursor = indexes[round.index]!.tree.vacuumLeaves(horizon, round.cursor, leaves);
        budget -= leaves * entriesPerLeaf;
        if (round.cursor === 0) round.index++;
      } else {
        this.rounds.shift();
      }
      budget = Math.max(0, budget) - 1;
    }
    return reclaimed;
  }
}
