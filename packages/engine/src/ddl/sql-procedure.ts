/**
 * LANGUAGE sql procedures (`CREATE PROCEDURE p(a int) LANGUAGE sql AS $$ insert …; update …
 * $$`): the body's statements run in order when CALL runs the procedure. They run on the
 * PL/pgSQL interpreter as the block `BEGIN stmt; …; END`, a SELECT becoming PERFORM (a SQL
 * procedure discards its rows); parameters are reached by name or `$n` in both languages.
 * pg_proc and pg_get_functiondef still show LANGUAGE sql and the body as written.
 * BEGIN ATOMIC bodies and SELECT … INTO are refused with 0A000.
 */
import { notSupported } from "@tessera/base";
import { parseStatements } from "@tessera/sql";

/** The PL/pgSQL block that runs the SQL procedure body `source`. */
export function sqlProcedureBlock(source: string): string {
  const statements = parseStatements(source).map((s) => {
    if (!("SelectStmt" in s.stmt)) return s.text;
    const select = s.stmt.SelectStmt;
    if (select.intoClause !== undefined) throw notSupported("SELECT INTO in a SQL procedure");
    const head = /^select\b/i.exec(s.text);
    if (head === null) throw notSupported("SQL procedure statements other than plain SELECT");
    return `perform${s.text.slice(head[0].length)}`;
  });
  return `begin\n${statements.map((s) => `${s};\n`).join("")}end`;
}
