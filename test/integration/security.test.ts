/**
 * Logins and transport, through the `tessera` command's own settings: SCRAM-SHA-256 users
 * given as a flag, in the environment or in a config file (flags win), TLS with a certificate
 * made at test time, and a daemon that survives a storm of malformed protocol traffic.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { psql, startCluster, type TesseraCluster } from "../harness/index.js";

const scratch = mkdtempSync(join(tmpdir(), "tessera-security-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function login(port: number, user: string, password: string): Promise<string> {
  const client = new pg.Client({ host: "127.0.0.1", port, user, password, database: "postgres" });
  try {
    await client.connect();
    const result = await client.query<{ who: string }>("select current_user as who");
    return result.rows[0]?.who ?? "";
  } catch (error) {
    return `error ${(error as { code?: string }).code}: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe("SCRAM-SHA-256 logins", () => {
  let worker: TesseraCluster;
  before(async () => {
    const config = join(scratch, "tessera.json");
    writeFileSync(config, JSON.stringify({ users: { carol: "from-file" }, logLevel: "warn" }));
    worker = await startCluster({
      role: "worker",
      args: ["--users", "alice:s3cret", "--config", config],
      env: { TESSERA_USERS: "bob:from-env" },
    });
  });
  after(async () => {
    await worker.stop();
  });

  test("the right password logs in", async () => {
    assert.equal(await login(worker.port, "alice", "s3cret"), "alice");
  });

  test("a wrong password is refused with 28P01 in PostgreSQL's words", async () => {
    assert.equal(
      await login(worker.port, "alice", "nope"),
      'error 28P01: password authentication failed for user "alice"',
    );
  });

  test("the flag wins over the environment and the config file", async () => {
    assert.match(await login(worker.port, "bob", "from-env"), /^error 28P01/);
    assert.match(await login(worker.port, "carol", "from-file"), /^error 28P01/);
  });

  test("psql logs in with PGPASSWORD", async () => {
    const out = await psql(worker.port, "select 1", {
      user: "alice",
      password: "s3cret",
      tuplesOnly: true,
    });
    assert.equal(out, "1\n");
  });
});

describe("TLS", () => {
  let worker: TesseraCluster;
  before(async () => {
    const cert = join(scratch, "server.crt");
    const key = join(scratch, "server.key");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-days",
        "1",
        "-keyout",
        key,
        "-out",
        cert,
      ],
      { stdio: "ignore" },
    );
    worker = await startCluster({
      role: "worker",
      env: { TESSERA_TLS_CERT: cert, TESSERA_TLS_KEY: key },
    });
  });
  after(async () => {
    await worker.stop();
  });

  test("psql connects with sslmode=require", async () => {
    assert.equal(
      await psql(worker.port, "select 1", { sslmode: "require", tuplesOnly: true }),
      "1\n",
    );
  });

  test("node-postgres connects over TLS", async () => {
    const client = new pg.Client({
      host: "127.0.0.1",
      port: worker.port,
      user: "postgres",
      database: "postgres",
      ssl: { rejectUnauthorized: false },
    });
    await client.connect();
    try {
      assert.deepEqual((await client.query("select 2 as two")).rows, [{ two: 2 }]);
    } finally {
      await client.end();
    }
  });
});

describe("malformed traffic", () => {
  test("random, truncated and oversized messages leave the daemon serving", async () => {
    const worker = await startCluster({ role: "worker" });
    try {
      let seed = 12345;
      const random = (): number => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      for (let round = 0; round < 20; round++) {
        await Promise.all(Array.from({ length: 25 }, () => junkConnection(worker.port, random)));
      }
      assert.equal(await psql(worker.port, "select 'alive'", { tuplesOnly: true }), "alive\n");
      assert.equal(worker.process.exitCode, null);
    } finally {
      await worker.stop();
    }
  });
});

/** Opens a connection and sends a startup packet, then random or hostile bytes. */
function junkConnection(port: number, random: () => number): Promise<void> {
  return new Promise((done) => {
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => undefined);
    socket.on("close", () => done());
    socket.setTimeout(2_000, () => socket.destroy());
    socket.on("connect", () => {
      const kind = Math.floor(random() * 4);
      if (kind > 0) socket.write(startupPacket());
      const chunks = 1 + Math.floor(random() * 8);
      for (let i = 0; i < chunks; i++) socket.write(junk(kind, random));
      // Half-close, then drop: a server waiting for the rest of a long message must not
      // keep us (or itself) waiting.
      setTimeout(() => socket.end(), 20);
      setTimeout(() => socket.destroy(), 150);
    });
  });
}

function startupPacket(): Buffer {
  const body = Buffer.from("user\0postgres\0database\0postgres\0\0");
  const header = Buffer.alloc(8);
  header.writeInt32BE(body.length + 8, 0);
  header.writeInt32BE(196608, 4);
  return Buffer.concat([header, body]);
}

function junk(kind: number, random: () => number): Buffer {
  const length = Math.floor(random() * 64);
  const bytes = Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
  if (kind === 2 && bytes.length >= 5) bytes.writeInt32BE(0x7fffffff, 1);
  if (kind === 3 && bytes.length >= 5) bytes.writeInt32BE(-5, 1);
  return bytes;
}
