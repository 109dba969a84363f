import { test } from "node:test";
import assert from "node:assert/strict";
import { limits, lsn, SqlError, SqlState, type Lsn } from "@tessera/base";
import { crc32c } from "./crc32c.js";
import { decodeRecords, encodeRecord, recordHeaderBytes } from "./record.js";
import { payloadFor, idOf, seededRandom, randomInt } from "./testing.js";

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Frames `count` records starting at `lsnStart` and returns the stream and their LSNs. */
function stream(lsnStart: Lsn, sizes: number[]): { bytes: Uint8Array; lsns: Lsn[] } {
  const parts: Uint8Array[] = [];
  const lsns: Lsn[] = [];
  let at = lsnStart;
  sizes.forEach((size, id) => {
    const record = encodeRecord(at, 1 + (id % 255), payloadFor(id, size));
    parts.push(record);
    lsns.push(at);
    at = lsn(at + BigInt(record.length));
  });
  return { bytes: new Uint8Array(Buffer.concat(parts)), lsns };
}

test("crc32c matches the standard check values and chains", () => {
  assert.equal(crc32c(ascii("123456789")), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  const data = new Uint8Array(1000).map((_, i) => (i * 13) & 0xff);
  for (const cut of [0, 1, 7, 8, 9, 500, 999, 1000]) {
    assert.equal(crc32c(data, crc32c(data, 0, 0, cut), cut), crc32c(data), `cut ${cut}`);
  }
});

test("crc32c of long ranges (read as words) equals the bytewise checksum at any alignment", () => {
  const backing = new Uint8Array(5000).map((_, i) => (i * 131 + (i >>> 7)) & 0xff);
  /** The checksum of [start, end) chained over 100-byte pieces: short ranges go bytewise. */
  const bytewise = (data: Uint8Array, start: number, end: number): number => {
    let crc = 0;
    for (let at = start; at < end; at += 100) crc = crc32c(data, crc, at, Math.min(end, at + 100));
    return crc;
  };
  for (const offset of [0, 1, 2, 3, 4, 5]) {
    const data = backing.subarray(offset);
    for (const [start, end] of [[0, 256], [1, 258], [3, 1003], [2, 4001], [7, 4000], [0, 300]]) {
      assert.equal(crc32c(data, 0, start!, end!), bytewise(data, start!, end!),
        `view offset ${offset}, range [${start}, ${end})`);
    }
  }
  const ones = new Uint8Array(4096).fill(0xff);
  assert.equal(crc32c(ones), bytewise(ones, 0, 4096));
});

test("records round-trip with their LSN, kind and payload", () => {
  const lsnStart = lsn(0x1_0000_0000n - 40n); // crosses a 32-bit boundary
  const { bytes, lsns } = stream(lsnStart, [0, 1, 100, 3000, 17]);
  const decoded = decodeRecords(bytes, lsnStart);
  assert.deepEqual(decoded.stop, { state: "clean" });
  assert.equal(decoded.offsetEnd, bytes.length);
  assert.deepEqual(decoded.records.map((r) => r.lsn), lsns);
  assert.deepEqual(decoded.records.map((r) => idOf(r.payload)), [0, 1, 2, 3, 4]);
  assert.deepEqual(decoded.records.map((r) => r.kind), [1, 2, 3, 4, 5]);
  assert.equal(decoded.records[0]!.lsnNext, lsns[1]);
  assert.equal(decoded.records[0]!.payload.length, 4);
});

test("a stream cut at every offset decodes its whole records and reports a torn tail", () => {
  const { bytes, lsns } = stream(lsn(4096n), [10, 0, 50, 7]);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const decoded = decodeRecords(bytes.subarray(0, cut), lsn(4096n));
    const whole = lsns.filter((at, i) => Number(at - 4096n) + recordLength(i) <= cut).length;
    assert.equal(decoded.records.length, whole, `cut ${cut}`);
    const atBoundary = decoded.offsetEnd === cut;
    assert.equal(decoded.stop.state, atBoundary ? "clean" : "tornTail", `cut ${cut}`);
  }
  function recordLength(i: number): number {
    return recordHeaderBytes + 4 + [10, 0, 50, 7][i]!;
  }
});

test("a damaged byte in the last record is a torn tail; in any earlier one, corruption", () => {
  const random = seededRandom(7);
  const { bytes } = stream(lsn(0n), [30, 30, 30, 30]);
  const recordBytes = recordHeaderBytes + 34;
  for (let trial = 0; trial < 400; trial++) {
    const damaged = bytes.slice();
    const at = randomInt(random, damaged.length);
    damaged[at] = damaged[at]! ^ (1 + randomInt(random, 255));
    const decoded = decodeRecords(damaged, lsn(0n));
    const index = Math.floor(at / recordBytes);
    assert.equal(decoded.records.length, index, `byte ${at}`);
    assert.equal(decoded.offsetEnd, index * recordBytes);
    const expected = index === 3 ? "tornTail" : "corruptMiddle";
    assert.equal(decoded.stop.state, expected, `byte ${at}`);
    if (decoded.stop.state === "corruptMiddle") {
      assert.equal(decoded.stop.offsetValid, (index + 1) * recordBytes);
    }
  }
});

test("records are valid only at their own position", () => {
  const { bytes } = stream(lsn(100n), [5, 5]);
  assert.equal(decodeRecords(bytes, lsn(100n)).records.length, 2);
  const moved = decodeRecords(bytes, lsn(101n));
  assert.equal(moved.records.length, 0);
  assert.equal(moved.stop.state, "tornTail");
  const zeros = decodeRecords(new Uint8Array(64), lsn(0n));
  assert.equal(zeros.stop.state, "tornTail");
  assert.equal(zeros.records.length, 0);
});

test("a payload past the limit is refused with 54000", () => {
  const big = new Uint8Array(limits.walRecordBytesMax + 1);
  assert.throws(() => encodeRecord(lsn(0n), 1, big),
    (error: unknown) => error instanceof SqlError && error.code === SqlState.programLimitExceeded);
  assert.throws(() => encodeRecord(lsn(0n), 0, ascii("x")), /kind/);
});

test("a torn record whose payload holds a record at its own position reads as corruption", () => {
  const first = encodeRecord(lsn(0n), 1, payloadFor(1, 10));
  const innerAt = first.length + recordHeaderBytes;
  const fake = encodeRecord(lsn(BigInt(innerAt)), 9, payloadFor(2, 3));
  const host = encodeRecord(lsn(BigInt(first.length)), 1, Buffer.concat([fake, new Uint8Array(9)]));
  const cut = Buffer.concat([first, host]).subarray(0, first.length + host.length - 1);
  const decoded = decodeRecords(cut, lsn(0n));
  assert.equal(decoded.records.length, 1);
  assert.equal(decoded.stop.state, "corruptMiddle", "refusing is the safe side");
});
