/**
 * SQL-level prepared statements: PREPARE, EXECUTE and DEALLOCATE (Postgres's
 * commands/prepare.c). They share one namespace with the protocol's named statements, so a
 * statement made by Parse can be run by EXECUTE and one made by PREPARE can be bound. Type
 * names of PREPARE and argument expressions of EXECUTE are resolved by the engine itself, as
 * a `SELECT` of casts, so they mean exactly what they mean anywhere else.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value, ast } from "@tessera/sql";
import type { ColumnInfo, PreparedStatementInfo } from "../api.js";
import { typeInfo } from "../catalog/types.js";
import type { Session } from "./session.js";
import type { ExtendedQuery, SessionStatement } from "./extended-query.js";
import { rowEncoder, textCell } from "./codec.js";

const kinds = new Set(["PrepareStmt", "ExecuteStmt", "DeallocateStmt"]);

/** True for PREPARE, EXECUTE and DEALLOCATE. */
export function isSqlPrepared(stmt: ast.Node): boolean {
  return kinds.has(Object.keys(stmt)[0] ?? "");
}

/** The row an EXECUTE returns, for Describe; null when it returns none or is unknown. */
export function sqlPreparedColumns(stmt: ast.Node, extended: ExtendedQuery):
  readonly ColumnInfo[] | null {
  if (!("ExecuteStmt" in stmt)) return null;
  const name = stmt.ExecuteStmt.name ?? "";
  if (!extended.hasStatement(name)) return null;
  return extended.statement(name).plan?.prepared.columns ?? null;
}

/** Runs PREPARE, EXECUTE or DEALLOCATE; `formats` as for utilities (null: text, described). */
export async function runSqlPrepared(session: Session, extended: ExtendedQuery,
  stmt: ast.Node, text: string, formats: readonly number[] | null): Promise<void> {
  if ("PrepareStmt" in stmt) {
    const p = stmt.PrepareStmt;
    const name = p.name ?? "";
    extended.checkNameFree(name);
    const types = resolveTypes(session, p.argtypes ?? []);
    const query = p.query;
    if (query === undefined) throw new SqlError(SqlState.syntaxError, "PREPARE without query");
    extended.addStatement(name, extended.prepare(query, types, text, true));
    session.output.commandComplete("PREPARE");
    return;
  }
  if ("DeallocateStmt" in stmt) {
    const name = stmt.DeallocateStmt.name;
    const all = name === undefined || stmt.DeallocateStmt.isall === true;
    extended.deallocate(all ? null : name);
    session.output.commandComplete(all ? "DEALLOCATE ALL" : "DEALLOCATE");
    return;
  }
  if ("ExecuteStmt" in stmt) {
    await runExecute(session, extended, stmt.ExecuteStmt, formats);
    return;
  }
  throw new SqlError(SqlState.internalError, "not a prepared-statement command");
}

/**
 * The statement an EXECUTE (or EXPLAIN EXECUTE) names and its arguments, as many as it has
 * parameters (42601 otherwise, PostgreSQL's text).
 */
export function executeTarget(extended: ExtendedQuery, e: ast.ExecuteStmt):
  { name: string; statement: SessionStatement; args: readonly ast.Node[] } {
  const name = e.name ?? "";
  const statement = extended.statement(name);
  const args = e.params ?? [];
  if (args.length !== statement.paramTypes.length) {
    throw new SqlError(SqlState.syntaxError,
      `wrong number of parameters for prepared statement "${name}"`,
      { detail: `Expected ${statement.paramTypes.length} parameters but got ${args.length}.` });
  }
  return { name, statement, args };
}

async function runExecute(session: Session, extended: ExtendedQuery, e: ast.ExecuteStmt,
  formats: readonly number[] | null): Promise<void> {
  const { name, statement, args } = executeTarget(extended, e);
  extended.revalidate(statement);
  const plan = statement.plan;
  if (plan === null) {
    throw new SqlError(SqlState.featureNotSupported,
      `EXECUTE of prepared statement "${name}" holding a utility statement is not supported`);
  }
  const params = await evaluateArguments(session, args, statement.paramTypes);
  statement.runs++;
  const output = session.output;
  const ctx = session.statementContext();
  const prepared = extended.atCursorRow(statement, plan.prepared, ctx);
  const cursor = prepared.open(params, ctx);
  try {
    const columns = prepared.columns;
    const rowFormats = formats ?? columns?.map(() => 0) ?? [];
    if (columns !== null && formats === null) output.rowDescription(columns, rowFormats);
    const encode = columns === null ? undefined
      : rowEncoder(columns, rowFormats, session.formatContext());
    for (;;) {
      const result = await cursor.fetch(1000);
      if (encode !== undefined) for (const row of result.rows) output.dataRow(encode(row));
      if (result.commandTag !== undefined) {
        output.commandComplete(result.commandTag);
        break;
      }
      await output.flush();
    }
  } finally {
    cursor.close();
    session.statementDone();
  }
}

/** PREPARE's type names as OIDs: the engine plans `SELECT NULL::t1, NULL::t2 …`. */
function resolveTypes(session: Session, names: readonly ast.Node[]): number[] {
  if (names.length === 0) return [];
  const targets = names.map((n): ast.Node => {
    if (!("TypeName" in n)) throw new SqlError(SqlState.syntaxError, "type name expected");
    return { TypeCast: { arg: { A_Const: { isnull: true } }, typeName: n.TypeName } };
  });
  const ctx = session.statementContext();
  try {
    const prepared = session.options.engine.prepare(selectOf(targets), [], ctx);
    return (prepared.columns ?? []).map((c) => c.typeOid);
  } finally {
    session.statementDone();
  }
}

/** EXECUTE's argument expressions, each coerced to its parameter's type, evaluated once. */
async function evaluateArguments(session: Session, args: readonly ast.Node[],
  types: readonly number[]): Promise<Value[]> {
  if (args.length === 0) return [];
  const targets = args.map((arg, i): ast.Node => {
    const oid = types[i] ?? 0;
    const type = typeInfo(oid === 0 || oid === 705 ? 25 : oid);
    return { TypeCast: { arg, typeName: { names: [{ String: { sval: "pg_catalog" } },
      { String: { sval: type.name } }], typemod: -1 } } };
  });
  const ctx = session.statementContext();
  try {
    const cursor = session.options.engine.prepare(selectOf(targets), [], ctx).open([], ctx);
    try {
      const result = await cursor.fetch(0);
      return [...(result.rows[0] ?? [])];
    } finally {
      cursor.close();
    }
  } finally {
    session.statementDone();
  }
}

function selectOf(targets: readonly ast.Node[]): ast.Node {
  return { SelectStmt: { targetList: targets.map((val) => ({ ResTarget: { val } })),
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
}

/** Custom plans Postgres makes before it weighs a generic one (choose_custom_plan). */
const customPlanRuns = 5;

/**
 * The pg_prepared_statements row of a statement. Tessera plans once and re-plans only on
 * change; the counters say what Postgres's plan_cache_mode=auto would have chosen: a generic
 * plan for a statement without parameters, custom plans for the first five runs of one with.
 */
export function statementInfo(name: string, s: SessionStatement): PreparedStatementInfo {
  const custom = s.paramTypes.length === 0 ? 0 : Math.min(s.runs, customPlanRuns);
  return { name, statement: s.sql, prepareMicros: s.prepareTime, parameterTypes: s.paramTypes,
    fromSql: s.fromSql, genericPlans: s.runs - custom, customPlans: custom };
}
