/**
 * A statement sent with the simple protocol has no parameters: `SELECT * FROM t WHERE id = $1`
 * fails with 42P02 `there is no parameter $1` at the reference, as PostgreSQL's fixed
 * parameter list makes it. Only the statements PostgreSQL plans with that list are searched
 * (queries, DML, and EXPLAIN / DECLARE / COPY / CREATE TABLE AS of one): the $n of PREPARE's
 * query or of a function body belong to those.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";

const planned = new Set(["SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"]);
const wrapping = new Set(["ExplainStmt", "DeclareCursorStmt", "CopyStmt", "CreateTableAsStmt"]);

/** Throws 42P02 for the first $n in a simple-protocol statement that PostgreSQL plans. */
export function refuseParameterReferences(stmt: ast.Node): void {
  const [kind] = Object.keys(stmt);
  if (kind === undefined || (!planned.has(kind) && !wrapping.has(kind))) return;
  const found = firstParamRef(stmt);
  if (found === undefined) return;
  throw new SqlError(SqlState.undefinedParameter, `there is no parameter $${found.number ?? 0}`,
    found.location === undefined ? {} : { location: found.location });
}

/** The first ParamRef in `node`, depth first in field order. */
function firstParamRef(node: unknown): ast.ParamRef | undefined {
  if (node === null || typeof node !== "object") return undefined;
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = firstParamRef(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const record = node as Record<string, unknown>;
  if ("ParamRef" in record) return record["ParamRef"] as ast.ParamRef;
  for (const key in record) {
    const found = firstParamRef(record[key]);
    if (found !== undefined) return found;
  }
  return undefined;
}
