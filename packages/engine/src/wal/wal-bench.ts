/**
 * WAL benchmark on the real file system, for `make bench`: appends per second (buffered,
 * one flush at the end), commits per second for one committer (an fsync each) and for many
 * concurrent committers (group commit), and CRC-32C throughput.
 *
 *     node packages/engine/dist/wal/wal-bench.js [seconds] [dir]
 *
 * The numbers depend on the disk's fsync latency; compare them with pgbench on PostgreSQL in
 * the same run, never with a fixed threshold.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { assert, lsn } from "@tessera/base";
import { crc32c } from "./crc32c.js";
import { NodeFileSystem } from "./fs.js";
import { WalWriter } from "./wal-writer.js";

export interface WalBenchOptions {
  /** A directory for the log; a temporary one (removed afterwards) by default. */
  dir?: string;
  /** Seconds per measurement (default 1). */
  seconds?: number;
  payloadBytes?: number;
  committers?: number;
}

export interface WalBenchResult {
  appendsPerSecond: number;
  appendMegabytesPerSecond: number;
  commitsPerSecondSingle: number;
  commitsPerSecondGroup: number;
  committers: number;
  /** Commits that shared each fsync in the group run. */
  commitsPerFsync: number;
  crc32cMegabytesPerSecond: number;
}

export async function runWalBench(options: WalBenchOptions = {}): Promise<WalBenchResult> {
  const seconds = options.seconds ?? 1;
  const payload = new Uint8Array(options.payloadBytes ?? 100).fill(7);
  const committers = options.committers ?? 32;
  assert(seconds > 0, "a benchmark runs for some time");
  assert(committers > 0, "a benchmark has committers");
  const root = options.dir ?? await mkdtemp(join(tmpdir(), "tessera-wal-bench-"));
  try {
    const appends = await measure(join(root, "appends"), async (wal, until) => {
      let count = 0;
      while (performance.now() < until) {
        for (let i = 0; i < 1000; i++) wal.append(1, payload);
        count += 1000;
        await wal.waitForRoom();
      }
      await wal.flush();
      return count;
    });
    const single = await measure(join(root, "single"), (wal, until) =>
      commitLoop(wal, payload, until));
    let fsyncs = 0;
    const group = await measure(join(root, "group"), async (wal, until) => {
      const counts = await Promise.all(
        Array.from({ length: committers }, () => commitLoop(wal, payload, until)));
      fsyncs = wal.stats.fsyncCount;
      return counts.reduce((a, b) => a + b, 0);
    });
    return {
      appendsPerSecond: Math.round(appends.perSecond),
      appendMegabytesPerSecond: round1(appends.perSecond * (payload.length + 17) / 1e6),
      commitsPerSecondSingle: Math.round(single.perSecond),
      commitsPerSecondGroup: Math.round(group.perSecond),
      committers,
      commitsPerFsync: round1(group.count / Math.max(1, fsyncs)),
      crc32cMegabytesPerSecond: Math.round(crcThroughput()),
    };
  } finally {
    if (options.dir === undefined) await rm(root, { recursive: true, force: true });
  }

  /** Runs `body` on a fresh log for `seconds` and returns its count per second. */
  async function measure(
    dir: string, body: (wal: WalWriter, until: number) => Promise<number>,
  ): Promise<{ count: number; perSecond: number }> {
    const wal = await WalWriter.open({ fs: new NodeFileSystem(), dir, lsnStart: lsn(0n) });
    const started = performance.now();
    const count = await body(wal, started + seconds * 1000);
    const elapsedMs = performance.now() - started;
    await wal.close();
    return { count, perSecond: count / (elapsedMs / 1000) };
  }
}

/** One committer: append a record, wait for its flush, repeat until `until`. */
async function commitLoop(wal: WalWriter, payload: Uint8Array, until: number): Promise<number> {
  let count = 0;
  while (performance.now() < until) {
    await wal.flush(wal.append(1, payload));
    count += 1;
  }
  return count;
}

function crcThroughput(): number {
  const data = new Uint8Array(16 << 20).map((_, i) => (i * 131) & 0xff);
  crc32c(data);
  const started = performance.now();
  for (let round = 0; round < 4; round++) crc32c(data);
  return (4 * data.length) / 1e6 / ((performance.now() - started) / 1000);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seconds = Number(process.argv[2] ?? 1);
  const dir = process.argv[3];
  const result = await runWalBench({ seconds, ...(dir === undefined ? {} : { dir }) });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
