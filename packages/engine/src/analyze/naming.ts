/**
 * Result column names, as Postgres's FigureColname: a column reference names itself, a
 * function call its function, a cast of an unnamed value its target type ("int4" for
 * `1::int`), CASE "case", everything else "?column?".
 */
import type { ast } from "@tessera/sql";

/** Returns the name Postgres gives a select-list entry without an alias. */
export function figureColname(expr: ast.Node | undefined): string {
  return figure(expr)?.name ?? "?column?";
}

interface Figured {
  readonly name: string;
  /** 2 for names from columns and functions, 1 for names of constructs ("case"). */
  readonly strength: number;
}

function figure(expr: ast.Node | undefined): Figured | undefined {
  if (expr === undefined) return undefined;
  if ("ColumnRef" in expr) {
    // The last field name, ignoring a trailing `*` (`(t.*)::text` is named "t").
    const names = (expr.ColumnRef.fields ?? []).filter((f) => "String" in f);
    const last = names[names.length - 1];
    return last !== undefined && "String" in last ? strong(last.String.sval ?? "") : undefined;
  }
  if ("FuncCall" in expr) {
    const names = expr.FuncCall.funcname ?? [];
    const last = names[names.length - 1];
    return last !== undefined && "String" in last ? strong(last.String.sval ?? "") : undefined;
  }
  if ("TypeCast" in expr) {
    const inner = figure(expr.TypeCast.arg);
    if (inner !== undefined && inner.strength > 1) return inner;
    const names = expr.TypeCast.typeName?.names ?? [];
    const last = names[names.length - 1];
    return last !== undefined && "String" in last ? { name: last.String.sval ?? "", strength: 1 }
      : inner;
  }
  if ("CaseExpr" in expr) {
    const inner = figure(expr.CaseExpr.defresult);
    return inner !== undefined && inner.strength > 1 ? inner : { name: "case", strength: 1 };
  }
  return figureConstruct(expr);
}

function figureConstruct(expr: ast.Node): Figured | undefined {
  if ("A_Indirection" in expr) {
    const list = expr.A_Indirection.indirection ?? [];
    const last = list[list.length - 1];
    if (last !== undefined && "String" in last) return strong(last.String.sval ?? "");
    return figure(expr.A_Indirection.arg);
  }
  if ("A_Expr" in expr && expr.A_Expr.kind === "AEXPR_NULLIF") return strong("nullif");
  if ("A_ArrayExpr" in expr) return strong("array");
  if ("RowExpr" in expr) return strong("row");
  if ("CoalesceExpr" in expr) return strong("coalesce");
  if ("MinMaxExpr" in expr) {
    return strong(expr.MinMaxExpr.op === "IS_GREATEST" ? "greatest" : "least");
  }
  if ("SQLValueFunction" in expr) return strong(svfName(expr.SQLValueFunction.op));
  if ("GroupingFunc" in expr) return strong("grouping");
  if ("CollateClause" in expr) return figure(expr.CollateClause.arg);
  if ("SubLink" in expr) {
    const type = expr.SubLink.subLinkType;
    if (type === "EXISTS_SUBLINK") return strong("exists");
    if (type === "ARRAY_SUBLINK") return strong("array");
    if (type === "EXPR_SUBLINK") return figureSubselect(expr.SubLink);
  }
  return undefined;
}

/** Result column names of analyzed scalar subqueries, by their parse node. */
const subLinkNames = new WeakMap<ast.SubLink, string>();

/**
 * Records the name of an analyzed scalar subquery's column: Postgres names `(SELECT …)` after
 * its analyzed target (so `*`, set operations and `?column?` all count).
 */
export function rememberSubLinkName(link: ast.SubLink, name: string): void {
  subLinkNames.set(link, name);
}

function figureSubselect(link: ast.SubLink): Figured | undefined {
  const known = subLinkNames.get(link);
  if (known !== undefined) return strong(known);
  const sub = link.subselect;
  if (sub === undefined || !("SelectStmt" in sub)) return undefined;
  const first = sub.SelectStmt.targetList?.[0];
  if (first === undefined || !("ResTarget" in first)) return undefined;
  if (first.ResTarget.name !== undefined) return strong(first.ResTarget.name);
  return figure(first.ResTarget.val);
}

function strong(name: string): Figured {
  return { name, strength: 2 };
}

/** Names a SQLValueFunction as Postgres does ("current_timestamp", "current_user"). */
export function svfName(op: ast.SQLValueFunction["op"]): string {
  switch (op) {
    case "SVFOP_CURRENT_DATE": return "current_date";
    case "SVFOP_CURRENT_TIME": case "SVFOP_CURRENT_TIME_N": return "current_time";
    case "SVFOP_CURRENT_TIMESTAMP": case "SVFOP_CURRENT_TIMESTAMP_N": return "current_timestamp";
    case "SVFOP_LOCALTIME": case "SVFOP_LOCALTIME_N": return "localtime";
    case "SVFOP_LOCALTIMESTAMP": case "SVFOP_LOCALTIMESTAMP_N": return "localtimestamp";
    case "SVFOP_CURRENT_ROLE": return "current_role";
    case "SVFOP_CURRENT_USER": return "current_user";
    case "SVFOP_USER": return "user";
    case "SVFOP_SESSION_USER": return "session_user";
    case "SVFOP_CURRENT_CATALOG": return "current_catalog";
    case "SVFOP_CURRENT_SCHEMA": return "current_schema";
    default: return "?column?";
  }
}
