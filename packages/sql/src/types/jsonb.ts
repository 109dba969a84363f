/**
 * json and jsonb. json keeps the text exactly as given after validating it; jsonb parses
 * to the `Jsonb` tree of value.ts and prints it normalised as jsonb_out:
 *
 *   '{"b": 1, "a": [1, 2.50], "a": true}' -> {"a": true, "b": 1}
 *
 * Object keys sort shorter first (in UTF-8 bytes), then bytewise; the last duplicate
 * wins; numbers keep their numeric text (2.50 stays 2.50); separators are ", " and ": ".
 */
import { ByteReader, ByteWriter, utf8Decode, utf8Encode } from "./binary.js";
import { invalidBinary } from "./errors.js";
import { JsonLexer, Token } from "./json-lex.js";
import { makeNumber, makeObject } from "./jsonb-build.js";
import { parseJsonbPlain } from "./jsonb-scan.js";
import { canonicalJsonbObject, JsonbTextObject } from "./jsonb-text.js";
import { formatNumeric, numericKey } from "./numeric.js";
import { textIo } from "./text.js";
import type { TypeIo } from "./type-io.js";
import { JSONB_NULL, type Jsonb, type Value } from "./value.js";
import { compareJsonb } from "./jsonb-compare.js";

export { makeJsonbNumber, makeNumber, makeObject, utf8Length } from "./jsonb-build.js";
export { JsonbTextObject, jsonbTextOf } from "./jsonb-text.js";

export const jsonIo: TypeIo = {
  ...textIo,
  input: (text) => validateJson(text),
  receive: (bytes) => validateJson(utf8Decode(bytes)),
};

export const jsonbIo: TypeIo = {
  input: (text) => parseJsonb(text),
  output: (value) => formatJsonb(value as Jsonb),
  receive(bytes) {
    const reader = new ByteReader(bytes);
    const version = reader.uint8();
    if (version !== 1) throw invalidBinary(`unsupported jsonb version number ${version}`);
    return parseJsonb(utf8Decode(reader.bytes(reader.remaining)));
  },
  send: (value) => new ByteWriter().int8(1).bytes(utf8Encode(formatJsonb(value as Jsonb))).finish(),
  compare: (a, b) => compareJsonb(a as Jsonb, b as Jsonb),
  hashKey: (value) => writeJsonb(value as Jsonb, true),
};

/** Checks json text and returns it unchanged, as json_in. */
export function validateJson(text: string): string {
  const lexer = new JsonLexer(text, false);
  lexer.next();
  parseValue(lexer, false, 0);
  expectEnd(lexer);
  return text;
}

/**
 * Parses jsonb text, as jsonb_in. A plain object becomes a `JsonbTextObject` holding its
 * jsonb_out text (`jsonb-text.ts`); other plain text takes the one-pass tree scanner of
 * `jsonb-scan.ts`; anything both decline (escapes, errors, deep nesting) the lexer.
 */
export function parseJsonb(text: string): Jsonb {
  return canonicalJsonbObject(text) ?? parseJsonbPlain(text) ?? parseJsonbLexed(text);
}

/** The full jsonb parser: every escape, and Postgres's error for every malformed input. */
export function parseJsonbLexed(text: string): Jsonb {
  const lexer = new JsonLexer(text, true);
  lexer.next();
  const value = parseValue(lexer, true, 0);
  expectEnd(lexer);
  return value;
}

function expectEnd(lexer: JsonLexer): void {
  if (lexer.next() !== Token.End) {
    throw lexer.fail(`Expected end of input, but found "${lexer.tokenText()}".`);
  }
}

/** JSON nesting past this is 54001, as Postgres's check_stack_depth would stop it. */
const depthMax = 6400;

/** Parses the value at the current token; leaves the lexer on that value's last token. */
function parseValue(lexer: JsonLexer, build: boolean, depth: number): Jsonb {
  switch (lexer.token) {
    case Token.String: return build ? lexer.text : "";
    case Token.Number: return build ? makeNumber(lexer.tokenText()) : JSONB_NULL;
    case Token.True: return true;
    case Token.False: return false;
    case Token.Null: return JSONB_NULL;
    case Token.ObjectStart: return parseObject(lexer, build, depth + 1);
    case Token.ArrayStart: return parseArray(lexer, build, depth + 1);
    default: throw unexpected(lexer, "Expected JSON value");
  }
}

function parseArray(lexer: JsonLexer, build: boolean, depth: number): Jsonb {
  checkDepth(lexer, depth);
  const items: Jsonb[] = [];
  if (lexer.next() === Token.ArrayEnd) return items;
  for (;;) {
    const item = parseValue(lexer, build, depth);
    if (build) items.push(item);
    const token = lexer.next();
    if (token === Token.ArrayEnd) return items;
    if (token !== Token.Comma) throw unexpected(lexer, 'Expected "," or "]"');
    lexer.next();
  }
}

function parseObject(lexer: JsonLexer, build: boolean, depth: number): Jsonb {
  checkDepth(lexer, depth);
  const entries: [string, Jsonb][] = [];
  let token = lexer.next();
  if (token === Token.ObjectEnd) return makeObject(entries);
  if (token !== Token.String) throw unexpected(lexer, 'Expected string or "}"');
  for (;;) {
    const key = lexer.text;
    if (lexer.next() !== Token.Colon) throw unexpected(lexer, 'Expected ":"');
    lexer.next();
    const value = parseValue(lexer, build, depth);
    if (build) entries.push([key, value]);
    token = lexer.next();
    if (token === Token.ObjectEnd) return build ? makeObject(entries) : JSONB_NULL;
    if (token !== Token.Comma) throw unexpected(lexer, 'Expected "," or "}"');
    if (lexer.next() !== Token.String) throw unexpected(lexer, "Expected string");
  }
}

function checkDepth(lexer: JsonLexer, depth: number): void {
  if (depth > depthMax) {
    throw lexer.fail("JSON nesting is too deep.", "54001", "stack depth limit exceeded");
  }
}

function unexpected(lexer: JsonLexer, expected: string): Error {
  if (lexer.token === Token.End) return lexer.fail("The input string ended unexpectedly.");
  return lexer.fail(`${expected}, but found "${lexer.tokenText()}".`);
}

/** Prints jsonb as jsonb_out. */
export function formatJsonb(value: Jsonb): string {
  return writeJsonb(value, false);
}

/** Writes jsonb text; `canonical` writes numbers normalised (1.0 as 1) for hash keys. */
function writeJsonb(value: Jsonb, canonical: boolean): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string": return escapeJson(value);
    case "boolean": return value ? "true" : "false";
    default: break;
  }
  if (isJsonbArray(value)) {
    if (value.length === 0) return "[]";
    let out = "[" + writeJsonb(value[0]!, canonical);
    for (let i = 1; i < value.length; i++) out += ", " + writeJsonb(value[i]!, canonical);
    return out + "]";
  }
  if (value.kind === "null") return "null";
  if (value.kind === "number") {
    return canonical ? numericKey(value.value) : formatNumeric(value.value);
  }
  if (!canonical && value instanceof JsonbTextObject) return value.text;
  const entries = value.entries;
  if (entries.length === 0) return "{}";
  let out = "{";
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (i > 0) out += ", ";
    out += escapeJson(entry[0]) + ": " + writeJsonb(entry[1], canonical);
  }
  return out + "}";
}

export function isJsonbArray(value: Jsonb | Value): value is readonly Jsonb[] {
  return Array.isArray(value);
}

/** Quotes a string as Postgres's escape_json: only '"', '\' and controls are escaped. */
export function escapeJson(text: string): string {
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 32 && code !== 34 && code !== 92) continue;
    out += text.slice(runStart, i) + escapeChar(code);
    runStart = i + 1;
  }
  return out + text.slice(runStart) + '"';
}

function escapeChar(code: number): string {
  switch (code) {
    case 8: return "\\b";
    case 12: return "\\f";
    case 10: return "\\n";
    case 13: return "\\r";
    case 9: return "\\t";
    case 34: return '\\"';
    case 92: return "\\\\";
    default: return "\\u" + code.toString(16).padStart(4, "0");
  }
}
