/**
 * Crash simulation: concurrent committers (some with synchronous_commit=off) and
 * checkpoints run on a file system that dies after a random number of operations, tearing
 * the write in flight; then the "disk" loses what was never synced, keeping a random prefix.
 * Each seed lives several lives: recover, check, write, die. After every recovery:
 *
 * - every record whose flush resolved is there (no acknowledged commit is lost);
 * - the recovered records are exactly a prefix of the records appended, in LSN order, so
 *   nothing after a torn or lost record is replayed and no partial record appears;
 * - every payload is intact.
 *
 * SEED=n replays one seed; CRASH_SEEDS=n runs more of them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { AssertionError, lsn, SqlError } from "@tessera/base";
import { writeCheckpoint } from "./checkpoint.js";
import { FaultyFileSystem } from "./faulty-fs.js";
import { errorCode } from "./fs.js";
import { MemoryFileSystem } from "./memory-fs.js";
import { recover, type Recovery } from "./recovery.js";
import { collect, forEachSeed, idOf, payloadFor, randomInt } from "./testing.js";
import { WalWriter } from "./wal-writer.js";

const dir = "/db";

interface World {
  readonly disk: MemoryFileSystem;
  /** Record ids in LSN order: the last recovered state, then this life's appends. */
  lineage: number[];
  /** How long a prefix of `lineage` some resolved flush made durable. */
  ackedCount: number;
  nextId: number;
  tornTails: number;
  checkpoints: number;
}

test("every acknowledged record survives random crashes, and nothing after a tear", async (t) => {
  const totals = { tornTails: 0, checkpoints: 0, records: 0 };
  await forEachSeed(Number(process.env["CRASH_SEEDS"] ?? 150), async (_seed, random) => {
    const world: World = {
      disk: new MemoryFileSystem(), lineage: [], ackedCount: 0, nextId: 1, tornTails: 0,
      checkpoints: 0,
    };
    for (let life = 0; life < 5; life++) await live(world, random);
    const fs = new FaultyFileSystem(world.disk);
    checkRecovered(world, await recoveredIds(await recover(fs, dir)));
    totals.tornTails += world.tornTails;
    totals.checkpoints += world.checkpoints;
    totals.records += world.lineage.length;
  });
  t.diagnostic(`torn tails ${totals.tornTails}, checkpoints ${totals.checkpoints}, `
    + `records ${totals.records}`);
  if (process.env["SEED"] === undefined) {
    assert.ok(totals.tornTails > 20, `torn tails were exercised (${totals.tornTails})`);
    assert.ok(totals.checkpoints > 20, `checkpoints completed (${totals.checkpoints})`);
    assert.ok(totals.records > 1000, `records survived (${totals.records})`);
  }
});

/** One process lifetime: recover and check, then write until the file system dies. */
async function live(world: World, random: () => number): Promise<void> {
  const fs = new FaultyFileSystem(world.disk);
  const dieEarly = random() < 0.15;
  if (dieEarly) fs.die({ afterOps: randomInt(random, 40), random });
  let wal: WalWriter;
  try {
    const recovery = await recover(fs, dir);
    checkRecovered(world, await recoveredIds(recovery));
    if (recovery.tornTail !== null) world.tornTails += 1;
    wal = await WalWriter.open({
      fs, dir, lsnStart: recovery.lsnEnd, segmentBytes: 200 + randomInt(random, 2000),
      writerDelayMs: 60_000, // no timers: a seed replays the same interleaving
    });
  } catch (error) {
    expectInjected(error);
    fs.kill();
    world.disk.crash({ random });
    return;
  }
  if (!dieEarly && random() < 0.9) fs.die({ afterOps: randomInt(random, 300), random });
  const sessions = 1 + randomInt(random, 6);
  const work = Array.from({ length: sessions }, () => session(world, wal, random));
  if (random() < 0.5) work.push(checkpointer(world, wal, fs, random));
  for (const result of await Promise.allSettled(work)) {
    if (result.status === "rejected") expectInjected(result.reason);
  }
  fs.kill();
  world.disk.crash(random() < 0.7 ? { random } : {});
}

/** Appends records; most commits wait for their flush, some do not (synchronous_commit=off). */
async function session(world: World, wal: WalWriter, random: () => number): Promise<void> {
  const commits = 1 + randomInt(random, 25);
  for (let i = 0; i < commits; i++) {
    const id = world.nextId++;
    const at = wal.append(1 + randomInt(random, 3), payloadFor(id, randomInt(random, 150)));
    const position = world.lineage.length;
    world.lineage.push(id);
    if (random() < 0.2) {
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    await wal.flush(at);
    world.ackedCount = Math.max(world.ackedCount, position + 1);
  }
}

/** Takes checkpoints of the state so far, as the engine will: redo LSN, flush, snapshot. */
async function checkpointer(
  world: World, wal: WalWriter, fs: FaultyFileSystem, random: () => number,
): Promise<void> {
  for (let round = 0; round < 2; round++) {
    for (let wait = randomInt(random, 20); wait > 0; wait--) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const lsnRedo = wal.lsnAppended;
    const ids = world.lineage.slice();
    await wal.flush();
    const chunks = [];
    for (let i = 0; i < ids.length; i += 16) {
      chunks.push(new Uint8Array(Uint32Array.from(ids.slice(i, i + 16)).buffer));
    }
    await writeCheckpoint(fs, dir, chunks, lsn(lsnRedo));
    world.checkpoints += 1;
  }
}

/** Returns the state a recovery rebuilds: the snapshot's ids, then the replayed ones. */
async function recoveredIds(recovery: Recovery): Promise<number[]> {
  const ids: number[] = [];
  if (recovery.checkpoint !== null) {
    for await (const chunk of recovery.checkpoint.chunks()) {
      ids.push(...new Uint32Array(chunk.slice().buffer));
    }
  }
  for (const record of await collect(recovery.records)) ids.push(idOf(record.payload));
  return ids;
}

/** Checks the recovered ids against what was appended and acknowledged, then adopts them. */
function checkRecovered(world: World, ids: number[]): void {
  assert.ok(ids.length >= world.ackedCount,
    `an acknowledged record was lost: ${ids.length} recovered, ${world.ackedCount} acknowledged`);
  assert.ok(ids.length <= world.lineage.length, "recovery invented records");
  assert.deepEqual(ids, world.lineage.slice(0, ids.length), "the recovered log is a prefix");
  world.lineage = ids;
  world.ackedCount = ids.length; // what recovery read is on disk now
}

/** Lets through only the failures a dying file system causes; anything else is a bug. */
function expectInjected(error: unknown): void {
  if (error instanceof AssertionError) throw error;
  if (error instanceof SqlError && error.code === "58030") return;
  if (errorCode(error) === "EIO") return;
  throw error;
}
