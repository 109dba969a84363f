/**
 * What the PL/pgSQL interpreter asks of the database it runs in: run a statement with
 * parameters and give back its rows and row count, open and close subtransactions for
 * BEGIN … EXCEPTION blocks, say notices, convert values between types, resolve type names.
 *
 * The engine answers at once (`engine-host.ts`, inside the calling statement); a host that
 * must wait (the coordinator's distributed executor) returns promises, and the interpreter,
 * written as a generator, yields them to an asynchronous driver (`drive.ts`).
 */
import type { SqlError } from "@tessera/base";
import type { ast, Row, Value } from "@tessera/sql";
import type { SessionCursors, SettingChanges } from "../api.js";
import type { ResolvedCall } from "./procedure-args.js";
import type { PlFunction } from "./tree.js";

export interface QueryColumn {
  readonly name: string;
  readonly type: number;
}

export interface QueryResult {
  readonly columns: readonly QueryColumn[];
  /** The rows of a SELECT or of RETURNING; empty for other statements. */
  readonly rows: readonly Row[];
  /** Rows returned or changed (GET DIAGNOSTICS ROW_COUNT, FOUND). */
  readonly rowCount: number;
  /** The command tag's verb: SELECT, INSERT, UPDATE, DELETE. */
  readonly command: string;
  /** True when the statement returns rows (a SELECT, or DML with RETURNING). */
  readonly returnsRows: boolean;
}

export interface QueryRequest {
  /** A raw statement whose `$n` are `params`. */
  readonly stmt: ast.Node;
  /** The plan may be kept under this key (with the parameter types); undefined: do not. */
  readonly cacheKey: object | undefined;
  readonly paramTypes: readonly number[];
  /** A record parameter's shape (`analyze/whole-row.ts`'s typmod); -1 or absent: unknown. */
  readonly paramTypmods?: readonly number[];
  readonly params: readonly Value[];
}

/** A declared variable's type: a scalar type, or a table's row type with its columns. */
export interface ResolvedType {
  readonly type: number;
  readonly typmod: number;
  /** The row type's columns (`%ROWTYPE`, a table name); undefined for scalar types. */
  readonly columns: readonly QueryColumn[] | undefined;
  /** A domain: every assignment, null included, passes its constraints. */
  readonly domain?: boolean;
}

/** What a call returns: a value, or rows of a set-returning function. */
export interface ResultShape {
  readonly setOf: boolean;
  /** The result type (the element type of SETOF); void for procedures and DO. */
  readonly type: number;
  /** The result columns of a row result (OUT parameters, TABLE, a table's row type). */
  readonly columns: readonly QueryColumn[] | undefined;
}

export type Maybe<T> = T | Promise<T>;

export interface PlHost {
  query(request: QueryRequest): Maybe<QueryResult>;
  /** Starts a subtransaction; the mark goes back to `rollbackTo` or `release`. */
  beginSubtransaction(): Maybe<number>;
  rollbackSubtransaction(mark: number): Maybe<void>;
  releaseSubtransaction(mark: number): Maybe<void>;
  /** Sends a NOTICE, WARNING or INFO to the client. */
  notice(notice: SqlError): void;
  /** Converts a non-null value as an assignment does (an I/O conversion when no cast). */
  cast(value: Value, from: number, to: number, typmod: number): Value;
  /** A value as text, as its output function prints it (RAISE's `%`). */
  text(value: Value, type: number): string;
  resolveType(typeName: string): ResolvedType;
  /** Names resolve to the same types while this key stays (catalog epoch, search_path). */
  typeScope(): string;
  /** Aborted by cancel and statement_timeout: loops check it. */
  readonly signal: AbortSignal;
  /**
   * A moment for the event loop, asked for every few thousand statements: a host that can
   * wait returns a promise, so timers (statement_timeout) and cancel requests get through.
   */
  pause?(): Promise<void> | undefined;
  /**
   * True when COMMIT and ROLLBACK may not run here (PostgreSQL's atomic context): a function
   * called from a query, or a CALL / DO inside a transaction block.
   */
  atomic?(): boolean;
  /**
   * COMMIT or ROLLBACK [AND CHAIN] in a procedure or DO block where `atomic` is false: ends
   * the transaction and goes on in a new one (`procedure-transactions.ts`).
   */
  endTransaction?(commit: boolean, chain: boolean): Maybe<void>;
  /**
   * CALL inside a body: the procedure `names` (schema-qualified or not) for arguments of
   * `types` (unknown for untyped ones) named `argNames`, with where its arguments go
   * (`procedure-args.ts`). A host without it refuses CALL (0A000).
   */
  procedure?(names: readonly string[], types: readonly number[],
    argNames?: readonly (string | undefined)[]): { fn: PlFunction; call: ResolvedCall };
  /** The name of the role owning function `oid`, for SECURITY DEFINER calls. */
  functionOwner?(oid: number): string | undefined;
  /** The session's settings, for a function's SET clauses; absent where there is none. */
  readonly settingChanges?: SettingChanges | undefined;
  /**
   * The session's cursors, which OPEN adds to and FETCH reads (`cursors.ts`); without them a
   * call keeps its cursors to itself.
   */
  readonly cursors?: SessionCursors | undefined;
  /** True when the run is driven asynchronously: a step may wait (a DO block, a CALL). */
  readonly canWait?: boolean;
}
