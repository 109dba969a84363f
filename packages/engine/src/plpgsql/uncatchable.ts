/**
 * Errors no EXCEPTION handler may catch: a host's refusal of a statement (the coordinator's,
 * for a distributed table inside a query's function) must reach the host's caller, which may
 * run the block another way, not be swallowed by `WHEN OTHERS`.
 */
const uncatchable = new WeakSet<Error>();

export function markUncatchable<E extends Error>(error: E): E {
  uncatchable.add(error);
  return error;
}

export function isUncatchable(error: unknown): boolean {
  return error instanceof Error && uncatchable.has(error);
}
