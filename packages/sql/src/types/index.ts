/**
 * The public face of the type system; packages/sql/src/index.ts re-exports it.
 */
export * from "./value.js";
export { TypeOid, type TypeOidName } from "./oids.js";
export {
  defaultFormatContext, dateOrderOf, dateStyleOutputOf, type FormatContext, type DateOrder,
} from "./context.js";
export type { TypeIo } from "./type-io.js";
export {
  typeByOid, typeOf, arrayTypeOf, allTypes, registerUserType, unregisterUserType, type PgType,
} from "./registry.js";
export { multirangeRangeOid } from "./registry.js";
export {
  rangeSubtypeOid, registerUserRange, unregisterUserRange,
} from "./registry.js";
export { makeUserRangeTypes, type UserRangeOids } from "./user-range.js";
export { EnumLabels, makeEnumTypes, type EnumLabel } from "./enum.js";
export {
  makeCompositeTypes, parseRecordText, splitRecordText, type CompositeAttribute,
} from "./composite.js";
export {
  typeByName, parseTypeName, typmodFromModifiers, formatType, floatTypeForPrecision,
} from "./type-names.js";
export {
  findCast, coerceToTypmod, canCoerce, type Cast, type CastContext, type CastFn,
} from "./casts.js";
export { setRegResolver, setRegclassResolver, type RegKind, type RegResolver } from "./reg.js";
export { tsConfigSettingValue } from "./regconfig.js";
export {
  withScale, numericScale, parseNumeric, formatNumeric, compareNumeric, numericKey,
  applyNumericTypmod, makeNumericTypmod, numericTypmodParts, type ScaledDecimal,
} from "./numeric.js";
export { exactNumericText } from "./numeric-fast.js";
export {
  compareFloats, floatKey, formatFloat4, formatFloat8, parseFloat4, parseFloat8,
} from "./float.js";
export {
  int2Min, int2Max, int4Min, int4Max, int8Min, int8Max, oidMax,
} from "./integer.js";
export {
  compareText, compareBpchar, characterLength, coerceVarchar, coerceBpchar,
} from "./text.js";
export { compareBytes } from "./bytea.js";
export { parseJsonb, formatJsonb, makeObject, makeJsonbNumber, escapeJson } from "./jsonb.js";
export { JsonbTextObject, jsonbTextOf } from "./jsonb-text.js";
export { compareJsonb } from "./jsonb-compare.js";
export { makeArray, compareArrays } from "./array.js";
export { formatInet, parseInet, compareInet } from "./inet.js";
export { intervalSpan, parseInterval } from "./datetime/interval.js";
export {
  makeIntervalTypmod, IntervalMask, intervalFullRange, intervalFullPrecision,
} from "./datetime/interval-typmod.js";
export {
  formatTimestamp, formatTimestamptz, parseTimestamp, sessionZone, localInZoneToUtc, offsetOfUtc,
} from "./datetime/timestamp.js";
export { formatDate, parseDate } from "./datetime/date.js";
export { formatTime, formatTimetz } from "./datetime/time.js";
export { findZone, timeZoneSettingName, type Zone } from "./datetime/zone.js";
export { zoneAbbreviations } from "./datetime/zone.js";
export { intervalZoneSettingName } from "./datetime/interval-zone.js";
export {
  date2j, j2date, postgresEpochJulian, unixEpochJulian, usecsPerDay, usecsPerDayBig,
} from "./datetime/calendar.js";
export { ByteReader, ByteWriter } from "./binary.js";
export { tidOfOrdinal, tidOutput, tidPerBlock } from "./tid.js";
