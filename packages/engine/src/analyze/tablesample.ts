/**
 * TABLESAMPLE (Postgres's parse_clause.c transformRangeTableSample): `FROM t TABLESAMPLE
 * BERNOULLI (p) [REPEATABLE (seed)]` or `SYSTEM (p)` becomes the table's sequential scan
 * with a `TableSampleSpec`; the scan keeps each row with probability p / 100
 * (`execute/tablesample-filter.ts`) before its filter, and never turns into an index scan.
 *
 * The percentage is a real and the seed a double precision, as the two built-in methods
 * declare them; both are evaluated when the scan starts, so parameters work. Errors are
 * Postgres's: 42704 for an unknown method, 2202H for a wrong argument count, a null or an
 * out-of-range percentage, 2202G for a null seed, 42809 on anything but a table or a
 * materialized view.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { Oid } from "../catalog/types.js";
import type { Plan } from "../plan/plan.js";
import { coerceTo } from "./coerce.js";
import { analyzeExpr, locationOf } from "./expr-analyze.js";
import type { Expr } from "./expr.js";
import type { Scope } from "./scope.js";

export type TableSampleMethod = "bernoulli" | "system";

export interface TableSampleSpec {
  readonly method: TableSampleMethod;
  /** The percentage, a real in [0, 100]. */
  readonly percent: Expr;
  /** REPEATABLE's seed, a double precision; null for a new seed per scan. */
  readonly repeatable: Expr | null;
}

interface SampledItem {
  readonly plan: Plan;
  readonly width: number;
}

/** Analyzes a TABLESAMPLE FROM item; `analyzeRelation` adds the sampled table itself. */
export function analyzeTableSample(node: ast.RangeTableSample, scope: Scope,
  analyzeRelation: (rv: ast.RangeVar) => SampledItem): SampledItem {
  const at = locationOf(node.location);
  const method = methodOf(node, at);
  const args = node.args ?? [];
  if (args.length !== 1) {
    throw new SqlError(SqlState.invalidTablesampleArgument,
      `tablesample method ${method} requires 1 argument, not ${args.length}`, at);
  }
  scope.clause = "FROM";
  const percent = coerceTo(analyzeExpr(args[0]!, scope), Oid.float4, -1, "a",
    scope.statement.params);
  const repeatable = node.repeatable === undefined ? null
    : coerceTo(analyzeExpr(node.repeatable, scope), Oid.float8, -1, "a", scope.statement.params);
  const relation = node.relation;
  const item = relation !== undefined && "RangeVar" in relation
    ? analyzeRelation(relation.RangeVar) : undefined;
  const plan = item?.plan;
  if (item === undefined || plan?.kind !== "seqScan" ||
    (plan.relation.kind !== "r" && plan.relation.kind !== "m")) {
    throw new SqlError(SqlState.wrongObjectType,
      "TABLESAMPLE clause can only be applied to tables and materialized views",
      relation !== undefined && "RangeVar" in relation
        ? locationOf(relation.RangeVar.location) : at);
  }
  return { plan: { ...plan, sample: { method, percent, repeatable } }, width: item.width };
}

function methodOf(node: ast.RangeTableSample, at: { location?: number }): TableSampleMethod {
  const names = (node.method ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const name = names[names.length - 1] ?? "";
  const qualifiedOk = names.length === 1 || (names.length === 2 && names[0] === "pg_catalog");
  if (qualifiedOk && (name === "bernoulli" || name === "system")) return name;
  throw new SqlError(SqlState.undefinedObject,
    `tablesample method ${names.join(".")} does not exist`, at);
}
