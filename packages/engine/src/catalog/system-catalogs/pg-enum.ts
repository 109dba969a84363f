/**
 * pg_enum (one row per label: its OID, type, sort order and text) and the pg_type rows of
 * enum types (typtype 'e', category E) and their array types, from `enum-types.ts`.
 */
import type { Row } from "@tessera/sql";
import type { Catalog } from "../catalog.js";
import { allEnumLabels, enumTypesOf } from "../enum-types.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { SysOid } from "./oids.js";

export const pgEnum = (catalog: Catalog): SystemRelationDef => ({
  oid: 3501, schema: "pg_catalog", name: "pg_enum",
  columns: [["oid", Oid.oid], ["enumtypid", Oid.oid], ["enumsortorder", Oid.float4],
    ["enumlabel", Oid.name]],
  rows: () => allEnumLabels(catalog)
    .map(({ typeOid, label }): Row => [label.oid, typeOid, label.sortOrder, label.label]),
});

/** pg_type rows of the enums and their arrays, as pg_type.ts lays rows out. */
export function enumTypeRows(catalog: Catalog): Row[] {
  const schemas = new Map(catalog.allSchemas());
  return [...enumTypesOf(catalog).values()].flatMap((t): Row[] => {
    const ns = schemas.get(t.schema) ?? 0;
    const owner = SysOid.bootstrapSuperuser;
    return [
      [t.oid, t.name, ns, owner, 4, true, "e", "E", false, true, ",", 0, 0, 0, t.arrayOid,
        0, 0, 0, 0, 0, 0, 0, "i", "p", false, 0, -1, 0, 0, null, null, null],
      [t.arrayOid, `_${t.name}`, ns, owner, -1, false, "b", "A", false, true, ",", 0, 0,
        t.oid, 0, 0, 0, 0, 0, 0, 0, 0, "i", "x", false, 0, -1, 0, 0, null, null, null],
    ];
  });
}
