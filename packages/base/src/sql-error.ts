/**
 * The one error class a user can cause. It carries every field of a Postgres ErrorResponse,
 * so the protocol layer can send it as is and the coordinator can re-raise a worker's error
 * with the same code, message, detail and hint.
 */
import { SqlState, type SqlStateCode } from "./sqlstate.js";

export type Severity =
  "ERROR" | "FATAL" | "PANIC" | "WARNING" | "NOTICE" | "DEBUG" | "INFO" | "LOG";

export interface SqlErrorFields {
  severity?: Severity;
  detail?: string;
  hint?: string;
  /** 1-based character position in the statement text, as ErrorResponse's `P` field. */
  position?: number;
  /** 0-based offset from the parse tree; converted to `position` by `withLocation`. */
  location?: number;
  internalPosition?: number;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
}

export class SqlError extends Error {
  override readonly name = "SqlError";
  readonly code: string;
  readonly severity: Severity;
  readonly fields: Readonly<SqlErrorFields>;

  constructor(code: SqlStateCode | string, message: string, fields: SqlErrorFields = {}) {
    super(message);
    this.code = code;
    this.severity = fields.severity ?? "ERROR";
    this.fields = fields;
  }

  get detail(): string | undefined {
    return this.fields.detail;
  }
  get hint(): string | undefined {
    return this.fields.hint;
  }
  get position(): number | undefined {
    if (this.fields.position !== undefined) return this.fields.position;
    if (this.fields.location !== undefined && this.fields.location >= 0) {
      return this.fields.location + 1;
    }
    return undefined;
  }
}

/** Returns a 0A000 error naming the feature that Tessera does not implement yet. */
export function notSupported(what: string, fields: SqlErrorFields = {}): SqlError {
  return new SqlError(SqlState.featureNotSupported, `${what} is not supported`, fields);
}

/** Returns true for errors a user can cause; everything else is a bug or an I/O failure. */
export function isSqlError(error: unknown): error is SqlError {
  return error instanceof SqlError;
}
