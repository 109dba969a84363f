import { strict as assert } from "node:assert";
import { test } from "node:test";
import { AssertionError, SqlError } from "@tessera/base";
import {
  allocateIds, assertRangesCoverHashSpace, buildHashRanges, checkShardCount, hashMax, hashMin,
  parseHashRange, shardIdFirst, shardIndexForHash, uniformShardIndexForHash,
} from "./shard-ranges.js";

const pairs = (count: number): [number, number][] =>
  buildHashRanges(count).map((range) => [range.min, range.max]);

test("ranges match citus-surface.md §2.2 for 1, 2, 3, 4 and 6 shards", () => {
  assert.deepEqual(pairs(1), [[-2147483648, 2147483647]]);
  assert.deepEqual(pairs(2), [[-2147483648, -1], [0, 2147483647]]);
  assert.deepEqual(pairs(3),
    [[-2147483648, -715827884], [-715827883, 715827881], [715827882, 2147483647]]);
  assert.deepEqual(pairs(4), [[-2147483648, -1073741825], [-1073741824, -1],
    [0, 1073741823], [1073741824, 2147483647]]);
  assert.deepEqual(pairs(6), [[-2147483648, -1431655767], [-1431655766, -715827885],
    [-715827884, -3], [-2, 715827879], [715827880, 1431655761], [1431655762, 2147483647]]);
});

test("32 shards step by 134217728 as Citus's default shard count does", () => {
  const ranges = pairs(32);
  assert.equal(ranges.length, 32);
  assert.deepEqual(ranges[0], [-2147483648, -2013265921]);
  assert.deepEqual(ranges[1], [-2013265920, -1879048193]);
  assert.deepEqual(ranges[16], [0, 134217727]);
  assert.deepEqual(ranges[31], [2013265920, 2147483647]);
  assert.equal(String(ranges[0]![1]), "-2013265921", "catalog text is plain decimal");
});

test("every shard count up to 64000 covers the hash space exactly once", () => {
  for (const count of [1, 2, 3, 5, 7, 31, 32, 33, 100, 1000, 4097, 64000]) {
    const ranges = buildHashRanges(count);
    assert.equal(ranges.length, count);
    assertRangesCoverHashSpace(ranges);
  }
});

test("binary search agrees with Citus's uniform index computation", () => {
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  for (const count of [1, 2, 3, 6, 7, 32, 100, 64000]) {
    const ranges = buildHashRanges(count);
    const probes = [hashMin, hashMax, -1, 0, 1];
    for (const range of ranges.slice(0, 50)) probes.push(range.min, range.max);
    for (let i = 0; i < 500; i++) probes.push(random() * 2 - 2 ** 31);
    for (const hash of probes) {
      const index = shardIndexForHash(ranges, hash);
      assert.equal(index, uniformShardIndexForHash(count, hash), `count ${count} hash ${hash}`);
      assert.ok(ranges[index]!.min <= hash && hash <= ranges[index]!.max);
    }
  }
});

test("a gap, an overlap or a short end is caught", () => {
  const ranges = buildHashRanges(4);
  const gap = ranges.map((r, i) => (i === 1 ? { min: r.min + 1, max: r.max } : r));
  const overlap = ranges.map((r, i) => (i === 2 ? { min: r.min - 1, max: r.max } : r));
  const short = ranges.map((r, i) => (i === 3 ? { min: r.min, max: r.max - 1 } : r));
  assert.throws(() => assertRangesCoverHashSpace(gap), AssertionError);
  assert.throws(() => assertRangesCoverHashSpace(overlap), AssertionError);
  assert.throws(() => assertRangesCoverHashSpace(short), AssertionError);
  assert.throws(() => assertRangesCoverHashSpace([]), AssertionError);
});

test("a hash outside int32 is a bug", () => {
  const ranges = buildHashRanges(2);
  assert.throws(() => shardIndexForHash(ranges, hashMax + 1), AssertionError);
  assert.throws(() => shardIndexForHash(ranges, 0.5), AssertionError);
});

test("shard counts outside 1..64000 are the user's error", () => {
  for (const bad of [0, -1, 64001, 1.5]) {
    const message = `${bad} is outside the valid range for parameter "shard_count" (1 .. 64000)`;
    assert.throws(() => checkShardCount(bad), (error: unknown) =>
      error instanceof SqlError && error.message === message);
  }
  checkShardCount(64000);
});

test("catalog bound text parses back", () => {
  assert.deepEqual(parseHashRange("-2147483648", "-1"), { min: -2147483648, max: -1 });
  assert.throws(() => parseHashRange("1", "0"), AssertionError);
  assert.throws(() => parseHashRange(null, "0"), AssertionError);
  assert.throws(() => parseHashRange("2147483648", "2147483649"), AssertionError);
});

test("shard ids are consecutive from 102008", () => {
  const first = allocateIds(shardIdFirst, 4);
  assert.deepEqual(first.ids, [102008, 102009, 102010, 102011]);
  assert.deepEqual(allocateIds(first.next, 2).ids, [102012, 102013]);
});
