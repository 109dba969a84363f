/**
 * inet and cidr functions and operators (PostgreSQL's network.c): host, masklen, network,
 * broadcast, netmask, hostmask, family, abbrev, set_masklen; containment (<< <<= >> >>= &&)
 * and address arithmetic (inet + int8, inet - int8, inet - inet):
 *
 *   broadcast('192.168.1.5/24') -> 192.168.1.255/24    '10.0.0.1'::inet + 255 -> 10.0.1.0
 *   abbrev('10.1.0.0/16'::cidr) -> 10.1/16             network('192.168.1.5/24') -> 192.168.1.0/24
 */
import { SqlError, SqlState } from "@tessera/base";
import { formatInet } from "../types/inet.js";
import type { Inet, Value } from "../types/value.js";
import type { OperatorDef, ScalarFunction } from "./defs.js";
import { fn, num, op } from "./builders.js";
import { T } from "./type-oids.js";

const I = (v: Value | undefined): Inet => v as Inet;
const fullBits = (a: Inet): number => (a.family === 4 ? 32 : 128);

/** Returns the address with every bit at position >= `bits` set to `hostBit` (0 or 1). */
function withHostBits(a: Inet, bits: number, hostBit: 0 | 1): Uint8Array {
  return a.address.map((byte, i) => {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    const mask = (0xff << (8 - keep)) & 0xff;
    return hostBit === 1 ? (byte & mask) | (~mask & 0xff) : byte & mask;
  });
}

/** The mask of `bits` ones as an address. */
function maskAddress(a: Inet, bits: number, invert: boolean): Uint8Array {
  return a.address.map((_b, i) => {
    const ones = (0xff << (8 - Math.max(0, Math.min(8, bits - i * 8)))) & 0xff;
    return invert ? ~ones & 0xff : ones;
  });
}

const inet = (a: Inet, address: Uint8Array, bits: number, isCidr = false): Inet =>
  ({ family: a.family, address, bits, isCidr });

export function inetFunctions(): ScalarFunction[] {
  return [
    fn("host", [T.inet], T.text, (a) => formatInet({ ...I(a[0]), bits: fullBits(I(a[0])),
      isCidr: false })),
    fn("masklen", [T.inet], T.int4, (a) => I(a[0]).bits),
    fn("family", [T.inet], T.int4, (a) => I(a[0]).family),
    fn("network", [T.inet], T.cidr, (a) =>
      inet(I(a[0]), withHostBits(I(a[0]), I(a[0]).bits, 0), I(a[0]).bits, true)),
    fn("broadcast", [T.inet], T.inet, (a) =>
      inet(I(a[0]), withHostBits(I(a[0]), I(a[0]).bits, 1), I(a[0]).bits)),
    fn("netmask", [T.inet], T.inet, (a) =>
      inet(I(a[0]), maskAddress(I(a[0]), I(a[0]).bits, false), fullBits(I(a[0])))),
    fn("hostmask", [T.inet], T.inet, (a) =>
      inet(I(a[0]), maskAddress(I(a[0]), I(a[0]).bits, true), fullBits(I(a[0])))),
    fn("abbrev", [T.inet], T.text, (a) => formatInet(I(a[0]))),
    fn("abbrev", [T.cidr], T.text, (a) => abbreviateCidr(I(a[0]))),
    fn("set_masklen", [T.inet, T.int4], T.inet, (a) => setMasklen(I(a[0]), num(a[1] ?? 0),
      false)),
    fn("set_masklen", [T.cidr, T.int4], T.cidr, (a) => setMasklen(I(a[0]), num(a[1] ?? 0),
      true)),
    fn("inet_same_family", [T.inet, T.inet], T.bool, (a) => I(a[0]).family === I(a[1]).family),
  ];
}

function setMasklen(a: Inet, requested: number, isCidr: boolean): Inet {
  const bits = requested === -1 ? fullBits(a) : requested;
  if (bits < 0 || bits > fullBits(a)) {
    throw new SqlError(SqlState.invalidParameterValue, `invalid mask length: ${requested}`);
  }
  return inet(a, isCidr ? withHostBits(a, bits, 0) : a.address.slice(), bits, isCidr);
}

/** cidr abbrev: IPv4 drops the trailing octets the mask leaves zero ('10.1/16'). */
function abbreviateCidr(a: Inet): string {
  if (a.family !== 4) return formatInet(a);
  const octets = Math.max(1, Math.ceil(a.bits / 8));
  let shown = 4;
  while (shown > octets && a.address[shown - 1] === 0) shown--;
  return `${Array.from(a.address.subarray(0, shown)).join(".")}/${a.bits}`;
}

/** True when `inner`'s network lies within `outer`'s (strictly when `strict`). */
function within(inner: Inet, outer: Inet, strict: boolean): boolean {
  if (inner.family !== outer.family) return false;
  if (strict ? inner.bits <= outer.bits : inner.bits < outer.bits) return false;
  const a = withHostBits(inner, outer.bits, 0);
  const b = withHostBits(outer, outer.bits, 0);
  return a.every((byte, i) => byte === b[i]);
}

function overlaps(a: Inet, b: Inet): boolean {
  if (a.family !== b.family) return false;
  const bits = Math.min(a.bits, b.bits);
  const x = withHostBits(a, bits, 0);
  const y = withHostBits(b, bits, 0);
  return x.every((byte, i) => byte === y[i]);
}

function toBigInt(address: Uint8Array): bigint {
  return address.reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);
}

function addOffset(a: Inet, offset: bigint): Inet {
  const value = toBigInt(a.address) + offset;
  if (value < 0n || value >= 1n << BigInt(fullBits(a))) {
    throw new SqlError(SqlState.numericValueOutOfRange, "result is out of range");
  }
  const address = new Uint8Array(a.address.length);
  let rest = value;
  for (let i = address.length - 1; i >= 0; i--) {
    address[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return { ...a, address };
}

function subtract(a: Inet, b: Inet): bigint {
  if (a.family !== b.family) {
    throw new SqlError(SqlState.featureNotSupported,
      "cannot subtract inet values of different sizes");
  }
  return toBigInt(a.address) - toBigInt(b.address);
}

export function inetOperators(): OperatorDef[] {
  const pair = (name: string, test: (l: Inet, r: Inet) => boolean, commutator: string) =>
    op(name, T.inet, T.inet, T.bool, (l, r) => test(I(l), I(r)), { commutator });
  return [
    pair("<<", (l, r) => within(l, r, true), ">>"),
    pair("<<=", (l, r) => within(l, r, false), ">>="),
    pair(">>", (l, r) => within(r, l, true), "<<"),
    pair(">>=", (l, r) => within(r, l, false), "<<="),
    pair("&&", overlaps, "&&"),
    op("+", T.inet, T.int8, T.inet, (l, r) => addOffset(I(l), r as bigint)),
    op("+", T.int8, T.inet, T.inet, (l, r) => addOffset(I(r), l as bigint)),
    op("-", T.inet, T.int8, T.inet, (l, r) => addOffset(I(l), -(r as bigint))),
    op("-", T.inet, T.inet, T.int8, (l, r) => subtract(I(l), I(r))),
  ];
}
