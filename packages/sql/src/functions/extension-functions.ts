/**
 * The functions of the `uuid-ossp` and `pgcrypto` extensions that application schemas use
 * (migrations run `CREATE EXTENSION IF NOT EXISTS "uuid-ossp"` for uuid_generate_v4()
 * defaults, or pgcrypto for digests and password hashes):
 *
 *   uuid_generate_v1(), uuid_generate_v1mc(), uuid_generate_v3(ns, name), uuid_generate_v4(),
 *   uuid_generate_v5(ns, name), uuid_nil(), uuid_ns_dns(), uuid_ns_url(), uuid_ns_oid(),
 *   uuid_ns_x500()
 *   digest(data, type), hmac(data, key, type), gen_random_bytes(n), crypt(password, salt),
 *   gen_salt(type [, rounds])
 *
 * crypt and gen_salt know the MD5-based `$1$` scheme; Blowfish ('bf'), DES and extended DES
 * salts fail with 0A000. The version-1 UUIDs carry a random node (as v1mc does) rather than a
 * network card's address.
 */
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "../types/value.js";
import { fn } from "./builders.js";
import type { FunctionDef } from "./defs.js";
import { T } from "./type-oids.js";

const digestNames: Readonly<Record<string, string>> = {
  md5: "md5", sha1: "sha1", sha224: "sha224", sha256: "sha256", sha384: "sha384",
  sha512: "sha512",
};

export function extensionFunctions(): FunctionDef[] {
  const bytes = (v: Value): Buffer => (typeof v === "string" ? Buffer.from(v, "utf8")
    : Buffer.from(v as Uint8Array));
  const volatile = { volatility: "v" as const };
  return [
    fn("uuid_generate_v1", [], T.uuid, () => timeUuid(false), volatile),
    fn("uuid_generate_v1mc", [], T.uuid, () => timeUuid(true), volatile),
    fn("uuid_generate_v3", [T.uuid, T.text], T.uuid,
      ([ns, name]) => nameUuid("md5", 3, ns as string, name as string)),
    fn("uuid_generate_v4", [], T.uuid, () => randomUUID(), volatile),
    fn("uuid_generate_v5", [T.uuid, T.text], T.uuid,
      ([ns, name]) => nameUuid("sha1", 5, ns as string, name as string)),
    fn("uuid_nil", [], T.uuid, () => "00000000-0000-0000-0000-000000000000"),
    fn("uuid_ns_dns", [], T.uuid, () => "6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
    fn("uuid_ns_url", [], T.uuid, () => "6ba7b811-9dad-11d1-80b4-00c04fd430c8"),
    fn("uuid_ns_oid", [], T.uuid, () => "6ba7b812-9dad-11d1-80b4-00c04fd430c8"),
    fn("uuid_ns_x500", [], T.uuid, () => "6ba7b814-9dad-11d1-80b4-00c04fd430c8"),
    ...[T.text, T.bytea].map((type) => fn("digest", [type, T.text], T.bytea,
      ([data, kind]) => new Uint8Array(createHash(digestType(kind as string))
        .update(bytes(data!)).digest()))),
    ...[T.text, T.bytea].map((type) => fn("hmac", [type, type, T.text], T.bytea,
      ([data, key, kind]) => new Uint8Array(createHmac(digestType(kind as string), bytes(key!))
        .update(bytes(data!)).digest()))),
    fn("gen_random_bytes", [T.int4], T.bytea, ([n]) => {
      const count = n as number;
      if (count < 1 || count > 1024) {
        throw new SqlError(SqlState.externalRoutineInvocationException, "Length not in range");
      }
      return new Uint8Array(randomBytes(count));
    }, volatile),
    fn("crypt", [T.text, T.text], T.text, ([password, salt]) =>
      crypt(password as string, salt as string)),
    fn("gen_salt", [T.text], T.text, ([kind]) => genSalt(kind as string), volatile),
    fn("gen_salt", [T.text, T.int4], T.text, ([kind]) => genSalt(kind as string), volatile),
  ];
}

function digestType(name: string): string {
  const found = digestNames[name.toLowerCase()];
  if (found === undefined) {
    throw new SqlError(SqlState.invalidParameterValue,
      `Cannot use "${name}": No such hash algorithm`);
  }
  return found;
}

function formatUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-` +
    hex.slice(20, 32);
}

/** 100-nanosecond intervals between 1582-10-15 (the Gregorian reform) and 1970-01-01. */
const gregorianOffset = 122192928000000000n;
let lastTicks = 0n;

/** A version-1 UUID: the time, a random clock sequence and a random (multicast) node. */
function timeUuid(multicast: boolean): string {
  let ticks = BigInt(Date.now()) * 10000n + gregorianOffset;
  if (ticks <= lastTicks) ticks = lastTicks + 1n;
  lastTicks = ticks;
  const bytes = new Uint8Array(16);
  const low = Number(ticks & 0xffffffffn);
  const mid = Number((ticks >> 32n) & 0xffffn);
  const high = Number((ticks >> 48n) & 0x0fffn) | 0x1000;
  new DataView(bytes.buffer).setUint32(0, low);
  new DataView(bytes.buffer).setUint16(4, mid);
  new DataView(bytes.buffer).setUint16(6, high);
  const random = randomBytes(8);
  bytes.set(random, 8);
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  if (multicast) bytes[10] = bytes[10]! | 0x01;
  return formatUuid(bytes);
}

/** Versions 3 and 5: the hash of the namespace's bytes and the name. */
function nameUuid(hash: "md5" | "sha1", version: number, namespace: string,
  name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const digest = createHash(hash).update(ns).update(Buffer.from(name, "utf8")).digest();
  const bytes = new Uint8Array(digest.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | (version << 4);
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatUuid(bytes);
}

const saltAlphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function genSalt(kind: string): string {
  const type = kind.toLowerCase();
  if (type === "md5") {
    const random = randomBytes(8);
    let salt = "";
    for (const b of random) salt += saltAlphabet[b & 63];
    return `$1$${salt}`;
  }
  if (type === "bf" || type === "des" || type === "xdes") {
    throw new SqlError(SqlState.featureNotSupported,
      `gen_salt type "${kind}" is not supported by Tessera: use 'md5'`);
  }
  throw new SqlError(SqlState.invalidParameterValue, "gen_salt: Unknown salt algorithm");
}

function crypt(password: string, salt: string): string {
  if (salt.startsWith("$1$")) return md5Crypt(password, salt);
  throw new SqlError(SqlState.featureNotSupported, salt.startsWith("$2")
    ? "crypt with Blowfish salts is not supported by Tessera: use gen_salt('md5')"
    : "crypt with DES salts is not supported by Tessera: use gen_salt('md5')");
}

/** The FreeBSD MD5 crypt ("$1$salt$hash"), as crypt-md5.c computes it. */
function md5Crypt(password: string, setting: string): string {
  const salt = setting.slice(3).split("$")[0]!.slice(0, 8);
  const pw = Buffer.from(password, "utf8");
  const alternate = createHash("md5").update(pw).update(salt).update(pw).digest();
  const context = createHash("md5").update(pw).update("$1$").update(salt);
  for (let left = pw.length; left > 0; left -= 16) {
    context.update(alternate.subarray(0, Math.min(16, left)));
  }
  for (let i = pw.length; i > 0; i >>= 1) {
    context.update((i & 1) !== 0 ? Buffer.from([0]) : pw.subarray(0, 1));
  }
  let final = context.digest();
  for (let i = 0; i < 1000; i++) {
    const round = createHash("md5");
    round.update((i & 1) !== 0 ? pw : final);
    if (i % 3 !== 0) round.update(salt);
    if (i % 7 !== 0) round.update(pw);
    round.update((i & 1) !== 0 ? final : pw);
    final = round.digest();
  }
  const groups: [number, number, number][] = [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15],
    [4, 10, 5]];
  let out = "";
  const to64 = (value: number, count: number): void => {
    for (let n = 0; n < count; n++, value >>= 6) out += saltAlphabet[value & 63];
  };
  for (const [a, b, c] of groups) to64((final[a]! << 16) | (final[b]! << 8) | final[c]!, 4);
  to64(final[11]!, 2);
  return `$1$${salt}$${out}`;
}
