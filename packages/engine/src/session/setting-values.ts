/**
 * Values of numeric and Boolean settings, read and printed as Postgres 15's guc.c does:
 *
 *   parse_bool       on/off, true/false, yes/no, 1/0 and their unambiguous prefixes
 *   parse_int        decimal, hex (0x…) or octal (0…) integers, or a decimal fraction rounded
 *                    to the nearest integer, optionally followed by a unit ("5s", "64 kB")
 *                    converted to the setting's base unit (ms for a timeout, kB for memory)
 *   parse_real       a floating-point value, with a unit the same way
 *   _ShowOption      a positive value with a unit is shown in the largest unit that divides
 *                    it evenly ("60000" ms shows as "1min", "1024" kB as "1MB")
 *
 * Failures raise 22023 with Postgres's messages: `invalid value for parameter "x": "v"`
 * (with the valid units as HINT when the unit was wrong, or "Value exceeds integer range."),
 * `v unit is outside the valid range for parameter "x" (min .. max)`, and
 * `parameter "x" requires a Boolean value`.
 */
import { SqlError, SqlState } from "@tessera/base";

/** A setting's base unit, as guc.h's GUC_UNIT_* flags. */
export type BaseUnit = "ms" | "s" | "min" | "kB" | "MB" | "8kB";

interface UnitConversion {
  readonly unit: string;
  readonly multiplier: number;
}

const msPerUnit: readonly UnitConversion[] = [
  { unit: "d", multiplier: 86_400_000 }, { unit: "h", multiplier: 3_600_000 },
  { unit: "min", multiplier: 60_000 }, { unit: "s", multiplier: 1000 },
  { unit: "ms", multiplier: 1 }, { unit: "us", multiplier: 0.001 },
];
const bytesPerUnit: readonly UnitConversion[] = [
  { unit: "TB", multiplier: 1024 ** 4 }, { unit: "GB", multiplier: 1024 ** 3 },
  { unit: "MB", multiplier: 1024 ** 2 }, { unit: "kB", multiplier: 1024 },
  { unit: "B", multiplier: 1 },
];

/** The conversions into one base unit, greatest unit first (guc.c's tables). */
function conversions(base: BaseUnit): readonly UnitConversion[] {
  const scale = (table: readonly UnitConversion[], per: number): UnitConversion[] =>
    table.map((c) => ({ unit: c.unit, multiplier: c.multiplier / per }));
  switch (base) {
    case "ms": return msPerUnit;
    case "s": return scale(msPerUnit, 1000);
    case "min": return scale(msPerUnit, 60_000);
    case "kB": return scale(bytesPerUnit, 1024);
    case "MB": return scale(bytesPerUnit, 1024 ** 2);
    case "8kB": return scale(bytesPerUnit, 8192);
  }
}

function isMemory(base: BaseUnit): boolean {
  return base === "kB" || base === "MB" || base === "8kB";
}

const timeUnitsHint =
  "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".";
const memoryUnitsHint =
  "Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".";

/** C's rint: to the nearest integer, halves to even. */
function rint(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

const space = /\s/;

/**
 * The number at the start of `text` as strtol(…, 0) reads it, or strtod when a fraction or
 * exponent follows; undefined if none.
 */
function leadingNumber(text: string): { value: number; rest: string } | undefined {
  const integer = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text);
  const after = integer === null ? "" : text.slice(integer[0].length);
  if (integer !== null && !/^[.eE]/.test(after)) {
    const digits = integer[2]!;
    const magnitude = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16)
      : digits.length > 1 && digits.startsWith("0") ? parseInt(digits, 8) : Number(digits);
    return { value: integer[1] === "-" ? -magnitude : magnitude, rest: after };
  }
  const real = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text) ??
    /^\s*[+-]?(inf|infinity|nan)/i.exec(text);
  if (real === null) return undefined;
  return { value: Number(real[0].trim().replace(/^([+-]?)inf(inity)?$/i, "$1Infinity")),
    rest: text.slice(real[0].length) };
}

/**
 * Reads a numeric setting's value into its base unit: a number, or a failure with the HINT
 * Postgres gives (undefined for none).
 */
function parseNumber(text: string, base: BaseUnit | undefined, integerOnly: boolean):
  number | { hint: string | undefined } {
  const read = leadingNumber(text);
  if (read === undefined || Number.isNaN(read.value)) return { hint: undefined };
  if (integerOnly && !Number.isFinite(read.value)) return { hint: undefined };
  let { value } = read;
  const rest = read.rest.replace(/^\s+/, "");
  if (rest !== "") {
    if (base === undefined) return { hint: undefined };
    const converted = toBaseUnit(value, rest, base);
    if (converted === undefined) {
      return { hint: isMemory(base) ? memoryUnitsHint : timeUnitsHint };
    }
    value = converted;
  }
  return value;
}

/** convert_to_base_unit: `value` in the unit `rest` names (then only spaces), in `base`. */
function toBaseUnit(value: number, rest: string, base: BaseUnit): number | undefined {
  let end = 0;
  while (end < rest.length && !space.test(rest[end]!)) end++;
  const unit = rest.slice(0, end);
  if (rest.slice(end).trim() !== "") return undefined;
  const table = conversions(base);
  const index = table.findIndex((c) => c.unit === unit);
  if (index < 0) return undefined;
  let converted = value * table[index]!.multiplier;
  // A fraction ("1.5GB") is rounded to a whole number of the next smaller unit.
  const smaller = table[index + 1];
  if (smaller !== undefined) converted = rint(converted / smaller.multiplier) * smaller.multiplier;
  return converted;
}

function invalid(name: string, value: string, hint: string | undefined): SqlError {
  return new SqlError(SqlState.invalidParameterValue,
    `invalid value for parameter "${name}": "${value}"`, hint === undefined ? {} : { hint });
}

/** A value as SHOW prints it ("4MB", "1min") in its setting's base unit (pg_settings). */
export function valueInBaseUnit(text: string, base: BaseUnit): number | undefined {
  const parsed = parseNumber(text, base, false);
  return typeof parsed === "number" ? parsed : undefined;
}

/** How a value in base units is shown: the largest unit dividing it evenly, when positive. */
export function showWithUnit(value: number, base: BaseUnit | undefined): string {
  if (base === undefined || value <= 0) return String(value);
  for (const { unit, multiplier } of conversions(base)) {
    if (multiplier <= 1 || value % multiplier === 0) return `${value / multiplier}${unit}`;
  }
  return String(value);
}

/** `%g` as C's printf prints a double: six significant digits. */
function formatG(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? "inf" : value < 0 ? "-inf" : "nan";
  if (value === 0) return "0";
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa = "0", power = "0"] = value.toExponential(5).split("e");
    const trimmed = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
    const sign = power.startsWith("-") ? "-" : "+";
    return `${trimmed}e${sign}${power.replace(/^[+-]/, "").padStart(2, "0")}`;
  }
  const fixed = value.toFixed(Math.max(0, 5 - exponent));
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

/** An integer setting: returns the value as SHOW prints it, or throws 22023. */
export function integerSetting(name: string, min: number, max: number, base?: BaseUnit) {
  return (value: string, _current?: string, given?: string): string => {
    const shown = given ?? name;
    const parsed = parseNumber(value, base, true);
    if (typeof parsed !== "number") throw invalid(shown, value, parsed.hint);
    const n = rint(parsed);
    if (n > 2_147_483_647 || n < -2_147_483_648) {
      throw invalid(shown, value, "Value exceeds integer range.");
    }
    if (n < min || n > max) {
      const unit = base === undefined ? "" : ` ${base}`;
      throw new SqlError(SqlState.invalidParameterValue,
        `${n}${unit} is outside the valid range for parameter "${shown}" (${min} .. ${max})`);
    }
    return showWithUnit(n, base);
  };
}

/** A floating-point setting: returns the value as SHOW prints it (%g), or throws 22023. */
export function realSetting(name: string, min: number, max: number) {
  return (value: string, _current?: string, given?: string): string => {
    const shown = given ?? name;
    const parsed = parseNumber(value, undefined, false);
    if (typeof parsed !== "number") throw invalid(shown, value, parsed.hint);
    if (parsed < min || parsed > max) {
      throw new SqlError(SqlState.invalidParameterValue, `${formatG(parsed)} is outside the ` +
        `valid range for parameter "${shown}" (${formatG(min)} .. ${formatG(max)})`);
    }
    return formatG(parsed);
  };
}

/** parse_bool: the words, case-insensitive, or any prefix that names only one of them. */
export function readBoolean(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (v === "") return undefined;
  const prefixOf = (word: string, least = 1): boolean =>
    v.length >= least && word.startsWith(v);
  if (prefixOf("true") || prefixOf("yes")) return true;
  if (prefixOf("false") || prefixOf("no")) return false;
  if (v === "on") return true;
  if (prefixOf("off", 2)) return false;
  if (v === "1") return true;
  if (v === "0") return false;
  return undefined;
}

/** A Boolean setting: "on" or "off", or 22023. */
export function booleanSetting(name: string) {
  return (value: string, _current?: string, given?: string): string => {
    const read = readBoolean(value);
    if (read !== undefined) return read ? "on" : "off";
    throw new SqlError(SqlState.invalidParameterValue,
      `parameter "${given ?? name}" requires a Boolean value`);
  };
}

/**
 * The settings in a startup packet's `options` (PGOPTIONS), as pg_split_opts and
 * process_postgres_switches read them: words split at spaces (a backslash keeps the next
 * character), `-c name=value` or `--name=value`, dashes in a name read as underscores.
 */
export function startupOptionSettings(options: string): [string, string][] {
  const words: string[] = [];
  let word = "";
  let open = false;
  for (let i = 0; i < options.length; i++) {
    const ch = options[i]!;
    if (space.test(ch)) {
      if (open) words.push(word);
      word = "";
      open = false;
      continue;
    }
    open = true;
    if (ch === "\\" && i + 1 < options.length) word += options[++i];
    else word += ch;
  }
  if (open) words.push(word);
  const settings: [string, string][] = [];
  for (let i = 0; i < words.length; i++) {
    const current = words[i]!;
    let assignment: string;
    if (current === "-c") assignment = words[++i] ?? "";
    else if (current.startsWith("-c")) assignment = current.slice(2);
    else if (current.startsWith("--")) assignment = current.slice(2);
    else {
      throw new SqlError(SqlState.syntaxError,
        `invalid command-line argument for server process: ${current}`,
        { hint: "Try \"postgres --help\" for more information." });
    }
    const equals = assignment.indexOf("=");
    if (equals < 0) {
      const shown = current.startsWith("--") ? `--${assignment}` : `-c ${assignment}`;
      throw new SqlError(SqlState.syntaxError, `${shown} requires a value`);
    }
    settings.push([assignment.slice(0, equals).replace(/-/g, "_"), assignment.slice(equals + 1)]);
  }
  return settings;
}

/** An enum setting; `hidden` are accepted spellings the hint leaves out, with their value. */
export const oneOf =
  (name: string, values: readonly string[], hidden: Readonly<Record<string, string>> = {}) =>
  (value: string, _current?: string, given?: string): string => {
    const found = values.find((v) => v.toLowerCase() === value.toLowerCase()) ??
      hidden[value.toLowerCase()];
    if (found !== undefined) return found;
    // An enum setting's error names it as the statement spelled it, as Postgres does.
    throw new SqlError(
      SqlState.invalidParameterValue,
      `invalid value for parameter "${given ?? name}": "${value}"`,
      { hint: `Available values: ${values.join(", ")}.` },
    );
  };
