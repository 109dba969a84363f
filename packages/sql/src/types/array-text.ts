/**
 * Array literals, as Postgres's array_in and array_out:
 *
 *   '{1,2,"a b",NULL}'          one dimension, lower bound 1; unquoted NULL is a null
 *   '{{1,2},{3,4}}'             two dimensions; sub-arrays must match in size
 *   '[0:2]={1,2,3}'             explicit bounds, printed back the same way
 *
 * Unquoted elements lose surrounding whitespace; quotes and backslashes protect anything.
 * Output quotes an element when it is empty, is NULL in any case, or holds a quote,
 * backslash, brace, delimiter or whitespace. The parser yields raw element strings and
 * the caller runs the element type's input on each.
 */
import { SqlError, SqlState } from "@tessera/base";
import { malformedArray } from "./errors.js";
import { isSpaceCode } from "./type-io.js";

/** Postgres's MAXDIM. */
export const arrayDimensionsMax = 6;

export interface ParsedArray {
  readonly dims: number[];
  readonly lowerBounds: number[];
  /** Raw element text in row-major order; null for an unquoted NULL. */
  readonly items: (string | null)[];
}

export function parseArrayText(text: string, delimiter = ","): ParsedArray {
  const scanner = { text, at: 0, delimiter };
  skipSpaces(scanner);
  let explicit: { dims: number[]; lowerBounds: number[] } | undefined;
  if (text[scanner.at] === "[") {
    explicit = parseBounds(scanner);
    skipSpaces(scanner);
  }
  if (text[scanner.at] !== "{") {
    throw malformedArray(text, 'Array value must start with "{" or dimension information.');
  }
  scanner.at++;
  const items: (string | null)[] = [];
  const shape: Shape = { dims: [], leafDepth: -1 };
  parseLevel(scanner, 0, shape, items);
  const dims = shape.dims;
  skipSpaces(scanner);
  if (scanner.at < text.length) throw malformedArray(text, "Junk after closing right brace.");
  if (explicit === undefined) {
    return { dims, lowerBounds: dims.map(() => 1), items };
  }
  const matches = explicit.dims.length === dims.length &&
    explicit.dims.every((size, i) => size === dims[i]);
  if (!matches && !(items.length === 0 && explicit.dims.every((size) => size === 0))) {
    throw malformedArray(text, "Specified array dimensions do not match array contents.");
  }
  if (items.length === 0) return { dims: [], lowerBounds: [], items };
  return { dims: explicit.dims, lowerBounds: explicit.lowerBounds, items };
}

/** Sizes per depth as first seen, and the depth of the innermost level. */
interface Shape {
  readonly dims: number[];
  leafDepth: number;
}

interface Scanner {
  readonly text: string;
  at: number;
  /** The element type's typdelim: "," but ";" for box. */
  readonly delimiter: string;
}

function skipSpaces(scanner: Scanner): void {
  while (scanner.at < scanner.text.length && isSpaceCode(scanner.text.charCodeAt(scanner.at))) {
    scanner.at++;
  }
}

/** Parses `[lb:ub][ub]...=`; a missing lower bound is 1. */
function parseBounds(scanner: Scanner): { dims: number[]; lowerBounds: number[] } {
  const text = scanner.text;
  const dims: number[] = [];
  const lowerBounds: number[] = [];
  while (text[scanner.at] === "[") {
    scanner.at++;
    const first = readInteger(scanner);
    let lower = 1;
    let upper = first;
    if (text[scanner.at] === ":") {
      scanner.at++;
      lower = first;
      upper = readInteger(scanner);
    }
    if (text[scanner.at] !== "]") throw malformedArray(text, 'Missing "]" after array dimensions.');
    scanner.at++;
    if (upper < lower) {
      throw new SqlError(SqlState.arraySubscriptError,
        "upper bound cannot be less than lower bound");
    }
    dims.push(upper - lower + 1);
    lowerBounds.push(lower);
    checkDimensionCount(dims.length);
  }
  skipSpaces(scanner);
  if (text[scanner.at] !== "=") throw malformedArray(text, 'Missing "=" after array dimensions.');
  scanner.at++;
  return { dims, lowerBounds };
}

function readInteger(scanner: Scanner): number {
  const match = /^\s*([+-]?\d+)\s*/.exec(scanner.text.slice(scanner.at));
  if (match === null) throw malformedArray(scanner.text, "Missing array dimension value.");
  scanner.at += match[0].length;
  return Number(match[1]);
}

function checkDimensionCount(count: number): void {
  if (count > arrayDimensionsMax) {
    throw new SqlError(SqlState.programLimitExceeded,
      `number of array dimensions (${count}) exceeds the maximum allowed (${arrayDimensionsMax})`);
  }
}

/**
 * Parses one brace level (its "{" already read) and records its size in `dims[depth]`,
 * checking that sibling sub-arrays agree.
 */
function parseLevel(scanner: Scanner, depth: number, shape: Shape, items: (string | null)[]): void {
  checkDimensionCount(depth + 1);
  const text = scanner.text;
  let count = 0;
  let nested: boolean | undefined;
  skipSpaces(scanner);
  if (text[scanner.at] === "}" && depth === 0) {
    scanner.at++;
    return;
  }
  for (;;) {
    skipSpaces(scanner);
    const char = text[scanner.at];
    if (char === undefined) throw malformedArray(text, "Unexpected end of input.");
    if (char === "{") {
      if (nested === false) throw malformedArray(text, 'Unexpected "{" character.');
      nested = true;
      scanner.at++;
      parseLevel(scanner, depth + 1, shape, items);
    } else {
      if (nested === true) throw malformedArray(text, "Unexpected array element.");
      if (char === scanner.delimiter || char === "}") {
        throw malformedArray(text, `Unexpected "${char}" character.`);
      }
      nested = false;
      items.push(readElement(scanner));
    }
    count++;
    skipSpaces(scanner);
    const next = text[scanner.at];
    scanner.at++;
    if (next === "}") break;
    if (next === undefined) throw malformedArray(text, "Unexpected end of input.");
    if (next !== scanner.delimiter) {
      throw malformedArray(text, `Unexpected "${next}" character.`);
    }
  }
  recordSize(text, shape, depth, count, nested === true);
}

function recordSize(text: string, shape: Shape, depth: number, count: number,
  nested: boolean): void {
  const mismatch = "Multidimensional arrays must have sub-arrays with matching dimensions.";
  const known = shape.dims[depth];
  if (known === undefined) shape.dims[depth] = count;
  else if (known !== count) throw malformedArray(text, mismatch);
  // The first leaf level fixes the depth; a leaf or a nested level elsewhere is ragged.
  if (!nested && shape.leafDepth === -1) shape.leafDepth = depth;
  const ragged = nested ? shape.leafDepth !== -1 && depth >= shape.leafDepth
    : shape.leafDepth !== depth;
  if (ragged) throw malformedArray(text, mismatch);
}

/** Reads one element: quoted, or unquoted up to "," or "}" with trailing spaces cut. */
function readElement(scanner: Scanner): string | null {
  const text = scanner.text;
  if (text[scanner.at] === '"') return readQuoted(scanner);
  let out = "";
  let keep = 0;
  let escaped = false;
  for (;;) {
    const char = text[scanner.at];
    if (char === undefined) throw malformedArray(text, "Unexpected end of input.");
    if (char === scanner.delimiter || char === "}") break;
    if (char === '"') throw malformedArray(text, "Unexpected array element.");
    if (char === "{") throw malformedArray(text, 'Unexpected "{" character.');
    if (char === "\\") {
      const next = text[scanner.at + 1];
      if (next === undefined) throw malformedArray(text, "Unexpected end of input.");
      out += next;
      keep = out.length;
      escaped = true;
      scanner.at += 2;
      continue;
    }
    out += char;
    if (!isSpaceCode(char.charCodeAt(0))) keep = out.length;
    scanner.at++;
  }
  out = out.slice(0, keep);
  if (!escaped && out.length === 4 && out.toUpperCase() === "NULL") return null;
  return out;
}

function readQuoted(scanner: Scanner): string {
  const text = scanner.text;
  scanner.at++;
  let out = "";
  for (;;) {
    const char = text[scanner.at];
    if (char === undefined) throw malformedArray(text, "Unexpected end of input.");
    scanner.at++;
    if (char === '"') break;
    if (char === "\\") {
      const next = text[scanner.at];
      if (next === undefined) throw malformedArray(text, "Unexpected end of input.");
      out += next;
      scanner.at++;
    } else {
      out += char;
    }
  }
  skipSpaces(scanner);
  const after = text[scanner.at];
  if (after !== undefined && after !== scanner.delimiter && after !== "}") {
    throw malformedArray(text, "Unexpected array element.");
  }
  return out;
}

/** Prints an array from element texts (null for NULL), as array_out. */
export function formatArrayText(dims: readonly number[], lowerBounds: readonly number[],
  items: readonly (string | null)[], delimiter = ","): string {
  if (dims.length === 0) return "{}";
  let prefix = "";
  if (lowerBounds.some((bound) => bound !== 1)) {
    prefix = dims.map((size, i) => {
      const lower = lowerBounds[i] ?? 1;
      return `[${lower}:${lower + size - 1}]`;
    }).join("") + "=";
  }
  const cursor = { next: 0 };
  return prefix + formatLevel(dims, 0, items, cursor, delimiter);
}

function formatLevel(dims: readonly number[], depth: number, items: readonly (string | null)[],
  cursor: { next: number }, delimiter: string): string {
  const size = dims[depth] ?? 0;
  const parts = new Array<string>(size);
  for (let i = 0; i < size; i++) {
    if (depth + 1 < dims.length) {
      parts[i] = formatLevel(dims, depth + 1, items, cursor, delimiter);
    } else {
      const item = items[cursor.next++];
      parts[i] = item === null || item === undefined ? "NULL" : quoteArrayElement(item, delimiter);
    }
  }
  return "{" + parts.join(delimiter) + "}";
}

/** Quotes an element when array_in could not read it back unquoted. */
export function quoteArrayElement(text: string, delimiter = ","): string {
  if (text.length === 0) return '""';
  if (text.length === 4 && text.toUpperCase() === "NULL") return `"${text}"`;
  let needsQuotes = false;
  let needsEscapes = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34 || code === 92) {
      needsQuotes = true;
      needsEscapes = true;
    } else if (code === 123 || code === 125 || isSpaceCode(code) || text[i] === delimiter) {
      needsQuotes = true;
    }
  }
  if (!needsQuotes) return text;
  const body = needsEscapes ? text.replace(/["\\]/g, "\\$&") : text;
  return `"${body}"`;
}
