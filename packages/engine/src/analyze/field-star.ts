/**
 * `(expr).*` in a select list (`SELECT (t.p).*`, `SELECT (f(x)).*`): one output column per
 * field of the composite value, each a field selection named after its field, as Postgres's
 * ExpandIndirectionStar. The expression is evaluated once per field, as in Postgres.
 */
import type { ast } from "@tessera/sql";
import { namedAttributes } from "./composite-coerce.js";
import { analyzeExpr } from "./expr-analyze.js";
import type { Expr } from "./expr.js";
import type { Scope } from "./scope.js";
import { recordShape, selectField } from "./whole-row.js";
import { Oid } from "../catalog/types.js";
import { baseTypeOf } from "../catalog/domains.js";

/** The targets of `(expr).*`, or undefined when `val` is not of that form. */
export function expandFieldStar(val: ast.Node, scope: Scope):
  { expr: Expr; name: string }[] | undefined {
  if (!("A_Indirection" in val)) return undefined;
  const steps = val.A_Indirection.indirection ?? [];
  const last = steps[steps.length - 1];
  if (last === undefined || !("A_Star" in last)) return undefined;
  const inner: ast.Node = steps.length === 1 ? val.A_Indirection.arg!
    : { A_Indirection: { ...val.A_Indirection, indirection: steps.slice(0, -1) } };
  const base = analyzeExpr(inner, scope);
  // A record of known shape (`(pg_identify_object(c, o, 0)).*`) expands like a composite.
  const attributes = namedAttributes(base.type) ??
    namedAttributes(baseTypeOf(base.type).type) ??
    (base.type === Oid.record ? recordShape(base.typmod) : undefined);
  if (attributes === undefined) {
    // Let the field selection raise Postgres's error for a non-composite type.
    selectField(base, "*");
    return [];
  }
  return attributes.map((a) => ({ expr: selectField(base, a.name), name: a.name }));
}

/**
 * The arguments of ROW(...), where `t.*` and `(expr).*` stand for one argument per field,
 * as Postgres's transformExpressionList expands them.
 */
export function analyzeRowArgs(args: readonly ast.Node[], scope: Scope): Expr[] {
  return args.flatMap((arg) => {
    const fieldStar = expandFieldStar(arg, scope);
    if (fieldStar !== undefined) return fieldStar.map((f) => f.expr);
    const fields = "ColumnRef" in arg ? arg.ColumnRef.fields ?? [] : [];
    if (fields.length < 2 || !("A_Star" in fields[fields.length - 1]!)) {
      return [analyzeExpr(arg, scope)];
    }
    const row = analyzeExpr(arg, scope);
    const attributes = namedAttributes(row.type) ??
      (row.type === Oid.record ? recordShape(row.typmod) : undefined);
    return attributes?.map((a) => selectField(row, a.name)) ?? [row];
  });
}
