/**
 * SET CONSTRAINTS { ALL | name [, …] } { DEFERRED | IMMEDIATE }, as Postgres's
 * AfterTriggerSetState runs it: names are looked up first (an unqualified name in the first
 * schema of the search path holding a constraint of that name, every such constraint there;
 * 42704 when none, 42809 for DEFERRED of one that is not DEFERRABLE). Outside a transaction
 * block it is a WARNING and changes nothing. Inside, the modes join the transaction's
 * `DeferredChecks`; IMMEDIATE runs the checks already queued for the constraints it names.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { PreparedStatement, StatementContext } from "../api.js";
import type { StatementScope } from "../analyze/scope.js";
import { allConstraints } from "../catalog/system-catalogs/pg-constraint.js";
import { onceCursor } from "../execute/command-cursor.js";
import { DeferredChecks } from "./deferred-checks.js";
import type { Transactions } from "./transactions.js";

interface Target {
  readonly relationOid: number;
  readonly name: string;
}

export function prepareSetConstraints(txns: Transactions, stmt: ast.ConstraintsSetStmt,
  statement: StatementScope): PreparedStatement {
  const deferred = stmt.deferred === true;
  return { paramTypes: [], columns: null, open: (_params, ctx) => onceCursor(() => {
    setConstraints(txns, stmt, statement, deferred, ctx);
    return "SET CONSTRAINTS";
  }) };
}

function setConstraints(txns: Transactions, stmt: ast.ConstraintsSetStmt,
  statement: StatementScope, deferred: boolean, ctx: StatementContext): void {
  const run = txns.runOf(ctx);
  if (run === undefined || run.implicit) {
    ctx.notice(new SqlError(SqlState.noActiveSqlTransaction,
      "SET CONSTRAINTS can only be used in transaction blocks", { severity: "WARNING" }));
  }
  const names = stmt.constraints ?? [];
  const targets = names.length === 0 ? null
    : names.flatMap((n) => ("RangeVar" in n ? lookUp(statement, n.RangeVar, deferred) : []));
  if (run === undefined || run.implicit) return;
  run.txn.deferred ??= new DeferredChecks();
  run.txn.deferred.setMode(targets, deferred, run.undo);
}

/** The constraints one name of the statement means. */
function lookUp(statement: StatementScope, name: ast.RangeVar, deferred: boolean): Target[] {
  const { catalog } = statement;
  const wanted = name.relname ?? "";
  if (name.catalogname !== undefined) {
    throw new SqlError(SqlState.featureNotSupported,
      `cross-database references are not implemented: "${name.catalogname}.${name.schemaname}` +
      `.${wanted}"`);
  }
  const schema = name.schemaname;
  if (schema !== undefined && !catalog.schemaExists(schema)) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`);
  }
  const schemas = schema !== undefined ? [schema] : statement.path;
  const named = allConstraints(catalog).filter((c) => c.name === wanted);
  for (const s of schemas) {
    const found = named.filter((c) => c.relation.schema === s);
    if (found.length === 0) continue;
    const targets: Target[] = [];
    for (const c of found) {
      if (c.deferrable === true) targets.push({ relationOid: c.relation.oid, name: c.name });
      else if (deferred) {
        throw new SqlError(SqlState.wrongObjectType, `constraint "${wanted}" is not deferrable`);
      }
    }
    return targets;
  }
  throw new SqlError(SqlState.undefinedObject, `constraint "${wanted}" does not exist`);
}
