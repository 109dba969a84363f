/**
 * String functions that turn values of any type into text or quote them: concat, concat_ws,
 * format, quote_ident/literal/nullable, to_hex, md5/sha*, encode/decode, and the `||`
 * operators. Arguments of type "any" print through `valueToText` with the concrete types the
 * analyzer passes in `CallInfo`.
 */
import { createHash } from "node:crypto";
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "../types/value.js";
import type { CallInfo, EvalContext, OperatorDef, ScalarFunction } from "./defs.js";
import { fn, op, str } from "./builders.js";
import { valueToText } from "./text-out.js";
import { sessionZone } from "./tz.js";
import { T } from "./type-oids.js";
import { formatText } from "./format.js";
import { isKeyword } from "./keywords.js";

/** Returns the text form of any value for the calling session. */
export function textOf(v: Value, type: number, ctx: EvalContext): string {
  return valueToText(
    v,
    type,
    sessionZone((n) => ctx.setting(n)),
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
    fn("format", [T.text, T.any], T.text, (a, ctx, call) => formatText(a, ctx, call), {
      strict: false,
      variadic: T.any,
      volatility: "s",
    }),
    fn("quote_ident", [T.text], T.text, (a) => quoteIdent(str(a[0] ?? ""))),
    fn("quote_literal", [T.text], T.text, (a) => quoteLiteral(str(a[0] ?? ""))),
    fn(
      "quote_literal",
      [T.anyelement],
      T.text,
      (a, ctx, call) => quoteLiteral(textOf(a[0] ?? null, call.argTypes[0] ?? T.text, ctx)),
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
          : quoteLiteral(textOf(a[0] ?? null, call.argTypes[0] ?? T.text, ctx)),
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

function concatWith(
  sep: string,
  a: Value[],
  from: number,
  ctx: EvalContext,
  call: CallInfo,
): string {
  const parts: string[] = [];
  for (let i = from; i < a.length; i++) {
    const v = a[i] ?? null;
    if (v !== null) parts.push(textOf(v, call.argTypes[i] ?? T.text, ctx));
  }
  return parts.join(sep);
}

/** Quotes an identifier when PostgreSQL's quote_ident would. */
export function quoteIdent(s: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(s) && !isKeyword(s)) return s;
  return `"${s.replace(/"/g, '""')}"`;
}

/** Quotes a literal as quote_literal: doubled quotes, and E'' when a backslash appears. */
export function quoteLiteral(s: string): string {
  const body = s.replace(/'/g, "''");
  if (s.includes("\\")) return `E'${body.replace(/\\/g, "\\\\")}'`;
  return `'${body}'`;
}

function encode(bytes: Uint8Array, format: string): string {
  const b = Buffer.from(bytes);
  switch (format.toLowerCase()) {
    case "hex":
      return b.toString("hex");
    case "base64":
      return (b.toString("base64").match(/.{1,76}/g) ?? []).join("\n");
    case "escape":
      return escapeBytes(bytes);
    default:
      throw new SqlError(SqlState.invalidParameterValue, `unrecognized encoding: "${format}"`);
  }
}

function escapeBytes(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) {
    if (byte === 0x5c) out += "\\\\";
    else if (byte === 0 || byte >= 0x80) out += "\\" + byte.toString(8).padStart(3, "0");
    else out += String.fromCharCode(byte);
  }
  return out;
}

function decode(text: string, format: string): Uint8Array {
  switch (format.toLowerCase()) {
    case "hex":
      if (!/^([0-9a-fA-F]{2}|\s)*$/.test(text)) {
        throw new SqlError(
          SqlState.invalidParameterValue,
          "invalid hexadecimal data: odd number of digits",
        );
      }
      return new Uint8Array(Buffer.from(text.replace(/\s/g, ""), "hex"));
    case "base64":
      return new Uint8Array(Buffer.from(text.replace(/\s/g, ""), "base64"));
    case "escape":
      return unescapeBytes(text);
    default:
      throw new SqlError(SqlState.invalidParameterValue, `unrecognized encoding: "${format}"`);
  }
}

function unescapeBytes(text: string): Uint8Array {
  const out: number[] = [];
  const raw = Buffer.from(text, "utf8");
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? 0;
    if (c !== 0x5c) {
      out.push(c);
    } else if (raw[i + 1] === 0x5c) {
      out.push(0x5c);
      i++;
    } else {
      const oct = raw.subarray(i + 1, i + 4).toString();
      if (!/^[0-3][0-7]{2}$/.test(oct)) {
        throw new SqlError(
          SqlState.invalidTextRepresentation,
          "invalid input syntax for type bytea",
        );
      }
      out.push(parseInt(oct, 8));
      i += 3;
    }
  }
  return new Uint8Array(out);
}

/** Returns the `||` operators on strings and bytea, and `^@` (starts with). */
export function stringOperators(): OperatorDef[] {
  // Postgres's anytextcat/textanycat cast the other side to text (`$1::text || $2`): that is
  // the output function for every type but bool, whose cast says true/false, not t/f.
  const castText = (v: Value, type: number, ctx: EvalContext): string =>
    type === T.bool ? (v === true ? "true" : "false") : textOf(v, type, ctx);
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
