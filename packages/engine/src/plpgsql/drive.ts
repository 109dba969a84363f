/**
 * Running the interpreter's generators (`interpreter.ts`): each yields only a promise the
 * host returned and expects its result back. `runSync` drives a call whose host never waits
 * (the engine); `runAsync` awaits what is yielded (a host over the network).
 */
import { notSupported } from "@tessera/base";
import type { Maybe } from "./host.js";

/** A step of the interpreter: yields promises, resumes with their values, returns T. */
export type Step<T> = Generator<Promise<unknown>, T, unknown>;

/** The value of `value`, waiting (by yielding it) when it is a promise. */
export function* wait<T>(value: Maybe<T>): Step<T> {
  if (value instanceof Promise) return (yield value) as T;
  return value;
}

/** Runs `step` to its end; a host that waits cannot be used here. */
export function runSync<T>(step: Step<T>): T {
  const next = step.next();
  if (next.done === true) return next.value;
  next.value.catch(() => undefined);
  step.return(undefined as T);
  throw notSupported("PL/pgSQL statements that must wait here (a distributed query inside " +
    "a function called by a query)");
}

/** Runs `step` to its end, awaiting what it yields. */
export async function runAsync<T>(step: Step<T>): Promise<T> {
  return runAsyncFrom(step, step.next());
}

/**
 * Runs `step` at once while it yields nothing; from its first wait on, asynchronously: a
 * caller that can wait awaits the promise, one that cannot (`runSync`'s) sees it and refuses.
 */
export function runMaybe<T>(step: Step<T>): Maybe<T> {
  const next = step.next();
  if (next.done === true) return next.value;
  return runAsyncFrom(step, next);
}

/** Drives `step` on from `next`, a result it gave, awaiting what it yields. */
async function runAsyncFrom<T>(step: Step<T>, first: IteratorResult<Promise<unknown>, T>):
  Promise<T> {
  let next = first;
  while (next.done !== true) {
    let value: unknown;
    try {
      value = await next.value;
    } catch (error) {
      next = step.throw(error);
      continue;
    }
    next = step.next(value);
  }
  return next.value;
}
