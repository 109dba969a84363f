/**
 * Small builders and readers of raw libpg-query trees, for the planner's rewrites: parse a
 * snippet of SQL into an expression or type name, read a constant, and compare expressions
 * regardless of where they sat in the statement text.
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import { formatType, parseStatements, type ast } from "@tessera/sql";

/** Parses one expression, e.g. `COALESCE((pg_catalog.sum(remote_scan.w))::bigint, 0)`. */
export function parseExpr(text: string): ast.Node {
  const stmt = parseStatements(`SELECT ${text}`)[0]?.stmt;
  assert(stmt !== undefined && "SelectStmt" in stmt, "an expression parses as a SELECT");
  const target = stmt.SelectStmt.targetList?.[0];
  assert(target !== undefined && "ResTarget" in target, "a SELECT has a target");
  const val = target.ResTarget.val;
  assert(val !== undefined, "a target has a value");
  return val;
}

const typeNames = new Map<string, ast.TypeName>();

/** Returns the TypeName node for a type and typmod (`numeric(10,2)`, `varchar(20)`). */
export function typeNameNode(typeOid: number, typmod: number): ast.TypeName {
  const text = formatType(typeOid, typmod);
  let node = typeNames.get(text);
  if (node === undefined) {
    const expr = parseExpr(`NULL::${text}`);
    assert("TypeCast" in expr && expr.TypeCast.typeName !== undefined, "a cast has a type");
    node = expr.TypeCast.typeName;
    typeNames.set(text, node);
  }
  return node;
}

/** Wraps `arg` in a cast to the type. */
export function castTo(arg: ast.Node, typeOid: number, typmod: number): ast.Node {
  return { TypeCast: { arg, typeName: typeNameNode(typeOid, typmod) } };
}

export function columnRef(...names: string[]): ast.Node {
  return { ColumnRef: { fields: names.map((sval) => ({ String: { sval } })) } };
}

export function resTarget(val: ast.Node, name?: string): ast.Node {
  return { ResTarget: { val, ...(name !== undefined && { name }) } };
}

/** Returns the text of a constant (or a cast constant), or undefined for anything else. */
export function constantText(expr: ast.Node): string | null | undefined {
  if ("TypeCast" in expr && expr.TypeCast.arg !== undefined) return constantText(expr.TypeCast.arg);
  if (!("A_Const" in expr)) return undefined;
  const c = expr.A_Const;
  if (c.isnull === true) return null;
  if (c.ival !== undefined) return String(c.ival.ival ?? 0);
  if (c.fval !== undefined) return c.fval.fval ?? "0";
  if (c.sval !== undefined) return c.sval.sval ?? "";
  if (c.boolval !== undefined) return c.boolval.boolval === true ? "true" : "false";
  if (c.bsval !== undefined) return c.bsval.bsval ?? "";
  return undefined;
}

/** Returns an integer constant's value (LIMIT 10, ORDER BY 2), or undefined. */
export function integerConstant(expr: ast.Node | undefined): number | undefined {
  if (expr === undefined || !("A_Const" in expr)) return undefined;
  const ival = expr.A_Const.ival;
  return ival === undefined ? undefined : ival.ival ?? 0;
}

/** A key equal for expressions that differ only in their text positions. */
export function exprKey(expr: unknown): string {
  return JSON.stringify(expr, (key, value: unknown) => (key === "location" ? undefined : value));
}

/** The names of a ColumnRef, or undefined when it holds `*`. */
export function columnNames(ref: ast.ColumnRef): string[] | undefined {
  const names: string[] = [];
  for (const field of ref.fields ?? []) {
    if (!("String" in field)) return undefined;
    names.push(field.String.sval ?? "");
  }
  return names;
}

/** Returns the function name of a FuncCall without a pg_catalog qualifier. */
export function functionName(call: ast.FuncCall): string | undefined {
  const names = (call.funcname ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  if (names.length === 2 && names[0] !== "pg_catalog") return undefined;
  return names.length > 2 ? undefined : names.at(-1);
}

/** A 0A000 error for a query shape the distributed planner cannot run yet. */
export function unsupported(what: string, detail?: string): SqlError {
  return new SqlError(SqlState.featureNotSupported, what,
    detail === undefined ? {} : { detail });
}
