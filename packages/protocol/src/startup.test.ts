import { test } from "node:test";
import assert from "node:assert/strict";
import { RawClient, errorFields } from "./testing/raw-client.js";
import { connectPg, psql, selfSignedCertificate, startEcho } from "./testing/servers.js";
import * as fx from "./testing/fixtures.js";

/** Sends `bytes` on a fresh connection and returns the FATAL error fields before the close. */
async function fatalFor(port: number, bytes: Buffer): Promise<Record<string, string>> {
  const client = await RawClient.open(port);
  client.write(bytes);
  await client.waitClosed();
  const error = await client.waitFor("E");
  assert.ok(error !== undefined, "the server sent an ErrorResponse before closing");
  const fields = errorFields(error.body);
  assert.equal(fields["S"], "FATAL");
  return fields;
}

test("bad startup packets get Postgres's FATAL errors", async () => {
  const { server } = await startEcho();
  try {
    const v2 = await fatalFor(server.port, fx.startupMessage({ user: "u" }, 2 << 16));
    assert.equal(v2["C"], "0A000");
    assert.equal(v2["M"], "unsupported frontend protocol 2.0: server supports 3.0 to 3.0");
    const v4 = await fatalFor(server.port, fx.startupMessage({ user: "u" }, (4 << 16) | 1));
    assert.equal(v4["M"], "unsupported frontend protocol 4.1: server supports 3.0 to 3.0");
    const noUser = await fatalFor(server.port, fx.startupMessage({ database: "d" }));
    assert.equal(noUser["C"], "28000");
    assert.equal(noUser["M"], "no PostgreSQL user name specified in startup packet");
    const layout = fx.startupMessage({ user: "u" });
    layout[layout.length - 1] = 0x41;
    assert.equal((await fatalFor(server.port, layout))["C"], "08P01");
    for (const length of [0, 7, -1, 10_001]) {
      const bytes = Buffer.concat([fx.int32(length), fx.int32(3 << 16)]);
      const fields = await fatalFor(server.port, bytes);
      assert.equal(fields["M"], "invalid length of startup packet");
    }
  } finally {
    await server.close();
  }
});

test("a newer 3.x minor or a _pq_ option gets NegotiateProtocolVersion", async () => {
  const { server, sessions } = await startEcho();
  try {
    const client = await RawClient.open(server.port);
    client.write(fx.startupMessage({ user: "u", "_pq_.magic": "1" }, (3 << 16) | 2));
    await client.waitFor("Z");
    const negotiate = client.messages[0];
    assert.equal(negotiate?.type, "v");
    assert.equal(negotiate.body.readInt32BE(0), 3 << 16);
    assert.equal(negotiate.body.readInt32BE(4), 1);
    assert.equal(negotiate.body.subarray(8).toString(), "_pq_.magic\0");
    assert.equal(sessions[0]?.startup.parameters["_pq_.magic"], undefined);
    assert.deepEqual(client.messages.slice(1).map((m) => m.type).join(""), "RSSSSSKZ");
    client.destroy();
  } finally {
    await server.close();
  }
});

test("SSL and GSS requests without TLS are answered N, then startup proceeds", async () => {
  const { server } = await startEcho();
  try {
    const client = await RawClient.open(server.port);
    assert.equal(await client.request(fx.gssRequest), "N");
    assert.equal(await client.request(fx.sslRequest), "N");
    client.write(fx.startupMessage({ user: "u" }));
    assert.ok(await client.waitFor("Z"));
    client.destroy();
    const twice = await RawClient.open(server.port);
    assert.equal(await twice.request(fx.sslRequest), "N");
    twice.write(fx.sslRequest);
    await twice.waitClosed();
    const error = errorFields((await twice.waitFor("E"))?.body ?? Buffer.alloc(1));
    assert.equal(error["M"], "unsupported frontend protocol 1234.5679: server supports 3.0 to 3.0");
  } finally {
    await server.close();
  }
});

test("bytes sent after an SSLRequest before the answer are refused", async () => {
  const { server } = await startEcho();
  try {
    const client = await RawClient.open(server.port);
    const answer = client.request(Buffer.concat([fx.sslRequest, fx.startupMessage({ user: "u" })]));
    assert.equal(await answer, "N", "Postgres answers first, then refuses");
    await client.waitClosed();
    const error = errorFields((await client.waitFor("E"))?.body ?? Buffer.alloc(1));
    assert.equal(error["C"], "08P01");
    assert.equal(error["M"], "received unencrypted data after SSL request");
  } finally {
    await server.close();
  }
});

test("TLS with a self-signed certificate, from node-postgres and psql", async () => {
  const tls = await selfSignedCertificate();
  const { server, sessions } = await startEcho({ method: "scram-sha-256", users: { u: "pw" } },
    { tls });
  try {
    const client = await connectPg(server.port, "u", "pw", true);
    assert.deepEqual((await client.query("over tls")).rows, [{ echo: "over tls" }]);
    assert.equal(sessions[0]?.startup.tls, true);
    await client.end();
    const out = await psql(`host=127.0.0.1 port=${server.port} user=u dbname=d sslmode=require`,
      "select 1", "pw");
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /select 1/);
    assert.equal(sessions[1]?.startup.tls, true);
    const raw = await RawClient.open(server.port);
    assert.equal(await raw.request(fx.sslRequest), "S");
    raw.write(fx.startupMessage({ user: "u" })); // Plaintext where a TLS handshake belongs.
    await raw.waitClosed();
    assert.ok((await connectPg(server.port, "u", "pw", true)) !== undefined, "TLS still works");
  } finally {
    await server.close();
  }
});
