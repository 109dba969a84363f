/**
 * The fast path of jsonb input: one pass over plain JSON text, with no token objects, that
 * builds the same tree as the full parser of `jsonb.ts` (numbers as `makeNumber` reads their
 * text, entries in the order `makeObject` gives them, the same duplicate key kept).
 *
 * Plain means: strings without backslash escapes or control characters, and nesting at most
 * `depthMax` deep. On anything else, including every malformed input, it returns undefined
 * and the caller runs the full lexer and parser, which accept escapes and raise Postgres's
 * errors with their detail and context lines. COPY of jsonb columns spends most of its time
 * here, and the stored documents stay for the table's life: the scanner keeps its state in
 * one module object, builds containers of exactly their size, sorts a small object's entries
 * in place and shares recurring short strings between documents.
 */
import { makeNumber, makeObjectOwned } from "./jsonb-build.js";
import { parsePlainNumeric } from "./numeric-fast.js";
import { JSONB_NULL, type Jsonb } from "./value.js";

/** Deeper documents go to the full parser, which also enforces its stack depth limit. */
export const depthMax = 64;

/** The text being scanned and the position in it (one object: no module `let` checks). */
const at = { input: "", pos: 0, top: 0, ascii: true };

/**
 * Entries and items of the objects and arrays being scanned, `at.top` high: each container
 * is copied out at its end into an array of exactly its size. Arrays grown by `push` keep
 * room for 17 slots, which every stored document would carry as dead weight.
 */
const stack: unknown[] = [];

function pushItem(item: unknown): void {
  stack[at.top++] = item;
}

/** The items pushed since `base`, as an exact-size array; pops them. */
function popItems<T>(base: number): T[] {
  const items = stack.slice(base, at.top) as T[];
  stack.fill(0, base, at.top);
  at.top = base;
  return items;
}

/** Parses plain jsonb text, or returns undefined when the full parser must decide. */
export function parseJsonbPlain(text: string): Jsonb | undefined {
  at.input = text;
  at.pos = 0;
  at.top = 0;
  const value = scanValue(0);
  const ok = value !== undefined && skipSpace() === text.length;
  at.input = "";
  if (at.top !== 0) popItems(0);
  return ok ? value : undefined;
}

/** Skips JSON whitespace from `at.pos`; returns the new position. */
function skipSpace(): number {
  let i = at.pos;
  for (;;) {
    const code = at.input.charCodeAt(i);
    if (code !== 32 && code !== 10 && code !== 9 && code !== 13) break;
    i++;
  }
  at.pos = i;
  return i;
}

function scanValue(depth: number): Jsonb | undefined {
  const code = at.input.charCodeAt(skipSpace());
  if (code === 34) return scanString();
  if (code === 123) return depth < depthMax ? scanObject(depth + 1) : undefined;
  if (code === 91) return depth < depthMax ? scanArray(depth + 1) : undefined;
  if (code === 45 || (code >= 48 && code <= 57)) return scanNumber();
  if (code === 116) return scanWord("true", true);
  if (code === 102) return scanWord("false", false);
  if (code === 110) return scanWord("null", JSONB_NULL);
  return undefined;
}

/** A string at `at.pos` (its opening quote) without escapes; its text, or undefined. */
function scanString(): string | undefined {
  const text = at.input;
  const start = at.pos + 1;
  const length = text.length;
  let hash = 0;
  let high = 0;
  for (let i = start; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34) {
      at.pos = i + 1;
      at.ascii = high < 128;
      return sharedSlice(text, start, i, hash);
    }
    if (code < 32 || code === 92) return undefined;
    hash = (hash * 31 + code) | 0;
    high |= code;
  }
  return undefined;
}

/** A number as JSON spells it (the lexer's grammar), not followed by a letter or digit. */
function scanNumber(): Jsonb | undefined {
  const text = at.input;
  const start = at.pos;
  let i = start;
  if (text.charCodeAt(i) === 45) i++;
  if (text.charCodeAt(i) === 48) i++;
  else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
  else return undefined;
  if (text.charCodeAt(i) === 46) {
    i++;
    if (!isDigit(text.charCodeAt(i))) return undefined;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    if (!isDigit(text.charCodeAt(i))) return undefined;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  if (i < text.length && isAlphanumeric(text.charCodeAt(i))) return undefined;
  at.pos = i;
  // Without an exponent the digits read in place, as numeric_in would read their copy.
  const value = e === 101 || e === 69 ? null : parsePlainNumeric(text, start, i);
  return value === null ? makeNumber(text.slice(start, i)) : { kind: "number", value };
}

function scanWord(word: string, value: Jsonb): Jsonb | undefined {
  const end = at.pos + word.length;
  if (!at.input.startsWith(word, at.pos)) return undefined;
  if (end < at.input.length && isAlphanumeric(at.input.charCodeAt(end))) return undefined;
  at.pos = end;
  return value;
}

function scanObject(depth: number): Jsonb | undefined {
  at.pos++;
  if (at.input.charCodeAt(skipSpace()) === 125) {
    at.pos++;
    return makeObjectOwned([], true);
  }
  const base = at.top;
  let asciiKeys = true;
  for (;;) {
    if (at.input.charCodeAt(at.pos) !== 34) return undefined;
    const key = scanString();
    asciiKeys &&= at.ascii;
    if (key === undefined || at.input.charCodeAt(skipSpace()) !== 58) return undefined;
    at.pos++;
    const value = scanValue(depth);
    if (value === undefined) return undefined;
    pushItem([key, value]);
    const next = at.input.charCodeAt(skipSpace());
    at.pos++;
    if (next === 125) return makeObjectOwned(popItems<[string, Jsonb]>(base), asciiKeys);
    if (next !== 44) return undefined;
    skipSpace();
  }
}

function scanArray(depth: number): Jsonb | undefined {
  at.pos++;
  if (at.input.charCodeAt(skipSpace()) === 93) {
    at.pos++;
    return [];
  }
  const base = at.top;
  for (;;) {
    const item = scanValue(depth);
    if (item === undefined) return undefined;
    pushItem(item);
    const next = at.input.charCodeAt(skipSpace());
    at.pos++;
    if (next === 93) return popItems<Jsonb>(base);
    if (next !== 44) return undefined;
  }
}

/**
 * Short strings (object keys above all, and values like "ok") recur from row to row of a
 * load: the last string seen in each of a few slots is handed out again when the text
 * matches, so the rows share one string instead of holding a copy each. Strings are
 * immutable, so sharing is invisible; at most `sharedLengthMax` characters, so a cached
 * string is always a copy, never a view that keeps a whole input chunk alive.
 */
const sharedLengthMax = 12;
const sharedSlots = 64;
const shared: string[] = new Array<string>(sharedSlots).fill("");

function sharedSlice(text: string, start: number, end: number, hash: number): string {
  const length = end - start;
  if (length === 0 || length > sharedLengthMax) return text.slice(start, end);
  const slot = hash & (sharedSlots - 1);
  const hit = shared[slot]!;
  if (hit.length === length) {
    let k = 0;
    while (k < length && hit.charCodeAt(k) === text.charCodeAt(start + k)) k++;
    if (k === length) return hit;
  }
  const fresh = text.slice(start, end);
  shared[slot] = fresh;
  return fresh;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Letters, digits, underscore, or any non-ASCII character, as JSON_ALPHANUMERIC_CHAR. */
function isAlphanumeric(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || isDigit(code) ||
    code === 95 || code >= 128;
}
