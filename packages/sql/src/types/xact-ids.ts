/**
 * Transaction and command ids as SQL values: xid (32 bits, the type of xmin and xmax), xid8
 * (64 bits: epoch and xid, what pg_current_xact_id() returns), cid (32 bits, cmin and cmax),
 * and the snapshot types txid_snapshot and pg_snapshot.
 *
 *   xid, cid        number in [0, 2^32)
 *   xid8            bigint in [0, 2^64)
 *   snapshots       string, the canonical text "xmin:xmax:xip,xip" (Postgres's output form)
 *
 * Postgres 15 reads xid, xid8 and cid with C's strtoul(…, 0) and no checks: '0x10' is 16,
 * '-1' is the largest value and 'abc' is 0. We read them the same way. A snapshot's text is
 * checked as Postgres's parse_snapshot checks it: xmin and xmax valid (non-zero), xmin <=
 * xmax, and the in-progress ids ascending, inside [xmin, xmax); duplicates are dropped.
 */
import { ByteReader, ByteWriter } from "./binary.js";
import type { CastRow } from "./cast-table.js";
import { invalidInput } from "./errors.js";
import { bigintKey, compareBigints, compareNumbers, isSpaceCode, type TypeIo }
  from "./type-io.js";

/** The type OIDs of this family (pg_type). */
export const XactTypeOid = {
  tid: 27, xid: 28, cid: 29, xid8: 5069, txidSnapshot: 2970, pgSnapshot: 5038,
  tidArray: 1010, cidArray: 1012, xid8Array: 271, txidSnapshotArray: 2949,
  pgSnapshotArray: 5039,
} as const;

const u64Max = (1n << 64n) - 1n;

/** C's strtoull(text, NULL, 0): whatever prefix parses; 0 when none does. */
export function strtou64(text: string): bigint {
  let p = 0;
  while (p < text.length && isSpaceCode(text.charCodeAt(p))) p++;
  let negative = false;
  if (text[p] === "+" || text[p] === "-") negative = text[p++] === "-";
  let base = 10n;
  if (text[p] === "0" && (text[p + 1] === "x" || text[p + 1] === "X") &&
    digitOf(text.charCodeAt(p + 2), 16n) !== undefined) {
    base = 16n;
    p += 2;
  } else if (text[p] === "0") {
    base = 8n;
  }
  let value = 0n;
  let overflow = false;
  for (; p < text.length; p++) {
    const digit = digitOf(text.charCodeAt(p), base);
    if (digit === undefined) break;
    value = value * base + digit;
    if (value > u64Max) overflow = true;
  }
  if (overflow) return u64Max;
  return negative ? (-value) & u64Max : value;
}

function digitOf(code: number, base: bigint): bigint | undefined {
  let digit = -1;
  if (code >= 48 && code <= 57) digit = code - 48;
  else if (code >= 97 && code <= 122) digit = code - 87;
  else if (code >= 65 && code <= 90) digit = code - 55;
  return digit >= 0 && BigInt(digit) < base ? BigInt(digit) : undefined;
}

/** Reads a 32-bit id (xid, cid) as Postgres 15 does: strtoul, kept to 32 bits. */
export function parseId32(text: string): number {
  return Number(strtou64(text) & 0xffffffffn);
}

const id32Io: TypeIo = {
  input: (text) => parseId32(text),
  output: (value) => String(value as number),
  receive(bytes) {
    const reader = new ByteReader(bytes);
    const value = reader.uint32();
    reader.end();
    return value;
  },
  send: (value) => new ByteWriter(4).uint32(value as number).finish(),
  compare: (a, b) => compareNumbers(a as number, b as number),
  equals: (a, b) => a === b,
  hashKey: (value) => value as number,
};

export const xidIo: TypeIo = id32Io;
export const cidIo: TypeIo = id32Io;

export const xid8Io: TypeIo = {
  input: (text) => strtou64(text),
  output: (value) => (value as bigint).toString(),
  receive(bytes) {
    const reader = new ByteReader(bytes);
    const value = BigInt.asUintN(64, reader.int64());
    reader.end();
    return value;
  },
  send: (value) => new ByteWriter(8).int64(BigInt.asIntN(64, value as bigint)).finish(),
  compare: (a, b) => compareBigints(a as bigint, b as bigint),
  equals: (a, b) => a === b,
  hashKey: (value) => bigintKey(value as bigint),
};

/** A snapshot read apart: every xid below xmin had ended, none from xmax on had started. */
export interface SnapshotParts {
  readonly xmin: bigint;
  readonly xmax: bigint;
  /** In progress when the snapshot was taken: ascending, distinct, in [xmin, xmax). */
  readonly xip: readonly bigint[];
}

/** Parses snapshot text as Postgres's parse_snapshot; both snapshot types say pg_snapshot. */
export function parseSnapshot(text: string): SnapshotParts {
  const bad = (): Error => invalidInput("pg_snapshot", text);
  const match = /^(\d*):(\d*):(.*)$/s.exec(text);
  if (match === null) throw bad();
  const xmin = decimalU64(match[1]!);
  const xmax = decimalU64(match[2]!);
  if (xmin === 0n || xmax === 0n || xmax < xmin) throw bad();
  const xip: bigint[] = [];
  let rest = match[3]!;
  let last = 0n;
  while (rest !== "") {
    const item = /^\d*/.exec(rest)![0];
    const value = decimalU64(item);
    rest = rest.slice(item.length);
    if (value < last) throw bad();
    if (value !== last) xip.push(value);
    last = value;
    if (value < xmin || value >= xmax) throw bad();
    if (rest.startsWith(",")) rest = rest.slice(1);
    else if (rest !== "") throw bad();
  }
  return { xmin, xmax, xip };
}

/** strtou64(…, 10) over a run of digits: "" is 0, overflow saturates. */
function decimalU64(digits: string): bigint {
  if (digits === "") return 0n;
  const value = BigInt(digits);
  return value > u64Max ? u64Max : value;
}

/** The canonical text of a snapshot. */
export function formatSnapshot(parts: SnapshotParts): string {
  return `${parts.xmin}:${parts.xmax}:${parts.xip.join(",")}`;
}

/** True when `xid` had ended (so its writes count) for `snapshot`: pg_visible_in_snapshot. */
export function visibleInSnapshot(xid: bigint, snapshot: SnapshotParts): boolean {
  if (xid < snapshot.xmin) return true;
  if (xid >= snapshot.xmax) return false;
  return !snapshot.xip.includes(xid);
}

export const snapshotIo: TypeIo = {
  input: (text) => formatSnapshot(parseSnapshot(text)),
  output: (value) => value as string,
  receive(bytes) {
    const reader = new ByteReader(bytes);
    const count = reader.int32();
    const xmin = BigInt.asUintN(64, reader.int64());
    const xmax = BigInt.asUintN(64, reader.int64());
    const xip: bigint[] = [];
    for (let i = 0; i < count; i++) xip.push(BigInt.asUintN(64, reader.int64()));
    reader.end();
    return formatSnapshot(parseSnapshot(formatSnapshot({ xmin, xmax, xip })));
  },
  send(value) {
    const parts = parseSnapshot(value as string);
    const writer = new ByteWriter(20 + parts.xip.length * 8).int32(parts.xip.length)
      .int64(BigInt.asIntN(64, parts.xmin)).int64(BigInt.asIntN(64, parts.xmax));
    for (const xid of parts.xip) writer.int64(BigInt.asIntN(64, xid));
    return writer.finish();
  },
  compare: (a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0),
  hashKey: (value) => value as string,
};

/** pg_cast's one row among these types: xid8 to xid, explicit, keeping the low 32 bits. */
export const xactCastRows: readonly CastRow[] = [
  [XactTypeOid.xid8, XactTypeOid.xid, "e", "f",
    (value) => Number((value as bigint) & 0xffffffffn)],
];
