/**
 * The row writer under ModifyTable and COPY FROM: inserts, deletes and updates row versions
 * with Postgres's constraint checks and messages (not-null 23502, check 23514, unique 23505),
 * index maintenance and an undo entry for every write, so a failing statement changes nothing.
 *
 * Foreign keys are checked as Postgres's RI triggers do, after the statement's own writes:
 * each write queues its checks and referential actions on the statement's `RiQueue`
 * (`foreign-keys.ts`), which `StatementWriter.finish` runs.
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import type { Row, Value } from "@tessera/sql";
import { analyzeExpr, asBoolean } from "../analyze/expr-analyze.js";
import { defaultFor, tableItem } from "../analyze/modify-target.js";
import { Scope, type StatementScope } from "../analyze/scope.js";
import { checkUnique, indexKey } from "../catalog/indexes.js";
import { databaseCounters, tableCounters } from "../catalog/activity-counters.js";
import type { BTree } from "../storage/btree.js";
import type { Index, Relation } from "../catalog/relation.js";
import { hashKeyOf, outputValue } from "../catalog/type-io.js";
import { isLive, type RowVersion } from "../storage/table-store.js";
import { chainVersion, entriesOf, keepsEveryKey } from "../storage/version-chains.js";
import { coerceTo } from "../analyze/coerce.js";
import { domainColumnChecks } from "../analyze/domain-coerce.js";
import { compileExpr, type Compiled } from "./compile.js";
import { mergeIntoIndexes } from "./bulk-insert.js";
import { RiQueue } from "./foreign-keys.js";
import { UniqueRechecks } from "./unique-recheck.js";
import {
  checkExclusions, exclusionConflict, hasExclusions, queueExclusionRecheck, runExclusionRechecks,
} from "./exclusion-check.js";
import { checkMemory } from "./memory-limit.js";
import type { Runtime } from "./runtime.js";
import { fitsPartition, partitionCheckError } from "../partition/route.js";

/** The writes of one statement: a writer per table and the queued foreign-key work. */
export class StatementWriter {
  /** The first table's writer (most statements write one table), then a map for the rest. */
  private first: TableWriter | undefined;
  private writers: Map<Relation, TableWriter> | undefined;
  readonly ri: RiQueue;
  /** Keys written into DEFERRABLE unique indexes, checked at the end (`unique-recheck.ts`). */
  uniques: UniqueRechecks | undefined;

  constructor(readonly rt: Runtime) {
    this.ri = new RiQueue(this);
  }

  table(rel: Relation): TableWriter {
    const first = this.first;
    if (first === undefined) return this.first = new TableWriter(rel, this);
    if (first.rel === rel) return first;
    this.writers ??= new Map();
    let writer = this.writers.get(rel);
    if (writer === undefined) {
      writer = new TableWriter(rel, this);
      this.writers.set(rel, writer);
    }
    return writer;
  }

  /** Runs the foreign-key checks and actions the statement's writes queued. */
  finish(): void {
    this.countWrites();
    this.uniques?.run(this.rt);
    runExclusionRechecks(this, this.rt);
    this.ri.run();
  }

  /** Adds the statement's writes to the statistics views' counters, once per statement. */
  private countWrites(): void {
    const catalog = this.rt.catalog;
    const db = databaseCounters(catalog);
    const add = (w: TableWriter): void => {
      const table = tableCounters(catalog, w.rel.oid);
      table.inserted += w.inserted;
      table.updated += w.updated;
      table.deleted += w.deleted;
      db.tupInserted += w.inserted;
      db.tupUpdated += w.updated;
      db.tupDeleted += w.deleted;
      w.inserted = w.updated = w.deleted = 0;
    };
    if (this.first !== undefined) add(this.first);
    this.writers?.forEach(add);
  }
}

interface Check {
  readonly name: string;
  readonly test: Compiled;
}

/** Writes rows of one table within one statement. */
export class TableWriter {
  private readonly checks: readonly Check[];
  private defaults: readonly Compiled[] | null = null;
  private generated: readonly { index: number; value: Compiled }[] | null = null;
  private readonly uniques: readonly Index[];
  /** The constraints of the table's domain columns, when it has some. */
  private readonly domainChecks: ReturnType<typeof domainColumnChecks>;
  /** Rows written so far, for the statistics counters (`StatementWriter.finish`). */
  inserted = 0;
  updated = 0;
  deleted = 0;

  constructor(readonly rel: Relation, readonly statement: StatementWriter) {
    this.checks = compiledChecks(rel, statement.rt);
    this.domainChecks = domainColumnChecks(rel);
    this.uniques = rel.indexes.filter((i) => i.unique);
  }

  get rt(): Runtime {
    return this.statement.rt;
  }

  /** Returns column `i`'s default for a new row (nextval runs here). */
  defaultValue(i: number): Value {
    this.defaults ??= compiledDefaults(this.rel, this.rt);
    return this.defaults[i]!([], this.rt);
  }

  /**
   * Computes the row's generated columns (ExecComputeStoredGenerated), then checks its
   * NOT NULL and CHECK constraints (ExecConstraints), and a partition's bound unless the row
   * was `routed` to it (ExecPartitionCheck). `row` is the caller's fresh copy.
   */
  checkRow(row: Row, routed = false): void {
    this.generated ??= compiledGenerated(this.rel, this.rt);
    for (const g of this.generated) row[g.index] = g.value(row, this.rt);
    this.domainChecks?.(row, this.rt);
    const columns = this.rel.columns;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      if (row[i] === null && c.notNull && !c.dropped) throw this.notNullError(row, i);
    }
    for (const c of this.checks) {
      if (c.test(row, this.rt) === false) {
        throw new SqlError(SqlState.checkViolation,
          `new row for relation "${this.rel.name}" violates check constraint "${c.name}"`,
          { detail: failingRow(this.rel, row, this.rt), schema: this.rel.schema,
            table: this.rel.name, constraint: c.name });
      }
    }
    if (this.rel.partitionOf !== undefined && !routed &&
      !fitsPartition(this.rt.catalog, this.rel, row)) {
      throw partitionCheckError(this.rel, failingRow(this.rel, row, this.rt));
    }
  }

  private notNullError(row: Row, i: number): SqlError {
    const c = this.rel.columns[i]!;
    return new SqlError(SqlState.notNullViolation,
      `null value in column "${c.name}" of relation "${this.rel.name}" ` +
      "violates not-null constraint",
      { detail: failingRow(this.rel, row, this.rt), schema: this.rel.schema,
        table: this.rel.name, column: c.name });
  }

  /** Returns a live version that conflicts with `row` in one of `indexes`, if any. */
  findConflict(row: Row, indexes: readonly Index[] | null): RowVersion | undefined {
    for (const index of indexes ?? this.arbiters()) {
      if (index.exclusion !== undefined) {
        const held = exclusionConflict(this.rel, index, row, this.rt);
        if (held !== undefined) return held;
        continue;
      }
      const key = indexKey(index, row, this.rt);
      if (key === null || (key.includes(null) && index.nullsNotDistinct !== true)) continue;
      const tree = index.tree;
      const end = tree.upperBound(key);
      for (let i = tree.lowerBound(key); i < end; i++) {
        const version = tree.at(i).version;
        if (!isLive(version)) continue;
        this.rt.guard?.checkInserter(version);
        return version;
      }
    }
    return undefined;
  }

  /** Bare ON CONFLICT DO NOTHING's arbiters: every unique and exclusion index. */
  private arbiters(): readonly Index[] {
    return hasExclusions(this.rel)
      ? this.rel.indexes.filter((i) => i.unique || i.exclusion !== undefined) : this.uniques;
  }

  /** Inserts a row whose NOT NULL and CHECK constraints `checkRow` passed. */
  insertChecked(row: Row): RowVersion {
    const version = this.store(row);
    this.inserted++;
    if (this.rel.foreignKeys.length > 0) this.statement.ri.checkChild(this, version, null);
    return version;
  }

  insert(row: Row): RowVersion {
    this.checkRow(row);
    return this.insertChecked(row);
  }

  /**
   * Inserts many checked rows (COPY) under one undo entry, building each index's new entries
   * with one sort and one merge (`bulk-insert.ts`). `progress.done` names the row that failed.
   */
  insertMany(rows: readonly Row[], progress: { done: number }): void {
    const rel = this.rel;
    if (hasExclusions(rel)) {
      // Row by row: each row is checked against the stored ones and the batch's earlier ones.
      rows.forEach((row, i) => {
        progress.done = i;
        this.insertChecked(row);
      });
      progress.done = rows.length;
      return;
    }
    checkMemory(rows.length);
    const versions = rows.map((row) => rel.store.insert(row, this.rt.writeId));
    this.inserted += versions.length;
    this.rt.undo.record({ kind: "insertMany", store: rel.store, versions,
      undo: () => undoInserts(rel, versions) });
    mergeIntoIndexes(rel, versions, progress, this.rt);
    progress.done = rows.length;
    if (rel.foreignKeys.length === 0) return;
    for (const version of versions) this.statement.ri.checkChild(this, version, null);
  }

  /** Compiles the column defaults now, under the statement's settings, without running them. */
  prepareDefaults(): void {
    this.defaults ??= compiledDefaults(this.rel, this.rt);
  }

  /** Deletes a live version; queues the actions of foreign keys that reference this table. */
  delete(version: RowVersion): void {
    assert(version.xmax === 0, "only live versions are deleted");
    this.rel.store.delete(version, this.rt.writeId);
    this.rt.undo.record({ kind: "delete", store: this.rel.store, version });
    this.deleted++;
    this.statement.ri.parentChanged(this.rel, version.values, null);
  }

  /** Replaces a live version with a new row; returns the new version. */
  update(version: RowVersion, row: Row): RowVersion {
    assert(version.xmax === 0, "only live versions are updated");
    this.checkRow(row);
    this.rel.store.delete(version, this.rt.writeId);
    this.rt.undo.record({ kind: "delete", store: this.rel.store, version });
    const created = this.storeChained(version, row) ?? this.store(row, version.values);
    this.updated++;
    const ri = this.statement.ri;
    if (this.rel.foreignKeys.length > 0) ri.checkChild(this, created, version.values);
    ri.parentChanged(this.rel, version.values, row);
    return created;
  }

  /**
   * An UPDATE's new row that keeps every index key of its table: stored as the new head of
   * `old`'s chain, reached through old's index entries, with no entries of its own
   * (`version-chains.ts`). No key changes, so no unique check is due (see `store`).
   * Undefined when the row does not qualify.
   */
  private storeChained(old: RowVersion, row: Row): RowVersion | undefined {
    const rel = this.rel;
    if (!keepsEveryKey(rel, old.values, row)) return undefined;
    const chained = entriesOf(rel, old);
    if (chained === undefined) return undefined;
    checkMemory();
    const version = rel.store.insert(row, this.rt.writeId);
    chainVersion(chained, old, version);
    this.rt.undo.record({ kind: "insert", store: rel.store, version, indexes: [], chained });
    return version;
  }

  /**
   * Checks unique indexes, then stores the row and its index entries with an undo entry.
   * `replaced` is the row an UPDATE replaces: a unique key it keeps needs no check, since the
   * version this statement deleted held it alone, and holding that version keeps every other
   * writer off the key (an insert of it meets the version as a duplicate or waits for us).
   */
  private store(row: Row, replaced?: Row): RowVersion {
    checkMemory();
    const rel = this.rel;
    const keys = rel.indexes.map((index) => indexKey(index, row, this.rt));
    rel.indexes.forEach((index, k) => {
      const key = keys[k]!;
      if (!index.unique || key === null) return;
      if (replaced !== undefined && keepsPlainKey(index, replaced, row)) return;
      this.rt.guard?.checkKey(index.tree, key);
      if (index.deferrable !== true) checkUnique(rel, index, key);
      else (this.statement.uniques ??= new UniqueRechecks()).add(rel, index, key);
    });
    if (hasExclusions(rel)) checkExclusions(rel, row, this.rt);
    const version = rel.store.insert(row, this.rt.writeId);
    if (hasExclusions(rel)) queueExclusionRecheck(this.statement, rel, version);
    const entries: { tree: BTree; key: Value[] }[] = [];
    rel.indexes.forEach((index, k) => {
      const key = keys[k]!;
      if (key === null) return;
      index.tree.insert(key, version);
      entries.push({ tree: index.tree, key });
    });
    this.rt.undo.record({ kind: "insert", store: rel.store, version, indexes: entries });
    return version;
  }
}

/** True when `row` has `old`'s very values in every column of `index`, a plain one. */
function keepsPlainKey(index: Index, old: Row, row: Row): boolean {
  if (index.computed !== undefined) return false;
  for (const c of index.columns) if (old[c] !== row[c]) return false;
  return true;
}

/** Undoes the inserts of `versions`, dropping their index entries at once. */
function undoInserts(rel: Relation, versions: readonly RowVersion[]): void {
  for (const version of versions) {
    if (version.xmin === 0) continue;
    version.xmin = 0;
    if (version.xmax === 0) rel.store.liveCount--;
  }
  for (const index of rel.indexes) {
    // A chain's head vacuum emptied may still lead to versions some snapshot sees.
    index.tree.entries = index.tree.entries.filter((e) =>
      e.version.xmin !== 0 || e.version.prior !== undefined);
  }
}

/** True when two stored values are the same (the "key changed?" test of RI triggers). */
export function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a !== "object" || typeof b !== "object") return false;
  return hashKeyOf(a) === hashKeyOf(b);
}

/** Formats "Failing row contains (1, null, abc)." for DETAIL lines. */
export function failingRow(rel: Relation, row: Row, rt: Runtime): string {
  const parts: string[] = [];
  rel.columns.forEach((c, i) => {
    if (c.dropped) return;
    const v = row[i] ?? null;
    parts.push(v === null ? "null" : outputValue(c.type, v, rt.ctx));
  });
  return `Failing row contains (${parts.join(", ")}).`;
}

/** A statement scope for expressions stored in the catalog (defaults, CHECKs). */
export function catalogStatement(rel: Relation, rt: Runtime): StatementScope {
  return { catalog: rt.catalog, path: [rel.schema, "pg_catalog"], ctx: rt.ctx,
    params: { types: [] }, nextSlot: 0, nextSubplanId: 0, nextCteId: 0 };
}

const checkCache = new WeakMap<Relation, { version: number; checks: Check[] }>();

function compiledChecks(rel: Relation, rt: Runtime): Check[] {
  const cached = checkCache.get(rel);
  if (cached !== undefined && cached.version === rel.version &&
    cached.checks.length === rel.checks.length) {
    return cached.checks;
  }
  const checks = rel.checks.map((c) => {
    const scope = new Scope(catalogStatement(rel, rt), undefined);
    scope.items.push(tableItem(rel, rel.name, 0));
    const test = compileExpr(asBoolean(analyzeExpr(c.expr, scope), "CHECK", scope));
    return { name: c.name, test };
  });
  checkCache.set(rel, { version: rel.version, checks });
  return checks;
}

function compiledDefaults(rel: Relation, rt: Runtime): Compiled[] {
  const scope = new Scope(catalogStatement(rel, rt), undefined);
  return rel.columns.map((_c, i) => compileExpr(defaultFor(rel, i, scope)));
}

/** Compiles the expressions of the table's generated columns over its stored row. */
export function compiledGenerated(rel: Relation, rt: Runtime):
  { index: number; value: Compiled }[] {
  const out: { index: number; value: Compiled }[] = [];
  rel.columns.forEach((c, index) => {
    if (c.generated === null || c.dropped) return;
    const scope = new Scope(catalogStatement(rel, rt), undefined);
    scope.items.push(tableItem(rel, rel.name, 0));
    const e = coerceTo(analyzeExpr(c.generated, scope), c.type, c.typmod, "a",
      scope.statement.params);
    out.push({ index, value: compileExpr(e) });
  });
  return out;
}
