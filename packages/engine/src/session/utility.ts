/**
 * Statements the session answers itself, without the query engine: transaction control,
 * SET / RESET / SHOW, DISCARD. Postgres runs these in its utility path (ProcessUtility); here
 * they act on the session's own state: its settings and its transaction block.
 */
import { maintenanceOutsideBlock } from "../ddl/reindex-cluster.js";
import type { ast } from "@tessera/sql";
import { intervalZoneSettingName } from "@tessera/sql";
import { SqlError, SqlState } from "@tessera/base";
import type { ColumnInfo } from "../api.js";
import type { SessionSettings } from "./settings.js";
import { checkSettingValue } from "./settings.js";
import { settingDescription } from "./setting-metadata.js";
import {
  checkTransactionSetting, isTransactionSetting, setTransactionOutsideBlock,
} from "./transaction-settings.js";
import type { TransactionBlock } from "./transaction-block.js";

/** The kinds of statement handled here, by libpg-query node name. */
const utilityKinds = new Set(["TransactionStmt", "VariableSetStmt", "VariableShowStmt",
  "DiscardStmt",
  // SQL prepared statements: the session runs them (sql-prepared.ts).
  "PrepareStmt", "ExecuteStmt", "DeallocateStmt",
  // SQL cursors: the session runs them (sql-cursors.ts) before reaching runUtility.
  "DeclareCursorStmt", "FetchStmt", "ClosePortalStmt",
  // LISTEN / UNLISTEN / NOTIFY: the session runs them (notifications.ts).
  "ListenStmt", "UnlistenStmt", "NotifyStmt"]);

export function isUtility(stmt: ast.Node): boolean {
  return utilityKinds.has(Object.keys(stmt)[0] ?? "");
}

export interface UtilityResult {
  readonly columns: readonly ColumnInfo[] | null;
  readonly rows: string[][];
  readonly commandTag: string;
}

export interface UtilityScope {
  readonly settings: SessionSettings;
  readonly block: TransactionBlock;
  notice(notice: SqlError): void;
  /** SET inside a function: SET LOCAL lasts for the statement's transaction, with no warning. */
  readonly insideFunction?: boolean;
}

const textColumn = (name: string): ColumnInfo => ({
  name, tableOid: 0, columnNumber: 0, typeOid: 25, typeSize: -1, typeModifier: -1,
});

/** Returns the row description a utility statement will produce, for Describe. */
export function utilityColumns(stmt: ast.Node, settings: SessionSettings): ColumnInfo[] | null {
  if (!("VariableShowStmt" in stmt)) return null;
  const name = stmt.VariableShowStmt.name ?? "";
  if (name.toLowerCase() === "all") {
    return [textColumn("name"), textColumn("setting"), textColumn("description")];
  }
  return [textColumn(showColumnName(name, settings))];
}

/**
 * The name PostgreSQL's PreventInTransactionBlock gives a statement that may not run inside
 * a transaction block (VACUUM, CREATE/DROP INDEX CONCURRENTLY), or undefined.
 */
export function outsideBlockOnly(stmt: ast.Node): string | undefined {
  if ("VacuumStmt" in stmt) return stmt.VacuumStmt.is_vacuumcmd === true ? "VACUUM" : undefined;
  if ("IndexStmt" in stmt && stmt.IndexStmt.concurrent === true) {
    return "CREATE INDEX CONCURRENTLY";
  }
  if ("DropStmt" in stmt && stmt.DropStmt.concurrent === true) return "DROP INDEX CONCURRENTLY";
  return maintenanceOutsideBlock(stmt);
}

/** Runs one utility statement against the session's state. */
export function runUtility(stmt: ast.Node, scope: UtilityScope): UtilityResult {
  if ("TransactionStmt" in stmt) return runTransaction(stmt.TransactionStmt, scope);
  if ("VariableSetStmt" in stmt) return runSet(stmt.VariableSetStmt, scope);
  if ("VariableShowStmt" in stmt) return runShow(stmt.VariableShowStmt.name ?? "", scope);
  if ("DiscardStmt" in stmt) {
    const target = stmt.DiscardStmt.target ?? "DISCARD_ALL";
    if (target === "DISCARD_ALL") {
      if (scope.block.status !== "I" && !scope.block.implicit) {
        throw new SqlError(SqlState.activeSqlTransaction,
          "DISCARD ALL cannot run inside a transaction block");
      }
      scope.settings.resetAll();
    }
    const word = target.replace("DISCARD_", "");
    return { columns: null, rows: [], commandTag: `DISCARD ${word}` };
  }
  throw new SqlError(SqlState.internalError, "not a utility statement");
}

function runTransaction(stmt: ast.TransactionStmt, scope: UtilityScope): UtilityResult {
  const done = (commandTag: string): UtilityResult => ({ columns: null, rows: [], commandTag });
  switch (stmt.kind) {
    case "TRANS_STMT_BEGIN":
    case "TRANS_STMT_START":
      scope.block.begin(scope.notice, transactionOptions(stmt.options));
      return done(stmt.kind === "TRANS_STMT_BEGIN" ? "BEGIN" : "START TRANSACTION");
    case "TRANS_STMT_COMMIT":
      return done(scope.block.commit(scope.notice, stmt.chain === true));
    case "TRANS_STMT_ROLLBACK":
      scope.block.rollback(scope.notice, stmt.chain === true);
      return done("ROLLBACK");
    case "TRANS_STMT_SAVEPOINT":
      scope.block.savepoint(stmt.savepoint_name ?? "");
      return done("SAVEPOINT");
    case "TRANS_STMT_RELEASE":
      scope.block.release(stmt.savepoint_name ?? "");
      return done("RELEASE");
    case "TRANS_STMT_ROLLBACK_TO":
      scope.block.rollbackTo(stmt.savepoint_name ?? "");
      return done("ROLLBACK");
    default:
      throw new SqlError(SqlState.featureNotSupported,
        `${(stmt.kind ?? "").replace("TRANS_STMT_", "").replace("_", " ")} is not supported`);
  }
}

/** Reads ISOLATION LEVEL and READ ONLY / READ WRITE out of BEGIN's option list. */
function transactionOptions(options: ast.Node[] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const option of options ?? []) {
    if (!("DefElem" in option)) continue;
    const name = option.DefElem.defname ?? "";
    const arg = option.DefElem.arg;
    if (arg !== undefined && "A_Const" in arg) {
      const c = arg.A_Const;
      result[name] = c.sval?.sval ?? String(c.ival?.ival ?? c.boolval?.boolval ?? "");
    }
  }
  return result;
}

function runSet(stmt: ast.VariableSetStmt, scope: UtilityScope): UtilityResult {
  const name = stmt.name ?? "";
  const local = stmt.is_local === true;
  switch (stmt.kind) {
    case "VAR_SET_VALUE": {
      const value = setValueText(name, stmt.args ?? []);
      if (isTransactionSetting(name)) {
        checkSettingValue(name, value);
        if (!checkTransactionSetting(name, value, scope.settings, scope.block)) break;
      }
      if (local && scope.block.status === "I" && scope.insideFunction !== true) {
        setLocalOutsideBlock(name, value, scope);
        break;
      }
      scope.settings.set(name, value, { local });
      break;
    }
    case "VAR_SET_DEFAULT":
    case "VAR_RESET":
      scope.settings.reset(name);
      return { columns: null, rows: [], commandTag: stmt.kind === "VAR_RESET" ? "RESET" : "SET" };
    case "VAR_RESET_ALL":
      scope.settings.resetAll();
      return { columns: null, rows: [], commandTag: "RESET" };
    case "VAR_SET_MULTI":
      setMulti(stmt, scope);
      break;
    case "VAR_SET_CURRENT":
      break;
    default:
      throw new SqlError(SqlState.featureNotSupported, `SET ${stmt.kind ?? ""} is not supported`);
  }
  return { columns: null, rows: [], commandTag: "SET" };
}

/**
 * SET LOCAL with no transaction block lasts only for its own statement's transaction, as in
 * Postgres: a warning, the value checked, and nothing kept.
 */
function setLocalOutsideBlock(name: string, value: string, scope: UtilityScope): void {
  scope.notice(new SqlError(SqlState.noActiveSqlTransaction,
    "SET LOCAL can only be used in transaction blocks", { severity: "WARNING" }));
  scope.settings.beginTransaction();
  try {
    scope.settings.set(name, value, { local: true });
  } finally {
    scope.settings.endTransaction(true);
  }
}

/** SET TRANSACTION … and SET SESSION CHARACTERISTICS arrive as VAR_SET_MULTI. */
function setMulti(stmt: ast.VariableSetStmt, scope: UtilityScope): void {
  // Tessera exports no snapshots (pg_export_snapshot refuses too), so none can be imported.
  if (stmt.name === "TRANSACTION SNAPSHOT") {
    throw new SqlError(SqlState.featureNotSupported, "SET TRANSACTION SNAPSHOT is not supported");
  }
  const options = transactionOptions(stmt.args);
  const isolation = options["transaction_isolation"];
  const readOnly = options["transaction_read_only"];
  const session = stmt.name === "SESSION CHARACTERISTICS";
  if (!session && setTransactionOutsideBlock(scope.block, (n) => scope.notice(n))) return;
  if (!session && isolation !== undefined) {
    checkTransactionSetting("transaction_isolation", isolation, scope.settings, scope.block);
  }
  if (!session && readOnly !== undefined) {
    checkTransactionSetting("transaction_read_only", readOnly === "true" || readOnly === "1"
      ? "on" : "off", scope.settings, scope.block);
  }
  if (isolation !== undefined) {
    scope.settings.set(session ? "default_transaction_isolation" : "transaction_isolation",
      isolation, { local: !session, internal: true });
  }
  if (readOnly !== undefined) {
    scope.settings.set(session ? "default_transaction_read_only" : "transaction_read_only",
      readOnly === "true" || readOnly === "1" ? "on" : "off", { local: !session });
  }
  const deferrable = options["transaction_deferrable"];
  if (deferrable !== undefined) {
    scope.settings.set(session ? "default_transaction_deferrable" : "transaction_deferrable",
      deferrable === "true" || deferrable === "1" ? "on" : "off", { local: !session });
  }
}

/** Checks the value of a SET inside ALTER ROLE or ALTER DATABASE (`checkSettingValue`). */
export function checkSetStatementValue(stmt: ast.VariableSetStmt | undefined): void {
  if (stmt?.kind !== "VAR_SET_VALUE") return;
  const name = stmt.name ?? "";
  checkSettingValue(name, setValueText(name, stmt.args ?? []));
}

/** SET TIME ZONE INTERVAL '+05:30' HOUR TO MINUTE: an offset east, not a POSIX name. */
function isZoneInterval(name: string, cast: ast.TypeCast): boolean {
  const key = name.toLowerCase();
  const names = cast.typeName?.names ?? [];
  const last = names[names.length - 1];
  return (key === "timezone" || key === "time zone") && last !== undefined &&
    "String" in last && last.String.sval === "interval";
}

function zoneFromInterval(text: string, cast: ast.TypeCast): string {
  const first = cast.typeName?.typmods?.[0];
  const range = first !== undefined && "A_Const" in first ? first.A_Const.ival?.ival : undefined;
  return intervalZoneSettingName(text, range);
}

/** Turns SET's argument list into the text Postgres would store (lists joined by ", "). */
export function setValueText(name: string, args: ast.Node[]): string {
  const parts = args.map((arg) => {
    if ("A_Const" in arg) {
      const c = arg.A_Const;
      if (c.sval !== undefined) return c.sval.sval ?? "";
      if (c.ival !== undefined) return String(c.ival.ival ?? 0);
      if (c.fval !== undefined) return c.fval.fval ?? "0";
      if (c.boolval !== undefined) return c.boolval.boolval === true ? "on" : "off";
    }
    if ("TypeCast" in arg && arg.TypeCast.arg !== undefined) {
      const text = setValueText(name, [arg.TypeCast.arg]);
      return isZoneInterval(name, arg.TypeCast) ? zoneFromInterval(text, arg.TypeCast) : text;
    }
    throw new SqlError(SqlState.syntaxError, `invalid value for parameter "${name}"`);
  });
  if (name.toLowerCase() === "search_path") return parts.map(quoteSearchPathItem).join(", ");
  return parts.join(", ");
}

function quoteSearchPathItem(item: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(item) ? item : `"${item.replaceAll('"', '""')}"`;
}

function showColumnName(name: string, settings: SessionSettings): string {
  const key = name.toLowerCase();
  if (key === "transaction isolation level") return "transaction_isolation";
  if (key === "time zone") return "TimeZone";
  return settings.displayName(key);
}

function runShow(name: string, scope: UtilityScope): UtilityResult {
  const key = name.toLowerCase();
  if (key === "all") {
    const rows = scope.settings.all().map((s) => [scope.settings.displayName(s.name),
      s.setting, settingDescription(s.name)]);
    return { columns: utilityColumns({ VariableShowStmt: { name } }, scope.settings),
      rows, commandTag: "SHOW" };
  }
  const lookup = key === "transaction isolation level" ? "transaction_isolation"
    : key === "time zone" ? "timezone" : key;
  const value = scope.settings.get(lookup);
  return { columns: [textColumn(showColumnName(name, scope.settings))], rows: [[value]],
    commandTag: "SHOW" };
}
