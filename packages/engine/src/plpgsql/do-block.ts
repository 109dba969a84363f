/**
 * DO [LANGUAGE plpgsql] '…': an anonymous PL/pgSQL block, run as a void function named
 * `inline_code_block` (PostgreSQL's name in CONTEXT lines) inside the DO statement's run.
 * At the top level outside a transaction block it may COMMIT and ROLLBACK
 * (`procedure-transactions.ts`).
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { PreparedStatement, StatementContext } from "../api.js";
import { onceCursor } from "../execute/command-cursor.js";
import { Oid } from "../catalog/types.js";
import type { Engine } from "../engine.js";
import { callFunction } from "./call.js";
import { runAsync } from "./drive.js";
import { procedureHost } from "./procedure-transactions.js";
import "./engine-call.js";
import { parseFunction } from "./parse-tree.js";
import { createFunctionText } from "./source-text.js";

export const inlineName = "inline_code_block";
const name = inlineName;

/** The body and language of a DO statement. */
export function doBlockBody(stmt: ast.DoStmt): string {
  let body: string | undefined;
  let language = "plpgsql";
  for (const arg of stmt.args ?? []) {
    if (!("DefElem" in arg)) continue;
    const value = arg.DefElem.arg;
    const text = value !== undefined && "String" in value ? value.String.sval ?? "" : "";
    if (arg.DefElem.defname === "as") body = text;
    if (arg.DefElem.defname === "language") language = text.toLowerCase();
  }
  if (language !== "plpgsql") {
    if (["sql", "c", "internal"].includes(language)) {
      throw notSupported(`DO blocks in language ${language}`);
    }
    throw new SqlError(SqlState.undefinedObject, `language "${language}" does not exist`);
  }
  if (body === undefined) throw new SqlError(SqlState.syntaxError, "no inline code specified");
  return body;
}

/**
 * Prepares a DO block, which runs in the statement of the context it is opened in
 * (Execute's, over the extended protocol); its body is parsed when it runs, as PostgreSQL's.
 */
export function prepareDo(engine: Engine, stmt: ast.DoStmt): PreparedStatement {
  return { paramTypes: [], columns: null,
    open: (_params, ctx) => onceCursor(() => runDo(engine, stmt, ctx)) };
}

/**
 * Runs a DO block in the engine; resolves to the command tag. The block pauses every few
 * thousand statements, so statement_timeout and cancel requests stop a long loop.
 */
async function runDo(engine: Engine, stmt: ast.DoStmt, ctx: StatementContext):
  Promise<string> {
  const body = doBlockBody(stmt);
  const fn = parseFunction(createFunctionText(name, [], "void", body), name, name, []);
  await runAsync(callFunction(fn, procedureHost(engine, engine.runtime([], ctx)),
    { setOf: false, type: Oid.void, columns: undefined }, []));
  return "DO";
}
