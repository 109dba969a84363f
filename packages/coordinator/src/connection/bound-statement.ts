/**
 * One execution of a named prepared statement over a `pg` client, leaner than `pg`'s own
 * Query: Parse the first time the connection sees the name, then Bind (text parameters),
 * Execute and Sync in one write; no Describe, so no RowDescription comes back, and each
 * DataRow's text fields are kept as they arrive. It is a `pg` Submittable: the client queues
 * it like any query and hands it the backend's messages.
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

/** The parts of `pg`'s Connection this file uses (its typings leave the maps out). */
interface WireConnection {
  readonly stream: { cork?: () => void; uncork?: () => void };
  readonly parsedStatements: Record<string, string | undefined>;
  readonly submittedNamedStatements: Record<string, string | undefined>;
  parse(query: { name: string; text: string; types: readonly number[] }): void;
  bind(config: { statement: string; values: readonly (string | null)[] }): void;
  execute(config: { portal: string; rows: number }): void;
  sync(): void;
  sendCopyFail(message: string): void;
}

type Callback = (error: Error | null, result?: BoundResult) => void;

class BoundExecution {
  private readonly rows: (string | null)[][] = [];
  private commandTag = "";
  private failed = false;

  constructor(readonly name: string, readonly text: string,
    private readonly values: readonly (string | null)[], private readonly done: Callback) {}

  submit(connection: pg.Connection): Error | null {
    const wire = connection as unknown as WireConnection;
    wire.stream.cork?.();
    try {
      const known = wire.parsedStatements[this.name] ?? wire.submittedNamedStatements[this.name];
      if (known !== undefined && known !== this.text) {
        return new Error(`prepared statement "${this.name}" stands for another text`);
      }
      if (known === undefined) {
        wire.parse({ name: this.name, text: this.text, types: [] });
        wire.submittedNamedStatements[this.name] = this.text;
      }
      wire.bind({ statement: this.name, values: this.values });
      wire.execute({ portal: "", rows: 0 });
      wire.sync();
      return null;
    } finally {
      wire.stream.uncork?.();
    }
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
    this.done(error);
  }

  handleReadyForQuery(): void {
    if (this.failed) return;
    const count = /(\d+)$/.exec(this.commandTag);
    const rowCount = count === null ? this.rows.length : Number(count[1]);
    this.done(null, { rows: this.rows, commandTag: this.commandTag, rowCount });
  }
}

/** Runs the statement `name` (whose text is `text`) with text parameters on a client. */
export function runBound(client: pg.Client, name: string, text: string,
  values: readonly (string | null)[]): Promise<BoundResult> {
  return new Promise((resolve, reject) => {
    const execution = new BoundExecution(name, text, values, (error, result) => {
      if (error !== null) reject(error);
      else resolve(result!);
    });
    client.query(execution);
  });
}
