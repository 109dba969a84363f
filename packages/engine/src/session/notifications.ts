/**
 * LISTEN / NOTIFY / UNLISTEN of one session, after Postgres's commands/async.c.
 *
 * Everything is transactional. LISTEN, UNLISTEN and NOTIFY (the statement or pg_notify())
 * only queue an action in the session's transaction; COMMIT applies the LISTEN/UNLISTEN
 * actions in order and then hands the transaction's notifications to the daemon's hub, which
 * passes each to every session listening on its channel; ROLLBACK forgets them. ROLLBACK TO
 * a savepoint forgets what was queued after it. Within one transaction a notification with
 * the same channel and payload as one already queued is dropped (async.c's duplicate check).
 * A statement outside any block is its own transaction: the session commits its queue when
 * the statement ends and forgets it when the statement fails.
 *
 * Receiving: a notification that arrives while the session is idle (it sent ReadyForQuery
 * with status I and no message came since) is sent to the client at once; otherwise it
 * waits in the inbox until the session is about to send ReadyForQuery outside a transaction,
 * as Postgres delivers only between transactions (ProcessNotifyInterrupt). Whether the
 * session still listens on the channel is checked when it is delivered, not when it arrives.
 *
 *   A: LISTEN jobs;                  -> hub: jobs -> {A}
 *   B: BEGIN; NOTIFY jobs, 'x'; NOTIFY jobs, 'x'; NOTIFY jobs, 'y';
 *   B: COMMIT;                       -> hub.publish([(B, jobs, x), (B, jobs, y)])
 *   A (idle) gets NotificationResponse(B, jobs, x), then (B, jobs, y), right away.
 *
 * A session makes this object on its first LISTEN or NOTIFY; sessions that never use them
 * pay for nothing but an `undefined` check at a transaction's end.
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import type { ast } from "@tessera/sql";

/** One notification, as a NotificationResponse carries it. */
export interface Notification {
  /** The backend pid of the session whose transaction sent it. */
  readonly processId: number;
  readonly channel: string;
  readonly payload: string;
}

/** A session that may receive notifications. */
export interface NotificationListener {
  receive(notification: Notification): void;
}

/** The daemon-wide registry of listeners by channel (one per Tessera process). */
export interface NotificationHub {
  listen(listener: NotificationListener, channel: string): void;
  unlisten(listener: NotificationListener, channel: string): void;
  /** Hands committed notifications, in order, to every session listening on their channel. */
  publish(notifications: readonly Notification[]): void;
}

/** Where a session's received notifications go: the client's connection. */
export interface NotificationDelivery {
  /** Writes one NotificationResponse into the output buffer. */
  send(notification: Notification): void;
  /** Pushes the buffer to the client, for a notification sent while the session is idle. */
  flush(): void;
}

/** Postgres's NAMEDATALEN - 1: the longest channel name. */
const channelBytesMax = 63;
/** Postgres's NOTIFY_PAYLOAD_MAX_LENGTH - 1 (BLCKSZ - NAMEDATALEN - 128 - 1). */
const payloadBytesMax = 7999;

/** The statements this module runs, by libpg-query node name. */
const statementKinds = new Set(["ListenStmt", "UnlistenStmt", "NotifyStmt"]);

/** True for LISTEN, UNLISTEN and NOTIFY. */
export function isNotificationStatement(stmt: ast.Node): boolean {
  return statementKinds.has(Object.keys(stmt)[0] ?? "");
}

/** A queued LISTEN or UNLISTEN (channel null: UNLISTEN *), at a savepoint depth. */
interface PendingAction {
  readonly listen: boolean;
  readonly channel: string | null;
  depth: number;
}

/** A queued notification, at the savepoint depth it was sent at. */
interface PendingNotify {
  readonly channel: string;
  readonly payload: string;
  depth: number;
}

/** The block state the queue needs: is there a block, and how many savepoints it holds. */
export interface NotificationBlock {
  readonly status: "I" | "T" | "E";
  readonly implicit: boolean;
  readonly savepointDepth: number;
}

export class SessionNotifications implements NotificationListener {
  /** The channels this session listens on, committed, in the order first listened to. */
  private readonly listening = new Set<string>();
  private actions: PendingAction[] = [];
  private notifies: PendingNotify[] = [];
  /** "channel\0payload" of every queued notification, for the duplicate check. */
  private readonly notifyKeys = new Set<string>();
  private inbox: Notification[] = [];
  /** True between a ReadyForQuery with status I and the next message from the client. */
  private idle = false;
  private readonly hub: NotificationHub;
  private delivery: NotificationDelivery | undefined;
  private readonly processId: number;
  private readonly block: NotificationBlock;

  constructor(parts: { readonly hub: NotificationHub; readonly delivery: NotificationDelivery;
    readonly processId: number; readonly block: NotificationBlock }) {
    this.hub = parts.hub;
    this.delivery = parts.delivery;
    this.processId = parts.processId;
    this.block = parts.block;
  }

  /** Runs LISTEN, UNLISTEN or NOTIFY; returns the command tag. */
  run(stmt: ast.Node): string {
    if ("ListenStmt" in stmt) {
      this.queueAction(true, stmt.ListenStmt.conditionname ?? "");
      return "LISTEN";
    }
    if ("UnlistenStmt" in stmt) {
      this.queueAction(false, stmt.UnlistenStmt.conditionname ?? null);
      return "UNLISTEN";
    }
    assert("NotifyStmt" in stmt, "only notification statements reach here");
    this.notify(stmt.NotifyStmt.conditionname ?? "", stmt.NotifyStmt.payload ?? "");
    return "NOTIFY";
  }

  /** Queues a notification (NOTIFY, pg_notify), checking it as async.c's Async_Notify does. */
  notify(channel: string, payload: string): void {
    if (channel === "") {
      throw new SqlError(SqlState.invalidParameterValue, "channel name cannot be empty");
    }
    if (Buffer.byteLength(channel) > channelBytesMax) {
      throw new SqlError(SqlState.invalidParameterValue, "channel name too long");
    }
    if (Buffer.byteLength(payload) > payloadBytesMax) {
      throw new SqlError(SqlState.invalidParameterValue, "payload string too long");
    }
    const key = `${channel}\0${payload}`;
    if (this.notifyKeys.has(key)) return;
    this.notifyKeys.add(key);
    this.notifies.push({ channel, payload, depth: this.block.savepointDepth });
  }

  /** UNLISTEN *, as DISCARD ALL does. */
  unlistenAll(): void {
    this.queueAction(false, null);
  }

  /** The committed channels, for pg_listening_channels(). */
  channels(): string[] {
    return [...this.listening];
  }

  /** True when this transaction queued anything: PREPARE TRANSACTION refuses it. */
  get hasPending(): boolean {
    return this.actions.length > 0 || this.notifies.length > 0;
  }

  /** The transaction ended: applies and sends its queue on commit, forgets it otherwise. */
  ended(committed: boolean): void {
    if (!this.hasPending) return;
    const actions = this.actions;
    const notifies = this.notifies;
    this.actions = [];
    this.notifies = [];
    this.notifyKeys.clear();
    if (!committed) return;
    for (const action of actions) this.apply(action);
    if (notifies.length === 0) return;
    this.hub.publish(notifies.map((n) => ({ processId: this.processId, channel: n.channel,
      payload: n.payload })));
  }

  /** A statement outside any block ended: it was its own transaction. */
  statementEnded(failed: boolean): void {
    if (this.block.status !== "I" || this.block.implicit) return;
    this.ended(!failed);
  }

  /** ROLLBACK TO the savepoint at `depth`: forgets what was queued after it. */
  rolledBackTo(depth: number): void {
    if (!this.hasPending) return;
    this.actions = this.actions.filter((a) => a.depth <= depth);
    const kept = this.notifies.filter((n) => n.depth <= depth);
    if (kept.length === this.notifies.length) return;
    this.notifies = kept;
    this.notifyKeys.clear();
    for (const n of kept) this.notifyKeys.add(`${n.channel}\0${n.payload}`);
  }

  /** RELEASE of the savepoint at `depth`: what it queued now belongs to its parent. */
  released(depth: number): void {
    for (const a of this.actions) if (a.depth > depth) a.depth = depth;
    for (const n of this.notifies) if (n.depth > depth) n.depth = depth;
  }

  /** A notification committed by some session (this one too) on a channel we listen on. */
  receive(notification: Notification): void {
    if (!this.idle || this.delivery === undefined) {
      this.inbox.push(notification);
      return;
    }
    if (!this.listening.has(notification.channel)) return;
    this.delivery.send(notification);
    this.delivery.flush();
  }

  /** A message arrived from the client: the session is busy until its next ReadyForQuery. */
  busy(): void {
    this.idle = false;
  }

  /** The session is about to send ReadyForQuery: outside a transaction the inbox goes first. */
  beforeReady(status: "I" | "T" | "E"): void {
    this.idle = status === "I";
    if (!this.idle || this.inbox.length === 0 || this.delivery === undefined) return;
    const inbox = this.inbox;
    this.inbox = [];
    for (const n of inbox) if (this.listening.has(n.channel)) this.delivery.send(n);
  }

  /** The session ended: it stops listening and forgets its queue. */
  close(): void {
    this.actions = [];
    this.notifies = [];
    this.notifyKeys.clear();
    this.inbox = [];
    for (const channel of this.listening) this.hub.unlisten(this, channel);
    this.listening.clear();
    this.delivery = undefined;
  }

  private queueAction(listen: boolean, channel: string | null): void {
    this.actions.push({ listen, channel, depth: this.block.savepointDepth });
  }

  private apply(action: PendingAction): void {
    if (action.channel === null) {
      for (const channel of this.listening) this.hub.unlisten(this, channel);
      this.listening.clear();
    } else if (action.listen) {
      if (this.listening.has(action.channel)) return;
      this.listening.add(action.channel);
      this.hub.listen(this, action.channel);
    } else if (this.listening.delete(action.channel)) {
      this.hub.unlisten(this, action.channel);
    }
  }
}
