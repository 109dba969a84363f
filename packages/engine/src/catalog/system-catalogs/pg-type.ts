/**
 * pg_type with the columns psql and drivers read (postgres.js reads typelem and typarray on
 * connect; psql's \dT reads typtype and typcategory), and the per-type storage facts
 * pg_attribute repeats (attlen, attalign, attstorage, attcollation).
 */
import { rangeTypeRows } from "./range-type-rows.js";
import { domainTypeRows } from "./domain-rows.js";
import { allTypes, multirangeRangeOid, typeByOid, type PgType, type Row } from "@tessera/sql";
import type { Catalog } from "../catalog.js";
import { rowTypeOid } from "../row-types.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { arrayIo, SysOid } from "./oids.js";
import { enumTypeRows } from "./pg-enum.js";
import { compositeTypeRows } from "./composite-type-rows.js";
import { withTypeOwners } from "../type-owners.js";
import { pseudoTypeRows } from "./pseudo-types.js";

export interface TypeDetails {
  readonly len: number;
  readonly byVal: boolean;
  /** typalign: c (char), s (short), i (int), d (double). */
  readonly align: string;
  /** typstorage: p (plain), m (main), x (extended). */
  readonly storage: string;
  /** typcollation: 100 (default) for string types, 950 (C) for name, else 0. */
  readonly collation: number;
  readonly isArray: boolean;
}

/** Storage facts of a type; an unknown OID reads as a plain varlena. */
export function typeDetails(oid: number): TypeDetails {
  const t = typeByOid(oid);
  if (t === undefined) {
    return { len: -1, byVal: false, align: "i", storage: "x", collation: 0, isArray: false };
  }
  return { len: t.len, byVal: t.byVal, align: alignOf(t), storage: storageOf(t),
    collation: collationOf(t), isArray: t.elementOid !== 0 && t.category === "A" };
}

function alignOf(t: PgType, depth = 0): string {
  // The geometric types hold float8s; macaddr8 (8 bytes) aligns as int4.
  if (t.category === "G") return "d";
  if (t.oid === 774) return "i";
  if (t.len === 1 || t.len === -2 || t.oid === Oid.name || t.oid === Oid.uuid) return "c";
  // tid (6 bytes) aligns as its 16-bit parts; the snapshots as their 64-bit xids.
  if (t.len === 2 || t.oid === 27) return "s";
  if (t.len === 8 || t.oid === Oid.interval || t.oid === 2970 || t.oid === 5038) return "d";
  // An array aligns as its element; a domain over an array names itself as its element.
  if (t.category === "A") {
    const element = typeByOid(t.elementOid);
    if (element === undefined || element.oid === t.oid || depth > 8) return "i";
    return alignOf(element, depth + 1) === "d" ? "d" : "i";
  }
  return "i";
}

function storageOf(t: PgType): string {
  if (t.len !== -1) return "p";
  if (t.oid === Oid.numeric || t.oid === Oid.inet || t.oid === Oid.cidr) return "m";
  return "x";
}

function collationOf(t: PgType): number {
  if (t.oid === Oid.name) return SysOid.cCollation;
  if (t.category === "S") return SysOid.defaultCollation;
  if (t.category === "A") {
    const element = typeByOid(t.elementOid);
    return element !== undefined && element.category === "S" ? collationOf(element) : 0;
  }
  return 0;
}

/** pg_type as Postgres 15 lays it out: the built-in types, then every table's row type. */
export const pgType = (catalog: Catalog): SystemRelationDef => ({
  oid: 1247, schema: "pg_catalog", name: "pg_type",
  columns: [["oid", Oid.oid], ["typname", Oid.name], ["typnamespace", Oid.oid],
    ["typowner", Oid.oid], ["typlen", Oid.int2], ["typbyval", Oid.bool], ["typtype", Oid.char],
    ["typcategory", Oid.char], ["typispreferred", Oid.bool], ["typisdefined", Oid.bool],
    ["typdelim", Oid.char], ["typrelid", Oid.oid], ["typsubscript", Oid.regproc],
    ["typelem", Oid.oid], ["typarray", Oid.oid], ["typinput", Oid.regproc],
    ["typoutput", Oid.regproc], ["typreceive", Oid.regproc], ["typsend", Oid.regproc],
    ["typmodin", Oid.regproc], ["typmodout", Oid.regproc], ["typanalyze", Oid.regproc],
    ["typalign", Oid.char], ["typstorage", Oid.char], ["typnotnull", Oid.bool],
    ["typbasetype", Oid.oid], ["typtypmod", Oid.int4], ["typndims", Oid.int4],
    ["typcollation", Oid.oid], ["typdefaultbin", Oid.text], ["typdefault", Oid.text],
    ["typacl", 1009]],
  rows: (ctx) => withTypeOwners(catalog, [...allTypes().map((t): Row => {
    const d = typeDetails(t.oid);
    const io = d.isArray ? [arrayIo.input, arrayIo.output, arrayIo.receive, arrayIo.send]
      : [0, 0, 0, 0];
    return [t.oid, t.name, SysOid.pgCatalog, SysOid.bootstrapSuperuser, t.len, t.byVal,
      typeKind(t), t.category, t.preferred, true, t.delimiter, 0, 0,
      t.elementOid, t.arrayOid, ...io, 0, 0, 0, d.align, d.storage, false, 0, -1, 0,
      d.collation, null, null, null];
  }), ...systemColumnTypeRows(), ...pseudoTypeRows(), ...rowTypeRows(catalog),
  ...enumTypeRows(catalog), ...compositeTypeRows(catalog), ...domainTypeRows(catalog, ctx),
  ...rangeTypeRows(catalog)]),
});

/** typtype: p pseudo, r range, m multirange, else b (base). */
function typeKind(t: PgType): string {
  if (t.category === "P") return "p";
  if (t.category !== "R") return "b";
  return multirangeRangeOid(t.oid) === undefined ? "r" : "m";
}

/**
 * tid and cid, the types of the system columns ctid, cmin and cmax (pg_attribute lists them
 * for every table, `pg-class.ts`), when the built-in types do not include them.
 */
function systemColumnTypeRows(): Row[] {
  const known = new Set(allTypes().map((t) => t.oid));
  return ([[27, "tid", 6, false, "s", 1010], [29, "cid", 4, true, "i", 1012]] as const)
    .filter(([oid]) => !known.has(oid))
    .map(([oid, name, len, byVal, align, array]): Row => [oid, name, SysOid.pgCatalog,
      SysOid.bootstrapSuperuser, len, byVal, "b", "U", false, true, ",", 0, 0, 0, array, 0, 0,
      0, 0, 0, 0, 0, align, "p", false, 0, -1, 0, 0, null, null, null]);
}

/** The composite types of tables and views: typtype 'c', typrelid the relation. */
function rowTypeRows(catalog: Catalog): Row[] {
  const schemas = new Map(catalog.allSchemas());
  return [...catalog.allRelations()].filter((r) => r.virtualRows === undefined && r.kind !== "S")
    .map((r): Row => [rowTypeOid(catalog, r), r.name, schemas.get(r.schema) ?? 0,
      SysOid.bootstrapSuperuser, -1, false, "c", "C", false, true, ",", r.oid, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, "d", "x", false, 0, -1, 0, 0, null, null, null]);
}
