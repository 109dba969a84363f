/**
 * One execution of a prepared statement over a `pg` client, leaner than `pg`'s own Query:
 * the messages are encoded here into one buffer and written with one call (Parse the first
 * time the connection sees a named statement, then Bind with text parameters, Execute and
 * Sync); no Describe, so no RowDescription comes back, and each DataRow's text fields are
 * kept as they arrive. It is a `pg` Submittable: the client queues it like any query and
 * hands it the backend's messages.
 *
 *     NodeStatement("tessera_fp_3", "SELECT … WHERE aid = $1::integer")   made once
 *     first run on a connection:  P tessera_fp_3 <text>  B "" tessera_fp_3 ('42')  E  S
 *     later runs:                 B "" tessera_fp_3 ('42')  E  S
 *
 * The unnamed statement ("") is parsed on every run. `pg` keeps, per connection, the names
 * it saw parsed (`parsedStatements`, on ParseComplete) or sent (`submittedNamedStatements`,
 * dropped again when the run fails), and this file keeps those maps as `pg`'s Query does.
 *
 * The statement's columns are the caller's to know (the fast path planned them), so the
 * result has no field list; rows are checked against the expected width by the caller.
 */
import type pg from "pg";

export interface BoundResult {
  readonly rows: (string | null)[][];
  /** The CommandComplete text: "SELECT 3". */
  readonly commandTag: string;
  readonly rowCount: number;
}

/** A run this fast counts as quick. */
const quickRunMs = 50;
/** Quick runs in a row before a statement goes on a shared link. */
const quickRunsForLink = 8;

/** A statement the nodes keep prepared under a name (or the unnamed one), with its bytes. */
export class NodeStatement {
  /** The name, NUL-terminated, as Bind names the statement. */
  readonly nameBytes: Buffer;
  /** The whole Parse message. */
  readonly parseMessage: Buffer;
  private unnamedTwin: NodeStatement | undefined;
  /** Runs in a row that took less than `quickRunMs` (a slow one starts the count again). */
  private quickRuns = 0;

  constructor(readonly name: string, readonly text: string) {
    this.nameBytes = Buffer.from(`${name}\0`, "utf8");
    const textLength = Buffer.byteLength(text, "utf8");
    const length = 4 + this.nameBytes.length + textLength + 1 + 2;
    const parse = Buffer.alloc(1 + length);
    parse[0] = 0x50; // 'P'
    parse.writeInt32BE(length, 1);
    let at = 5 + this.nameBytes.copy(parse, 5);
    at += parse.write(text, at, "utf8");
    parse[at] = 0;
    parse.writeInt16BE(0, at + 1); // no parameter types: the text casts its parameters
    this.parseMessage = parse;
  }

  /**
   * Whether the statement has a record of quick runs: only such a statement is sent on a
   * link shared with other sessions (`pipelined-link.ts`), where a slow one holds back the
   * others.
   */
  get quick(): boolean {
    return this.quickRuns >= quickRunsForLink;
  }

  /** Records one run's time, from its start to its answer. */
  ran(ms: number): void {
    this.quickRuns = ms < quickRunMs ? this.quickRuns + 1 : 0;
  }

  /** The same text as the unnamed statement (a connection that keeps enough names). */
  unnamed(): NodeStatement {
    if (this.name === "") return this;
    return this.unnamedTwin ??= new NodeStatement("", this.text);
  }
}

/** Execute of the unnamed portal, all rows ('E', length 9, "", 0), then Sync ('S', 4). */
const executeAndSync = Buffer.from([0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0x53, 0, 0, 0, 4]);

/**
 * Bind (text parameters, text results), Execute and Sync of `statement`, preceded by its
 * Parse when `parse` is set, in one buffer.
 */
export function encodeExecution(statement: NodeStatement, values: readonly (string | null)[],
  parse: boolean): Buffer {
  const buffer = Buffer.allocUnsafe(executionBytesMax(statement, values, parse));
  return buffer.subarray(0, encodeExecutionInto(buffer, 0, statement, values, parse));
}

/** The most bytes `encodeExecutionInto` writes for this execution. */
export function executionBytesMax(statement: NodeStatement, values: readonly (string | null)[],
  parse: boolean): number {
  const head = parse ? statement.parseMessage.length : 0;
  // Upper bound: UTF-16 code units take at most 3 bytes each in UTF-8.
  let size = head + 1 + 4 + 1 + statement.nameBytes.length + 2 + 2 + 2 + executeAndSync.length;
  for (const value of values) size += 4 + (value === null ? 0 : value.length * 3);
  return size;
}

/**
 * Writes the execution's messages (`encodeExecution`) into `buffer` from `start`, which has
 * room for `executionBytesMax` bytes; returns where they end.
 */
export function encodeExecutionInto(buffer: Buffer, start: number, statement: NodeStatement,
  values: readonly (string | null)[], parse: boolean): number {
  // Small pieces are copied with TypedArray.set, cheaper than Buffer.copy's native call.
  let head = start;
  if (parse) {
    buffer.set(statement.parseMessage, start);
    head += statement.parseMessage.length;
  }
  buffer[head] = 0x42; // 'B'
  buffer[head + 5] = 0; // the unnamed portal
  buffer.set(statement.nameBytes, head + 6);
  let at = head + 6 + statement.nameBytes.length;
  at = buffer.writeInt16BE(0, at); // parameter formats: all text
  at = buffer.writeInt16BE(values.length, at);
  for (const value of values) {
    if (value === null) {
      at = buffer.writeInt32BE(-1, at);
      continue;
    }
    const written = writeText(buffer, value, at + 4);
    buffer.writeInt32BE(written, at);
    at += 4 + written;
  }
  at = buffer.writeInt16BE(0, at); // result formats: all text
  buffer.writeInt32BE(at - head - 1, head + 1);
  buffer.set(executeAndSync, at);
  return at + executeAndSync.length;
}

/** Longest text written byte by byte when it is ASCII (a key's digits, mostly). */
const asciiWriteMax = 32;

/** Writes `text` as UTF-8 at `at`; returns the bytes written. */
function writeText(buffer: Buffer, text: string, at: number): number {
  const length = text.length;
  if (length <= asciiWriteMax) {
    let i = 0;
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) break;
      buffer[at + i] = code;
    }
    if (i === length) return length;
  }
  return buffer.write(text, at, "utf8");
}

/** The parts of `pg`'s Connection this file uses (its typings leave the maps out). */
interface WireConnection {
  readonly stream: { write(data: Uint8Array): boolean };
  readonly parsedStatements: Record<string, string | undefined>;
  readonly submittedNamedStatements: Record<string, string | undefined>;
  sendCopyFail(message: string): void;
}

/** Receives the outcome of one execution, once. */
export interface BoundReceiver {
  settle(error: Error | null, result?: BoundResult): void;
}

/** One execution, as a `pg` Submittable (`client.query(execution)`). */
export class BoundExecution {
  /** Read by `pg` to keep its per-connection maps of named statements. */
  readonly name: string;
  readonly text: string;
  private readonly rows: (string | null)[][] = [];
  private commandTag = "";
  private failed = false;

  constructor(private readonly statement: NodeStatement,
    private readonly values: readonly (string | null)[], private readonly done: BoundReceiver) {
    this.name = statement.name;
    this.text = statement.text;
  }

  submit(connection: pg.Connection): Error | null {
    const wire = connection as unknown as WireConnection;
    const name = this.name;
    const known = name === "" ? undefined
      : wire.parsedStatements[name] ?? wire.submittedNamedStatements[name];
    if (known !== undefined && known !== this.text) {
      return new Error(`prepared statement "${name}" stands for another text`);
    }
    const parse = known === undefined;
    if (parse && name !== "") wire.submittedNamedStatements[name] = this.text;
    wire.stream.write(encodeExecution(this.statement, this.values, parse));
    return null;
  }

  handleRowDescription(): void {}

  handleDataRow(message: { readonly fields: (string | null)[] }): void {
    this.rows.push(message.fields);
  }

  handleCommandComplete(message: { readonly text: string }): void {
    this.commandTag = message.text;
  }

  handleEmptyQuery(): void {}

  handlePortalSuspended(): void {}

  handleCopyInResponse(connection: pg.Connection): void {
    (connection as unknown as WireConnection).sendCopyFail("no COPY data here");
  }

  handleCopyData(): void {}

  handleError(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.done.settle(error);
  }

  handleReadyForQuery(): void {
    if (this.failed) return;
    this.done.settle(null, { rows: this.rows, commandTag: this.commandTag,
      rowCount: tagCount(this.commandTag, this.rows.length) });
  }
}

/** The row count at the end of a command tag ("SELECT 3"), else `fallback`. */
export function tagCount(tag: string, fallback: number): number {
  const space = tag.lastIndexOf(" ");
  if (space < 0 || space === tag.length - 1) return fallback;
  const count = Number(tag.slice(space + 1));
  return Number.isInteger(count) && count >= 0 ? count : fallback;
}
