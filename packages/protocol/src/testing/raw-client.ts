/**
 * A raw TCP client for the protocol's tests: it writes whatever bytes a test gives it and cuts
 * the server's answer into backend messages, trusting nothing the server sends.
 */
import { connect, type Socket } from "node:net";
import assert from "node:assert/strict";

export interface ReceivedMessage {
  /** The type letter. */
  readonly type: string;
  readonly body: Buffer;
}

export class RawClient {
  readonly messages: ReceivedMessage[] = [];
  /** Resolves when the server closes the connection. */
  readonly closed: Promise<void>;
  private pending = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private isClosed = false;
  /** One-byte answers expected before the next message, and those received. */
  private rawBytesExpected = 0;
  private readonly rawBytes: string[] = [];

  private constructor(readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      this.cut();
      this.notify();
    });
    socket.on("error", () => {});
    this.closed = new Promise((resolve) => socket.on("close", () => {
      this.isClosed = true;
      this.notify();
      resolve();
    }));
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => resolve(new RawClient(socket)));
      socket.once("error", reject);
    });
  }

  write(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** Sends an SSL or GSS request and returns the one-byte answer ('S', 'N', or "" on close). */
  async request(bytes: Buffer): Promise<string> {
    this.rawBytesExpected += 1;
    this.write(bytes);
    await this.until(() => this.rawBytes.length > 0 || this.isClosed);
    return this.rawBytes.shift() ?? "";
  }

  /** Waits for a message of `type`, or the close; returns it or undefined. */
  async waitFor(type: string, timeoutMs = 5_000): Promise<ReceivedMessage | undefined> {
    await this.until(() => this.messages.some((m) => m.type === type) || this.isClosed, timeoutMs);
    return this.messages.find((m) => m.type === type);
  }

  /** Waits until the server closes the connection. */
  async waitClosed(timeoutMs = 5_000): Promise<void> {
    await this.until(() => this.isClosed, timeoutMs);
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Cuts one-byte answers, then whole messages, off `pending`. */
  private cut(): void {
    while (this.rawBytesExpected > 0 && this.pending.length > 0) {
      this.rawBytes.push(this.pending.subarray(0, 1).toString("latin1"));
      this.pending = this.pending.subarray(1);
      this.rawBytesExpected -= 1;
    }
    for (;;) {
      if (this.rawBytesExpected > 0 || this.pending.length < 5) return;
      const type = this.pending.subarray(0, 1).toString("latin1");
      const length = this.pending.readInt32BE(1);
      assert.ok(length >= 4, `the server sent a message length of ${length}`);
      if (this.pending.length < 1 + length) return;
      this.messages.push({ type, body: this.pending.subarray(5, 1 + length) });
      this.pending = this.pending.subarray(1 + length);
    }
  }

  private until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting")), timeoutMs);
      const check = (): void => {
        if (!condition()) {
          this.waiters.push(check);
          return;
        }
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

/** Parses an ErrorResponse or NoticeResponse body into its fields by letter. */
export function errorFields(body: Buffer): Record<string, string> {
  const fields: Record<string, string> = {};
  let offset = 0;
  while (offset < body.length && body[offset] !== 0) {
    const letter = String.fromCharCode(body[offset] ?? 0);
    const end = body.indexOf(0, offset + 1);
    assert.ok(end > offset, "every field ends in NUL");
    fields[letter] = body.subarray(offset + 1, end).toString("utf8");
    offset = end + 1;
  }
  assert.equal(offset, body.length - 1, "the fields end with one NUL");
  return fields;
}

/** Connects with trust auth and waits for ReadyForQuery. */
export async function openTrusted(port: number, user = "u"): Promise<RawClient> {
  const client = await RawClient.open(port);
  const { startupMessage } = await import("./fixtures.js");
  client.write(startupMessage({ user, database: "d" }));
  const ready = await client.waitFor("Z");
  assert.ok(ready !== undefined, "the server sent ReadyForQuery");
  return client;
}
