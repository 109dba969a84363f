/**
 * WITH queries: each CTE is analyzed once and materialized once per run (CTE Scan reads the
 * stored rows). WITH RECURSIVE analyzes the non-recursive term first to fix the columns, then
 * the recursive term, whose self-reference reads the work table (Postgres's RecursiveUnion).
 * An INSERT, UPDATE or DELETE with RETURNING may be a CTE of the top-level statement.
 * SEARCH and CYCLE clauses are rewritten into plain recursion first (`search-cycle.ts`).
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { Scope, type CteDef, type StatementScope } from "./scope.js";
import { analyzeSelect } from "./select.js";
import { analyzeSubquery } from "./subquery.js";
import { analyzeModify } from "./modify.js";
import { checkRecursiveForm, checkRecursiveTermPlan, countSelfReferences }
  from "./recursive-check.js";
import { rewriteSearchCycle } from "./search-cycle.js";
import { castColumns, colExpr } from "./select-setop.js";
import { coerceTo, commonType } from "./coerce.js";
import { analyzeExpr } from "./expr-analyze.js";
import { makeOperator } from "./expr-ops.js";
import { Oid, formatTypeName } from "../catalog/types.js";
import type { QueryResult } from "./subquery.js";
import type { Plan } from "../plan/plan.js";
import type { Expr } from "./expr.js";

export function analyzeWith(clause: ast.WithClause, scope: Scope): void {
  for (const cte of analysisOrder(clause)) {
    const name = cte.ctename ?? "";
    const aliases = (cte.aliascolnames ?? []).map((c) =>
      "String" in c ? (c.String.sval ?? "") : "",
    );
    const query = cte.ctequery!;
    if (clause.recursive === true && countSelfReferences(query, name) > 0) {
      analyzeRecursive(cte, aliases, checkRecursiveForm(name, query), scope);
      continue;
    }
    if (cte.search_clause !== undefined || cte.cycle_clause !== undefined) {
      throw new SqlError(SqlState.syntaxError, "WITH query is not recursive");
    }
    if ("InsertStmt" in query || "UpdateStmt" in query || "DeleteStmt" in query) {
      scope.ctes.set(name, modifyingCte(name, aliases, query, scope));
      continue;
    }
    if ("MergeStmt" in query) {
      throw new SqlError(SqlState.featureNotSupported, "MERGE not supported in WITH query");
    }
    if (!("SelectStmt" in query)) throw notSupported(`${Object.keys(query)[0]} in WITH`);
    const queryScope = new Scope(scope.statement, scope, true);
    const result = analyzeSubquery(query, queryScope);
    checkAliasCount(name, aliases, result.columns.length);
    const def: CteDef = {
      name,
      id: ++scope.statement.nextCteId,
      recursive: false,
      refCount: 0,
      correlated: queryScope.readsOuter(),
      columns: result.columns.map((c, i) => ({
        name: aliases[i] ?? c.name,
        type: c.type,
        typmod: c.typmod,
      })),
      plan: result.plan,
    };
    scope.ctes.set(name, def);
  }
}

/** A column list longer than the query's columns is 42P10, as in Postgres. */
function checkAliasCount(name: string, aliases: readonly string[], available: number): void {
  if (aliases.length > available) {
    throw new SqlError(SqlState.invalidColumnReference, `WITH query "${name}" has ${available}`
      + ` columns available but ${aliases.length} columns specified`);
  }
}

/**
 * The CTEs in the order to analyze them: as written, except that WITH RECURSIVE lets a query
 * name a later one, so there each comes after those it reads (a stable topological order).
 */
function analysisOrder(clause: ast.WithClause): ast.CommonTableExpr[] {
  const ctes = (clause.ctes ?? []).flatMap((n) => ("CommonTableExpr" in n ? [n.CommonTableExpr]
    : []));
  const names = ctes.map((c) => c.ctename ?? "");
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) {
      throw new SqlError(SqlState.duplicateAlias,
        `WITH query name "${name}" specified more than once`);
    }
  });
  if (clause.recursive !== true) return ctes;
  const reads = ctes.map((c, i) => names.filter((other, j) =>
    j !== i && countSelfReferences(c.ctequery, other) > 0));
  const placed = new Set<string>();
  const ordered: ast.CommonTableExpr[] = [];
  while (ordered.length < ctes.length) {
    const next = ctes.findIndex((c, i) => !placed.has(names[i]!) &&
      reads[i]!.every((n) => placed.has(n)));
    if (next < 0) {
      throw new SqlError(SqlState.featureNotSupported,
        "mutual recursion between WITH items is not implemented");
    }
    placed.add(names[next]!);
    ordered.push(ctes[next]!);
  }
  return ordered;
}

/**
 * INSERT, UPDATE or DELETE in WITH: runs once, to completion, before the main query, whose
 * scans do not see its writes (they carry the statement's write id, past its snapshot); its
 * RETURNING rows are what the CTE holds.
 */
function modifyingCte(
  name: string,
  aliases: readonly string[],
  query: ast.Node,
  scope: Scope,
): CteDef {
  if (scope.parent !== undefined) {
    throw new SqlError(
      SqlState.featureNotSupported,
      "WITH clause containing a data-modifying statement must be at the top level",
    );
  }
  // Earlier WITH queries of the same clause are visible (`b AS (INSERT … SELECT … FROM a)`).
  const inner = new Scope(scope.statement, undefined);
  for (const [cteName, def] of scope.ctes) inner.ctes.set(cteName, def);
  const planned = analyzeModify(query, inner);
  scope.statement.writes = true;
  checkAliasCount(name, aliases, planned.columns?.length ?? 0);
  const columns = (planned.columns ?? []).map((c, i) => ({
    name: aliases[i] ?? c.name,
    type: c.type,
    typmod: c.typmod,
  }));
  return {
    name,
    id: ++scope.statement.nextCteId,
    recursive: false,
    refCount: 0,
    columns,
    plan: planned.plan,
    ...(planned.columns === null ? { noReturning: true } : {}),
  };
}

function analyzeRecursive(
  cte: ast.CommonTableExpr,
  given: string[],
  union: ast.SelectStmt,
  scope: Scope,
): void {
  const name = cte.ctename ?? "";
  // A WITH attached to the UNION itself is visible to both terms (its queries cannot read
  // the recursion, `checkRecursiveForm` saw to that); each term carries its plans.
  const terms = new Scope(scope.statement, scope, true);
  if (union.withClause !== undefined) analyzeWith(union.withClause, terms);
  let stmt = union;
  let aliases = given;
  if (cte.search_clause !== undefined || cte.cycle_clause !== undefined) {
    const columns = given.length > 0 ? given
      : analyzeSelect(union.larg!, new Scope(scope.statement, terms, true)).columns
        .map((c) => c.name);
    const rewritten = rewriteSearchCycle(cte, union, columns);
    if (cte.cycle_clause !== undefined) checkCycleMark(cte.cycle_clause, scope);
    stmt = rewritten.query;
    aliases = [...rewritten.columns];
  }
  const baseScope = new Scope(scope.statement, terms, true);
  const base = withTermCtes(analyzeSelect(stmt.larg!, baseScope), terms);
  checkAliasCount(name, aliases, base.columns.length);
  const id = ++scope.statement.nextCteId;
  const def: CteDef = {
    name,
    id,
    recursive: true,
    refCount: 0,
    plan: null,
    columns: base.columns.map((c, i) => ({
      name: aliases[i] ?? c.name,
      type: c.type,
      typmod: c.typmod,
    })),
  };
  scope.ctes.set(name, def);
  const recursiveScope = new Scope(scope.statement, terms, true);
  const recursive = withTermCtes(analyzeSelect(stmt.rarg!, recursiveScope), terms);
  checkRecursiveTermPlan(recursive.plan);
  def.correlated = baseScope.readsOuter() || recursiveScope.readsOuter();
  def.plan = {
    kind: "recursiveUnion",
    cteId: id,
    all: stmt.all === true,
    base: base.plan,
    recursive: recursiveTermTyped(name, base, recursive, scope),
    width: def.columns.length,
    rows: base.plan.rows * 10,
  };
}

/** Wraps a recursive CTE's term in the WITH queries attached to its UNION, if any. */
function withTermCtes(term: QueryResult, terms: Scope): QueryResult {
  const ctes = [...terms.ctes.values()].filter((c) => c.plan !== null)
    .map((c) => ({ id: c.id, name: c.name, plan: c.plan! }));
  if (ctes.length === 0) return term;
  const plan = term.plan;
  return { ...term, plan: { kind: "with", ctes, input: plan, width: plan.width,
    rows: plan.rows } };
}

/**
 * The CYCLE mark's value and default must share a type with an equality operator (Postgres
 * checks this in analyzeCTE; the rewritten query compares marks with `<>`).
 */
function checkCycleMark(cycle: ast.CTECycleClause, scope: Scope): void {
  const [typed] = cycleMarkValues(cycle, scope.statement);
  try {
    makeOperator("=", typed, typed, scope, undefined);
  } catch (e) {
    if (!(e instanceof SqlError) || e.code !== SqlState.undefinedFunction) throw e;
    throw new SqlError(SqlState.undefinedFunction, "could not identify an equality operator " +
      `for type ${formatTypeName(typed.type, -1)}`);
  }
}

/** The CYCLE mark's value and default, analyzed and coerced to their common type. */
export function cycleMarkValues(cycle: ast.CTECycleClause, statement: StatementScope):
  [Expr, Expr] {
  const values = new Scope(statement, undefined);
  const value = analyzeExpr(cycle.cycle_mark_value!, values);
  const fallback = analyzeExpr(cycle.cycle_mark_default!, values);
  const common = commonType([value, fallback], "CYCLE");
  const type = common === Oid.unknown ? Oid.text : common;
  const coerce = (e: Expr): Expr => coerceTo(e, type, -1, "i", values.statement.params);
  return [coerce(value), coerce(fallback)];
}

/**
 * Casts the recursive term's columns to the non-recursive term's types, which fix the CTE's
 * (as Postgres, which refuses a column whose common type with the recursive term differs).
 */
function recursiveTermTyped(name: string, base: QueryResult, recursive: QueryResult,
  scope: Scope): Plan {
  if (base.columns.length !== recursive.columns.length) {
    throw new SqlError(SqlState.syntaxError,
      "each UNION query must have the same number of columns");
  }
  const types = base.columns.map((b, i) => {
    const r = recursive.columns[i]!;
    const common = commonType([colExpr(b, 0), colExpr(r, 0)], "UNION");
    // The union keeps a type modifier only where both terms have it (as Postgres).
    const typmod = common === r.type && r.typmod === b.typmod ? b.typmod : -1;
    if (common !== b.type || typmod !== b.typmod) {
      throw new SqlError(SqlState.datatypeMismatch, `recursive query "${name}" column ${i + 1} ` +
        `has type ${formatTypeName(b.type, b.typmod)} in non-recursive term but type ` +
        `${formatTypeName(common, -1)} overall`,
      { hint: "Cast the output of the non-recursive term to the correct type." });
    }
    return b.type;
  });
  return castColumns(recursive, types, "UNION", scope);
}
