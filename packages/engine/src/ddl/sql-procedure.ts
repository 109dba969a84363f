/**
 * LANGUAGE sql procedures (`CREATE PROCEDURE p(a int) LANGUAGE sql AS $$ insert …; update …
 * $$`): the body's statements run in order when CALL runs the procedure. They run on the
 * PL/pgSQL interpreter as the block `BEGIN stmt; …; END`, a SELECT becoming PERFORM (a SQL
 * procedure discards its rows); parameters are reached by name or `$n` in both languages.
 * With OUT or INOUT parameters the last statement's first row is the result: it becomes
 * `SELECT … INTO outs` (no row: XX000, "procedure returned null record", as PostgreSQL).
 * COMMIT and ROLLBACK raise 0A000 when run, as PostgreSQL's SQL functions refuse them.
 * pg_proc and pg_get_functiondef still show LANGUAGE sql and the body as written.
 * BEGIN ATOMIC bodies and SELECT … INTO are refused with 0A000.
 */
import { notSupported } from "@tessera/base";
import { parseStatements } from "@tessera/sql";
import { quoteIdent } from "../plpgsql/source-text.js";

/** The PL/pgSQL block that runs the SQL procedure body `source`; `outs` name its results. */
export function sqlProcedureBlock(source: string, outs: readonly string[] = []): string {
  const parsed = parseStatements(source);
  const statements = parsed.map((s, i) => {
    if ("TransactionStmt" in s.stmt) {
      const what = /^\s*(\w+)/.exec(s.text)?.[1]?.toUpperCase() ?? "COMMIT";
      return `raise exception using errcode = '0A000', ` +
        `message = '${what} is not allowed in an SQL function'`;
    }
    if (!("SelectStmt" in s.stmt)) return s.text;
    const select = s.stmt.SelectStmt;
    if (select.intoClause !== undefined) throw notSupported("SELECT INTO in a SQL procedure");
    if (outs.length > 0 && i === parsed.length - 1) return resultSelect(s.text, outs);
    const head = /^select\b/i.exec(s.text);
    if (head === null) throw notSupported("SQL procedure statements other than plain SELECT");
    return `perform${s.text.slice(head[0].length)}`;
  });
  if (outs.length > 0 && !("SelectStmt" in (parsed[parsed.length - 1]?.stmt ?? {}))) {
    // PostgreSQL checks the last statement's columns at CREATE; a SELECT is what it needs.
    throw notSupported("LANGUAGE sql procedures with OUT parameters whose last statement " +
      "is not a SELECT");
  }
  return `begin\n${statements.map((s) => `${s};\n`).join("")}end`;
}

/** The last SELECT assigning its first row to the OUT parameters; no row is an error. */
function resultSelect(text: string, outs: readonly string[]): string {
  return `${text}\ninto ${outs.map(quoteIdent).join(", ")};\n` +
    "if not found then raise exception using errcode = 'XX000', " +
    "message = 'procedure returned null record'; end if";
}
