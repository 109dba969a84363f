/** EXPLAIN: placeholder until the plan printer lands. */
import { notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { PreparedStatement } from "../api.js";
import type { StatementScope } from "../analyze/scope.js";
import type { Engine } from "../engine.js";

export function prepareExplain(engine: Engine, stmt: ast.ExplainStmt, statement: StatementScope):
  PreparedStatement {
  void engine; void stmt; void statement;
  throw notSupported("EXPLAIN");
}
