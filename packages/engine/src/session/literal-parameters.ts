/**
 * Which literals of a statement shape may be bound as parameters of one cached plan
 * (`literal-plans.ts`) rather than planned as constants, and the statement that binds them.
 *
 * A literal planned as a constant and one bound as a parameter of the same type must give
 * the same answer and the same errors. That holds only where the analyzer treats both alike,
 * so the rule is narrow: an integer literal that fits int4 (the ICONST token, always int4),
 * standing as one operand of a plain comparison whose other operand is a column, at the top of
 * a WHERE clause (under AND, OR, NOT); or of `+ - *` or a comparison as an UPDATE's SET value,
 * when the UPDATE has no FROM or WITH (so the column is the target table's); or a whole value
 * of an INSERT … VALUES row.
 *
 *   UPDATE pgbench_accounts SET abalance = abalance + -4012 WHERE aid = 48213
 *   -> UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2, with int4 values
 *
 * In an operator, the operator is resolved from the same two types, no cast applies to the
 * literal that could fail (int4 converts implicitly only to types that hold every int4), and
 * a comparison of int4 cannot fail. Arithmetic can (overflow), so it is bound only where its
 * column is a table's: the planner may replace a column of a view or subquery by a constant
 * and fold the operator, failing at planning where the bound plan fails only on rows it
 * reaches. An INSERT value goes to an int4 column as it is; for any other column the analyzer
 * converts the constant (to int2, int8, numeric …), the two plans differ, and the comparison
 * in `literal-plans.ts` refuses to share them.
 * Elsewhere a literal may be folded (and fail) at analysis, read as a position (ORDER BY 1),
 * matched against an equal expression (GROUP BY a + 1), typed by its context (strings), or
 * change a row estimate (LIMIT): a shape with any such literal is never bound.
 */
import type { ast } from "@tessera/sql";
import type { ScannedLiteral } from "./literal-scanner.js";

/** Operators whose int4 operand is safe as a parameter when the other side is any column. */
const comparisons = new Set(["=", "<>", "<", ">", "<=", ">="]);
/** Operators whose int4 operand is safe as a parameter when the other side is a table's column. */
const arithmetic = new Set([...comparisons, "+", "-", "*"]);

/**
 * Returns the A_Const objects of `stmt` to bind, in parameter order, when every literal of
 * the statement can be bound; otherwise null. `slots` maps each A_Const a literal made to the
 * literal's index.
 */
export function bindableConstants(stmt: ast.Node, literals: readonly ScannedLiteral[],
  slots: ReadonlyMap<object, { readonly literal: number }>): object[] | null {
  if (literals.length === 0 || literals.some((l) => l.kind !== "iconst")) return null;
  const found: object[] = [];
  const where = (clause: ast.Node | undefined): boolean =>
    clause === undefined || collectCondition(clause, { slots, found, operators: comparisons }, 0);
  let ok: boolean;
  if ("SelectStmt" in stmt) {
    const select = stmt.SelectStmt;
    ok = (select.op ?? "SETOP_NONE") === "SETOP_NONE" && where(select.whereClause);
  } else if ("UpdateStmt" in stmt) {
    const update = stmt.UpdateStmt;
    const plain = (update.fromClause ?? []).length === 0 && update.withClause === undefined;
    const set = { slots, found, operators: plain ? arithmetic : comparisons };
    ok = where(update.whereClause) && (update.targetList ?? []).every((target) =>
      "ResTarget" in target && (target.ResTarget.val === undefined ||
        collectOperand(target.ResTarget.val, set)));
  } else if ("DeleteStmt" in stmt) {
    ok = where(stmt.DeleteStmt.whereClause);
  } else if ("InsertStmt" in stmt) {
    ok = collectValues(stmt.InsertStmt, slots, found);
  } else {
    ok = false;
  }
  // Every A_Const a literal made must be bound: one left as a constant would be planned once
  // with the first statement's value.
  return ok && found.length === slots.size ? found : null;
}

/** Collects the literals that are whole values of an INSERT … VALUES row. */
function collectValues(insert: ast.InsertStmt, slots: ReadonlyMap<object, unknown>,
  found: object[]): boolean {
  const source = insert.selectStmt;
  if (insert.withClause !== undefined || source === undefined || !("SelectStmt" in source)) {
    return false;
  }
  const rows = source.SelectStmt.valuesLists ?? [];
  return rows.length > 0 && rows.every((row) => "List" in row &&
    (row.List.items ?? []).every((item) => {
      if (!holdsSlot(item, slots, 0)) return true;
      if (!("A_Const" in item) || !slots.has(item.A_Const)) return false;
      found.push(item.A_Const);
      return true;
    }));
}

/** What a walk collects into, and the operators it accepts. */
interface Collect {
  readonly slots: ReadonlyMap<object, unknown>;
  readonly found: object[];
  readonly operators: ReadonlySet<string>;
}

/** Walks AND/OR/NOT down to the comparisons, collecting bindable constants. */
function collectCondition(clause: ast.Node, into: Collect, depth: number): boolean {
  if (depth > 100) return false;
  if ("BoolExpr" in clause) {
    return (clause.BoolExpr.args ?? []).every((arg) => collectCondition(arg, into, depth + 1));
  }
  return collectOperand(clause, into);
}

/**
 * Accepts an expression holding no literal, or `column op literal` / `literal op column`
 * with a bindable operator; collects the literal's A_Const.
 */
function collectOperand(expr: ast.Node, into: Collect): boolean {
  const { slots, found } = into;
  if (!holdsSlot(expr, slots, 0)) return true;
  if (!("A_Expr" in expr)) return false;
  const op = expr.A_Expr;
  const names = op.name ?? [];
  const name = names.length === 1 && "String" in names[0]! ? names[0].String.sval ?? "" : "";
  if (op.kind !== "AEXPR_OP" || !into.operators.has(name)) return false;
  const { lexpr, rexpr } = op;
  if (lexpr === undefined || rexpr === undefined) return false;
  const constant = isPlainColumn(lexpr) ? rexpr : isPlainColumn(rexpr) ? lexpr : undefined;
  if (constant === undefined || !("A_Const" in constant)) return false;
  if (!slots.has(constant.A_Const)) return false;
  found.push(constant.A_Const);
  return true;
}

/** A column named by plain identifiers (no `*`, no subscripts). */
function isPlainColumn(expr: ast.Node): boolean {
  if (!("ColumnRef" in expr)) return false;
  const fields = expr.ColumnRef.fields ?? [];
  return fields.length > 0 && fields.every((f) => "String" in f);
}

/** True when an A_Const a literal made sits anywhere inside `value`. */
function holdsSlot(value: unknown, slots: ReadonlyMap<object, unknown>, depth: number): boolean {
  if (typeof value !== "object" || value === null || depth > 200) return depth > 200;
  if (slots.has(value)) return true;
  if (Array.isArray(value)) return value.some((item) => holdsSlot(item, slots, depth + 1));
  return Object.values(value).some((item) => holdsSlot(item, slots, depth + 1));
}
