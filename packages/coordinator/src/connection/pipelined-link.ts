/**
 * A connection to a node shared by the fast-path executions of every session, with their
 * messages pipelined. A pooled client carries one execution at a time, so each point query
 * costs one write and one read on each side of the link, and one wake-up of each process.
 * On a link the executions of one event-loop turn are written together at the end of the
 * turn, the node reads them at once and answers them together:
 *
 *     turn:  session 1  B tessera_fp_3 ('17') E S     \
 *            session 2  B tessera_fp_3 ('4242') E S    >  one write
 *            session 5  P tessera_fp_9 … B … E S      /
 *     node:  2 D C Z | 2 D C Z | 1 2 D C Z               one read, one write
 *
 * Every execution ends with its own Sync, so the node answers each with exactly one
 * ReadyForQuery, and an error skips only the failing execution's messages: answers are
 * matched to executions in order. (One Sync per batch would save the node a commit per
 * execution, but the batch would then be one transaction holding each shard's lock until
 * its end, and could deadlock with DDL locking the same shards in another order.)
 *
 * A statement name is bound without its Parse only once the node confirmed that Parse
 * (ParseComplete); until then the execution parses the unnamed statement, so a failed Parse
 * never leaves later executions naming a missing statement.
 *
 * A slow execution would hold back those behind it, so a link takes work only while its
 * oldest unanswered execution is younger than `headSlowMs`, and callers send only statements
 * with a record of quick runs (`NodeStatement.quick`). A cancelled execution settles at once
 * and its late answer is dropped. When the socket fails, every unanswered execution fails
 * with the link's error (class 08 for the caller, as a broken pooled client).
 *
 * The link is opened as an ordinary `pg` client (startup, authentication); then it reads the
 * socket itself: the answers it expects are few and simple, and `pg`'s query queue runs one
 * query at a time.
 */
import pg from "pg";
import {
  encodeExecutionInto, executionBytesMax, tagCount, type BoundResult, type NodeStatement,
} from "./bound-statement.js";

/** The oldest unanswered execution must be younger than this for a link to take more. */
const headSlowMs = 20;
/** Prepared statements one link keeps on its node; later texts run unnamed. */
const statementsPerLinkMax = 256;

/** The first buffer of a turn's messages: room for a few point queries. */
const outgoingBytesFirst = 256;
const noBytes = Buffer.alloc(0);

/** Receives one execution's outcome, once (unless abandoned first). */
export interface LinkReceiver {
  settle(error: Error | null, result?: BoundResult): void;
}

/** One execution on the link, in the order it was written. */
interface Pending {
  readonly receiver: LinkReceiver;
  readonly sentAt: number;
  /** The statement name whose Parse this execution carries, if any. */
  readonly parsing: string | undefined;
  rows: (string | null)[][];
  commandTag: string;
  error: Error | null;
  abandoned: boolean;
}

/** The parts of `pg`'s client used here (its typings leave the connection's stream out). */
interface LinkClient {
  readonly connection: { readonly stream: import("node:net").Socket };
  end(): Promise<void>;
}

export class PipelinedLink {
  private readonly socket: import("node:net").Socket;
  /** Written, not yet answered; the head is what the node works on. */
  private readonly pending: Pending[] = [];
  private head = 0;
  /**
   * Messages of this turn, written at its end: each execution is encoded straight into one
   * buffer of the turn (`outgoingBytes` of it used), made anew after each write.
   */
  private outgoing: Buffer = noBytes;
  private outgoingBytes = 0;
  private flushScheduled = false;
  /** Names the node has parsed on this link, and names whose Parse is on its way. */
  private readonly parsed = new Set<string>();
  private readonly parsing = new Set<string>();
  /** The start of an incomplete message, in pieces, and the bytes it needs in all. */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private partialNeeds = 0;
  private closed = false;
  /** performance.now() of the last answer or write: an idle link is retired. */
  lastActivity = performance.now();

  constructor(private readonly client: pg.Client, private readonly onClose: () => void) {
    const socket = (client as unknown as LinkClient).connection.stream;
    this.socket = socket;
    // The link reads the socket itself from now on.
    socket.removeAllListeners("data");
    socket.on("data", (chunk: Buffer) => this.received(chunk));
    socket.on("close", () => this.fail(new Error("the connection to the node was closed")));
    socket.on("error", (error: Error) => this.fail(error));
    client.on("error", () => undefined);
  }

  /** Unanswered executions. */
  get depth(): number {
    return this.pending.length - this.head;
  }

  /** Whether the link takes an execution now (open, and nothing unanswered for long). */
  accepts(now: number): boolean {
    if (this.closed) return false;
    const oldest = this.pending[this.head];
    return oldest === undefined || now - oldest.sentAt < headSlowMs;
  }

  /** Whether the link saw no traffic for `ms` (nothing unanswered either). */
  idleLongerThan(ms: number, now: number): boolean {
    return this.depth === 0 && now - this.lastActivity > ms;
  }

  /** Queues one execution; its messages go out at the end of the turn. */
  execute(statement: NodeStatement, values: readonly (string | null)[],
    receiver: LinkReceiver, now: number): void {
    const name = statement.name;
    let run = statement;
    let parse = false;
    let parsing: string | undefined;
    if (name === "") {
      parse = true;
    } else if (!this.parsed.has(name)) {
      if (this.parsing.has(name) || this.parsed.size + this.parsing.size >=
        statementsPerLinkMax) {
        run = statement.unnamed();
      } else {
        this.parsing.add(name);
        parsing = name;
      }
      parse = true;
    }
    const room = executionBytesMax(run, values, parse);
    if (this.outgoingBytes + room > this.outgoing.length) this.growOutgoing(room);
    this.outgoingBytes = encodeExecutionInto(this.outgoing, this.outgoingBytes, run, values,
      parse);
    this.pending.push({ receiver, sentAt: now, parsing, rows: [], commandTag: "", error: null,
      abandoned: false });
    this.lastActivity = now;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * Drops a cancelled execution's answer when it comes. The link keeps serving the others;
   * when nothing but abandoned executions is left unanswered, it is closed instead, as a
   * pooled client is dropped on a cancel.
   */
  abandon(receiver: LinkReceiver): void {
    let live = 0;
    for (let i = this.head; i < this.pending.length; i++) {
      const entry = this.pending[i]!;
      if (entry.receiver === receiver) entry.abandoned = true;
      else if (!entry.abandoned) live++;
    }
    if (live === 0) this.close();
  }

  /** Closes the link; unanswered executions fail. */
  close(): void {
    this.fail(new Error("the connection to the node was closed"));
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.closed || this.outgoingBytes === 0) return;
    const bytes = this.outgoing.subarray(0, this.outgoingBytes);
    this.outgoing = noBytes;
    this.outgoingBytes = 0;
    this.socket.write(bytes);
  }

  /** Makes room for `more` bytes after those of this turn so far. */
  private growOutgoing(more: number): void {
    const size = Math.max(outgoingBytesFirst, (this.outgoingBytes + more) * 2);
    const grown = Buffer.allocUnsafe(size);
    this.outgoing.copy(grown, 0, 0, this.outgoingBytes);
    this.outgoing = grown;
  }

  private received(chunk: Buffer): void {
    try {
      this.read(chunk);
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private read(chunk: Buffer): void {
    this.lastActivity = performance.now();
    let data = chunk;
    if (this.partial.length > 0) {
      // A long message arrives in many chunks: join them once, when it is all there.
      this.partial.push(chunk);
      this.partialBytes += chunk.length;
      if (this.partialBytes < this.partialNeeds) return;
      data = Buffer.concat(this.partial, this.partialBytes);
      this.partial = [];
    }
    let at = 0;
    while (data.length - at >= 5) {
      const length = data.readInt32BE(at + 1);
      if (length < 4) {
        this.fail(new Error(`the node sent a message of length ${length}`));
        return;
      }
      const end = at + 1 + length;
      if (end > data.length) break;
      this.message(data[at]!, data, at + 5, end);
      if (this.closed) return;
      at = end;
    }
    if (at < data.length) {
      const rest = data.subarray(at);
      this.partial = [rest];
      this.partialBytes = rest.length;
      this.partialNeeds = rest.length >= 5 ? 1 + rest.readInt32BE(1) : 5;
    }
  }

  /** One backend message, its body in `data[start, end)`. */
  private message(code: number, data: Buffer, start: number, end: number): void {
    const entry = this.pending[this.head];
    switch (code) {
      case 0x44: // 'D' DataRow
        if (entry !== undefined && !entry.abandoned) entry.rows.push(dataRow(data, start, end));
        return;
      case 0x43: // 'C' CommandComplete
        if (entry !== undefined) entry.commandTag = data.toString("utf8", start, end - 1);
        return;
      case 0x31: // '1' ParseComplete
        if (entry?.parsing !== undefined) {
          this.parsing.delete(entry.parsing);
          this.parsed.add(entry.parsing);
        }
        return;
      case 0x45: // 'E' ErrorResponse
        if (entry === undefined) this.fail(errorOf(data, start, end));
        else if (entry.error === null) entry.error = errorOf(data, start, end);
        return;
      case 0x5a: // 'Z' ReadyForQuery
        this.answered();
        return;
      case 0x32: // '2' BindComplete
      case 0x4e: // 'N' NoticeResponse
      case 0x53: // 'S' ParameterStatus
      case 0x41: // 'A' NotificationResponse
      case 0x49: // 'I' EmptyQueryResponse
      case 0x73: // 's' PortalSuspended
        return;
      default:
        this.fail(new Error(`unexpected message '${String.fromCharCode(code)}' from the node`));
    }
  }

  /** The head execution is answered: settle it and move on. */
  private answered(): void {
    const entry = this.pending[this.head];
    if (entry === undefined) {
      this.fail(new Error("the node answered more executions than it was sent"));
      return;
    }
    this.pending[this.head] = undefined as unknown as Pending;
    this.head++;
    if (this.head === this.pending.length) {
      this.pending.length = 0;
      this.head = 0;
    } else if (this.head >= 1024) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
    // A Parse still unconfirmed here failed: the name stands for nothing on the node.
    if (entry.parsing !== undefined) this.parsing.delete(entry.parsing);
    if (entry.abandoned) return;
    if (entry.error !== null) {
      entry.receiver.settle(entry.error);
      return;
    }
    const tag = entry.commandTag;
    entry.receiver.settle(null, { rows: entry.rows, commandTag: tag,
      rowCount: tagCount(tag, entry.rows.length) });
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    const waiting = this.pending.slice(this.head);
    this.pending.length = 0;
    this.head = 0;
    this.outgoing = noBytes;
    this.outgoingBytes = 0;
    this.socket.destroy();
    void this.client.end().catch(() => undefined);
    for (const entry of waiting) if (!entry.abandoned) entry.receiver.settle(error);
  }
}

/** A DataRow's fields as text (null for SQL NULL). */
function dataRow(data: Buffer, start: number, end: number): (string | null)[] {
  const count = data.readInt16BE(start);
  const fields = new Array<string | null>(count);
  let at = start + 2;
  for (let i = 0; i < count; i++) {
    const length = data.readInt32BE(at);
    at += 4;
    if (length < 0) {
      fields[i] = null;
      continue;
    }
    if (at + length > end) throw new Error("a DataRow field runs past its message");
    fields[i] = data.toString("utf8", at, at + length);
    at += length;
  }
  return fields;
}

/** An ErrorResponse as the `pg.DatabaseError` the pool translates (`remoteError`). */
function errorOf(data: Buffer, start: number, end: number): pg.DatabaseError {
  const fields = new Map<string, string>();
  let at = start;
  while (at < end && data[at] !== 0) {
    const code = String.fromCharCode(data[at]!);
    const stop = data.indexOf(0, at + 1);
    if (stop < 0 || stop >= end) break;
    fields.set(code, data.toString("utf8", at + 1, stop));
    at = stop + 1;
  }
  const error = new pg.DatabaseError(fields.get("M") ?? "", end - start + 4, "error");
  const mutable = error as unknown as Record<string, string | undefined>;
  mutable["severity"] = fields.get("S");
  mutable["code"] = fields.get("C");
  mutable["detail"] = fields.get("D");
  mutable["hint"] = fields.get("H");
  mutable["where"] = fields.get("W");
  mutable["position"] = fields.get("P");
  return error;
}
