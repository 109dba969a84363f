/**
 * Pseudo-types that only a function's signature or a catalog column names: `trigger` and
 * `event_trigger` (what trigger functions return), and the handler types of languages, access
 * methods and foreign-data wrappers. Tessera has no values of them; pg_type lists them, and
 * regtype and format_type name them, because clients ask: pgcli's function list filters on
 * `prorettype::regtype != 'trigger'::regtype`, psql's \df on `prorettype = 'pg_catalog.trigger'`.
 */
import type { Row } from "@tessera/sql";
import { SysOid } from "./oids.js";

/** OID and name, as Postgres 15 numbers them. */
const pseudoTypes: readonly (readonly [number, string])[] = [
  [269, "table_am_handler"], [325, "index_am_handler"], [2279, "trigger"],
  [2280, "language_handler"], [3115, "fdw_handler"], [3310, "tsm_handler"],
  [3838, "event_trigger"],
  // The range polymorphics, which pg_operator's range operators name (pg-operator.ts).
  [3831, "anyrange"], [4537, "anymultirange"], [5080, "anycompatiblerange"],
  [4538, "anycompatiblemultirange"],
];

const byOid = new Map(pseudoTypes);
const byName = new Map(pseudoTypes.map(([oid, name]) => [name, oid]));

/** The name of one of these pseudo-types, or undefined. */
export function pseudoTypeName(oid: number): string | undefined {
  return byOid.get(oid);
}

/** The OID of `name` or `pg_catalog.name` when it is one of these pseudo-types. */
export function pseudoTypeOid(parts: readonly string[]): number | undefined {
  if (parts.length > 2 || (parts.length === 2 && parts[0] !== "pg_catalog")) return undefined;
  return byName.get(parts[parts.length - 1] ?? "");
}

/** Their pg_type rows: 4 bytes, by value, typtype 'p', category 'P', as Postgres shows them. */
export function pseudoTypeRows(): Row[] {
  return pseudoTypes.map(([oid, name]): Row => [oid, name, SysOid.pgCatalog,
    SysOid.bootstrapSuperuser, 4, true, "p", "P", false, true, ",", 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, "i", "p", false, 0, -1, 0, 0, null, null, null]);
}
