/**
 * The CLI's progress bar for crash recovery: a worker killed with 20 MB of WAL since its last
 * checkpoint restarts on a terminal (util-linux `script` gives it a pseudo-terminal) and draws
 * `recovery worker [####…] 100%` on stderr while it replays, then serves the replayed rows.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { cliMain, freePort, psql, startCluster } from "../harness/index.js";

/** Runs `command` on a pseudo-terminal; resolves with everything it printed once it exits. */
function onTerminal(command: string): { output: () => string; stop: () => Promise<void> } {
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  return {
    output: () => output,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test("a worker replaying its WAL on a terminal draws a progress bar", async () => {
  const first = await startCluster({ role: "worker" });
  const dataDir = first.dataDir;
  try {
    await psql(first.port, "create table big (id int, s text); " +
      "insert into big select g, repeat('x', 200) from generate_series(1, 80000) g");
    await first.stop({ keepData: true, signal: "SIGKILL" });
    const port = await freePort();
    const worker = onTerminal(`${process.execPath} ${cliMain} worker --port ${port} ` +
      `--data-dir ${dataDir} --log-level warn`);
    try {
      await waitFor(async () =>
        (await psql(port, "select count(*) from big", { tuplesOnly: true })) === "80000\n",
      60_000);
      const text = worker.output();
      assert.match(text, /recovery worker \[\.+\]\s+0%/, "the bar starts empty");
      assert.match(text, /recovery worker \[#+\] 100%\s+\d+\.\d MiB of \d+\.\d MiB/);
    } finally {
      await worker.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
