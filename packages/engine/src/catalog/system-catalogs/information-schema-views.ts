/**
 * information_schema.views and information_schema.sequences, and the updatability facts
 * tables, columns and views report (PostgreSQL's pg_relation_is_updatable and
 * pg_column_is_updatable): a view is updatable, insertable into and deletable from when it
 * is automatically updatable (`../../analyze/view-write.ts` decides) and has a column that
 * is a plain column of its table; such a column is updatable, an expression is not.
 * is_trigger_updatable, _deletable and _insertable_into say whether the view has an INSTEAD
 * OF trigger for the command.
 */
import { formatType, type Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import { notUpdatable } from "../../analyze/view-write.js";
import { hasInsteadOfTrigger, type TriggerEvent } from "../../plpgsql/trigger-store.js";
import type { Catalog } from "../catalog.js";
import type { Relation } from "../relation.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { numericPrecision } from "./information-schema-columns.js";
import { userRelations } from "./information-schema.js";
import { catalogView } from "./object-defs.js";
import { definitionOrNull } from "./pg-views.js";
import { ownsRelation, tableVisible } from "./information-schema-visibility.js";

const ident = Oid.name;
const chars = Oid.varchar;
const card = Oid.int4;
const yesOrNo = [Oid.varchar, 7] as const;
const schema = "information_schema";

/**
 * The columns of `rel` that INSERT and UPDATE can write: all of a table's, a view's plain
 * column references when the view is automatically updatable, none otherwise.
 */
export function updatableColumns(catalog: Catalog, ctx: StatementContext, rel: Relation):
  ReadonlySet<string> {
  const live = rel.columns.filter((c) => !c.dropped).map((c) => c.name);
  if (rel.kind === "r") return new Set(live);
  if (rel.kind !== "v" || rel.viewQuery === null) return new Set();
  try {
    const view = catalogView(catalog, ctx);
    const result = notUpdatable(rel, "check", { catalog, path: view.path, ctx,
      params: { types: [] }, nextSlot: 0, nextSubplanId: 0, nextCteId: 0 });
    if (typeof result === "string") return new Set();
    return new Set([...result.columns].filter(([, c]) => "column" in c).map(([n]) => n));
  } catch {
    // A view whose query no longer analyzes (its table was altered) cannot be written.
    return new Set();
  }
}

export function infoViews(catalog: Catalog): SystemRelationDef {
  return {
    oid: 13109, schema, name: "views",
    columns: [["table_catalog", ident], ["table_schema", ident], ["table_name", ident],
      ["view_definition", chars], ["check_option", chars], ["is_updatable", ...yesOrNo],
      ["is_insertable_into", ...yesOrNo], ["is_trigger_updatable", ...yesOrNo],
      ["is_trigger_deletable", ...yesOrNo], ["is_trigger_insertable_into", ...yesOrNo]],
    rows: (ctx: StatementContext) => {
      return userRelations(catalog).filter((r) => r.kind === "v" &&
        tableVisible(catalog, ctx, r)).map((r): Row => {
        const writable = updatableColumns(catalog, ctx, r).size > 0 ? "YES" : "NO";
        const trigger = (event: TriggerEvent): string =>
          (hasInsteadOfTrigger(catalog, r, event) ? "YES" : "NO");
        // The text shows to the owner's roles only.
        const text = ownsRelation(catalog, ctx, r) ? definitionOrNull(catalog, ctx, r) : null;
        return [ctx.database, r.schema, r.name, text,
          r.viewCheck?.toUpperCase() ?? "NONE", writable, writable, trigger("update"),
          trigger("delete"), trigger("insert")];
      });
    },
  };
}

/** information_schema.sequences: the sequences, less those of identity columns. */
export function infoSequences(catalog: Catalog): SystemRelationDef {
  return {
    oid: 13110, schema, name: "sequences",
    columns: [["sequence_catalog", ident], ["sequence_schema", ident],
      ["sequence_name", ident], ["data_type", chars], ["numeric_precision", card],
      ["numeric_precision_radix", card], ["numeric_scale", card], ["start_value", chars],
      ["minimum_value", chars], ["maximum_value", chars], ["increment", chars],
      ["cycle_option", ...yesOrNo]],
    rows: (ctx: StatementContext) => [...catalog.allSequences()].filter((s) => {
      const owner = s.ownedBy === null ? undefined : catalog.relation(s.ownedBy.relationOid);
      const column = owner?.columns.find((c) => c.name === s.ownedBy?.column);
      return column?.identity == null;
    }).map((s): Row => [ctx.database, s.schema, s.name, formatType(s.type),
      numericPrecision(s.type, -1), 2, 0, s.start.toString(), s.min.toString(),
      s.max.toString(), s.increment.toString(), s.cycle ? "YES" : "NO"]),
  };
}
