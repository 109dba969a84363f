/**
 * Text output of values, as PostgreSQL prints them with DateStyle ISO and IntervalStyle
 * postgres: what `concat`, `format`, `||`, `array_to_string` and `to_json` need to turn any
 * value into text. A local stand-in for the output functions in `types/` (owned elsewhere);
 * once those land, `valueToText` should delegate to them.
 */
import { formatJsonb } from "../types/jsonb.js";
import { defaultFormatContext } from "../types/context.js";
import { typeByOid } from "../types/registry.js";
import type { Interval, Jsonb, PgArray, PgRecord, TimeTz, Value } from "../types/value.js";
import { TIMESTAMP_INFINITY, TIMESTAMP_MINUS_INFINITY } from "../types/value.js";
import { Decimal, scaleOf } from "./decimal.js";
import { toFields, ymdFromDate, usecsPerHour } from "./calendar.js";
import { T, isStringType } from "./type-oids.js";
import { formatOffset, offsetAt } from "./tz.js";

/** The session's DateStyle and IntervalStyle, for the types whose text they change. */
export interface TextStyles {
  readonly dateStyle: string;
  readonly intervalStyle: string;
  /** extra_float_digits; float4 and float8 print through their output function when set. */
  readonly extraFloatDigits?: number;
}

const styledTypes: ReadonlySet<number> = new Set([T.date, T.timestamp, T.timestamptz,
  T.interval]);

/** The OID alias types: numbers inside, printed by name through their output function. */
const regTypes: ReadonlySet<number> = new Set([T.regproc, T.regprocedure, T.regoper,
  T.regoperator, T.regclass, T.regtype, T.regconfig, T.regnamespace, T.regrole,
  T.regcollation]);

/**
 * Returns the text form of a non-null value of type `type`; `zone` is the session TimeZone.
 * With `styles`, dates, timestamps and intervals print through their type's output function
 * under those settings (DateStyle German: 02.01.2024).
 */
export function valueToText(v: Value, type: number, zone = "UTC", styles?: TextStyles): string {
  if (v === null) return "";
  const floatStyled = styles?.extraFloatDigits !== undefined &&
    (type === T.float8 || type === T.float4);
  if (styles !== undefined && (styledTypes.has(type) || floatStyled)) {
    const io = typeByOid(type);
    const context = { ...defaultFormatContext, timeZone: zone, ...styles };
    if (io !== undefined) return io.output(v, context);
  }
  if (type === T.jsonb) return jsonbToText(v as Jsonb);
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "t" : "f";
  if (typeof v === "bigint") return timestampLike(v, type, zone);
  if (typeof v === "number" && !regTypes.has(type)) return numberLike(v, type);
  if (v instanceof Decimal) return numericToText(v);
  if (v instanceof Uint8Array) return byteaToText(v);
  if (isArray(v)) return arrayToText(v, zone, styles);
  if (isRecord(v)) return recordToText(v, zone, styles);
  if (isInterval(v)) return intervalToText(v);
  if (isTimeTz(v)) return timeToText(v.micros) + formatOffset(-v.zoneSeconds, false);
  if (isJsonbContainer(v)) return jsonbToText(v as Jsonb);
  // Shapes this stand-in does not know (inet, …) print with the type's own output function.
  const owner = typeByOid(type);
  if (owner !== undefined) return owner.output(v, { ...defaultFormatContext, timeZone: zone });
  return String(v);
}

function timestampLike(v: bigint, type: number, zone: string): string {
  if (type === T.int8 || type === T.numeric) return v.toString();
  if (type === T.timestamptz) return timestamptzToText(v, zone);
  // Other int64-valued types (money …) print with their own output function.
  const owner = type === T.timestamp ? undefined : typeByOid(type);
  if (owner !== undefined && owner.category !== "P") {
    return owner.output(v, { ...defaultFormatContext, timeZone: zone });
  }
  return timestampToText(v);
}

function numberLike(v: number, type: number): string {
  if (type === T.float8) return float8ToText(v);
  if (type === T.float4) return float4ToText(v);
  if (type === T.date) return dateToText(v);
  if (type === T.time) return timeToText(v);
  if (!Number.isInteger(v)) return float8ToText(v);
  return String(v);
}

export function numericToText(d: Decimal): string {
  if (d.isNaN()) return "NaN";
  if (!d.isFinite()) return d.isNegative() ? "-Infinity" : "Infinity";
  return d.toFixed(scaleOf(d));
}

/** Formats a float8 with the fewest digits that read back exactly (extra_float_digits 1). */
export function float8ToText(v: number): string {
  return shortestFloat(v, v.toExponential(), 15);
}

/** Formats a float4 with the fewest digits that read back to the same float4. */
export function float4ToText(v: number): string {
  let text = v.toExponential();
  for (let p = 1; p <= 9 && Number.isFinite(v); p++) {
    const candidate = v.toExponential(p - 1);
    if (Math.fround(Number(candidate)) === v) {
      text = candidate;
      break;
    }
  }
  return shortestFloat(v, text, 6);
}

function shortestFloat(v: number, exponential: string, digitsMax: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const [mantissa = "", expText = "0"] = exponential.split("e");
  const exponent = Number(expText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "").replace(/0+$/, "") || "0";
  const sign = negative ? "-" : "";
  if (exponent < -4 || exponent >= digitsMax) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const e = Math.abs(exponent);
    return `${sign}${digits[0]}${frac}e${exponent < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return sign + digits.padEnd(exponent + 1, "0");
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

export function byteaToText(v: Uint8Array): string {
  return "\\x" + Buffer.from(v).toString("hex");
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function yearText(year: number): [string, string] {
  return year > 0 ? [pad(year, 4), ""] : [pad(1 - year, 4), " BC"];
}

export function dateToText(v: number): string {
  if (v === Infinity) return "infinity";
  if (v === -Infinity) return "-infinity";
  const [y, m, d] = ymdFromDate(v);
  const [year, bc] = yearText(y);
  return `${year}-${pad(m, 2)}-${pad(d, 2)}${bc}`;
}

export function timeToText(micros: number): string {
  const h = Math.floor(micros / 3_600_000_000);
  const mi = Math.floor(micros / 60_000_000) % 60;
  return `${pad(h, 2)}:${pad(mi, 2)}:${secondsText(Math.floor(micros / 1e6) % 60, micros % 1e6)}`;
}

function secondsText(sec: number, micro: number): string {
  const whole = pad(sec, 2);
  if (micro === 0) return whole;
  return `${whole}.${pad(micro, 6).replace(/0+$/, "")}`;
}

export function timestampToText(v: bigint): string {
  if (v === TIMESTAMP_INFINITY) return "infinity";
  if (v === TIMESTAMP_MINUS_INFINITY) return "-infinity";
  const f = toFields(v);
  const [year, bc] = yearText(f.year);
  return (
    `${year}-${pad(f.month, 2)}-${pad(f.day, 2)} ${pad(f.hour, 2)}:${pad(f.minute, 2)}:` +
    `${secondsText(f.second, f.micro)}${bc}`
  );
}

export function timestamptzToText(v: bigint, zone: string): string {
  if (v === TIMESTAMP_INFINITY || v === TIMESTAMP_MINUS_INFINITY) return timestampToText(v);
  const offset = offsetAt(zone, v);
  const local = timestampToText(v + BigInt(offset) * 1_000_000n);
  const bc = local.endsWith(" BC");
  const body = bc ? local.slice(0, -3) : local;
  return body + formatOffset(offset, false) + (bc ? " BC" : "");
}

/** Formats an interval in IntervalStyle postgres: `1 year 2 mons 3 days 04:05:06.789`. */
export function intervalToText(v: Interval): string {
  const parts: string[] = [];
  let before = false;
  const addPart = (value: number, unit: string): void => {
    if (value === 0) return;
    parts.push(`${before && value > 0 ? "+" : ""}${value} ${unit}${value !== 1 ? "s" : ""}`);
    before = value < 0;
  };
  addPart(Math.trunc(v.months / 12), "year");
  addPart(v.months % 12, "mon");
  addPart(v.days, "day");
  if (parts.length === 0 || v.micros !== 0n) {
    const minus = v.micros < 0n;
    const abs = minus ? -v.micros : v.micros;
    const hours = abs / usecsPerHour;
    const rest = Number(abs % usecsPerHour);
    const sign = minus ? "-" : before ? "+" : "";
    const mi = Math.floor(rest / 60_000_000);
    const sec = secondsText(Math.floor(rest / 1e6) % 60, rest % 1e6);
    parts.push(`${sign}${hours < 10n ? "0" : ""}${hours}:${pad(mi, 2)}:${sec}`);
  }
  return parts.join(" ");
}

/** Formats jsonb as PostgreSQL's jsonb_out: `{"a": 1, "b": [1, 2]}` (the type's output). */
export function jsonbToText(v: Jsonb): string {
  return formatJsonb(v);
}

/** Quotes a string as PostgreSQL's escape_json does. */
export function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}

function arrayToText(a: PgArray, zone: string, styles?: TextStyles): string {
  if (a.dims.length === 0) return "{}";
  const texts = a.items.map((x) =>
    x === null ? "NULL" : quoteArrayItem(valueToText(x, a.elementType, zone, styles)),
  );
  let index = 0;
  const build = (dim: number): string => {
    const parts: string[] = [];
    for (let i = 0; i < (a.dims[dim] ?? 0); i++) {
      parts.push(dim === a.dims.length - 1 ? (texts[index++] ?? "") : build(dim + 1));
    }
    return `{${parts.join(",")}}`;
  };
  const bounds = a.lowerBounds.some((b) => b !== 1)
    ? a.dims
        .map((d, i) => `[${a.lowerBounds[i] ?? 1}:${(a.lowerBounds[i] ?? 1) + d - 1}]`)
        .join("") + "="
    : "";
  return bounds + build(0);
}

function quoteArrayItem(s: string): string {
  if (s === "" || /[{}",\\\s]/.test(s) || s.toUpperCase() === "NULL") {
    return `"${s.replace(/[\\"]/g, (c) => "\\" + c)}"`;
  }
  return s;
}

function recordToText(r: PgRecord, zone: string, styles?: TextStyles): string {
  const parts = r.fields.map((f, i) => {
    if (f === null) return "";
    const s = valueToText(f, r.types[i] ?? T.text, zone, styles);
    return s === "" || /[(),"\\\s]/.test(s) ? `"${s.replace(/[\\"]/g, (c) => c + c)}"` : s;
  });
  return `(${parts.join(",")})`;
}

export function isArray(v: Value): v is PgArray {
  return typeof v === "object" && v !== null && "kind" in v && v.kind === "array";
}

export function isRecord(v: Value): v is PgRecord {
  return typeof v === "object" && v !== null && "kind" in v && v.kind === "record";
}

export function isInterval(v: Value): v is Interval {
  return typeof v === "object" && v !== null && "months" in v && "micros" in v;
}

export function isTimeTz(v: Value): v is TimeTz {
  return typeof v === "object" && v !== null && "zoneSeconds" in v;
}

function isJsonbContainer(v: Value): boolean {
  return (
    Array.isArray(v) ||
    (typeof v === "object" &&
      v !== null &&
      "kind" in v &&
      (v.kind === "object" || v.kind === "number"))
  );
}

/** true when values of `type` print without quotes in json (numbers and booleans). */
export function isStringish(type: number): boolean {
  return isStringType(type);
}
