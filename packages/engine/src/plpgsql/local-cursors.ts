/**
 * Cursors of one call, for a host without a session (`PlHost.cursors` absent): OPEN, FETCH
 * and CLOSE work within the call, and nothing outlives it.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { CursorFetch, FetchDirection, NamedColumn, OpenedRows, SessionCursors }
  from "../api.js";
import { CursorRows } from "../session/cursor-rows.js";

interface LocalCursor {
  readonly rows: CursorRows;
  readonly columns: readonly NamedColumn[];
  readonly serial: number;
}

let unnamedCount = 0;

export class LocalCursors implements SessionCursors {
  private readonly cursors = new Map<string, LocalCursor>();
  private serial = 0;

  unnamedName(): string {
    return `<unnamed portal ${++unnamedCount}>`;
  }

  has(name: string): boolean {
    return this.cursors.has(name);
  }

  openRows(name: string, opened: OpenedRows): void {
    if (this.cursors.has(name)) {
      throw new SqlError(SqlState.duplicateCursor, `cursor "${name}" already in use`);
    }
    this.cursors.set(name, { rows: CursorRows.ofRows(opened.rows, opened.scroll),
      columns: opened.columns, serial: ++this.serial });
  }

  fetch(name: string, direction: FetchDirection, count: number, move: boolean): CursorFetch {
    const cursor = this.find(name);
    const fetched = cursor.rows.run(direction, count, move);
    if (fetched instanceof Promise) {
      // Its rows are in memory: a fetch never waits.
      throw new SqlError(SqlState.internalError, `cursor "${name}" of a call waited`);
    }
    return { ...fetched, columns: cursor.columns };
  }

  close(name: string): void {
    this.find(name);
    this.cursors.delete(name);
  }

  mark(): number {
    return this.serial;
  }

  rollbackTo(mark: number): void {
    for (const [name, cursor] of [...this.cursors]) {
      if (cursor.serial > mark) this.cursors.delete(name);
    }
  }

  transactionEnded(): void {
    this.cursors.clear();
  }

  private find(name: string): LocalCursor {
    const cursor = this.cursors.get(name);
    if (cursor === undefined) {
      throw new SqlError(SqlState.invalidCursorName, `cursor "${name}" does not exist`);
    }
    return cursor;
  }
}
