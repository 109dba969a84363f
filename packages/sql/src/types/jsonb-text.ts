/**
 * A jsonb object kept as its jsonb_out text: what a top-level object parsed from plain text
 * becomes. COPY and INSERT store most jsonb this way, and most of it is only ever written
 * to the WAL and printed back, so the value is one string instead of a tree of entries,
 * numbers and their digit arrays (a dozen heap objects a row that every GC walks):
 *
 *   '{"status": "ok", "humidity": 43.2}'  ->  JsonbTextObject { text: '{"status": "ok", ...}' }
 *
 * The text is exactly what `formatJsonb` prints for the tree (keys in jsonb order, the last
 * duplicate kept, ", " and ": " between them, numbers as numeric_out prints them), so
 * printing it is free. `entries` builds the tree on first use, by parsing the text again,
 * and keeps it: jsonb functions and operators see an ordinary `JsonbObject`. `member` reads
 * one field from the text and keeps the few numbers and containers it parsed.
 *
 * The canonical scan declines (returns undefined) whatever it cannot print exactly without
 * a tree: escapes and control characters in strings, exponents, negative zero, long
 * numbers, nesting deeper than `jsonb-scan.ts` reads (so `entries` always can) and every
 * malformed input. The caller then takes the tree parser, which also raises Postgres's
 * errors.
 */
import { assert } from "@tessera/base";
import { depthMax, parseJsonbPlain } from "./jsonb-scan.js";
import { compareText } from "./text.js";
import { parsePlainNumeric } from "./numeric-fast.js";
import { JSONB_NULL, type Jsonb, type JsonbObject } from "./value.js";

/** Fields `member` keeps per document at most. */
const readKeptMax = 4;

export class JsonbTextObject implements JsonbObject {
  readonly kind = "object";
  #entries: readonly (readonly [string, Jsonb])[] | undefined;
  /** Fields `member` parsed, as [key, value, key, value…], until `entries` exists. */
  #read: (string | Jsonb)[] | undefined;

  /** `text` must be canonical jsonb_out text of an object (see `canonicalJsonbObject`). */
  constructor(readonly text: string) {}

  get entries(): readonly (readonly [string, Jsonb])[] {
    if (this.#entries !== undefined) return this.#entries;
    const tree = parseJsonbPlain(this.text) as JsonbObject | undefined;
    assert(tree !== undefined && tree.kind === "object", "canonical jsonb text is plain");
    this.#entries = tree.entries;
    return tree.entries;
  }

  /**
   * The value of field `key`, or undefined: what a search of `entries` finds, read from the
   * text without building the rest of the tree (`payload->>'temperature'` on every row).
   */
  member(key: string): Jsonb | undefined {
    const cached = this.#entries;
    if (cached !== undefined) {
      for (let i = 0; i < cached.length; i++) if (cached[i]![0] === key) return cached[i]![1];
      return undefined;
    }
    const read = this.#read;
    if (read !== undefined) {
      for (let i = 0; i < read.length; i += 2) {
        if (read[i] === key) return read[i + 1] as Jsonb | undefined;
      }
    }
    const member = this.scan(key);
    // Numbers and containers cost a parse per read: keep what was read, key and value side by
    // side (analytics read the same few fields of every row again and again).
    if (member !== null && typeof member === "object") {
      if (read === undefined) this.#read = [key, member];
      else if (read.length < readKeptMax * 2) read.push(key, member);
    }
    return member;
  }

  /** `member` read from the text. */
  private scan(key: string): Jsonb | undefined {
    const text = this.text;
    if (text.length === 2) return undefined;
    // The text is '{"key": value, "key": value}' exactly, and no string holds a quote.
    const length = key.length;
    let at = 1;
    for (;;) {
      let i = at + 1;
      let same = 0;
      for (let c = text.charCodeAt(i); c !== 34; c = text.charCodeAt(++i)) {
        if (same === i - at - 1 && c === key.charCodeAt(same)) same++;
      }
      const valueStart = i + 3;
      const valueEnd = valueEndAt(text, valueStart);
      if (same === length && i - at - 1 === length) return valueAt(text, valueStart, valueEnd);
      if (text.charCodeAt(valueEnd) === 125) return undefined;
      at = valueEnd + 2;
    }
  }
}

/** The value at `start..end` of canonical text, as `parseJsonbPlain` reads it. */
function valueAt(text: string, start: number, end: number): Jsonb {
  switch (text.charCodeAt(start)) {
    case 34: return text.slice(start + 1, end - 1);
    case 116: return true;
    case 102: return false;
    case 110: return JSONB_NULL;
    case 123: case 91: break;
    default: {
      // A number without exponent (canonical text has none): read in place.
      const value = parsePlainNumeric(text, start, end);
      assert(value !== null, "canonical jsonb numbers are plain");
      return { kind: "number", value };
    }
  }
  const value = parseJsonbPlain(text.slice(start, end));
  assert(value !== undefined, "canonical jsonb text is plain");
  return value;
}

/** Where the value starting at `start` of canonical text ends. */
function valueEndAt(text: string, start: number): number {
  const code = text.charCodeAt(start);
  if (code === 34) {
    let i = start + 1;
    while (text.charCodeAt(i) !== 34) i++;
    return i + 1;
  }
  if (code !== 123 && code !== 91) {
    let i = start + 1;
    let c = text.charCodeAt(i);
    while (c !== 44 && c !== 125 && c !== 93) c = text.charCodeAt(++i);
    return i;
  }
  let depth = 0;
  for (let i = start; ; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) i = text.indexOf('"', i + 1);
    else if (c === 123 || c === 91) depth++;
    else if ((c === 125 || c === 93) && --depth === 0) return i + 1;
  }
}

/** The canonical text when `value` is a text-backed object, else undefined. */
export function jsonbTextOf(value: unknown): string | undefined {
  return value instanceof JsonbTextObject ? value.text : undefined;
}

/** Longer numbers take the tree parser, which enforces numeric's digit limits. */
const numberLengthMax = 100;
/** Objects with more keys take the tree parser, whose sort is not quadratic. */
const keysMax = 32;

/** The text being scanned, the position in it, and the OR of the last string's characters. */
const at = { input: "", pos: 0, high: 0 };

/**
 * Keys (without quotes) and printed entries (`"key": value`) of the objects being scanned,
 * `top` high, shared by every scan so small objects allocate nothing but their text.
 */
const keys: string[] = [];
const entries: string[] = [];
const bytes: number[] = [];
let top = 0;

/** Scans plain text holding one JSON object into its jsonb text object, or declines. */
export function canonicalJsonbObject(text: string): JsonbTextObject | undefined {
  at.input = text;
  at.pos = 0;
  top = 0;
  let result: string | undefined;
  if (text.charCodeAt(skipSpace()) === 123) {
    result = scanObject(1);
    if (result !== undefined && skipSpace() !== text.length) result = undefined;
  }
  at.input = "";
  top = 0;
  return result === undefined ? undefined : new JsonbTextObject(flatten(result));
}

/**
 * Returns `text` as one flat string: the output is built by `+`, whose rope of pieces would
 * otherwise stay behind the stored value until something reads it.
 */
function flatten(text: string): string {
  text.charCodeAt(0);
  return text;
}

function skipSpace(): number {
  const input = at.input;
  let i = at.pos;
  for (;;) {
    const code = input.charCodeAt(i);
    if (code !== 32 && code !== 10 && code !== 9 && code !== 13) break;
    i++;
  }
  at.pos = i;
  return i;
}

/** The canonical text of the value at `at.pos`, or undefined. */
function scanValue(depth: number): string | undefined {
  const start = skipSpace();
  const code = at.input.charCodeAt(start);
  if (code === 123) return depth < depthMax ? scanObject(depth + 1) : undefined;
  if (code === 91) return depth < depthMax ? scanArray(depth + 1) : undefined;
  const end = scalarEnd(start, code);
  if (end < 0) return undefined;
  at.pos = end;
  return at.input.slice(start, end);
}

/**
 * Where the string, number, true, false or null starting at `start` (its first character
 * `code`) ends, or -1 when it is malformed or jsonb_out would print it differently. A scalar
 * that passes is printed exactly as written.
 */
function scalarEnd(start: number, code: number): number {
  if (code === 34) {
    const close = stringEnd(start + 1);
    return close < 0 ? -1 : close + 1;
  }
  if (code === 45 || (code >= 48 && code <= 57)) return numberEnd(start);
  if (code === 116) return wordEnd(start, "true");
  if (code === 102) return wordEnd(start, "false");
  if (code === 110) return wordEnd(start, "null");
  return -1;
}

/**
 * The index of the closing quote of a string whose body starts at `from`, or -1 when the
 * string has an escape or a control character (jsonb_out would print those differently).
 * Leaves the OR of its characters in `at.high`.
 */
function stringEnd(from: number): number {
  const input = at.input;
  const length = input.length;
  let high = 0;
  for (let i = from; i < length; i++) {
    const code = input.charCodeAt(i);
    if (code === 34) {
      at.high = high;
      return i;
    }
    if (code < 32 || code === 92) return -1;
    high |= code;
  }
  return -1;
}

/** A number as JSON spells it, without exponent, not negative zero: printed as written. */
function numberEnd(start: number): number {
  const input = at.input;
  let i = start;
  if (input.charCodeAt(i) === 45) i++;
  let nonZero = false;
  const first = input.charCodeAt(i);
  if (first === 48) i++;
  else if (first >= 49 && first <= 57) {
    nonZero = true;
    while (isDigit(input.charCodeAt(i))) i++;
  } else return -1;
  if (input.charCodeAt(i) === 46) {
    i++;
    if (!isDigit(input.charCodeAt(i))) return -1;
    for (let code = input.charCodeAt(i); isDigit(code); code = input.charCodeAt(++i)) {
      if (code !== 48) nonZero = true;
    }
  }
  if (i < input.length && isAlphanumeric(input.charCodeAt(i))) return -1;
  if (i - start > numberLengthMax) return -1;
  if (!nonZero && input.charCodeAt(start) === 45) return -1;
  return i;
}

function wordEnd(start: number, word: string): number {
  const input = at.input;
  const end = start + word.length;
  if (!input.startsWith(word, start)) return -1;
  if (end < input.length && isAlphanumeric(input.charCodeAt(end))) return -1;
  return end;
}

function scanArray(depth: number): string | undefined {
  at.pos++;
  if (at.input.charCodeAt(skipSpace()) === 93) {
    at.pos++;
    return "[]";
  }
  let out = "[";
  for (;;) {
    const item = scanValue(depth);
    if (item === undefined) return undefined;
    out += item;
    const next = at.input.charCodeAt(skipSpace());
    at.pos++;
    if (next === 93) return out + "]";
    if (next !== 44) return undefined;
    out += ", ";
  }
}

function scanObject(depth: number): string | undefined {
  const input = at.input;
  at.pos++;
  if (input.charCodeAt(skipSpace()) === 125) {
    at.pos++;
    return "{}";
  }
  const base = top;
  let high = 0;
  for (;;) {
    const keyStart = at.pos;
    if (input.charCodeAt(keyStart) !== 34) return undefined;
    const keyEnd = stringEnd(keyStart + 1);
    if (keyEnd < 0) return undefined;
    high |= at.high;
    at.pos = keyEnd + 1;
    const colon = skipSpace();
    if (input.charCodeAt(colon) !== 58) return undefined;
    at.pos = colon + 1;
    const entry = scanEntry(depth, keyStart, keyEnd, colon);
    if (entry === undefined || top - base === keysMax) return undefined;
    keys[top] = input.slice(keyStart + 1, keyEnd);
    entries[top] = entry;
    top++;
    const next = input.charCodeAt(skipSpace());
    at.pos++;
    if (next === 125) return joinObject(base, high < 128);
    if (next !== 44) return undefined;
    skipSpace();
  }
}

/**
 * The printed entry `"key": value` of the key at `keyStart..keyEnd` (its quotes) and the value
 * after the colon at `colon`. Written as jsonb_out writes it (one space after the colon) and
 * with a scalar value, the entry is one piece of the input.
 */
function scanEntry(depth: number, keyStart: number, keyEnd: number,
  colon: number): string | undefined {
  const input = at.input;
  const start = skipSpace();
  const code = input.charCodeAt(start);
  if (code === 123 || code === 91) {
    const value = scanValue(depth);
    return value === undefined ? undefined : input.slice(keyStart, keyEnd + 1) + ": " + value;
  }
  const end = scalarEnd(start, code);
  if (end < 0) return undefined;
  at.pos = end;
  if (colon === keyEnd + 1 && start === colon + 2 && input.charCodeAt(colon + 1) === 32) {
    return input.slice(keyStart, end);
  }
  return input.slice(keyStart, keyEnd + 1) + ": " + input.slice(start, end);
}

/** Sorts the entries pushed since `base` in jsonb key order, keeps the last duplicate, prints. */
function joinObject(base: number, ascii: boolean): string {
  const count = top - base;
  let n = 0;
  for (let i = 0; i < count; i++) {
    const key = keys[base + i]!;
    const entry = entries[base + i]!;
    const size = ascii ? key.length : utf8Bytes(key);
    let slot = n;
    let order = 1;
    while (slot > 0) {
      const previous = keys[base + slot - 1]!;
      order = bytes[base + slot - 1]! - size ||
        (previous === key ? 0 : ascii ? (previous < key ? -1 : 1) : compareText(previous, key));
      if (order <= 0) break;
      slot--;
    }
    if (slot > 0 && order === 0) {
      entries[base + slot - 1] = entry;
      continue;
    }
    for (let k = n; k > slot; k--) {
      keys[base + k] = keys[base + k - 1]!;
      entries[base + k] = entries[base + k - 1]!;
      bytes[base + k] = bytes[base + k - 1]!;
    }
    keys[base + slot] = key;
    entries[base + slot] = entry;
    bytes[base + slot] = size;
    n++;
  }
  let out = "{" + entries[base]!;
  for (let i = 1; i < n; i++) out += ", " + entries[base + i]!;
  top = base;
  return out + "}";
}

function utf8Bytes(text: string): number {
  let size = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) size += code >= 0x800 && (code < 0xd800 || code > 0xdfff) ? 2 : 1;
  }
  return size;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Letters, digits, underscore, or any non-ASCII character, as JSON_ALPHANUMERIC_CHAR. */
function isAlphanumeric(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || isDigit(code) ||
    code === 95 || code >= 128;
}
