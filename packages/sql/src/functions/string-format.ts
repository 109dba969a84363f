/**
 * String functions that turn values of any type into text or quote them: concat, concat_ws,
 * format, quote_ident/literal/nullable, to_hex, md5/sha*, encode/decode, and the `||`
 * operators. Arguments of type "any" print through `valueToText` with the concrete types the
 * analyzer passes in `CallInfo`.
 */
import { createHash } from "node:crypto";
import { SqlError, SqlState } from "@tessera/base";
import type { PgArray, Value } from "../types/value.js";
import type { CallInfo, EvalContext, OperatorDef, ScalarFunction } from "./defs.js";
import { fn, op, str } from "./builders.js";
import { valueToText } from "./text-out.js";
import { sessionZone } from "./tz.js";
import { T } from "./type-oids.js";
import { formatText } from "./format.js";
import { isKeyword } from "./keywords.js";
import { decode, encode } from "./encoding.js";

/** Returns the text form of any value for the calling session. */
export function textOf(v: Value, type: number, ctx: EvalContext): string {
  return valueToText(
    v,
    type,
    sessionZone((n) => ctx.setting(n)),
    {
      dateStyle: ctx.setting("DateStyle"),
      intervalStyle: ctx.setting("IntervalStyle"),
      extraFloatDigits: Number(ctx.setting("extra_float_digits") || "1"),
    },
  );
}

export function stringFormatFunctions(): ScalarFunction[] {
  return [
    fn("concat", [T.any], T.text, (a, ctx, call) => concatWith("", a, 0, ctx, call), {
      strict: false,
      variadic: T.any,
      volatility: "s",
    }),
    fn(
      "concat_ws",
      [T.text, T.any],
      T.text,
      (a, ctx, call) => (a[0] === null ? null : concatWith(str(a[0] ?? ""), a, 1, ctx, call)),
      { strict: false, variadic: T.any, volatility: "s" },
    ),
    fn("format", [T.text], T.text, (a, ctx, call) => formatText(a, ctx, call), {
      strict: false,
      volatility: "s",
    }),
    fn("format", [T.text, T.any], T.text, (a, ctx, call) => {
      const spread = spreadVariadic(a, call);
      // text_format: a null VARIADIC array means no arguments after the format string.
      return formatText(spread?.values ?? a.slice(0, 1), ctx, spread?.call ?? call);
    }, { strict: false, variadic: T.any, volatility: "s" }),
    fn("quote_ident", [T.text], T.text, (a) => quoteIdent(str(a[0] ?? ""))),
    fn("quote_literal", [T.text], T.text, (a) => quoteLiteral(str(a[0] ?? ""))),
    fn(
      "quote_literal",
      [T.anyelement],
      T.text,
      (a, ctx, call) => quoteLiteral(castText(a[0] ?? null, call.argTypes[0] ?? T.text, ctx)),
      { volatility: "s" },
    ),
    fn(
      "quote_nullable",
      [T.text],
      T.text,
      (a) => (a[0] === null ? "NULL" : quoteLiteral(str(a[0] ?? ""))),
      { strict: false },
    ),
    fn(
      "quote_nullable",
      [T.anyelement],
      T.text,
      (a, ctx, call) =>
        a[0] === null
          ? "NULL"
          : quoteLiteral(castText(a[0] ?? null, call.argTypes[0] ?? T.text, ctx)),
      { strict: false, volatility: "s" },
    ),
    fn("to_hex", [T.int4], T.text, (a) => (BigInt(a[0] as number) & 0xffffffffn).toString(16)),
    fn("to_hex", [T.int8], T.text, (a) => BigInt.asUintN(64, a[0] as bigint).toString(16)),
    fn("md5", [T.text], T.text, (a) =>
      createHash("md5")
        .update(str(a[0] ?? ""))
        .digest("hex"),
    ),
    fn("md5", [T.bytea], T.text, (a) =>
      createHash("md5")
        .update(a[0] as Uint8Array)
        .digest("hex"),
    ),
    ...["sha224", "sha256", "sha384", "sha512"].map((name) =>
      fn(
        name,
        [T.bytea],
        T.bytea,
        (a) =>
          new Uint8Array(
            createHash(name)
              .update(a[0] as Uint8Array)
              .digest(),
          ),
      ),
    ),
    fn("encode", [T.bytea, T.text], T.text, (a) => encode(a[0] as Uint8Array, str(a[1] ?? ""))),
    fn("decode", [T.text, T.text], T.bytea, (a) => decode(str(a[0] ?? ""), str(a[1] ?? ""))),
  ];
}

/**
 * The arguments of a variadic "any" call as if written out: for `f(x, VARIADIC arr)` the
 * elements of `arr` (all dimensions, in order) replace it, typed as its element type.
 * Returns the arguments unchanged for an ordinary call and undefined for a null array.
 */
export function spreadVariadic(
  a: Value[],
  call: CallInfo,
): { values: Value[]; call: CallInfo } | undefined {
  if (call.variadicArray !== true) return { values: a, call };
  const array = a[a.length - 1] ?? null;
  if (array === null) return undefined;
  if (typeof array !== "object" || (array as PgArray).kind !== "array") {
    throw new SqlError(SqlState.datatypeMismatch, "VARIADIC argument must be an array");
  }
  const { items, elementType } = array as PgArray;
  const fixed = a.length - 1;
  return {
    values: [...a.slice(0, fixed), ...items],
    call: {
      ...call,
      argTypes: [...call.argTypes.slice(0, fixed), ...items.map(() => elementType)],
      variadicArray: false,
    },
  };
}

function concatWith(
  sep: string,
  args: Value[],
  from: number,
  ctx: EvalContext,
  variadicCall: CallInfo,
): Value {
  // concat_internal: a null VARIADIC array makes the result null.
  const spread = spreadVariadic(args, variadicCall);
  if (spread === undefined) return null;
  const { values: a, call } = spread;
  const parts: string[] = [];
  for (let i = from; i < a.length; i++) {
    const v = a[i] ?? null;
    if (v !== null) parts.push(textOf(v, call.argTypes[i] ?? T.text, ctx));
  }
  return parts.join(sep);
}

/** Quotes an identifier when PostgreSQL's quote_ident would. */
export function quoteIdent(s: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(s) && !isKeyword(s)) return s;
  return `"${s.replace(/"/g, '""')}"`;
}

/** Quotes a literal as quote_literal: doubled quotes, and E'' when a backslash appears. */
export function quoteLiteral(s: string): string {
  const body = s.replace(/'/g, "''");
  if (s.includes("\\")) return `E'${body.replace(/\\/g, "\\\\")}'`;
  return `'${body}'`;
}

/**
 * `v::text`, as Postgres's anytextcat/textanycat and quote_literal(anyelement) do: the output
 * function for every type but bool, whose cast says true/false, not t/f.
 */
function castText(v: Value, type: number, ctx: EvalContext): string {
  return type === T.bool ? (v === true ? "true" : "false") : textOf(v, type, ctx);
}

/** Returns the `||` operators on strings and bytea, and `^@` (starts with). */
export function stringOperators(): OperatorDef[] {
  const concat = (l: Value, r: Value, ctx: EvalContext, call: CallInfo): Value =>
    castText(l, call.argTypes[0] ?? T.text, ctx) + castText(r, call.argTypes[1] ?? T.text, ctx);
  return [
    op("||", T.text, T.text, T.text, (l, r) => str(l) + str(r)),
    op("||", T.anynonarray, T.text, T.text, concat),
    op("||", T.text, T.anynonarray, T.text, concat),
    op("||", T.bytea, T.bytea, T.bytea, (l, r) => {
      const a = l as Uint8Array;
      const b = r as Uint8Array;
      const out = new Uint8Array(a.length + b.length);
      out.set(a);
      out.set(b, a.length);
      return out;
    }),
    op("^@", T.text, T.text, T.bool, (l, r) => str(l).startsWith(str(r))),
  ];
}
