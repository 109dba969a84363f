import { test } from "node:test";
import assert from "node:assert/strict";
import { SqlError, limits } from "@tessera/base";
import { Framer, type Frame } from "./framing.js";
import { frontendMessageBytesMax } from "./frontend.js";
import * as fx from "./testing/fixtures.js";

const stream = Buffer.concat([
  fx.query("select 1"),
  fx.parse("s1", "select $1", [23]),
  fx.bind("", "s1", [0], [Buffer.from("42"), null], [1]),
  fx.describe("P", ""),
  fx.execute("", 0),
  fx.sync(),
  fx.copyData(Buffer.alloc(300, 7)),
  fx.terminate(),
]);

/** Pushes `chunks` and returns every frame the framer cuts, as hex for easy comparison. */
function frames(chunks: Buffer[]): string[] {
  const framer = new Framer();
  const out: string[] = [];
  for (const chunk of chunks) {
    framer.push(chunk);
    const next = (): Frame | undefined => framer.next(frontendMessageBytesMax);
    for (let f = next(); f !== undefined; f = next()) out.push(describeFrame(f));
  }
  assert.equal(framer.bufferedBytes, 0);
  return out;
}

function describeFrame(frame: Frame): string {
  return `${String.fromCharCode(frame.type)}:${Buffer.from(frame.body).toString("hex")}`;
}

test("a stream split at every offset gives the same frames", () => {
  const whole = frames([stream]);
  assert.equal(whole.length, 8);
  for (let cut = 0; cut <= stream.length; cut++) {
    assert.deepEqual(frames([stream.subarray(0, cut), stream.subarray(cut)]), whole, `cut ${cut}`);
  }
  for (let cutA = 0; cutA < 40; cutA++) {
    for (let cutB = cutA; cutB < stream.length; cutB += 7) {
      const parts = [stream.subarray(0, cutA), stream.subarray(cutA, cutB), stream.subarray(cutB)];
      assert.deepEqual(frames(parts), whole);
    }
  }
});

test("a stream fed one byte at a time gives the same frames", () => {
  const bytes = [...stream].map((b) => Buffer.from([b]));
  assert.deepEqual(frames(bytes), frames([stream]));
});

function violation(bytes: Buffer, startup = false): SqlError {
  const framer = new Framer();
  framer.push(bytes);
  try {
    if (startup) framer.nextStartup();
    else framer.next(frontendMessageBytesMax);
  } catch (error) {
    assert.ok(error instanceof SqlError);
    assert.equal(error.severity, "FATAL");
    return error;
  }
  assert.fail("expected a protocol violation");
}

test("unknown type bytes are protocol violations", () => {
  for (const type of ["x", "p", "A", "\0", "\xff", "Z"]) {
    const error = violation(fx.message(type, fx.cstr("abc")));
    assert.equal(error.code, "08P01");
    assert.equal(error.message, `invalid frontend message type ${type.charCodeAt(0)}`);
  }
});

test("negative, short and oversized lengths are protocol violations", () => {
  const header = (type: string, length: number): Buffer =>
    Buffer.concat([Buffer.from(type), fx.int32(length)]);
  for (const bytes of [header("Q", -1), header("Q", 0), header("Q", 3),
    header("Q", -2147483648), header("Q", limits.messageBytesMax + 1),
    header("S", limits.messageSmallBytesMax + 1), header("E", 1_000_000)]) {
    const error = violation(bytes);
    assert.equal(error.code, "08P01");
    assert.equal(error.message, "invalid message length");
  }
});

test("an oversized length is refused before its body arrives", () => {
  const framer = new Framer();
  framer.push(Buffer.concat([Buffer.from("Q"), fx.int32(limits.messageBytesMax + 5)]));
  assert.throws(() => framer.next(frontendMessageBytesMax), /invalid message length/);
});

test("startup packets are framed and bad startup lengths refused", () => {
  const packet = fx.startupMessage({ user: "u" });
  for (let cut = 0; cut <= packet.length; cut++) {
    const framer = new Framer();
    framer.push(packet.subarray(0, cut));
    const early = framer.nextStartup();
    framer.push(packet.subarray(cut));
    const frame = early ?? framer.nextStartup();
    assert.ok(frame !== undefined);
    assert.equal(frame.body.length, packet.length - 4);
  }
  for (const length of [-1, 0, 4, 7, limits.startupPacketBytesMax + 1]) {
    const error = violation(Buffer.concat([fx.int32(length), fx.int32(196608)]), true);
    assert.equal(error.message, "invalid length of startup packet");
  }
});
