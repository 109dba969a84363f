/**
 * Calls of SQL-language functions (`catalog/sql-functions.ts`), expanded in place on the raw
 * tree and analyzed in the caller's scope, as PostgreSQL inlines simple SQL functions:
 *
 *   twice(x)  with body  select $1 * 2           ->  CAST(CAST(x AS int4) * 2 AS int4)
 *   f(x)      with body  select v from t where k = $1
 *                        ->  CAST((SELECT v FROM t WHERE k = CAST(x AS int4) LIMIT 1) AS …)
 *
 * A body with FROM, WHERE, GROUP BY … becomes a scalar subquery: the first row's first
 * column, NULL when there is none. `$n` and parameter names (`a`, `fname.a`) are replaced by
 * the argument cast to its declared type; each argument is analyzed once in the caller's
 * scope and reached through a placeholder (`sql-function-args.ts`); a STRICT function gives
 * NULL when an argument is NULL (a CASE around the expansion). A parameter name wins over a
 * body column of the same name (PostgreSQL prefers the column).
 *
 * In FROM (`analyzeSqlFunctionInFrom`) a call becomes a LATERAL subquery over the body, so
 * RETURNS SETOF and RETURNS TABLE functions give all their rows there.
 *
 * The overloads of a name resolve among the database's SQL functions first; when none fits,
 * the call goes on to the built-in functions. PL/pgSQL functions live among them and are not
 * expanded: their calls run the interpreter (`plpgsql/call-expr.ts`). Nor are SQL functions
 * with SET clauses or SECURITY DEFINER, which PostgreSQL never inlines: they run as calls
 * too (`plpgsql/sql-function-block.ts`).
 */
import { checkFunctionExecute } from "../catalog/permission-checks.js";
import { compositeOutColumns, compositeResult } from "./composite-function.js";
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { hasSqlFunctionNamed, sqlFunctionsNamed, type SqlFunction }
  from "../catalog/sql-functions.js";
import { walk } from "../catalog/depend.js";
import type { Expr } from "./expr.js";
import { analyzeExpr, locationOf } from "./expr-analyze.js";
import { selectCandidate } from "./func-select.js";
import { coerceTo } from "./coerce.js";
import {
  argNamesOf, argValue, fillArgs, placeArgs, placedTypes, type Placement,
} from "./call-placement.js";
import { addArgPlaceholder, removeArgPlaceholder } from "./sql-function-args.js";
import type { Scope, StatementScope } from "./scope.js";
import { formatTypeName } from "../catalog/types.js";
import { plpgsqlCallExpr } from "../plpgsql/call-expr.js";
import { runsAsCall } from "../plpgsql/sql-function-block.js";

/** How deep calls may expand inside one another (a function calling itself never ends). */
const expansionDepthMax = 32;
let depth = 0;

/** The SQL function `call` means, with its arguments analyzed in `scope`, or undefined. */
function resolveSqlCall(call: ast.FuncCall, names: readonly string[], scope: Scope):
  { fn: SqlFunction; args: Expr[] } | undefined {
  const name = names[names.length - 1] ?? "";
  const { catalog, path } = scope.statement;
  if (!hasSqlFunctionNamed(catalog, name)) return undefined;
  if (names.length > 2 || call.agg_star === true || call.over !== undefined ||
    call.agg_distinct === true || call.agg_filter !== undefined || call.agg_order !== undefined) {
    return undefined;
  }
  const schema = names.length === 2 ? names[0] : undefined;
  const functions = sqlFunctionsNamed(catalog, path, schema, name);
  const raw = call.args ?? [];
  const argNames = argNamesOf(raw);
  const placed = preferFixed(functions.map((fn) =>
    placeArgs(argNames, fn, call.func_variadic === true))
    .filter((p): p is Placement => p !== undefined));
  if (placed.length === 0) return undefined;
  const analyzed = raw.map((a) => analyzeExpr(argValue(a), scope));
  const inputs = analyzed.map((a) => a.type);
  const selection = selectCandidate(placed.map((p) => ({ argTypes: placedTypes(p), def: p })),
    inputs, false);
  if (selection.kind === "none") return undefined;
  if (selection.kind === "ambiguous" || sameEffectiveTypes(placed, selection.candidate.def)) {
    throw new SqlError(SqlState.ambiguousFunction,
      `function ${callSignature(name, raw, inputs)} is not unique`, {
      ...locationOf(call.location),
      hint: "Could not choose a best candidate function. You might need to add explicit " +
        "type casts.",
    });
  }
  const fn = selection.candidate.def.fn;
  checkFunctionExecute(catalog, fn, scope.statement.ctx);
  return { fn, args: fillArgs(selection.candidate.def, analyzed, (e) => analyzeExpr(e, scope),
    (elements) => variadicArray(fn, elements, scope)) };
}

/** The trailing arguments of an expanded VARIADIC call as the array the function takes. */
function variadicArray(fn: SqlFunction, elements: readonly Expr[], scope: Scope): Expr {
  const elementType = fn.variadic!;
  return { kind: "array", type: fn.argTypes[fn.argTypes.length - 1]!, typmod: -1, elementType,
    elements: elements.map((e) => coerceTo(e, elementType, -1, "i", scope.statement.params)) };
}

/** An expanded VARIADIC placement gives way to a fixed one of the same types (as Postgres). */
function preferFixed(placed: readonly Placement[]): Placement[] {
  const types = (p: Placement): string => placedTypes(p).join();
  return placed.filter((p) => !p.expanded ||
    !placed.some((q) => !q.expanded && types(q) === types(p)));
}

/** Another placement takes the given arguments as the same types (defaults make twins). */
function sameEffectiveTypes(placed: readonly Placement[], chosen: Placement): boolean {
  const types = (p: Placement): string => placedTypes(p).join();
  return placed.some((p) => p !== chosen && types(p) === types(chosen));
}

/** `f(integer, b => text)`, as PostgreSQL names a call in messages. */
function callSignature(name: string, raw: readonly ast.Node[], inputs: readonly number[]):
  string {
  return `${name}(${raw.map((a, i) => ("NamedArgExpr" in a
    ? `${a.NamedArgExpr.name ?? ""} => ` : "") + formatTypeName(inputs[i]!, -1)).join(", ")})`;
}

/** Runs `analyze` with placeholders standing for `args`; removes them afterwards. */
function withPlaceholders<T>(fn: SqlFunction, args: readonly Expr[], scope: Scope,
  analyze: (placeholders: ast.Node[]) => T): T {
  if (depth >= expansionDepthMax) {
    throw notSupported(`SQL function ${fn.name} calling itself (recursion deeper than ` +
      `${expansionDepthMax})`);
  }
  const numbers = args.map((expr) => addArgPlaceholder(expr, scope));
  depth++;
  try {
    return analyze(numbers.map((number): ast.Node => ({ ParamRef: { number } })));
  } finally {
    depth--;
    for (const number of numbers) removeArgPlaceholder(number);
  }
}

/**
 * Statements whose SQL function calls stay calls instead of being expanded: those that print
 * a stored view, which PostgreSQL keeps (and pg_get_viewdef shows) as written.
 */
export const callsKept = new WeakSet<StatementScope>();

/** The analyzed expansion of `call` when it names a SQL function that fits, else undefined. */
export function analyzeSqlFunctionCall(call: ast.FuncCall, names: readonly string[],
  scope: Scope): Expr | undefined {
  const resolved = resolveSqlCall(call, names, scope);
  if (resolved === undefined) return undefined;
  const { fn, args } = resolved;
  if (fn.plpgsql !== undefined || runsAsCall(fn) || callsKept.has(scope.statement)) {
    return plpgsqlCallExpr(fn, args, scope, call.location);
  }
  if (fn.setOf) {
    throw notSupported(`set-returning SQL function ${fn.name} outside FROM`,
      locationOf(call.location));
  }
  return withPlaceholders(fn, args, scope,
    (placeholders) => analyzeExpr(expansion(fn, placeholders), scope));
}

/**
 * A SQL function in FROM (`select * from f(1)`, `… join lateral f(t.k) on true`), as a
 * LATERAL subquery over the body: every row for SETOF and TABLE functions, the first for
 * others, each column cast to its declared type and named as PostgreSQL names it (the
 * function's name for one column, RETURNS TABLE's names). `analyze` analyzes that subquery.
 */
export function analyzeSqlFunctionInFrom<T>(rf: ast.RangeFunction, scope: Scope,
  analyze: (subselect: ast.RangeSubselect) => T, probe: ColumnTypesProbe): T | undefined {
  const items = rf.functions?.length === 1 && "List" in rf.functions[0]!
    ? rf.functions[0].List.items ?? [] : [];
  const call = items[0];
  if (call === undefined || !("FuncCall" in call) || rf.ordinality === true ||
    rf.is_rowsfrom === true || rf.coldeflist !== undefined) {
    return undefined;
  }
  const names = (call.FuncCall.funcname ?? [])
    .map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  // PL/pgSQL functions are calls, planned as functions in FROM (`from-function.ts`).
  const { catalog, path } = scope.statement;
  if (sqlFunctionsNamed(catalog, path, names.length === 2 ? names[0] : undefined,
    names[names.length - 1] ?? "").some((f) => f.plpgsql !== undefined || runsAsCall(f))) {
    return undefined;
  }
  const resolved = resolveSqlCall(call.FuncCall, names, scope);
  if (resolved === undefined) return undefined;
  const { fn, args } = resolved;
  const alias = fromAlias(rf.alias, fn);
  const result = withPlaceholders(fn, args, scope, (placeholders) => analyze({
    lateral: true, subquery: fromExpansion(fn, placeholders, probe), alias,
  }));
  // The whole row of a function returning a composite type has that type (`whole-row.ts`).
  const at = scope.items.findIndex((i) => i.visible && i.alias === alias.aliasname);
  if (at >= 0 && compositeOutColumns(fn) !== undefined) {
    scope.items[at] = { ...scope.items[at]!, rowType: fn.returnType };
  }
  return result;
}

/** A one-column function's column takes the alias's name, as PostgreSQL names it. */
function fromAlias(alias: ast.Alias | undefined, fn: SqlFunction): ast.Alias {
  if (alias === undefined) return { aliasname: fn.name };
  if (fn.outColumns.length > 0 || (alias.colnames ?? []).length > 0 ||
    compositeOutColumns(fn) !== undefined) return alias;
  return { ...alias, colnames: [{ String: { sval: alias.aliasname ?? fn.name } }] };
}

/**
 * `SELECT CAST(f.c1 AS t1) AS n1, … FROM (body) AS f(c1, …) [WHERE args not null]`; when
 * the body selects the composite result as one value, `CAST((f.c1).n1 AS t1) AS n1, …`.
 */
function fromExpansion(fn: SqlFunction, placeholders: readonly ast.Node[],
  probe: ColumnTypesProbe): ast.Node {
  const casted = placeholders.map((a, i): ast.Node =>
    ({ TypeCast: { arg: a, typeName: fn.argTypeNames[i]! } }));
  const body = substitute(structuredClone(fn.body), fn, casted);
  const columns = fn.outColumns.length > 0 ? fn.outColumns
    : compositeOutColumns(fn) ?? [{ name: fn.name, typeName: fn.returnTypeName }];
  const wholeRow = selectsWholeRow(fn, body, probe);
  const inner = wholeRow ? ["c1"] : columns.map((_c, i) => `c${i + 1}`);
  const str = (sval: string): ast.Node => ({ String: { sval } });
  const column = (i: number): ast.Node => wholeRow
    ? { A_Indirection: { arg: { ColumnRef: { fields: [str("f"), str("c1")] } },
      indirection: [str(columns[i]!.name)] } }
    : { ColumnRef: { fields: [str("f"), str(inner[i]!)] } };
  const select: ast.SelectStmt = {
    targetList: columns.map((c, i) => ({ ResTarget: { name: c.name, val: { TypeCast: {
      arg: column(i), typeName: c.typeName } } } })),
    fromClause: [{ RangeSubselect: { subquery: body,
      alias: { aliasname: "f", colnames: inner.map(str) } } }],
    limitOption: fn.setOf ? "LIMIT_OPTION_DEFAULT" : "LIMIT_OPTION_COUNT",
    ...(!fn.setOf && { limitCount: { A_Const: { ival: { ival: 1 } } } }),
    op: "SETOP_NONE",
  };
  if (fn.strict && casted.length > 0) {
    const notNull = casted.map((a): ast.Node =>
      ({ NullTest: { arg: a, nulltesttype: "IS_NOT_NULL" } }));
    select.whereClause = notNull.length === 1 ? notNull[0]!
      : { BoolExpr: { boolop: "AND_EXPR", args: notNull } };
  }
  return { SelectStmt: select };
}

/**
 * Whether the body of `fn`, returning a composite type, selects one column of that very
 * type (`SELECT ROW($1, $2)::t`): the row itself, as check_sql_fn_retval accepts it.
 */
function selectsWholeRow(fn: SqlFunction, body: ast.Node, probe: ColumnTypesProbe): boolean {
  if (compositeOutColumns(fn) === undefined || !("SelectStmt" in body)) return false;
  const select = body.SelectStmt;
  const setOp = select.op !== undefined && select.op !== "SETOP_NONE";
  if (!setOp && (select.targetList ?? []).length !== 1) return false;
  const types = probe(structuredClone(body));
  return types.length === 1 && types[0] === fn.returnType;
}

/** Analyzes a query in a throwaway scope under the caller's and returns its column types. */
export type ColumnTypesProbe = (query: ast.Node) => readonly number[];

/** The raw expression a call of `fn` with `args` stands for. */
function expansion(fn: SqlFunction, args: readonly ast.Node[]): ast.Node {
  const casted = args.map((a, i): ast.Node =>
    ({ TypeCast: { arg: a, typeName: fn.argTypeNames[i]! } }));
  const body = substitute(structuredClone(fn.body), fn, casted);
  const select = (body as { SelectStmt: ast.SelectStmt }).SelectStmt;
  let value: ast.Node;
  const simple = select.fromClause === undefined && select.whereClause === undefined &&
    select.groupClause === undefined && select.havingClause === undefined &&
    select.op === "SETOP_NONE" && select.valuesLists === undefined &&
    select.distinctClause === undefined && select.limitCount === undefined &&
    select.limitOffset === undefined && select.sortClause === undefined &&
    select.withClause === undefined && (select.targetList ?? []).length >= 1;
  const first = select.targetList?.[0];
  const composite = compositeResult(fn, body,
    simple && (select.targetList ?? []).every((t) => !hasSubLinkOrAgg(t)));
  if (composite !== undefined) {
    value = composite;
  } else if (simple && first !== undefined && "ResTarget" in first && !hasSubLinkOrAgg(first)) {
    value = first.ResTarget.val!;
  } else {
    value = { SubLink: { subLinkType: "EXPR_SUBLINK", subselect: firstRow(body) } };
  }
  const result: ast.Node = { TypeCast: { arg: value, typeName: fn.returnTypeName } };
  if (!fn.strict || args.length === 0) return result;
  const anyNull: ast.Node[] = casted.map((a) =>
    ({ NullTest: { arg: a, nulltesttype: "IS_NULL" } }));
  return { CaseExpr: { args: [{ CaseWhen: {
    expr: anyNull.length === 1 ? anyNull[0]! : { BoolExpr: { boolop: "OR_EXPR", args: anyNull } },
    result: { TypeCast: { arg: { A_Const: { isnull: true } }, typeName: fn.returnTypeName } },
  } }], defresult: result } };
}

/** Aggregates in a FROM-less body (`select count(*)`) still need the SELECT around them. */
function hasSubLinkOrAgg(node: ast.Node): boolean {
  let found = false;
  walk(node, 0, (n) => {
    if ("SubLink" in n || "FuncCall" in n) found = true;
  });
  return found;
}

/** `body LIMIT 1`, or `SELECT * FROM (body) LIMIT 1` when the body has a limit of its own. */
function firstRow(body: ast.Node): ast.Node {
  const select = (body as { SelectStmt: ast.SelectStmt }).SelectStmt;
  const one: ast.Node = { A_Const: { ival: { ival: 1 } } };
  if (select.op === "SETOP_NONE" && select.limitCount === undefined &&
    select.limitOffset === undefined) {
    return { SelectStmt: { ...select, limitCount: one, limitOption: "LIMIT_OPTION_COUNT" } };
  }
  return { SelectStmt: {
    targetList: [{ ResTarget: { val: { ColumnRef: { fields: [{ A_Star: {} }] } } } }],
    fromClause: [{ RangeSubselect: { subquery: body, alias: { aliasname: "f" } } }],
    limitCount: one, limitOption: "LIMIT_OPTION_COUNT", op: "SETOP_NONE" } };
}

/** Replaces `$n` and parameter names in a copy of the body with the arguments. */
function substitute(node: ast.Node, fn: SqlFunction, args: readonly ast.Node[]): ast.Node {
  const replace = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(replace);
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    if ("ParamRef" in record) {
      const n = (record["ParamRef"] as ast.ParamRef).number ?? 0;
      const arg = args[n - 1];
      if (arg === undefined) {
        throw new SqlError(SqlState.undefinedParameter, `there is no parameter $${n}`);
      }
      return arg;
    }
    if ("ColumnRef" in record) {
      const arg = namedParam(record["ColumnRef"] as ast.ColumnRef, fn, args);
      if (arg !== undefined) return arg;
    }
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(record)) out[key] = replace(inner);
    return out;
  };
  return replace(node) as ast.Node;
}

function namedParam(ref: ast.ColumnRef, fn: SqlFunction, args: readonly ast.Node[]):
  ast.Node | undefined {
  const fields = (ref.fields ?? []).map((f) => ("String" in f ? f.String.sval ?? "" : "*"));
  const name = fields.length === 1 ? fields[0]
    : fields.length === 2 && fields[0] === fn.name ? fields[1] : undefined;
  if (name === undefined || name === "") return undefined;
  const at = fn.argNames.indexOf(name);
  return at < 0 ? undefined : args[at];
}
