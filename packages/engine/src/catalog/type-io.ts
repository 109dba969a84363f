/**
 * Adapter between the engine and `@tessera/sql`'s type system: the one file that names it, so
 * the rest of the engine codes against a small, stable surface (text in and out, comparison,
 * hash keys, casts).
 *
 * Values whose text form depends on session settings (timestamptz and TimeZone, dates and
 * DateStyle, floats and extra_float_digits) take a `FormatSettings`, the statement's settings.
 * Constant folding during analysis uses the settings of the statement being prepared, which
 * `Engine.prepare` installs with `withAnalysisSettings` (analysis is synchronous, so no other
 * session can run in between).
 */
import {
  coerceToTypmod as sqlCoerceToTypmod,
  findCast,
  formatJsonb,
  intervalSpan,
  numericKey,
  typeByOid,
  typeOf,
  TypeOid,
  type FormatContext,
  type Value,
} from "@tessera/sql";
import { Decimal } from "decimal.js";
import { SqlError, SqlState } from "@tessera/base";
import { isRowType } from "./row-types.js";

/** Session settings the output of dates and floats depends on. */
export interface FormatSettings {
  setting(name: string): string;
}

export type CastContext = "i" | "a" | "e";

export interface CastDef {
  readonly context: CastContext;
  /** Converts a non-null value; `typmod` is the target's, -1 when none. */
  readonly fn: (v: Value, typmod: number, explicit: boolean, fmt: FormatSettings) => Value;
}

export type Compare = (a: Value, b: Value) => number;

const utcSettings: FormatSettings = {
  setting: (name) =>
    (
      ({
        timezone: "UTC",
        datestyle: "ISO, MDY",
        intervalstyle: "postgres",
        extra_float_digits: "1",
        bytea_output: "hex",
        search_path: '"$user", public',
      }) as Record<string, string>
    )[name.toLowerCase()] ?? "",
};

let analysisSettings: FormatSettings = utcSettings;

/** Runs `fn` (analysis of one statement) with `settings` as the folding context. */
export function withAnalysisSettings<T>(settings: FormatSettings, fn: () => T): T {
  const previous = analysisSettings;
  analysisSettings = settings;
  try {
    return fn();
  } finally {
    analysisSettings = previous;
  }
}

/**
 * Format contexts by settings object. A statement's settings do not change while it runs, so
 * each statement context reads its settings once, not once per value.
 */
const contexts = new WeakMap<FormatSettings, FormatContext>();

/** Reads a FormatContext from settings; cached per settings object. */
export function formatContextFrom(settings: FormatSettings): FormatContext {
  const cached = contexts.get(settings);
  if (cached !== undefined) return cached;
  const bytea = settings.setting("bytea_output");
  const context: FormatContext = {
    timeZone: settings.setting("timezone"),
    dateStyle: settings.setting("datestyle"),
    intervalStyle: settings.setting("intervalstyle"),
    extraFloatDigits: Number(settings.setting("extra_float_digits")),
    byteaOutput: bytea === "escape" ? "escape" : "hex",
    // An evaluation context carries its transaction's start: 'now' input means that instant.
    ...transactionStartOf(settings),
  };
  contexts.set(settings, context);
  return context;
}

function transactionStartOf(settings: FormatSettings): { nowMicros?: bigint } {
  const start: unknown = (settings as { transactionStartMicros?: unknown }).transactionStartMicros;
  return typeof start === "bigint" ? { nowMicros: start } : {};
}

/** The I/O of `type` (a table's row type as record); 0A000 for a type without one. */
export function typeFor(type: number): NonNullable<ReturnType<typeof typeByOid>> {
  // A table's row type holds records, which print and compare as records do; its registered
  // type (`row-types.ts`) adds text input.
  const found = typeByOid(type) ?? (isRowType(type) ? typeByOid(2249) : undefined);
  if (found === undefined) {
    throw new SqlError(SqlState.featureNotSupported, `type with OID ${type} is not supported`);
  }
  return found;
}

/** Prints a non-null value as Postgres's typoutput does. */
export function outputValue(type: number, v: Value, fmt: FormatSettings): string {
  return typeFor(type).output(v, formatContextFrom(fmt));
}

/** Reads a value from its text form as typinput does (22P02 on bad input). */
export function inputValue(
  type: number,
  text: string,
  typmod: number,
  fmt: FormatSettings = analysisSettings,
): Value {
  return typeFor(type).input(text, typmod, formatContextFrom(fmt));
}

/** Returns the btree comparison of `type` for non-null values. */
export function compareFor(type: number): Compare {
  // The type's own closure, not a wrapper shared by every type: index comparisons stay
  // monomorphic per column. TypeIo compares are arrow functions and never read `this`.
  return typeFor(type).compare;
}

/**
 * Returns a primitive standing for `v` in hash tables: equal values, equal keys. Values of one
 * column share a type, so keys only need to be distinct within a type.
 */
export function hashKeyOf(v: Value): unknown {
  if (v === null || typeof v !== "object") {
    return typeof v === "number" && v === 0 ? 0 : v;
  }
  if (v instanceof Decimal) return `n${numericKey(v)}`;
  if (v instanceof Uint8Array) return `x${Buffer.from(v).toString("hex")}`;
  if ("micros" in v && "months" in v) return `i${intervalSpan(v)}`;
  if ("kind" in v && v.kind === "array") {
    // Lower bounds count, as in array_eq ('[0:1]={1,2}' <> '{1,2}'); the usual 1s are left out.
    const bounds = v.lowerBounds.some((b) => b !== 1) ? `@${v.lowerBounds.join(",")}` : "";
    return `a${JSON.stringify(v.dims)}${bounds}${JSON.stringify(
      v.items.map((item) => hashKeyOf(item)),
      bigintReplacer,
    )}`;
  }
  if ("kind" in v && (v.kind === "object" || v.kind === "number" || v.kind === "null")) {
    // Numbers as jsonb compares them: {"a": 1.0} and {"a": 1.00} are one group.
    return `j${jsonbHashKey(v)}`;
  }
  return `o${JSON.stringify(v, bigintReplacer)}`;
}

/** jsonb's own hash key (numbers compared by value, as jsonb equality does). */
function jsonbHashKey(v: Value): unknown {
  const io = typeOf(TypeOid.jsonb);
  return io.hashKey === undefined ? formatJsonb(v as Parameters<typeof formatJsonb>[0])
    : io.hashKey(v);
}

function bigintReplacer(_key: string, x: unknown): unknown {
  return typeof x === "bigint" ? `${x}n` : x;
}

/** Returns the pg_cast entry from `source` to `target`, or undefined. */
export function findCastDef(source: number, target: number): CastDef | undefined {
  const cast = findCast(source, target);
  if (cast === undefined) return undefined;
  return {
    context: cast.context,
    // The typmod is applied after the conversion, as a length coercion of the cast's context:
    // an explicit cast cuts a string to varchar(n), an assignment must fit.
    fn: (v, typmod, explicit, fmt) =>
      sqlCoerceToTypmod(
        target,
        cast.fn(v, cast.takesTypmod === true ? typmod : -1, formatContextFrom(fmt)),
        typmod,
        explicit,
      ),
  };
}

/** Applies a typmod (varchar(n), numeric(p,s), timestamp(p) …) to a non-null value. */
export function coerceToTypmod(type: number, v: Value, typmod: number, explicit: boolean): Value {
  return sqlCoerceToTypmod(type, v, typmod, explicit);
}

/** The settings constant folding uses during analysis. */
export function currentAnalysisSettings(): FormatSettings {
  return analysisSettings;
}
