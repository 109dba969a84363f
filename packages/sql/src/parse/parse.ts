/**
 * The one door to libpg-query: Postgres's own grammar, compiled to WebAssembly. Everything
 * else receives its parse tree (the node types of `@pgsql/types`), never SQL text.
 *
 * The WASM module loads asynchronously once per process (`initParser`); after that, parsing
 * is synchronous, so analysis and planning stay synchronous too.
 */
import { loadModule, parsePlPgSQLSync, parseSync } from "libpg-query";
import type { Node, RawStmt } from "@pgsql/types";
import { SqlError, SqlState, assert, type SqlStateCode } from "@tessera/base";

let loaded = false;

/** Loads the parser; every daemon awaits this once at start-up. */
export async function initParser(): Promise<void> {
  if (loaded) return;
  await loadModule();
  loaded = true;
}

/** One statement of a query string, with its text span for error positions and logs. */
export interface ParsedStatement {
  readonly stmt: Node;
  /** 0-based offset of the statement in the whole string. */
  readonly location: number;
  /** Length in characters; the rest of the string when the parser reports 0. */
  readonly length: number;
  /** The statement's own text, as a client would see it in logs. */
  readonly text: string;
}

/**
 * Parses a query string into its statements. A syntax error becomes 42601 with Postgres's
 * message and the 1-based position of the offending token.
 */
export function parseStatements(sql: string): ParsedStatement[] {
  assert(loaded, "initParser() must finish before parsing");
  // libpg-query refuses an empty string; Postgres answers it with EmptyQueryResponse.
  if (sql.trim() === "") return [];
  let raw: RawStmt[];
  try {
    raw = (parseSync(sql).stmts ?? []) as RawStmt[];
  } catch (error) {
    throw syntaxErrorFrom(error, sql);
  }
  return raw.map((entry) => {
    assert(entry.stmt !== undefined, "a RawStmt always holds a statement");
    const location = entry.stmt_location ?? 0;
    const length =
      entry.stmt_len === undefined || entry.stmt_len === 0 ? sql.length - location : entry.stmt_len;
    return {
      stmt: entry.stmt,
      location,
      length,
      text: sql.slice(location, location + length).trim(),
    };
  });
}

/** gram.y errors raised with a code other than 42601 (its ereport calls name them). */
const grammarCodes: Readonly<Record<string, SqlStateCode>> = {
  "frame start cannot be UNBOUNDED FOLLOWING": SqlState.windowingError,
  "frame end cannot be UNBOUNDED PRECEDING": SqlState.windowingError,
  "frame starting from current row cannot have preceding rows": SqlState.windowingError,
  "frame starting from following row cannot have preceding rows": SqlState.windowingError,
  "frame starting from following row cannot end with current row": SqlState.windowingError,
  "a column list with SET NULL is only supported for ON DELETE actions":
    SqlState.featureNotSupported,
  "a column list with SET DEFAULT is only supported for ON DELETE actions":
    SqlState.featureNotSupported,
};

function syntaxErrorFrom(error: unknown, sql: string): SqlError {
  const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } })
    .sqlDetails;
  const message = details?.message ?? (error instanceof Error ? error.message : String(error));
  const cursor = details?.cursorPosition;
  const code = grammarCodes[message] ?? SqlState.syntaxError;
  if (cursor === undefined || cursor < 0) return new SqlError(code, message);
  // libpg-query reports a byte offset; Postgres's P field counts characters from 1.
  const characters = Buffer.from(sql, "utf8").subarray(0, cursor).toString("utf8").length;
  return new SqlError(code, message, { position: characters + 1 });
}

/**
 * Parses the PL/pgSQL body of one `CREATE FUNCTION … LANGUAGE plpgsql` statement (given as
 * its whole text) into PostgreSQL's PLpgSQL_function tree as JSON (`plpgsql_funcs[0]`).
 * Errors become 42601 with the parser's message.
 */
export function parsePlpgsql(createFunctionSql: string): unknown {
  assert(loaded, "initParser() must finish before parsing");
  try {
    const result = parsePlPgSQLSync(createFunctionSql) as unknown as
      { plpgsql_funcs?: unknown[] };
    return result.plpgsql_funcs?.[0];
  } catch (error) {
    const details = (error as { sqlDetails?: { message?: string } }).sqlDetails;
    const message = details?.message ?? (error instanceof Error ? error.message : String(error));
    const code = plpgsqlCodes.find(([prefix]) => message.startsWith(prefix))?.[1] ??
      (message.endsWith("is declared CONSTANT") ? SqlState.errorInAssignment : undefined) ??
      (message.endsWith("since it's declared NOT NULL") ? SqlState.nullValueNotAllowed
        : undefined);
    throw new SqlError(code ?? SqlState.syntaxError, message);
  }
}

/** PL/pgSQL parser errors raised with a code other than 42601 (pl_gram.y's ereports). */
const plpgsqlCodes: readonly (readonly [string, SqlStateCode])[] = [
  ["unrecognized exception condition", SqlState.undefinedObject],
  ["function result type must be", SqlState.invalidFunctionDefinition],
  ["RETURN cannot have a parameter in function", SqlState.datatypeMismatch],
  ["cannot use RETURN NEXT in a non-SETOF function", SqlState.datatypeMismatch],
  ["cannot use RETURN QUERY in a non-SETOF function", SqlState.datatypeMismatch],
];
