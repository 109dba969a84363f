/**
 * Subqueries in expressions (Postgres's transformSubLink): EXISTS, scalar, IN / op ANY / ALL
 * and ARRAY. The subquery is analyzed one level down; what it reads from this level becomes
 * the sublink's params.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { Oid, arrayOf, typeInfo } from "../catalog/types.js";
import type { BoundImpl, Expr } from "./expr.js";
import { analyzeExpr, locationOf } from "./expr-analyze.js";
import { makeOperator } from "./expr-ops.js";
import { Scope } from "./scope.js";
import { rememberSubLinkName } from "./naming.js";
import { analyzeSubquery } from "./subquery.js";

export function analyzeSubLink(link: ast.SubLink, scope: Scope): Expr {
  const child = new Scope(scope.statement, scope);
  const sub = analyzeSubquery(link.subselect!, child);
  const id = ++scope.statement.nextSubplanId;
  const base = {
    plan: sub.plan,
    params: child.outerParams,
    readsEnclosing: child.readsPassedThrough,
    ...(child.readsCorrelatedCte ? { readsCorrelatedCte: true } : {}),
    id,
    testArgs: [] as Expr[],
    testOps: [] as BoundImpl[],
    testOpName: "",
  };
  const loc = locationOf(link.location);
  switch (link.subLinkType) {
    case "EXISTS_SUBLINK":
      return { kind: "subLink", linkType: "exists", type: Oid.bool, typmod: -1, ...base };
    case "EXPR_SUBLINK":
    case "ARRAY_SUBLINK": {
      if (sub.columns.length !== 1) {
        throw new SqlError(SqlState.syntaxError, "subquery must return only one column", loc);
      }
      const col = sub.columns[0]!;
      if (link.subLinkType === "EXPR_SUBLINK") {
        rememberSubLinkName(link, col.name);
        return { kind: "subLink", linkType: "expr", type: col.type, typmod: col.typmod, ...base };
      }
      if (typeInfo(col.type).category === "A") {
        // ARRAY(SELECT int[]) is an int[] of one more dimension.
        return { kind: "subLink", linkType: "array", type: col.type, typmod: -1, ...base,
          stacksArrays: true };
      }
      return { kind: "subLink", linkType: "array", type: arrayOf(col.type), typmod: -1, ...base };
    }
    case "ANY_SUBLINK":
    case "ALL_SUBLINK":
      return quantified(link, scope, sub.columns, base);
    default:
      throw notSupported(`subquery kind ${link.subLinkType ?? "?"}`, loc);
  }
}

function quantified(
  link: ast.SubLink,
  scope: Scope,
  columns: readonly { type: number; typmod: number }[],
  base: Omit<Expr & { kind: "subLink" }, "kind" | "linkType" | "type" | "typmod">,
): Expr {
  const names = link.operName ?? [{ String: { sval: "=" } }];
  const last = names[names.length - 1]!;
  const opName = "String" in last ? (last.String.sval ?? "=") : "=";
  const test = link.testexpr!;
  const lefts =
    "RowExpr" in test
      ? (test.RowExpr.args ?? []).map((a) => analyzeExpr(a, scope))
      : [analyzeExpr(test, scope)];
  if (lefts.length !== columns.length) {
    throw new SqlError(
      SqlState.syntaxError,
      lefts.length < columns.length
        ? "subquery has too many columns"
        : "subquery has too few columns",
      locationOf(link.location),
    );
  }
  const testArgs: Expr[] = [];
  const testOps: BoundImpl[] = [];
  lefts.forEach((left, i) => {
    const col = columns[i]!;
    const probe = makeOperator(
      opName,
      left,
      { kind: "const", type: col.type, typmod: col.typmod, value: null },
      scope,
      link.location,
    );
    if (probe.kind !== "call") throw notSupported("this subquery comparison");
    testArgs.push(probe.args[0]!);
    testOps.push(probe.impl);
  });
  return {
    kind: "subLink",
    linkType: link.subLinkType === "ANY_SUBLINK" ? "any" : "all",
    type: Oid.bool,
    typmod: -1,
    ...base,
    testArgs,
    testOps,
    testOpName: opName,
  };
}

/**
 * `ROW(a, b) op (SELECT x, y …)` (Postgres's ROWCOMPARE_SUBLINK): the subquery must give at
 * most one row (21000 otherwise); none gives NULL; one is compared column by column, with
 * the row-wise semantics of `=`, `<>` and the ordering operators.
 */
export function analyzeRowCompareSubLink(input: { link: ast.SubLink; row: ast.RowExpr },
  opName: string, scope: Scope): Expr {
  const { link, row } = input;
  const lefts = (row.args ?? []).map((a) => analyzeExpr(a, scope));
  const child = new Scope(scope.statement, scope);
  const sub = analyzeSubquery(link.subselect!, child);
  const loc = locationOf(link.location);
  if (lefts.length !== sub.columns.length) {
    throw new SqlError(SqlState.syntaxError, lefts.length < sub.columns.length
      ? "subquery has too many columns" : "subquery has too few columns", loc);
  }
  // The test reads both rows from slots, so no walker over vars needs to look inside it:
  // the left values (testArgs) fill the first slots, the subquery's row the others.
  const slot = (e: { type: number; typmod: number }, name: string): Expr =>
    ({ kind: "outer", slot: scope.statement.nextSlot++, type: e.type, typmod: e.typmod, name });
  const leftSlots = lefts.map((e, i) => slot(e, `left${i + 1}`));
  const rightSlots = sub.columns.map((c) => slot(c, c.name));
  const leftRow: Expr = { kind: "row", args: leftSlots, type: Oid.record, typmod: -1 };
  const rightRow: Expr = { kind: "row", args: rightSlots, type: Oid.record, typmod: -1 };
  const test = makeOperator(opName, leftRow, rightRow, scope, link.location);
  const slots = [...leftSlots, ...rightSlots].map((e) => (e as Expr & { kind: "outer" }).slot);
  return {
    kind: "subLink", linkType: "expr", type: Oid.bool, typmod: -1,
    plan: sub.plan, params: child.outerParams, readsEnclosing: child.readsPassedThrough,
    ...(child.readsCorrelatedCte ? { readsCorrelatedCte: true } : {}),
    id: ++scope.statement.nextSubplanId,
    testArgs: lefts, testOps: [], testOpName: opName, rowCompare: { slots, test },
  };
}
