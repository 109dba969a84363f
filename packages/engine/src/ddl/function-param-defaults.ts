/**
 * Parameter defaults of user functions (`f(a int, b int DEFAULT 10)`, `b int = 10`): checked
 * and analyzed at CREATE time as PostgreSQL does (a default must coerce to its parameter's
 * type; after one input parameter with a default every later one needs one), and kept raw
 * for calls, which fill the omitted trailing arguments with them
 * (`analyze/sql-function-call.ts`), and as text for pg_get_function_arguments.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { coerceTo } from "../analyze/coerce.js";
import { analyzeExpr } from "../analyze/expr-analyze.js";
import { Scope, type StatementScope } from "../analyze/scope.js";
import type { ParamDefault } from "../catalog/sql-functions.js";
import { deparseStored } from "../catalog/system-catalogs/rule-deparse.js";
import { Oid } from "../catalog/types.js";

/** One parameter as CREATE FUNCTION reads it: mode i, o, b (INOUT) or t, and its type. */
interface DefaultedParam {
  readonly mode: string;
  readonly type: number;
  readonly defexpr: ast.Node | undefined;
}

/**
 * The defaults of the input parameters (IN and INOUT, in order; undefined where none), or
 * undefined when no parameter has one.
 */
export function readParamDefaults(params: readonly DefaultedParam[],
  statement: StatementScope): (ParamDefault | undefined)[] | undefined {
  if (!params.some((p) => p.defexpr !== undefined)) return undefined;
  const out: (ParamDefault | undefined)[] = [];
  let seen = false;
  for (const p of params) {
    if (p.mode === "o" || p.mode === "t") {
      if (p.defexpr !== undefined) {
        throw new SqlError(SqlState.invalidFunctionDefinition,
          "only input parameters can have default values");
      }
      continue;
    }
    if (p.defexpr === undefined) {
      if (seen) {
        throw new SqlError(SqlState.invalidFunctionDefinition,
          "input parameters after one with a default value must also have defaults");
      }
      out.push(undefined);
      continue;
    }
    seen = true;
    out.push({ expr: p.defexpr, text: defaultText(p.defexpr, p.type, statement) });
  }
  return out;
}

/** The default analyzed and coerced to the parameter's type, printed as pg_get_expr does. */
function defaultText(expr: ast.Node, type: number, statement: StatementScope): string {
  const scope = new Scope(statement, undefined);
  const analyzed = analyzeExpr(expr, scope);
  // The coercion is checked now; an implicit one is hidden in the text (a constant folded
  // by it would print with a label PostgreSQL does not show), unless the value is untyped.
  const coerced = coerceTo(analyzed, type, -1, "i", statement.params);
  return deparseStored(analyzed.type === Oid.unknown ? coerced : analyzed, {
    pretty: false, fmt: statement.ctx,
    column: (_attnum, name) => name,
    relationName: (name) => name,
  });
}
