/**
 * Unicode text functions: normalize(text [, form]), `text IS [form] NORMALIZED` (the grammar
 * turns it into is_normalized(text [, form])) and unistr(text), which decodes Unicode escapes
 * as PostgreSQL 15's varlena.c does:
 *
 *   \\  -> \          \XXXX, \uXXXX -> 4 hex digits      \+XXXXXX -> 6     \UXXXXXXXX -> 8
 *
 * A UTF-16 surrogate pair written as two escapes combines into one code point; a lone half is
 * "invalid Unicode surrogate pair". Forms are NFC, NFD, NFKC, NFKD in any case.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ScalarFunction } from "./defs.js";
import { fn, str } from "./builders.js";
import { T } from "./type-oids.js";

type Form = "NFC" | "NFD" | "NFKC" | "NFKD";

function normalizationForm(text: string): Form {
  const upper = text.toUpperCase();
  if (upper === "NFC" || upper === "NFD" || upper === "NFKC" || upper === "NFKD") return upper;
  throw new SqlError(SqlState.invalidParameterValue, `invalid normalization form: ${text}`);
}

function badEscape(): SqlError {
  return new SqlError(SqlState.syntaxError, "invalid Unicode escape",
    { hint: "Unicode escapes must be \\XXXX, \\+XXXXXX, \\uXXXX, or \\UXXXXXXXX." });
}

function badPair(): SqlError {
  return new SqlError(SqlState.syntaxError, "invalid Unicode surrogate pair");
}

const escapeForms: readonly [prefix: string, digits: number][] =
  [["+", 6], ["u", 4], ["U", 8], ["", 4]];

/** The code point escaped at `text[at]` (a backslash) and the escape's length, if any. */
function readEscape(text: string, at: number): [number, number] | undefined {
  for (const [prefix, digits] of escapeForms) {
    const start = at + 1 + prefix.length;
    if (prefix !== "" && text[at + 1] !== prefix) continue;
    const hex = text.slice(start, start + digits);
    if (hex.length === digits && /^[0-9A-Fa-f]+$/.test(hex)) {
      return [parseInt(hex, 16), 1 + prefix.length + digits];
    }
  }
  return undefined;
}

/** unistr(): the text with its Unicode escapes decoded. */
export function unistr(text: string): string {
  let out = "";
  let high = 0;
  for (let i = 0; i < text.length;) {
    if (text[i] !== "\\") {
      if (high !== 0) throw badPair();
      const cp = text.codePointAt(i)!;
      out += String.fromCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    if (text[i + 1] === "\\") {
      if (high !== 0) throw badPair();
      out += "\\";
      i += 2;
      continue;
    }
    const escape = readEscape(text, i);
    if (escape === undefined) throw badEscape();
    const [cp, length] = escape;
    i += length;
    if (cp > 0x10ffff) {
      throw new SqlError(SqlState.invalidParameterValue,
        `invalid Unicode code point: ${cp.toString(16).toUpperCase().padStart(4, "0")}`);
    }
    const isHigh = cp >= 0xd800 && cp <= 0xdbff;
    const isLow = cp >= 0xdc00 && cp <= 0xdfff;
    if (high !== 0) {
      if (!isLow) throw badPair();
      out += String.fromCodePoint(0x10000 + ((high - 0xd800) << 10) + (cp - 0xdc00));
      high = 0;
    } else if (isLow) {
      throw badPair();
    } else if (isHigh) {
      high = cp;
    } else {
      out += String.fromCodePoint(cp);
    }
  }
  if (high !== 0) throw badPair();
  return out;
}

export function normalizeFunctions(): ScalarFunction[] {
  const form = (v: unknown): Form => normalizationForm(v === undefined ? "NFC" : str(v as string));
  return [
    fn("normalize", [T.text, T.text], T.text, (a) => str(a[0]!).normalize(form(a[1])),
      { defaults: ["NFC"] }),
    fn("is_normalized", [T.text, T.text], T.bool, (a) => {
      const text = str(a[0]!);
      return text.normalize(form(a[1])) === text;
    }, { defaults: ["NFC"] }),
    fn("unistr", [T.text], T.text, (a) => unistr(str(a[0]!))),
  ];
}
