/**
 * The outgoing side of one connection: a `MessageSink` that serializes into one buffer and
 * hands the socket one Buffer per flush, so a query's RowDescription, DataRows, CommandComplete
 * and ReadyForQuery leave in a single write.
 *
 * Backpressure: `send` is synchronous and only buffers (it writes the buffer out early once it
 * holds `autoWriteBytes`, so a long result does not sit in one giant buffer), and `flush` waits
 * for the socket to drain whenever more than `socketWriteBufferBytesMax` is queued on it. A
 * session that streams a large result calls `flush` every so often; the connection also
 * flushes each time it runs out of received messages.
 *
 * Coalescing: with other connections open, a small flush does not write at once but at the
 * end of this turn of the event loop (`setImmediate`), after every connection whose bytes
 * arrived in the same turn has been served. Each write wakes a client, which may take the CPU
 * from this process at once; writing a turn's answers together after its work means the
 * server is not switched out between one connection's query and the next, and several
 * answers of one pipelining client leave in one write. A lone connection writes at once.
 */
import type { Duplex } from "node:stream";
import { assert, limits } from "@tessera/base";
import type { BackendMessage } from "./backend.js";
import { BackendSerializer } from "./serialize-backend.js";
import type { MessageSink } from "./session-handler.js";

const autoWriteBytes = 64 * 1024;
/** A flush holding at least this much writes at once rather than at the end of the turn. */
const deferredWriteBytesMax = 16 * 1024;

/** Outputs with a write due at the end of this turn, and whether that write is scheduled. */
const due: Output[] = [];
/** Outputs not closed yet: with one alone there is nothing to coalesce with. */
let openOutputs = 0;
let dueScheduled = false;

function writeDue(): void {
  dueScheduled = false;
  const outputs = due.splice(0, due.length);
  // Bounded: each output queued itself once (`writePending`), and writing queues nothing.
  for (const output of outputs) output.writeDueNow();
}

export class Output implements MessageSink {
  private readonly serializer = new BackendSerializer();
  private closed = false;
  /** True while this output waits in `due` for the end of the turn. */
  private writePending = false;

  constructor(private socket: Duplex) {
    openOutputs++;
  }

  /** Moves output to a new socket, as after the TLS upgrade; nothing may be buffered. */
  setSocket(socket: Duplex): void {
    assert(this.serializer.writer.length === 0, "no plaintext output is left behind on TLS");
    this.socket = socket;
  }

  send(message: BackendMessage): void {
    if (this.closed) return;
    this.serializer.write(message);
    if (this.serializer.writer.length >= autoWriteBytes) this.write();
  }

  parameterStatus(name: string, value: string): void {
    this.send({ type: "parameterStatus", name, value });
  }

  /** Writes raw bytes, for the one-byte answers to SSL and GSS requests. */
  sendRaw(bytes: Uint8Array): void {
    assert(this.serializer.writer.length === 0, "raw bytes never interleave with messages");
    if (!this.closed) this.socket.write(bytes);
  }

  /** Writes what is buffered; returns a wait only when the socket holds too much already. */
  flush(): Promise<void> | undefined {
    if (this.closed) return undefined;
    const backedUp = this.socket.writableLength > limits.socketWriteBufferBytesMax;
    if (!backedUp && openOutputs > 1 &&
      this.serializer.writer.length < deferredWriteBytesMax) {
      this.writeAtEndOfTurn();
      return undefined;
    }
    this.write();
    if (this.socket.writableLength <= limits.socketWriteBufferBytesMax) return undefined;
    return drainOrClose(this.socket);
  }

  /** Writes what is buffered, then drops everything sent later. */
  close(): void {
    this.write();
    if (!this.closed) openOutputs--;
    this.closed = true;
  }

  /** Called by `writeDue` at the end of the turn. */
  writeDueNow(): void {
    this.writePending = false;
    this.write();
  }

  private writeAtEndOfTurn(): void {
    if (this.writePending || this.serializer.writer.length === 0) return;
    this.writePending = true;
    due.push(this);
    if (!dueScheduled) {
      dueScheduled = true;
      setImmediate(writeDue);
    }
  }

  /** Hands the buffered bytes to the socket without waiting. */
  private write(): void {
    if (this.closed || this.serializer.writer.length === 0) return;
    const bytes = this.serializer.writer.take();
    if (this.socket.destroyed || !this.socket.writable) return;
    this.socket.write(bytes);
  }
}

/**
 * Waits until the socket drains or closes. Like Postgres, this wait has no timeout: a client
 * that stops reading holds only its own session, and TCP keepalive or a close ends it.
 */
function drainOrClose(socket: Duplex): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off("drain", done);
      socket.off("close", done);
      resolve();
    };
    socket.on("drain", done);
    socket.on("close", done);
  });
}
