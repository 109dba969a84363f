/**
 * Raw expression -> analyzed `Expr` (Postgres's transformExpr in parse_expr.c): one handler
 * per raw node kind. Literals stay `unknown` until context gives them a type; operators,
 * functions and aggregates are resolved in `expr-ops.ts` and `expr-call.ts`.
 */
import { placeholderBase, resolveArgPlaceholder } from "./sql-function-args.js";
import { SqlError, SqlState, isSqlError, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { inputValue } from "../catalog/type-io.js";
import { Oid, arrayOf, formatTypeName, typeInfo } from "../catalog/types.js";
import { baseTypeOf } from "../catalog/domains.js";
import { coerceAll, coerceTo, commonType } from "./coerce.js";
import { isMultidimensional, multidimensionalArray } from "./array-expr.js";
import { constant, type Expr } from "./expr.js";
import { analyzeAExpr, makeOperator } from "./expr-ops.js";
import { analyzeFuncCall, analyzeSqlValueFunction } from "./expr-call.js";
import { analyzeGroupingFunc } from "./grouping-sets.js";
import { analyzeIndirection } from "./indirection.js";
import { analyzeRowArgs } from "./field-star.js";
import { wholeRowRefAnyLevel } from "./whole-row.js";
import { resolveTypeName } from "./type-name.js";
import { findRowType } from "../catalog/row-types.js";
import type { Scope } from "./scope.js";

/** Hook for sublinks, set by `select.ts` (which imports this file) to break the cycle. */
export const hooks: {
  analyzeSubLink?: (link: ast.SubLink, scope: Scope) => Expr;
} = {};

/** Analyzes a raw expression in `scope`. */
export function analyzeExpr(node: ast.Node, scope: Scope): Expr {
  if ("A_Const" in node) return analyzeConst(node.A_Const);
  if ("ColumnRef" in node) return analyzeColumnRef(node.ColumnRef, scope);
  if ("ParamRef" in node) return analyzeParam(node.ParamRef, scope);
  if ("TypeCast" in node) return analyzeTypeCast(node.TypeCast, scope);
  if ("A_Expr" in node) return analyzeAExpr(node.A_Expr, scope);
  if ("BoolExpr" in node) return analyzeBoolExpr(node.BoolExpr, scope);
  if ("FuncCall" in node) return analyzeFuncCall(node.FuncCall, scope);
  if ("GroupingFunc" in node) return analyzeGroupingFunc(node.GroupingFunc, scope);
  if ("NullTest" in node) {
    const arg = analyzeExpr(node.NullTest.arg!, scope);
    const negated = node.NullTest.nulltesttype === "IS_NOT_NULL";
    if (arg.type === Oid.record || typeInfo(arg.type).category === "C") {
      return rowNullTest(arg, negated);
    }
    return { kind: "nullTest", type: Oid.bool, typmod: -1, arg, negated };
  }
  if ("BooleanTest" in node) {
    const arg = asBoolean(analyzeExpr(node.BooleanTest.arg!, scope), "IS TRUE", scope);
    return { kind: "boolTest", type: Oid.bool, typmod: -1, arg,
      test: node.BooleanTest.booltesttype ?? "IS_TRUE" };
  }
  if ("CaseExpr" in node) {
    return withoutSrfs("CASE", scope, () => analyzeCase(node.CaseExpr, scope));
  }
  if ("CoalesceExpr" in node) {
    return withoutSrfs("COALESCE", scope, () => analyzeCoalesce(node.CoalesceExpr, scope));
  }
  if ("MinMaxExpr" in node) return analyzeMinMax(node.MinMaxExpr, scope);
  if ("SQLValueFunction" in node) return analyzeSqlValueFunction(node.SQLValueFunction, scope);
  if ("SubLink" in node) return hooks.analyzeSubLink!(node.SubLink, scope);
  if ("A_ArrayExpr" in node) return analyzeArray(node.A_ArrayExpr, scope);
  if ("RowExpr" in node) {
    const args = analyzeRowArgs(node.RowExpr.args ?? [], scope);
    return { kind: "row", type: Oid.record, typmod: -1, args };
  }
  if ("CollateClause" in node) return analyzeCollate(node.CollateClause, scope);
  if ("A_Indirection" in node) return analyzeIndirection(node.A_Indirection, scope);
  if ("SetToDefault" in node) {
    // DEFAULT only stands alone as an INSERT value or an UPDATE SET value (checked there).
    const at = node.SetToDefault.location;
    throw new SqlError(SqlState.syntaxError, "DEFAULT is not allowed in this context",
      at === undefined || at < 0 ? {} : { position: at + 1 });
  }
  throw notSupported(`expression ${Object.keys(node)[0]}`);
}

/** `x COLLATE c`: 42804 when x's type (or its array element) is not a string type. */
function analyzeCollate(clause: ast.CollateClause, scope: Scope): Expr {
  const arg = analyzeExpr(clause.arg!, scope);
  if (arg.type === Oid.unknown) return arg;
  const info = typeInfo(baseTypeOf(arg.type).type);
  const element = info.elem !== 0 ? typeInfo(info.elem) : info;
  if (element.category !== "S") {
    throw new SqlError(SqlState.datatypeMismatch,
      `collations are not supported by type ${formatTypeName(arg.type, -1)}`,
      locationOf(clause.location));
  }
  return arg;
}

/**
 * Analyzes a conditional construct where a set-returning call would run a varying number of
 * times, so Postgres rejects it there ("not allowed in CASE"); elsewhere the outer clause's
 * own rule already applies.
 */
function withoutSrfs(what: string, scope: Scope, analyze: () => Expr): Expr {
  const srfs = scope.srfs;
  if (srfs === null) return analyze();
  const clause = scope.clause;
  scope.srfs = null;
  scope.clause = what;
  try {
    return analyze();
  } finally {
    scope.srfs = srfs;
    scope.clause = clause;
  }
}

function analyzeConst(c: ast.A_Const): Expr {
  if (c.isnull === true) return constant(Oid.unknown, null);
  if (c.ival !== undefined) return constant(Oid.int4, c.ival.ival ?? 0);
  if (c.sval !== undefined) {
    const literal = constant(Oid.unknown, c.sval.sval ?? "");
    return c.location === undefined ? literal : { ...literal, location: c.location };
  }
  if (c.boolval !== undefined) return constant(Oid.bool, c.boolval.boolval ?? false);
  if (c.fval !== undefined) {
    const text = c.fval.fval ?? "0";
    if (/^-?\d+$/.test(text)) {
      // An integer too long for the lexer's int4 can still fit one once negated
      // (-2147483648): Postgres's make_const types it by its value.
      const big = BigInt(text);
      if (big >= -(2n ** 31n) && big < 2n ** 31n) return constant(Oid.int4, Number(big));
      if (big >= -(2n ** 63n) && big < 2n ** 63n) return constant(Oid.int8, big);
    }
    return constant(Oid.numeric, inputValue(Oid.numeric, text, -1));
  }
  if (c.bsval !== undefined) return constant(Oid.bit, inputValue(Oid.bit, c.bsval.bsval ?? "", -1));
  throw notSupported("this constant", c.location === undefined ? {} : { location: c.location });
}

function analyzeColumnRef(ref: ast.ColumnRef, scope: Scope): Expr {
  const star = qualifiedStar(ref, scope);
  if (star !== undefined) return star;
  const fields = (ref.fields ?? []).map((f) => {
    if ("String" in f) return f.String.sval ?? "";
    throw notSupported("whole-row references (*) here", locationOf(ref.location));
  });
  if (fields.length === 1 && scope.tryResolve(fields, ref.location) === undefined) {
    const row = wholeRowRefAnyLevel(fields[0]!, scope);
    if (row !== undefined) return row;
  }
  return scope.resolveColumn(fields, ref.location);
}

/** `t.*` inside an expression (`count(t.*)`, `(t.*)::text`): the whole row of `t`. */
function qualifiedStar(ref: ast.ColumnRef, scope: Scope): Expr | undefined {
  const fields = ref.fields ?? [];
  if (fields.length !== 2 || !("A_Star" in fields[1]!) || !("String" in fields[0]!)) {
    return undefined;
  }
  const alias = fields[0].String.sval ?? "";
  const row = wholeRowRefAnyLevel(alias, scope);
  if (row === undefined) throw scope.missingTable(alias, ref.location);
  return row;
}

function analyzeParam(ref: ast.ParamRef, scope: Scope): Expr {
  const number = ref.number ?? 0;
  if (number >= placeholderBase) {
    const arg = resolveArgPlaceholder(number, scope);
    if (arg !== undefined) return arg;
  }
  const types = scope.statement.params.types;
  if (number < 1 || number > 65535) {
    throw new SqlError(SqlState.undefinedParameter, `there is no parameter $${number}`,
      locationOf(ref.location));
  }
  while (types.length < number) types.push(0);
  const known = types[number - 1]!;
  return { kind: "param", index: number - 1, type: known === 0 ? Oid.unknown : known,
    typmod: scope.statement.params.typmods?.[number - 1] ?? -1 };
}

function analyzeTypeCast(cast: ast.TypeCast, scope: Scope): Expr {
  const { catalog, path } = scope.statement;
  const target = resolveTypeName(cast.typeName!,
    (schema, name) => findRowType(catalog, path, schema, name));
  const arg = cast.arg!;
  // An array literal cast to an array type types its elements from the cast (transformArrayExpr).
  if ("A_ArrayExpr" in arg && typeInfo(target.type).elem !== 0) {
    const array = analyzeArray(arg.A_ArrayExpr, scope, typeInfo(target.type).elem);
    // The typmod (ARRAY['abc']::varchar(2)[]) then applies to each element.
    return target.typmod < 0 ? array : coerceTo(array, target.type, target.typmod, "e",
      scope.statement.params, cast.location);
  }
  const value = analyzeExpr(arg, scope);
  // The typmod (a length coercion) applies after the conversion, without a position; the
  // conversions that read it themselves (interval fields, bit(n) from integers and bit input,
  // which checks the length) take it.
  const typmod = target.type === Oid.interval || target.type === Oid.bit ||
    target.type === Oid.varbit ? target.typmod : -1;
  let converted: Expr;
  try {
    converted = coerceTo(value, target.type, typmod, "e", scope.statement.params,
      cast.location);
  } catch (error) {
    // A literal the type's input refuses: Postgres points at the literal.
    const at = "A_Const" in arg ? arg.A_Const.location : undefined;
    if (!isSqlError(error) || error.position !== undefined || at === undefined) throw error;
    throw new SqlError(error.code, error.message, { ...error.fields, location: at });
  }
  return coerceTo(converted, target.type, target.typmod, "e", scope.statement.params,
    cast.location);
}

/** Coerces a condition to boolean, or raises 42804 naming the construct. */
export function asBoolean(expr: Expr, what: string, scope: Scope): Expr {
  if (expr.type === Oid.bool) return expr;
  if (expr.type === Oid.unknown) return coerceTo(expr, Oid.bool, -1, "i", scope.statement.params);
  throw new SqlError(SqlState.datatypeMismatch,
    `argument of ${what} must be type boolean, not type ${typeInfo(expr.type).sqlName}`);
}

function analyzeBoolExpr(b: ast.BoolExpr, scope: Scope): Expr {
  const kind = b.boolop === "AND_EXPR" ? "and" : b.boolop === "OR_EXPR" ? "or" : "not";
  const what = kind.toUpperCase();
  const args = (b.args ?? []).map((a) => asBoolean(analyzeExpr(a, scope), what, scope));
  return { kind, type: Oid.bool, typmod: -1, args };
}

function analyzeCase(c: ast.CaseExpr, scope: Scope): Expr {
  const arg = c.arg === undefined ? null : analyzeExpr(c.arg, scope);
  const conds: Expr[] = [];
  const results: Expr[] = [];
  for (const w of c.args ?? []) {
    if (!("CaseWhen" in w)) continue;
    const raw = analyzeExpr(w.CaseWhen.expr!, scope);
    const cond = arg === null ? raw
      : makeOperator("=", { kind: "caseTest", type: arg.type, typmod: arg.typmod }, raw, scope,
        w.CaseWhen.location);
    conds.push(asBoolean(cond, "CASE/WHEN", scope));
    results.push(analyzeExpr(w.CaseWhen.result!, scope));
  }
  const otherwiseRaw = c.defresult === undefined ? constant(Oid.unknown, null)
    : analyzeExpr(c.defresult, scope);
  const all = [...results, otherwiseRaw];
  const type = commonType(all, "CASE");
  const coerced = coerceAll(all, type, "CASE", scope.statement.params);
  const whens = conds.map((cond, i) => ({ cond, result: coerced[i]! }));
  return { kind: "case", type, typmod: -1, arg, whens, otherwise: coerced[coerced.length - 1]! };
}

function analyzeCoalesce(c: ast.CoalesceExpr, scope: Scope): Expr {
  const args = (c.args ?? []).map((a) => analyzeExpr(a, scope));
  const type = commonType(args, "COALESCE");
  return { kind: "coalesce", type, typmod: -1,
    args: coerceAll(args, type, "COALESCE", scope.statement.params) };
}

function analyzeMinMax(m: ast.MinMaxExpr, scope: Scope): Expr {
  const what = m.op === "IS_GREATEST" ? "GREATEST" : "LEAST";
  const raw = (m.args ?? []).map((a) => analyzeExpr(a, scope));
  const type = commonType(raw, what);
  const args = coerceAll(raw, type, what, scope.statement.params);
  return { kind: "minmax", type, typmod: -1, greatest: m.op === "IS_GREATEST", args,
    compare: compareForType(type) };
}

import { compareFor } from "../catalog/type-io.js";
function compareForType(type: number): (a: import("@tessera/sql").Value,
  b: import("@tessera/sql").Value) => number {
  return compareFor(type);
}

function analyzeArray(a: ast.A_ArrayExpr, scope: Scope, elementHint = 0): Expr {
  // A sub-ARRAY[] takes the element type of a cast around the outer one (ARRAY[[]]::int[]).
  const raw = (a.elements ?? []).map((e) =>
    "A_ArrayExpr" in e && elementHint !== 0
      ? analyzeArray(e.A_ArrayExpr, scope, elementHint)
      : analyzeExpr(e, scope));
  if (raw.length === 0 && elementHint === 0) {
    throw new SqlError(SqlState.indeterminateDatatype, "cannot determine type of empty array",
      { ...locationOf(a.location),
        hint: "Explicitly cast to the desired type, for example ARRAY[]::integer[]." });
  }
  if (isMultidimensional(raw)) {
    return multidimensionalArray(raw, elementHint === 0 ? 0 : arrayOf(elementHint),
      scope.statement.params);
  }
  const element = elementHint !== 0 ? elementHint : commonType(raw, "ARRAY");
  const elements = elementHint !== 0
    ? raw.map((e) => coerceTo(e, element, -1, "e", scope.statement.params))
    : coerceAll(raw, element, "ARRAY", scope.statement.params);
  const type = arrayOf(element);
  if (type === 0) throw notSupported(`arrays of type ${typeInfo(element).sqlName}`);
  return { kind: "array", type, typmod: -1, elementType: element, elements };
}

export function locationOf(location: number | undefined): { location?: number } {
  return location === undefined ? {} : { location };
}

/**
 * IS [NOT] NULL on a row tests its fields (SQL's rule): `ROW(1, NULL) IS NULL` and
 * `ROW(1, NULL) IS NOT NULL` are both false; a null row is null.
 */
function rowNullTest(arg: Expr, negated: boolean): Expr {
  const test = negated ? "IS NOT NULL" : "IS NULL";
  return {
    kind: "call", name: test, operator: true, args: [arg], strict: false, volatile: false,
    type: Oid.bool, typmod: -1,
    impl: ([value]) => {
      if (value === null || value === undefined) return !negated;
      if (typeof value !== "object" || !("kind" in value) || value.kind !== "record") {
        return negated;
      }
      return value.fields.every((f) => (f === null) !== negated);
    },
    deparse: (texts) => `(${texts[0] ?? ""} ${test})`,
  };
}
