/**
 * Hash partitioning's row hash, bit for bit as PostgreSQL computes it
 * (compute_partition_hash_value): each non-null key column's extended hash with the seed
 * HASH_PARTITION_SEED (hashint4extended, hashint8extended, hashtextextended … over Bob
 * Jenkins's lookup3, as hashfn.c), folded with hash_combine64; a row goes to the partition
 * whose REMAINDER is the hash modulo its MODULUS. Types without such a hash here are refused
 * when the key is made.
 */
import { notSupported } from "@tessera/base";
import type { Value } from "@tessera/sql";
import { Oid } from "../catalog/types.js";

const mask64 = (1n << 64n) - 1n;
const seed = 0x7a5b22367996dcfdn;

function rot(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

type State = [number, number, number];

function mix(s: State): void {
  let [a, b, c] = s;
  a = (a - c) >>> 0; a = (a ^ rot(c, 4)) >>> 0; c = (c + b) >>> 0;
  b = (b - a) >>> 0; b = (b ^ rot(a, 6)) >>> 0; a = (a + c) >>> 0;
  c = (c - b) >>> 0; c = (c ^ rot(b, 8)) >>> 0; b = (b + a) >>> 0;
  a = (a - c) >>> 0; a = (a ^ rot(c, 16)) >>> 0; c = (c + b) >>> 0;
  b = (b - a) >>> 0; b = (b ^ rot(a, 19)) >>> 0; a = (a + c) >>> 0;
  c = (c - b) >>> 0; c = (c ^ rot(b, 4)) >>> 0; b = (b + a) >>> 0;
  s[0] = a; s[1] = b; s[2] = c;
}

function final(s: State): void {
  let [a, b, c] = s;
  c = (c ^ b) >>> 0; c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 24)) >>> 0;
  s[0] = a; s[1] = b; s[2] = c;
}

function seeded(init: number, withSeed: bigint): State {
  const s: State = [init >>> 0, init >>> 0, init >>> 0];
  if (withSeed !== 0n) {
    s[0] = (s[0] + Number(withSeed >> 32n)) >>> 0;
    s[1] = (s[1] + Number(withSeed & 0xffffffffn)) >>> 0;
    mix(s);
  }
  return s;
}

const result = (s: State): bigint => (BigInt(s[1]) << 32n) | BigInt(s[2]);

/** hash_uint32_extended. */
export function hashUint32Extended(k: number, withSeed: bigint): bigint {
  const s = seeded(0x9e3779b9 + 4 + 3923095, withSeed);
  s[0] = (s[0] + (k >>> 0)) >>> 0;
  final(s);
  return result(s);
}

/** hash_bytes_extended (little-endian word fetches). */
export function hashBytesExtended(bytes: Uint8Array, withSeed: bigint): bigint {
  let len = bytes.length;
  const s = seeded(0x9e3779b9 + len + 3923095, withSeed);
  const word = (i: number): number => (bytes[i]! | bytes[i + 1]! << 8 | bytes[i + 2]! << 16 |
    bytes[i + 3]! << 24) >>> 0;
  let p = 0;
  while (len >= 12) {
    s[0] = (s[0] + word(p)) >>> 0;
    s[1] = (s[1] + word(p + 4)) >>> 0;
    s[2] = (s[2] + word(p + 8)) >>> 0;
    mix(s);
    p += 12;
    len -= 12;
  }
  const at = (i: number): number => bytes[p + i] ?? 0;
  if (len >= 9) {
    s[2] = (s[2] + ((len >= 11 ? at(10) << 24 : 0) | (len >= 10 ? at(9) << 16 : 0) |
      at(8) << 8)) >>> 0;
  }
  if (len >= 8) {
    s[1] = (s[1] + word(p + 4)) >>> 0;
    s[0] = (s[0] + word(p)) >>> 0;
  } else {
    if (len >= 5) {
      s[1] = (s[1] + ((len >= 7 ? at(6) << 16 : 0) | (len >= 6 ? at(5) << 8 : 0) | at(4)))
        >>> 0;
    }
    if (len >= 4) s[0] = (s[0] + word(p)) >>> 0;
    else if (len >= 1) {
      s[0] = (s[0] + ((len >= 3 ? at(2) << 16 : 0) | (len >= 2 ? at(1) << 8 : 0) | at(0)))
        >>> 0;
    }
  }
  final(s);
  return result(s);
}

const utf8 = new TextEncoder();

/** The types hash partition keys may have here. */
const hashable = new Set<number>([Oid.int2, Oid.int4, Oid.int8, Oid.text, Oid.varchar,
  Oid.date, Oid.bool]);

/** Refuses a hash partition key column of a type without a hash here. */
export function checkHashKeyType(type: number, column: string): void {
  if (!hashable.has(type)) {
    throw notSupported(`hash partitioning on column "${column}" of this type (integers, ` +
      "text, varchar, date and boolean keys are supported)");
  }
}

/** The type's extended hash of a non-null value (hashint4extended and kin). */
export function extendedHash(type: number, v: Value, withSeed: bigint): bigint {
  switch (type) {
    case Oid.int2: case Oid.int4: case Oid.date:
      return hashUint32Extended(Number(v) | 0, withSeed);
    case Oid.bool: return hashUint32Extended(v === true ? 1 : 0, withSeed);
    case Oid.int8: {
      const val = BigInt(v as bigint | number);
      const bits = BigInt.asUintN(64, val);
      let lo = Number(bits & 0xffffffffn);
      const hi = Number(bits >> 32n);
      lo = (lo ^ (val >= 0n ? hi : ~hi >>> 0)) >>> 0;
      return hashUint32Extended(lo, withSeed);
    }
    default: return hashBytesExtended(utf8.encode(String(v)), withSeed);
  }
}

/** compute_partition_hash_value: the row hash of a key, unsigned 64-bit. */
export function partitionHash(key: readonly Value[], types: readonly number[]): bigint {
  let row = 0n;
  key.forEach((v, i) => {
    if (v === null) return;
    const h = extendedHash(types[i]!, v, seed);
    row = (row ^ ((h + 0x49a0f4dd15e5a8e3n + ((row << 54n) & mask64) + (row >> 7n)) & mask64))
      & mask64;
  });
  return row;
}

/** True when a row with `key` goes to the partition WITH (MODULUS m, REMAINDER r). */
export function hashRemainderFits(key: readonly Value[], types: readonly number[],
  modulus: number, remainder: number): boolean {
  return partitionHash(key, types) % BigInt(modulus) === BigInt(remainder);
}
