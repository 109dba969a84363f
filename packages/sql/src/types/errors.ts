/**
 * The errors type input raises, with Postgres's codes and texts word for word, so clients
 * and our differential tests see what PostgreSQL would say.
 */
import { SqlError, SqlState } from "@tessera/base";

/** 22P02 `invalid input syntax for type integer: "abc"`. */
export function invalidInput(typeName: string, text: string): SqlError {
  return new SqlError(
    SqlState.invalidTextRepresentation,
    `invalid input syntax for type ${typeName}: "${text}"`,
  );
}

/** 22003 `value "99999999999" is out of range for type integer`. */
export function valueOutOfRange(typeName: string, text: string): SqlError {
  return new SqlError(
    SqlState.numericValueOutOfRange,
    `value "${text}" is out of range for type ${typeName}`,
  );
}

/** 22003 `integer out of range` and its siblings, for arithmetic and casts. */
export function outOfRange(what: string): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, `${what} out of range`);
}

/** 22P03 for malformed binary input, as Postgres's pq_getmsg* complain. */
export function invalidBinary(message: string): SqlError {
  return new SqlError(SqlState.invalidBinaryRepresentation, message);
}

/** 22P02 `malformed array literal: "..."` with Postgres's detail sentence. */
export function malformedArray(text: string, detail: string): SqlError {
  return new SqlError(SqlState.invalidTextRepresentation, `malformed array literal: "${text}"`, {
    detail,
  });
}
