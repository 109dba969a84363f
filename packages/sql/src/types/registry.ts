/**
 * The type registry: every built-in type as a `PgType`, its pg_type row joined with its
 * I/O (`TypeIo`). The analyzer finds types here by OID or by SQL name; executors call
 * `input`/`output`/`compare`/`hashKey`; the wire layer calls `send`/`receive`.
 *
 *   typeByOid(23).output(42, ctx)            -> "42"
 *   typeByName("character varying")?.oid    -> 1043
 *   arrayTypeOf(TypeOid.int4)?.oid           -> 1007
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import { makeArrayIo, makeVectorIo } from "./array.js";
import { bitIo, varbitIo } from "./bit.js";
import { boolIo } from "./bool.js";
import { byteaIo } from "./bytea.js";
import { dateIo } from "./datetime/date.js";
import { intervalIo } from "./datetime/interval.js";
import { timeIo, timetzIo } from "./datetime/time.js";
import { timestampIo, timestamptzIo } from "./datetime/timestamp.js";
import { float4Io, float8Io } from "./float.js";
import { cidrIo, inetIo } from "./inet.js";
import { int2Io, int4Io, int8Io, oidIo } from "./integer.js";
import { jsonbIo, jsonIo } from "./jsonb.js";
import { jsonpathIo } from "./jsonpath.js";
import { numericIo } from "./numeric.js";
import { TypeOid } from "./oids.js";
import { pgLsnIo } from "./pg-lsn.js";
import { regconfigIo } from "./regconfig.js";
import { tsqueryIo } from "./tsquery.js";
import { tsvectorIo } from "./tsvector.js";
import { tidIo } from "./tid.js";
import { XactTypeOid, cidIo, snapshotIo, xid8Io, xidIo } from "./xact-ids.js";
import { pgTypeRows, type PgTypeRow } from "./pg-type-data.js";
import { makePseudoIo, makeRecordIo, voidIo } from "./record.js";
import { makeRegIo } from "./reg.js";
import { bpcharIo, charIo, nameIo, textIo, varcharIo } from "./text.js";
import type { TypeIo } from "./type-io.js";
import { uuidIo } from "./uuid.js";
import { MacTypeOid, macaddr8Io, macaddrIo } from "./macaddr.js";
import { MoneyTypeOid, moneyIo } from "./money.js";
import { GeoTypeOid, makeGeometryIo } from "./geometry.js";
import type { PgArray, Value } from "./value.js";
import { makeRangeIo, type RangeSubtype, type SubtypeBinary } from "./range.js";
import { makeMultirangeIo } from "./multirange.js";
import { multirangeBinaryIo, rangeBinaryIo } from "./range-binary.js";

export type { TypeIo } from "./type-io.js";
export type { FormatContext } from "./context.js";

export interface PgType extends TypeIo {
  readonly oid: number;
  /** pg_type.typname, e.g. "int4", "_text". */
  readonly name: string;
  readonly namespace: "pg_catalog";
  /** typlen: bytes, -1 for varlena, -2 for C strings. */
  readonly len: number;
  readonly byVal: boolean;
  /** typcategory: one letter, e.g. N numeric, S string, D date/time, A array. */
  readonly category: string;
  readonly preferred: boolean;
  /** The element type of an array type, else 0. */
  readonly elementOid: number;
  /** The array type whose elements are this type, else 0. */
  readonly arrayOid: number;
  /** typdelim: the array element separator. */
  readonly delimiter: string;
  /** True when a default btree opclass exists (ORDER BY, merge joins, DISTINCT by sort). */
  readonly sortable: boolean;
  /** True when a default hash opclass exists (hash joins, hashed aggregation). */
  readonly hashable: boolean;
}

/** The range types and their subtypes (pg_range.rngtypid, rngsubtype). */
const rangeSubtypeOids: ReadonlyMap<number, number> = new Map([
  [TypeOid.int4range, TypeOid.int4], [TypeOid.int8range, TypeOid.int8],
  [TypeOid.numrange, TypeOid.numeric], [TypeOid.tsrange, TypeOid.timestamp],
  [TypeOid.tstzrange, TypeOid.timestamptz], [TypeOid.daterange, TypeOid.date],
]);

/** The multirange types and their range types (pg_range.rngmultitypid, rngtypid). */
const multirangeRangeOids: ReadonlyMap<number, number> = new Map([
  [TypeOid.int4multirange, TypeOid.int4range], [TypeOid.int8multirange, TypeOid.int8range],
  [TypeOid.nummultirange, TypeOid.numrange], [TypeOid.tsmultirange, TypeOid.tsrange],
  [TypeOid.tstzmultirange, TypeOid.tstzrange], [TypeOid.datemultirange, TypeOid.daterange],
]);

const ioByOid: ReadonlyMap<number, TypeIo> = new Map<number, TypeIo>([
  [TypeOid.bool, boolIo], [TypeOid.bytea, byteaIo], [TypeOid.char, charIo],
  [TypeOid.name, nameIo], [TypeOid.int8, int8Io], [TypeOid.int2, int2Io],
  [TypeOid.int4, int4Io], [TypeOid.regproc, makeRegIo("regproc")], [TypeOid.text, textIo],
  [TypeOid.oid, oidIo], [TypeOid.xid, xidIo], [TypeOid.json, jsonIo], [TypeOid.cidr, cidrIo],
  [TypeOid.float4, float4Io], [TypeOid.float8, float8Io], [TypeOid.unknown, textIo],
  [TypeOid.inet, inetIo], [TypeOid.bpchar, bpcharIo], [TypeOid.varchar, varcharIo],
  [TypeOid.date, dateIo], [TypeOid.time, timeIo], [TypeOid.timestamp, timestampIo],
  [TypeOid.timestamptz, timestamptzIo], [TypeOid.interval, intervalIo],
  [TypeOid.timetz, timetzIo], [TypeOid.numeric, numericIo], [TypeOid.refcursor, textIo],
  [TypeOid.regprocedure, makeRegIo("regprocedure")], [TypeOid.regclass, makeRegIo("regclass")],
  [TypeOid.regtype, makeRegIo("regtype")], [TypeOid.cstring, textIo], [TypeOid.void, voidIo],
  [TypeOid.uuid, uuidIo], [TypeOid.pgLsn, pgLsnIo], [TypeOid.jsonb, jsonbIo],
  [TypeOid.jsonpath, jsonpathIo],
  [TypeOid.tsvector, tsvectorIo], [TypeOid.tsquery, tsqueryIo],
  [TypeOid.regconfig, regconfigIo],
  [TypeOid.bit, bitIo], [TypeOid.varbit, varbitIo],
  [TypeOid.regnamespace, makeRegIo("regnamespace")], [TypeOid.regrole, makeRegIo("regrole")],
  [TypeOid.regcollation, makeRegIo("regcollation")],
  [TypeOid.regoper, makeRegIo("regoper")], [TypeOid.regoperator, makeRegIo("regoperator")],
  [XactTypeOid.tid, tidIo], [XactTypeOid.cid, cidIo], [XactTypeOid.xid8, xid8Io],
  [XactTypeOid.txidSnapshot, snapshotIo], [XactTypeOid.pgSnapshot, snapshotIo],
  [MacTypeOid.macaddr, macaddrIo], [MacTypeOid.macaddr8, macaddr8Io],
  [MoneyTypeOid.money, moneyIo],
  ...(["point", "lseg", "path", "box", "polygon", "line", "circle"] as const).map(
    (shape): [number, TypeIo] => [GeoTypeOid[shape], makeGeometryIo(shape)]),
  ...[...rangeSubtypeOids].map(([range]): [number, TypeIo] =>
    [range, { ...makeRangeIo(range, () => rangeSubtypeOf(range)),
      ...rangeBinaryIo(range, () => rangeSubtypeOf(range)) }]),
  ...[...multirangeRangeOids].map(([multirange, range]): [number, TypeIo] =>
    [multirange, { ...makeMultirangeIo(multirange, () => typeIoOf(range),
      () => rangeSubtypeOf(range)),
    ...multirangeBinaryIo(multirange, range, () => rangeSubtypeOf(range)) }]),
]);

/** The range type of multirange type `oid`, or undefined when `oid` is not a multirange. */
export function multirangeRangeOid(oid: number): number | undefined {
  return multirangeRangeOids.get(oid) ?? userMultiranges.get(oid);
}

const rangeSubtypes = new Map<number, RangeSubtype>();
/** Range types a database created (CREATE TYPE … AS RANGE): subtype by range type OID. */
const userRangeSubtypes = new Map<number, number>();
/** Their multirange types: range type by multirange type OID. */
const userMultiranges = new Map<number, number>();

/** Adds a range type a database created, over `subtype`, with its multirange type. */
export function registerUserRange(range: number, subtype: number, multirange: number): void {
  assert(!rangeSubtypeOids.has(range), "user ranges never shadow built-in ones");
  userRangeSubtypes.set(range, subtype);
  userMultiranges.set(multirange, range);
  rangeSubtypes.delete(range);
}

/** Removes a range type `registerUserRange` added. */
export function unregisterUserRange(range: number, multirange: number): void {
  userRangeSubtypes.delete(range);
  userMultiranges.delete(multirange);
  rangeSubtypes.delete(range);
}

/** The subtype OID of range type `oid`, or undefined when `oid` is not a range type. */
export function rangeSubtypeOid(oid: number): number | undefined {
  return rangeSubtypeOids.get(oid) ?? userRangeSubtypes.get(oid);
}

/** What range type `rangeType` needs of its subtype (order, I/O, the discrete step). */
export function rangeSubtypeOf(rangeType: number): RangeSubtype {
  let subtype = rangeSubtypes.get(rangeType);
  if (subtype !== undefined) return subtype;
  const builtin = rangeSubtypeOids.get(rangeType);
  const oid = builtin ?? userRangeSubtypes.get(rangeType);
  assert(oid !== undefined, `type ${rangeType} is a range type`);
  const io = typeIoOf(oid);
  // A user range over int4 without CANONICAL is not discrete, as in PostgreSQL.
  subtype = { oid, compare: (a, b) => io.compare(a, b),
    input: (text, ctx) => io.input(text, -1, ctx), output: (value, ctx) => io.output(value, ctx),
    hashKey: (value) => io.hashKey(value), ...(builtin === undefined ? {} : discreteStep(oid)),
    ...subtypeBinary(io) };
  rangeSubtypes.set(rangeType, subtype);
  return subtype;
}

/** The subtype's send and receive, when it has both. */
function subtypeBinary(io: TypeIo): { binary?: SubtypeBinary } {
  const { send, receive } = io;
  if (send === undefined || receive === undefined) return {};
  return { binary: { send: (v, ctx) => send(v, ctx), receive: (b, ctx) => receive(b, -1, ctx) } };
}

/** int4range, int8range and daterange are canonical: their subtypes step by one. */
function discreteStep(oid: number): { next?: (value: Value) => Value } {
  if (oid === TypeOid.int4) {
    return { next: (v) => {
      if ((v as number) >= 2147483647) {
        throw new SqlError(SqlState.numericValueOutOfRange, "integer out of range");
      }
      return (v as number) + 1;
    } };
  }
  if (oid === TypeOid.int8) {
    return { next: (v) => {
      if ((v as bigint) >= 9223372036854775807n) {
        throw new SqlError(SqlState.numericValueOutOfRange, "bigint out of range");
      }
      return (v as bigint) + 1n;
    } };
  }
  if (oid === TypeOid.date) return { next: (v) => (v as number) + 1 };
  return {};
}

/** Types without a default btree opclass in PG15. */
const unsortable: ReadonlySet<number> = new Set([TypeOid.json, TypeOid.xid, TypeOid.void,
  TypeOid.unknown, TypeOid.cstring, TypeOid.jsonArray, TypeOid.xidArray, TypeOid.jsonpath,
  TypeOid.jsonpathArray, XactTypeOid.cid, XactTypeOid.cidArray, XactTypeOid.txidSnapshot,
  XactTypeOid.txidSnapshotArray, XactTypeOid.pgSnapshot, XactTypeOid.pgSnapshotArray,
  GeoTypeOid.point, GeoTypeOid.lseg, GeoTypeOid.path, GeoTypeOid.box, GeoTypeOid.polygon,
  GeoTypeOid.line, GeoTypeOid.circle]);

const typesByOid = new Map<number, PgType>();

function buildRegistry(): void {
  for (const row of pgTypeRows) {
    if (!isArrayRow(row)) typesByOid.set(row[0], makeType(row, baseIo(row)));
  }
  for (const row of pgTypeRows) {
    if (isArrayRow(row)) typesByOid.set(row[0], makeType(row, arrayIo(row)));
  }
}

function isArrayRow(row: PgTypeRow): boolean {
  return row[4] === "A" || row[0] === TypeOid.recordArray;
}

function baseIo(row: PgTypeRow): TypeIo {
  const [oid, name] = row;
  if (oid === TypeOid.record) return makeRecordIo(typeIoOf);
  if (oid === TypeOid.anyarray || oid === TypeOid.anycompatiblearray) return anyArrayIo(name);
  return ioByOid.get(oid) ?? makePseudoIo(name);
}

function arrayIo(row: PgTypeRow): TypeIo {
  const element = typesByOid.get(row[6]);
  assert(element !== undefined, `array type ${row[1]} needs its element type ${row[6]}`);
  if (row[0] === TypeOid.int2vector || row[0] === TypeOid.oidvector) {
    return makeVectorIo(element, row[1]);
  }
  return makeArrayIo(element);
}

/** anyarray values carry their element type, so output and compare dispatch on it. */
function anyArrayIo(name: string): TypeIo {
  const pseudo = makePseudoIo(name);
  const ioOf = (value: unknown): TypeIo => {
    const element = (value as PgArray).elementType;
    return typeIoOf(typesByOid.get(element)?.arrayOid ?? 0);
  };
  return {
    ...pseudo,
    output: (value, ctx) => ioOf(value).output(value, ctx),
    compare: (a, b) => ioOf(a).compare(a, b),
    hashKey: (value) => ioOf(value).hashKey(value),
  };
}

function makeType(row: PgTypeRow, io: TypeIo): PgType {
  const [oid, name, len, byVal, category, preferred, elementOid, arrayOid] = row;
  const isPseudo = category === "P" && oid !== TypeOid.record && oid !== TypeOid.recordArray;
  const arrayOfUnsortable = category === "A" && unsortable.has(elementOid);
  const sortable = !isPseudo && !unsortable.has(oid) && !arrayOfUnsortable;
  return Object.freeze({
    ...io,
    oid, name, namespace: "pg_catalog" as const, len, byVal, category, preferred,
    elementOid: category === "A" || oid === TypeOid.recordArray ? elementOid : 0,
    arrayOid, delimiter: oid === GeoTypeOid.box ? ";" : ",", sortable,
    hashable: sortable || oid === TypeOid.xid || oid === XactTypeOid.cid,
  });
}

/** Types the database created (enums and their arrays), by OID; not in `allTypes`. */
const userTypes = new Map<number, PgType>();

/** Adds a type a database created (CREATE TYPE … AS ENUM), or replaces it. */
export function registerUserType(type: PgType): void {
  assert(!typesByOid.has(type.oid), "user types never shadow built-in ones");
  userTypes.set(type.oid, type);
}

/** Removes a type `registerUserType` added. */
export function unregisterUserType(oid: number): void {
  userTypes.delete(oid);
}

/** Returns the type with this OID, or undefined for a type Tessera does not know. */
export function typeByOid(oid: number): PgType | undefined {
  return typesByOid.get(oid) ?? userTypes.get(oid);
}

/** Returns the type with this OID; an unknown OID is a bug in the caller. */
export function typeOf(oid: number): PgType {
  const type = typeByOid(oid);
  assert(type !== undefined, `unknown type OID ${oid}`);
  return type;
}

function typeIoOf(oid: number): TypeIo {
  return typeOf(oid);
}

/** Returns the array type of `elementOid` (int4 -> _int4), if there is one. */
export function arrayTypeOf(elementOid: number): PgType | undefined {
  const element = typeByOid(elementOid);
  if (element === undefined || element.arrayOid === 0) return undefined;
  return typeByOid(element.arrayOid);
}

/** Returns every registered type, for pg_type. */
export function allTypes(): readonly PgType[] {
  return [...typesByOid.values()];
}

buildRegistry();
