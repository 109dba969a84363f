/**
 * Operators (Postgres's parse_oper.c and the A_Expr cases of transformExpr): binary and
 * prefix operators resolved by overload resolution, `= ANY(array)`, IN lists, BETWEEN,
 * IS [NOT] DISTINCT FROM, NULLIF and LIKE.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast, OperatorComparator, PgArray, Value } from "@tessera/sql";
import { operatorsNamed, type OperatorDef } from "../catalog/builtins.js";
import { Oid, arrayOf, isPolymorphic, typeInfo } from "../catalog/types.js";
import { coerceTo, commonType } from "./coerce.js";
import type { BoundImpl, Expr } from "./expr.js";
import { analyzeExpr, asBoolean, locationOf } from "./expr-analyze.js";
import { selectCandidate } from "./func-select.js";
import { enumOperator } from "./enum-calls.js";
import { isRowComparison, makeRowComparison } from "./row-compare.js";
import { analyzeRowCompareSubLink } from "./sublink.js";
import type { Scope } from "./scope.js";

/** Analyzes an A_Expr by kind. */
export function analyzeAExpr(e: ast.A_Expr, scope: Scope): Expr {
  const name = operatorName(e.name);
  const location = e.location;
  switch (e.kind) {
    case "AEXPR_OP":
    case "AEXPR_LIKE":
    case "AEXPR_ILIKE":
    case "AEXPR_SIMILAR": {
      const row = e.kind === "AEXPR_OP" ? rowCompareSubLink(e) : undefined;
      if (row !== undefined) return analyzeRowCompareSubLink(row, name, scope);
      const right = analyzeExpr(e.rexpr!, scope);
      const left = e.lexpr === undefined ? null : analyzeExpr(e.lexpr, scope);
      return makeOperator(name, left, right, scope, location);
    }
    case "AEXPR_OP_ANY":
    case "AEXPR_OP_ALL":
      return makeArrayOp(
        name,
        e.kind === "AEXPR_OP_ANY",
        analyzeExpr(e.lexpr!, scope),
        analyzeExpr(e.rexpr!, scope),
        scope,
        location,
      );
    case "AEXPR_DISTINCT":
    case "AEXPR_NOT_DISTINCT":
    case "AEXPR_NULLIF":
      return makeDistinct(e, scope);
    case "AEXPR_IN":
      return makeInList(e, name === "<>", scope);
    case "AEXPR_BETWEEN":
    case "AEXPR_NOT_BETWEEN":
    case "AEXPR_BETWEEN_SYM":
    case "AEXPR_NOT_BETWEEN_SYM":
      return makeBetween(e, scope);
    default:
      throw notSupported(`operator kind ${e.kind ?? "?"}`, locationOf(location));
  }
}

/** `ROW(a, b) op (SELECT x, y …)`: the row-wise comparison with a one-row subquery. */
function rowCompareSubLink(e: ast.A_Expr): { link: ast.SubLink; row: ast.RowExpr } | undefined {
  const left = e.lexpr;
  const right = e.rexpr;
  if (left === undefined || right === undefined || !("RowExpr" in left)) return undefined;
  if (!("SubLink" in right) || right.SubLink.subLinkType !== "EXPR_SUBLINK") return undefined;
  return { link: { ...right.SubLink, location: e.location ?? -1 }, row: left.RowExpr };
}

function operatorName(names: ast.Node[] | undefined): string {
  const last = names?.[names.length - 1];
  return last !== undefined && "String" in last ? (last.String.sval ?? "") : "";
}

/** Resolves and builds `left name right` (prefix when `left` is null). */
export function makeOperator(
  name: string,
  left: Expr | null,
  right: Expr,
  scope: Scope,
  location: number | undefined,
  rowwise = true,
): Expr {
  if (rowwise && isRowComparison(name, left, right)) {
    return makeRowComparison(
      name,
      left as Expr & { kind: "row" },
      right as Expr & { kind: "row" },
      scope,
      location,
      makeOperator,
    );
  }
  const op = resolvedOperator(name, left, right, location);
  const params = scope.statement.params;
  const compatible = left === null ? undefined : compatibleOperands(op, left, right);
  const args =
    left === null
      ? [coerceTo(right, op.right, -1, "i", params)]
      : [
          coerceTo(left, compatible?.[0] ?? concreteOperand(op.left, left, op.right, right), -1,
            "i", params),
          coerceTo(right, compatible?.[1] ?? concreteOperand(op.right, right, op.left, left), -1,
            "i", params),
        ];
  const type = operatorResult(op, args);
  return {
    kind: "call",
    name,
    operator: true,
    args,
    strict: op.strict,
    volatile: false,
    type,
    typmod: -1,
    impl: bindOperator({ ...op, result: type }, args),
  };
}

/**
 * The result type of a polymorphic operator from its operands: `text[] || text[]` is text[],
 * not anycompatiblearray (an array result takes the array operand's type, else the array of
 * the element operand's; an element result the element type).
 */
export function operatorResult(op: OperatorDef, args: readonly Expr[]): number {
  if (!isPolymorphic(op.result)) return op.result;
  const declared = args.length === 1 ? [op.right] : [op.left, op.right];
  const arrayResult = op.result === Oid.anyarray || op.result === Oid.anycompatiblearray;
  for (const [i, d] of declared.entries()) {
    const input = args[i]!.type;
    if (!isPolymorphic(d) || input === Oid.unknown) continue;
    const isArrayDecl = d === Oid.anyarray || d === Oid.anycompatiblearray;
    const element = isArrayDecl ? typeInfo(input).elem : input;
    const result = arrayResult ? (isArrayDecl ? input : arrayOf(element)) : element;
    if (result !== 0) return result;
  }
  return op.result;
}

const compatibleFamily: ReadonlySet<number> = new Set([Oid.anycompatible, Oid.anycompatiblearray,
  Oid.anycompatiblenonarray]);

/**
 * Both operands of an anycompatible operator, typed, are coerced to their common type:
 * `numeric[] || int[]` is numeric[] || numeric[], `2 || numeric[]` numeric || numeric[].
 */
function compatibleOperands(op: OperatorDef, left: Expr, right: Expr):
  [number, number] | undefined {
  if (!compatibleFamily.has(op.left) || !compatibleFamily.has(op.right)) return undefined;
  if (left.type === Oid.unknown || right.type === Oid.unknown) return undefined;
  const isArray = (t: number): boolean => t === Oid.anycompatiblearray;
  const element = (d: number, e: Expr): Expr => (isArray(d) ? { ...e, type: typeInfo(e.type).elem }
    : e);
  const bound = commonType([element(op.left, left), element(op.right, right)], op.name);
  const target = (d: number): number => (isArray(d) ? arrayOf(bound) : bound);
  return [target(op.left), target(op.right)];
}

/**
 * Returns the type an operand is coerced to. A polymorphic parameter takes an untyped
 * literal's type from the other operand (`ia @> '{20}'` reads '{20}' as ia's int[]; an
 * element parameter against an array one takes its element type); other operands stay.
 */
function concreteOperand(declared: number, self: Expr, otherDeclared: number, other: Expr): number {
  if (!isPolymorphic(declared)) return declared;
  if (self.type !== Oid.unknown || other.type === Oid.unknown) return declared;
  const isArray = (t: number): boolean => t === Oid.anyarray || t === Oid.anycompatiblearray;
  if (!isPolymorphic(otherDeclared)) return declared;
  if (isArray(declared) === isArray(otherDeclared)) return other.type;
  return isArray(declared) ? typeInfo(other.type).array : typeInfo(other.type).elem;
}

/** Binds an operator's implementation to its resolved operand types. */
export function bindOperator(op: OperatorDef, args: readonly Expr[]): BoundImpl {
  const call = { argTypes: args.map((a) => a.type), returnType: op.result };
  const impl = op.impl;
  if (args.length === 1) return (values, ctx) => impl(null, values[0]!, ctx, call);
  const bound: BoundImpl = (values, ctx) => impl(values[0]!, values[1]!, ctx, call);
  if (op.comparator !== undefined) boundComparators.set(bound, op.comparator);
  return bound;
}

/** The bound implementations of built-in comparison operators, with their comparators. */
const boundComparators = new WeakMap<BoundImpl, OperatorComparator>();

/** The comparator behind a bound binary comparison operator, if it is a built-in one. */
export function comparatorOf(impl: BoundImpl): OperatorComparator | undefined {
  return boundComparators.get(impl);
}

/** `left op ANY (array)` / `ALL`: the operator applied to each element, 3-valued. */
function makeArrayOp(
  name: string,
  any: boolean,
  left: Expr,
  array: Expr,
  scope: Scope,
  location: number | undefined,
): Expr {
  const arrayType = array.type === Oid.unknown ? 0 : array.type;
  const element = arrayType === 0 ? left.type : typeInfo(arrayType).elem;
  if (arrayType !== 0 && element === 0) {
    throw new SqlError(
      SqlState.wrongObjectType,
      "op ANY/ALL (array) requires array on right side",
      locationOf(location),
    );
  }
  const probe = makeOperator(
    name,
    left,
    { kind: "const", type: element, typmod: -1, value: null },
    scope,
    location,
  );
  if (probe.kind !== "call") throw notSupported("this ANY/ALL comparison");
  if (probe.type !== Oid.bool) {
    throw new SqlError(SqlState.wrongObjectType,
      "op ANY/ALL (array) requires operator to yield boolean", locationOf(location));
  }
  const [leftArg, elementArg] = probe.args as [Expr, Expr];
  // The array takes the operator's right operand type (numeric = ANY(int[]) reads numerics).
  const arrayArg =
    arrayType === 0 || elementArg.type !== element
      ? coerceTo(array, typeInfo(elementArg.type).array, -1, "i", scope.statement.params)
      : array;
  const test = probe.impl;
  // As ExecEvalScalarArrayOp: a null array gives null, an empty one false (ANY) or true (ALL)
  // even for a null left operand, which otherwise gives null.
  const impl: BoundImpl = (values, ctx) => {
    const arr = values[1] as PgArray | null;
    if (arr === null) return null;
    if (arr.items.length === 0) return !any;
    if (values[0] === null && probe.strict) return null;
    let sawNull = false;
    for (const item of arr.items) {
      if (item === null) {
        sawNull = true;
        continue;
      }
      const r = test([values[0]!, item], ctx);
      if (r === null) sawNull = true;
      else if (r === any) return any;
    }
    return sawNull ? null : !any;
  };
  return {
    kind: "call",
    name: `${name} ${any ? "ANY" : "ALL"}`,
    operator: true,
    args: [leftArg, arrayArg],
    strict: false,
    volatile: false,
    type: Oid.bool,
    typmod: -1,
    impl,
  };
}

function makeDistinct(e: ast.A_Expr, scope: Scope): Expr {
  const left = analyzeExpr(e.lexpr!, scope);
  const right = analyzeExpr(e.rexpr!, scope);
  // IS DISTINCT FROM and NULLIF compare two whole values, rows included, with `=`.
  const eq = makeOperator("=", left, right, scope, e.location, false);
  if (eq.kind !== "call") throw notSupported("this comparison");
  if (eq.type !== Oid.bool) {
    throw new SqlError(
      SqlState.datatypeMismatch,
      "IS DISTINCT FROM requires = operator to yield boolean",
    );
  }
  const [l, r] = eq.args as [Expr, Expr];
  if (e.kind === "AEXPR_NULLIF") {
    return {
      kind: "nullif",
      type: l.type,
      typmod: l.typmod,
      left: l,
      right: r,
      negated: false,
      equals: eq.impl,
    };
  }
  return {
    kind: "distinct",
    type: Oid.bool,
    typmod: -1,
    left: l,
    right: r,
    negated: e.kind === "AEXPR_NOT_DISTINCT",
    equals: eq.impl,
  };
}

function makeInList(e: ast.A_Expr, negated: boolean, scope: Scope): Expr {
  const left = analyzeExpr(e.lexpr!, scope);
  const rexpr = e.rexpr!;
  const items = "List" in rexpr ? (rexpr.List.items ?? []) : [rexpr];
  const name = negated ? "<>" : "=";
  const tests = items.map((item) =>
    makeOperator(name, left, analyzeExpr(item, scope), scope, e.location),
  );
  if (tests.length === 1) return tests[0]!;
  return { kind: negated ? "and" : "or", type: Oid.bool, typmod: -1, args: tests };
}

function makeBetween(e: ast.A_Expr, scope: Scope): Expr {
  const arg = e.lexpr!;
  const bounds = "List" in e.rexpr! ? (e.rexpr.List.items ?? []) : [];
  const [lowRaw, highRaw] = bounds as [ast.Node, ast.Node];
  const op = (name: string, a: ast.Node, b: ast.Node): Expr =>
    makeOperator(name, analyzeExpr(a, scope), analyzeExpr(b, scope), scope, e.location);
  const and = (args: Expr[]): Expr => ({ kind: "and", type: Oid.bool, typmod: -1, args });
  const or = (args: Expr[]): Expr => ({ kind: "or", type: Oid.bool, typmod: -1, args });
  const inside = (lo: ast.Node, hi: ast.Node): Expr => and([op(">=", arg, lo), op("<=", arg, hi)]);
  const outside = (lo: ast.Node, hi: ast.Node): Expr => or([op("<", arg, lo), op(">", arg, hi)]);
  switch (e.kind) {
    case "AEXPR_BETWEEN":
      return inside(lowRaw, highRaw);
    case "AEXPR_NOT_BETWEEN":
      return outside(lowRaw, highRaw);
    case "AEXPR_BETWEEN_SYM":
      return or([inside(lowRaw, highRaw), inside(highRaw, lowRaw)]);
    default:
      return and([outside(lowRaw, highRaw), outside(highRaw, lowRaw)]);
  }
}

export type { Value };
export { asBoolean };

/**
 * Built-in operators resolved before, by name and operand types: which operator a name and
 * two built-in types select never changes (there is no CREATE OPERATOR), and resolving anew
 * filters every operator of the name for each `=` of every statement.
 */
const resolvedBuiltins = new Map<string, OperatorDef>();
/** Types below this OID are built in; user types are not cached. */
const firstUserOid = 16384;

/** Typed operands have the operator's declared types (an anyrange/anyelement operator). */
function exactOperands(op: OperatorDef, left: Expr | null, right: Expr): boolean {
  const fits = (declared: number, e: Expr): boolean => e.type === Oid.unknown ||
    e.type === declared;
  return fits(op.right, right) && (left === null || fits(op.left, left));
}

function resolvedOperator(name: string, left: Expr | null, right: Expr,
  location: number | undefined): OperatorDef {
  const enumOp = enumOperator(name, left === null ? null : left.type, right.type);
  if (enumOp !== undefined) return enumOp;
  const cacheable = right.type < firstUserOid && (left === null || left.type < firstUserOid);
  const key = cacheable ? `${name} ${left === null ? -1 : left.type} ${right.type}` : "";
  if (cacheable) {
    const known = resolvedBuiltins.get(key);
    if (known !== undefined) return known;
  }
  const candidates = operatorsNamed(name)
    .filter((op) => (left === null ? op.left === 0 : op.left !== 0))
    .filter((op) => op.exactOperands !== true || exactOperands(op, left, right))
    .map((op) => ({ argTypes: left === null ? [op.right] : [op.left, op.right], def: op }));
  const inputs = left === null ? [right.type] : [left.type, right.type];
  const selection = selectCandidate(candidates, inputs, true);
  const shown = (left === null ? [] : [typeInfo(left.type).sqlName]).concat(
    typeInfo(right.type).sqlName,
  );
  const what = left === null ? `${name} ${shown[0]}` : `${shown[0]} ${name} ${shown[1]}`;
  if (selection.kind === "none") {
    throw new SqlError(SqlState.undefinedFunction, `operator does not exist: ${what}`, {
      ...locationOf(location),
      hint:
        "No operator matches the given name and argument types. " +
        "You might need to add explicit type casts.",
    });
  }
  if (selection.kind === "ambiguous") {
    throw new SqlError(SqlState.ambiguousFunction, `operator is not unique: ${what}`, {
      ...locationOf(location),
      hint:
        "Could not choose a best candidate operator. You might need to add explicit type casts.",
    });
  }
  const op = selection.candidate.def;
  if (cacheable) resolvedBuiltins.set(key, op);
  return op;
}
