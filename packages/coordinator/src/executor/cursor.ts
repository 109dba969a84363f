/**
 * Cursors over distributed work: the first fetch runs the statement (tasks, combine) and
 * keeps its rows; later fetches hand them out `maxRows` at a time, then the command tag.
 */
import type {
  ColumnInfo, Cursor, FetchResult, PreparedStatement, StatementContext,
} from "@tessera/engine";
import type { Row, Value } from "@tessera/sql";

export interface StatementResult {
  readonly rows: Row[];
  readonly commandTag: string;
}

export type RunStatement = (params: readonly Value[], ctx: StatementContext) =>
  Promise<StatementResult>;

/** Wraps a run function as a PreparedStatement. */
export function preparedStatement(columns: readonly ColumnInfo[] | null,
  paramTypes: readonly number[], run: RunStatement): PreparedStatement {
  return { paramTypes, columns, open: (params, ctx) => bufferedCursor(() => run(params, ctx)) };
}

/** A cursor whose first fetch runs `run` and whose fetches page through its rows. */
export function bufferedCursor(run: () => Promise<StatementResult>): Cursor {
  let result: StatementResult | undefined;
  let at = 0;
  let closed = false;
  return {
    async fetch(maxRows: number): Promise<FetchResult> {
      if (closed) return { rows: [] };
      result ??= await run();
      const count = result.rows.length;
      const end = maxRows === 0 ? count : Math.min(count, at + maxRows);
      // The usual single fetch of everything hands the rows over as they are.
      const rows = at === 0 && end === count ? result.rows : result.rows.slice(at, end);
      at = end;
      if (at < result.rows.length) return { rows };
      closed = true;
      return { rows, commandTag: result.commandTag };
    },
    close(): void {
      closed = true;
    },
  };
}

/** A cursor that awaits `before` (remote prefetches) and then runs the inner statement. */
export function cursorAfter(before: () => Promise<void>, open: () => Cursor): Cursor {
  let inner: Cursor | undefined;
  let closed = false;
  return {
    async fetch(maxRows: number): Promise<FetchResult> {
      if (inner === undefined) {
        await before();
        if (closed) return { rows: [] };
        inner = open();
      }
      return inner.fetch(maxRows);
    },
    close(): void {
      closed = true;
      inner?.close();
    },
  };
}
