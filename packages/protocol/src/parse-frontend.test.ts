import { test } from "node:test";
import assert from "node:assert/strict";
import { SqlError } from "@tessera/base";
import { parseFrontendMessage } from "./parse-frontend.js";
import type { FrontendMessage } from "./frontend.js";
import * as fx from "./testing/fixtures.js";

/** Parses a whole fixture message (type byte and length included). */
function parseBytes(bytes: Buffer): FrontendMessage {
  const type = bytes[0] ?? 0;
  assert.equal(bytes.readInt32BE(1), bytes.length - 1, "the fixture's length is right");
  return parseFrontendMessage(type, bytes.subarray(5));
}

const cases: [Buffer, unknown][] = [
  [fx.query("select 1"), { type: "query", sql: "select 1" }],
  [fx.query("sélect 'ü'"), { type: "query", sql: "sélect 'ü'" }],
  [fx.parse("s", "select $1, $2", [23, 4294967295]),
    { type: "parse", name: "s", sql: "select $1, $2", paramTypes: [23, 4294967295] }],
  [fx.bind("p", "s", [1], [Buffer.from([1, 2]), null, Buffer.alloc(0)], [0, 1]),
    { type: "bind", portal: "p", statement: "s", paramFormats: [1],
      params: [new Uint8Array([1, 2]), null, new Uint8Array(0)], resultFormats: [0, 1] }],
  [fx.describe("S", "s"), { type: "describe", kind: "S", name: "s" }],
  [fx.describe("P", ""), { type: "describe", kind: "P", name: "" }],
  [fx.execute("p", 10), { type: "execute", portal: "p", maxRows: 10 }],
  [fx.close("P", "p"), { type: "close", kind: "P", name: "p" }],
  [fx.flush(), { type: "flush" }],
  [fx.sync(), { type: "sync" }],
  [fx.copyData(Buffer.from("1\t2\n")),
    { type: "copyData", data: new Uint8Array(Buffer.from("1\t2\n")) }],
  [fx.copyDone(), { type: "copyDone" }],
  [fx.copyFail("why"), { type: "copyFail", message: "why" }],
  [fx.terminate(), { type: "terminate" }],
  [fx.functionCall(1234), { type: "functionCall", functionOid: 1234 }],
];

/** Compares with Uint8Array views turned into plain arrays, since views keep their buffer. */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: [...value] };
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}

test("every frontend message parses", () => {
  for (const [bytes, expected] of cases) {
    assert.deepEqual(plain(parseBytes(bytes)), plain(expected));
  }
});

function expectViolation(type: number, body: Buffer): SqlError {
  try {
    parseFrontendMessage(type, body);
  } catch (error) {
    assert.ok(error instanceof SqlError, `a SqlError, not ${String(error)}`);
    assert.equal(error.severity, "FATAL");
    return error;
  }
  assert.fail(`expected a protocol violation for ${body.toString("hex")}`);
}

test("every truncation of every message is a protocol violation", () => {
  for (const [bytes] of cases) {
    const type = bytes[0] ?? 0;
    const body = bytes.subarray(5);
    for (let cut = 0; cut < body.length; cut++) {
      if (type === 0x64 || type === 0x46) continue; // CopyData and FunctionCall take any tail.
      assert.equal(expectViolation(type, body.subarray(0, cut)).code, "08P01");
    }
  }
});

test("a trailing byte is a protocol violation", () => {
  for (const [bytes] of cases) {
    const type = bytes[0] ?? 0;
    if (type === 0x64 || type === 0x46) continue;
    const error = expectViolation(type, Buffer.concat([bytes.subarray(5), Buffer.from([0])]));
    assert.equal(error.code, "08P01");
  }
});

test("counts larger than the body are refused without allocating for them", () => {
  const parse = Buffer.concat([fx.cstr(""), fx.cstr("x"), fx.int16(65535)]);
  assert.equal(expectViolation(0x50, parse).message, "insufficient data left in message");
  const bind = Buffer.concat([fx.cstr(""), fx.cstr(""), fx.int16(0), fx.int16(65535)]);
  assert.equal(expectViolation(0x42, bind).message, "insufficient data left in message");
  const cell = Buffer.concat([fx.cstr(""), fx.cstr(""), fx.int16(0), fx.int16(1),
    fx.int32(2147483647)]);
  assert.equal(expectViolation(0x42, cell).message, "insufficient data left in message");
  const negative = Buffer.concat([fx.cstr(""), fx.cstr(""), fx.int16(0), fx.int16(1),
    fx.int32(-2), fx.int16(0)]);
  assert.match(expectViolation(0x42, negative).message, /invalid argument length -2/);
});

test("bad subtypes, missing terminators and invalid UTF-8 are refused", () => {
  assert.match(expectViolation(0x44, Buffer.from("X\0")).message,
    /invalid DESCRIBE message subtype/);
  assert.match(expectViolation(0x43, Buffer.from("Q\0")).message, /invalid CLOSE message subtype/);
  assert.equal(expectViolation(0x51, Buffer.from("select 1")).message, "invalid string in message");
  assert.equal(expectViolation(0x51, Buffer.from([0xc3, 0x28, 0])).code, "22021");
  assert.match(expectViolation(0x78, Buffer.alloc(0)).message, /invalid frontend message type 120/);
});

test("a message read in place inside a larger chunk stops at its own end", () => {
  // The framer hands the parser spans of the received chunk: bytes around the span, NULs
  // included, must never be read as part of the message.
  for (const [bytes, expected] of cases) {
    const type = bytes[0] ?? 0;
    const chunk = Buffer.concat([Buffer.from([0, 0x41, 0]), bytes.subarray(5),
      Buffer.from([0x42, 0, 0, 0])]);
    const end = chunk.length - 4;
    assert.deepEqual(plain(parseFrontendMessage(type, chunk, 3, end)), plain(expected));
  }
  const unterminated = Buffer.from("select 1\0");
  assert.throws(() => parseFrontendMessage(0x51, unterminated, 0, 8),
    /invalid string in message/);
  const short = Buffer.concat([fx.execute("p", 10).subarray(5), Buffer.from([0, 0])]);
  assert.throws(() => parseFrontendMessage(0x45, short, 0, short.length - 3),
    /insufficient data left in message/);
});

test("names read again from a reused buffer are the names now in it", () => {
  const shared = Buffer.alloc(64);
  const names = ["P0_1", "P0_2", "P0_1", "tessera_fp_12", "P1_1", "P0_1", "Ж", "", "P0_3"];
  for (const name of names) {
    const body = Buffer.concat([Buffer.from(`\0${name}\0`), Buffer.from([0, 0, 0, 0, 0, 0])]);
    shared.fill(0xff);
    body.copy(shared);
    const message = parseFrontendMessage(0x42, shared, 0, body.length);
    assert.equal(message.type === "bind" ? message.statement : undefined, name);
  }
});
