/**
 * Hash ranges: how the int32 hash space is cut into shards, and which shard holds a hash.
 *
 * Citus's `CreateShardsWithRoundRobinPolicy` (operations/create_shards.c) gives shard i of N
 * the range starting at INT32_MIN + i * floor(2^32 / N), each `increment` wide, and lets the
 * last shard absorb the remainder. For N = 3 the increment is 1431655765:
 *
 *     [-2147483648, -715827884] [-715827883, 715827881] [715827882, 2147483647]
 *
 * The same cut gives the same `shardminvalue`/`shardmaxvalue` text as Citus for every N.
 * Ranges of one table never overlap and leave no gap; that is asserted when they are built
 * here and again when the metadata cache loads them from the catalog.
 */
import { SqlError, SqlState, assert, limits } from "@tessera/base";

/** One shard's inclusive hash range. */
export interface HashRange {
  readonly min: number;
  readonly max: number;
}

export const hashMin = -2_147_483_648;
export const hashMax = 2_147_483_647;
/** HASH_TOKEN_COUNT: the number of int32 values. */
const hashTokenCount = 4_294_967_296;

/** Returns the N ranges Citus creates for `shard_count = N`, in shard order. */
export function buildHashRanges(shardCount: number): readonly HashRange[] {
  checkShardCount(shardCount);
  const increment = Math.floor(hashTokenCount / shardCount);
  const ranges: HashRange[] = [];
  for (let index = 0; index < shardCount; index++) {
    const min = hashMin + index * increment;
    const max = index === shardCount - 1 ? hashMax : min + increment - 1;
    ranges.push(Object.freeze({ min, max }));
  }
  assertRangesCoverHashSpace(ranges);
  return Object.freeze(ranges);
}

/**
 * Fails with Citus's error for a shard count outside 1..64000 (the user's input, so a
 * SqlError rather than an assertion). Citus raises it without an errcode, hence XX000.
 */
export function checkShardCount(shardCount: number): void {
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > limits.shardCountMax) {
    throw new SqlError(SqlState.internalError,
      `${shardCount} is outside the valid range for parameter "shard_count" ` +
      `(1 .. ${limits.shardCountMax})`);
  }
}

/**
 * Returns the index of the range that holds `hash` by binary search. Ranges never overlap
 * or leave gaps, so exactly one holds it.
 */
export function shardIndexForHash(ranges: readonly HashRange[], hash: number): number {
  assert(Number.isInteger(hash), "a hash is an integer");
  assert(hash >= hashMin && hash <= hashMax, "a hash is an int32");
  assert(ranges.length > 0, "a hash-distributed table has shards");
  let low = 0;
  let high = ranges.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ranges[middle]!.max < hash) low = middle + 1;
    else high = middle;
  }
  const range = ranges[low]!;
  assert(range.min <= hash && hash <= range.max, "the found range holds the hash");
  return low;
}

/**
 * Returns the shard index Citus's `CalculateUniformHashRangeIndex` computes for uniformly
 * split tables; equal to `shardIndexForHash` over `buildHashRanges(shardCount)`.
 */
export function uniformShardIndexForHash(shardCount: number, hash: number): number {
  assert(Number.isInteger(shardCount) && shardCount > 0, "shard count is positive");
  assert(hash >= hashMin && hash <= hashMax, "a hash is an int32");
  const increment = Math.floor(hashTokenCount / shardCount);
  const index = Math.floor((hash - hashMin) / increment);
  return Math.min(index, shardCount - 1);
}

/**
 * Asserts that `ranges`, in order, cover INT32_MIN..INT32_MAX exactly once: the first starts
 * at INT32_MIN, each next one starts right after the previous ends, the last ends at INT32_MAX.
 */
export function assertRangesCoverHashSpace(ranges: readonly HashRange[]): void {
  assert(ranges.length > 0, "hash ranges are never empty");
  assert(ranges.length <= limits.shardCountMax, "at most shardCountMax ranges");
  let expectedMin = hashMin;
  for (const range of ranges) {
    assert(Number.isInteger(range.min) && Number.isInteger(range.max), "integer bounds");
    assert(range.min === expectedMin, "hash ranges neither overlap nor leave a gap");
    assert(range.max >= range.min, "a hash range is not empty");
    expectedMin = range.max + 1;
  }
  assert(expectedMin === hashMax + 1, "hash ranges end at INT32_MAX");
}

/** Parses catalog bound text (`shardminvalue`/`shardmaxvalue`) back into a range. */
export function parseHashRange(minText: string | null, maxText: string | null): HashRange {
  assert(minText !== null && maxText !== null, "hash shards have both bounds");
  assert(/^-?\d+$/.test(minText) && /^-?\d+$/.test(maxText), "bounds are decimal integers");
  const range = { min: Number(minText), max: Number(maxText) };
  assert(range.min >= hashMin && range.max <= hashMax, "bounds are int32");
  assert(range.min <= range.max, "bounds are ordered");
  return Object.freeze(range);
}

/** The first shard id of a fresh cluster: pg_dist_shardid_seq's MINVALUE. */
export const shardIdFirst = 102_008;

/** The next value of an id sequence and the ids taken from it. */
export interface IdAllocation {
  readonly ids: readonly number[];
  readonly next: number;
}

/**
 * Takes `count` consecutive ids starting at `next`, as `nextval` does for the shards of one
 * table: the shard with the lowest range gets the lowest id.
 */
export function allocateIds(next: number, count: number): IdAllocation {
  assert(Number.isSafeInteger(next) && next > 0, "sequences start at 1 or later");
  assert(Number.isInteger(count) && count >= 0, "id count is not negative");
  const ids = Array.from({ length: count }, (_, index) => next + index);
  assert(Number.isSafeInteger(next + count), "ids stay safe integers");
  return { ids, next: next + count };
}
