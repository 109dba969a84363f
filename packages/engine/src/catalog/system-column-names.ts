/**
 * The system columns every table has (ctid, xmin, cmin, xmax, cmax, tableoid): a user column
 * may not take their names, and ALTER TABLE may not drop or rename them, as Postgres refuses.
 */
import { SqlError, SqlState } from "@tessera/base";

const systemColumnNames: ReadonlySet<string> =
  new Set(["ctid", "xmin", "cmin", "xmax", "cmax", "tableoid"]);

/** 42701 when a new or renamed column would take a system column's name. */
export function refuseSystemColumnName(name: string): void {
  if (!systemColumnNames.has(name)) return;
  throw new SqlError(SqlState.duplicateColumn,
    `column name "${name}" conflicts with a system column name`);
}

/** 0A000 when DROP or RENAME COLUMN names a system column (`verb`: "drop", "rename"). */
export function refuseSystemColumnChange(verb: string, name: string): void {
  if (!systemColumnNames.has(name)) return;
  throw new SqlError(SqlState.featureNotSupported, `cannot ${verb} system column "${name}"`);
}
