/**
 * COPY FROM's text format (Postgres's CopyReadLineText and CopyReadAttributesText): cuts
 * decoded input into lines and lines into fields, undoing backslash escapes.
 *
 *     1\tab\\c\t\N\n       ->  ["1", "ab\c", null]
 *
 * A line ends at a newline not escaped by a backslash. The first line fixes the line ending:
 * "\n" or "\r\n"; a bare carriage return in "\n" data (or a bare newline in "\r\n" data) is an
 * error, as in Postgres. A field is NULL when its raw text, before escapes are undone, equals
 * the NULL string. Escapes: \b \f \n \r \t \v, one to three octal digits, \x and one or two hex
 * digits, and a backslash before any other character stands for that character. Octal and hex
 * escapes give bytes, decoded as UTF-8 when the field ends.
 *
 * The reader works on one block of text at a time and never looks past a line it cannot
 * finish: `next` returns false at an incomplete last line, which the caller carries over.
 * Lines without backslashes (nearly all) are split with indexOf, without a per-character loop.
 */
import { SqlState } from "@tessera/base";
import { invalidUtf8, lineError, type RecordReader } from "./record.js";

const backslash = 92;
const carriageReturn = 13;

export class TextReader implements RecordReader {
  readonly fields: (string | null)[] = [];
  count = 0;
  lineStart = 0;
  lineEnd = 0;
  /** Set when the end-of-data marker `\.` was read. */
  ended = false;
  private text = "";
  private pos = 0;
  private final = false;
  private crlf: boolean | null = null;
  private nextBackslash = -1;
  private nextCr = -1;
  private nextDelimiter = -1;
  private readonly delimiter: number;

  constructor(delimiter: string, private readonly nullString: string) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Starts on a new block of text; `final` says no more input follows it. */
  reset(text: string, final: boolean): void {
    this.text = text;
    this.pos = 0;
    this.final = final;
    this.nextBackslash = -1;
    this.nextCr = -1;
    this.nextDelimiter = -1;
  }

  /** Returns the text not consumed yet (an incomplete last line). */
  lineText(): string {
    return this.text.slice(this.lineStart, this.lineEnd);
  }

  rest(): string {
    return this.pos >= this.text.length ? "" : this.text.slice(this.pos);
  }

  /** Reads the next line's fields; false when no complete line remains. */
  next(): boolean {
    const text = this.text;
    const start = this.pos;
    if (this.ended || start >= text.length) return false;
    let nl = text.indexOf("\n", start);
    while (nl > start && escapedAt(text, start, nl)) nl = text.indexOf("\n", nl + 1);
    if (nl < 0 && !this.final) return false;
    let end = nl < 0 ? text.length : nl;
    this.pos = nl < 0 ? text.length : nl + 1;
    end = this.lineEnding(start, end, nl >= 0);
    this.lineStart = start;
    this.lineEnd = end;
    if (end - start >= 2 && text.charCodeAt(end - 1) === 46 && escapedAt(text, start, end - 1)) {
      // "\." ends the data; whatever precedes it on the line is the last row.
      this.ended = true;
      this.lineEnd = end - 2;
      if (end - 2 === start) return false;
    }
    if (this.nextBackslash < start) this.nextBackslash = indexOrMax(text, "\\", start);
    if (this.nextBackslash >= this.lineEnd) this.splitPlain(start, this.lineEnd);
    else this.splitEscaped(start, this.lineEnd);
    return true;
  }

  /** Applies the line-ending rules; returns the line's end without its "\r". */
  private lineEnding(start: number, end: number, terminated: boolean): number {
    const text = this.text;
    if (this.crlf === null && terminated) {
      this.crlf = end > start && text.charCodeAt(end - 1) === carriageReturn;
    }
    if (this.crlf === true && terminated) {
      if (text.charCodeAt(end - 1) !== carriageReturn) throw this.eolError("newline");
      end--;
    }
    if (this.nextCr < start) this.nextCr = indexOrMax(text, "\r", start);
    if (this.nextCr < end) throw this.eolError("carriage return");
    return end;
  }

  private eolError(what: "newline" | "carriage return"): Error {
    const escape = what === "newline" ? "\\n" : "\\r";
    return lineError(SqlState.badCopyFileFormat, `literal ${what} found in data`,
      `Use "${escape}" to represent ${what}.`);
  }

  private splitPlain(start: number, end: number): void {
    const text = this.text;
    const fields = this.fields;
    const delimiter = String.fromCharCode(this.delimiter);
    const nullString = this.nullString;
    let n = 0;
    let a = start;
    for (;;) {
      // The next delimiter may lie lines ahead; remembering it keeps the scan linear.
      if (this.nextDelimiter < a) this.nextDelimiter = indexOrMax(text, delimiter, a);
      const b = this.nextDelimiter > end ? end : this.nextDelimiter;
      const length = b - a;
      fields[n++] = length === nullString.length && text.startsWith(nullString, a) ? null
        : text.slice(a, b);
      if (b === end) break;
      a = b + 1;
    }
    this.count = n;
  }

  private splitEscaped(start: number, end: number): void {
    const text = this.text;
    const fields = this.fields;
    let n = 0;
    let a = start;
    for (;;) {
      let b = a;
      let escapes = false;
      while (b < end) {
        const c = text.charCodeAt(b);
        if (c === this.delimiter) break;
        if (c === backslash) {
          escapes = true;
          b++;
        }
        b++;
      }
      if (b > end) b = end;
      const raw = text.slice(a, b);
      fields[n++] = raw === this.nullString ? null : escapes ? unescape(raw) : raw;
      if (b >= end) break;
      a = b + 1;
    }
    this.count = n;
  }
}

/** True when the character at `i` follows an odd run of backslashes (it is escaped). */
function escapedAt(text: string, start: number, i: number): boolean {
  let k = i - 1;
  while (k >= start && text.charCodeAt(k) === backslash) k--;
  return (i - 1 - k) % 2 === 1;
}

function indexOrMax(text: string, search: string, from: number): number {
  const i = text.indexOf(search, from);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

const simpleEscapes: Readonly<Record<string, string>> = {
  b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v",
};

/** Undoes the backslash escapes of one field. */
function unescape(raw: string): string {
  let out = "";
  let bytes: number[] | null = null;
  let i = 0;
  const flush = (): void => {
    if (bytes === null) return;
    out += decodeBytes(bytes);
    bytes = null;
  };
  while (i < raw.length) {
    const c = raw[i]!;
    if (c !== "\\" || i + 1 >= raw.length) {
      flush();
      out += c;
      i++;
      continue;
    }
    const e = raw[i + 1]!;
    i += 2;
    const octal = e >= "0" && e <= "7";
    if (octal || (e === "x" && isHex(raw.charCodeAt(i)))) {
      const [value, next] = octal ? readDigits(raw, i - 1, 3, 8) : readDigits(raw, i, 2, 16);
      i = next;
      bytes ??= [];
      bytes.push(value & 0xff);
      continue;
    }
    flush();
    out += simpleEscapes[e] ?? e;
  }
  flush();
  return out;
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** Reads up to `max` digits in `base` from `i`; returns the value and the next position. */
function readDigits(raw: string, i: number, max: number, base: 8 | 16): [number, number] {
  let value = 0;
  let k = i;
  while (k < raw.length && k - i < max) {
    const code = raw.charCodeAt(k);
    const digit = base === 8 ? (code >= 48 && code <= 55 ? code - 48 : -1)
      : isHex(code) ? parseInt(raw[k]!, 16) : -1;
    if (digit < 0) break;
    value = value * base + digit;
    k++;
  }
  return [value, k];
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Decodes the bytes of octal/hex escapes; 22021 for bytes that are not UTF-8. */
function decodeBytes(bytes: readonly number[]): string {
  const array = Uint8Array.from(bytes);
  if (array.includes(0)) throw invalidUtf8(array, array.indexOf(0));
  try {
    return decoder.decode(array);
  } catch {
    throw invalidUtf8(array, -1);
  }
}
