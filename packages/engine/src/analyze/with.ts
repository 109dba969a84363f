/**
 * WITH queries: each CTE is analyzed once and materialized once per run (CTE Scan reads the
 * stored rows). WITH RECURSIVE analyzes the non-recursive term first to fix the columns, then
 * the recursive term, whose self-reference reads the work table (Postgres's RecursiveUnion).
 * An INSERT, UPDATE or DELETE with RETURNING may be a CTE of the top-level statement.
 * SEARCH and CYCLE clauses are rewritten into plain recursion first (`search-cycle.ts`).
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { Scope, type CteDef } from "./scope.js";
import { analyzeSelect } from "./select.js";
import { analyzeSubquery } from "./subquery.js";
import { analyzeModify } from "./modify.js";
import { checkRecursiveForm, checkRecursiveTermPlan, countSelfReferences }
  from "./recursive-check.js";
import { rewriteSearchCycle } from "./search-cycle.js";
import { castColumns, colExpr } from "./select-setop.js";
import { commonType } from "./coerce.js";
import { formatTypeName } from "../catalog/types.js";
import type { QueryResult } from "./subquery.js";
import type { Plan } from "../plan/plan.js";

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
    if (!("SelectStmt" in query)) throw notSupported(`${Object.keys(query)[0]} in WITH`);
    const result = analyzeSubquery(query, new Scope(scope.statement, scope, true));
    checkAliasCount(name, aliases, result.columns.length);
    const def: CteDef = {
      name,
      id: ++scope.statement.nextCteId,
      recursive: false,
      refCount: 0,
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
  let stmt = union;
  let aliases = given;
  if (cte.search_clause !== undefined || cte.cycle_clause !== undefined) {
    const columns = given.length > 0 ? given
      : analyzeSelect(union.larg!, new Scope(scope.statement, scope, true)).columns
        .map((c) => c.name);
    const rewritten = rewriteSearchCycle(cte, union, columns);
    stmt = rewritten.query;
    aliases = [...rewritten.columns];
  }
  const base = analyzeSelect(stmt.larg!, new Scope(scope.statement, scope, true));
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
  const recursive = analyzeSelect(stmt.rarg!, new Scope(scope.statement, scope, true));
  checkRecursiveTermPlan(recursive.plan);
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
    if (common !== b.type) {
      throw new SqlError(SqlState.datatypeMismatch, `recursive query "${name}" column ${i + 1} ` +
        `has type ${formatTypeName(b.type, b.typmod)} in non-recursive term but type ` +
        `${formatTypeName(common, -1)} overall`,
      { hint: "Cast the output of the non-recursive term to the correct type." });
    }
    return b.type;
  });
  return castColumns(recursive, types, "UNION", scope);
}
