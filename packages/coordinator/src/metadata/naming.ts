/**
 * Shard naming: a shard of `events` with id 102008 is the table `events_102008` in the same
 * schema, and every per-shard object (index, constraint, trigger) gets the same `_<shardid>`
 * suffix, as Citus's `AppendShardIdToName` (relay/relay_event_utility.c) does.
 *
 * The idea that needs care is the 63-byte identifier limit. When `name + "_<shardid>"` would
 * not fit, Citus keeps a byte prefix of the name (never splitting a UTF-8 character), then
 * `_`, the name's Postgres `hash_any` as 8 hex digits, and the suffix:
 *
 *     too_long_12345678901234567890123456789012345678901234567890   (59 bytes), shard 225000
 *     suffix "_225000" is 7 bytes; 59 >= 64 - 7, so keep 64 - 7 - 10 = 47 bytes:
 *     too_long_12345678901234567890123456789012345678 _e0119164 _225000
 *
 * So `hash_any` (Bob Jenkins's lookup3, Postgres's `hash_bytes`) is ported bit-exactly here.
 * It is not the distribution hash (that is `hash.ts`); it only keeps long names unique.
 */
import { SqlError, SqlState, assert, limits, type ShardId } from "@tessera/base";
import { QuoteUtils } from "pgsql-deparser";

/** NAMEDATALEN: identifiers are at most 63 bytes plus a terminator. */
const nameBytesMax = limits.identifierLengthMax + 1;
/** The bytes given up for `_` and 8 hex digits (plus one for the terminator, as in Citus). */
const hashPartBytes = 10;
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Returns `name` with `_<shardid>` appended, shortened with a hash when it would pass 63
 * bytes. Used for shard tables and for every per-shard object name (indexes, constraints).
 */
export function shardObjectName(name: string, shardId: ShardId): string {
  assert(Number.isSafeInteger(shardId), "shard id is a safe integer");
  assert(shardId > 0, "shard ids start at 1");
  const nameBytes = utf8.encode(name);
  if (nameBytes.length >= nameBytesMax) {
    throw new SqlError(SqlState.nameTooLong,
      `identifier must be less than ${nameBytesMax} characters`);
  }
  const suffix = `_${shardId}`;
  if (nameBytes.length < nameBytesMax - suffix.length) return name + suffix;

  const clipBytes = utf8ClipLength(nameBytes, nameBytesMax - suffix.length - hashPartBytes);
  const prefix = utf8Decoder.decode(nameBytes.subarray(0, clipBytes));
  const hashHex = postgresHashBytes(nameBytes).toString(16).padStart(8, "0");
  const result = `${prefix}_${hashHex}${suffix}`;
  assert(utf8.encode(result).length < nameBytesMax, "a shortened shard name fits NAMEDATALEN");
  return result;
}

/** Returns the shard table's name, `<relname>_<shardid>` (Citus `AppendShardIdToName`). */
export function shardName(relationName: string, shardId: ShardId): string {
  return shardObjectName(relationName, shardId);
}

export interface QualifiedShardNameOptions {
  readonly schemaName: string;
  readonly relationName: string;
  readonly shardId: ShardId;
  /** As `shard_name()`'s third argument: omit `public.` (the default). */
  readonly skipQualifyPublic?: boolean;
}

/**
 * Returns the quoted, schema-qualified shard name as Citus's `shard_name()` SQL function
 * prints it: `citus_shards."t with space_99456904"`, or `t1_99456900` in `public`.
 */
export function qualifiedShardName(options: QualifiedShardNameOptions): string {
  assert(options.schemaName.length > 0, "a relation always has a schema");
  const name = quoteIdentifier(shardName(options.relationName, options.shardId));
  const skipPublic = options.skipQualifyPublic ?? true;
  if (skipPublic && options.schemaName === "public") return name;
  return `${quoteIdentifier(options.schemaName)}.${name}`;
}

/** `qualifiedShardName` of one shard of a Citus table, `public.` left out. */
export function tableShardName(table: { readonly schemaName: string;
  readonly relationName: string }, shardId: ShardId): string {
  return qualifiedShardName({ schemaName: table.schemaName, relationName: table.relationName,
    shardId });
}

/** Quotes an identifier exactly when Postgres's `quote_identifier` would. */
export function quoteIdentifier(identifier: string): string {
  return QuoteUtils.quoteIdentifier(identifier);
}

/**
 * Returns Postgres's `hash_any(bytes)` (`hash_bytes` in common/hashfn.c) as an unsigned
 * 32-bit number. `hashtext('a')` is this function of the UTF-8 bytes, read as signed.
 */
export function postgresHashBytes(bytes: Uint8Array): number {
  const initial = (0x9e3779b9 + bytes.length + 3923095) >>> 0;
  const s: Lookup3State = { a: initial, b: initial, c: initial };
  let offset = 0;
  while (bytes.length - offset >= 12) {
    s.a = (s.a + readWord(bytes, offset)) >>> 0;
    s.b = (s.b + readWord(bytes, offset + 4)) >>> 0;
    s.c = (s.c + readWord(bytes, offset + 8)) >>> 0;
    mix(s);
    offset += 12;
  }
  addTail(s, bytes, offset);
  final(s);
  assert(s.c >= 0 && s.c <= 0xffffffff, "hash_any returns a uint32");
  return s.c;
}

/** lookup3's three 32-bit accumulators, kept as unsigned numbers. */
interface Lookup3State {
  a: number;
  b: number;
  c: number;
}

/** Adds the last 0..11 bytes; the lowest byte of `c` stays free, as lookup3 reserves it. */
function addTail(s: Lookup3State, bytes: Uint8Array, offset: number): void {
  const remaining = bytes.length - offset;
  assert(remaining >= 0 && remaining < 12, "tail is shorter than one 12-byte block");
  for (let i = 0; i < remaining; i++) {
    const byte = bytes[offset + i]!;
    if (i < 4) s.a = (s.a + byte * 2 ** (i * 8)) >>> 0;
    else if (i < 8) s.b = (s.b + byte * 2 ** ((i - 4) * 8)) >>> 0;
    else s.c = (s.c + byte * 2 ** ((i - 7) * 8)) >>> 0;
  }
}

function readWord(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) |
    (bytes[offset + 3]! << 24)) >>> 0;
}

function rot(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** lookup3's `mix(a,b,c)`, every step wrapped to 32 bits. */
function mix(s: Lookup3State): void {
  s.a = ((s.a - s.c) ^ rot(s.c, 4)) >>> 0; s.c = (s.c + s.b) >>> 0;
  s.b = ((s.b - s.a) ^ rot(s.a, 6)) >>> 0; s.a = (s.a + s.c) >>> 0;
  s.c = ((s.c - s.b) ^ rot(s.b, 8)) >>> 0; s.b = (s.b + s.a) >>> 0;
  s.a = ((s.a - s.c) ^ rot(s.c, 16)) >>> 0; s.c = (s.c + s.b) >>> 0;
  s.b = ((s.b - s.a) ^ rot(s.a, 19)) >>> 0; s.a = (s.a + s.c) >>> 0;
  s.c = ((s.c - s.b) ^ rot(s.b, 4)) >>> 0; s.b = (s.b + s.a) >>> 0;
}

/** lookup3's `final(a,b,c)`. */
function final(s: Lookup3State): void {
  s.c = ((s.c ^ s.b) - rot(s.b, 14)) >>> 0;
  s.a = ((s.a ^ s.c) - rot(s.c, 11)) >>> 0;
  s.b = ((s.b ^ s.a) - rot(s.a, 25)) >>> 0;
  s.c = ((s.c ^ s.b) - rot(s.b, 16)) >>> 0;
  s.a = ((s.a ^ s.c) - rot(s.c, 4)) >>> 0;
  s.b = ((s.b ^ s.a) - rot(s.a, 14)) >>> 0;
  s.c = ((s.c ^ s.b) - rot(s.b, 24)) >>> 0;
}

/**
 * Returns the largest byte count <= `limit` that ends on a UTF-8 character boundary
 * (Postgres's `pg_mbcliplen` for a UTF-8 server encoding).
 */
function utf8ClipLength(bytes: Uint8Array, limit: number): number {
  assert(limit > 0, "clip limit is positive");
  if (bytes.length <= limit) return bytes.length;
  let end = limit;
  // A continuation byte (10xxxxxx) at `end` means a character straddles the cut.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  assert(end <= limit, "clip never grows the name");
  return end;
}
