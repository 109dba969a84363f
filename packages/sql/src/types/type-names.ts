/**
 * Type names: SQL spellings to types (`typeByName`, `parseTypeName`), type modifiers to
 * typmods as Postgres's typmodin functions (`typmodFromModifiers`), and back to text as
 * format_type (`formatType`):
 *
 *   parseTypeName("character varying(20)[]") -> { type: _varchar, typmod: 24 }
 *   formatType(TypeOid.numeric, makeNumericTypmod(10, 2)) -> "numeric(10,2)"
 *   formatType(TypeOid.timestamptz)                       -> "timestamp with time zone"
 */
import { SqlError, SqlState } from "@tessera/base";
import {
  intervalFullPrecision, intervalFullRange, intervalPrecisionOf, intervalRangeOf, IntervalMask,
  makeIntervalTypmod,
} from "./datetime/interval-typmod.js";
import { makeNumericTypmod, numericTypmodParts } from "./numeric.js";
import { TypeOid } from "./oids.js";
import { allTypes, arrayTypeOf, typeByOid, type PgType } from "./registry.js";
import { setRegFallback } from "./reg.js";

/** SQL spellings and aliases, lowercase with single spaces, to type OIDs. */
const aliases: ReadonlyMap<string, number> = new Map([
  ["int", TypeOid.int4], ["integer", TypeOid.int4], ["int4", TypeOid.int4],
  ["smallint", TypeOid.int2], ["int2", TypeOid.int2], ["bigint", TypeOid.int8],
  ["int8", TypeOid.int8], ["boolean", TypeOid.bool], ["bool", TypeOid.bool],
  ["real", TypeOid.float4], ["float4", TypeOid.float4], ["double precision", TypeOid.float8],
  ["float", TypeOid.float8], ["float8", TypeOid.float8], ["decimal", TypeOid.numeric],
  ["dec", TypeOid.numeric], ["numeric", TypeOid.numeric], ["character varying", TypeOid.varchar],
  ["char varying", TypeOid.varchar], ["varchar", TypeOid.varchar], ["character", TypeOid.bpchar],
  ["char", TypeOid.bpchar], ["bpchar", TypeOid.bpchar],
  ["national character varying", TypeOid.varchar],
  ["national character", TypeOid.bpchar], ["nchar", TypeOid.bpchar], ['"char"', TypeOid.char],
  ["timestamp", TypeOid.timestamp], ["timestamp without time zone", TypeOid.timestamp],
  ["timestamp with time zone", TypeOid.timestamptz], ["timestamptz", TypeOid.timestamptz],
  ["time", TypeOid.time], ["time without time zone", TypeOid.time],
  ["time with time zone", TypeOid.timetz], ["timetz", TypeOid.timetz],
  ['"any"', TypeOid.any], ["bit", TypeOid.bit], ["bit varying", TypeOid.varbit],
  ["varbit", TypeOid.varbit],
]);

/** Returns the type a name denotes ("integer", "double precision", "text[]", "_int4"). */
export function typeByName(name: string): PgType | undefined {
  let normalized = name.trim().toLowerCase().replace(/\s+/g, " ");
  if (normalized.startsWith("pg_catalog.")) normalized = normalized.slice("pg_catalog.".length);
  let dims = 0;
  while (normalized.endsWith("[]")) {
    normalized = normalized.slice(0, -2).trimEnd();
    dims++;
  }
  const base = baseTypeByName(normalized);
  if (base === undefined || dims === 0) return base;
  return base.category === "A" ? base : arrayTypeOf(base.oid);
}

let typesByName: ReadonlyMap<string, PgType> | undefined;

function baseTypeByName(name: string): PgType | undefined {
  const aliased = aliases.get(name);
  if (aliased !== undefined) return typeByOid(aliased);
  typesByName ??= new Map(allTypes().map((type) => [type.name, type]));
  return typesByName.get(name);
}

/**
 * Parses a full SQL type spelling with modifiers and array brackets:
 * "numeric(10,2)", "varchar(20)[]", "timestamp(3) with time zone", "float(10)",
 * "interval day to second(2)". Returns undefined for a name it does not know.
 */
export function parseTypeName(text: string): { type: PgType; typmod: number } | undefined {
  let spelling = text.trim().toLowerCase().replace(/\s+/g, " ");
  let brackets = "";
  while (/\[\d*\]$/.test(spelling)) {
    brackets += "[]";
    spelling = spelling.replace(/\s*\[\d*\]$/, "");
  }
  const modifiers: number[] = [];
  spelling = spelling.replace(/\s*\(([^)]*)\)/, (_match, list: string) => {
    for (const item of list.split(",")) modifiers.push(Number(item.trim()));
    return "";
  });
  const interval = /^interval ?(.*)$/.exec(spelling);
  if (interval !== null && interval[1] !== "") {
    const range = intervalRangeByWords.get(interval[1] ?? "");
    if (range === undefined) return undefined;
    spelling = "interval";
    modifiers.unshift(range);
  } else if (interval !== null && modifiers.length > 0) {
    modifiers.unshift(intervalFullRange);
  }
  if (/^(float|double)$/.test(spelling) && modifiers.length === 1) {
    spelling = floatTypeForPrecision(modifiers[0] ?? 53);
    modifiers.length = 0;
  }
  const type = typeByName(spelling + brackets);
  if (type === undefined) return undefined;
  const baseOid = type.category === "A" ? type.elementOid : type.oid;
  let typmod = modifiers.length === 0 ? -1 : typmodFromModifiers(baseOid, modifiers);
  if (modifiers.length === 0 && (spelling === "char" || spelling === "character")) typmod = 5;
  return { type, typmod };
}

/** Maps float(p) to real or double precision, as the grammar does. */
export function floatTypeForPrecision(precision: number): "float4" | "float8" {
  if (precision < 1) {
    throw new SqlError(SqlState.invalidParameterValue,
      "precision for type float must be at least 1 bit");
  }
  if (precision <= 24) return "float4";
  if (precision <= 53) return "float8";
  throw new SqlError(SqlState.invalidParameterValue,
    "precision for type float must be less than 54 bits");
}

const M = IntervalMask;
const intervalRangeByWords: ReadonlyMap<string, number> = new Map([
  ["year", M.year], ["month", M.month], ["day", M.day], ["hour", M.hour], ["minute", M.minute],
  ["second", M.second], ["year to month", M.year | M.month], ["day to hour", M.day | M.hour],
  ["day to minute", M.day | M.hour | M.minute],
  ["day to second", M.day | M.hour | M.minute | M.second],
  ["hour to minute", M.hour | M.minute], ["hour to second", M.hour | M.minute | M.second],
  ["minute to second", M.minute | M.second],
]);

/**
 * Turns a type name's modifiers into a typmod, as each type's typmodin does, with the same
 * errors; `modifiers` are the integer constants of TypeName.typmods in order.
 */
export function typmodFromModifiers(typeOid: number, modifiers: readonly number[]): number {
  if (modifiers.length === 0) return -1;
  const first = modifiers[0] ?? 0;
  switch (typeOid) {
    case TypeOid.varchar: return lengthTypmod("varchar", modifiers);
    case TypeOid.bit: return lengthTypmod("bit", modifiers) - 4;
    case TypeOid.varbit: return lengthTypmod("varbit", modifiers) - 4;
    case TypeOid.bpchar: return lengthTypmod("char", modifiers);
    case TypeOid.numeric: {
      if (modifiers.length > 2) throw invalidModifiers();
      const scale = modifiers[1] ?? 0;
      if (first < 1 || first > 1000) {
        throw new SqlError(SqlState.invalidParameterValue,
          `NUMERIC precision ${first} must be between 1 and 1000`);
      }
      if (scale < -1000 || scale > 1000) {
        throw new SqlError(SqlState.invalidParameterValue,
          `NUMERIC scale ${scale} must be between -1000 and 1000`);
      }
      return makeNumericTypmod(first, scale);
    }
    case TypeOid.time: return precisionTypmod("TIME", modifiers);
    case TypeOid.timetz: return precisionTypmod("TIME", modifiers, "TIME WITH TIME ZONE");
    case TypeOid.timestamp: return precisionTypmod("TIMESTAMP", modifiers);
    case TypeOid.timestamptz:
      return precisionTypmod("TIMESTAMP", modifiers, "TIMESTAMP WITH TIME ZONE");
    case TypeOid.interval: return intervalTypmod(modifiers);
    default: {
      const name = typeByOid(typeOid)?.name ?? String(typeOid);
      throw new SqlError(SqlState.syntaxError, `type modifier is not allowed for type "${name}"`);
    }
  }
}

function invalidModifiers(): SqlError {
  return new SqlError(SqlState.invalidParameterValue, "invalid type modifier");
}

function lengthTypmod(name: string, modifiers: readonly number[]): number {
  if (modifiers.length !== 1) throw invalidModifiers();
  const length = modifiers[0] ?? 0;
  if (length < 1) {
    throw new SqlError(SqlState.invalidParameterValue,
      `length for type ${name} must be at least 1`);
  }
  if (length > 10485760) {
    throw new SqlError(SqlState.invalidParameterValue,
      `length for type ${name} cannot exceed 10485760`);
  }
  return length + 4;
}

/** time(p), timestamp(p): p must not be negative; above 6 it is cut to 6 (a warning). */
function precisionTypmod(name: string, modifiers: readonly number[], fullName = name): number {
  if (modifiers.length !== 1) throw invalidModifiers();
  const precision = modifiers[0] ?? 0;
  if (precision < 0) {
    throw new SqlError(SqlState.invalidParameterValue,
      `${name}(${precision})${fullName.slice(name.length)} precision must not be negative`);
  }
  return Math.min(precision, 6);
}

function intervalTypmod(modifiers: readonly number[]): number {
  const range = modifiers[0] ?? intervalFullRange;
  if (modifiers.length === 1) return makeIntervalTypmod(range, intervalFullPrecision);
  const precision = modifiers[1] ?? 0;
  if (precision < 0) {
    throw new SqlError(SqlState.invalidParameterValue,
      `INTERVAL(${precision}) precision must not be negative`);
  }
  return makeIntervalTypmod(range, Math.min(precision, 6));
}

/** Returns Postgres's format_type text; `typmod` undefined means "not given". */
export function formatType(oid: number, typmod?: number): string {
  const type = typeByOid(oid);
  if (type === undefined) return "???";
  if (type.category === "A" && type.elementOid !== 0 && oid !== TypeOid.int2vector &&
    oid !== TypeOid.oidvector) {
    return formatType(type.elementOid, typmod) + "[]";
  }
  const mod = typmod ?? -1;
  switch (oid) {
    case TypeOid.bpchar:
      if (mod >= 4) return `character(${mod - 4})`;
      return typmod === undefined ? "character" : "bpchar";
    case TypeOid.varchar: return mod >= 4 ? `character varying(${mod - 4})` : "character varying";
    case TypeOid.numeric: {
      if (mod < 4) return "numeric";
      const { precision, scale } = numericTypmodParts(mod);
      return `numeric(${precision},${scale})`;
    }
    case TypeOid.time: return `time${precisionSuffix(mod)} without time zone`;
    case TypeOid.timetz: return `time${precisionSuffix(mod)} with time zone`;
    case TypeOid.timestamp: return `timestamp${precisionSuffix(mod)} without time zone`;
    case TypeOid.timestamptz: return `timestamp${precisionSuffix(mod)} with time zone`;
    case TypeOid.interval: return "interval" + intervalSuffix(mod);
    case TypeOid.bit: return mod >= 0 ? `bit(${mod})` : "bit";
    case TypeOid.varbit: return mod >= 0 ? `bit varying(${mod})` : "bit varying";
    default: return simpleNames.get(oid) ?? type.name;
  }
}

const simpleNames: ReadonlyMap<number, string> = new Map([
  [TypeOid.bool, "boolean"], [TypeOid.char, '"char"'], [TypeOid.int2, "smallint"],
  [TypeOid.int4, "integer"], [TypeOid.int8, "bigint"], [TypeOid.float4, "real"],
  [TypeOid.float8, "double precision"], [TypeOid.any, '"any"'],
]);

function precisionSuffix(typmod: number): string {
  return typmod >= 0 ? `(${typmod})` : "";
}

function intervalSuffix(typmod: number): string {
  if (typmod < 0) return "";
  const range = intervalRangeOf(typmod);
  const precision = intervalPrecisionOf(typmod);
  let words = "";
  if (range !== intervalFullRange) {
    for (const [text, mask] of intervalRangeByWords) if (mask === range) words = ` ${text}`;
  }
  return precision !== intervalFullPrecision ? `${words}(${precision})` : words;
}

// regtype prints and reads built-in type names without the engine's catalog.
setRegFallback("regtype", {
  toName: (oid) => (typeByOid(oid) === undefined ? undefined : formatType(oid)),
  toOid(name) {
    const parsed = parseTypeName(name);
    if (parsed === undefined) {
      throw new SqlError(SqlState.undefinedObject, `type "${name}" does not exist`);
    }
    return parsed.type.oid;
  },
});
