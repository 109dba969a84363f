/**
 * LANGUAGE sql functions that run as calls: PostgreSQL never inlines a SQL function with SET
 * clauses or SECURITY DEFINER (inline_function), so its settings and its owner apply while
 * it runs. Such a function runs on the PL/pgSQL interpreter as a block made from its body,
 * as SQL procedures do (`ddl/sql-procedure.ts`):
 *
 *   select a; select b            (returns t)        ->  perform a; return (select * from
 *                                                          (select b) as r limit 1);
 *   … select b                    (returns setof t)  ->  …; return query select b;
 *   … insert …                    (returns void)     ->  …; insert …; return;
 *
 * pg_proc and pg_get_functiondef still show LANGUAGE sql and the body as written. Bodies whose
 * result is not a SELECT, and functions returning a row without SETOF, are refused (0A000).
 */
import { notSupported } from "@tessera/base";
import { parseStatements } from "@tessera/sql";
import { deparseSync } from "pgsql-deparser";
import type { SqlFunction } from "../catalog/sql-functions.js";
import { Oid } from "../catalog/types.js";
import { compositeOutColumns } from "../analyze/composite-function.js";
import { createFunctionText, quoteIdent, typeNameText } from "./source-text.js";

/** A LANGUAGE sql function PostgreSQL would not inline: it runs as a call. */
export function runsAsCall(fn: SqlFunction): boolean {
  return fn.plpgsql === undefined && fn.aggregate !== true &&
    (fn.config !== undefined || fn.securityDefiner === true);
}

/** The PL/pgSQL function text a SQL function runs as, and which of its datums are inputs. */
export function sqlFunctionAsBlock(fn: SqlFunction):
  { createSql: string; inArgs: readonly boolean[] } {
  const last = fn.argTypes.length - 1;
  const params = fn.argTypes.map((_t, i) => `${fn.variadic !== undefined && i === last
    ? "VARIADIC " : ""}${fn.argNames[i] === "" ? "" : `${quoteIdent(fn.argNames[i]!)} `}` +
    typeNameText(fn.argTypeNames[i]!));
  const returns = fn.outColumns.length > 0
    ? `TABLE (${fn.outColumns.map((c) => `${quoteIdent(c.name)} ${typeNameText(c.typeName)}`)
      .join(", ")})`
    : `${fn.setOf ? "SETOF " : ""}${typeNameText(fn.returnTypeName)}`;
  return { createSql: createFunctionText(fn.name, params, returns, blockOf(fn)),
    inArgs: [...fn.argTypes.map(() => true), ...fn.outColumns.map(() => false)] };
}

/** `begin stmt; …; <result> end` for the body of `fn`. */
function blockOf(fn: SqlFunction): string {
  const source = fn.source !== "" ? fn.source : deparseSync(fn.body, { pretty: false });
  const parsed = parseStatements(source);
  const lines = parsed.map((s, i) => {
    const select = "SelectStmt" in s.stmt;
    if (i < parsed.length - 1 || fn.returnType === Oid.void) {
      return select ? performOf(s.text) : s.text;
    }
    if (!select) throw notSupported(`SQL functions with SET clauses or SECURITY DEFINER ` +
      "whose last statement is not a SELECT");
    if (fn.setOf) return `return query ${s.text}`;
    if (fn.outColumns.length > 0 || isRowType(fn)) {
      throw notSupported("SQL functions returning a row with SET clauses or SECURITY DEFINER");
    }
    return `return (select * from (${s.text}) as r limit 1)`;
  });
  if (fn.returnType === Oid.void) lines.push("return");
  return `begin\n${lines.map((line) => `${line};\n`).join("")}end`;
}

/** A SELECT whose rows are thrown away, as PL/pgSQL spells it. */
function performOf(text: string): string {
  const head = /^\s*select\b/i.exec(text);
  if (head === null) {
    throw notSupported("SQL function statements other than plain SELECT before the last");
  }
  return `perform${text.slice(head[0].length)}`;
}

/** RETURNS record or a composite type: the body's row is the result. */
function isRowType(fn: SqlFunction): boolean {
  return fn.returnType === Oid.record || compositeOutColumns(fn) !== undefined;
}
