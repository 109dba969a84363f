/**
 * System and utility functions: gen_random_uuid, pg_sleep (the one asynchronous function; it
 * honours cancellation through ctx.signal), pg_size_pretty, version, current_setting,
 * current_user / current_database, num_nulls / num_nonnulls.
 */
import { randomUUID } from "node:crypto";
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "../types/value.js";
import type { EvalContext, ScalarFunction } from "./defs.js";
import { fn, str } from "./builders.js";
import { Decimal } from "./decimal.js";
import { T } from "./type-oids.js";

export const versionString =
  "PostgreSQL 15.0 (Tessera 0.1.0) on x86_64-pc-linux-gnu, compiled by TypeScript, 64-bit";

export function miscFunctions(): ScalarFunction[] {
  const sleep: ScalarFunction = {
    ...fn(
      "pg_sleep",
      [T.float8],
      T.void,
      () => {
        throw new SqlError(SqlState.internalError, "pg_sleep must be called through implAsync");
      },
      { volatility: "v" },
    ),
    implAsync: (a, ctx) => pgSleep(a[0] as number, ctx),
  };
  return [
    fn("gen_random_uuid", [], T.uuid, () => randomUUID(), { volatility: "v" }),
    sleep,
    fn("pg_size_pretty", [T.int8], T.text, (a) =>
      sizePretty(new Decimal((a[0] as bigint).toString())),
    ),
    fn("pg_size_pretty", [T.numeric], T.text, (a) => sizePretty(a[0] as Decimal)),
    fn("version", [], T.text, () => versionString, { volatility: "s" }),
    fn("current_setting", [T.text], T.text, (a, ctx) => setting(ctx, str(a[0] ?? ""), false), {
      volatility: "s",
    }),
    fn(
      "current_setting",
      [T.text, T.bool],
      T.text,
      (a, ctx) => setting(ctx, str(a[0] ?? ""), a[1] === true),
      { volatility: "s" },
    ),
    ...["current_user", "session_user", "user", "current_role"].map((name) =>
      fn(name, [], T.name, (_a, ctx) => ctx.user, { volatility: "s" }),
    ),
    fn("current_database", [], T.name, (_a, ctx) => ctx.database, { volatility: "s" }),
    fn("current_catalog", [], T.name, (_a, ctx) => ctx.database, { volatility: "s" }),
    // The type of the argument as the analyzer resolved it; a regtype prints its name.
    fn("pg_typeof", [T.any], T.regtype, (_a, _ctx, call) => call.argTypes[0] ?? T.unknown, {
      strict: false,
      volatility: "s",
      keepsUnknown: true,
    }),
    fn("num_nulls", [T.any], T.int4, (a) => a.filter((v) => v === null).length, {
      strict: false,
      variadic: T.any,
    }),
    fn("num_nonnulls", [T.any], T.int4, (a) => a.filter((v) => v !== null).length, {
      strict: false,
      variadic: T.any,
    }),
  ];
}

function setting(ctx: EvalContext, name: string, missingOk: boolean): Value {
  try {
    return ctx.setting(name);
  } catch (error) {
    if (missingOk) return null;
    throw error;
  }
}

/** Sleeps `seconds`, rejecting with 57014 as soon as the statement is cancelled. */
export function pgSleep(seconds: number, ctx: EvalContext): Promise<Value> {
  const cancelled = (): SqlError =>
    new SqlError(SqlState.queryCanceled, "canceling statement due to user request");
  return new Promise((resolve, reject) => {
    if (ctx.signal.aborted) {
      reject(cancelled());
      return;
    }
    const ms = Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, 2 ** 31 - 1) : 0;
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      ctx.signal.removeEventListener("abort", onAbort);
      resolve(""); // void, not null: `pg_sleep(0) is null` is false
    }, ms);
    ctx.signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Formats a byte count as pg_size_pretty: one extra bit is kept for half-up rounding. */
export function sizePretty(bytes: Decimal): string {
  const limit = 10n * 1024n;
  const limit2 = limit * 2n - 1n;
  let size = BigInt(bytes.truncated().toFixed(0));
  const abs = (v: bigint): bigint => (v < 0n ? -v : v);
  if (abs(size) < limit) return `${size} bytes`;
  size >>= 9n;
  const units = ["kB", "MB", "GB", "TB"];
  for (const unit of units) {
    if (abs(size) < limit2) return `${halfRounded(size)} ${unit}`;
    size >>= 10n;
  }
  return `${halfRounded(size)} PB`;
}

function halfRounded(v: bigint): bigint {
  return (v + (v < 0n ? -1n : 1n)) / 2n;
}
