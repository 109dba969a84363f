/**
 * A task's rows read in batches, so the coordinator holds a few thousand of them at a time
 * instead of the whole result: the query runs in the node's unnamed portal, and each batch is
 * one Execute with a row limit followed by Flush (no Sync, so the portal stays open):
 *
 *     P "" <sql>   B "" ""   E "" 1000   H      ->  1000 × DataRow, PortalSuspended
 *     (next batch asked for)  E "" 1000   H      ->  420 × DataRow, CommandComplete
 *     S                                          ->  ReadyForQuery: the client goes back
 *
 * The stream asks for the next batch only when its reader wants it, which is how a slow
 * client holds the node back instead of filling the coordinator. Closing early sends Sync,
 * which ends the portal; an ErrorResponse makes the node skip to that Sync, so the stream sends
 * it at once. It is a `pg` Submittable: the client runs nothing else on the connection until
 * ReadyForQuery.
 */
import type pg from "pg";

/** One batch: the rows, and whether the portal has ended after them. */
export interface PortalBatch {
  readonly rows: (string | null)[][];
  readonly done: boolean;
  /** The CommandComplete text when `done`. */
  readonly commandTag?: string;
}

/** The parts of `pg`'s Connection this file uses (its typings leave them out). */
interface PortalConnection {
  parse(query: { text: string; name: string; types: number[] }): void;
  bind(config: { portal: string; statement: string; values: (string | null)[] }): void;
  execute(config: { portal: string; rows: number }): void;
  flush(): void;
  sync(): void;
}

export class PortalStream {
  /** Read by `pg`'s client queue. */
  readonly text: string;
  private connection: PortalConnection | undefined;
  private rows: (string | null)[][] = [];
  private waiting: { resolve: (batch: PortalBatch) => void; reject: (e: Error) => void }
    | undefined;
  private ready: PortalBatch | undefined;
  private failure: Error | undefined;
  private synced = false;
  private finished = false;
  private commandTag = "";

  /** `onEnd` hears once when the connection is free again (or broken, with the error). */
  constructor(sql: string, private readonly params: readonly (string | null)[],
    private readonly batchRows: number,
    private readonly onEnd: (error: Error | null, broken: boolean) => void) {
    this.text = sql;
  }

  /** The next batch; rejects with the node's error. Call again only after it settled. */
  next(): Promise<PortalBatch> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const ready = this.ready;
    if (ready !== undefined) {
      this.ready = undefined;
      if (!ready.done) this.requestBatch();
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  /** Ends the portal early: the rows still coming are dropped. */
  close(): void {
    this.ready = undefined;
    this.finished = true;
    this.sync();
  }

  submit(connection: pg.Connection): Error | null {
    const wire = connection as unknown as PortalConnection;
    this.connection = wire;
    if (this.finished) {
      // Closed while it waited in the client's queue: only free the connection again.
      this.sync();
      return null;
    }
    wire.parse({ text: this.text, name: "", types: [] });
    wire.bind({ portal: "", statement: "", values: [...this.params] });
    wire.execute({ portal: "", rows: this.batchRows });
    wire.flush();
    return null;
  }

  handleRowDescription(): void {}

  handleDataRow(message: { readonly fields: (string | null)[] }): void {
    if (!this.finished) this.rows.push(message.fields);
  }

  handlePortalSuspended(): void {
    this.deliver({ rows: this.takeRows(), done: false });
  }

  handleCommandComplete(message: { readonly text: string }): void {
    this.commandTag = message.text;
    this.deliver({ rows: this.takeRows(), done: true, commandTag: message.text });
    this.sync();
  }

  handleEmptyQuery(): void {
    this.deliver({ rows: [], done: true, commandTag: "" });
    this.sync();
  }

  handleCopyInResponse(): void {
    this.fail(new Error("a streamed task started a COPY"));
  }

  handleCopyData(): void {}

  handleError(error: Error): void {
    this.fail(error);
    this.sync();
    // `pg` hands the ReadyForQuery after an error to no query: the connection is free once
    // it arrives, and its queue holds anything else until then.
    this.onEnd(error, false);
  }

  handleReadyForQuery(): void {
    if (this.failure === undefined && !this.finished) {
      this.deliver({ rows: this.takeRows(), done: true, commandTag: this.commandTag });
    }
    this.onEnd(null, false);
  }

  /** The link broke (from the pool's side): the reader hears of it. */
  abort(error: Error): void {
    this.fail(error);
    this.onEnd(error, true);
  }

  private takeRows(): (string | null)[][] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  private requestBatch(): void {
    if (this.finished || this.connection === undefined) return;
    this.connection.execute({ portal: "", rows: this.batchRows });
    this.connection.flush();
  }

  private deliver(batch: PortalBatch): void {
    if (this.finished && !batch.done) return;
    if (batch.done) this.finished = true;
    const waiting = this.waiting;
    if (waiting === undefined) {
      this.ready = batch;
      return;
    }
    this.waiting = undefined;
    waiting.resolve(batch);
    if (!batch.done) this.requestBatch();
  }

  private fail(error: Error): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.finished = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }

  private sync(): void {
    if (this.synced || this.connection === undefined) return;
    this.synced = true;
    this.connection.sync();
  }
}
