import { after, test } from "node:test";
import assert from "node:assert/strict";
import { initParser } from "@tessera/sql";
import { Engine } from "../engine.js";
import { MemoryFileSystem } from "../wal/memory-fs.js";
import { readControl } from "../wal/control-file.js";
import { TestClient } from "../txn/test-client.js";
import { checkpointSettings, parseCheckpointTimeout, parseMaxWalSize, setCheckpointSettings,
  showCheckpointTimeout, showMaxWalSize } from "./checkpoint-settings.js";

const dir = "/data";
const initial = checkpointSettings();
after(() => setCheckpointSettings(initial));

async function checkpointId(fs: MemoryFileSystem): Promise<bigint> {
  return (await readControl(fs, dir))?.checkpointId ?? 0n;
}

async function openEngine(fs: MemoryFileSystem): Promise<{ engine: Engine; c: TestClient }> {
  await initParser();
  const engine = await Engine.open({ dataDir: dir, fs });
  const c = new TestClient(engine);
  await c.query("create table t (id int primary key, s text)");
  return { engine, c };
}

/** Writes about `mb` MB of WAL in 1 MB transactions. */
async function writeWal(c: TestClient, mb: number, from = 0): Promise<void> {
  for (let i = 0; i < mb; i++) {
    const base = from + i * 1000;
    await c.query(`insert into t select g, repeat('x', 1000) from ` +
      `generate_series(${base}, ${base + 999}) g`);
  }
}

test("max_wal_size larger than 64MB: 80MB of WAL and no checkpoint; smaller: one", async () => {
  setCheckpointSettings({ maxWalSizeMb: 256, checkpointTimeoutMs: 3_600_000 });
  const fs = new MemoryFileSystem();
  const { engine, c } = await openEngine(fs);
  const start = await checkpointId(fs);
  await writeWal(c, 80);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(await checkpointId(fs), start, "no checkpoint below max_wal_size");
  await engine.close();

  setCheckpointSettings({ maxWalSizeMb: 8 });
  const small = new MemoryFileSystem();
  const second = await openEngine(small);
  const before = await checkpointId(small);
  await writeWal(second.c, 12);
  const deadline = Date.now() + 20_000;
  while (await checkpointId(small) === before && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(await checkpointId(small) > before, "a checkpoint once the WAL passed 8MB");
  await second.engine.close();
});

test("checkpoint_timeout: a timed checkpoint after writes, none while idle", async () => {
  setCheckpointSettings({ maxWalSizeMb: 1024, checkpointTimeoutMs: 300 });
  const fs = new MemoryFileSystem();
  const { engine, c } = await openEngine(fs);
  await c.query("insert into t values (1, 'a')");
  const start = await checkpointId(fs);
  await new Promise((resolve) => setTimeout(resolve, 900));
  const timed = await checkpointId(fs);
  assert.ok(timed > start, "a checkpoint once checkpoint_timeout passed");
  // Nothing logged since: the next timeouts pass without a checkpoint.
  await new Promise((resolve) => setTimeout(resolve, 900));
  assert.equal(await checkpointId(fs), timed);
  await engine.close();
});

test("values parse and show as Postgres's", () => {
  assert.equal(parseMaxWalSize("1GB"), 1024);
  assert.equal(parseMaxWalSize("2048"), 2048);
  assert.equal(parseMaxWalSize(" 64MB "), 64);
  assert.equal(parseMaxWalSize("3072kB"), 3);
  assert.throws(() => parseMaxWalSize("1gb"), /invalid value for parameter "max_wal_size"/);
  assert.throws(() => parseMaxWalSize("1"),
    /1 MB is outside the valid range for parameter "max_wal_size" \(2 \.\. 2147483647\)/);
  assert.equal(parseCheckpointTimeout("5min"), 300);
  assert.equal(parseCheckpointTimeout("45"), 45);
  assert.equal(parseCheckpointTimeout("1h"), 3600);
  assert.throws(() => parseCheckpointTimeout("10s"),
    /10 s is outside the valid range for parameter "checkpoint_timeout" \(30 \.\. 86400\)/);
  setCheckpointSettings({ maxWalSizeMb: 1024, checkpointTimeoutMs: 300_000 });
  assert.deepEqual([showMaxWalSize(), showCheckpointTimeout()], ["1GB", "5min"]);
  setCheckpointSettings({ maxWalSizeMb: 1536, checkpointTimeoutMs: 90_000 });
  assert.deepEqual([showMaxWalSize(), showCheckpointTimeout()], ["1536MB", "90s"]);
});
