/**
 * Range types (CREATE TYPE … AS RANGE) on the worker nodes, as Citus propagates types: every
 * worker holds the coordinator's range types, so a shard can have a range or multirange
 * column. The SQL is built from the coordinator's catalog, schema-qualified:
 *
 *   CREATE TYPE "public"."floatrange" AS RANGE (SUBTYPE = double precision,
 *     MULTIRANGE_TYPE_NAME = "public"."floatmultirange", SUBTYPE_DIFF = float8mi)
 */
import { rangeTypeOwning, rangeTypesOf, type RangeType } from "@tessera/engine";
import type { Cluster } from "../cluster.js";
import { quoteIdentifier } from "../metadata/naming.js";

function qualified(schema: string, name: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}

/** The range types of the coordinator, in creation (OID) order. */
export function allRangeTypes(cluster: Cluster): RangeType[] {
  return [...rangeTypesOf(cluster.local.catalog).values()].sort((a, b) => a.oid - b.oid);
}

/** A range, multirange or array-of-them type as workers read it, or undefined for others. */
export function rangeTypeSql(cluster: Cluster, oid: number): string | undefined {
  const type = rangeTypeOwning(cluster.local.catalog, oid);
  if (type === undefined) return undefined;
  if (oid === type.oid) return qualified(type.schema, type.name);
  if (oid === type.arrayOid) return `${qualified(type.schema, type.name)}[]`;
  if (oid === type.multirangeOid) return qualified(type.schema, type.multirangeName);
  return `${qualified(type.schema, type.multirangeName)}[]`;
}

/** `CREATE TYPE s.n AS RANGE (…)`; `subtypeSql` names the subtype as workers read it. */
export function rangeCreateSql(type: RangeType, subtypeSql: (oid: number) => string): string {
  const diff = type.subtypeDiff === undefined ? ""
    : `, SUBTYPE_DIFF = pg_catalog.${type.subtypeDiff.name}`;
  return `CREATE TYPE ${qualified(type.schema, type.name)} AS RANGE (SUBTYPE = ` +
    `${subtypeSql(type.subtype)}, MULTIRANGE_TYPE_NAME = ` +
    `${qualified(type.schema, type.multirangeName)}${diff})`;
}

export function rangeDropSql(types: readonly RangeType[], cascade: boolean): string {
  return `DROP TYPE IF EXISTS ${types.map((t) => qualified(t.schema, t.name)).join(", ")}` +
    (cascade ? " CASCADE" : "");
}
