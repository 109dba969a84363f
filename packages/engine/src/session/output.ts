/**
 * What a session says to its client, as typed events. The daemon (worker or coordinator)
 * turns each into a protocol message; the engine never sees bytes of the wire itself, only the
 * already-encoded cells of data rows, since encoding values depends on session settings.
 */
import type { SqlError } from "@tessera/base";
import type { ColumnInfo } from "../api.js";

export type TransactionStatus = "I" | "T" | "E";

/** 0 = text, 1 = binary, per column (already expanded to the column count). */
export type FormatCodes = readonly number[];

export interface SessionOutput {
  rowDescription(columns: readonly ColumnInfo[], formats: FormatCodes): void;
  /** One row; each cell already encoded in its column's format, null for SQL NULL. */
  dataRow(cells: readonly (Uint8Array | null)[]): void;
  commandComplete(tag: string): void;
  emptyQuery(): void;
  error(error: SqlError): void;
  notice(notice: SqlError): void;
  readyForQuery(status: TransactionStatus): void;
  parameterStatus(name: string, value: string): void;
  parseComplete(): void;
  bindComplete(): void;
  closeComplete(): void;
  noData(): void;
  parameterDescription(typeOids: readonly number[]): void;
  portalSuspended(): void;
  copyInResponse(format: 0 | 1, columnFormats: readonly number[]): void;
  copyOutResponse(format: 0 | 1, columnFormats: readonly number[]): void;
  copyData(data: Uint8Array): void;
  copyDone(): void;
  /**
   * Pushes what is buffered to the client; returns a wait only when the socket holds too much
   * already (nothing when it can take more at once).
   */
  flush(): Promise<void> | void;
}
