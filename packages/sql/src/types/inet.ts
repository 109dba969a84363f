/**
 * inet and cidr: an IPv4 or IPv6 address with a netmask length. inet prints the mask only
 * when it is not the full width; cidr always prints it and rejects bits right of the mask.
 * cidr accepts the classful abbreviations Postgres keeps ('10/8', '128' -> 128.0.0.0/16).
 * IPv6 prints with the longest run of zero groups (two or more, first on a tie) as "::",
 * and with a dotted IPv4 tail for ::a.b.c.d and ::ffff:a.b.c.d, as inet_net_ntop.
 */
import { SqlError, SqlState } from "@tessera/base";
import { ByteReader, ByteWriter } from "./binary.js";
import { invalidBinary, invalidInput } from "./errors.js";
import type { TypeIo } from "./type-io.js";
import type { Inet } from "./value.js";

export const inetIo: TypeIo = {
  input: (text) => parseInet(text, false),
  output: (value) => formatInet(value as Inet),
  receive: (bytes) => receiveInet(bytes, false),
  send: (value) => sendInet(value as Inet),
  compare: (a, b) => compareInet(a as Inet, b as Inet),
  hashKey: (value) => inetKey(value as Inet),
};

export const cidrIo: TypeIo = {
  ...inetIo,
  input: (text) => parseInet(text, true),
  receive: (bytes) => receiveInet(bytes, true),
};

export function parseInet(text: string, isCidr: boolean): Inet {
  const typeName = isCidr ? "cidr" : "inet";
  const word = text;
  const slash = word.indexOf("/");
  const addressText = slash < 0 ? word : word.slice(0, slash);
  const bitsText = slash < 0 ? undefined : word.slice(slash + 1);
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) throw invalidInput(typeName, text);
  let bits = bitsText === undefined ? -1 : Number(bitsText);
  let inet: Inet | undefined;
  if (addressText.includes(":")) {
    const address = parseIpv6(addressText);
    if (address !== undefined) {
      if (bits < 0) bits = 128;
      inet = { family: 6, address, bits, isCidr };
    }
  } else {
    const octets = parseIpv4(addressText, isCidr || bits >= 0);
    if (octets !== undefined) {
      if (bits < 0) bits = isCidr ? classfulBits(octets.address, octets.count) : 32;
      inet = { family: 4, address: octets.address, bits, isCidr };
    }
  }
  if (inet === undefined || bits > inet.address.length * 8) throw invalidInput(typeName, text);
  if (isCidr && hasBitsRightOfMask(inet)) {
    throw new SqlError(SqlState.invalidTextRepresentation, `invalid cidr value: "${text}"`, {
      detail: "Value has bits set to right of mask.",
    });
  }
  return inet;
}

function parseIpv4(text: string, allowShort: boolean):
  { address: Uint8Array; count: number } | undefined {
  const parts = text.split(".");
  if (parts.length > 4 || (!allowShort && parts.length !== 4)) return undefined;
  const address = new Uint8Array(4);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? "";
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    address[i] = Number(part);
  }
  return { address, count: parts.length };
}

function classfulBits(address: Uint8Array, count: number): number {
  const first = address[0] ?? 0;
  let bits = first >= 240 ? 32 : first >= 224 ? 8 : first >= 192 ? 24 : first >= 128 ? 16 : 8;
  if (bits < count * 8) bits = count * 8;
  if (bits === 8 && first === 224) bits = 4;
  return bits;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const doubleAt = text.indexOf("::");
  if (doubleAt >= 0 && text.indexOf("::", doubleAt + 1) >= 0) return undefined;
  const head = doubleAt < 0 ? text : text.slice(0, doubleAt);
  const tail = doubleAt < 0 ? "" : text.slice(doubleAt + 2);
  const headWords = parseWords(head, doubleAt < 0);
  const tailWords = parseWords(tail, true);
  if (headWords === undefined || tailWords === undefined) return undefined;
  const total = headWords.length + tailWords.length;
  if (doubleAt < 0 ? total !== 8 : total > 7) return undefined;
  const words = [...headWords, ...new Array<number>(8 - total).fill(0), ...tailWords];
  const address = new Uint8Array(16);
  words.forEach((word, i) => {
    address[i * 2] = word >> 8;
    address[i * 2 + 1] = word & 255;
  });
  return address;
}

/** Parses colon-separated hex words; the last may be a dotted IPv4 address (two words). */
function parseWords(text: string, allowIpv4Tail: boolean): number[] | undefined {
  if (text === "") return [];
  const parts = text.split(":");
  const words: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? "";
    if (i === parts.length - 1 && allowIpv4Tail && part.includes(".")) {
      const ipv4 = parseIpv4(part, false);
      if (ipv4 === undefined) return undefined;
      const [a = 0, b = 0, c = 0, d = 0] = ipv4.address;
      words.push((a << 8) | b, (c << 8) | d);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      words.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return words;
}

function hasBitsRightOfMask(inet: Inet): boolean {
  for (let i = 0; i < inet.address.length; i++) {
    const keep = Math.max(0, Math.min(8, inet.bits - i * 8));
    const mask = keep === 8 ? 0 : 0xff >> keep;
    if (((inet.address[i] ?? 0) & mask) !== 0) return true;
  }
  return false;
}

export function formatInet(inet: Inet): string {
  const address = inet.family === 4 ? inet.address.join(".") : formatIpv6(inet.address);
  const fullBits = inet.family === 4 ? 32 : 128;
  return inet.isCidr || inet.bits !== fullBits ? `${address}/${inet.bits}` : address;
}

function formatIpv6(address: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((address[i] ?? 0) << 8) | (address[i + 1] ?? 0));
  let bestBase = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && words[end] === 0) end++;
    if (end - i > bestLength) {
      bestBase = i;
      bestLength = end - i;
    }
    i = end;
  }
  if (bestLength < 2) bestBase = -1;
  if (bestBase === 0 && (bestLength === 6 || (bestLength === 5 && words[5] === 0xffff))) {
    const prefix = bestLength === 5 ? "::ffff:" : "::";
    return prefix + Array.from(address.subarray(12)).join(".");
  }
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (i === bestBase) {
      out += "::";
      i += bestLength - 1;
      continue;
    }
    if (out !== "" && !out.endsWith(":")) out += ":";
    out += (words[i] ?? 0).toString(16);
  }
  return out;
}

/** Orders as network_cmp: family, then the network part, then mask length, then address. */
export function compareInet(a: Inet, b: Inet): number {
  if (a.family !== b.family) return a.family - b.family;
  const networkBits = Math.min(a.bits, b.bits);
  const network = compareBits(a.address, b.address, networkBits);
  if (network !== 0) return network;
  if (a.bits !== b.bits) return a.bits - b.bits;
  return compareBits(a.address, b.address, a.address.length * 8);
}

function compareBits(a: Uint8Array, b: Uint8Array, bits: number): number {
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  const rest = bits & 7;
  if (rest === 0) return 0;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((a[whole] ?? 0) & mask) - ((b[whole] ?? 0) & mask);
}

function inetKey(inet: Inet): string {
  return `${inet.family}/${inet.bits}/${Array.from(inet.address).join(".")}`;
}

function sendInet(inet: Inet): Uint8Array {
  return new ByteWriter(20).int8(inet.family === 4 ? 2 : 3).int8(inet.bits)
    .int8(inet.isCidr ? 1 : 0).int8(inet.address.length).bytes(inet.address).finish();
}

function receiveInet(bytes: Uint8Array, isCidr: boolean): Inet {
  const reader = new ByteReader(bytes);
  const familyCode = reader.uint8();
  const bits = reader.uint8();
  reader.uint8();
  const length = reader.uint8();
  const family = familyCode === 2 ? 4 : familyCode === 3 ? 6 : 0;
  const name = isCidr ? "cidr" : "inet";
  if (family === 0) throw invalidBinary(`invalid address family in external "${name}" value`);
  if (bits > (family === 4 ? 32 : 128)) {
    throw invalidBinary(`invalid bits in external "${name}" value`);
  }
  if (length !== (family === 4 ? 4 : 16)) {
    throw invalidBinary(`invalid length in external "${name}" value`);
  }
  const address = reader.bytes(length).slice();
  reader.end();
  const inet: Inet = { family, address, bits, isCidr };
  if (isCidr && hasBitsRightOfMask(inet)) throw invalidBinary("invalid external \"cidr\" value");
  return inet;
}
