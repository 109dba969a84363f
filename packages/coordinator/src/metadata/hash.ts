/**
 * The distribution hash: which int32 a distribution column value hashes to. The planner
 * prunes and routes with it, COPY and INSERT split rows by it, and the shard ranges of
 * `shard-ranges.ts` divide its int32 space.
 *
 * The hash is xxHash32 (seed 0) of a canonical byte encoding of the value, read as a signed
 * int32. It is ours, not Postgres's (DESIGN.md), so a key may land on another shard than on
 * Citus; what must hold is that equal values hash equal. The encoding is therefore defined per
 * type family, so that values Postgres calls equal encode to the same bytes:
 *
 *   family     types                                   encoding (after a one-byte tag)
 *   ---------  --------------------------------------  ---------------------------------------
 *   integer    int2 int4 int8 oid date time timestamp  "i" + int64 little-endian; also numeric
 *              timestamptz; integral numeric, float    and float values that are exact integers
 *   numeric    numeric (non-integral, huge, NaN, ±inf) "n" + normalised decimal text (1.50 = 1.5)
 *   float      float4 float8 (non-integral)            "f" + float64 LE (-0 = 0, one NaN)
 *   text       text varchar bpchar name                "s" + UTF-8 (bpchar without trailing blanks)
 *   bytea      bytea                                   "x" + bytes
 *   uuid       uuid                                    "u" + 16 bytes
 *   bool       bool                                    "b" + 0 or 1
 *   interval   interval                                "v" + total microseconds (30-day months)
 *   timetz     timetz                                  "z" + micros and zone
 *   inet       inet cidr                               "e" + family, bits, address
 *   text       macaddr macaddr8 (canonical text)       "s" + UTF-8
 *
 * So `5::int2`, `5::int4`, `5::int8` and `5::numeric` hash equal, as do `'a'::text` and
 * `'a'::varchar`. Dates and timestamps hash by their integer (days, microseconds), as Postgres
 * hashes them with its integer hash functions. `Infinity` dates encode as Postgres stores them
 * (INT32_MIN / INT32_MAX), infinite timestamps already are the int64 extremes.
 */
import { baseTypeOf, domainOf } from "@tessera/engine";
import xxhash from "xxhash-wasm";
import { SqlError, SqlState, assert } from "@tessera/base";
import type { Decimal, Inet, Interval, TimeTz, Value } from "@tessera/sql";
import { typeByOid } from "@tessera/sql";

/** Type OIDs of the hashable types (pg_type.oid, fixed in Postgres). */
export const HashTypeOid = {
  bool: 16, bytea: 17, name: 19, int8: 20, int2: 21, int4: 23, text: 25, oid: 26,
  float4: 700, float8: 701, inet: 869, cidr: 650, bpchar: 1042, varchar: 1043, date: 1082,
  time: 1083, timestamp: 1114, timestamptz: 1184, interval: 1186, timetz: 1266,
  numeric: 1700, uuid: 2950, regclass: 2205,
} as const;

type Family =
  | "integer" | "numeric" | "float" | "text" | "bpchar" | "bytea" | "uuid" | "bool" | "date"
  | "interval" | "timetz" | "inet";

const familyByOid: ReadonlyMap<number, Family> = new Map<number, Family>([
  [HashTypeOid.int2, "integer"], [HashTypeOid.int4, "integer"], [HashTypeOid.int8, "integer"],
  [HashTypeOid.oid, "integer"], [HashTypeOid.regclass, "integer"],
  [HashTypeOid.time, "integer"], [HashTypeOid.timestamp, "integer"],
  [HashTypeOid.timestamptz, "integer"], [HashTypeOid.date, "date"],
  [HashTypeOid.numeric, "numeric"], [HashTypeOid.float4, "float"], [HashTypeOid.float8, "float"],
  [HashTypeOid.text, "text"], [HashTypeOid.varchar, "text"], [HashTypeOid.name, "text"],
  [HashTypeOid.bpchar, "bpchar"], [HashTypeOid.bytea, "bytea"], [HashTypeOid.uuid, "uuid"],
  [HashTypeOid.bool, "bool"], [HashTypeOid.interval, "interval"],
  [HashTypeOid.timetz, "timetz"], [HashTypeOid.inet, "inet"], [HashTypeOid.cidr, "inet"],
  // macaddr and macaddr8 values are their canonical lowercase text.
  [829, "text"], [774, "text"],
]);

const Tag = {
  integer: 0x69, numeric: 0x6e, float: 0x66, text: 0x73, bytea: 0x78, uuid: 0x75, bool: 0x62,
  interval: 0x76, timetz: 0x7a, inet: 0x65,
} as const;

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
const int32Min = -(2 ** 31);
const int32Max = 2 ** 31 - 1;
const microsPerDay = 86_400_000_000n;
const utf8 = new TextEncoder();

let h32Raw: ((input: Uint8Array, seed?: number) => number) | undefined;

/** Loads the xxHash WebAssembly module; every daemon awaits this once at start-up. */
export async function initHash(): Promise<void> {
  if (h32Raw !== undefined) return;
  const api = await xxhash();
  h32Raw = api.h32Raw;
}

/** Tells whether a column of this type can be a hash distribution column. */
export function isHashableType(typeOid: number): boolean {
  return familyOf(typeOid) !== undefined;
}

/**
 * The family a type hashes as. An enum value is the OID of its label on the coordinator
 * (stable, durable), hashed as an integer, as Citus's hashenum hashes the label's OID.
 */
function familyOf(typeOid: number): Family | undefined {
  return familyByOid.get(typeOid) ??
    (typeByOid(typeOid)?.category === "E" ? "integer" : undefined) ?? domainFamily(typeOid);
}

/** A domain hashes as its base type, so `5::posint` and 5 land on the same shard. */
function domainFamily(typeOid: number): Family | undefined {
  return domainOf(typeOid) === undefined ? undefined
    : familyByOid.get(baseTypeOf(typeOid).type);
}

/**
 * Fails with Postgres's and Citus's error when a column of this type cannot be hash
 * distributed (create_distributed_table checks this before any value is hashed).
 */
export function checkHashableType(typeOid: number, typeName: string): void {
  if (isHashableType(typeOid)) return;
  throw new SqlError(SqlState.undefinedFunction,
    `could not identify a hash function for type ${typeName}`, {
      detail: "Partition column types must have a hash function defined to use hash " +
        "partitioning.",
      dataType: typeName,
    });
}

/**
 * Returns the signed int32 distribution hash of a non-null value of type `typeOid`. A value
 * whose JavaScript shape does not match its type is a bug in the caller, so it asserts.
 */
export function hashValue(value: Value, typeOid: number): number {
  assert(h32Raw !== undefined, "initHash() must finish before hashing");
  assert(value !== null, "NULL has no distribution hash; callers handle NULL first");
  // The common distribution key, an int2/int4/int8 held as a safe integer number, hashes
  // without building its bytes (`hashSafeInteger`); other values encode first.
  if (typeof value === "number" && Number.isSafeInteger(value) &&
    familyOf(typeOid) === "integer") {
    return hashSafeInteger(value);
  }
  const bytes = encodeForHash(value, typeOid);
  const hash = h32Raw(bytes, 0) | 0;
  assert(hash >= int32Min && hash <= int32Max, "the hash is a signed int32");
  return hash;
}

const prime1 = 0x9e3779b1;
const prime2 = 0x85ebca77;
const prime3 = 0xc2b2ae3d;
const prime4 = 0x27d4eb2f;
const prime5 = 0x165667b1;
const twoTo32 = 2 ** 32;

/**
 * xxHash32 (seed 0) of the integer encoding of a safe integer ("i" + int64 little-endian,
 * 9 bytes), computed from the number: the same int32 as `h32Raw(encodeInteger(n))`, without
 * allocating the bytes or a BigInt. Nine bytes are two 4-byte lanes and one tail byte.
 */
export function hashSafeInteger(value: number): number {
  const high = Math.floor(value / twoTo32);
  const low = value - high * twoTo32;
  const lane1 = (Tag.integer | (low & 0xffffff) << 8) >>> 0;
  const lane2 = ((low >>> 24) | (high & 0xffffff) << 8) >>> 0;
  const tail = (high >>> 24) & 0xff;
  let h = (prime5 + 9) | 0;
  h = (h + Math.imul(lane1, prime3)) | 0;
  h = Math.imul(rotateLeft(h, 17), prime4);
  h = (h + Math.imul(lane2, prime3)) | 0;
  h = Math.imul(rotateLeft(h, 17), prime4);
  h = (h + Math.imul(tail, prime5)) | 0;
  h = Math.imul(rotateLeft(h, 11), prime1);
  h ^= h >>> 15;
  h = Math.imul(h, prime2);
  h ^= h >>> 13;
  h = Math.imul(h, prime3);
  h ^= h >>> 16;
  return h | 0;
}

function rotateLeft(x: number, bits: number): number {
  return (x << bits) | (x >>> (32 - bits));
}

/** Returns the canonical bytes hashed for `value`; exported for tests and diagnostics. */
export function encodeForHash(value: Value, typeOid: number): Uint8Array {
  const family = familyOf(typeOid);
  assert(family !== undefined, `type ${typeOid} is not hashable; checkHashableType first`);
  switch (family) {
    case "integer": return encodeIntegerValue(value);
    case "date": return encodeDate(value);
    case "numeric": return encodeNumeric(asDecimal(value));
    case "float": return encodeFloat(value);
    case "text": return tagged(Tag.text, utf8.encode(asString(value)));
    case "bpchar": return tagged(Tag.text, utf8.encode(asString(value).replace(/ +$/, "")));
    case "bytea": return tagged(Tag.bytea, asBytes(value));
    case "uuid": return encodeUuid(asString(value));
    case "bool": return encodeBool(value);
    case "interval": return encodeInterval(value as Interval);
    case "timetz": return encodeTimeTz(value as TimeTz);
    case "inet": return encodeInet(value as Inet);
  }
}

function encodeIntegerValue(value: Value): Uint8Array {
  if (typeof value === "bigint") return encodeInteger(value);
  assert(typeof value === "number", "integer-family values are numbers or bigints");
  assert(Number.isSafeInteger(value), "integer-family numbers are safe integers");
  return encodeInteger(BigInt(value));
}

function encodeInteger(value: bigint): Uint8Array {
  assert(value >= int64Min, "integer encoding holds an int64");
  assert(value <= int64Max, "integer encoding holds an int64");
  const bytes = new Uint8Array(9);
  bytes[0] = Tag.integer;
  new DataView(bytes.buffer).setBigInt64(1, value, true);
  return bytes;
}

/** Encodes a date as its day number; ±infinity as Postgres's DATEVAL_NOBEGIN/NOEND. */
function encodeDate(value: Value): Uint8Array {
  assert(typeof value === "number", "date values are numbers");
  if (value === Infinity) return encodeInteger(BigInt(int32Max));
  if (value === -Infinity) return encodeInteger(BigInt(int32Min));
  assert(Number.isInteger(value), "a finite date is a whole day number");
  return encodeInteger(BigInt(value));
}

/** Encodes a numeric: exact int64 integers as integers, the rest as normalised text. */
function encodeNumeric(value: Decimal): Uint8Array {
  if (value.isNaN()) return tagged(Tag.numeric, utf8.encode("NaN"));
  if (!value.isFinite()) return tagged(Tag.numeric, utf8.encode(value.isNeg() ? "-Inf" : "Inf"));
  if (value.isInteger()) {
    const integer = BigInt(value.toFixed(0));
    if (integer >= int64Min && integer <= int64Max) return encodeInteger(integer);
  }
  // decimal.js keeps no trailing zeros, so toFixed() is one text per value: 1.50 -> "1.5".
  const text = value.toFixed();
  assert(!/\.\d*0$/.test(text), "normalised numeric text has no trailing zeros");
  return tagged(Tag.numeric, utf8.encode(text));
}

/** Encodes a float: exact integers as integers, -0 as 0, every NaN as one NaN. */
function encodeFloat(value: Value): Uint8Array {
  assert(typeof value === "number", "float values are numbers");
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) {
    return encodeInteger(BigInt(value));
  }
  const bytes = new Uint8Array(9);
  bytes[0] = Tag.float;
  new DataView(bytes.buffer).setFloat64(1, Number.isNaN(value) ? NaN : value, true);
  return bytes;
}

function encodeUuid(value: string): Uint8Array {
  const hex = value.replace(/-/g, "");
  assert(/^[0-9a-f]{32}$/.test(hex), "uuid values are canonical lowercase text");
  const bytes = new Uint8Array(17);
  bytes[0] = Tag.uuid;
  for (let i = 0; i < 16; i++) bytes[i + 1] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function encodeBool(value: Value): Uint8Array {
  assert(typeof value === "boolean", "bool values are booleans");
  return Uint8Array.of(Tag.bool, value ? 1 : 0);
}

/** Encodes an interval by its span, as Postgres compares them ('1 month' = '30 days'). */
function encodeInterval(value: Interval): Uint8Array {
  assert(typeof value.micros === "bigint", "interval micros are bigints");
  assert(Number.isInteger(value.months) && Number.isInteger(value.days), "interval fields");
  const span = (BigInt(value.months) * 30n + BigInt(value.days)) * microsPerDay + value.micros;
  return tagged(Tag.interval, utf8.encode(span.toString()));
}

function encodeTimeTz(value: TimeTz): Uint8Array {
  assert(Number.isInteger(value.micros), "timetz micros are integers");
  assert(Number.isInteger(value.zoneSeconds), "timetz zone is whole seconds");
  const bytes = new Uint8Array(13);
  bytes[0] = Tag.timetz;
  const view = new DataView(bytes.buffer);
  view.setBigInt64(1, BigInt(value.micros), true);
  view.setInt32(9, value.zoneSeconds, true);
  return bytes;
}

/** Encodes inet and cidr alike: Postgres's network_eq ignores which of the two it is. */
function encodeInet(value: Inet): Uint8Array {
  assert(value.address.length === (value.family === 4 ? 4 : 16), "inet address length");
  const bytes = new Uint8Array(3 + value.address.length);
  bytes[0] = Tag.inet;
  bytes[1] = value.family;
  bytes[2] = value.bits;
  bytes.set(value.address, 3);
  return bytes;
}

function tagged(tag: number, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(payload.length + 1);
  bytes[0] = tag;
  bytes.set(payload, 1);
  return bytes;
}

function asString(value: Value): string {
  assert(typeof value === "string", "text-family values are strings");
  return value;
}

function asBytes(value: Value): Uint8Array {
  assert(value instanceof Uint8Array, "bytea values are Uint8Arrays");
  return value;
}

function asDecimal(value: Value): Decimal {
  assert(typeof value === "object" && value !== null, "numeric values are Decimals");
  const candidate = value as Partial<Decimal>;
  assert(typeof candidate.isNaN === "function", "numeric values are Decimals");
  assert(typeof candidate.toFixed === "function", "numeric values are Decimals");
  return value as Decimal;
}
