/**
 * COPY … FROM STDIN over a `pg` client, for the coordinator's COPY into shards: the command
 * goes out as a simple Query; at the node's CopyInResponse the prepared bytes (whole lines of
 * COPY text, already in the node's format) follow as CopyData messages and a CopyDone. It is
 * a `pg` Submittable, queued by the client like any query, so it fits a connection that also
 * runs BEGIN, PREPARE TRANSACTION and COMMIT. The result is the node's "COPY n".
 *
 * A node that fails the COPY answers ErrorResponse (then ReadyForQuery) even while data is
 * still on its way; `pg` hands us the error, and the node ignores the rest of the data.
 */
import type pg from "pg";

export interface CopyInResult {
  /** The CommandComplete text: "COPY 3". */
  readonly commandTag: string;
  readonly rowCount: number;
}

/** The parts of `pg`'s Connection this file uses. */
interface WireConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Uint8Array): void;
  endCopyFrom(): void;
}

/** CopyData messages stay below this size; larger chunks are cut. */
const messageBytesMax = 1 << 20;

type Callback = (error: Error | null, result?: CopyInResult) => void;

class CopyInExecution {
  private commandTag = "";
  private failed = false;

  constructor(readonly text: string, private readonly data: readonly Uint8Array[],
    private readonly done: Callback) {}

  submit(connection: pg.Connection): Error | null {
    (connection as unknown as WireConnection).query(this.text);
    return null;
  }

  handleCopyInResponse(connection: pg.Connection): void {
    const wire = connection as unknown as WireConnection;
    for (const chunk of this.data) {
      for (let at = 0; at < chunk.length; at += messageBytesMax) {
        wire.sendCopyFromChunk(chunk.subarray(at, at + messageBytesMax));
      }
    }
    wire.endCopyFrom();
  }

  handleRowDescription(): void {}

  handleDataRow(): void {}

  handleCommandComplete(message: { readonly text: string }): void {
    this.commandTag = message.text;
  }

  handleEmptyQuery(): void {}

  handlePortalSuspended(): void {}

  handleCopyData(): void {}

  handleError(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.done(error);
  }

  handleReadyForQuery(): void {
    if (this.failed) return;
    const count = /(\d+)$/.exec(this.commandTag);
    const rowCount = count === null ? 0 : Number(count[1]);
    this.done(null, { commandTag: this.commandTag, rowCount });
  }
}

/** Runs `COPY … FROM STDIN` (`text`) on a client with `data` as its input. */
export function runCopyIn(client: pg.Client, text: string, data: readonly Uint8Array[]):
  Promise<CopyInResult> {
  return new Promise((resolve, reject) => {
    const execution = new CopyInExecution(text, data, (error, result) => {
      if (error !== null) reject(error);
      else resolve(result!);
    });
    client.query(execution);
  });
}
