/**
 * PREPARE TRANSACTION, COMMIT PREPARED and ROLLBACK PREPARED as the session runs them
 * (xact.c's PrepareTransactionBlock and utility.c's checks); the engine does the work
 * (`txn/two-phase.ts`). Returns the command tag.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Session } from "./session.js";

const kinds = new Set(["TRANS_STMT_PREPARE", "TRANS_STMT_COMMIT_PREPARED",
  "TRANS_STMT_ROLLBACK_PREPARED"]);

export function isTwoPhase(stmt: ast.Node): stmt is { TransactionStmt: ast.TransactionStmt } {
  return "TransactionStmt" in stmt && kinds.has(stmt.TransactionStmt.kind ?? "");
}

export async function runTwoPhase(session: Session, stmt: ast.TransactionStmt):
  Promise<string> {
  const engine = session.options.engine;
  const gid = stmt.gid ?? "";
  const block = session.block;
  if (stmt.kind === "TRANS_STMT_PREPARE") {
    if (block.status === "I" || block.implicit) {
      session.sendNotice(new SqlError(SqlState.noActiveSqlTransaction,
        "there is no transaction in progress", { severity: "WARNING" }));
    }
    if (block.status === "I") return "ROLLBACK";
    if (block.status === "E") {
      block.abandon();
      return "ROLLBACK";
    }
    // A server without them is PostgreSQL's with max_prepared_transactions = 0, its default.
    if (engine.twoPhase === undefined) {
      block.abandon();
      throw new SqlError(SqlState.objectNotInPrerequisiteState,
        "prepared transactions are disabled",
        { hint: "Set max_prepared_transactions to a nonzero value." });
    }
    try {
      await engine.twoPhase("prepare", gid, session.statementContext());
    } catch (error) {
      block.abandon();
      throw error;
    } finally {
      session.statementDone();
    }
    block.detachPrepared();
    return "PREPARE TRANSACTION";
  }
  const commit = stmt.kind === "TRANS_STMT_COMMIT_PREPARED";
  const what = commit ? "COMMIT PREPARED" : "ROLLBACK PREPARED";
  if (block.status !== "I") {
    throw new SqlError(SqlState.activeSqlTransaction,
      `${what} cannot run inside a transaction block`);
  }
  if (engine.twoPhase === undefined) {
    throw new SqlError(SqlState.undefinedObject,
      `prepared transaction with identifier "${gid}" does not exist`);
  }
  try {
    await engine.twoPhase(commit ? "commit" : "rollback", gid, session.statementContext());
  } finally {
    session.statementDone();
  }
  return what;
}
