/**
 * A table attached as a partition takes its parent's row layout: its columns are put in the
 * parent's order, with a dropped slot wherever the parent has one (its own dropped columns
 * go), and its stored rows and indexes are rewritten to match, so a partition's rows are
 * always the parent's rows (`append-scan.ts`, `route.ts`). Undone with the statement.
 */
import { notSupported } from "@tessera/base";
import type { Value } from "@tessera/sql";
import { createIndex } from "../catalog/indexes.js";
import type { Column, Index, Relation } from "../catalog/relation.js";
import type { AlterContext } from "../ddl/alter-table.js";

/** True when `child` already has `parent`'s layout. */
export function sameLayout(parent: Relation, child: Relation): boolean {
  return parent.columns.length === child.columns.length &&
    parent.columns.every((p, i) => p.dropped === child.columns[i]!.dropped &&
      (p.dropped || p.name === child.columns[i]!.name));
}

/** Rewrites `child` (columns, rows, indexes) into `parent`'s layout. */
export function conformLayout(a: AlterContext, parent: Relation, child: Relation): void {
  if (sameLayout(parent, child)) return;
  if (child.foreignKeys.length > 0 || child.indexes.some((i) => i.computed !== undefined) ||
    child.partitionKey !== undefined) {
    throw notSupported("ATTACH PARTITION of a table with foreign keys, expression indexes " +
      "or partitions whose columns are in another order than the parent's");
  }
  const from = parent.columns.map((p) => (p.dropped ? -1
    : child.columns.findIndex((c) => c.name === p.name && !c.dropped)));
  const columns: Column[] = parent.columns.map((p, i) => (from[i]! < 0
    ? { ...p, name: `........pg.dropped.${i + 1}........`, notNull: false, defaultExpr: null,
      identity: null, generated: null, dropped: true }
    : child.columns[from[i]!]!));
  const before = { columns: child.columns, indexes: child.indexes };
  const rows = child.store.versions.map((v) => v.values);
  for (const v of child.store.versions) {
    if (v.values.length === 0) continue;
    const old = v.values;
    v.values = from.map((k): Value => (k < 0 ? null : old[k] ?? null));
  }
  child.columns = columns;
  const indexes = before.indexes;
  child.indexes = [];
  a.undo(() => {
    child.store.versions.forEach((v, i) => {
      if (rows[i] !== undefined) v.values = rows[i]!;
    });
    for (const index of child.indexes) a.catalog.releaseName(child.schema, index.name);
    for (const index of indexes) a.catalog.claimName(child.schema, index.name, index.oid);
    child.columns = before.columns;
    child.indexes = indexes;
  });
  for (const index of indexes) {
    a.catalog.releaseName(child.schema, index.name);
    remake(a, child, index, from);
  }
  child.version++;
}

function remake(a: AlterContext, child: Relation, index: Index, from: readonly number[]): void {
  const columns = index.columns.map((c) => from.indexOf(c));
  createIndex(a.catalog, child, index.name, columns, index.unique, index.primary,
    index.constraintName !== null, undefined, index.descending);
}
