/**
 * Parse-tree helpers of the view printer (`view-deparse.ts`): what a select-list or ORDER BY
 * item is (`*`, a bare name, a position), the subqueries and SQL-syntax calls an expression
 * holds, and ruleutils.c's removal of spaces before new lines.
 */
import { notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Expr, SubLinkExpr } from "../../analyze/expr.js";
import { mapExpr } from "../../analyze/expr-map.js";

/** `*` gives null, `t.*` gives "t"; undefined for anything else. */
export function starOf(node: ast.Node | undefined): string | null | undefined {
  if (node === undefined || !("ColumnRef" in node)) return undefined;
  const fields = node.ColumnRef.fields ?? [];
  const last = fields[fields.length - 1];
  if (last === undefined || !("A_Star" in last)) return undefined;
  if (fields.length === 1) return null;
  const qualifier = fields[fields.length - 2]!;
  return "String" in qualifier ? qualifier.String.sval ?? "" : "";
}

export function bareName(node: ast.Node): string | undefined {
  if (!("ColumnRef" in node)) return undefined;
  const fields = node.ColumnRef.fields ?? [];
  const only = fields[0];
  return fields.length === 1 && only !== undefined && "String" in only
    ? only.String.sval : undefined;
}

export function integerConst(node: ast.Node): number | undefined {
  if (!("A_Const" in node)) return undefined;
  const value = node.A_Const.ival;
  return value === undefined ? undefined : value.ival ?? 0;
}

/** A set operation's ORDER BY key as the output column number ruleutils prints. */
export function columnNumber(node: ast.Node, outputs: readonly string[]): number {
  const position = integerConst(node);
  if (position !== undefined) return position;
  const bare = bareName(node);
  const index = bare === undefined ? -1 : outputs.indexOf(bare);
  if (index < 0) throw notSupported("this ORDER BY of a set operation in a view definition");
  return index + 1;
}

/**
 * Pairs the subqueries of an analyzed expression with the parse tree's SubLink nodes, both
 * in the order they are written (this query level only).
 */
export function matchSubLinks(e: Expr, node: ast.Node): Map<SubLinkExpr, ast.SubLink> {
  const analyzed: SubLinkExpr[] = [];
  const visit = (x: Expr): void => {
    mapExpr(x, (y) => {
      if (y.kind === "subLink") {
        y.testArgs.forEach(visit);
        analyzed.push(y);
        return y;
      }
      if (y.kind === "aggref") {
        y.agg.args.forEach(visit);
        if (y.agg.filter !== null) visit(y.agg.filter);
        return y;
      }
      if (y.kind === "windowref") {
        y.call.args.forEach(visit);
        return y;
      }
      return undefined;
    });
  };
  visit(e);
  const written: ast.SubLink[] = [];
  collectSubLinks(node, written);
  const map = new Map<SubLinkExpr, ast.SubLink>();
  if (written.length !== analyzed.length) return map;
  analyzed.forEach((a, i) => map.set(a, written[i]!));
  return map;
}

function collectSubLinks(value: unknown, out: ast.SubLink[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collectSubLinks(v, out);
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, v] of Object.entries(value)) {
    if (key === "SubLink") {
      const link = v as ast.SubLink;
      collectSubLinks(link.testexpr, out);
      out.push(link);
    } else {
      collectSubLinks(v, out);
    }
  }
}

/** The functions written in SQL syntax in an expression, and its SQLValueFunction ops. */
export function sqlSyntaxNames(node: ast.Node): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (value === null || typeof value !== "object") return;
    for (const [key, v] of Object.entries(value)) {
      if (key === "FuncCall" && (v as ast.FuncCall).funcformat === "COERCE_SQL_SYNTAX") {
        const last = (v as ast.FuncCall).funcname?.at(-1);
        if (last !== undefined && "String" in last) names.add(last.String.sval ?? "");
      }
      if (key === "SQLValueFunction") {
        const op = (v as ast.SQLValueFunction).op ?? "";
        names.add(op.replace(/_N$/, ""));
        names.add("now");
      }
      if (key !== "SubLink") visit(v);
    }
  };
  visit(node);
  return names;
}

/**
 * The names a FROM list gives its items (an alias, else the relation's or function's name;
 * `unnamed_subquery` for a subquery without one), joins included.
 */
export function fromNames(list: readonly ast.Node[]): string[] {
  return list.flatMap((node): string[] => {
    if ("RangeVar" in node) return [node.RangeVar.alias?.aliasname ?? node.RangeVar.relname ?? ""];
    if ("RangeSubselect" in node) {
      return [node.RangeSubselect.alias?.aliasname ?? "unnamed_subquery"];
    }
    if ("RangeFunction" in node) {
      const first = node.RangeFunction.functions?.[0];
      const call = first !== undefined && "List" in first ? first.List.items?.[0] : undefined;
      const name = call !== undefined && "FuncCall" in call
        ? call.FuncCall.funcname?.at(-1) : undefined;
      return [node.RangeFunction.alias?.aliasname ??
        (name !== undefined && "String" in name ? name.String.sval ?? "" : "")];
    }
    if (!("JoinExpr" in node)) return [];
    const j = node.JoinExpr;
    return [...fromNames([j.larg!, j.rarg!]), ...(j.alias?.aliasname !== undefined
      ? [j.alias.aliasname] : [])];
  });
}

/** removeStringInfoSpaces before each new line, outside string literals. */
export function stripSpacesBeforeNewlines(text: string): string {
  return text.replace(/('(?:[^']|'')*')| +\n/g, (match, literal?: string) =>
    (literal !== undefined ? literal : "\n"));
}
