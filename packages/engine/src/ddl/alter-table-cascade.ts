/**
 * ALTER TABLE … DROP COLUMN … CASCADE of a column that views read: the views go, with the
 * views that read them, as Postgres drops them through pg_depend. Only views are dropped this
 * way; a materialized view or another kind of dependent raises 0A000.
 */
import { notSupported } from "@tessera/base";
import { removeTable } from "../catalog/create-table.js";
import { describe, objectsToDrop } from "../catalog/depend.js";
import type { Relation } from "../catalog/relation.js";
import type { AlterContext } from "./alter-table.js";

export function dropReadingViews(a: AlterContext, views: readonly Relation[]): void {
  const { catalog } = a;
  const doomed = objectsToDrop(catalog, views.map((rel) => ({ kind: "relation" as const, rel })));
  const going: Relation[] = [];
  for (const d of doomed) {
    if (d.obj.kind !== "relation" || d.obj.rel.kind !== "v") {
      throw notSupported("DROP COLUMN … CASCADE of a column that views read through " +
        "other objects");
    }
    going.push(d.obj.rel);
  }
  const texts = going.map((rel) =>
    describe(catalog, a.statement.path, { kind: "relation", rel }));
  a.notice(texts.length === 1 ? `drop cascades to ${texts[0]!}`
    : `drop cascades to ${texts.length} other objects`);
  for (const rel of going) {
    if (catalog.relation(rel.oid) === undefined) continue;
    removeTable(catalog, rel);
    a.undo(() => catalog.addRelation(rel));
  }
}
