/**
 * tsvector: a sorted set of distinct lexemes, each with an optional list of positions
 * (1..16383) carrying a weight A, B, C or D. The run-time value is the canonical text
 * tsvectorout prints (a string), as jsonpath does, so it rides through rows, casts and the
 * wire unchanged; functions re-read it through a small cache with `tsVectorOf`.
 *
 *   'b a:3 a:1,2B'::tsvector -> 'a':1,2B,3 'b'
 *
 * A position is stored as `weight << 14 | pos`, weight 3 for A down to 0 for D, as Postgres's
 * WordEntryPos.
 */
import { SqlError, SqlState } from "@tessera/base";
import { ByteReader, ByteWriter, utf8Decode, utf8Encode } from "./binary.js";
import { invalidBinary } from "./errors.js";
import type { TypeIo } from "./type-io.js";
import { isSpaceCode } from "./type-io.js";

export interface TsLexeme {
  readonly word: string;
  /** Sorted by position, at most one entry per position; empty when the lexeme has none. */
  readonly positions: readonly number[];
}

/** Lexemes in Postgres's order (bytewise, then shorter first), no duplicates. */
export type TsVector = readonly TsLexeme[];

export const MAX_POSITION = 16383;
const MAX_POSITIONS_PER_LEXEME = 256;
export const MAX_LEXEME_BYTES = 2047;

export function positionOf(entry: number): number {
  return entry & 0x3fff;
}

export function weightOf(entry: number): number {
  return entry >> 14;
}

export function makePosition(pos: number, weight: number): number {
  return (weight << 14) | Math.min(pos, MAX_POSITION);
}

/**
 * Orders strings by their UTF-8 bytes, shorter first on a common prefix (tsCompareString).
 * UTF-8 byte order is code point order; UTF-16 units above the surrogates are moved below them.
 */
export function compareLexemes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Sorts positions, merges equal ones keeping the highest weight (uniquePos). */
export function uniquePositions(positions: readonly number[]): number[] {
  if (positions.length <= 1) return [...positions];
  const sorted = [...positions].sort((x, y) => positionOf(x) - positionOf(y));
  const out: number[] = [sorted[0] as number];
  for (let i = 1; i < sorted.length; i++) {
    const entry = sorted[i] as number;
    const lastIndex = out.length - 1;
    const last = out[lastIndex] as number;
    if (positionOf(entry) !== positionOf(last)) {
      out.push(entry);
      if (out.length >= MAX_POSITIONS_PER_LEXEME - 1 || positionOf(entry) === MAX_POSITION) break;
    } else if (weightOf(entry) > weightOf(last)) {
      out[lastIndex] = entry;
    }
  }
  return out;
}

/** Sorts lexemes and merges duplicates (their positions join), as tsvectorin does. */
export function normalizeLexemes(lexemes: readonly TsLexeme[]): TsLexeme[] {
  const sorted = [...lexemes].sort((x, y) => compareLexemes(x.word, y.word));
  const out: TsLexeme[] = [];
  for (const lexeme of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.word === lexeme.word) {
      out[out.length - 1] = { word: last.word,
        positions: uniquePositions([...last.positions, ...lexeme.positions]) };
    } else {
      out.push({ word: lexeme.word, positions: uniquePositions(lexeme.positions) });
    }
  }
  return out;
}

function syntaxError(text: string): SqlError {
  return new SqlError(SqlState.syntaxError, `syntax error in tsvector: "${text}"`);
}

const weightLetters: Record<string, number> = { a: 3, A: 3, "*": 3, b: 2, B: 2, c: 1, C: 1,
  d: 0, D: 0 };

/** Reads one lexeme at `start` (quoted or not); returns it and the index after it. */
export function readLexeme(text: string, start: number, stopAt: (c: string) => boolean,
  fail: () => SqlError): { word: string; end: number } {
  let i = start;
  let word = "";
  if (text[i] === "'") {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) throw fail();
      if (c === "\\") {
        if (i + 1 >= text.length) throw fail();
        word += text[i + 1];
        i += 2;
      } else if (c === "'") {
        if (text[i + 1] === "'") { word += "'"; i += 2; } else { i++; break; }
      } else { word += c; i++; }
    }
    if (word === "") throw fail();
    return { word, end: i };
  }
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "\\") {
      if (i + 1 >= text.length) throw fail();
      word += text[i + 1];
      i += 2;
    } else if (isSpaceCode(c.charCodeAt(0)) || (i > start && stopAt(c))) {
      break;
    } else { word += c; i++; }
  }
  return { word, end: i };
}

/** Parses tsvector text input. */
export function parseTsVector(text: string): TsVector {
  const lexemes: TsLexeme[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
    if (i >= text.length) break;
    const { word, end } = readLexeme(text, i, (c) => c === ":", () => syntaxError(text));
    i = end;
    checkLexemeLength(word);
    const positions: number[] = [];
    if (text[i] === ":") i = readPositions(text, i + 1, positions);
    lexemes.push({ word, positions });
  }
  return normalizeLexemes(lexemes);
}

function readPositions(text: string, start: number, positions: number[]): number {
  let i = start;
  for (;;) {
    const digits = /^\d+/.exec(text.slice(i));
    if (digits === null) throw syntaxError(text);
    i += digits[0].length;
    // As Postgres: atoi's int, clamped to 16383 from above, then the low 14 bits.
    const value = Number(BigInt.asIntN(32, BigInt(digits[0])));
    const pos = (value >= MAX_POSITION ? MAX_POSITION : value) & MAX_POSITION;
    if (pos === 0) {
      throw new SqlError(SqlState.syntaxError, `wrong position info in tsvector: "${text}"`);
    }
    // After the number: one weight letter at most (D aside), digits skipped, then , or space.
    let weight = 0;
    for (;;) {
      const c = text[i];
      if (c === undefined || c === "," || isSpaceCode(c.charCodeAt(0))) break;
      const letter = weightLetters[c];
      if (letter !== undefined) {
        if (weight !== 0) throw syntaxError(text);
        weight = letter;
      } else if (c < "0" || c > "9") {
        throw syntaxError(text);
      }
      i++;
    }
    positions.push(makePosition(pos, weight));
    if (text[i] === ",") { i++; continue; }
    return i;
  }
}

export function checkLexemeLength(word: string): void {
  if (Buffer.byteLength(word, "utf8") > MAX_LEXEME_BYTES) {
    throw new SqlError(SqlState.programLimitExceeded,
      `word is too long (${Buffer.byteLength(word, "utf8")} bytes, max ${MAX_LEXEME_BYTES} bytes)`);
  }
}

/** Quotes a lexeme as tsvectorout and tsqueryout do: quotes and backslashes doubled. */
export function quoteLexeme(word: string): string {
  return `'${word.replace(/['\\]/g, (c) => c + c)}'`;
}

const weightNames = ["", "C", "B", "A"];

export function printTsVector(vector: TsVector): string {
  return vector.map((lexeme) => {
    const quoted = quoteLexeme(lexeme.word);
    if (lexeme.positions.length === 0) return quoted;
    const list = lexeme.positions.map((p) => `${positionOf(p)}${weightNames[weightOf(p)]}`);
    return `${quoted}:${list.join(",")}`;
  }).join(" ");
}

const cacheMax = 512;
const cache = new Map<string, TsVector>();

/** Returns the parsed form of a tsvector value (its canonical text). */
export function tsVectorOf(value: string): TsVector {
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  const vector = parseTsVector(value);
  if (cache.size >= cacheMax) cache.clear();
  cache.set(value, vector);
  return vector;
}

/** Prints a vector and remembers its parsed form, so a function's result is not re-read. */
export function tsVectorValue(vector: TsVector): string {
  const text = printTsVector(vector);
  if (cache.size >= cacheMax) cache.clear();
  cache.set(text, vector);
  return text;
}

/** The varlena size Postgres would give the vector (VARSIZE), which its order compares first. */
function storedSize(vector: TsVector): number {
  let strings = 0;
  for (const lexeme of vector) {
    strings += Buffer.byteLength(lexeme.word, "utf8");
    if (lexeme.positions.length > 0) {
      strings += strings % 2;
      strings += 2 + 2 * lexeme.positions.length;
    }
  }
  return 8 + 4 * vector.length + strings;
}

/** tsvector_cmp. */
export function compareTsVectors(a: TsVector, b: TsVector): number {
  const sa = storedSize(a);
  const sb = storedSize(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as TsLexeme;
    const y = b[i] as TsLexeme;
    const xp = x.positions.length > 0;
    const yp = y.positions.length > 0;
    if (xp !== yp) return xp ? -1 : 1;
    const c = compareLexemes(x.word, y.word);
    if (c !== 0) return c;
    if (x.positions.length !== y.positions.length) {
      return x.positions.length > y.positions.length ? -1 : 1;
    }
    for (let j = 0; j < x.positions.length; j++) {
      const p = x.positions[j] as number;
      const q = y.positions[j] as number;
      if (positionOf(p) !== positionOf(q)) return positionOf(p) > positionOf(q) ? -1 : 1;
      if (weightOf(p) !== weightOf(q)) return weightOf(p) > weightOf(q) ? -1 : 1;
    }
  }
  return 0;
}

/** Reads a NUL-terminated UTF-8 string (pq_getmsgstring). */
export function readCString(reader: ByteReader): string {
  const bytes: number[] = [];
  for (let b = reader.uint8(); b !== 0; b = reader.uint8()) bytes.push(b);
  return utf8Decode(Uint8Array.from(bytes));
}

/** tsvectorsend: count, then per lexeme its text, NUL, position count and positions. */
function sendTsVector(vector: TsVector): Uint8Array {
  const out = new ByteWriter(64).int32(vector.length);
  for (const lexeme of vector) {
    out.bytes(utf8Encode(lexeme.word)).int8(0).int16(lexeme.positions.length);
    for (const p of lexeme.positions) out.int16((p << 16) >> 16);
  }
  return out.finish();
}

/** tsvectorrecv. */
function receiveTsVector(bytes: Uint8Array): TsVector {
  const reader = new ByteReader(bytes);
  const count = reader.int32();
  if (count < 0) throw invalidBinary("invalid size of tsvector");
  const lexemes: TsLexeme[] = [];
  for (let i = 0; i < count; i++) {
    const word = readCString(reader);
    checkLexemeLength(word);
    const npos = reader.uint16();
    const positions: number[] = [];
    for (let j = 0; j < npos; j++) {
      const entry = reader.uint16();
      if (positionOf(entry) === 0) throw invalidBinary("position information is misordered");
      positions.push(entry);
    }
    lexemes.push({ word, positions });
  }
  reader.end();
  return normalizeLexemes(lexemes);
}

export const tsvectorIo: TypeIo = {
  input: (text) => tsVectorValue(parseTsVector(text)),
  send: (value) => sendTsVector(tsVectorOf(value as string)),
  receive: (bytes) => tsVectorValue(receiveTsVector(bytes)),
  output: (value) => value as string,
  compare: (a, b) => a === b ? 0
    : compareTsVectors(tsVectorOf(a as string), tsVectorOf(b as string)),
  equals: (a, b) => a === b,
  hashKey: (value) => value as string,
};
