/**
 * The engine's view of pg_type: for each built-in type OID its name (`typname`, which names
 * a cast's result column), its SQL spelling (`format_type`), length, category and whether it is
 * the preferred type of its category. Overload resolution (parse_func.c's
 * func_select_candidate) and common-type selection (select_common_type) decide on these.
 *
 * Value I/O (text in and out, comparison, hashing) lives in `@tessera/sql`'s type registry;
 * `type-io.ts` is the adapter to it.
 */
import { SqlError, SqlState } from "@tessera/base";

export interface TypeInfo {
  readonly oid: number;
  /** pg_type.typname: "int4", "varchar", "_int4". */
  readonly name: string;
  /** format_type's spelling: "integer", "character varying", "integer[]". */
  readonly sqlName: string;
  /** pg_type.typlen: -1 for varlena, -2 for cstring. */
  readonly len: number;
  /** pg_type.typcategory: N numeric, S string, B boolean, D datetime, T timespan, U user … */
  readonly category: string;
  readonly preferred: boolean;
  /** Element type for arrays, else 0. */
  readonly elem: number;
  /** Array type of this type, else 0. */
  readonly array: number;
}

/** Type OIDs the engine names directly (PostgreSQL 15's pg_type). */
export const Oid = {
  bool: 16, bytea: 17, char: 18, name: 19, int8: 20, int2: 21, int4: 23, regproc: 24,
  text: 25, oid: 26, json: 114, float4: 700, float8: 701, unknown: 705, inet: 869,
  cidr: 650, bpchar: 1042, varchar: 1043, date: 1082, time: 1083, timestamp: 1114,
  timestamptz: 1184, interval: 1186, timetz: 1266, numeric: 1700, regclass: 2205, uuid: 2950,
  jsonb: 3802, record: 2249, void: 2278, any: 2276, anyarray: 2277, anyelement: 2283,
  anynonarray: 2776, anycompatible: 5077, anycompatiblearray: 5078,
  anycompatiblenonarray: 5079, cstring: 2275, internal: 2281, regtype: 2206, bit: 1560,
  varbit: 1562, refcursor: 1790,
} as const;

type Row = [oid: number, name: string, sqlName: string, len: number, cat: string,
  preferred: boolean, array: number];

const rows: readonly Row[] = [
  [16, "bool", "boolean", 1, "B", true, 1000],
  [17, "bytea", "bytea", -1, "U", false, 1001],
  [18, "char", "\"char\"", 1, "Z", false, 1002],
  [19, "name", "name", 64, "S", false, 1003],
  [20, "int8", "bigint", 8, "N", false, 1016],
  [21, "int2", "smallint", 2, "N", false, 1005],
  [23, "int4", "integer", 4, "N", false, 1007],
  [24, "regproc", "regproc", 4, "N", false, 1008],
  [25, "text", "text", -1, "S", true, 1009],
  [26, "oid", "oid", 4, "N", true, 1028],
  [114, "json", "json", -1, "U", false, 199],
  [650, "cidr", "cidr", -1, "I", false, 651],
  [700, "float4", "real", 4, "N", false, 1021],
  [701, "float8", "double precision", 8, "N", true, 1022],
  [705, "unknown", "unknown", -2, "X", false, 0],
  [869, "inet", "inet", -1, "I", true, 1041],
  [829, "macaddr", "macaddr", 6, "U", false, 1040],
  [774, "macaddr8", "macaddr8", 8, "U", false, 775],
  [790, "money", "money", 8, "N", false, 791],
  [600, "point", "point", 16, "G", false, 1017],
  [601, "lseg", "lseg", 32, "G", false, 1018],
  [602, "path", "path", -1, "G", false, 1019],
  [603, "box", "box", 32, "G", false, 1020],
  [604, "polygon", "polygon", -1, "G", false, 1027],
  [628, "line", "line", 24, "G", false, 629],
  [718, "circle", "circle", 24, "G", false, 719],
  [1042, "bpchar", "character", -1, "S", false, 1014],
  [1043, "varchar", "character varying", -1, "S", false, 1015],
  [1560, "bit", "bit", -1, "V", false, 1561],
  [1562, "varbit", "bit varying", -1, "V", true, 1563],
  [1082, "date", "date", 4, "D", false, 1182],
  [1083, "time", "time without time zone", 8, "D", false, 1183],
  [1114, "timestamp", "timestamp without time zone", 8, "D", false, 1115],
  [1184, "timestamptz", "timestamp with time zone", 8, "D", true, 1185],
  [1186, "interval", "interval", 16, "T", true, 1187],
  [1266, "timetz", "time with time zone", 12, "D", false, 1270],
  [1700, "numeric", "numeric", -1, "N", false, 1231],
  [1790, "refcursor", "refcursor", -1, "U", false, 2201],
  [2205, "regclass", "regclass", 4, "N", false, 2210],
  [2206, "regtype", "regtype", 4, "N", false, 2211],
  [2202, "regprocedure", "regprocedure", 4, "N", false, 2207],
  [2203, "regoper", "regoper", 4, "N", false, 2208],
  [2204, "regoperator", "regoperator", 4, "N", false, 2209],
  [4089, "regnamespace", "regnamespace", 4, "N", false, 4090],
  [4096, "regrole", "regrole", 4, "N", false, 4097],
  [4191, "regcollation", "regcollation", 4, "N", false, 4192],
  [27, "tid", "tid", 6, "U", false, 1010],
  [28, "xid", "xid", 4, "U", false, 1011],
  [29, "cid", "cid", 4, "U", false, 1012],
  [5069, "xid8", "xid8", 8, "U", false, 271],
  [2970, "txid_snapshot", "txid_snapshot", -1, "U", false, 2949],
  [5038, "pg_snapshot", "pg_snapshot", -1, "U", false, 5039],
  [2950, "uuid", "uuid", 16, "U", false, 2951],
  [3220, "pg_lsn", "pg_lsn", 8, "U", false, 3221],
  [3802, "jsonb", "jsonb", -1, "U", false, 3807],
  [4072, "jsonpath", "jsonpath", -1, "U", false, 4073],
  [3614, "tsvector", "tsvector", -1, "U", false, 3643],
  [3615, "tsquery", "tsquery", -1, "U", false, 3645],
  [3642, "gtsvector", "gtsvector", -1, "U", false, 3644],
  [3734, "regconfig", "regconfig", 4, "N", false, 3735],
  [3904, "int4range", "int4range", -1, "R", false, 3905],
  [3906, "numrange", "numrange", -1, "R", false, 3907],
  [3908, "tsrange", "tsrange", -1, "R", false, 3909],
  [3910, "tstzrange", "tstzrange", -1, "R", false, 3911],
  [3912, "daterange", "daterange", -1, "R", false, 3913],
  [3926, "int8range", "int8range", -1, "R", false, 3927],
  [4451, "int4multirange", "int4multirange", -1, "R", false, 6150],
  [4532, "nummultirange", "nummultirange", -1, "R", false, 6151],
  [4533, "tsmultirange", "tsmultirange", -1, "R", false, 6152],
  [4534, "tstzmultirange", "tstzmultirange", -1, "R", false, 6153],
  [4535, "datemultirange", "datemultirange", -1, "R", false, 6155],
  [4536, "int8multirange", "int8multirange", -1, "R", false, 6157],
  [2249, "record", "record", -1, "P", false, 2287],
  [2275, "cstring", "cstring", -2, "P", false, 1263],
  [2276, "any", "\"any\"", 4, "P", false, 0],
  [2277, "anyarray", "anyarray", -1, "P", false, 0],
  [2278, "void", "void", 4, "P", false, 0],
  [2281, "internal", "internal", 8, "P", false, 0],
  [2283, "anyelement", "anyelement", 4, "P", false, 0],
  [2776, "anynonarray", "anynonarray", 4, "P", false, 0],
  [5077, "anycompatible", "anycompatible", 4, "P", false, 0],
  [5078, "anycompatiblearray", "anycompatiblearray", -1, "P", false, 0],
  [5079, "anycompatiblenonarray", "anycompatiblenonarray", 4, "P", false, 0],
];

const byOid = new Map<number, TypeInfo>();
const byName = new Map<string, TypeInfo>();

for (const [oid, name, sqlName, len, category, preferred, array] of rows) {
  const info: TypeInfo = { oid, name, sqlName, len, category, preferred, elem: 0, array };
  byOid.set(oid, info);
  byName.set(name, info);
  if (array !== 0) {
    const arrayInfo: TypeInfo = {
      oid: array, name: `_${name}`, sqlName: `${sqlName}[]`, len: -1, category: "A",
      preferred: false, elem: oid, array: 0,
    };
    byOid.set(array, arrayInfo);
    byName.set(arrayInfo.name, arrayInfo);
  }
}

// int2vector and oidvector: zero-based arrays of int2 and oid, subscripted like arrays.
const vectors = [[22, "int2vector", 21, 1006], [30, "oidvector", 26, 1013]] as const;
for (const [oid, name, elem, array] of vectors) {
  const info: TypeInfo = { oid, name, sqlName: name, len: -1, category: "A", preferred: false,
    elem, array };
  byOid.set(oid, info);
  byName.set(name, info);
}

/** SQL-standard spellings the grammar leaves as plain names, and common aliases. */
const aliases: Readonly<Record<string, string>> = {
  int: "int4", integer: "int4", smallint: "int2", bigint: "int8", real: "float4",
  float: "float8", "double precision": "float8", decimal: "numeric", boolean: "bool",
  character: "bpchar", char: "bpchar", "character varying": "varchar", serial: "int4",
  bigserial: "int8", smallserial: "int2", serial4: "int4", serial8: "int8", serial2: "int2",
  timestamptz: "timestamptz", timetz: "timetz", "timestamp with time zone": "timestamptz",
  "timestamp without time zone": "timestamp", "time without time zone": "time",
  "time with time zone": "timetz", string: "text", "bit varying": "varbit",
};

/** Types a database created (enums, `enum-types.ts`), found by OID only: names are schemas'. */
const userInfos = new Map<number, TypeInfo>();

/** Adds or replaces a created type's TypeInfo. */
export function registerUserTypeInfo(info: TypeInfo): void {
  userInfos.set(info.oid, info);
}

export function unregisterUserTypeInfo(oid: number): void {
  userInfos.delete(oid);
}

/** Returns the type with `oid`; unknown OIDs are a bug in the caller. */
export function typeInfo(oid: number): TypeInfo {
  const info = byOid.get(oid) ?? userInfos.get(oid);
  if (info !== undefined) return info;
  return { oid, name: `type${oid}`, sqlName: `type${oid}`, len: -1, category: "U",
    preferred: false, elem: 0, array: 0 };
}

/** Returns the type named `name` (typname or a known alias), or undefined. */
export function typeByNameOrUndefined(name: string): TypeInfo | undefined {
  const lower = name.toLowerCase();
  return byName.get(lower) ?? byName.get(aliases[lower] ?? "");
}

/** Returns the type named `name`, or raises 42704 as Postgres does. */
export function typeNamed(name: string, location?: number): TypeInfo {
  const info = typeByNameOrUndefined(name);
  if (info === undefined) {
    throw new SqlError(SqlState.undefinedObject, `type "${name}" does not exist`,
      location === undefined ? {} : { location });
  }
  return info;
}

/** Returns the array type of `elem`, or 0. */
export function arrayOf(elem: number): number {
  return (byOid.get(elem) ?? userInfos.get(elem))?.array ?? 0;
}

/** True for the polymorphic pseudo-types that analysis resolves per call. */
export function isPolymorphic(oid: number): boolean {
  return oid === Oid.anyelement || oid === Oid.anyarray || oid === Oid.anynonarray ||
    oid === Oid.anycompatible || oid === Oid.anycompatiblearray ||
    oid === Oid.anycompatiblenonarray;
}

/** Formats a type with its typmod as format_type does: "character varying(10)". */
export function formatTypeName(oid: number, typmod: number): string {
  const info = typeInfo(oid);
  if (typmod < 0) return info.sqlName;
  switch (oid) {
    case Oid.varchar:
    case Oid.bpchar:
      return `${info.sqlName}(${typmod - 4})`;
    case Oid.numeric: {
      const value = typmod - 4;
      return `numeric(${(value >> 16) & 0xffff},${value & 0xffff})`;
    }
    case Oid.bit:
      return `bit(${typmod})`;
    case Oid.varbit:
      return `bit varying(${typmod})`;
    case Oid.timestamp:
      return `timestamp(${typmod}) without time zone`;
    case Oid.timestamptz:
      return `timestamp(${typmod}) with time zone`;
    default:
      return info.sqlName;
  }
}
