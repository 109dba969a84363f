/**
 * The binary format of ranges and multiranges (range_send / range_recv, multirange_send /
 * multirange_recv):
 *
 *   range       u8 flags (1 empty, 2 lower inclusive, 4 upper inclusive, 8 lower infinite,
 *               16 upper infinite), then each finite bound as int32 length + subtype bytes
 *   multirange  int32 count, then each range as int32 length + its range bytes
 *
 * Received ranges go through make_range (discrete ones made canonical, bad order refused) and
 * received multiranges through canonicalisation, as PostgreSQL does.
 */
import { notSupported } from "@tessera/base";
import { ByteReader, ByteWriter } from "./binary.js";
import type { FormatContext } from "./context.js";
import { invalidBinary } from "./errors.js";
import { makeMultirange } from "./multirange.js";
import {
  emptyRange, makeRange, type RangeBound, type RangeSubtype, type SubtypeBinary,
} from "./range.js";
import type { TypeIo } from "./type-io.js";
import type { PgMultirange, PgRange } from "./value.js";

const enum Flag { Empty = 1, LowerInc = 2, UpperInc = 4, LowerInf = 8, UpperInf = 16 }


export function sendRange(binary: SubtypeBinary, range: PgRange, ctx: FormatContext):
  Uint8Array {
  const out = new ByteWriter();
  writeRange(out, binary, range, ctx);
  return out.finish();
}

function writeRange(out: ByteWriter, binary: SubtypeBinary, range: PgRange,
  ctx: FormatContext): void {
  if (range.empty) {
    out.int8(Flag.Empty);
    return;
  }
  out.int8((range.lowerInc ? Flag.LowerInc : 0) | (range.upperInc ? Flag.UpperInc : 0) |
    (range.lowerInf ? Flag.LowerInf : 0) | (range.upperInf ? Flag.UpperInf : 0));
  for (const [inf, value] of [[range.lowerInf, range.lower], [range.upperInf, range.upper]] as
    const) {
    if (inf) continue;
    const bytes = binary.send(value, ctx);
    out.int32(bytes.length).bytes(bytes);
  }
}

export function receiveRange(binary: SubtypeBinary, rangeType: number, subtype: RangeSubtype,
  bytes: Uint8Array, ctx: FormatContext): PgRange {
  const input = new ByteReader(bytes);
  const range = readRange(input, binary, rangeType, subtype, ctx);
  input.end();
  return range;
}

function readRange(input: ByteReader, binary: SubtypeBinary, rangeType: number,
  subtype: RangeSubtype, ctx: FormatContext): PgRange {
  const flags = input.uint8();
  if ((flags & Flag.Empty) !== 0) return emptyRange(rangeType);
  const bound = (lower: boolean): RangeBound => {
    const infinite = (flags & (lower ? Flag.LowerInf : Flag.UpperInf)) !== 0;
    if (infinite) return { value: null, infinite, inclusive: false, lower };
    const length = input.int32();
    if (length < 0) throw invalidBinary("insufficient data left in message");
    const value = binary.receive(input.bytes(length), ctx);
    return { value, infinite, lower,
      inclusive: (flags & (lower ? Flag.LowerInc : Flag.UpperInc)) !== 0 };
  };
  const lower = bound(true);
  return makeRange(rangeType, subtype, lower, bound(false));
}

export function sendMultirange(binary: SubtypeBinary, value: PgMultirange,
  ctx: FormatContext): Uint8Array {
  const out = new ByteWriter();
  out.int32(value.ranges.length);
  for (const range of value.ranges) {
    const bytes = sendRange(binary, range, ctx);
    out.int32(bytes.length).bytes(bytes);
  }
  return out.finish();
}

/** The ranges of a received multirange, not yet canonical. */
export function receiveMultirangeRanges(binary: SubtypeBinary, rangeType: number,
  subtype: RangeSubtype, bytes: Uint8Array, ctx: FormatContext): PgRange[] {
  const input = new ByteReader(bytes);
  const count = input.int32();
  const ranges: PgRange[] = [];
  for (let i = 0; i < count; i++) {
    const length = input.int32();
    if (length < 0) throw invalidBinary("insufficient data left in message");
    ranges.push(receiveRange(binary, rangeType, subtype, input.bytes(length), ctx));
  }
  input.end();
  return ranges;
}

function binaryOf(subtype: RangeSubtype): SubtypeBinary {
  const binary = subtype.binary;
  if (binary === undefined) throw notSupported(`binary I/O of type ${subtype.oid}`);
  return binary;
}

/** The send and receive of a range type, joined to its TypeIo in the registry. */
export function rangeBinaryIo(rangeType: number, subtypeOf: () => RangeSubtype):
  Pick<TypeIo, "send" | "receive"> {
  return {
    send: (value, ctx) => sendRange(binaryOf(subtypeOf()), value as PgRange, ctx),
    receive: (bytes, _typmod, ctx) =>
      receiveRange(binaryOf(subtypeOf()), rangeType, subtypeOf(), bytes, ctx),
  };
}

/** The send and receive of a multirange type over range type `rangeType`. */
export function multirangeBinaryIo(multirangeType: number, rangeType: number,
  subtypeOf: () => RangeSubtype): Pick<TypeIo, "send" | "receive"> {
  return {
    send: (value, ctx) => sendMultirange(binaryOf(subtypeOf()), value as PgMultirange, ctx),
    receive: (bytes, _typmod, ctx) => makeMultirange(multirangeType, subtypeOf(),
      receiveMultirangeRanges(binaryOf(subtypeOf()), rangeType, subtypeOf(), bytes, ctx)),
  };
}
