/**
 * The errors built-in functions raise, with PostgreSQL 15's SQLSTATEs and message texts, so
 * callers and differential tests see exactly what PostgreSQL prints.
 */
import { SqlError, SqlState } from "@tessera/base";

export function divisionByZero(): SqlError {
  return new SqlError(SqlState.divisionByZero, "division by zero");
}

/** Returns PostgreSQL's out-of-range error for `type` ("integer", "smallint", "bigint"). */
export function outOfRange(type: string): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, `${type} out of range`);
}

export function floatOverflow(): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, "value out of range: overflow");
}

export function floatUnderflow(): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, "value out of range: underflow");
}

export function invalidParameter(message: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, message);
}

export function invalidText(message: string): SqlError {
  return new SqlError(SqlState.invalidTextRepresentation, message);
}

export function notImplemented(what: string): SqlError {
  return new SqlError(SqlState.featureNotSupported, `${what} is not supported`);
}
