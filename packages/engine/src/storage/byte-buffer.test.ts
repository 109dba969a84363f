import { test } from "node:test";
import assert from "node:assert/strict";
import {
  JsonbTextObject, formatJsonb, parseJsonb, type JsonbObject, type Value,
} from "@tessera/sql";
import { ByteReader, ByteWriter } from "./byte-buffer.js";
import { decodeRow, encodeRow } from "./value-codec.js";

test("strings of every length and alphabet read back as written", () => {
  const strings = ["", "a", "humidity", "x".repeat(32), "y".repeat(33), "z".repeat(500),
    "é", "aé", "a".repeat(40) + "é", "😀".repeat(20), "\u0000\u007f", "\uffff".repeat(3)];
  const out = new ByteWriter(4);
  for (const text of strings) out.string(text);
  const input = new ByteReader(out.finish());
  for (const text of strings) assert.equal(input.string(), text);
  assert.ok(input.done);
});

test("a handed-over buffer never sees later writes", () => {
  const out = new ByteWriter(1 << 17);
  for (let i = 0; i < 20_000; i++) out.i32(i);
  const first = out.finish();
  const copy = first.slice();
  out.truncate(0);
  for (let i = 0; i < 20_000; i++) out.i32(-i);
  assert.deepStrictEqual(first, copy);
  const second = out.finish();
  assert.equal(new DataView(second.buffer, second.byteOffset).getInt32(4, true), -1);
  out.u8(7);
  assert.equal(out.finish().length, 80_001);
});

test("jsonb kept as text round-trips through the value codec", () => {
  const doc = parseJsonb('{"temperature": 56.2, "status": "ok", "tags": ["a", {"é": 1}]}');
  assert.ok(doc instanceof JsonbTextObject);
  const tree = parseJsonb('{"a": 1e2, "b": "x\\ty"}');
  assert.ok(!(tree instanceof JsonbTextObject));
  const row: Value[] = [1n, 920, doc, tree, null];
  const out = new ByteWriter();
  encodeRow(out, row);
  const back = decodeRow(new ByteReader(out.finish()));
  assert.ok(back[2] instanceof JsonbTextObject);
  assert.equal(formatJsonb(back[2]), formatJsonb(doc));
  assert.deepStrictEqual(back[2].entries, doc.entries);
  assert.equal(formatJsonb(back[3] as JsonbObject), formatJsonb(tree));
  assert.deepStrictEqual([back[0], back[1], back[4]], [1n, 920, null]);
});
