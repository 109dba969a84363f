/**
 * Array types: `makeArrayIo(element)` builds the I/O of `element[]` from the element
 * type's own I/O. Text goes through array-text.ts; the binary format is array_send's:
 *
 *   int32 ndim, int32 has-nulls flag, uint32 element type OID,
 *   ndim x (int32 size, int32 lower bound), then per item int32 length (-1 = NULL) + bytes.
 *
 * Ordering is array_cmp's: item by item (NULL above every value), then fewer items first,
 * then fewer dimensions, then smaller sizes and lower bounds.
 */
import { SqlError, SqlState } from "@tessera/base";
import { ByteReader, ByteWriter } from "./binary.js";
import { invalidBinary } from "./errors.js";
import { arrayDimensionsMax, formatArrayText, parseArrayText } from "./array-text.js";
import { compareNumbers, isSpaceCode, type TypeIo } from "./type-io.js";
import type { FormatContext } from "./context.js";
import type { PgArray, Value } from "./value.js";

/** What an array type needs of its element type. */
export interface ArrayElementType extends TypeIo {
  readonly oid: number;
  readonly delimiter: string;
}

export function makeArrayIo(element: ArrayElementType): TypeIo {
  const io: TypeIo = {
    input: (text, typmod, ctx) => parseArray(text, element, typmod, ctx),
    output: (value, ctx) => formatArray(value as PgArray, element, ctx),
    compare: (a, b) => compareArrays(a as PgArray, b as PgArray, element),
    hashKey: (value) => arrayKey(value as PgArray, element),
  };
  if (element.receive !== undefined) {
    io.receive = (bytes, typmod, ctx) => receiveArray(bytes, element, typmod, ctx);
  }
  if (element.send !== undefined) {
    io.send = (value, ctx) => sendArray(value as PgArray, element, ctx);
  }
  return io;
}

export function makeArray(elementType: number, items: readonly Value[],
  dims: readonly number[] = items.length === 0 ? [] : [items.length],
  lowerBounds: readonly number[] = dims.map(() => 1)): PgArray {
  return { kind: "array", elementType, dims, lowerBounds, items };
}

function parseArray(text: string, element: ArrayElementType, typmod: number,
  ctx: FormatContext): PgArray {
  const parsed = parseArrayText(text, element.delimiter);
  const items = parsed.items.map((item) => item === null ? null : element.input(item, typmod, ctx));
  return makeArray(element.oid, items, parsed.dims, parsed.lowerBounds);
}

function formatArray(array: PgArray, element: ArrayElementType, ctx: FormatContext): string {
  const texts = array.items.map((item) => item === null ? null : element.output(item, ctx));
  return formatArrayText(array.dims, array.lowerBounds, texts, element.delimiter);
}

export function compareArrays(a: PgArray, b: PgArray, element: TypeIo): number {
  const count = Math.min(a.items.length, b.items.length);
  for (let i = 0; i < count; i++) {
    const x = a.items[i] ?? null;
    const y = b.items[i] ?? null;
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
      continue;
    }
    const result = element.compare(x, y);
    if (result !== 0) return result;
  }
  if (a.items.length !== b.items.length) return a.items.length - b.items.length;
  if (a.dims.length !== b.dims.length) return a.dims.length - b.dims.length;
  for (let i = 0; i < a.dims.length; i++) {
    const dims = compareNumbers(a.dims[i] ?? 0, b.dims[i] ?? 0);
    if (dims !== 0) return dims;
    const bounds = compareNumbers(a.lowerBounds[i] ?? 1, b.lowerBounds[i] ?? 1);
    if (bounds !== 0) return bounds;
  }
  return 0;
}

function arrayKey(array: PgArray, element: TypeIo): string {
  let key = `${array.dims.join(",")}|${array.lowerBounds.join(",")}|`;
  for (const item of array.items) {
    if (item === null) {
      key += "N;";
      continue;
    }
    const itemKey = element.hashKey(item);
    key += typeof itemKey === "number" ? `n${itemKey};` : `s${itemKey.length}:${itemKey};`;
  }
  return key;
}

function sendArray(array: PgArray, element: ArrayElementType, ctx: FormatContext): Uint8Array {
  const send = element.send;
  if (send === undefined) {
    throw new SqlError(SqlState.undefinedFunction, "no binary output function available");
  }
  const writer = new ByteWriter(64);
  const hasNulls = array.items.some((item) => item === null);
  writer.int32(array.dims.length).int32(hasNulls ? 1 : 0).uint32(element.oid);
  array.dims.forEach((size, i) => writer.int32(size).int32(array.lowerBounds[i] ?? 1));
  for (const item of array.items) {
    if (item === null) {
      writer.int32(-1);
      continue;
    }
    const bytes = send(item, ctx);
    writer.int32(bytes.length).bytes(bytes);
  }
  return writer.finish();
}

function receiveArray(bytes: Uint8Array, element: ArrayElementType, typmod: number,
  ctx: FormatContext): PgArray {
  const receive = element.receive;
  if (receive === undefined) {
    throw new SqlError(SqlState.undefinedFunction, "no binary input function available");
  }
  const reader = new ByteReader(bytes);
  const ndim = reader.int32();
  const flags = reader.int32();
  const elementOid = reader.uint32();
  if (ndim < 0) throw invalidBinary(`invalid number of dimensions: ${ndim}`);
  if (ndim > arrayDimensionsMax) {
    throw new SqlError(SqlState.programLimitExceeded,
      `number of array dimensions (${ndim}) exceeds the maximum allowed (${arrayDimensionsMax})`);
  }
  if (flags !== 0 && flags !== 1) throw invalidBinary("invalid array flags");
  if (elementOid !== element.oid) {
    throw new SqlError(SqlState.datatypeMismatch, "binary data has array element type " +
      `${elementOid} instead of expected ${element.oid}`);
  }
  const dims: number[] = [];
  const lowerBounds: number[] = [];
  let count = ndim === 0 ? 0 : 1;
  for (let i = 0; i < ndim; i++) {
    const size = reader.int32();
    if (size < 0) throw invalidBinary("array size exceeds the maximum allowed");
    dims.push(size);
    lowerBounds.push(reader.int32());
    count *= size;
  }
  if (count > reader.remaining / 4) throw invalidBinary("insufficient data left in message");
  const items: Value[] = [];
  for (let i = 0; i < count; i++) {
    const length = reader.int32();
    items.push(length === -1 ? null : receive(reader.bytes(length), typmod, ctx));
  }
  reader.end();
  if (count === 0) return makeArray(element.oid, [], [], []);
  return makeArray(element.oid, items, dims, lowerBounds);
}

/**
 * int2vector and oidvector: zero-based one-dimensional arrays that print as "1 2 3" and
 * read space-separated integers.
 */
export function makeVectorIo(element: ArrayElementType, typeName: string): TypeIo {
  const arrayIo = makeArrayIo(element);
  return {
    ...arrayIo,
    input(text, _typmod, ctx) {
      const words: string[] = [];
      let word = "";
      for (let i = 0; i <= text.length; i++) {
        const code = i < text.length ? text.charCodeAt(i) : 32;
        if (!isSpaceCode(code)) word += text[i];
        else if (word !== "") words.push(word), (word = "");
      }
      if (words.length > 100) {
        throw new SqlError(SqlState.invalidParameterValue, `${typeName} has too many elements`);
      }
      const items = words.map((item) => element.input(item, -1, ctx));
      const empty = items.length === 0;
      return makeArray(element.oid, items, empty ? [] : [items.length], empty ? [] : [0]);
    },
    output: (value, ctx) =>
      (value as PgArray).items.map((item) => element.output(item, ctx)).join(" "),
  };
}
