/**
 * The pg_type rows of the range types a database created (`catalog/range-types.ts`): the
 * range (typtype 'r'), its multirange ('m') and their array types; and pg_range with the
 * built-in range types' rows and theirs (the subtype's default btree opclass, as
 * PostgreSQL 15 numbers it; rngsubdiff the SUBTYPE_DIFF function, when given).
 */
import type { Row } from "@tessera/sql";
import type { Catalog } from "../catalog.js";
import { rangeTypesOf } from "../range-types.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { SysOid } from "./oids.js";

/** Default btree opclass OIDs by type OID (pg_opclass, PostgreSQL 15). */
const btreeOpclasses: ReadonlyMap<number, number> = new Map([[16, 10003], [17, 10006],
  [18, 10007], [19, 10028], [20, 3124], [21, 1979], [23, 1978], [25, 3126], [26, 1981],
  [700, 10012], [701, 3123], [774, 10026], [790, 10047], [829, 10024], [869, 10015],
  [1042, 10004], [1082, 3122], [1083, 10038], [1114, 3128], [1184, 3127], [1186, 10022],
  [1266, 10041], [1560, 10002], [1562, 10043], [1700, 3125], [2950, 10065], [3220, 10067],
  [3802, 10088]]);

/** Four pg_type rows per range type: range, multirange, and the arrays of both. */
export function rangeTypeRows(catalog: Catalog): Row[] {
  const schemas = new Map(catalog.allSchemas());
  const owner = SysOid.bootstrapSuperuser;
  const row = (oid: number, name: string, ns: number, kind: string, category: string,
    elem: number, array: number): Row => [oid, name, ns, owner, -1, false, kind, category,
    false, true, ",", 0, 0, elem, array, 0, 0, 0, 0, 0, 0, 0, "d", "x", false, 0, -1, 0, 0,
    null, null, null];
  return [...rangeTypesOf(catalog).values()].flatMap((t): Row[] => {
    const ns = schemas.get(t.schema) ?? 0;
    return [
      row(t.oid, t.name, ns, "r", "R", 0, t.arrayOid),
      row(t.multirangeOid, t.multirangeName, ns, "m", "R", 0, t.multirangeArrayOid),
      row(t.arrayOid, `_${t.name}`, ns, "b", "A", t.oid, 0),
      row(t.multirangeArrayOid, `_${t.multirangeName}`, ns, "b", "A", t.multirangeOid, 0),
    ];
  });
}

/** The built-in range types' pg_range rows. */
const builtinRanges: readonly Row[] = [[3904, 23, 4451, 0, 1978, 0, 0],
  [3906, 1700, 4532, 0, 3125, 0, 0], [3908, 1114, 4533, 0, 3128, 0, 0],
  [3910, 1184, 4534, 0, 3127, 0, 0], [3912, 1082, 4535, 0, 3122, 0, 0],
  [3926, 20, 4536, 0, 3124, 0, 0]];

/** pg_range; rngcanonical and rngsubdiff of the built-in ones are not listed in pg_proc, so 0. */
export const pgRange = (catalog: Catalog): SystemRelationDef => ({
  oid: 3541, schema: "pg_catalog", name: "pg_range",
  columns: [["rngtypid", Oid.oid], ["rngsubtype", Oid.oid], ["rngmultitypid", Oid.oid],
    ["rngcollation", Oid.oid], ["rngsubopc", Oid.oid], ["rngcanonical", Oid.regproc],
    ["rngsubdiff", Oid.regproc]],
  rows: () => [...builtinRanges, ...[...rangeTypesOf(catalog).values()].map((t): Row =>
    [t.oid, t.subtype, t.multirangeOid, 0, btreeOpclasses.get(t.subtype) ?? 0, 0,
      t.subtypeDiff?.oid ?? 0])],
});
