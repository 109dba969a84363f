/**
 * System relations: catalog tables whose rows are computed when a scan starts, from the
 * engine's catalog or from the host's state (the coordinator's node registry). Drivers read
 * them on connect (postgres.js reads pg_type for its array types), psql reads them for its
 * backslash commands, Citus users read pg_dist_*. SQL can read them but not write them.
 */
import { SqlState, assert, SqlError } from "@tessera/base";
import { allTypes, type Row } from "@tessera/sql";
import type { Catalog } from "./catalog.js";
import type { Column, Relation } from "./relation.js";
import { TableStore } from "../storage/table-store.js";
import { Oid } from "./types.js";

export interface SystemRelationDef {
  /** Fixed OID, as Postgres's catalogs have (pg_type is 1247). */
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  /** Column names and type OIDs, in attribute order. */
  readonly columns: readonly (readonly [string, number])[];
  readonly rows: () => Row[];
}

/** Adds a system relation to the catalog. */
export function addSystemRelation(catalog: Catalog, def: SystemRelationDef): void {
  assert(def.columns.length > 0, "a system relation has columns");
  if (catalog.relation(def.oid) !== undefined) {
    throw new SqlError(SqlState.duplicateTable, `relation "${def.name}" already exists`);
  }
  const columns: Column[] = def.columns.map(([name, type]) => ({
    name, type, typmod: -1, notNull: false, defaultExpr: null, identity: null, generated: null,
    dropped: false,
  }));
  const relation: Relation = {
    oid: def.oid, kind: "r", schema: def.schema, name: def.name, columns,
    store: new TableStore(), indexes: [], checks: [], foreignKeys: [], viewQuery: null,
    version: 0,
    virtualRows: () => {
      const rows = def.rows();
      for (const row of rows) assert(row.length === columns.length, `${def.name} row width`);
      return rows;
    },
  };
  catalog.addRelation(relation);
}

/** The pg_catalog relations every engine has. */
export function addBuiltinSystemRelations(catalog: Catalog): void {
  addSystemRelation(catalog, pgType);
  addSystemRelation(catalog, pgNamespace(catalog));
  addSystemRelation(catalog, pgDatabase(catalog));
}

const pgType: SystemRelationDef = {
  oid: 1247, schema: "pg_catalog", name: "pg_type",
  columns: [["oid", Oid.oid], ["typname", Oid.name], ["typnamespace", Oid.oid],
    ["typowner", Oid.oid], ["typlen", Oid.int2], ["typbyval", Oid.bool], ["typtype", Oid.char],
    ["typcategory", Oid.char], ["typispreferred", Oid.bool], ["typisdefined", Oid.bool],
    ["typdelim", Oid.char], ["typrelid", Oid.oid], ["typelem", Oid.oid], ["typarray", Oid.oid],
    ["typnotnull", Oid.bool], ["typbasetype", Oid.oid], ["typtypmod", Oid.int4],
    ["typndims", Oid.int4], ["typcollation", Oid.oid]],
  rows: () => allTypes().map((t): Row => [
    t.oid, t.name, 11, 10, t.len, t.byVal, t.category === "P" ? "p" : "b", t.category,
    t.preferred, true, t.delimiter, 0, t.elementOid, t.arrayOid, false, 0, -1, 0,
    t.category === "S" ? 100 : 0,
  ]),
};

function pgNamespace(catalog: Catalog): SystemRelationDef {
  return {
    oid: 2615, schema: "pg_catalog", name: "pg_namespace",
    columns: [["oid", Oid.oid], ["nspname", Oid.name], ["nspowner", Oid.oid]],
    rows: () => catalog.allSchemas().map(([name, oid]): Row => [oid, name, 10]),
  };
}

function pgDatabase(_catalog: Catalog): SystemRelationDef {
  return {
    oid: 1262, schema: "pg_catalog", name: "pg_database",
    columns: [["oid", Oid.oid], ["datname", Oid.name], ["datdba", Oid.oid],
      ["encoding", Oid.int4], ["datcollate", Oid.text], ["datctype", Oid.text],
      ["datistemplate", Oid.bool], ["datallowconn", Oid.bool], ["datconnlimit", Oid.int4]],
    rows: () => [[5, "postgres", 10, 6, "C", "C", false, true, -1]],
  };
}
