/**
 * The SET clauses of CREATE FUNCTION / PROCEDURE and ALTER FUNCTION … SET / RESET: pg_proc's
 * proconfig, "name=value" texts that a call applies while the function runs and restores at
 * its exit (`plpgsql/function-settings.ts`, `session/function-settings.ts`). As PostgreSQL's
 * ProcessGUCArray: a value is checked when stored, SET … FROM CURRENT stores the value in
 * force, RESET name drops the entry and RESET ALL every one.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import { parseStatements, type ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import {
  addSqlFunction, removeSqlFunction, type SqlFunction,
} from "../catalog/sql-functions.js";
import type { Engine } from "../engine.js";
import { checkSettingValue, definitionOf } from "../session/settings.js";
import { setValueText } from "../session/utility.js";
import { findForDrop } from "./create-function.js";
import { recordUndo } from "./enum-ddl.js";
import { runsAsCall, sqlFunctionAsBlock } from "../plpgsql/sql-function-block.js";

/** The SET clauses among CREATE FUNCTION's options, in order. */
export function setClauses(options: readonly ast.Node[] | undefined): ast.VariableSetStmt[] {
  return (options ?? []).flatMap((option) => {
    if (!("DefElem" in option) || option.DefElem.defname !== "set") return [];
    const arg = option.DefElem.arg;
    return arg !== undefined && "VariableSetStmt" in arg ? [arg.VariableSetStmt] : [];
  });
}

/** proconfig after `sets` change `previous`; undefined when no entry is left. */
export function configOf(sets: readonly ast.VariableSetStmt[],
  setting: (name: string) => string, previous: readonly string[] = []):
  readonly string[] | undefined {
  let entries = [...previous];
  for (const set of sets) {
    if (set.kind === "VAR_RESET_ALL") {
      entries = [];
      continue;
    }
    const name = set.name ?? "";
    const shown = definitionOf(name.toLowerCase())?.displayName ?? name;
    entries = entries.filter((e) => entryName(e).toLowerCase() !== shown.toLowerCase());
    if (set.kind === "VAR_SET_VALUE" || set.kind === "VAR_SET_CURRENT") {
      const value = set.kind === "VAR_SET_CURRENT" ? setting(name)
        : setValueText(name, set.args ?? []);
      checkSettingValue(name, value);
      entries.push(`${shown}=${value}`);
    } else if (set.kind !== "VAR_RESET" && set.kind !== "VAR_SET_DEFAULT") {
      throw notSupported(`SET ${set.kind ?? ""} in a function definition`);
    }
  }
  return entries.length === 0 ? undefined : entries;
}

/** proconfig's entries as name and value pairs, as a call applies them. */
export function configPairs(config: readonly string[]): [string, string][] {
  return config.map((entry) => [entryName(entry), entry.slice(entryName(entry).length + 1)]);
}

function entryName(entry: string): string {
  const at = entry.indexOf("=");
  return at < 0 ? entry : entry.slice(0, at);
}

/** SECURITY DEFINER (true) or INVOKER among `options`; `previous` when neither is. */
export function securityDefinerOf(options: readonly ast.Node[] | undefined,
  previous: boolean): boolean {
  let definer = previous;
  for (const option of options ?? []) {
    if (!("DefElem" in option) || option.DefElem.defname !== "security") continue;
    const arg = option.DefElem.arg;
    definer = arg !== undefined && "Boolean" in arg && arg.Boolean.boolval === true;
  }
  return definer;
}

/**
 * A LANGUAGE sql function with SET clauses or SECURITY DEFINER runs as a call, not expanded
 * in its caller's query (`plpgsql/sql-function-block.ts`): its body must make such a block.
 */
export function checkConfigLanguage(fn: SqlFunction): void {
  if (runsAsCall(fn)) {
    sqlFunctionAsBlock(fn);
    return;
  }
  if (fn.plpgsql !== undefined || fn.aggregate === true || fn.source === "") return;
  const statements = parseStatements(fn.source);
  if (statements.length !== 1 || !("SelectStmt" in statements[0]!.stmt)) {
    // Expanded in its caller's query again: one SELECT, as CREATE FUNCTION asks.
    throw notSupported("SQL function bodies other than a single SELECT");
  }
}

/** ALTER FUNCTION / PROCEDURE name(args) SET … / RESET …. */
export function alterFunction(engine: Engine, stmt: ast.AlterFunctionStmt,
  statement: StatementScope): string {
  const { catalog, path, ctx } = statement;
  const fn = findForDrop(catalog, path, stmt.func!, false, () => undefined)!;
  const sets: ast.VariableSetStmt[] = [];
  for (const action of stmt.actions ?? []) {
    const elem = "DefElem" in action ? action.DefElem : undefined;
    const arg = elem?.arg;
    if (elem?.defname === "security") continue;
    if (elem?.defname !== "set" || arg === undefined || !("VariableSetStmt" in arg)) {
      throw notSupported(`ALTER FUNCTION … ${(elem?.defname ?? "").toUpperCase()}`);
    }
    sets.push(arg.VariableSetStmt);
  }
  if (fn.aggregate === true) {
    throw new SqlError(SqlState.wrongObjectType, `"${fn.name}" is an aggregate function`);
  }
  const config = configOf(sets, (name) => ctx.setting(name), fn.config);
  const securityDefiner = securityDefinerOf(stmt.actions, fn.securityDefiner === true);
  const { config: _dropped, securityDefiner: _was, ...rest } = fn;
  const altered: SqlFunction = { ...rest, ...(config !== undefined && { config }),
    ...(securityDefiner && { securityDefiner: true }) };
  checkConfigLanguage(altered);
  removeSqlFunction(catalog, fn);
  addSqlFunction(catalog, altered);
  recordUndo(engine, statement, () => {
    removeSqlFunction(catalog, altered);
    addSqlFunction(catalog, fn);
  });
  return stmt.objtype === "OBJECT_PROCEDURE" ? "ALTER PROCEDURE" : "ALTER FUNCTION";
}
