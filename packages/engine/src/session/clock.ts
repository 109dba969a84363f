/**
 * The session clock: microseconds since 2000-01-01 00:00 UTC, Postgres's timestamp epoch,
 * with sub-millisecond resolution from the monotonic clock anchored at process start.
 */
const epoch2000Ms = 946_684_800_000;

export function nowMicros(): bigint {
  const ms = performance.timeOrigin + performance.now() - epoch2000Ms;
  return BigInt(Math.round(ms * 1000));
}
