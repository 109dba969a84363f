/**
 * System relations: catalog tables whose rows are computed when a scan starts, from the
 * engine's catalog or from the host's state (the coordinator's node registry). Drivers read
 * them on connect (postgres.js reads pg_type for its array types), psql reads them for its
 * backslash commands, Citus users read pg_dist_*. SQL can read them but not write them.
 */
import { SqlState, assert, SqlError } from "@tessera/base";
import { makeArray, type Row } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import { pgType } from "./system-catalogs/pg-type.js";
import type { Catalog } from "./catalog.js";
import type { Column, Relation } from "./relation.js";
import { TableStore } from "../storage/table-store.js";
import { Oid } from "./types.js";
import { aclArray, ownerOf } from "./privileges.js";

export interface SystemRelationDef {
  /** Fixed OID, as Postgres's catalogs have (pg_type is 1247). */
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  /** Column names, type OIDs and optional typmods, in attribute order. */
  readonly columns: readonly (readonly [string, number] | readonly [string, number, number])[];
  /** Computes the rows; `ctx` is the scanning statement's (pg_settings reads its settings). */
  readonly rows: (ctx: StatementContext) => Row[];
}

/** Adds a system relation to the catalog. */
export function addSystemRelation(catalog: Catalog, def: SystemRelationDef): void {
  // No columns is allowed, as a table may have none (a coordinator's `SELECT FROM t`).
  if (catalog.relation(def.oid) !== undefined) {
    throw new SqlError(SqlState.duplicateTable, `relation "${def.name}" already exists`);
  }
  const columns: Column[] = def.columns.map(([name, type, typmod]) => ({
    name, type, typmod: typmod ?? -1, notNull: false, defaultExpr: null, identity: null,
    generated: null, dropped: false,
  }));
  const relation: Relation = {
    oid: def.oid, kind: "r", schema: def.schema, name: def.name, columns,
    store: new TableStore(), indexes: [], checks: [], foreignKeys: [], viewQuery: null,
    version: 0,
    virtualRows: (ctx) => {
      const rows = def.rows(ctx);
      for (const row of rows) assert(row.length === columns.length, `${def.name} row width`);
      return rows;
    },
  };
  catalog.addRelation(relation);
}

/** The pg_catalog relations every engine has. */
export function addBuiltinSystemRelations(catalog: Catalog): void {
  addSystemRelation(catalog, pgType(catalog));
  addSystemRelation(catalog, pgNamespace(catalog));
}

// PostgreSQL 15's public schema belongs to pg_database_owner, who may create in it, and
// everyone may use it (`privileges.ts`).

function pgNamespace(catalog: Catalog): SystemRelationDef {
  return {
    oid: 2615, schema: "pg_catalog", name: "pg_namespace",
    columns: [["oid", Oid.oid], ["nspname", Oid.name], ["nspowner", Oid.oid],
      ["nspacl", 1009]],
    // public belongs to pg_database_owner (6171) as in Postgres 15; the rest to the superuser.
    rows: () => catalog.allSchemas().map(([name, oid]): Row =>
      [oid, name, ownerOf(catalog, "schema", oid), aclArray(catalog, "schema", oid)]),
  };
}
