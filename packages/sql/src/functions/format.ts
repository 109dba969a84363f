/**
 * format(formatstr, variadic "any"), as PostgreSQL's text_format: `%s` text, `%I` identifier,
 * `%L` literal, `%%`, with optional argument positions (`%2$s`), flags (`-`) and widths
 * (`%10s`, `%*s`, `%*2$s`).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "../types/value.js";
import type { CallInfo, EvalContext } from "./defs.js";
import { quoteIdent, quoteLiteral, textOf } from "./string-format.js";
import { T } from "./type-oids.js";

const specPattern = /%(?:(\d+)\$)?(-)?(?:(\d+)|\*(?:(\d+)\$)?)?([a-zA-Z%])?/y;

/** Formats `args[0]` with the remaining arguments. */
export function formatText(args: Value[], ctx: EvalContext, call: CallInfo): Value {
  const template = args[0] ?? null;
  if (template === null) return null;
  const text = template as string;
  let out = "";
  let next = 1;
  let i = 0;
  const argText = (n: number, conversion: string): string => {
    if (n >= args.length) {
      throw new SqlError(SqlState.invalidParameterValue, "too few arguments for format()");
    }
    return convert(args[n] ?? null, call.argTypes[n] ?? T.text, conversion, ctx);
  };
  while (i < text.length) {
    const ch = text[i] ?? "";
    if (ch !== "%") {
      out += ch;
      i++;
      continue;
    }
    specPattern.lastIndex = i;
    const m = specPattern.exec(text);
    const conversion = m?.[5];
    if (m === null || conversion === undefined) {
      throw new SqlError(SqlState.invalidParameterValue, "unterminated format() type specifier", {
        hint: 'For a single "%" use "%%".',
      });
    }
    i = specPattern.lastIndex;
    if (conversion === "%") {
      out += "%";
      continue;
    }
    if (!"sIL".includes(conversion)) {
      throw new SqlError(
        SqlState.invalidParameterValue,
        `unrecognized format() type specifier "${conversion}"`,
        { hint: 'For a single "%" use "%%".' },
      );
    }
    let width = m[3] === undefined ? 0 : Number(m[3]);
    let left = m[2] === "-";
    if (m[0].includes("*")) {
      const wArg = m[4] === undefined ? next : Number(m[4]);
      if (wArg === 0) argumentZero();
      next = wArg + 1;
      const w = args[wArg] === null ? 0 : widthOf(argText(wArg, "s"));
      if (w < 0) left = true;
      width = Math.abs(w);
    }
    const position = m[1] === undefined ? next++ : Number(m[1]);
    if (m[1] !== undefined) next = position + 1;
    if (position === 0) argumentZero();
    // PostgreSQL's string buffer gives out at 1 GB; a JavaScript string somewhat earlier.
    if (width > 0x1fffffe8) {
      throw new SqlError("54000", "out of memory",
        { detail: `Cannot enlarge string buffer containing ${out.length} bytes by ${width} ` +
          "more bytes." });
    }
    const piece = argText(position, conversion);
    out += left ? piece.padEnd(width) : piece.padStart(width);
  }
  return out;
}

/** A `*` width argument, read as int4's input function reads its text (NULL: no width). */
function widthOf(text: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) {
    throw new SqlError(SqlState.invalidTextRepresentation,
      `invalid input syntax for type integer: "${text}"`);
  }
  const n = Number(text);
  if (n < -2147483648 || n > 2147483647) {
    throw new SqlError(SqlState.numericValueOutOfRange,
      `value "${text}" is out of range for type integer`);
  }
  return n;
}

function argumentZero(): never {
  throw new SqlError(SqlState.invalidParameterValue,
    "format specifies argument 0, but arguments are numbered from 1");
}

function convert(v: Value, type: number, conversion: string, ctx: EvalContext): string {
  if (conversion === "I") {
    if (v === null) {
      throw new SqlError(
        SqlState.nullValueNotAllowed,
        "null values cannot be formatted as an SQL identifier",
      );
    }
    return quoteIdent(textOf(v, type, ctx));
  }
  if (conversion === "L") return v === null ? "NULL" : quoteLiteral(textOf(v, type, ctx));
  return v === null ? "" : textOf(v, type, ctx);
}
