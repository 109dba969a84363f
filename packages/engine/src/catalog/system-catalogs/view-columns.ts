/**
 * Column lists of system views written compactly: `"relid:o schemaname:n seq_scan:l"` is
 * pg_stat_all_tables's first three columns. The codes name the types PostgreSQL 15 sends in
 * a RowDescription for them (an information_schema domain as its base type: sql_identifier
 * is name, character_data varchar, yes_or_no varchar(3), cardinal_number int4, time_stamp
 * timestamptz(2)):
 *
 *   n name   s varchar   y varchar(3)   i int4   l int8   h int2   t text   o oid   b bool
 *   c "char"   f float8   r float4   N numeric   T timestamptz   T2 timestamptz(2)
 *   inet   xid   lsn (pg_lsn)   interval   anyarray   and arrays: t[] o[] n[] r[]
 */
import { assert } from "@tessera/base";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";

type Columns = SystemRelationDef["columns"];

const codes: Readonly<Record<string, readonly [number] | readonly [number, number]>> = {
  n: [Oid.name], s: [Oid.varchar], y: [Oid.varchar, 7], i: [Oid.int4], l: [Oid.int8],
  h: [Oid.int2], t: [Oid.text], o: [Oid.oid], b: [Oid.bool], c: [Oid.char],
  f: [Oid.float8], r: [Oid.float4], N: [Oid.numeric], T: [Oid.timestamptz],
  T2: [Oid.timestamptz, 2], inet: [Oid.inet], xid: [28], lsn: [3220],
  interval: [Oid.interval], "t[]": [1009], "o[]": [1028], "n[]": [1003], "r[]": [1021],
  anyarray: [Oid.anyarray],
};

/** The column list `spec` describes (see the module comment). */
export function columnsOf(spec: string): Columns {
  return spec.trim().split(/\s+/).map((entry) => {
    const [name, code] = entry.split(":");
    const type = codes[code ?? ""];
    assert(name !== undefined && type !== undefined, `column spec ${entry}`);
    return [name, ...type] as const;
  });
}

/** A view with fixed rows (often none) in `schema`. */
export function fixedView(oid: number, schema: string, name: string, spec: string,
  rows: SystemRelationDef["rows"] = () => []): SystemRelationDef {
  return { oid, schema, name, columns: columnsOf(spec), rows };
}
