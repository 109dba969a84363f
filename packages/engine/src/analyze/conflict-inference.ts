/**
 * ON CONFLICT's unique index inference (Postgres's infer_arbiter_indexes) for a conflict
 * target of columns and expressions with an optional WHERE:
 *
 *     ON CONFLICT (key, lower(fruit)) WHERE fruit LIKE '%berry' DO ...
 *
 * An index is an arbiter when its key columns and expressions are exactly the target's
 * (each may be named more than once), and, for a partial index, when the target's WHERE
 * implies the index predicate. The implication is proved as Postgres's predtest.c proves
 * the common cases: the predicate's conjuncts each appear among the WHERE's conjuncts, or
 * follow from one of them by a comparison with a constant (`x > 1` implies `x > 0`).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Index, Relation } from "../catalog/relation.js";
import { analyzeExpr } from "./expr-analyze.js";
import { defaultOpclass, operatorClass } from "../catalog/access-methods.js";
import { tableItem } from "./modify-target.js";
import { Scope, type StatementScope } from "./scope.js";

/** The unique indexes a column/expression conflict target infers, or raises 42P10. */
export function inferByElements(rel: Relation, infer: ast.InferClause,
  statement: StatementScope): Index[] {
  const columns = new Set<number>();
  const exprs: string[] = [];
  const classed: ClassedElement[] = [];
  const scope = new Scope(statement, undefined);
  scope.items.push(tableItem(rel, rel.name, 0));
  for (const node of infer.indexElems ?? []) {
    if (!("IndexElem" in node)) continue;
    const elem = node.IndexElem;
    const column = elem.name ?? plainColumn(elem.expr);
    if (column !== undefined) {
      const i = rel.columns.findIndex((c) => c.name === column && !c.dropped);
      if (i < 0) {
        throw new SqlError(SqlState.undefinedColumn, `column "${column}" does not exist`);
      }
      columns.add(i);
      if (elem.opclass !== undefined) classed.push({ column: i, opclass: elem.opclass });
      continue;
    }
    // Analyzed for its errors (an unknown column is 42703), compared by its raw form.
    analyzeExpr(elem.expr!, scope);
    exprs.push(shape(elem.expr));
    if (elem.opclass !== undefined) classed.push({ expr: shape(elem.expr), opclass: elem.opclass });
  }
  if (infer.whereClause !== undefined) analyzeExpr(infer.whereClause, scope);
  const where = infer.whereClause === undefined ? [] : conjuncts(infer.whereClause);
  const found = rel.indexes.filter((index) => index.unique &&
    (index.method ?? "btree") === "btree" && index.exclusion === undefined &&
    keysMatch(index, columns, exprs) && classesMatch(rel, index, classed) &&
    predicateHolds(index, where));
  if (found.length === 0) {
    throw new SqlError(SqlState.invalidColumnReference,
      "there is no unique or exclusion constraint matching the ON CONFLICT specification");
  }
  return found;
}

/** `(col)` written as an expression is the column itself. */
function plainColumn(expr: ast.Node | undefined): string | undefined {
  if (expr === undefined || !("ColumnRef" in expr)) return undefined;
  const fields = expr.ColumnRef.fields ?? [];
  const last = fields[fields.length - 1];
  return fields.length === 1 && last !== undefined && "String" in last
    ? last.String.sval : undefined;
}

/** True when the index's key is exactly the target's columns and expressions. */
function keysMatch(index: Index, columns: ReadonlySet<number>, exprs: readonly string[]):
  boolean {
  const ownColumns = new Set<number>();
  const ownExprs = new Set<string>();
  index.columns.forEach((c, k) => {
    if (c >= 0) ownColumns.add(c);
    else ownExprs.add(shape(index.computed?.exprs[k] ?? undefined));
  });
  if (ownColumns.size !== columns.size || [...columns].some((c) => !ownColumns.has(c))) {
    return false;
  }
  const wanted = new Set(exprs);
  return wanted.size === ownExprs.size && [...wanted].every((e) => ownExprs.has(e));
}

/** An inference element naming an operator class: `(fruit text_pattern_ops)`. */
interface ClassedElement {
  readonly column?: number;
  readonly expr?: string;
  readonly opclass: readonly ast.Node[];
}

/**
 * True when each element naming an operator class meets a key of the index with that class
 * (infer_collation_opclass_match); an element without one accepts any class.
 */
function classesMatch(rel: Relation, index: Index, classed: readonly ClassedElement[]):
  boolean {
  return classed.every((element) => {
    const names = element.opclass.map((n) => ("String" in n ? n.String.sval ?? "" : ""));
    const wanted = names[names.length - 1];
    return index.columns.some((c, k) => {
      const same = element.column !== undefined ? c === element.column
        : c < 0 && shape(index.computed?.exprs[k] ?? undefined) === element.expr;
      return same && keyClassName(rel, index, k) === wanted;
    });
  });
}

/** The name of the operator class of the index's key `k` (its type's default if unnamed). */
function keyClassName(rel: Relation, index: Index, k: number): string | undefined {
  const oid = index.opclasses?.[k];
  if (oid !== undefined && oid !== 0) return operatorClass(oid)?.name;
  const column = index.columns[k]!;
  const type = column >= 0 ? rel.columns[column]!.type : index.computed?.types[k] ?? 0;
  return defaultOpclass(index.method ?? "btree", type)?.name;
}

function predicateHolds(index: Index, where: readonly ast.Node[]): boolean {
  const predicate = index.computed?.predicate ?? null;
  if (predicate === null) return true;
  return conjuncts(predicate).every((p) => where.some((w) => implies(w, p)));
}

/** The AND-ed parts of a condition. */
function conjuncts(node: ast.Node): ast.Node[] {
  if ("BoolExpr" in node && node.BoolExpr.boolop === "AND_EXPR") {
    return (node.BoolExpr.args ?? []).flatMap(conjuncts);
  }
  return [node];
}

/** A node's structure without source positions, for comparing expressions. */
function shape(node: ast.Node | undefined): string {
  return JSON.stringify(node ?? null, (key, value: unknown) =>
    (key === "location" ? undefined : value));
}

type Bound = { readonly subject: string; readonly op: string; readonly value: number };

const flipped: Record<string, string> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=" };

/** `expr op constant` (or `constant op expr`) with a numeric constant, or undefined. */
function boundOf(node: ast.Node): Bound | undefined {
  if (!("A_Expr" in node) || node.A_Expr.kind !== "AEXPR_OP") return undefined;
  const e = node.A_Expr;
  const names = e.name ?? [];
  const op = names.length === 1 && "String" in names[0]! ? names[0].String.sval ?? "" : "";
  if (flipped[op] === undefined || e.lexpr === undefined || e.rexpr === undefined) {
    return undefined;
  }
  const right = numberOf(e.rexpr);
  if (right !== undefined) return { subject: shape(e.lexpr), op, value: right };
  const left = numberOf(e.lexpr);
  if (left !== undefined) return { subject: shape(e.rexpr), op: flipped[op]!, value: left };
  return undefined;
}

function numberOf(node: ast.Node): number | undefined {
  if (!("A_Const" in node)) return undefined;
  const c = node.A_Const;
  if (c.ival !== undefined) return c.ival.ival ?? 0;
  if (c.fval !== undefined) return Number(c.fval.fval);
  return undefined;
}

/** True when condition `w` holding proves `p` holds (equal, or bounds that imply). */
function implies(w: ast.Node, p: ast.Node): boolean {
  if (shape(w) === shape(p)) return true;
  const a = boundOf(w);
  const b = boundOf(p);
  if (a === undefined || b === undefined || a.subject !== b.subject) return false;
  return boundImplies(a, b);
}

/** Whether `subject a.op a.value` implies `subject b.op b.value`. */
function boundImplies(a: Bound, b: Bound): boolean {
  const x = a.value;
  const y = b.value;
  switch (b.op) {
    case ">": return (a.op === ">" && x >= y) || ((a.op === ">=" || a.op === "=") && x > y);
    case ">=": return (a.op === ">" || a.op === ">=" || a.op === "=") && x >= y;
    case "<": return (a.op === "<" && x <= y) || ((a.op === "<=" || a.op === "=") && x < y);
    case "<=": return (a.op === "<" || a.op === "<=" || a.op === "=") && x <= y;
    default: return a.op === "=" && x === y;
  }
}
