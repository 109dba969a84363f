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

/**
 * Counts the unqualified table references to `name` under `node`, leaving out those a WITH
 * query of the same name inside it captures (as makeDependencyGraphWalker).
 */
export function countSelfReferences(node: unknown, name: string): number {
  const walker = new RecursionWalker(name, false);
  walker.walk(node, "ok");
  return walker.selfRefs;
}

/** Raises Postgres's errors for a self-referencing CTE that is not a well-formed recursion. */
export function checkRecursiveForm(name: string, query: ast.Node): ast.SelectStmt {
  const stmt = "SelectStmt" in query ? query.SelectStmt : undefined;
  if (stmt === undefined) {
    throw recursionError(`recursive query "${name}" must not contain data-modifying statements`);
  }
  if (stmt.op !== "SETOP_UNION") {
    throw recursionError(`recursive query "${name}" does not have the form ` +
      "non-recursive-term UNION [ALL] recursive-term");
  }
  const notImplemented = (what: string): SqlError =>
    new SqlError(SqlState.featureNotSupported, `${what} in a recursive query is not implemented`);
  if ((stmt.sortClause ?? []).length > 0) throw notImplemented("ORDER BY");
  if (stmt.limitOffset !== undefined) throw notImplemented("OFFSET");
  if (stmt.limitCount !== undefined) throw notImplemented("LIMIT");
  if ((stmt.lockingClause ?? []).length > 0) throw notImplemented("FOR UPDATE/SHARE");
  new RecursionWalker(name, true).walk({ SelectStmt: stmt.larg }, "nonRecursiveTerm");
  new RecursionWalker(name, true).walk({ SelectStmt: stmt.rarg }, "ok");
  // A WITH attached to the UNION itself is a subquery of the recursion.
  new RecursionWalker(name, true).walk(stmt.withClause?.ctes, "subquery");
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

/** Where a recursive reference sits, as Postgres's RecursionContext. */
type RecursionContext = "ok" | "nonRecursiveTerm" | "subquery" | "outerJoin" | "INTERSECT"
  | "EXCEPT";

const contextPlace: Record<Exclude<RecursionContext, "ok">, string> = {
  nonRecursiveTerm: "its non-recursive term",
  subquery: "a subquery",
  outerJoin: "an outer join",
  INTERSECT: "INTERSECT",
  EXCEPT: "EXCEPT",
};

/**
 * Walks a raw tree counting references to one WITH query (checkWellFormedRecursionWalker):
 * names of inner WITH clauses capture references; with `strict`, a reference anywhere but a
 * plain FROM position of the recursive term, or a second one, is 42P19.
 */
class RecursionWalker {
  selfRefs = 0;
  /** The names each enclosing inner WITH clause makes visible. */
  private readonly shadows: string[][] = [];

  constructor(private readonly name: string, private readonly strict: boolean) {}

  walk(node: unknown, context: RecursionContext): void {
    if (Array.isArray(node)) {
      for (const item of node) this.walk(item, context);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const record = node as Record<string, unknown>;
    if ("RangeVar" in record) return this.rangeVar(record["RangeVar"] as ast.RangeVar, context);
    if ("SelectStmt" in record) return this.select(record["SelectStmt"] as ast.SelectStmt, context);
    if ("WithClause" in record) return;
    if ("JoinExpr" in record) return this.join(record["JoinExpr"] as ast.JoinExpr, context);
    if ("SubLink" in record) {
      const link = record["SubLink"] as ast.SubLink;
      this.walk(link.subselect, "subquery");
      this.walk(link.testexpr, context);
      return;
    }
    for (const value of Object.values(record)) this.walk(value, context);
  }

  private rangeVar(rv: ast.RangeVar, context: RecursionContext): void {
    if (rv.relname !== this.name || rv.schemaname !== undefined) return;
    if (this.shadows.some((names) => names.includes(this.name))) return;
    this.selfRefs++;
    if (!this.strict) return;
    if (context !== "ok") {
      throw recursionError(`recursive reference to query "${this.name}" must not appear ` +
        `within ${contextPlace[context]}`);
    }
    if (this.selfRefs > 1) {
      throw recursionError(`recursive reference to query "${this.name}" must not appear ` +
        "more than once");
    }
  }

  /** A SELECT's own WITH queries are walked first, each seeing the names in scope for it. */
  private select(stmt: ast.SelectStmt, context: RecursionContext): void {
    const clause = stmt.withClause;
    if (clause === undefined) return this.selectBody(stmt, context);
    const ctes = (clause.ctes ?? []).flatMap((n) => ("CommonTableExpr" in n
      ? [n.CommonTableExpr] : []));
    const names: string[] = clause.recursive === true ? ctes.map((c) => c.ctename ?? "") : [];
    this.shadows.push(names);
    try {
      for (const cte of ctes) {
        this.walk(cte.ctequery, context);
        if (clause.recursive !== true) names.push(cte.ctename ?? "");
      }
      this.selectBody(stmt, context);
    } finally {
      this.shadows.pop();
    }
  }

  private selectBody(stmt: ast.SelectStmt, context: RecursionContext): void {
    const { withClause: _with, larg, rarg, ...rest } = stmt;
    const op = stmt.op ?? "SETOP_NONE";
    // As Postgres: INTERSECT ALL and EXCEPT ALL refuse a reference on either side, EXCEPT on
    // its right; plain INTERSECT leaves the count to refuse a second one.
    const all = stmt.all === true;
    const left: RecursionContext = op === "SETOP_INTERSECT" && all ? "INTERSECT"
      : op === "SETOP_EXCEPT" && all ? "EXCEPT" : context;
    const right: RecursionContext = op === "SETOP_EXCEPT" ? "EXCEPT" : left;
    this.walk(larg === undefined ? undefined : { SelectStmt: larg }, left);
    this.walk(rarg === undefined ? undefined : { SelectStmt: rarg }, right);
    this.walk(rest, context);
  }

  private join(join: ast.JoinExpr, context: RecursionContext): void {
    const type = join.jointype ?? "JOIN_INNER";
    const leftNullable = type === "JOIN_RIGHT" || type === "JOIN_FULL";
    const rightNullable = type === "JOIN_LEFT" || type === "JOIN_FULL";
    this.walk(join.larg, leftNullable ? "outerJoin" : context);
    this.walk(join.rarg, rightNullable ? "outerJoin" : context);
    this.walk(join.quals, context);
  }
}
