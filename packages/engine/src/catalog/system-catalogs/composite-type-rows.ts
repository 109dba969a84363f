/**
 * The catalog rows of stand-alone composite types (`composite-types.ts`): pg_type rows for
 * the type (typtype 'c', typrelid its relation) and its array type, and the pg_class row
 * (relkind 'c') and pg_attribute rows psql's \dT and \d read.
 */
import type { Row } from "@tessera/sql";
import type { Catalog } from "../catalog.js";
import { compositeTypesOf, type CompositeType } from "../composite-types.js";
import type { Column } from "../relation.js";
import { SysOid } from "./oids.js";

/** pg_type rows: each composite type and its array type. */
export function compositeTypeRows(catalog: Catalog): Row[] {
  const schemas = new Map(catalog.allSchemas());
  return [...compositeTypesOf(catalog).values()].flatMap((t): Row[] => {
    const ns = schemas.get(t.schema) ?? 0;
    const owner = SysOid.bootstrapSuperuser;
    return [
      [t.oid, t.name, ns, owner, -1, false, "c", "C", false, true, ",", t.relOid, 0, 0,
        t.arrayOid, 0, 0, 0, 0, 0, 0, 0, "d", "x", false, 0, -1, 0, 0, null, null, null],
      [t.arrayOid, `_${t.name}`, ns, owner, -1, false, "b", "A", false, true, ",", 0, 0,
        t.oid, 0, 0, 0, 0, 0, 0, 0, 0, "d", "x", false, 0, -1, 0, 0, null, null, null],
    ];
  });
}

/** The pg_class shapes of composite types: relkind 'c', no access method. */
export function compositeClassShapes(catalog: Catalog):
  { oid: number; name: string; schema: string; kind: string; am: number; natts: number;
    checks: number; hasIndex: boolean; hasTriggers: boolean }[] {
  return [...compositeTypesOf(catalog).values()].map((t) => ({ oid: t.relOid, name: t.name,
    schema: t.schema, kind: "c", am: 0, natts: t.attributes.length, checks: 0,
    hasIndex: false, hasTriggers: false }));
}

/** The attributes of each composite type as columns, for pg_attribute. */
export function compositeAttributeColumns(catalog: Catalog):
  { type: CompositeType; columns: Column[] }[] {
  return [...compositeTypesOf(catalog).values()].map((type) => ({ type,
    columns: type.attributes.map((a): Column => ({ name: a.name, type: a.type,
      typmod: a.typmod, notNull: false, defaultExpr: null, identity: null, generated: null,
      dropped: false })) }));
}
