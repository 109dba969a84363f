import { test } from "node:test";
import assert from "node:assert/strict";
import { SqlError, SqlState } from "@tessera/base";
import { RawClient, errorFields, openTrusted } from "./testing/raw-client.js";
import { connectPg, eventually, rejection, startEcho } from "./testing/servers.js";
import * as fx from "./testing/fixtures.js";

test("node-postgres connects with trust and runs simple and extended queries", async () => {
  const { server, sessions } = await startEcho();
  try {
    const client = await connectPg(server.port, "alice");
    const simple = await client.query("select 1");
    assert.deepEqual(simple.rows, [{ echo: "select 1" }]);
    const extended = await client.query("select $1::text", ["héllo"]);
    assert.deepEqual(extended.rows, [{ echo: "héllo" }]);
    const named = await client.query({ name: "s1", text: "select $1", values: ["x"] });
    assert.deepEqual(named.rows, [{ echo: "x" }]);
    const session = sessions[0];
    assert.ok(session !== undefined);
    assert.equal(session.startup.user, "alice");
    assert.equal(session.startup.database, "db");
    assert.equal(session.startup.applicationName, "tests");
    assert.equal(session.startup.tls, false);
    const pid = (client as unknown as { processID: number }).processID;
    assert.equal(pid, session.startup.processId);
    assert.deepEqual(server.processIds(), [pid]);
    await client.end();
    await eventually(() => session.closed);
    assert.deepEqual(server.processIds(), []);
  } finally {
    await server.close();
  }
});

test("a large result streams through with backpressure", async () => {
  const { server } = await startEcho();
  try {
    const client = await connectPg(server.port, "u");
    const result = await client.query("rows 200000");
    assert.equal(result.rows.length, 200000);
    assert.equal(result.rows[199999]?.["echo"], "199999");
    await client.end();
  } finally {
    await server.close();
  }
});

for (const others of [0, 1]) {
  test(`a client that stops reading makes the session wait in flush (${others} other ` +
    "connections open)", async () => {
    const { server, sessions } = await startEcho();
    try {
      // Another open connection makes small flushes wait for the end of the turn; the wait for
      // a client that does not read must hold all the same.
      const idle = [];
      for (let n = 0; n < others; n++) idle.push(await openTrusted(server.port));
      const client = await openTrusted(server.port);
      client.socket.pause();
      // Small flushes: each one stays below the size that is written at once.
      client.write(fx.query("rows 1000000 flush 100"));
      await eventually(() => (sessions[others]?.rowsProduced ?? 0) > 0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const stalled = sessions[others]?.rowsProduced ?? 0;
      assert.ok(stalled < 1_000_000, `the session waits for the socket (at ${stalled} rows)`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(sessions[others]?.rowsProduced, stalled,
        "and makes no progress while it waits");
      client.socket.resume();
      await eventually(() => client.messages.filter((m) => m.type === "Z").length === 2, 20_000);
      assert.equal(client.messages.filter((m) => m.type === "D").length, 1_000_000);
      client.destroy();
      for (const other of idle) other.destroy();
    } finally {
      await server.close();
    }
  });
}

test("answers of many connections served in one turn all arrive, in order", async () => {
  // With several connections open, small answers are written at the end of the event loop's
  // turn; a client that pipelines still gets every answer, in order, and one that leaves
  // while its answer waits is simply dropped.
  const { server } = await startEcho();
  try {
    const clients = await Promise.all([0, 1, 2, 3].map(() => openTrusted(server.port)));
    const leaving = await openTrusted(server.port);
    for (const [n, client] of clients.entries()) {
      client.write(Buffer.concat([fx.query(`q${n}a`), fx.query(`q${n}b`),
        fx.parse("", "x", []), fx.bind("", "", [], [Buffer.from(`e${n}`)], []),
        fx.execute("", 0), fx.sync()]));
    }
    leaving.write(fx.query("gone"));
    leaving.destroy();
    for (const [n, client] of clients.entries()) {
      await eventually(() => client.messages.filter((m) => m.type === "Z").length === 4);
      const rows = client.messages.filter((m) => m.type === "D")
        .map((m) => m.body.subarray(6).toString());
      assert.deepEqual(rows, [`q${n}a`, `q${n}b`, `e${n}`]);
      client.destroy();
    }
  } finally {
    await server.close();
  }
});

test("openSession can refuse a client with a FATAL error", async () => {
  const { server } = await startEcho({ method: "trust" }, {
    openSession: (startup) => {
      throw new SqlError(SqlState.invalidCatalogName,
        `database "${startup.database}" does not exist`, { severity: "FATAL" });
    },
  });
  try {
    const error = await rejection(connectPg(server.port, "u"));
    assert.equal(error["code"], "3D000");
    assert.equal(error["message"], 'database "db" does not exist');
    assert.deepEqual(server.processIds(), []);
  } finally {
    await server.close();
  }
});

test("pipelined messages in one write are handled in order", async () => {
  const { server, sessions } = await startEcho();
  try {
    const client = await openTrusted(server.port);
    client.messages.length = 0;
    const round = (value: string): Buffer[] => [fx.parse("", "select $1", [25]),
      fx.bind("", "", [0], [Buffer.from(value)], [0]), fx.describe("P", ""), fx.execute("", 0),
      fx.sync()];
    client.write(Buffer.concat([...round("a"), ...round("b"), ...round("c"), fx.query("q")]));
    await eventually(() => client.messages.filter((m) => m.type === "Z").length === 4);
    const types = client.messages.map((m) => m.type).join("");
    assert.equal(types, "12TDCZ12TDCZ12TDCZTDCZ");
    const rows = client.messages.filter((m) => m.type === "D")
      .map((m) => m.body.subarray(6).toString());
    assert.deepEqual(rows, ["a", "b", "c", "q"]);
    assert.equal(sessions[0]?.received.length, 16);
    client.write(fx.terminate());
    await client.waitClosed();
    await eventually(() => sessions[0]?.closed === true);
  } finally {
    await server.close();
  }
});

test("connections past connectionCountMax get 53300 and others keep working", async () => {
  const { server } = await startEcho({ method: "trust" }, { connectionCountMax: 2 });
  try {
    const first = await connectPg(server.port, "u");
    const second = await connectPg(server.port, "u");
    const error = await rejection(connectPg(server.port, "u"));
    assert.equal(error["code"], "53300");
    assert.equal(error["message"], "sorry, too many clients already");
    assert.equal(error["severity"], "FATAL");
    await first.end();
    await eventually(() => server.processIds().length === 1);
    const third = await connectPg(server.port, "u");
    assert.deepEqual((await third.query("ok")).rows, [{ echo: "ok" }]);
    await Promise.all([second.end(), third.end()]);
  } finally {
    await server.close();
  }
});

test("a CancelRequest cancels only with the right secret", async () => {
  const { server, sessions } = await startEcho();
  try {
    const client = await connectPg(server.port, "u");
    const { processID, secretKey } = client as unknown as { processID: number; secretKey: number };
    const sleeping = rejection(client.query("sleep"));
    await eventually(() => sessions[0]?.received.length === 1);
    const wrong = await RawClient.open(server.port);
    wrong.write(fx.cancelRequest(processID, secretKey ^ 1));
    await wrong.waitClosed();
    assert.equal(wrong.messages.length, 0, "a cancel connection closes silently");
    assert.equal(sessions[0]?.cancelled, 0);
    const right = await RawClient.open(server.port);
    right.write(fx.cancelRequest(processID, secretKey));
    await right.waitClosed();
    const error = await sleeping;
    assert.equal(error["code"], "57014");
    assert.equal(sessions[0]?.cancelled, 1);
    assert.equal(server.cancel(processID), true);
    assert.equal(server.cancel(processID + 1000), false);
    assert.equal(sessions[0]?.cancelled, 2);
    await client.end();
  } finally {
    await server.close();
  }
});

test("shutdown sends FATAL 57P01 to every session", async () => {
  const { server, sessions } = await startEcho();
  const clients = await Promise.all([openTrusted(server.port), openTrusted(server.port)]);
  await server.shutdown();
  for (const client of clients) {
    await client.waitClosed();
    const error = await client.waitFor("E");
    assert.ok(error !== undefined);
    const fields = errorFields(error.body);
    assert.equal(fields["C"], "57P01");
    assert.equal(fields["S"], "FATAL");
    assert.equal(fields["M"], "terminating connection due to administrator command");
  }
  await eventually(() => sessions.every((s) => s.closed));
});

test("terminate(pid) ends one backend and leaves the others", async () => {
  const { server } = await startEcho();
  try {
    const victim = await openTrusted(server.port);
    const other = await connectPg(server.port, "u");
    const [victimPid] = server.processIds();
    assert.ok(victimPid !== undefined);
    assert.equal(server.terminate(victimPid), true);
    await victim.waitClosed();
    assert.equal(errorFields((await victim.waitFor("E"))?.body ?? Buffer.alloc(1))["C"], "57P01");
    assert.deepEqual((await other.query("still")).rows, [{ echo: "still" }]);
    await other.end();
  } finally {
    await server.close();
  }
});

test("a session's FATAL error ends its connection", async () => {
  const { server, sessions } = await startEcho();
  try {
    const client = await connectPg(server.port, "u");
    const error = await rejection(client.query("fatal"));
    assert.equal(error["code"], "57P01");
    assert.equal(error["message"], "told to die");
    await eventually(() => sessions[0]?.closed === true);
  } finally {
    await server.close();
  }
});

test("protocol violations get FATAL 08P01 and close only that connection", async () => {
  const { server, sessions } = await startEcho();
  try {
    const bystander = await connectPg(server.port, "u");
    const cases: [Buffer, string][] = [
      [fx.message("x", fx.cstr("abc")), "invalid frontend message type 120"],
      [Buffer.concat([Buffer.from("Q"), fx.int32(2)]), "invalid message length"],
      [Buffer.concat([Buffer.from("Q"), fx.int32(-7)]), "invalid message length"],
      [Buffer.concat([Buffer.from("S"), fx.int32(100_000)]), "invalid message length"],
      [fx.message("Q", Buffer.from("no terminator")), "invalid string in message"],
      [fx.message("D", Buffer.from("Z\0")), "invalid DESCRIBE message subtype 90"],
    ];
    for (const [bytes, message] of cases) {
      const client = await openTrusted(server.port);
      client.write(bytes);
      await client.waitClosed();
      const error = await client.waitFor("E");
      assert.ok(error !== undefined, message);
      const fields = errorFields(error.body);
      assert.equal(fields["C"], "08P01");
      assert.equal(fields["S"], "FATAL");
      assert.equal(fields["M"], message);
    }
    await eventually(() => sessions.filter((s) => s.closed).length === cases.length);
    assert.deepEqual((await bystander.query("alive")).rows, [{ echo: "alive" }]);
    await bystander.end();
  } finally {
    await server.close();
  }
});
