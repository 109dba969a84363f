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

export function analyzeWith(clause: ast.WithClause, scope: Scope): void {
  for (const node of clause.ctes ?? []) {
    if (!("CommonTableExpr" in node)) continue;
    const cte = node.CommonTableExpr;
    const name = cte.ctename ?? "";
    if (scope.ctes.has(name)) {
      throw new SqlError(
        SqlState.duplicateAlias,
        `WITH query name "${name}" specified more than once`,
      );
    }
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
    recursive: recursive.plan,
    width: def.columns.length,
    rows: base.plan.rows * 10,
  };
}
