/**
 * Well-formedness of a WITH RECURSIVE query, checked on the raw tree before analysis (as
 * Postgres's checkWellFormedRecursion does): a CTE that names itself must be
 * `non-recursive-term UNION [ALL] recursive-term`, without ORDER BY, LIMIT, OFFSET or FOR
 * UPDATE on the union, with no self-reference in the non-recursive term, and with exactly one
 * self-reference in the recursive term, outside subqueries, INTERSECT/EXCEPT and the nullable
 * side of an outer join. Aggregates in the recursive term are found on its plan.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Plan } from "../plan/plan.js";

/** Counts the unqualified table references to `name` anywhere under `node`. */
export function countSelfReferences(node: unknown, name: string): number {
  if (Array.isArray(node)) {
    let n = 0;
    for (const item of node) n += countSelfReferences(item, name);
    return n;
  }
  if (typeof node !== "object" || node === null) return 0;
  const record = node as Record<string, unknown>;
  const rangeVar = record["RangeVar"] as ast.RangeVar | undefined;
  if (rangeVar !== undefined) {
    return rangeVar.relname === name && rangeVar.schemaname === undefined ? 1 : 0;
  }
  let n = 0;
  for (const value of Object.values(record)) n += countSelfReferences(value, name);
  return n;
}

/** Raises Postgres's errors for a self-referencing CTE that is not a well-formed recursion. */
export function checkRecursiveForm(name: string, query: ast.Node): ast.SelectStmt {
  const stmt = "SelectStmt" in query ? query.SelectStmt : undefined;
  if (stmt === undefined || stmt.op !== "SETOP_UNION") {
    throw recursionError(`recursive query "${name}" does not have the form ` +
      "non-recursive-term UNION [ALL] recursive-term");
  }
  const notImplemented = (what: string): SqlError =>
    new SqlError(SqlState.featureNotSupported, `${what} in a recursive query is not implemented`);
  if ((stmt.sortClause ?? []).length > 0) throw notImplemented("ORDER BY");
  if (stmt.limitOffset !== undefined) throw notImplemented("OFFSET");
  if (stmt.limitCount !== undefined) throw notImplemented("LIMIT");
  if ((stmt.lockingClause ?? []).length > 0) throw notImplemented("FOR UPDATE/SHARE");
  if (countSelfReferences(stmt.larg, name) > 0) {
    throw recursionError(
      `recursive reference to query "${name}" must not appear within its non-recursive term`);
  }
  const walker = new RecursiveTermWalker(name);
  walker.select(stmt.rarg!);
  return stmt;
}

/** Raises 42P19 when the recursive term aggregates at its own level. */
export function checkRecursiveTermPlan(plan: Plan): void {
  for (let p: Plan | undefined = plan; p !== undefined; p = inputOf(p)) {
    if (p.kind === "agg" && p.aggs.length > 0) {
      throw recursionError("aggregate functions are not allowed in a recursive query's " +
        "recursive term");
    }
  }
}

function inputOf(plan: Plan): Plan | undefined {
  switch (plan.kind) {
    case "project": case "sort": case "limit": case "distinct": case "window": case "trim":
    case "agg":
      return plan.input;
    default:
      return undefined;
  }
}

function recursionError(message: string): SqlError {
  return new SqlError(SqlState.invalidRecursion, message);
}

/** Walks the recursive term, counting self-references where they are allowed. */
class RecursiveTermWalker {
  private seen = 0;

  constructor(private readonly name: string) {}

  select(node: ast.SelectStmt): void {
    const op = node.op ?? "SETOP_NONE";
    if (op === "SETOP_INTERSECT" || op === "SETOP_EXCEPT") {
      if (countSelfReferences(node, this.name) > 0) {
        const word = op === "SETOP_INTERSECT" ? "INTERSECT" : "EXCEPT";
        throw recursionError(`recursive reference to query "${this.name}" must not appear ` +
          `within ${word}`);
      }
      return;
    }
    if (op === "SETOP_UNION") {
      this.select(node.larg!);
      this.select(node.rarg!);
      return;
    }
    for (const item of node.fromClause ?? []) this.fromItem(item);
    const { fromClause: _from, ...rest } = node;
    this.outsideFrom(rest);
  }

  private fromItem(item: ast.Node): void {
    if ("RangeVar" in item) {
      if (countSelfReferences(item, this.name) === 0) return;
      this.seen++;
      if (this.seen > 1) {
        throw recursionError(`recursive reference to query "${this.name}" must not appear ` +
          "more than once");
      }
      return;
    }
    // A derived table in FROM is walked as part of the term (only sublinks are refused).
    const derived = "RangeSubselect" in item ? item.RangeSubselect.subquery : undefined;
    if (derived !== undefined && "SelectStmt" in derived) {
      this.select(derived.SelectStmt);
      return;
    }
    if ("JoinExpr" in item) {
      const join = item.JoinExpr;
      const type = join.jointype ?? "JOIN_INNER";
      const leftNullable = type === "JOIN_RIGHT" || type === "JOIN_FULL";
      const rightNullable = type === "JOIN_LEFT" || type === "JOIN_FULL";
      if ((leftNullable && countSelfReferences(join.larg, this.name) > 0) ||
        (rightNullable && countSelfReferences(join.rarg, this.name) > 0)) {
        throw recursionError(`recursive reference to query "${this.name}" must not appear ` +
          "within an outer join");
      }
      this.fromItem(join.larg!);
      this.fromItem(join.rarg!);
      this.outsideFrom(join.quals);
      return;
    }
    this.outsideFrom(item);
  }

  /** Anything outside the FROM list's plain items holds a reference only in a subquery. */
  private outsideFrom(node: unknown): void {
    if (countSelfReferences(node, this.name) > 0) {
      throw recursionError(`recursive reference to query "${this.name}" must not appear ` +
        "within a subquery");
    }
  }
}
