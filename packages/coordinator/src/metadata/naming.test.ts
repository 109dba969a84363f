import { strict as assert } from "node:assert";
import { test } from "node:test";
import { SqlError, shardId } from "@tessera/base";
import {
  postgresHashBytes, qualifiedShardName, quoteIdentifier, shardName, shardObjectName,
} from "./naming.js";

const utf8 = new TextEncoder();
const hashText = (text: string): number => postgresHashBytes(utf8.encode(text)) | 0;

test("postgresHashBytes matches Postgres's hashtext on the reference vectors", () => {
  // citus-surface.md §2.1, verified against PostgreSQL 15.
  assert.equal(hashText("a"), 1075015857);
  assert.equal(hashText("hello"), -1870292951);
  assert.equal(hashText(""), -1477818771);
  assert.equal(hashText("key-1"), -497482992);
  assert.equal(hashText("ab"), 1718550461);
});

test("postgresHashBytes covers every tail length and multi-block input", () => {
  const seen = new Set<number>();
  for (let length = 0; length <= 40; length++) {
    const hash = postgresHashBytes(utf8.encode("x".repeat(length)));
    assert.ok(hash >= 0 && hash <= 0xffffffff);
    seen.add(hash);
  }
  assert.equal(seen.size, 41, "every length hashes differently");
});

test("shardName appends _<shardid>", () => {
  assert.equal(shardName("events", shardId(102008)), "events_102008");
  assert.equal(shardName("t with space", shardId(99456904)), "t with space_99456904");
});

test("long names are clipped and hashed as Citus's multi_name_lengths shows", () => {
  const name = "too_long_12345678901234567890123456789012345678901234567890";
  assert.equal(shardName(name, shardId(225000)),
    "too_long_12345678901234567890123456789012345678_e0119164_225000");
});

test("the hash rule starts exactly at 64 - len(suffix) bytes", () => {
  const suffix = "_102008";
  const fits = "a".repeat(63 - suffix.length);
  assert.equal(shardName(fits, shardId(102008)), fits + suffix);
  const long = "a".repeat(64 - suffix.length);
  const extended = shardName(long, shardId(102008));
  assert.equal(extended.length, 64 - suffix.length - 10 + 1 + 8 + suffix.length);
  assert.match(extended, /^a{47}_[0-9a-f]{8}_102008$/);
  assert.ok(Buffer.byteLength(extended) <= 63);
});

test("clipping never splits a UTF-8 character", () => {
  const name = "é".repeat(31); // 62 bytes
  const extended = shardObjectName(name, shardId(102008));
  assert.ok(Buffer.byteLength(extended) <= 63);
  assert.ok(!extended.includes("\ufffd"));
  assert.match(extended, /^(é)+_[0-9a-f]{8}_102008$/);
  assert.equal(Buffer.byteLength(extended.split("_")[0]!), 46, "47 bytes clipped to 46");
});

test("names of 64 bytes or more are the user's error", () => {
  assert.throws(() => shardName("b".repeat(64), shardId(1)),
    (error: unknown) => error instanceof SqlError && error.code === "42622");
});

test("qualifiedShardName prints as Citus's shard_name()", () => {
  const options = { relationName: "t1", shardId: shardId(99456900) };
  assert.equal(qualifiedShardName({ ...options, schemaName: "public" }), "t1_99456900");
  assert.equal(qualifiedShardName({ ...options, schemaName: "public", skipQualifyPublic: false }),
    "public.t1_99456900");
  assert.equal(qualifiedShardName({
    schemaName: "citus_shards", relationName: "t with space", shardId: shardId(99456904),
  }), "citus_shards.\"t with space_99456904\"");
  assert.equal(quoteIdentifier("user"), "\"user\"");
  assert.equal(quoteIdentifier("Events"), "\"Events\"");
  assert.equal(quoteIdentifier("events"), "events");
});
