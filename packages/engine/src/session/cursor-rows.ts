/**
 * The rows of one SQL cursor and its position, after Postgres's portal fetch logic
 * (DoPortalRunFetch in tcop/pquery.c). Position 0 is before the first row, k is on row k
 * (1-based), and once the end was passed the cursor sits after the last row.
 *
 * Rows come lazily from the engine's forward-only `Cursor`. A SCROLL cursor keeps every row
 * it read, so it can move backward; a NO SCROLL cursor keeps only the current row and
 * refuses to move backward with 55000 — FETCH 0 on a row included, as in Postgres. A
 * default cursor is SCROLL when Postgres's plan would run backward (cursor-scrollability.ts).
 * `materialize` reads the rest into memory and releases the engine cursor, for WITH HOLD
 * cursors when their transaction commits; a cursor PL/pgSQL opened starts with its rows read
 * (`ofRows`).
 *
 * The moves are generators that yield only the engine cursor's fetches (`plpgsql/drive.ts`):
 * a FETCH that needs no new rows answers at once, so PL/pgSQL, which runs synchronously
 * inside a statement, can read a cursor whose rows are in memory.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Row } from "@tessera/sql";
import type { Cursor, FetchDirection, FetchedRows, FetchResult } from "../api.js";
import { runAsync, runMaybe, type Step } from "../plpgsql/drive.js";
import type { Maybe } from "../plpgsql/host.js";

export type { FetchDirection };

/** Rows read from the engine per round while skipping or materializing. */
const chunkRows = 1_000;

export class CursorRows {
  /** Rows at absolute positions offset+1 … offset+rows.length. */
  private rows: Row[] = [];
  private offset = 0;
  private pos = 0;

  /**
   * `keepRows` bounds how far back a scrollable cursor keeps rows: a default cursor that
   * Postgres would scroll keeps a window (it may stream a whole table), SCROLL keeps all.
   */
  constructor(private source: Cursor | undefined, readonly scroll: boolean,
    private readonly keepRows = Infinity) {}

  /** A cursor over `rows`, already read (a PL/pgSQL OPEN ran its query). */
  static ofRows(rows: readonly Row[], scroll: boolean): CursorRows {
    const cursor = new CursorRows(undefined, scroll);
    cursor.rows = [...rows];
    return cursor;
  }

  /** True once every row is in memory and the engine cursor is released. */
  get materialized(): boolean {
    return this.source === undefined;
  }

  /**
   * Runs FETCH or MOVE; returns the rows (empty for MOVE) and the count for the tag, at once
   * when no rows must be read from the engine.
   */
  run(direction: FetchDirection, howMany: number, move: boolean): Maybe<FetchedRows> {
    return runMaybe(this.steps(direction, howMany, move));
  }

  private *steps(direction: FetchDirection, howMany: number, move: boolean): Step<FetchedRows> {
    switch (direction) {
      case "FETCH_FORWARD":
        if (howMany < 0) return yield* this.backward(-howMany, move);
        if (howMany === 0) return yield* this.relative(0, move);
        return yield* this.forward(howMany, move);
      case "FETCH_BACKWARD":
        if (howMany < 0) return yield* this.forward(-howMany, move);
        if (howMany === 0) return yield* this.relative(0, move);
        return yield* this.backward(howMany, move);
      case "FETCH_ABSOLUTE":
        return yield* this.absolute(howMany, move);
      case "FETCH_RELATIVE":
        return yield* this.relative(howMany, move);
    }
  }

  /** The row the cursor is on (for WHERE CURRENT OF); undefined before or after the rows. */
  currentRow(): Row | undefined {
    if (this.pos < 1 || this.pos > this.loadedEnd) return undefined;
    return this.rows[this.pos - 1 - this.offset];
  }

  /** Reads what remains into memory and closes the engine cursor. */
  async materialize(): Promise<void> {
    await runAsync(this.load(Infinity));
    this.close();
  }

  close(): void {
    this.source?.close();
    this.source = undefined;
  }

  private *forward(count: number, move: boolean): Step<FetchedRows> {
    const out: Row[] = [];
    let moved = 0;
    while (moved < count) {
      const want = Math.min(count - moved, chunkRows);
      yield* this.load(this.pos + want);
      const available = Math.min(this.pos + want, this.loadedEnd) - this.pos;
      if (!move) out.push(...this.slice(this.pos + 1, this.pos + available));
      moved += Math.max(available, 0);
      if (available < want) {
        this.pos = this.loadedEnd + 1;
        break;
      }
      this.pos += available;
      this.forget();
    }
    this.forget();
    return { rows: out, count: moved };
  }

  private *backward(count: number, move: boolean): Step<FetchedRows> {
    this.requireScroll();
    if (this.pos > this.loadedEnd) yield* this.load(Infinity);
    const start = Math.min(this.pos, this.loadedEnd + 1);
    this.requireKept(Math.max(start - count, 0));
    const out: Row[] = [];
    let moved = 0;
    for (let at = start - 1; at >= 1 && moved < count; at--, moved++) {
      if (!move) out.push(this.rowAt(at));
    }
    this.pos = moved < count ? 0 : start - count;
    return { rows: out, count: moved };
  }

  private *absolute(n: number, move: boolean): Step<FetchedRows> {
    if (n < 0) {
      yield* this.load(Infinity);
      return yield* this.jump(this.loadedEnd + 1 + n, move);
    }
    return yield* this.jump(n, move);
  }

  private *relative(n: number, move: boolean): Step<FetchedRows> {
    if (n > 0) return yield* this.jump(this.pos + n, move);
    if (n === 0) {
      // Re-reading the current row steps back one (MOVE 0 only says whether it is on one).
      const on = this.pos >= 1 && this.pos <= this.loadedEnd;
      if (on && !move) this.requireScroll();
      return { rows: on && !move ? [this.rowAt(this.pos)] : [], count: on ? 1 : 0 };
    }
    if (this.pos > this.loadedEnd) yield* this.load(Infinity);
    return yield* this.jump(Math.min(this.pos, this.loadedEnd + 1) + n, move);
  }

  /** Positions on row `target` (before the first when < 1, after the last when past it). */
  private *jump(target: number, move: boolean): Step<FetchedRows> {
    if (target < this.pos) {
      this.requireScroll();
      this.requireKept(Math.max(target, 0));
    }
    if (target < 1) {
      this.pos = 0;
      return { rows: [], count: 0 };
    }
    if (target > this.pos) yield* this.skipTo(target - 1);
    yield* this.load(target);
    if (target > this.loadedEnd) {
      this.pos = this.loadedEnd + 1;
      return { rows: [], count: 0 };
    }
    this.pos = target;
    const rows = move ? [] : [this.rowAt(target)];
    this.forget();
    return { rows, count: 1 };
  }

  /** Moves forward to `target` without keeping rows a forward-only cursor need not keep. */
  private *skipTo(target: number): Step<void> {
    while (this.pos < target) {
      const step = Math.min(target - this.pos, chunkRows);
      yield* this.load(this.pos + step);
      if (this.loadedEnd < this.pos + step) {
        this.pos = this.loadedEnd;
        return;
      }
      this.pos += step;
      this.forget();
    }
  }

  private get loadedEnd(): number {
    return this.offset + this.rows.length;
  }

  /** Reads from the engine until row `upTo` is loaded or the rows end. */
  private *load(upTo: number): Step<void> {
    while (this.source !== undefined && this.loadedEnd < upTo) {
      const want = upTo === Infinity ? chunkRows : Math.min(upTo - this.loadedEnd, chunkRows);
      const result = (yield this.source.fetch(want)) as FetchResult;
      for (const row of result.rows) this.rows.push(row);
      if (result.commandTag !== undefined) this.close();
    }
  }

  /**
   * A forward-only cursor drops the rows before its current one; a scrollable one with a
   * window keeps `keepRows` of them.
   */
  private forget(): void {
    const keep = this.scroll ? this.keepRows : 0;
    if (keep === Infinity) return;
    const drop = Math.min(Math.max(this.pos - 1 - keep - this.offset, 0), this.rows.length);
    if (drop === 0) return;
    this.rows = this.rows.slice(drop);
    this.offset += drop;
  }

  private slice(from: number, to: number): Row[] {
    return this.rows.slice(from - 1 - this.offset, to - this.offset);
  }

  private rowAt(at: number): Row {
    const row = this.rows[at - 1 - this.offset];
    if (row === undefined) this.requireScroll();
    return row ?? [];
  }

  /** Refuses to move back to `position` when rows from it on were dropped from the window. */
  private requireKept(position: number): void {
    if (position >= this.offset) return;
    throw new SqlError(SqlState.objectNotInPrerequisiteState, "cursor can only scan forward", {
      hint: `Declare it with SCROLL option to move back more than ${this.keepRows} rows.`,
    });
  }

  private requireScroll(): void {
    if (this.scroll) return;
    throw new SqlError(SqlState.objectNotInPrerequisiteState, "cursor can only scan forward", {
      hint: "Declare it with SCROLL option to enable backward scan.",
    });
  }
}
