/**
 * COPY FROM's CSV format (Postgres's CopyReadLineText in CSV mode and CopyReadAttributesCSV):
 * records end at a line break outside quotes, so one record may span lines.
 *
 *     5,"he said ""hi""\nnext",\n     ->  ["5", "he said \"hi\"\nnext", null]
 *
 * Inside quotes the escape character (the quote itself unless ESCAPE says otherwise) before a
 * quote or escape stands for that character; text after a closing quote continues the field.
 * An unquoted field equal to the NULL string is NULL (FORCE_NOT_NULL makes it a string), a
 * quoted one is a string (FORCE_NULL makes it NULL). A line holding only `\.` ends the data.
 * Lines without quotes are split with indexOf, as in the text format.
 */
import { SqlError, SqlState } from "@tessera/base";
import { lineError, type RecordReader } from "./record.js";

const newline = 10;
const carriageReturn = 13;

export interface CsvSettings {
  readonly delimiter: string;
  readonly quote: string;
  readonly escape: string;
  readonly nullString: string;
  /** Per field position: FORCE_NOT_NULL / FORCE_NULL. */
  readonly forceNotNull: readonly boolean[];
  readonly forceNull: readonly boolean[];
}

export class CsvReader implements RecordReader {
  readonly fields: (string | null)[] = [];
  count = 0;
  lineStart = 0;
  lineEnd = 0;
  ended = false;
  private text = "";
  private pos = 0;
  private final = false;
  private crlf: boolean | null = null;
  private nextQuote = -1;
  private nextDelimiter = -1;
  private nextCr = -1;
  private readonly delimiter: number;
  private readonly quote: number;
  private readonly escape: number;

  constructor(private readonly settings: CsvSettings) {
    this.delimiter = settings.delimiter.charCodeAt(0);
    this.quote = settings.quote.charCodeAt(0);
    this.escape = settings.escape.charCodeAt(0);
  }

  reset(text: string, final: boolean): void {
    this.text = text;
    this.pos = 0;
    this.final = final;
    this.nextQuote = -1;
    this.nextDelimiter = -1;
    this.nextCr = -1;
  }

  lineText(): string {
    return this.text.slice(this.lineStart, this.lineEnd);
  }

  rest(): string {
    return this.pos >= this.text.length ? "" : this.text.slice(this.pos);
  }

  next(): boolean {
    const text = this.text;
    const start = this.pos;
    if (this.ended || start >= text.length) return false;
    if (this.nextQuote < start) this.nextQuote = indexOrMax(text, this.settings.quote, start);
    const nl = text.indexOf("\n", start);
    if (nl >= 0 && nl < this.nextQuote) return this.plainLine(start, nl);
    if (nl < 0 && this.nextQuote === Number.MAX_SAFE_INTEGER) {
      if (!this.final) return false;
      return this.plainLine(start, text.length);
    }
    return this.quotedRecord(start);
  }

  /** A line without quotes: split at delimiters. */
  private plainLine(start: number, nl: number): boolean {
    const text = this.text;
    const end = this.lineEnding(start, nl, nl < text.length);
    this.pos = nl < text.length ? nl + 1 : nl;
    this.lineStart = start;
    this.lineEnd = end;
    if (end - start === 2 && text.startsWith("\\.", start)) {
      this.ended = true;
      return false;
    }
    const delimiter = this.settings.delimiter;
    let n = 0;
    let a = start;
    for (;;) {
      // The next delimiter may lie lines ahead; remembering it keeps the scan linear.
      if (this.nextDelimiter < a) this.nextDelimiter = indexOrMax(text, delimiter, a);
      const b = this.nextDelimiter > end ? end : this.nextDelimiter;
      this.fields[n] = this.unquoted(text.slice(a, b), n);
      n++;
      if (b === end) break;
      a = b + 1;
    }
    this.count = n;
    return true;
  }

  private unquoted(raw: string, n: number): string | null {
    if (raw !== this.settings.nullString) return raw;
    return this.settings.forceNotNull[n] === true ? raw : null;
  }

  /** Applies the line-ending rules to a line ending at `nl`; returns its end without "\r". */
  private lineEnding(start: number, nl: number, terminated: boolean): number {
    const text = this.text;
    let end = nl;
    if (this.crlf === null && terminated) {
      this.crlf = end > start && text.charCodeAt(end - 1) === carriageReturn;
    }
    if (this.crlf === true && terminated) {
      if (text.charCodeAt(end - 1) !== carriageReturn) throw eolError("newline");
      end--;
    }
    if (this.nextCr < start) this.nextCr = indexOrMax(text, "\r", start);
    if (this.nextCr < end) throw eolError("carriage return");
    return end;
  }

  /** A record with quotes, read character by character; false when it is incomplete. */
  private quotedRecord(start: number): boolean {
    const text = this.text;
    const { quote, escape, delimiter } = this;
    let n = 0;
    let i = start;
    for (;;) {
      let value = "";
      let quoted = false;
      let segment = i;
      let inQuotes = false;
      for (;;) {
        if (i >= text.length) {
          if (!this.final) return false;
          if (inQuotes) {
            this.lineStart = start;
            this.lineEnd = text.length;
            throw new SqlError(SqlState.badCopyFileFormat, "unterminated CSV quoted field");
          }
          break;
        }
        const c = text.charCodeAt(i);
        if (inQuotes) {
          if (c === escape && i + 1 < text.length &&
            (text.charCodeAt(i + 1) === quote || text.charCodeAt(i + 1) === escape) &&
            (escape !== quote || text.charCodeAt(i + 1) === quote)) {
            value += text.slice(segment, i) + text[i + 1];
            i += 2;
            segment = i;
            continue;
          }
          if (c === quote) {
            value += text.slice(segment, i);
            inQuotes = false;
            segment = ++i;
            continue;
          }
          if (c === escape && i + 1 >= text.length && !this.final) return false;
          i++;
          continue;
        }
        if (c === delimiter || c === newline || c === carriageReturn) break;
        if (c === quote) {
          value += text.slice(segment, i);
          quoted = true;
          inQuotes = true;
          segment = ++i;
          continue;
        }
        i++;
      }
      value += text.slice(segment, i);
      this.fields[n] = quoted ? (value === this.settings.nullString &&
        this.settings.forceNull[n] === true ? null : value) : this.unquoted(value, n);
      n++;
      if (i < text.length && text.charCodeAt(i) === delimiter) {
        i++;
        continue;
      }
      break;
    }
    return this.finishRecord(start, i, n);
  }

  private finishRecord(start: number, i: number, n: number): boolean {
    const text = this.text;
    if (i >= text.length) {
      if (!this.final) return false;
      this.pos = i;
      this.lineStart = start;
      this.lineEnd = i;
      this.count = n;
      return true;
    }
    const nl = text.charCodeAt(i) === carriageReturn ? i + 1 : i;
    if (nl >= text.length && !this.final) return false;
    const terminated = nl < text.length && text.charCodeAt(nl) === newline;
    if (!terminated && nl < text.length) throw eolError("carriage return");
    if (this.crlf === null && terminated) this.crlf = nl > i;
    if (this.crlf === true && terminated && nl === i) throw eolError("newline");
    if (this.crlf === false && nl > i) throw eolError("carriage return");
    this.pos = terminated ? nl + 1 : nl;
    this.lineStart = start;
    this.lineEnd = i;
    this.count = n;
    return true;
  }
}

function eolError(what: "newline" | "carriage return"): Error {
  return lineError(SqlState.badCopyFileFormat, `unquoted ${what} found in data`,
    `Use quoted CSV field to represent ${what}.`);
}

function indexOrMax(text: string, search: string, from: number): number {
  const i = text.indexOf(search, from);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}
