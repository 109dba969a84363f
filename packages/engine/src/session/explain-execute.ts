/**
 * EXPLAIN EXECUTE name(args) (Postgres's ExplainExecuteQuery): explains the statement a SQL
 * PREPARE (or a protocol Parse) stored under that name, with EXECUTE's arguments in place of
 * its parameters, as the custom plan Postgres makes for those values shows them:
 *
 *     PREPARE q(int) AS SELECT … WHERE k = $1;
 *     EXPLAIN EXECUTE q(5);        ->  EXPLAIN SELECT … WHERE k = '5'::pg_catalog.int4
 *
 * Each argument is coerced to its parameter's type and evaluated once; its text goes into
 * the statement as a typed constant, which the planner folds (`k = 5`). The EXPLAIN then runs
 * as any other, on whichever engine serves the session (a coordinator explains it in Citus's
 * shape).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { typeInfo } from "../catalog/types.js";
import type { ExtendedQuery } from "./extended-query.js";
import type { Session } from "./session.js";
import { executeTarget } from "./sql-prepared.js";

/** `EXPLAIN … <stored statement>` for `EXPLAIN … EXECUTE`; other statements as they are. */
export async function explainExecuteTarget(session: Session, extended: ExtendedQuery,
  stmt: ast.Node): Promise<ast.Node> {
  if (!("ExplainStmt" in stmt)) return stmt;
  const query = stmt.ExplainStmt.query;
  if (query === undefined || !("ExecuteStmt" in query)) return stmt;
  const { name, statement, args } = executeTarget(extended, query.ExecuteStmt);
  if (statement.stmt === null || statement.plan === null) {
    throw new SqlError(SqlState.featureNotSupported,
      `EXPLAIN EXECUTE of prepared statement "${name}" holding a utility statement is not ` +
      "supported");
  }
  // As EXECUTE: a statement whose tables changed is planned again, and refused when that
  // changed its result columns (0A000 "cached plan must not change result type").
  extended.revalidate(statement);
  const constants = await argumentConstants(session, args, statement.paramTypes);
  return { ExplainStmt: { ...stmt.ExplainStmt, query: withConstants(statement.stmt, constants) } };
}

/** Each argument as a constant of its parameter's type: `'text'::pg_catalog.<type>`. */
async function argumentConstants(session: Session, args: readonly ast.Node[],
  types: readonly number[]): Promise<ast.Node[]> {
  if (args.length === 0) return [];
  const names = types.map((oid) => typeInfo(oid === 0 || oid === 705 ? 25 : oid).name);
  const typeName = (name: string): ast.TypeName => ({ names: [{ String: { sval: "pg_catalog" } },
    { String: { sval: name } }], typemod: -1 });
  const targets = args.map((arg, i): ast.Node => ({ ResTarget: { val: { TypeCast: {
    arg: { TypeCast: { arg, typeName: typeName(names[i]!) } },
    typeName: typeName("text") } } } }));
  const select: ast.Node = { SelectStmt: { targetList: targets,
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
  const ctx = session.statementContext();
  let texts: readonly unknown[];
  try {
    const cursor = session.options.engine.prepare(select, [], ctx).open([], ctx);
    try {
      texts = (await cursor.fetch(0)).rows[0] ?? [];
    } finally {
      cursor.close();
    }
  } finally {
    session.statementDone();
  }
  return names.map((name, i): ast.Node => {
    const text = texts[i];
    const arg: ast.Node = text === null || text === undefined ? { A_Const: { isnull: true } }
      : { A_Const: { sval: { sval: String(text) } } };
    return { TypeCast: { arg, typeName: typeName(name) } };
  });
}

/** A copy of the raw statement with `$n` replaced by the n-th constant. */
function withConstants(node: ast.Node, constants: readonly ast.Node[]): ast.Node {
  return replaceParams(node, constants) as ast.Node;
}

function replaceParams(node: unknown, constants: readonly ast.Node[]): unknown {
  if (Array.isArray(node)) return node.map((item) => replaceParams(item, constants));
  if (node === null || typeof node !== "object") return node;
  if ("ParamRef" in node) {
    const number = (node as { ParamRef: { number?: number } }).ParamRef.number ?? 0;
    const constant = constants[number - 1];
    if (constant !== undefined) return constant;
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) =>
    [key, replaceParams(value, constants)]));
}
