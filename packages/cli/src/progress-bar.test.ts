import { test } from "node:test";
import assert from "node:assert/strict";
import { onProgress, silentLogger, throttledProgress, type Logger } from "@tessera/base";
import { logLines, progressMessage, progressView, renderBar, sizeOf, terminalBar }
  from "./progress-bar.js";

test("a bar shows the fraction done, the percentage and the sizes", () => {
  const mib = 1024 * 1024;
  assert.equal(renderBar("worker", { task: "recovery", done: 5 * mib, total: 10 * mib }, 10),
    "recovery worker [#####.....]  50%  5.0 MiB of 10.0 MiB");
  assert.equal(renderBar("w", { task: "recovery", done: 0, total: 3 }, 4),
    "recovery w [....]   0%  0 bytes of 3 bytes");
  assert.equal(sizeOf(1.5 * 1024 * mib), "1.5 GiB");
});

test("on a terminal the bar is redrawn in place and ends with a newline", () => {
  const writes: string[] = [];
  const stream = { isTTY: true, write: (text: string) => writes.push(text) > 0 };
  const view = progressView(stream, silentLogger());
  view.update("worker", { task: "recovery", done: 0, total: 0 });
  assert.deepEqual(writes, [], "an empty log draws nothing");
  view.update("worker", { task: "recovery", done: 1, total: 4 });
  view.update("worker", { task: "recovery", done: 4, total: 4 });
  assert.equal(writes.length, 3);
  assert.match(writes[0]!, /^\rrecovery worker \[#+\.+\]  25%/);
  assert.match(writes[1]!, /^\rrecovery worker \[#+\] 100%/);
  assert.equal(writes[2], "\n");
  assert.equal(terminalBar(stream) !== undefined, true);
});

test("without a terminal, progress becomes log lines at the start, now and then, and the end",
  () => {
    const lines: string[] = [];
    const logger = { info: (_fields: object, message: string) => lines.push(message) };
    const view = logLines(logger as unknown as Logger, 0);
    view.update("worker-1", { task: "recovery", done: 0, total: 2048 });
    view.update("worker-1", { task: "recovery", done: 1024, total: 2048 });
    view.update("worker-1", { task: "recovery", done: 2048, total: 2048 });
    assert.deepEqual(lines, ["recovery started: 2.0 KiB to replay",
      "recovery:  50%  1.0 KiB of 2.0 KiB", "recovery finished"]);
  });

test("reports reach listeners, throttled but never losing the first and the last", () => {
  const seen: number[] = [];
  const stop = onProgress((p) => seen.push(p.done));
  const report = throttledProgress("recovery", 100, 60_000);
  for (let done = 0; done <= 100; done += 10) report(done);
  stop();
  report(100);
  assert.deepEqual(seen, [0, 100]);
  assert.deepEqual(progressMessage({ type: "progress", task: "recovery", done: 1, total: 2 }),
    { task: "recovery", done: 1, total: 2 });
  assert.equal(progressMessage({ type: "ready", port: 1 }), undefined);
});
