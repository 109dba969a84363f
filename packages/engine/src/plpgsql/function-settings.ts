/**
 * Settings inside PL/pgSQL: SET [LOCAL] / RESET statements of a body (and of EXECUTE's text)
 * run on the session's settings (`session/function-settings.ts`), as PostgreSQL runs them
 * through SPI. Each change is also written to the statement's undo log, so an EXCEPTION
 * block that catches an error takes back the settings changed inside it, as a
 * subtransaction's abort does in PostgreSQL.
 *
 * A call of a function with SET clauses or SECURITY DEFINER goes through
 * `enterFunctionSettings`, as PostgreSQL's fmgr_security_definer: the owner becomes the
 * current user, then the clauses apply; both are undone at the exit. Such a call is atomic:
 * COMMIT and ROLLBACK in it are 2D000, as ExecuteCallStmt makes them.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import type { UndoLog } from "../storage/undo.js";
import { configPairs } from "../ddl/function-config.js";
import type { SqlFunction } from "../catalog/sql-functions.js";
import type { PlHost, QueryResult } from "./host.js";
import type { PlFunction } from "./tree.js";

/** What a call applies: SET clauses, and the function's OID when it is SECURITY DEFINER. */
export interface CallSettings {
  readonly config: readonly (readonly [string, string])[] | undefined;
  readonly definer: number | undefined;
}

/** The call settings of parsed functions (`plFunctionOf` notes them). */
const noted = new WeakMap<PlFunction, CallSettings>();

export function noteFunctionSettings(fn: PlFunction, source: SqlFunction): void {
  const settings = callSettingsOf(source);
  if (settings !== undefined) noted.set(fn, settings);
}

/** What a call of `fn` must apply, or undefined when it runs as a plain call. */
export function callSettingsOf(fn: SqlFunction): CallSettings | undefined {
  if (fn.config === undefined && fn.securityDefiner !== true) return undefined;
  return { config: fn.config === undefined ? undefined : configPairs(fn.config),
    definer: fn.securityDefiner === true ? fn.oid : undefined };
}

/** A call of `fn` is atomic: COMMIT and ROLLBACK may not run in it. */
export function needsAtomicCall(fn: PlFunction): boolean {
  return noted.has(fn);
}

/**
 * Applies `fn`'s owner and SET clauses for its run, as fmgr_security_definer does; returns
 * what restores them at its exit (also when it fails).
 */
export function enterFunctionSettings(fn: PlFunction, host: PlHost): (() => void) | undefined {
  const settings = noted.get(fn);
  return settings === undefined ? undefined : enterCallSettings(settings, host);
}

export function enterCallSettings(settings: CallSettings, host: PlHost): () => void {
  const changes = host.settingChanges;
  const leaveRole = settings.definer === undefined ? undefined
    : enterOwner(settings.definer, host);
  let leaveConfig: (() => void) | undefined;
  try {
    if (settings.config !== undefined) {
      if (changes === undefined) throw notSupported("functions with SET clauses here");
      leaveConfig = changes.enter(settings.config);
    }
  } catch (error) {
    leaveRole?.();
    throw error;
  }
  return () => {
    try {
      leaveConfig?.();
    } finally {
      leaveRole?.();
    }
  };
}

/** Makes the owner of function `oid` the current user; returns what restores the caller. */
function enterOwner(oid: number, host: PlHost): (() => void) | undefined {
  const owner = host.functionOwner?.(oid);
  const enter = host.settingChanges?.enterRole;
  if (owner === undefined || enter === undefined) {
    throw notSupported("SECURITY DEFINER functions here");
  }
  return enter.call(host.settingChanges, owner);
}

/** Runs a SET / RESET statement of a body; `volatility` is the running function's. */
export function runSettingStatement(stmt: ast.VariableSetStmt, ctx: StatementContext,
  undo: UndoLog, volatility: "i" | "s" | "v"): QueryResult {
  const changes = ctx.settingChanges;
  const tag = stmt.kind === "VAR_RESET" || stmt.kind === "VAR_RESET_ALL" ? "RESET" : "SET";
  if (volatility !== "v") {
    // SPI runs a non-volatile function read-only, and no utility statement is read-only.
    throw new SqlError(SqlState.featureNotSupported,
      `${tag} is not allowed in a non-volatile function`);
  }
  if (changes === undefined) throw notSupported(`${tag} inside PL/pgSQL here`);
  const mark = changes.mark();
  const command = changes.run(stmt);
  undo.record({ kind: "custom", undo: () => changes.rollbackTo(mark) });
  return { columns: [], rows: [], rowCount: 0, returnsRows: false, command };
}
