/**
 * The type OIDs this folder names, as PostgreSQL 15's pg_type. A local copy: `types/oids.ts`
 * (written alongside) is the owner; this file can become a re-export of it once it settles.
 */
export const T = {
  bool: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  regproc: 24,
  text: 25,
  oid: 26,
  json: 114,
  xml: 142,
  float4: 700,
  float8: 701,
  unknown: 705,
  cidr: 650,
  inet: 869,
  bpchar: 1042,
  varchar: 1043,
  bit: 1560,
  varbit: 1562,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  numeric: 1700,
  regclass: 2205,
  regtype: 2206,
  uuid: 2950,
  jsonb: 3802,
  // Pseudo-types.
  record: 2249,
  cstring: 2275,
  any: 2276,
  anyarray: 2277,
  void: 2278,
  anyelement: 2283,
  anynonarray: 2776,
  anycompatible: 5077,
  anycompatiblearray: 5078,
  anycompatiblenonarray: 5079,
  internal: 2281,
  // Arrays.
  boolArray: 1000,
  byteaArray: 1001,
  charArray: 1002,
  nameArray: 1003,
  int2Array: 1005,
  int4Array: 1007,
  textArray: 1009,
  bpcharArray: 1014,
  varcharArray: 1015,
  bitArray: 1561,
  varbitArray: 1563,
  int8Array: 1016,
  float4Array: 1021,
  float8Array: 1022,
  oidArray: 1028,
  timestampArray: 1115,
  dateArray: 1182,
  timeArray: 1183,
  timestamptzArray: 1185,
  intervalArray: 1187,
  numericArray: 1231,
  timetzArray: 1270,
  uuidArray: 2951,
  jsonArray: 199,
  jsonbArray: 3807,
  inetArray: 1041,
  cidrArray: 651,
  recordArray: 2287,
} as const;

const arrayOf: ReadonlyMap<number, number> = new Map([
  [T.bool, T.boolArray],
  [T.bytea, T.byteaArray],
  [T.char, T.charArray],
  [T.name, T.nameArray],
  [T.int2, T.int2Array],
  [T.int4, T.int4Array],
  [T.text, T.textArray],
  [T.bpchar, T.bpcharArray],
  [T.varchar, T.varcharArray],
  [T.bit, T.bitArray],
  [T.varbit, T.varbitArray],
  [T.int8, T.int8Array],
  [T.float4, T.float4Array],
  [T.float8, T.float8Array],
  [T.oid, T.oidArray],
  [T.timestamp, T.timestampArray],
  [T.date, T.dateArray],
  [T.time, T.timeArray],
  [T.timestamptz, T.timestamptzArray],
  [T.interval, T.intervalArray],
  [T.numeric, T.numericArray],
  [T.timetz, T.timetzArray],
  [T.uuid, T.uuidArray],
  [T.json, T.jsonArray],
  [T.jsonb, T.jsonbArray],
  [T.inet, T.inetArray],
  [T.cidr, T.cidrArray],
  [T.record, T.recordArray],
]);
const elementOf: ReadonlyMap<number, number> = new Map(
  [...arrayOf].map(([element, array]) => [array, element]),
);

/** Returns the array type of `element`, or 0 when PostgreSQL has none we know. */
export function arrayTypeOf(element: number): number {
  return arrayOf.get(element) ?? 0;
}

/** Returns the element type of array type `array`, or 0 when it is not an array type. */
export function elementTypeOf(array: number): number {
  return elementOf.get(array) ?? 0;
}

/** The string types, which share text semantics (bpchar's trailing blanks aside). */
export function isStringType(type: number): boolean {
  return (
    type === T.text ||
    type === T.varchar ||
    type === T.bpchar ||
    type === T.name ||
    type === T.char ||
    type === T.unknown
  );
}
