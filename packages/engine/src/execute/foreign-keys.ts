/**
 * Foreign keys, as Postgres's RI triggers (ri_triggers.c) run them: after the statement's own
 * writes, in the order the writes queued them.
 *
 * - A row written to a referencing ("child") table queues a check that its key is present in
 *   the referenced table (skipped when a key column is null, MATCH SIMPLE, or when an UPDATE
 *   left the key unchanged, or when the row is gone again by the time the check runs).
 * - A referenced ("parent") row deleted, or updated with a new key, queues its foreign keys'
 *   actions: NO ACTION (error unless another row now holds the key), RESTRICT (error),
 *   CASCADE, SET NULL, SET DEFAULT. The actions write through the same `StatementWriter`,
 *   so a cascade queues its own checks and actions behind the current ones.
 *
 * Referencing rows are found through an index on the foreign key's columns when the child
 * table has one, otherwise by one scan of the child per batch of events of that key.
 *
 * The checks of a DEFERRABLE foreign key that is deferred now (and its NO ACTION checks; the
 * other actions never wait) are not run here but queued on the transaction, for COMMIT
 * (`txn/deferred-checks.ts`); outside a transaction block they run here, at the statement's
 * own commit.
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import type { Row, Value } from "@tessera/sql";
import type { ForeignKey, Index, Relation } from "../catalog/relation.js";
import { hashKeyOf, outputValue } from "../catalog/type-io.js";
import { convertKey } from "../catalog/foreign-key-types.js";
import { isLive, type RowVersion } from "../storage/table-store.js";
import { DeferredChecks, type DeferredCheck } from "../txn/deferred-checks.js";
import type { Catalog } from "../catalog/catalog.js";
import { ancestorsOf, isPartitioned, leavesOf } from "../partition/model.js";
import { PartitionTargets } from "../partition/modify-targets.js";
import { fitsPartition } from "../partition/route.js";
import { declaredForeignKey, referencedConstraintName, referencesTable }
  from "../partition/foreign-key-model.js";
import type { Runtime } from "./runtime.js";
import { keyTriggersFire } from "../plpgsql/trigger-store.js";
import type { StatementWriter, TableWriter } from "./row-writer.js";
import { sameValue } from "./row-writer.js";

/** A statement's RI work is bounded; past this many queued tasks a cascade is runaway. */
const riTasksMax = 50_000_000;

interface Reference {
  readonly child: Relation;
  readonly fk: ForeignKey;
  /** The table `fk` references: the changed table, or a partitioned table above it. */
  readonly target: Relation;
}

type Task =
  | { readonly kind: "child"; readonly writer: TableWriter; readonly version: RowVersion;
      readonly old: Row | null }
  | { readonly kind: "parent"; readonly ref: Reference; readonly parent: Relation;
      readonly old: Row; readonly row: Row | null };

/** What a foreign-key check reads: the catalog, and the session's settings for messages. */
export type RiEnv = Pick<Runtime, "catalog" | "ctx">;

export class RiQueue {
  private readonly tasks: Task[] = [];
  /** Checks of deferred constraints this run queued, for the transaction's end. */
  private deferred: DeferredCheck[] = [];
  private readonly referencing = new Map<Relation, readonly Reference[]>();
  /** An UPDATE moving a row between partitions of `root`: its delete is `root`'s update. */
  private moving: { readonly root: Relation; readonly row: Row } | undefined;
  /** session_replication_role, read once a statement. */
  private replicationRole: string | undefined;

  constructor(private readonly writes: StatementWriter) {}

  /** Queues the check of a child row's keys; `old` is the row an UPDATE replaced. */
  checkChild(writer: TableWriter, version: RowVersion, old: Row | null): void {
    if (!this.keysFire(writer.rel)) return;
    this.push({ kind: "child", writer, version, old });
  }

  /** Queues the actions for a parent row deleted (`row` null) or updated to `row`. */
  parentChanged(parent: Relation, old: Row, row: Row | null): void {
    if (!this.keysFire(parent)) {
      if (row === null) this.moving = undefined;
      return;
    }
    const move = this.moving;
    if (move !== undefined && row === null) {
      // PostgreSQL 15 runs the update actions of the partitioned table the statement named;
      // keys to the partition the row leaves see a delete.
      this.moving = undefined;
      refuseMoveUnderReferencedAncestor(this.rt.catalog, parent, move.root);
      for (const ref of this.references(parent)) {
        if (ref.target === parent) this.push({ kind: "parent", ref, parent, old, row: null });
      }
      this.parentChanged(move.root, old, move.row);
      return;
    }
    for (const ref of this.references(parent)) {
      if (row !== null && sameKey(ref.fk.refColumns, old, row)) continue;
      this.push({ kind: "parent", ref, parent, old, row });
    }
  }

  /** False when `rel`'s foreign key triggers are disabled (`plpgsql/trigger-store.ts`). */
  private keysFire(rel: Relation): boolean {
    this.replicationRole ??= this.rt.evalContext.setting("session_replication_role");
    return keyTriggersFire(this.rt.catalog, rel.oid, this.replicationRole);
  }

  /** The next delete is a row of `root` moving to another partition as `row`. */
  rowMoving(root: Relation, row: Row): void {
    this.moving = { root, row };
  }

  private push(task: Task): void {
    if (this.tasks.length >= riTasksMax) {
      throw new SqlError(SqlState.programLimitExceeded,
        "too many foreign key actions in one statement");
    }
    this.tasks.push(task);
  }

  /** Runs every queued task, including those the tasks queue. */
  run(): void {
    for (let head = 0; head < this.tasks.length;) {
      const task = this.tasks[head]!;
      if (task.kind === "child") {
        head++;
        if (!isLive(task.version)) continue;
        this.checkChildTask(task.writer.rel, task.version, task.old);
        continue;
      }
      let end = head + 1;
      if (batchable(task)) {
        while (end < this.tasks.length && sameGroup(this.tasks[end]!, task)) end++;
      }
      const batch = this.tasks.slice(head, end) as (Task & { kind: "parent" })[];
      head = end;
      if (!this.deferParents(batch)) this.runParentBatch(batch);
    }
    this.tasks.length = 0;
    this.queueDeferred();
  }

  /** Checks a child row's keys, or queues the checks of deferred foreign keys. */
  private checkChildTask(child: Relation, version: RowVersion, old: Row | null): void {
    const row = version.values;
    for (const fk of child.foreignKeys) {
      if (old !== null && sameKey(fk.columns, old, row)) continue;
      if (!this.deferredNow(child, fk)) {
        checkForeignKey(child, fk, row, this.rt);
        continue;
      }
      const key = fk.columns.map((c) => row[c] ?? null);
      if (key.includes(null) && !mixedFullKey(fk, key)) continue;
      const env: RiEnv = { catalog: this.rt.catalog, ctx: this.rt.ctx };
      this.deferred.push({ relationOid: child.oid, constraint: fk,
        run: () => deferredChildCheck(child, fk, version, key, env) });
    }
  }

  /** Queues a batch of NO ACTION checks of a deferred foreign key; false if it runs now. */
  private deferParents(batch: readonly (Task & { kind: "parent" })[]): boolean {
    const { child, fk } = batch[0]!.ref;
    const action = batch[0]!.row === null ? fk.onDelete : fk.onUpdate;
    if (action !== "a" || !this.deferredNow(child, fk)) return false;
    const parent = batch[0]!.parent;
    const env: RiEnv = { catalog: this.rt.catalog, ctx: this.rt.ctx };
    for (const task of batch) {
      const key = fk.refColumns.map((c) => task.old[c] ?? null);
      if (key.includes(null)) continue;
      this.deferred.push({ relationOid: child.oid, constraint: fk, eventTableOid: parent.oid,
        run: () => deferredParentCheck(batch[0]!.ref.target, parent, child, fk, key, env) });
    }
    return true;
  }

  /** True when `fk`'s checks wait for the end of the transaction block. */
  private deferredNow(child: Relation, fk: ForeignKey): boolean {
    if (fk.deferrable !== true) return false;
    const txn = this.rt.guard?.txn;
    if (txn === undefined || !txn.explicit) return false;
    txn.deferred ??= new DeferredChecks();
    return txn.deferred.isDeferred(child.oid, fk);
  }

  private queueDeferred(): void {
    const txn = this.rt.guard?.txn;
    if (this.deferred.length === 0 || txn?.deferred === undefined) return;
    txn.deferred.add(this.deferred, this.rt.undo);
    this.deferred = [];
  }

  private get rt(): Runtime {
    return this.writes.rt;
  }

  /**
   * The foreign keys that act on a change to `parent`'s rows: those referencing it or a
   * partitioned table above it; a partitioned referencing table's partitions act for it.
   */
  private references(parent: Relation): readonly Reference[] {
    let refs = this.referencing.get(parent);
    if (refs === undefined) {
      const found: Reference[] = [];
      const catalog = this.rt.catalog;
      for (const child of catalog.allRelations()) {
        if (isPartitioned(child)) continue;
        for (const fk of child.foreignKeys) {
          if (!referencesTable(catalog, fk, parent)) continue;
          const target = fk.refRelationOid === parent.oid ? parent
            : catalog.relation(fk.refRelationOid)!;
          found.push({ child, fk, target });
        }
      }
      refs = found;
      this.referencing.set(parent, refs);
    }
    return refs;
  }

  private runParentBatch(batch: readonly (Task & { kind: "parent" })[]): void {
    const { child, fk, target } = batch[0]!.ref;
    const parent = batch[0]!.parent;
    const catalog = this.rt.catalog;
    const keys = batch.map((t) => fk.refColumns.map((c) => t.old[c] ?? null));
    const find = childFinder(child, fk, keys, parent);
    const writer = this.writes.table(child);
    batch.forEach((task, n) => {
      const key = keys[n]!;
      if (key.includes(null)) return;
      const action = task.row === null ? fk.onDelete : fk.onUpdate;
      if (action === "a" && parentHolds(catalog, target, fk, key)) return;
      const matches = find(key).filter(isLive);
      if (matches.length === 0) return;
      if (action === "a" || action === "r") throw stillReferenced(parent, child, fk, key, this.rt);
      let blocked: boolean;
      try {
        blocked = this.applyAction(task, action, matches, writer);
      } catch (error) {
        throw withActionContext(error, actionStatement(catalog, task.ref, task.row === null));
      }
      // PostgreSQL raises this after its action's statement, so without that statement's CONTEXT.
      if (blocked) throw stillReferenced(parent, child, fk, key, this.rt);
    });
  }

  /**
   * Applies CASCADE, SET NULL or SET DEFAULT to the live rows referencing a key; true when a
   * SET DEFAULT left a row referencing that key still.
   */
  private applyAction(task: Task & { kind: "parent" }, action: string,
    matches: readonly RowVersion[], writer: TableWriter): boolean {
    const { child, fk } = task.ref;
    let blocked = false;
    for (const version of matches) {
      if (!isLive(version)) continue;
      if (action === "c" && task.row === null) {
        writer.delete(version);
        continue;
      }
      const row = version.values.slice();
      const moved = action === "c" ? convertKey(fk.refColumns.map((c) => task.row![c] ?? null),
        task.parent, fk.refColumns, child, fk.columns) : undefined;
      const only = task.row === null ? fk.deleteSetColumns : undefined;
      fk.columns.forEach((c, k) => {
        if (only !== undefined && !only.includes(c)) return;
        row[c] = action === "c" ? moved?.[k] ?? task.row![fk.refColumns[k]!] ?? null
          : action === "n" ? null : writer.defaultValue(c);
      });
      // A default equal to the key just removed leaves the row referencing nothing.
      if (action === "d" && sameKey(fk.columns, row, version.values)) {
        blocked = true;
        continue;
      }
      writeChild(this.rt, this.writes, writer, fk, version, row);
    }
    return blocked;
  }
}

/**
 * Returns `error`, raised by the writes of an action, with the action's statement added to
 * CONTEXT. Only those: PostgreSQL runs the action without firing the triggers its writes queue
 * (checks and further actions run later, from the statement's own queue, with no CONTEXT).
 */
function withActionContext(error: unknown, statement: string): unknown {
  if (!(error instanceof SqlError)) return error;
  const line = `SQL statement "${statement}"`;
  const where = error.fields.where === undefined ? line : `${error.fields.where}\n${line}`;
  return new SqlError(error.code, error.message, { ...error.fields, where });
}

/**
 * The statement PostgreSQL's RI trigger runs for an action (ri_triggers.c): on the table that
 * declared the foreign key, ONLY unless it is partitioned, keys matched by parameters.
 */
function actionStatement(catalog: Catalog, ref: Reference, deleted: boolean): string {
  const { child, fk } = ref;
  const owner = declaredForeignKey(catalog, child, fk).owner;
  const table = `${isPartitioned(owner) ? "" : "ONLY "}${quoteName(owner.schema)}.` +
    quoteName(owner.name);
  const name = (c: number): string => quoteName(child.columns[c]!.name);
  const quals = (first: number): string => fk.columns
    .map((c, k) => `$${first + k} OPERATOR(pg_catalog.=) ${name(c)}`).join(" AND ");
  const action = deleted ? fk.onDelete : fk.onUpdate;
  if (action === "c" && deleted) return `DELETE FROM ${table} WHERE ${quals(1)}`;
  if (action === "c") {
    const sets = fk.columns.map((c, k) => `${name(c)} = $${k + 1}`);
    return `UPDATE ${table} SET ${sets.join(", ")} WHERE ${quals(fk.columns.length + 1)}`;
  }
  const only = deleted ? fk.deleteSetColumns : undefined;
  const sets = fk.columns.filter((c) => only === undefined || only.includes(c))
    .map((c) => `${name(c)} = ${action === "n" ? "NULL" : "DEFAULT"}`);
  return `UPDATE ${table} SET ${sets.join(", ")} WHERE ${quals(1)}`;
}

/** An identifier as ri_triggers.c quotes it: always in double quotes. */
function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Writes the row an action made of a referencing row. On a partition whose copy of `fk` comes
 * from a partitioned table, a row that no longer fits moves, as the action's UPDATE of that
 * table moves it in PostgreSQL.
 */
function writeChild(rt: Runtime, writes: StatementWriter, writer: TableWriter,
  fk: ForeignKey, version: RowVersion, row: Row): void {
  const child = writer.rel;
  const owner = child.partitionOf === undefined || fitsPartition(rt.catalog, child, row)
    ? child : declaredForeignKey(rt.catalog, child, fk).owner;
  if (owner === child) writer.update(version, row);
  else new PartitionTargets(owner, writes).update(writer, version, row);
}

/**
 * A row may not move out of `leaf` when a table between it and `root` (the statement's
 * table) is referenced by a foreign key: PostgreSQL could run neither its delete nor the
 * root's update for it (0A000).
 */
function refuseMoveUnderReferencedAncestor(catalog: Catalog, leaf: Relation, root: Relation):
  void {
  for (const ancestor of ancestorsOf(catalog, leaf)) {
    if (ancestor === root) return;
    const referenced = [...catalog.allRelations()].some((rel) =>
      rel.foreignKeys.some((fk) => fk.refRelationOid === ancestor.oid));
    if (!referenced) continue;
    throw new SqlError(SqlState.featureNotSupported, "cannot move tuple across partitions " +
      "when a non-root ancestor of the source partition is directly referenced in a foreign key",
    { detail: `A foreign key points to ancestor "${ancestor.name}" but not the root ancestor ` +
      `"${root.name}".`, hint: `Consider defining the foreign key on table "${root.name}".` });
  }
}

/** NO ACTION, RESTRICT and delete cascades only delete, so one child scan serves a batch. */
function batchable(task: Task & { kind: "parent" }): boolean {
  const action = task.row === null ? task.ref.fk.onDelete : task.ref.fk.onUpdate;
  return action === "a" || action === "r" || (action === "c" && task.row === null);
}

function sameGroup(task: Task, first: Task & { kind: "parent" }): boolean {
  return task.kind === "parent" && task.ref.fk === first.ref.fk &&
    (task.row === null) === (first.row === null);
}

/** Raises 23503 unless the referenced table holds the row's key for `fk` (or it has a null). */
export function checkForeignKey(child: Relation, fk: ForeignKey, row: Row, rt: RiEnv): void {
  const key = fk.columns.map((c) => row[c] ?? null);
  if (mixedFullKey(fk, key)) throw mixedNulls(child, fk);
  if (key.includes(null)) return;
  const parent = rt.catalog.relation(fk.refRelationOid);
  assert(parent !== undefined, "a foreign key's table exists");
  if (parentHolds(rt.catalog, parent, fk, key, child)) return;
  throw notPresent(child, fk, parent, key, rt);
}

/** A MATCH FULL key with some, but not all, columns null. */
function mixedFullKey(fk: ForeignKey, key: readonly Value[]): boolean {
  return fk.matchFull === true && key.includes(null) && !key.every((v) => v === null);
}

function mixedNulls(child: Relation, fk: ForeignKey): SqlError {
  return new SqlError(SqlState.foreignKeyViolation,
    `insert or update on table "${child.name}" violates foreign key constraint "${fk.name}"`,
    { detail: "MATCH FULL does not allow mixing of null and nonnull key values.",
      schema: child.schema, table: child.name, constraint: fk.name });
}

/**
 * A deferred check of a child row's key, at the transaction's end: the row is gone (deleted,
 * or updated without changing the key) unless some live child row still holds the key.
 */
function deferredChildCheck(child: Relation, fk: ForeignKey, version: RowVersion,
  key: readonly Value[], env: RiEnv): void {
  const current = currentForeignKey(child, fk, env);
  if (current === undefined) return;
  const parent = env.catalog.relation(current.fk.refRelationOid);
  if (parent === undefined) return;
  if (mixedFullKey(current.fk, key)) {
    if (isLive(version)) throw mixedNulls(current.child, current.fk);
    return;
  }
  if (parentHolds(env.catalog, parent, current.fk, key, current.child)) return;
  if (!isLive(version) && childFinder(current.child, current.fk, [key])(key).every((v) =>
    !isLive(v))) return;
  throw notPresent(current.child, current.fk, parent, key, env);
}

/** A deferred NO ACTION check of a referenced key deleted or changed in `parent`. */
function deferredParentCheck(target: Relation, parent: Relation, child: Relation,
  fk: ForeignKey, key: readonly Value[], env: RiEnv): void {
  const current = currentForeignKey(child, fk, env);
  if (current === undefined || env.catalog.relation(parent.oid) !== parent) return;
  if (parentHolds(env.catalog, target, current.fk, key)) return;
  const matches = childFinder(current.child, current.fk, [key], parent)(key);
  if (matches.some(isLive)) throw stillReferenced(parent, current.child, current.fk, key, env);
}

/** The table and foreign key a queued check names, as they are now (none if dropped). */
function currentForeignKey(child: Relation, fk: ForeignKey, env: RiEnv):
  { child: Relation; fk: ForeignKey } | undefined {
  const rel = env.catalog.relation(child.oid);
  const found = rel?.foreignKeys.find((f) => f === fk) ??
    rel?.foreignKeys.find((f) => f.name === fk.name);
  return rel === undefined || found === undefined ? undefined : { child: rel, fk: found };
}

function notPresent(child: Relation, fk: ForeignKey, parent: Relation, key: readonly Value[],
  rt: RiEnv): SqlError {
  const cols = fk.columns.map((c) => child.columns[c]!.name).join(", ");
  const vals = fk.columns.map((c, k) => outputValue(child.columns[c]!.type, key[k]!, rt.ctx));
  return new SqlError(SqlState.foreignKeyViolation,
    `insert or update on table "${child.name}" violates foreign key constraint "${fk.name}"`,
    { detail: `Key (${cols})=(${vals.join(", ")}) is not present in table "${parent.name}".`,
      schema: child.schema, table: child.name, constraint: fk.name });
}

/** True when two rows hold the same values in `columns` (a key an UPDATE left alone). */
function sameKey(columns: readonly number[], a: Row, b: Row): boolean {
  return columns.every((c) => sameValue(a[c] ?? null, b[c] ?? null));
}

/**
 * True when a live row of `parent` holds `key` in the foreign key's referenced columns; `child`
 * given, `key` holds the child's values, converted here to the referenced columns' types.
 */
function parentHolds(catalog: Catalog, parent: Relation, fk: ForeignKey,
  key: readonly Value[], child?: Relation): boolean {
  const probe = child === undefined ? key
    : convertKey(key, child, fk.columns, parent, fk.refColumns);
  if (probe === undefined) return false;
  // A partitioned table's rows are in its leaves, which have its columns and unique keys.
  return leavesOf(catalog, parent).some((leaf) => leafHolds(leaf, fk, probe));
}

function leafHolds(parent: Relation, fk: ForeignKey, probe: readonly Value[]): boolean {
  const index = referencedIndex(parent, fk);
  // The index may list the referenced columns in another order than the foreign key.
  const ordered = index.columns.every((c, k) => c === fk.refColumns[k]) ? probe
    : index.columns.map((c) => probe[fk.refColumns.indexOf(c)] ?? null);
  return liveMatches(index, ordered).length > 0;
}

/** The unique index over the referenced columns (in its order), preferring the same order. */
export function referencedIndex(parent: Relation, fk: ForeignKey): Index {
  const candidates = parent.indexes.filter((i) => i.unique && i.computed === undefined &&
    i.columns.length === fk.refColumns.length && i.columns.every((c) => fk.refColumns.includes(c)));
  const index = candidates.find((i) => i.columns.every((c, k) => c === fk.refColumns[k])) ??
    candidates[0];
  assert(index !== undefined, "a foreign key references a unique index");
  return index;
}

function liveMatches(index: Index, key: readonly Value[]): RowVersion[] {
  const tree = index.tree;
  const out: RowVersion[] = [];
  const end = tree.upperBound(key);
  for (let i = tree.lowerBound(key); i < end; i++) {
    const version = tree.at(i).version;
    if (isLive(version)) out.push(version);
  }
  return out;
}

/**
 * Returns a lookup of the child rows holding a key: an index probe, or one scan's map. With
 * `parent`, keys are the referenced table's values, converted to the child's column types.
 */
function childFinder(child: Relation, fk: ForeignKey, keys: readonly (readonly Value[])[],
  parent?: Relation): (key: readonly Value[]) => RowVersion[] {
  if (parent !== undefined) {
    const own = (key: readonly Value[]): readonly Value[] | undefined =>
      convertKey(key, parent, fk.refColumns, child, fk.columns);
    const find = childFinder(child, fk, keys.flatMap((k) => {
      const c = own(k);
      return c === undefined ? [] : [c];
    }));
    return (key) => {
      const c = own(key);
      return c === undefined ? [] : find(c);
    };
  }
  const n = fk.columns.length;
  const index = child.indexes.find((i) => i.columns.length >= n && i.computed === undefined &&
    fk.columns.every((c, k) => i.columns[k] === c));
  if (index !== undefined) return (key) => liveMatches(index, key);
  const wanted = new Set(keys.map(keyString));
  const found = new Map<string, RowVersion[]>();
  for (const version of child.store.versions) {
    if (!isLive(version)) continue;
    const k = keyString(fk.columns.map((c) => version.values[c] ?? null));
    if (!wanted.has(k)) continue;
    const list = found.get(k);
    if (list === undefined) found.set(k, [version]);
    else list.push(version);
  }
  return (key) => found.get(keyString(key)) ?? [];
}

/** A string equal for equal keys; integers of different widths compare equal. */
function keyString(key: readonly Value[]): string {
  return key.map((v) => {
    const k = hashKeyOf(v);
    return typeof k === "string" ? `s${k}` : String(k);
  }).join("\u0000");
}

/**
 * 23503 for a referenced row of `parent` deleted or updated. A foreign key to a partitioned
 * table names its constraint row for `parent`; a partitioned referencing table's partition
 * reports its declared foreign key and table.
 */
function stillReferenced(parent: Relation, leaf: Relation, leafFk: ForeignKey,
  key: readonly Value[], rt: RiEnv): SqlError {
  const { owner: child, fk: declared } = declaredForeignKey(rt.catalog, leaf, leafFk);
  const fk = { ...declared, name: referencedConstraintName(declared, parent) };
  const cols = fk.refColumns.map((c) => parent.columns[c]!.name).join(", ");
  const vals = fk.refColumns.map((c, k) => outputValue(parent.columns[c]!.type, key[k]!, rt.ctx));
  return new SqlError(SqlState.foreignKeyViolation,
    `update or delete on table "${parent.name}" violates foreign key constraint "${fk.name}" ` +
    `on table "${child.name}"`,
    { detail: `Key (${cols})=(${vals.join(", ")}) is still referenced from table "${child.name}".`,
      schema: child.schema, table: child.name, constraint: fk.name });
}
