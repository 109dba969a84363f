/**
 * The JSON lexer, after Postgres's common/jsonapi.c, so bad input fails with the same
 * detail sentence and the same "JSON data, line N: ..." context. Strings are unescaped
 * only when asked (jsonb needs the text; json only validates), which is also when Postgres
 * checks \u escapes for surrogates and \u0000.
 */
import { SqlError, SqlState } from "@tessera/base";

export const Token = {
  String: 0, Number: 1, ObjectStart: 2, ObjectEnd: 3, ArrayStart: 4, ArrayEnd: 5, Comma: 6,
  Colon: 7, True: 8, False: 9, Null: 10, End: 11,
} as const;
export type Token = (typeof Token)[keyof typeof Token];

export class JsonLexer {
  /** Start and end (exclusive) of the current token in `input`. */
  start = 0;
  end = 0;
  token: Token = Token.End;
  /** The unescaped string of a String token, when `unescape` is on. */
  text = "";
  private line = 1;
  private lineStart = 0;

  constructor(readonly input: string, private readonly unescape: boolean) {}

  /** Advances to the next token; a malformed one throws 22P02 at once. */
  next(): Token {
    const input = this.input;
    let i = this.end;
    for (;;) {
      const code = input.charCodeAt(i);
      if (code === 10) {
        this.line++;
        this.lineStart = i + 1;
      } else if (code !== 32 && code !== 9 && code !== 13) break;
      i++;
    }
    this.start = i;
    if (i >= input.length) return this.set(Token.End, i);
    const code = input.charCodeAt(i);
    switch (code) {
      case 123: return this.set(Token.ObjectStart, i + 1);
      case 125: return this.set(Token.ObjectEnd, i + 1);
      case 91: return this.set(Token.ArrayStart, i + 1);
      case 93: return this.set(Token.ArrayEnd, i + 1);
      case 44: return this.set(Token.Comma, i + 1);
      case 58: return this.set(Token.Colon, i + 1);
      case 34: return this.set(Token.String, this.lexString(i + 1));
      default:
        if (code === 45 || (code >= 48 && code <= 57)) return this.lexNumber(i);
        return this.lexWord(i);
    }
  }

  /** Returns the current token's text, for "but found ..." details. */
  tokenText(): string {
    return this.input.slice(this.start, this.end);
  }

  /** Builds Postgres's error for bad input at the current token. */
  fail(detail: string, code: string = SqlState.invalidTextRepresentation,
    message = "invalid input syntax for type json"): SqlError {
    return new SqlError(code, message, { detail, where: this.context() });
  }

  private set(token: Token, end: number): Token {
    this.token = token;
    this.end = end;
    return token;
  }

  private context(): string {
    let from = this.lineStart;
    while (this.end - from >= 50) from++;
    const prefix = from > this.lineStart ? "..." : "";
    const next = this.input.charCodeAt(this.end);
    const more = this.token !== Token.End && this.end < this.input.length &&
      next !== 10 && next !== 13;
    return `JSON data, line ${this.line}: ${prefix}${this.input.slice(from, this.end)}` +
      (more ? "..." : "");
  }

  private lexWord(from: number): Token {
    let i = from;
    while (i < this.input.length && isAlphanumeric(this.input.charCodeAt(i))) i++;
    if (i === from) i = from + 1;
    const word = this.input.slice(from, i);
    this.end = i;
    if (word === "true") return this.set(Token.True, i);
    if (word === "false") return this.set(Token.False, i);
    if (word === "null") return this.set(Token.Null, i);
    this.token = Token.Number;
    throw this.fail(`Token "${word}" is invalid.`);
  }

  private lexNumber(from: number): Token {
    const input = this.input;
    let i = from;
    let ok = true;
    if (input.charCodeAt(i) === 45) i++;
    if (input.charCodeAt(i) === 48) i++;
    else if (isDigit(input.charCodeAt(i))) while (isDigit(input.charCodeAt(i))) i++;
    else ok = false;
    if (ok && input.charCodeAt(i) === 46) {
      i++;
      if (!isDigit(input.charCodeAt(i))) ok = false;
      while (isDigit(input.charCodeAt(i))) i++;
    }
    if (ok && (input.charCodeAt(i) === 101 || input.charCodeAt(i) === 69)) {
      i++;
      if (input.charCodeAt(i) === 43 || input.charCodeAt(i) === 45) i++;
      if (!isDigit(input.charCodeAt(i))) ok = false;
      while (isDigit(input.charCodeAt(i))) i++;
    }
    let end = i;
    while (end < input.length && isAlphanumeric(input.charCodeAt(end))) end++;
    this.end = end;
    if (!ok || end !== i) {
      this.token = Token.Number;
      throw this.fail(`Token "${input.slice(from, end)}" is invalid.`);
    }
    return this.set(Token.Number, end);
  }

  /** Scans a string body from just past its opening quote; returns the end past its close. */
  private lexString(from: number): number {
    const input = this.input;
    let i = from;
    let out = "";
    let runStart = i;
    let highSurrogate = -1;
    for (;;) {
      if (i >= input.length) {
        this.end = i;
        this.token = Token.End;
        throw this.fail("The input string ended unexpectedly.");
      }
      const code = input.charCodeAt(i);
      if (code === 34) break;
      if (code < 32) {
        this.end = i;
        this.token = Token.String;
        const hex = code.toString(16).padStart(2, "0");
        throw this.fail(`Character with value 0x${hex} must be escaped.`);
      }
      if (code !== 92) {
        if (highSurrogate >= 0) this.surrogateError(i, "low");
        i++;
        continue;
      }
      if (this.unescape) out += input.slice(runStart, i);
      const escaped = input.charCodeAt(i + 1);
      if (escaped === 117) {
        const unit = this.lexUnicode(i);
        i += 6;
        if (this.unescape) {
          if (unit >= 0xd800 && unit <= 0xdbff) {
            if (highSurrogate >= 0) this.surrogateError(i, "high");
            highSurrogate = unit;
          } else if (unit >= 0xdc00 && unit <= 0xdfff) {
            if (highSurrogate < 0) this.surrogateError(i, "low");
            out += String.fromCharCode(highSurrogate, unit);
            highSurrogate = -1;
          } else {
            if (highSurrogate >= 0) this.surrogateError(i, "low");
            if (unit === 0) this.nulError(i);
            out += String.fromCharCode(unit);
          }
        }
      } else {
        if (highSurrogate >= 0) this.surrogateError(i, "low");
        out += this.lexEscape(i, escaped);
        i += 2;
      }
      runStart = i;
    }
    if (highSurrogate >= 0) this.surrogateError(i + 1, "low");
    if (this.unescape) this.text = out + input.slice(runStart, i);
    return i + 1;
  }

  private lexUnicode(at: number): number {
    let unit = 0;
    for (let k = 2; k < 6; k++) {
      const digit = hexDigit(this.input.charCodeAt(at + k));
      if (digit < 0) {
        this.end = Math.min(at + k + 1, this.input.length);
        this.token = Token.String;
        throw this.fail('"\\u" must be followed by four hexadecimal digits.');
      }
      unit = unit * 16 + digit;
    }
    return unit;
  }

  private lexEscape(at: number, escaped: number): string {
    const simple = simpleEscapes.get(escaped);
    if (simple !== undefined) return simple;
    const char = String.fromCodePoint(this.input.codePointAt(at + 1) ?? 0);
    this.end = Math.min(at + 1 + char.length, this.input.length);
    this.token = Token.String;
    if (at + 1 >= this.input.length) {
      this.token = Token.End;
      throw this.fail("The input string ended unexpectedly.");
    }
    throw this.fail(`Escape sequence "\\${char}" is invalid.`);
  }

  private surrogateError(at: number, kind: "high" | "low"): never {
    this.end = at;
    this.token = Token.String;
    throw this.fail(kind === "low"
      ? "Unicode low surrogate must follow a high surrogate."
      : "Unicode high surrogate must not follow a high surrogate.");
  }

  private nulError(at: number): never {
    this.end = at;
    this.token = Token.String;
    throw this.fail("\\u0000 cannot be converted to text.", SqlState.untranslatableCharacter,
      "unsupported Unicode escape sequence");
  }
}

const simpleEscapes: ReadonlyMap<number, string> = new Map([
  [34, '"'], [92, "\\"], [47, "/"], [98, "\b"], [102, "\f"], [110, "\n"], [114, "\r"],
  [116, "\t"],
]);

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Letters, digits, underscore, or any non-ASCII character, as JSON_ALPHANUMERIC_CHAR. */
function isAlphanumeric(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || isDigit(code) ||
    code === 95 || code >= 128;
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}
