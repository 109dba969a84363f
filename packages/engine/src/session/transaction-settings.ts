/**
 * SET of a transaction's own characteristics (transaction_read_only, transaction_isolation,
 * and SET TRANSACTION), checked as Postgres 15's check_transaction_read_only and
 * check_XactIsoLevel check them (25001): a READ ONLY transaction may turn read-write only
 * before its first query and never in a subtransaction; the isolation level may change only
 * before the first query and not in a subtransaction. Outside a transaction block the value
 * lasts only as long as the SET's own transaction, so it changes nothing afterwards, and SET
 * TRANSACTION warns (25P01) as Postgres does.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { SessionSettings } from "./settings.js";
import type { TransactionBlock } from "./transaction-block.js";
import { readBoolean } from "./setting-values.js";

const transactionSettings = new Set(["transaction_read_only", "transaction_isolation"]);

/** True when `name` is one of the settings this module guards. */
export function isTransactionSetting(name: string): boolean {
  return transactionSettings.has(name.toLowerCase());
}

function activeTransaction(message: string): SqlError {
  return new SqlError(SqlState.activeSqlTransaction, message);
}

/**
 * Checks SET `name` = `value` of a transaction setting; returns false when the value must
 * not be kept (outside a transaction block). Bad values fail through the setting's own check.
 */
export function checkTransactionSetting(name: string, value: string,
  settings: SessionSettings, block: TransactionBlock): boolean {
  const key = name.toLowerCase();
  if (block.status === "I") return false;
  const started = block.participant !== undefined;
  const nested = block.savepointDepth > 0;
  if (key === "transaction_read_only") {
    const readWrite = readBoolean(value) === false;
    if (readWrite && settings.get("transaction_read_only") === "on") {
      if (nested) {
        throw activeTransaction("cannot set transaction read-write mode inside a read-only " +
          "transaction");
      }
      if (started) {
        throw activeTransaction("transaction read-write mode must be set before any query");
      }
    }
  } else if (key === "transaction_isolation" &&
    value.toLowerCase() !== settings.get("transaction_isolation").toLowerCase()) {
    if (started) {
      throw activeTransaction("SET TRANSACTION ISOLATION LEVEL must be called before any query");
    }
    if (nested) {
      throw activeTransaction("SET TRANSACTION ISOLATION LEVEL must not be called in a " +
        "subtransaction");
    }
  }
  return true;
}

/** SET TRANSACTION outside a transaction block: Postgres's WARNING, and no effect. */
export function setTransactionOutsideBlock(block: TransactionBlock,
  notice: (notice: SqlError) => void): boolean {
  if (block.isTransactionBlock) return false;
  notice(new SqlError(SqlState.noActiveSqlTransaction,
    "SET TRANSACTION can only be used in transaction blocks", { severity: "WARNING" }));
  return true;
}
