/**
 * max_wal_size and checkpoint_timeout on a real worker and on PostgreSQL 15: set from the
 * daemon's flags, its TESSERA_* variables or its config file, shown by SHOW and pg_settings
 * in Postgres's units and columns, and refused by SET and RESET with 55P02 as Postgres's
 * sighup settings are.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startCluster, startReferencePostgres, type ReferencePostgres } from "../harness/index.js";

const columns = "name, setting, unit, category, short_desc, context, vartype, min_val, " +
  "max_val, boot_val, reset_val";
const settingsQuery = `SELECT ${columns} FROM pg_settings WHERE name IN ` +
  "('max_wal_size', 'checkpoint_timeout') ORDER BY name";

interface Observed {
  show: string[];
  settings: Record<string, unknown>[];
  setError: { code: string | undefined; message: string };
  resetError: { code: string | undefined; message: string };
}

async function observe(port: number): Promise<Observed> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres",
    database: "postgres" });
  await client.connect();
  try {
    const show = [];
    for (const name of ["max_wal_size", "checkpoint_timeout"]) {
      show.push(String((await client.query(`SHOW ${name}`)).rows[0]?.[name]));
    }
    const settings = (await client.query(settingsQuery)).rows as Record<string, unknown>[];
    const failure = async (sql: string): Promise<Observed["setError"]> => {
      const error = await client.query(sql).then(() => undefined, (e: pg.DatabaseError) => e);
      assert.ok(error !== undefined, `${sql} fails`);
      return { code: error.code, message: error.message };
    };
    const setError = await failure("SET max_wal_size = '2GB'");
    const resetError = await failure("RESET checkpoint_timeout");
    return { show, settings, setError, resetError };
  } finally {
    await client.end();
  }
}

describe("checkpoint settings", { timeout: 180_000 }, () => {
  let reference: ReferencePostgres;
  const scratch = mkdtempSync(join(tmpdir(), "tessera-ckpt-settings-"));
  before(async () => {
    reference = await startReferencePostgres({ settings: { max_wal_size: "2GB",
      checkpoint_timeout: "90s" } });
  });
  after(async () => {
    await reference.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  test("flags: SHOW, pg_settings and SET answer as PostgreSQL's", async () => {
    const expected = await observe(reference.port);
    assert.deepEqual(expected.show, ["2GB", "90s"]);
    const worker = await startCluster({ role: "worker",
      args: ["--max-wal-size", "2GB", "--checkpoint-timeout", "90s"] });
    try {
      assert.deepEqual(await observe(worker.port), expected);
    } finally {
      await worker.stop();
    }
  });

  test("defaults, environment and config file", async () => {
    const worker = await startCluster({ role: "worker" });
    try {
      const seen = await observe(worker.port);
      assert.deepEqual(seen.show, ["1GB", "5min"]);
      assert.deepEqual(seen.settings.map((r) => [r["setting"], r["unit"], r["context"]]),
        [["300", "s", "sighup"], ["1024", "MB", "sighup"]]);
      assert.deepEqual(seen.setError, { code: "55P02",
        message: 'parameter "max_wal_size" cannot be changed now' });
    } finally {
      await worker.stop();
    }
    const fromEnv = await startCluster({ role: "worker",
      env: { TESSERA_MAX_WAL_SIZE: "512MB", TESSERA_CHECKPOINT_TIMEOUT: "1h" } });
    try {
      assert.deepEqual((await observe(fromEnv.port)).show, ["512MB", "1h"]);
    } finally {
      await fromEnv.stop();
    }
    const file = join(scratch, "tessera.json");
    writeFileSync(file, JSON.stringify({ maxWalSize: "3GB", checkpointTimeout: "10min" }));
    const fromFile = await startCluster({ role: "worker", args: ["--config", file] });
    try {
      assert.deepEqual((await observe(fromFile.port)).show, ["3GB", "10min"]);
    } finally {
      await fromFile.stop();
    }
  });

  test("a value out of Postgres's range stops the daemon with Postgres's message", async () => {
    await assert.rejects(startCluster({ role: "worker", args: ["--checkpoint-timeout", "5s"] }),
      /5 s is outside the valid range for parameter "checkpoint_timeout" \(30 \.\. 86400\)/);
  });
});
