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
import { ownerNameOf, ownerOf } from "../privileges.js";
import { bootstrapSuperuserOid, roleByOid } from "../roles.js";
import { sqlTableNames } from "./sql-tables.js";

const name = Oid.name;

export function pgTables(catalog: Catalog): SystemRelationDef {
  return {
    oid: 12020, schema: "pg_catalog", name: "pg_tables",
    columns: [["schemaname", name], ["tablename", name], ["tableowner", name],
      ["tablespace", name], ["hasindexes", Oid.bool], ["hasrules", Oid.bool],
      ["hastriggers", Oid.bool], ["rowsecurity", Oid.bool]],
    rows: () => [...catalog.allRelations()].filter((r) => r.kind === "r").map((r): Row =>
      [r.schema, r.name, ownerNameOf(catalog, "table", r.oid), null, r.indexes.length > 0,
        false, r.foreignKeys.length > 0, false]),
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

/**
 * pg_views: the user's views with their definitions, then the system views PostgreSQL 15
 * has in pg_catalog and information_schema, owned by the bootstrap superuser. Tessera
 * computes those in TypeScript, not from SQL, so no SELECT text stands behind them and their
 * definition is NULL.
 */
export function pgViews(catalog: Catalog): SystemRelationDef {
  return {
    oid: 12022, schema: "pg_catalog", name: "pg_views",
    columns: [["schemaname", name], ["viewname", name], ["viewowner", name],
      ["definition", Oid.text]],
    rows: (ctx: StatementContext) => {
      const user = [...catalog.allRelations()].filter((r) => r.kind === "v" &&
        !isSystemRelation(r)).map((r): Row => [r.schema, r.name,
        roleName(catalog, ownerOf(catalog, "table", r.oid)), definitionOrNull(catalog, ctx, r)]);
      const owner = roleName(catalog, bootstrapSuperuserOid);
      return user.concat(systemViews(catalog).map((r): Row => [r.schema, r.name, owner, null]));
    },
  };
}

/** The names of PostgreSQL 15's views in pg_catalog. */
const pgCatalogViewNames = `pg_available_extension_versions pg_available_extensions
  pg_backend_memory_contexts pg_config pg_cursors pg_file_settings pg_group pg_hba_file_rules
  pg_ident_file_mappings pg_indexes pg_locks pg_matviews pg_policies pg_prepared_statements
  pg_prepared_xacts pg_publication_tables pg_replication_origin_status pg_replication_slots
  pg_roles pg_rules pg_seclabels pg_sequences pg_settings pg_shadow pg_shmem_allocations
  pg_stat_activity pg_stat_all_indexes pg_stat_all_tables pg_stat_archiver pg_stat_bgwriter
  pg_stat_database pg_stat_database_conflicts pg_stat_gssapi pg_stat_progress_analyze
  pg_stat_progress_basebackup pg_stat_progress_cluster pg_stat_progress_copy
  pg_stat_progress_create_index pg_stat_progress_vacuum pg_stat_recovery_prefetch
  pg_stat_replication pg_stat_replication_slots pg_stat_slru pg_stat_ssl pg_stat_subscription
  pg_stat_subscription_stats pg_stat_sys_indexes pg_stat_sys_tables pg_stat_user_functions
  pg_stat_user_indexes pg_stat_user_tables pg_stat_wal pg_stat_wal_receiver
  pg_stat_xact_all_tables pg_stat_xact_sys_tables pg_stat_xact_user_functions
  pg_stat_xact_user_tables pg_statio_all_indexes pg_statio_all_sequences pg_statio_all_tables
  pg_statio_sys_indexes pg_statio_sys_sequences pg_statio_sys_tables pg_statio_user_indexes
  pg_statio_user_sequences pg_statio_user_tables pg_stats pg_stats_ext pg_stats_ext_exprs
  pg_tables pg_timezone_abbrevs pg_timezone_names pg_user pg_user_mappings pg_views`;

let pgCatalogViews: ReadonlySet<string> | undefined;

/**
 * The system relations that are views in PostgreSQL 15: its pg_catalog views Tessera has,
 * and every relation of information_schema but the four sql_* tables.
 */
function systemViews(catalog: Catalog): Relation[] {
  pgCatalogViews ??= new Set(pgCatalogViewNames.trim().split(/\s+/));
  const views = pgCatalogViews;
  return [...catalog.allRelations()].filter((r) => isSystemRelation(r) &&
    (r.schema === "pg_catalog" ? views.has(r.name)
      : r.schema === "information_schema" && !sqlTableNames.has(r.name)));
}

const roleName = (catalog: Catalog, oid: number): string =>
  roleByOid(catalog, oid)?.name ?? String(oid);

/** pg_matviews: the materialized views (`ddl/materialized-views.ts`), PostgreSQL 15's columns. */
export function pgMatviews(catalog: Catalog): SystemRelationDef {
  return {
    oid: 12224, schema: "pg_catalog", name: "pg_matviews",
    columns: [["schemaname", name], ["matviewname", name], ["matviewowner", name],
      ["tablespace", name], ["hasindexes", Oid.bool], ["ispopulated", Oid.bool],
      ["definition", Oid.text]],
    rows: (ctx: StatementContext) => [...catalog.allRelations()].filter((r) => r.kind === "m")
      .map((r): Row => [r.schema, r.name, ownerNameOf(catalog, "table", r.oid), null,
        r.indexes.length > 0,
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
      [s.schema, s.name, ownerNameOf(catalog, "sequence", s.oid), s.type, s.start, s.min,
        s.max, s.increment, s.cycle, s.cache, s.last]),
  };
}

/** A view's definition; null for one the printer cannot print yet, so the scan still works. */
export function definitionOrNull(catalog: Catalog, ctx: StatementContext, rel: Relation):
  string | null {
  try {
    return viewDefinition(catalogView(catalog, ctx), rel, false);
  } catch (error) {
    if (error instanceof SqlError && error.code === SqlState.featureNotSupported) return null;
    throw error;
  }
}
