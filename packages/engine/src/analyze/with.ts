/**
 * WITH queries: each CTE is analyzed once and materialized once per run (CTE Scan reads the
 * stored rows). WITH RECURSIVE analyzes the non-recursive term first to fix the columns, then
 * the recursive term, whose self-reference reads the work table (Postgres's RecursiveUnion).
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { Scope, type CteDef } from "./scope.js";
import { analyzeSelect } from "./select.js";
import { analyzeSubquery } from "./subquery.js";

export function analyzeWith(clause: ast.WithClause, scope: Scope): void {
  for (const node of clause.ctes ?? []) {
    if (!("CommonTableExpr" in node)) continue;
    const cte = node.CommonTableExpr;
    const name = cte.ctename ?? "";
    if (scope.ctes.has(name)) {
      throw new SqlError(SqlState.duplicateAlias, `WITH query name "${name}" specified more than once`);
    }
    const aliases = (cte.aliascolnames ?? []).map((c) => ("String" in c ? c.String.sval ?? "" : ""));
    const query = cte.ctequery!;
    if (clause.recursive === true && "SelectStmt" in query && query.SelectStmt.op === "SETOP_UNION") {
      analyzeRecursive(name, aliases, query.SelectStmt, scope);
      continue;
    }
    if (!("SelectStmt" in query)) throw notSupported("data-modifying statements in WITH");
    const result = analyzeSubquery(query, new Scope(scope.statement, scope, true));
    const def: CteDef = { name, id: ++scope.statement.nextCteId, recursive: false, refCount: 0,
      columns: result.columns.map((c, i) => ({ name: aliases[i] ?? c.name, type: c.type, typmod: c.typmod })),
      plan: result.plan };
    scope.ctes.set(name, def);
  }
}

function analyzeRecursive(name: string, aliases: string[], stmt: ast.SelectStmt, scope: Scope): void {
  const base = analyzeSelect(stmt.larg!, new Scope(scope.statement, scope, true));
  const id = ++scope.statement.nextCteId;
  const def: CteDef = { name, id, recursive: true, refCount: 0, plan: null,
    columns: base.columns.map((c, i) => ({ name: aliases[i] ?? c.name, type: c.type, typmod: c.typmod })) };
  scope.ctes.set(name, def);
  const recursive = analyzeSelect(stmt.rarg!, new Scope(scope.statement, scope, true));
  def.plan = { kind: "recursiveUnion", cteId: id, all: stmt.all === true, base: base.plan,
    recursive: recursive.plan, width: def.columns.length, rows: base.plan.rows * 10 };
}
