/**
 * SET TIME ZONE INTERVAL '+05:30' HOUR TO MINUTE: the interval is an offset east of UTC and
 * the setting becomes pg_tzset_offset's POSIX name ("<+05:30>-05:30"), as check_timezone.
 * Months and days are refused: a zone offset is a time of day.
 */
import { SqlError, SqlState } from "@tessera/base";
import { parseInterval } from "./interval.js";
import { intervalFullPrecision, makeIntervalTypmod } from "./interval-typmod.js";
import { offsetSettingName } from "./zone.js";

/** `range` is the cast's field mask (HOUR TO MINUTE), when it has one. */
export function intervalZoneSettingName(text: string, range?: number): string {
  const typmod = range === undefined ? -1 : makeIntervalTypmod(range, intervalFullPrecision);
  const value = parseInterval(text, typmod);
  for (const [field, amount] of [["months", value.months], ["days", value.days]] as const) {
    if (amount !== 0) {
      throw new SqlError(SqlState.invalidParameterValue,
        `invalid value for parameter "TimeZone": "INTERVAL '${text}'"`,
        { detail: `Cannot specify ${field} in time zone interval.` });
    }
  }
  return offsetSettingName(Number(value.micros / 1_000_000n));
}
