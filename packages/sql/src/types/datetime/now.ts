/**
 * The statement's "now" in the session's zone, for 'now', 'today', 'tomorrow' and
 * 'yesterday'. Without a `nowMicros` in the context the wall clock stands in.
 */
import type { FormatContext } from "../context.js";
import { splitTimestamp } from "./calendar.js";
import { findZone, timeZoneSettingName, utcZone } from "./zone.js";

/** Returns now as microseconds since 2000-01-01 UTC. */
export function nowMicros(ctx: FormatContext): bigint {
  if (ctx.nowMicros !== undefined) return ctx.nowMicros;
  return BigInt(Date.now() - 946_684_800_000) * 1000n;
}

/** Returns now as local days and microseconds of the day in the session zone. */
export function localNow(ctx: FormatContext): { days: number; timeMicros: number; local: bigint } {
  const utc = nowMicros(ctx);
  const zone = findZone(timeZoneSettingName(ctx.timeZone)) ?? utcZone;
  const unixSeconds = Number(utc / 1_000_000n) + 946_684_800;
  const local = utc + BigInt(zone.offsetAt(unixSeconds)) * 1_000_000n;
  const { days, timeMicros } = splitTimestamp(local);
  return { days, timeMicros, local };
}
