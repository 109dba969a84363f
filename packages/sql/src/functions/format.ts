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
      const wArg = m[4] === undefined ? next++ : Number(m[4]);
      const w = Number(argText(wArg, "s") || 0);
      if (w < 0) left = true;
      width = Math.abs(w);
    }
    const position = m[1] === undefined ? next++ : Number(m[1]);
    if (m[1] !== undefined) next = position + 1;
    if (position === 0) {
      throw new SqlError(
        SqlState.invalidParameterValue,
        "format specifies argument 0, but arguments are numbered from 1",
      );
    }
    const piece = argText(position, conversion);
    out += left ? piece.padEnd(width) : piece.padStart(width);
  }
  return out;
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
