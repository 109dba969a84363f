/**
 * Fuzzing: random, truncated, oversized and mutated messages, first straight into the parser,
 * then over many real connections. The server must answer garbage with a FATAL and a close,
 * never crash, never leak a slot, and still serve a fresh client afterwards.
 * A failing run prints its seed; rerun it with SEED=<seed>.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SqlError } from "@tessera/base";
import { parseFrontendMessage } from "./parse-frontend.js";
import { parseStartupPacket } from "./startup.js";
import { RawClient, errorFields } from "./testing/raw-client.js";
import { connectPg, eventually, startEcho } from "./testing/servers.js";
import * as fx from "./testing/fixtures.js";

const seed = Number(process.env["SEED"] ?? Date.now() % 1_000_000);
const random = fx.seededRandom(seed);
const below = (n: number): number => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => {
  const item = items[below(items.length)];
  assert.ok(item !== undefined);
  return item;
};

const validMessages = (): Buffer[] => [
  fx.query(pick(["select 1", "", "rows 3", "notice"])),
  fx.parse("s", "select $1", [25]), fx.bind("", "s", [0], [Buffer.from("v"), null], [0]),
  fx.describe("P", ""), fx.describe("S", "s"), fx.execute("", 0), fx.close("S", "s"),
  fx.sync(), fx.flush(), fx.copyData(Buffer.from("x")), fx.copyDone(), fx.copyFail("no"),
  fx.functionCall(1),
];

function randomBytes(count: number): Buffer {
  return Buffer.from(Array.from({ length: count }, () => below(256)));
}

/** Returns one message, valid or broken in one of several ways. */
function fuzzMessage(): Buffer {
  const valid = pick(validMessages());
  switch (below(8)) {
    case 0: { // Flip a byte anywhere, the header included.
      const copy = Buffer.from(valid);
      copy[below(copy.length)] = below(256);
      return copy;
    }
    case 1: // Claim a length past the caps, or a negative one.
      return Buffer.concat([valid.subarray(0, 1), fx.int32(pick([-1, 3, 0x7fffffff, 70_000_000]))]);
    case 2: // A random type byte with a plausible length.
      return fx.message(String.fromCharCode(below(128)), randomBytes(below(20)));
    case 3: // Pure noise.
      return randomBytes(1 + below(40));
    default:
      return valid;
  }
}

test(`parsers never throw anything but SqlError (seed ${seed})`, () => {
  for (let i = 0; i < 20_000; i++) {
    const message = fuzzMessage();
    const type = message[0] ?? 0;
    for (const body of [message.subarray(5), randomBytes(below(30))]) {
      try {
        parseFrontendMessage(type, body);
      } catch (error) {
        assert.ok(error instanceof SqlError, `seed ${seed}: ${String(error)}`);
      }
      try {
        if (body.length >= 4) parseStartupPacket(body);
      } catch (error) {
        assert.ok(error instanceof SqlError, `seed ${seed}: ${String(error)}`);
      }
    }
  }
});

/** Runs one fuzzed connection to its close and checks what the server sent. */
async function fuzzConnection(port: number): Promise<number> {
  const client = await RawClient.open(port);
  const startup = below(10) === 0 ? randomBytes(1 + below(30)) : fx.startupMessage({ user: "f" });
  const parts = [startup, ...Array.from({ length: 1 + below(40) }, fuzzMessage)];
  const bytes = Buffer.concat(parts);
  for (let offset = 0; offset < bytes.length;) {
    const size = 1 + below(64);
    client.write(bytes.subarray(offset, offset + size));
    offset += size;
  }
  client.socket.end();
  await client.waitClosed(10_000);
  const fatal = client.messages.findIndex((m) => m.type === "E" &&
    errorFields(m.body)["S"] === "FATAL");
  if (fatal >= 0) {
    assert.equal(fatal, client.messages.length - 1, `seed ${seed}: FATAL is the last message`);
    assert.match(errorFields(client.messages[fatal]?.body ?? Buffer.alloc(1))["C"] ?? "",
      /^(08P01|22021|0A000|28000)$/, `seed ${seed}`);
  }
  return parts.length;
}

test(`thousands of fuzzed messages over many connections (seed ${seed})`, async () => {
  const { server, sessions } = await startEcho({ method: "trust" }, { connectionCountMax: 50 });
  try {
    let messages = 0;
    for (let batch = 0; batch < 20; batch++) {
      const batchRuns = Array.from({ length: 10 }, () => fuzzConnection(server.port));
      const counts = await Promise.all(batchRuns);
      messages += counts.reduce((a, b) => a + b, 0);
    }
    assert.ok(messages > 3_000, `sent ${messages} messages`);
    await eventually(() => server.processIds().length === 0 && sessions.every((s) => s.closed));
    const client = await connectPg(server.port, "after");
    assert.deepEqual((await client.query("still here")).rows, [{ echo: "still here" }]);
    await client.end();
  } finally {
    await server.close();
  }
});
