/**
 * The convenience views over pg_class: pg_tables, pg_indexes, pg_views, pg_sequences, and
 * the pg_sequence catalog behind the last. Rows come straight from the catalog.
 */
import { domainDependRows } from "./domain-rows.js";
import { SqlError, SqlState } from "@tessera/base";
import type { Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import type { Relation } from "../relation.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { catalogView, indexDef } from "./object-defs.js";
import { isSystemRelation } from "./oids.js";
import { viewDefinition } from "./view-deparse.js";
import { dumpDependRows } from "./pg-dump-support.js";

const name = Oid.name;

export function pgTables(catalog: Catalog): SystemRelationDef {
  return {
    oid: 12020, schema: "pg_catalog", name: "pg_tables",
    columns: [["schemaname", name], ["tablename", name], ["tableowner", name],
      ["tablespace", name], ["hasindexes", Oid.bool], ["hasrules", Oid.bool],
      ["hastriggers", Oid.bool], ["rowsecurity", Oid.bool]],
    rows: () => [...catalog.allRelations()].filter((r) => r.kind === "r").map((r): Row =>
      [r.schema, r.name, "postgres", null, r.indexes.length > 0, false,
        r.foreignKeys.length > 0, false]),
  };
}

export function pgIndexes(catalog: Catalog): SystemRelationDef {
  return {
    oid: 12021, schema: "pg_catalog", name: "pg_indexes",
    columns: [["schemaname", name], ["tablename", name], ["indexname", name],
      ["tablespace", name], ["indexdef", Oid.text]],
    rows: (ctx: StatementContext) => {
      const view = catalogView(catalog, ctx);
      const rows: Row[] = [];
      for (const r of catalog.allRelations()) {
        for (const i of r.indexes) {
          rows.push([r.schema, r.name, i.name, null, indexDef(view, r, i)]);
        }
      }
      return rows;
    },
  };
}

export function pgViews(catalog: Catalog): SystemRelationDef {
  return {
    oid: 12022, schema: "pg_catalog", name: "pg_views",
    columns: [["schemaname", name], ["viewname", name], ["viewowner", name],
      ["definition", Oid.text]],
    rows: (ctx: StatementContext) => [...catalog.allRelations()].filter((r) => r.kind === "v" &&
      !isSystemRelation(r)).map((r): Row => [r.schema, r.name, "postgres",
      definitionOrNull(catalog, ctx, r)]),
  };
}

/** pg_matviews: the materialized views (`ddl/materialized-views.ts`), PostgreSQL 15's columns. */
export function pgMatviews(catalog: Catalog): SystemRelationDef {
  return {
    oid: 12224, schema: "pg_catalog", name: "pg_matviews",
    columns: [["schemaname", name], ["matviewname", name], ["matviewowner", name],
      ["tablespace", name], ["hasindexes", Oid.bool], ["ispopulated", Oid.bool],
      ["definition", Oid.text]],
    rows: (ctx: StatementContext) => [...catalog.allRelations()].filter((r) => r.kind === "m")
      .map((r): Row => [r.schema, r.name, "postgres", null, r.indexes.length > 0,
        r.matviewPopulated === true, definitionOrNull(catalog, ctx, r)]),
  };
}

export function pgSequence(catalog: Catalog): SystemRelationDef {
  return {
    oid: 2224, schema: "pg_catalog", name: "pg_sequence",
    columns: [["seqrelid", Oid.oid], ["seqtypid", Oid.oid], ["seqstart", Oid.int8],
      ["seqincrement", Oid.int8], ["seqmax", Oid.int8], ["seqmin", Oid.int8],
      ["seqcache", Oid.int8], ["seqcycle", Oid.bool]],
    rows: () => [...catalog.allSequences()].map((s): Row =>
      [s.oid, s.type, s.start, s.increment, s.max, s.min, s.cache, s.cycle]),
  };
}

/**
 * pg_depend: the column a serial or identity sequence belongs to, and the edges pg_dump orders
 * its output by (`pg-dump-support.ts`).
 */
export function pgDepend(catalog: Catalog): SystemRelationDef {
  return {
    oid: 2608, schema: "pg_catalog", name: "pg_depend",
    columns: [["classid", Oid.oid], ["objid", Oid.oid], ["objsubid", Oid.int4],
      ["refclassid", Oid.oid], ["refobjid", Oid.oid], ["refobjsubid", Oid.int4],
      ["deptype", Oid.char]],
    rows: () => {
      const rows: Row[] = [];
      for (const s of catalog.allSequences()) {
        if (s.ownedBy === null) continue;
        const rel = catalog.relation(s.ownedBy.relationOid);
        const column = rel?.columns.findIndex((c) => c.name === s.ownedBy?.column) ?? -1;
        if (rel === undefined || column < 0) continue;
        const identity = rel.columns[column]!.identity !== null;
        rows.push([1259, s.oid, 0, 1259, rel.oid, column + 1, identity ? "i" : "a"]);
      }
      rows.push(...dumpDependRows(catalog), ...domainDependRows(catalog));
      return rows;
    },
  };
}

export function pgSequences(catalog: Catalog): SystemRelationDef {
  return {
    oid: 12023, schema: "pg_catalog", name: "pg_sequences",
    columns: [["schemaname", name], ["sequencename", name], ["sequenceowner", name],
      ["data_type", Oid.regtype], ["start_value", Oid.int8], ["min_value", Oid.int8],
      ["max_value", Oid.int8], ["increment_by", Oid.int8], ["cycle", Oid.bool],
      ["cache_size", Oid.int8], ["last_value", Oid.int8]],
    rows: () => [...catalog.allSequences()].map((s): Row =>
      [s.schema, s.name, "postgres", s.type, s.start, s.min, s.max, s.increment, s.cycle,
        s.cache, s.last]),
  };
}

/** A view's definition; null for one the printer cannot print yet, so the scan still works. */
function definitionOrNull(catalog: Catalog, ctx: StatementContext, rel: Relation): string | null {
  try {
    return viewDefinition(catalogView(catalog, ctx), rel, false);
  } catch (error) {
    if (error instanceof SqlError && error.code === SqlState.featureNotSupported) return null;
    throw error;
  }
}
