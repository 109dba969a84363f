/**
 * Entry points for analyzing a query expression at any level: the top statement, a derived
 * table, a view body, a CTE or a sublink. They all go through `select.ts`.
 */
import { notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Plan } from "../plan/plan.js";
import type { Scope } from "./scope.js";
import { analyzeSelect } from "./select.js";

export interface OutColumn {
  readonly name: string;
  readonly type: number;
  readonly typmod: number;
  readonly tableOid: number;
  readonly attnum: number;
}

export interface QueryResult {
  readonly plan: Plan;
  readonly columns: readonly OutColumn[];
}

/** Analyzes a query node (SelectStmt) in `scope`. */
export function analyzeSubquery(node: ast.Node, scope: Scope): QueryResult {
  if ("SelectStmt" in node) return analyzeSelect(node.SelectStmt, scope);
  throw notSupported(`${Object.keys(node)[0]} as a subquery`);
}
