/** The two errors of date/time input: bad syntax (22007) and a field out of range (22008). */
import { SqlError, SqlState } from "@tessera/base";

/** 22007 `invalid input syntax for type date: "..."`: date/time syntax has its own code. */
export function syntaxError(state: { typeName: string; input: string }): SqlError {
  return new SqlError(SqlState.invalidDatetimeFormat,
    `invalid input syntax for type ${state.typeName}: "${state.input}"`);
}

/** 22008; `hint` marks a month or day that another DateStyle might have read correctly. */
export function rangeError(input: string, hint = false): SqlError {
  const fields = hint ? { hint: 'Perhaps you need a different "datestyle" setting.' } : {};
  return new SqlError(SqlState.datetimeFieldOverflow,
    `date/time field value out of range: "${input}"`, fields);
}
