/**
 * Constant expressions evaluated on the coordinator while planning, as PostgreSQL's planner
 * folds them (`eval_const_expressions`): an expression that reads no column, parameter or
 * subquery and calls only non-volatile functions has one value for the whole statement.
 *
 * Two planner steps use it. Zero-shard queries (`zero-shard.ts`) test a WHERE conjunct that
 * no row can pass. And `foldCoordinatorConstants` folds constants that only the coordinator
 * can evaluate before a query goes to the shards: a worker keeps no shell table of a Citus
 * table (Citus's workers do, from its metadata sync), so `'articles'::regclass::text` would
 * fail there with "relation does not exist":
 *
 *     WHERE author_id = 1 AND substring('articles'::regclass::text, 1, 5) = 'hello'
 *  -> WHERE author_id = 1 AND 'false'::boolean
 *
 * The folded part is the largest constant expression around a `::regclass` cast (or around
 * a call of an IMMUTABLE user function, whose argument may name a relation the same way:
 * `f('articles')` with `f(regclass)`); it becomes a literal of its type, unless that type is
 * itself an OID alias (a regclass value means nothing on another node), where it is kept.
 */
import type { StatementContext } from "@tessera/engine";
import { allSqlFunctions, withAnalysisSettings } from "@tessera/engine";
import {
  defaultFormatContext, lookupFunction, typeOf, type Value, type ast,
} from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { castTo, resTarget } from "./raw.js";

type Catalog = Cluster["local"]["catalog"];

/** Node types a constant expression may hold. */
const constantNodes: ReadonlySet<string> = new Set([
  "A_Const", "TypeCast", "TypeName", "A_Expr", "BoolExpr", "NullTest", "BooleanTest",
  "FuncCall", "List", "String", "Integer", "Float", "Boolean", "A_ArrayExpr", "CoalesceExpr",
  "CaseExpr", "CaseWhen", "MinMaxExpr", "NullIfExpr",
]);

/** Node types that are whole expressions, the places a folded literal may replace. */
const expressionNodes: ReadonlySet<string> = new Set([
  "A_Expr", "BoolExpr", "FuncCall", "TypeCast", "NullTest", "BooleanTest", "CoalesceExpr",
  "CaseExpr", "MinMaxExpr", "NullIfExpr",
]);

/** Types whose values are OIDs of the node that computed them. */
const oidAliasTypes: ReadonlySet<string> = new Set([
  "regclass", "regproc", "regprocedure", "regoper", "regoperator", "regtype", "regconfig",
  "regdictionary", "regnamespace", "regrole", "regcollation", "oid",
]);

/**
 * True when `expr` reads nothing but constants and calls only functions that are not
 * volatile: built-ins, or user functions of `catalog` that are IMMUTABLE.
 */
export function isConstant(expr: ast.Node, catalog: Catalog): boolean {
  let ok = true;
  const visit = (value: unknown): void => {
    if (!ok || typeof value !== "object" || value === null) return;
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (/^[A-Z]/.test(key) && !constantNodes.has(key)) {
        ok = false;
        return;
      }
      if (key === "FuncCall" && !foldableCall(inner as ast.FuncCall, catalog)) {
        ok = false;
        return;
      }
      visit(inner);
    }
  };
  visit(expr);
  return ok;
}

function foldableCall(call: ast.FuncCall, catalog: Catalog): boolean {
  if (call.agg_star === true || call.over !== undefined || call.agg_distinct === true) {
    return false;
  }
  if (call.agg_order !== undefined || call.agg_filter !== undefined) return false;
  const name = callName(call);
  const builtins = lookupFunction(name);
  if (builtins.length > 0) {
    return builtins.every((def) => def.kind === "scalar" && def.volatility !== "v");
  }
  return immutableUserFunction(name, catalog);
}

function callName(call: ast.FuncCall): string {
  const names = (call.funcname ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  return names.at(-1) ?? "";
}

/** True when every user function of that name is an IMMUTABLE plain function. */
function immutableUserFunction(name: string, catalog: Catalog): boolean {
  const found = allSqlFunctions(catalog).filter((fn) => fn.name === name);
  return found.length > 0 && found.every((fn) => fn.volatility === "i");
}

/** The value and type of a constant expression, computed by the local engine. */
export function evaluateConstant(cluster: Cluster, expr: ast.Node, ctx: StatementContext):
  { readonly value: Value; readonly typeOid: number } | { readonly value: undefined } {
  const engine = cluster.local;
  // Names in the expression ('t'::regclass) resolve along the statement's search_path.
  return withAnalysisSettings(ctx, () => {
    const planned = engine.planQuery({ SelectStmt: { targetList: [resTarget(expr)],
      limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } }, engine.statementScope([], ctx));
    const column = planned.columns?.[0];
    if (planned.asyncCalls !== undefined || column === undefined) return { value: undefined };
    const row = engine.runtime([], ctx).build(planned.plan).next();
    if (row === null) return { value: undefined };
    return { value: row[0] ?? null, typeOid: column.type };
  });
}

/** Returns `select` with its coordinator-only constants folded, or `select` itself. */
export function foldCoordinatorConstants(cluster: Cluster, select: ast.SelectStmt,
  ctx: StatementContext): ast.SelectStmt {
  const catalog = cluster.local.catalog;
  if (!needsCoordinatorConstants(select, catalog)) return select;
  let changed = false;
  const walk = (value: unknown): unknown => {
    if (typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return value.map(walk);
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && expressionNodes.has(keys[0]!) &&
      needsCoordinator(record, catalog) && isConstant(record as ast.Node, catalog)) {
      const folded = literalOf(cluster, record as ast.Node, ctx);
      if (folded !== undefined) {
        changed = true;
        return folded;
      }
    }
    // An unnamed result column takes its name from its expression: that one stays.
    const target = record["ResTarget"] as ast.ResTarget | undefined;
    if (keys.length === 1 && target !== undefined && target.name === undefined &&
      target.val !== undefined) {
      return { ResTarget: { ...target, val: walkInside(target.val) } };
    }
    return Object.fromEntries(keys.map((key) => [key, walk(record[key])]));
  };
  const walkInside = (expr: ast.Node): unknown => {
    const record = expr as Record<string, unknown>;
    return Object.fromEntries(Object.keys(record).map((key) => [key, walk(record[key])]));
  };
  const result = walk(select) as ast.SelectStmt;
  return changed ? result : select;
}

/**
 * True when a query may hold a constant only the coordinator evaluates (a regclass cast, a
 * user function call); the fast path leaves such queries to the general planner.
 */
export function needsCoordinatorConstants(select: ast.SelectStmt, catalog: Catalog): boolean {
  return JSON.stringify(select).includes("regclass") || callsUserFunction(select, catalog);
}

/** True when the expression casts to regclass or calls a user function. */
function needsCoordinator(expr: Record<string, unknown>, catalog: Catalog): boolean {
  const text = JSON.stringify(expr);
  return text.includes("\"regclass\"") || callsUserFunction(expr, catalog);
}

function callsUserFunction(tree: unknown, catalog: Catalog): boolean {
  const names = new Set(allSqlFunctions(catalog).map((fn) => fn.name));
  if (names.size === 0) return false;
  let found = false;
  const visit = (value: unknown): void => {
    if (found || typeof value !== "object" || value === null) return;
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (key === "FuncCall" && names.has(callName(inner as ast.FuncCall))) found = true;
      visit(inner);
    }
  };
  visit(tree);
  return found;
}

/** The constant as a typed literal, or undefined when it cannot travel as one. */
function literalOf(cluster: Cluster, expr: ast.Node, ctx: StatementContext):
  ast.Node | undefined {
  const result = evaluateConstant(cluster, expr, ctx);
  if (result.value === undefined || !("typeOid" in result)) return undefined;
  const type = typeOf(result.typeOid);
  if (oidAliasTypes.has(type.name)) return undefined;
  const arg: ast.Node = result.value === null ? { A_Const: { isnull: true } }
    : { A_Const: { sval: { sval: type.output(result.value, defaultFormatContext) } } };
  return castTo(arg, result.typeOid, -1);
}
