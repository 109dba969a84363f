/**
 * Settings inside PL/pgSQL: SET [LOCAL] / RESET statements of a body (and of EXECUTE's text)
 * run on the session's settings (`session/function-settings.ts`), as PostgreSQL runs them
 * through SPI. Each change is also written to the statement's undo log, so an EXCEPTION
 * block that catches an error takes back the settings changed inside it, as a
 * subtransaction's abort does in PostgreSQL.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import type { UndoLog } from "../storage/undo.js";
import { configPairs } from "../ddl/function-config.js";
import type { PlHost, QueryResult } from "./host.js";
import type { PlFunction } from "./tree.js";

/** The SET clauses of parsed functions (`plFunctionOf` notes them). */
const clauses = new WeakMap<PlFunction, readonly (readonly [string, string])[]>();

export function noteFunctionSettings(fn: PlFunction, config: readonly string[] | undefined):
  void {
  if (config !== undefined) clauses.set(fn, configPairs(config));
}

/**
 * Applies `fn`'s SET clauses for its run, as fmgr_security_definer does; returns what
 * restores them at its exit (also when it fails).
 */
export function enterFunctionSettings(fn: PlFunction, host: PlHost): (() => void) | undefined {
  const config = clauses.get(fn);
  if (config === undefined) return undefined;
  const changes = host.settingChanges;
  if (changes === undefined) throw notSupported("functions with SET clauses here");
  return changes.enter(config);
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
