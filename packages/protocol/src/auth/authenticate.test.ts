import { test } from "node:test";
import assert from "node:assert/strict";
import { RawClient, errorFields } from "../testing/raw-client.js";
import { connectPg, psql, rejection, startEcho } from "../testing/servers.js";
import * as fx from "../testing/fixtures.js";

const users = { alice: "correct horse", "bob smith": "pässwörd" };

test("SCRAM with node-postgres: right password, wrong password, unknown user", async () => {
  const { server, sessions } = await startEcho({ method: "scram-sha-256", users });
  try {
    const alice = await connectPg(server.port, "alice", "correct horse");
    assert.deepEqual((await alice.query("hi")).rows, [{ echo: "hi" }]);
    await alice.end();
    const bob = await connectPg(server.port, "bob smith", "pässwörd");
    await bob.end();
    const wrong = await rejection(connectPg(server.port, "alice", "wrong"));
    assert.equal(wrong["code"], "28P01");
    assert.equal(wrong["severity"], "FATAL");
    assert.equal(wrong["message"], 'password authentication failed for user "alice"');
    // Postgres 15 runs a mock exchange for an unknown role and answers exactly as above.
    const ghost = await rejection(connectPg(server.port, "ghost", "anything"));
    assert.equal(ghost["code"], "28P01");
    assert.equal(ghost["message"], 'password authentication failed for user "ghost"');
    assert.equal(sessions.length, 2, "no session opens for a failed login");
    assert.deepEqual(server.processIds(), []);
  } finally {
    await server.close();
  }
});

test("SCRAM and trust with psql", async () => {
  const scram = await startEcho({ method: "scram-sha-256", users });
  const trust = await startEcho();
  try {
    const info = (port: number, user: string): string =>
      `host=127.0.0.1 port=${port} user='${user}' dbname=y sslmode=disable`;
    const ok = await psql(info(scram.server.port, "alice"), "select 1", "correct horse");
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /select 1\n\(1 row\)/);
    const bad = await psql(info(scram.server.port, "alice"), "select 1", "nope");
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /FATAL: {2}password authentication failed for user "alice"/);
    const unicode = await psql(info(scram.server.port, "bob smith"), "select 1", "pässwörd");
    assert.equal(unicode.code, 0, unicode.stderr);
    const trusted = await psql(info(trust.server.port, "x"), "select 1");
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.match(trusted.stdout, /echo/);
  } finally {
    await Promise.all([scram.server.close(), trust.server.close()]);
  }
});

test("a client that answers SCRAM with the wrong message type gets 08P01", async () => {
  const { server } = await startEcho({ method: "scram-sha-256", users });
  try {
    const client = await RawClient.open(server.port);
    client.write(fx.startupMessage({ user: "alice" }));
    await client.waitFor("R");
    client.write(fx.query("select 1"));
    await client.waitClosed();
    const fields = errorFields((await client.waitFor("E"))?.body ?? Buffer.alloc(1));
    assert.equal(fields["C"], "08P01");
    assert.equal(fields["M"], "expected SASL response, got message type 81");
    const mechanism = await RawClient.open(server.port);
    mechanism.write(fx.startupMessage({ user: "alice" }));
    await mechanism.waitFor("R");
    mechanism.write(fx.message("p", fx.cstr("SCRAM-SHA-1"), fx.int32(-1)));
    await mechanism.waitClosed();
    const error = errorFields((await mechanism.waitFor("E"))?.body ?? Buffer.alloc(1));
    assert.equal(error["M"], "client selected an invalid SASL authentication mechanism");
  } finally {
    await server.close();
  }
});
