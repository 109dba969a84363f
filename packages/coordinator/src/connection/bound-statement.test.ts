import { strict as assert } from "node:assert";
import { test } from "node:test";
import {
  NodeStatement, encodeExecution, encodeExecutionInto, executionBytesMax,
} from "./bound-statement.js";

/** Splits a buffer of frontend messages into [type, body] pairs, checking each length. */
function messages(buffer: Buffer): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  let at = 0;
  while (at < buffer.length) {
    const length = buffer.readInt32BE(at + 1);
    out.push([String.fromCharCode(buffer[at]!), buffer.subarray(at + 5, at + 1 + length)]);
    at += 1 + length;
  }
  assert.equal(at, buffer.length, "the messages fill the buffer exactly");
  return out;
}

test("the first run parses, binds text parameters (NULL, multibyte), executes and syncs", () => {
  const statement = new NodeStatement("tessera_fp_7", "SELECT $1::text, $2::int, $3::text");
  const sent = messages(encodeExecution(statement, ["é€x", null, "42"], true));
  assert.deepEqual(sent.map(([type]) => type), ["P", "B", "E", "S"]);
  assert.deepEqual(sent[0]![1], Buffer.concat([Buffer.from("tessera_fp_7\0"),
    Buffer.from("SELECT $1::text, $2::int, $3::text\0"), Buffer.from([0, 0])]));
  const bind = Buffer.concat([
    Buffer.from("\0tessera_fp_7\0"), Buffer.from([0, 0, 0, 3]),
    Buffer.from([0, 0, 0, 6]), Buffer.from("é€x"),
    Buffer.from([0xff, 0xff, 0xff, 0xff]),
    Buffer.from([0, 0, 0, 2]), Buffer.from("42"),
    Buffer.from([0, 0]),
  ]);
  assert.deepEqual(sent[1]![1], bind);
  assert.deepEqual(sent[2]![1], Buffer.from([0, 0, 0, 0, 0]));
  assert.equal(sent[3]![1].length, 0);
});

test("later runs only bind, execute and sync; the unnamed twin keeps the text", () => {
  const statement = new NodeStatement("s1", "SELECT 1");
  const sent = messages(encodeExecution(statement, [], false));
  assert.deepEqual(sent.map(([type]) => type), ["B", "E", "S"]);
  assert.deepEqual(sent[0]![1], Buffer.from("\0s1\0\0\0\0\0\0\0"));
  const unnamed = statement.unnamed();
  assert.equal(unnamed.name, "");
  assert.equal(unnamed.text, "SELECT 1");
  assert.equal(statement.unnamed(), unnamed);
  assert.deepEqual(messages(encodeExecution(unnamed, [], true)).map(([type]) => type),
    ["P", "B", "E", "S"]);
});

test("executions encoded one after another into one buffer are each as encoded alone", () => {
  const first = new NodeStatement("tessera_fp_8", "SELECT $1::text");
  const second = new NodeStatement("tessera_fp_9", "SELECT $1::int, $2::text");
  const runs: [NodeStatement, (string | null)[], boolean][] = [
    [first, ["ab€"], true], [second, ["12345", null], false], [first, ["x".repeat(40)], false],
  ];
  const buffer = Buffer.alloc(runs.reduce((n, [s, v, p]) => n + executionBytesMax(s, v, p), 3));
  let at = 3;
  for (const [statement, values, parse] of runs) {
    at = encodeExecutionInto(buffer, at, statement, values, parse);
  }
  const alone = Buffer.concat(runs.map(([s, v, p]) => encodeExecution(s, v, p)));
  assert.deepEqual(buffer.subarray(3, at), alone);
  assert.ok(alone.includes(Buffer.from("ab€")), "a text with a non-ASCII tail is UTF-8");
});
