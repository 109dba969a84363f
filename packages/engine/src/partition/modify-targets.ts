/**
 * INSERT, UPDATE and DELETE on a partitioned table (ExecFindPartition, ExecCrossPartition-
 * Update): a new row goes to the leaf its key routes it to; an updated or deleted row is
 * found in the leaf its row id names; an update that takes the row out of its leaf deletes
 * it there and inserts it through the table the statement names.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Row } from "@tessera/sql";
import type { Index, Relation } from "../catalog/relation.js";
import type { OnConflictSpec } from "../analyze/on-conflict.js";
import type { StatementWriter, TableWriter } from "../execute/row-writer.js";
import { failingRow } from "../execute/row-writer.js";
import type { RowVersion } from "../storage/table-store.js";
import { leafOfRowId } from "./append-scan.js";
import { fitsPartition, partitionCheckError, Router } from "./route.js";
import type { LeafTriggers } from "./leaf-triggers.js";

export class PartitionTargets {
  private readonly router: Router;
  /** The row triggers of the leaves reached, when ModifyTable fires them. */
  leafTriggers: LeafTriggers | undefined;

  constructor(private readonly root: Relation, private readonly writes: StatementWriter) {
    this.router = new Router(writes.rt.catalog, root, writes.rt.ctx);
  }

  /**
   * The writer of the leaf a new row goes to (23514 when there is none). A table that is
   * itself a partition first checks its own partition constraint (ExecFindPartition).
   */
  route(row: Row): TableWriter {
    if (this.root.partitionOf !== undefined &&
      !fitsPartition(this.writes.rt.catalog, this.root, row)) {
      throw partitionCheckError(this.root, failingRow(this.root, row, this.writes.rt));
    }
    return this.writes.table(this.router.leafFor(row));
  }

  /** The writer and the version a target scan's row id names. */
  locate(rowId: number): { writer: TableWriter; version: RowVersion; old?: Row } {
    const { leaf, slot } = leafOfRowId(this.writes.rt.catalog, this.root, rowId);
    return { writer: this.writes.table(leaf), version: leaf.store.at(slot) };
  }

  /**
   * Replaces `version` (in `writer`'s leaf) with `row`, moving it when its key moved it;
   * returns the new version, the leaf holding it and the row stored (a moved row passes the
   * leaves' DELETE and INSERT row triggers, which may change it), or null when a BEFORE
   * trigger skipped the move.
   */
  update(writer: TableWriter, version: RowVersion, row: Row):
    { version: RowVersion; tableOid: number; row?: Row } | null {
    const catalog = this.writes.rt.catalog;
    if (fitsPartition(catalog, writer.rel, row)) {
      return { version: writer.update(version, row), tableOid: writer.rel.oid };
    }
    if (!fitsPartition(catalog, this.root, row)) {
      throw partitionCheckError(this.root, failingRow(this.root, row, this.writes.rt));
    }
    const deleting = this.leafTriggers?.of(writer.rel, "delete");
    if (deleting !== undefined && deleting.before(null, version.values) === null) return null;
    this.writes.ri.rowMoving(this.root, row);
    writer.delete(version);
    deleting?.after(null, version.values);
    const target = this.route(row);
    const inserting = this.leafTriggers?.of(target.rel, "insert");
    const stored = inserting === undefined ? row : inserting.before(row, null);
    if (stored === null) return null;
    target.checkRow(stored, inserting === undefined);
    const moved = target.insertChecked(stored);
    inserting?.after(stored, null);
    return { version: moved, tableOid: target.rel.oid, row: stored };
  }
}

/** ON CONFLICT's arbiter indexes of a partitioned table, as the leaf's matching indexes. */
export function leafConflictSpec(spec: OnConflictSpec, leaf: Relation): OnConflictSpec {
  if (spec.arbiters === null) return spec;
  const match = (index: Index): Index | undefined => leaf.indexes.find((i) =>
    i.unique && i.columns.length === index.columns.length &&
    i.columns.every((c, k) => c === index.columns[k]));
  const arbiters = spec.arbiters.map(match).filter((i): i is Index => i !== undefined);
  return { ...spec, arbiters };
}

/**
 * COPY FROM into a partitioned table: each row is routed and checked against its leaf, then
 * each leaf takes its rows in one batch. `progress.done` names the row that failed.
 */
export function insertRouted(writes: StatementWriter, root: Relation, rows: readonly Row[],
  progress: { done: number }): void {
  const targets = new PartitionTargets(root, writes);
  const batches = new Map<TableWriter, { rows: Row[]; first: number }>();
  rows.forEach((row, i) => {
    progress.done = i;
    const writer = targets.route(row);
    writer.checkRow(row, true);
    const batch = batches.get(writer);
    if (batch === undefined) batches.set(writer, { rows: [row], first: i });
    else batch.rows.push(row);
  });
  for (const [writer, batch] of batches) {
    const local = { done: 0 };
    try {
      writer.insertMany(batch.rows, local);
    } catch (error) {
      progress.done = batch.first;
      throw error;
    }
  }
  progress.done = rows.length;
}

/** ON CONFLICT DO UPDATE through a partitioned table may not move the row (0A000). */
export function checkConflictUpdateStays(writer: TableWriter, row: Row): void {
  if (fitsPartition(writer.rt.catalog, writer.rel, row)) return;
  throw new SqlError(SqlState.featureNotSupported, "invalid ON UPDATE specification",
    { detail: "The result tuple would appear in a different partition than the original " +
      "tuple." });
}
