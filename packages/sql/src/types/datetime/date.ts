/**
 * date: days since 2000-01-01 as a number, ±Infinity for ±infinity. Input accepts every
 * format decode.ts knows ('2024-02-29', 'Jan 8, 1999', '1/8/1999' by DateStyle, 'today',
 * 'epoch'); output is ISO 'YYYY-MM-DD', with ' BC' for years before 1.
 */
import { SqlError, SqlState } from "@tessera/base";
import { ByteReader, ByteWriter } from "../binary.js";
import type { FormatContext } from "../context.js";
import { compareNumbers, type TypeIo } from "../type-io.js";
import {
  date2j, dateEndJulian, formatYmd, j2date, julianMin, postgresEpochJulian, type Ymd,
} from "./calendar.js";
import { formatDateInStyle, nonIsoStyle } from "./date-style.js";
import { decodeDateTime, syntaxError } from "./decode.js";
import { localNow } from "./now.js";

const int32Max = 2147483647;
const int32Min = -2147483648;

export const dateIo: TypeIo = {
  input: (text, _typmod, ctx) => parseDate(text, ctx),
  output: (value, ctx) => {
    const style = nonIsoStyle(ctx);
    const days = value as number;
    return style === undefined || !Number.isFinite(days)
      ? formatDate(days) : formatDateInStyle(days, style, ctx);
  },
  receive(bytes) {
    const reader = new ByteReader(bytes);
    const raw = reader.int32();
    reader.end();
    if (raw === int32Max) return Infinity;
    if (raw === int32Min) return -Infinity;
    return raw;
  },
  send(value) {
    const days = value as number;
    const raw = days === Infinity ? int32Max : days === -Infinity ? int32Min : days;
    return new ByteWriter(4).int32(raw).finish();
  },
  compare: (a, b) => compareNumbers(a as number, b as number),
  equals: (a, b) => a === b,
  hashKey: (value) => value as number,
};

export function parseDate(text: string, ctx: FormatContext): number {
  const decoded = decodeDateTime(text, "date", ctx);
  const state = { typeName: "date", input: text };
  switch (decoded.special) {
    case "infinity": return Infinity;
    case "-infinity": return -Infinity;
    case "epoch": return date2j(1970, 1, 1) - postgresEpochJulian;
    case "now": return localNow(ctx).days;
    case undefined: break;
  }
  const { year, month, day } = decoded;
  if (year === undefined || month === undefined || day === undefined) throw syntaxError(state);
  const julian = date2j(year, month, day);
  if (julian < julianMin || julian >= dateEndJulian) {
    throw new SqlError(SqlState.datetimeFieldOverflow, `date out of range: "${text}"`);
  }
  return julian - postgresEpochJulian;
}

const scratch: Ymd = { year: 0, month: 0, day: 0 };

export function formatDate(days: number): string {
  if (days === Infinity) return "infinity";
  if (days === -Infinity) return "-infinity";
  j2date(days + postgresEpochJulian, scratch);
  const text = formatYmd(scratch);
  return scratch.year <= 0 ? text + " BC" : text;
}
