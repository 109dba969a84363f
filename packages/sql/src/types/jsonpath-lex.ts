/**
 * The jsonpath scanner (PostgreSQL's jsonpath_scan.l): punctuation, numbers, double-quoted
 * strings with JSON escapes, `$name` / `$"name"` variables, and bare words (keys and keywords).
 */
import { SqlError, SqlState } from "@tessera/base";

export type JpTokenKind = "punct" | "num" | "str" | "var" | "word" | "end";

export interface JpToken {
  readonly kind: JpTokenKind;
  /** Punctuation text, the number's text, the string's value, the variable's name, the word. */
  readonly text: string;
}

const puncts = ["==", "!=", "<>", "<=", ">=", "&&", "||", "**",
  "$", "@", ".", "[", "]", "(", ")", "{", "}", ",", "?", "*", "+", "-", "/", "%", "<", ">", "!"];

/** Characters that end a bare word (the `other` class of jsonpath_scan.l, inverted). */
const special = new Set("?%$.[]{}()|&!=<>@#,*:-+/\\\" \t\n\r\f".split(""));

export function syntaxError(near: JpToken): SqlError {
  if (near.kind === "end") {
    return new SqlError(SqlState.syntaxError, "syntax error at end of jsonpath input");
  }
  const text = near.kind === "str" ? `"${near.text}"` : near.text;
  return new SqlError(SqlState.syntaxError, `syntax error at or near "${text}" of jsonpath input`);
}

/** Splits jsonpath text into tokens, the last of kind "end". */
export function tokenize(text: string): JpToken[] {
  const tokens: JpToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"') {
      const [value, end] = readString(text, i + 1);
      tokens.push({ kind: "str", text: value });
      i = end;
    } else if (c === "$" && i + 1 < text.length && text.charAt(i + 1) === '"') {
      const [value, end] = readString(text, i + 2);
      tokens.push({ kind: "var", text: value });
      i = end;
    } else if (c === "$" && i + 1 < text.length && !special.has(text.charAt(i + 1))) {
      const [value, end] = readWord(text, i + 1);
      tokens.push({ kind: "var", text: value });
      i = end;
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text.charAt(i + 1))
      && !afterAccessorBase(tokens))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      const num = m === null ? c : m[0];
      const after = text.charAt(i + num.length);
      const junk = /^0\d/.test(num) ? num.slice(0, 2)
        : after !== "" && !special.has(after) && !/\s/.test(after) ? num + after : undefined;
      if (junk !== undefined) {
        throw new SqlError(SqlState.syntaxError,
          `trailing junk after numeric literal at or near "${junk}" of jsonpath input`);
      }
      tokens.push({ kind: "num", text: num });
      i += num.length;
    } else if (special.has(c) && c !== "\\") {
      const p = puncts.find((x) => text.startsWith(x, i));
      if (p === undefined) throw syntaxError({ kind: "punct", text: c });
      tokens.push({ kind: "punct", text: p });
      i += p.length;
    } else {
      const [value, end] = readWord(text, i);
      tokens.push({ kind: "word", text: value });
      i = end;
    }
  }
  tokens.push({ kind: "end", text: "" });
  return tokens;
}

/** `$.a.1`: a dot after an accessor base begins a key, not a number. */
function afterAccessorBase(tokens: readonly JpToken[]): boolean {
  const prev = tokens[tokens.length - 1];
  if (prev === undefined) return false;
  if (prev.kind === "punct") return [")", "]", "$", "@", "*"].includes(prev.text);
  return prev.kind !== "end";
}

/** Reads a bare word, which may hold the escapes of a quoted string (`$.a\u0062`). */
function readWord(text: string, start: number): [string, number] {
  let out = "";
  let i = start;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === "\\") {
      const [value, end] = readEscape(text, i);
      out += value;
      i = end;
    } else if (special.has(c)) {
      break;
    } else {
      out += c;
      i++;
    }
  }
  return [out, i];
}

const simpleEscapes: Readonly<Record<string, string>> = {
  b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", '"': '"', "\\": "\\", "/": "/",
};

function readString(text: string, start: number): [string, number] {
  let out = "";
  let i = start;
  for (;;) {
    if (i >= text.length) {
      throw new SqlError(SqlState.syntaxError, "unexpected end of quoted string of jsonpath input");
    }
    const c = text.charAt(i);
    if (c === '"') return [out, i + 1];
    if (c !== "\\") { out += c; i++; continue; }
    const [value, end] = readEscape(text, i);
    out += value;
    i = end;
  }
}

/** Decodes the escape at `text[i]` (a backslash); returns its value and the index after it. */
function readEscape(text: string, i: number): [string, number] {
  const e = text.charAt(i + 1);
  if (e === "") {
    throw new SqlError(SqlState.syntaxError, "unexpected end after backslash of jsonpath input");
  }
  const simple = simpleEscapes[e];
  if (simple !== undefined) return [simple, i + 2];
  if (e === "u" || e === "x") {
    const rest = text.slice(i + 1);
    const m = e === "u"
      ? /^u(?:\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{4}))/.exec(rest)
      : /^x([0-9a-fA-F]{2})/.exec(rest);
    if (m === null) {
      throw new SqlError(SqlState.syntaxError,
        "invalid Unicode escape sequence of jsonpath input");
    }
    return [String.fromCodePoint(parseInt(m[1] ?? m[2] ?? "0", 16)), i + 1 + m[0].length];
  }
  return [e, i + 2];
}
