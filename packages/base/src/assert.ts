/**
 * Assertions that run in every build. A failed assertion is a bug in Tessera, never a user
 * error: user errors are `SqlError`s. The process that trips one must stop before it writes
 * more state, so callers never catch `AssertionError`.
 */
export class AssertionError extends Error {
  override readonly name = "AssertionError";
}

/** Throws `AssertionError` unless `condition` holds; `why` says what was expected. */
export function assert(condition: unknown, why: string): asserts condition {
  if (!condition) throw new AssertionError(why);
}

/** Marks a branch the type system proves unreachable; reaching it at run time is a bug. */
export function assertNever(value: never, what = "value"): never {
  throw new AssertionError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
