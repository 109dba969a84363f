import { test } from "node:test";
import assert from "node:assert/strict";
import { SessionSettings } from "./settings.js";
import { TransactionBlock } from "./transaction-block.js";
import { SessionNotifications, type Notification, type NotificationHub,
  type NotificationListener } from "./notifications.js";

/** A hub of one process, recording what was published. */
class TestHub implements NotificationHub {
  readonly listeners = new Map<string, Set<NotificationListener>>();
  readonly published: string[] = [];
  listen(listener: NotificationListener, channel: string): void {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    this.listeners.set(channel, set);
  }
  unlisten(listener: NotificationListener, channel: string): void {
    this.listeners.get(channel)?.delete(listener);
  }
  publish(notifications: readonly Notification[]): void {
    for (const n of notifications) {
      this.published.push(`${n.channel}:${n.payload}`);
      for (const l of this.listeners.get(n.channel) ?? []) l.receive(n);
    }
  }
}

function session(hub: TestHub, pid: number): { block: TransactionBlock;
  state: SessionNotifications; sent: string[] } {
  const block = new TransactionBlock(new SessionSettings(() => undefined));
  const sent: string[] = [];
  const state = new SessionNotifications({ hub, processId: pid, block,
    delivery: { send: (n) => sent.push(`${n.channel}:${n.payload}@${n.processId}`),
      flush: () => undefined } });
  block.notifications = state;
  return { block, state, sent };
}

const warn = (): void => undefined;

test("COMMIT publishes in order with duplicates folded; ROLLBACK publishes nothing", () => {
  const hub = new TestHub();
  const { block, state } = session(hub, 1);
  block.begin(warn, {});
  state.notify("c", "gone");
  block.rollback(warn, false);
  block.begin(warn, {});
  state.notify("c", "1");
  state.notify("c", "2");
  state.notify("c", "1");
  state.notify("d", "1");
  assert.equal(state.hasPending, true);
  block.commit(warn, false);
  assert.deepEqual(hub.published, ["c:1", "c:2", "d:1"]);
  assert.equal(state.hasPending, false);
});

test("ROLLBACK TO forgets what came after the savepoint; RELEASE keeps it", () => {
  const hub = new TestHub();
  const { block, state } = session(hub, 1);
  block.begin(warn, {});
  state.notify("c", "kept");
  block.savepoint("a");
  state.notify("c", "dropped");
  state.run({ ListenStmt: { conditionname: "never" } });
  block.rollbackTo("a");
  state.notify("c", "dropped");
  block.savepoint("b");
  state.notify("c", "released");
  block.release("b");
  block.commit(warn, false);
  assert.deepEqual(hub.published, ["c:kept", "c:dropped", "c:released"]);
  assert.deepEqual(state.channels(), []);
});

test("a busy listener gets notifications before ReadyForQuery outside a block", () => {
  const hub = new TestHub();
  const listener = session(hub, 1);
  const sender = session(hub, 2);
  listener.state.run({ ListenStmt: { conditionname: "c" } });
  listener.state.statementEnded(false);
  listener.state.beforeReady("I");
  sender.state.notify("c", "idle");
  sender.state.statementEnded(false);
  assert.deepEqual(listener.sent, ["c:idle@2"]);
  listener.state.busy();
  sender.state.notify("c", "busy");
  sender.state.statementEnded(false);
  assert.deepEqual(listener.sent, ["c:idle@2"]);
  listener.state.beforeReady("T");
  assert.deepEqual(listener.sent, ["c:idle@2"]);
  listener.state.beforeReady("I");
  assert.deepEqual(listener.sent, ["c:idle@2", "c:busy@2"]);
});

test("a failed statement outside a block sends nothing; errors are Postgres's", () => {
  const hub = new TestHub();
  const { state } = session(hub, 1);
  state.notify("c", "x");
  state.statementEnded(true);
  assert.deepEqual(hub.published, []);
  assert.throws(() => state.notify("", "x"), { code: "22023",
    message: "channel name cannot be empty" });
  assert.throws(() => state.notify("c".repeat(64), "x"), { message: "channel name too long" });
  assert.throws(() => state.notify("c", "é".repeat(4000)), { message: "payload string too long" });
  state.notify("c", "x".repeat(7999));
});
