/**
 * READ ONLY transactions on distributed tables: as on Citus, where Postgres's executor checks
 * the coordinator's plan before any task runs, an INSERT, UPDATE, DELETE or MERGE of a
 * distributed or reference table fails with 25006 "cannot execute INSERT in a read-only
 * transaction" (BEGIN READ ONLY, SET TRANSACTION READ ONLY, JDBC's setReadOnly). The engine
 * checks local tables itself (`execute/modify-run.ts`).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { transactionIsReadOnly, type PreparedStatement } from "@tessera/engine";

const commands: readonly (readonly [string, string])[] = [["InsertStmt", "INSERT"],
  ["UpdateStmt", "UPDATE"], ["DeleteStmt", "DELETE"], ["MergeStmt", "MERGE"]];

/** `prepared`, refusing to run in a read-only transaction when `stmt` writes. */
export function refusedWhenReadOnly(stmt: ast.Node, prepared: PreparedStatement):
  PreparedStatement {
  const command = commands.find(([key]) => key in stmt)?.[1];
  if (command === undefined) return prepared;
  return {
    paramTypes: prepared.paramTypes,
    columns: prepared.columns,
    open: (params, ctx) => {
      if (transactionIsReadOnly(ctx)) {
        throw new SqlError(SqlState.readOnlySqlTransaction,
          `cannot execute ${command} in a read-only transaction`);
      }
      return prepared.open(params, ctx);
    },
  };
}
