/**
 * Starting echo servers and real clients for the protocol's end-to-end tests.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { silentLogger } from "@tessera/base";
import { startProtocolServer, type ProtocolServer, type ProtocolServerOptions } from "../server.js";
import type { AuthConfig } from "../auth/authenticate.js";
import { EchoSession, echoServerOptions } from "./echo-session.js";

export const run = promisify(execFile);

export interface EchoServer {
  readonly server: ProtocolServer;
  readonly sessions: EchoSession[];
}

export async function startEcho(auth: AuthConfig = { method: "trust" },
  extra: Partial<ProtocolServerOptions> = {}): Promise<EchoServer> {
  const sessions: EchoSession[] = [];
  const options = echoServerOptions(silentLogger(), auth, sessions, extra);
  const server = await startProtocolServer(options);
  return { server, sessions };
}

/** Connects node-postgres; `ssl` turns TLS on without checking the self-signed certificate. */
export async function connectPg(port: number, user: string, password?: string,
  ssl = false): Promise<pg.Client> {
  const client = new pg.Client({ host: "127.0.0.1", port, user, database: "db",
    application_name: "tests", ...(password !== undefined && { password }),
    ...(ssl && { ssl: { rejectUnauthorized: false } }) });
  client.on("error", () => {}); // A FATAL from the server must not crash the test process.
  await client.connect();
  return client;
}

/** Returns the error `promise` rejects with, failing when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}

/** Makes a self-signed certificate for localhost with the openssl CLI. */
export async function selfSignedCertificate(): Promise<{ cert: string; key: string }> {
  const dir = mkdtempSync(join(tmpdir(), "tessera-tls-"));
  try {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    await run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
      "-days", "1", "-keyout", key, "-out", cert]);
    return { cert: readFileSync(cert, "utf8"), key: readFileSync(key, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs psql with a connection string and one command; returns stdout, stderr and the code. */
export async function psql(conninfo: string, command: string, password?: string):
  Promise<{ stdout: string; stderr: string; code: number }> {
  const env = { ...process.env, PGCONNECT_TIMEOUT: "5",
    ...(password !== undefined && { PGPASSWORD: password }) };
  try {
    const { stdout, stderr } = await run("psql", [conninfo, "-X", "-c", command], { env });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? "", stderr: e.stderr ?? "", code: e.code ?? -1 };
  }
}

/** Waits until `condition` holds, polling; fails after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // Bounded by the deadline.
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition did not hold in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
