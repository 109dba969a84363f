/**
 * boolean: Postgres's boolin accepts any unique prefix of true/false/yes/no, on/off (two
 * letters at least, since "o" is ambiguous) and 1/0, case-insensitive, with whitespace
 * around; it prints t or f.
 */
import { invalidInput } from "./errors.js";
import { ByteReader } from "./binary.js";
import { trimSpace, type TypeIo } from "./type-io.js";

export const boolIo: TypeIo = {
  input: (text) => parseBool(text),
  output: (value) => (value === true ? "t" : "f"),
  receive(bytes) {
    const reader = new ByteReader(bytes);
    const value = reader.uint8() !== 0;
    reader.end();
    return value;
  },
  send: (value) => Uint8Array.of(value === true ? 1 : 0),
  compare: (a, b) => (a === b ? 0 : a === true ? 1 : -1),
  equals: (a, b) => a === b,
  hashKey: (value) => (value === true ? 1 : 0),
};

/** Parses boolean text, or throws 22P02 as boolin does. */
export function parseBool(text: string): boolean {
  const result = tryParseBool(text);
  if (result === undefined) throw invalidInput("boolean", text);
  return result;
}

/** Parses boolean text, or returns undefined, as Postgres's parse_bool (GUCs use it too). */
export function tryParseBool(text: string): boolean | undefined {
  const word = trimSpace(text).toLowerCase();
  if (word.length === 0) return undefined;
  if (isPrefixOf(word, "true", 1) || isPrefixOf(word, "yes", 1) || word === "1") return true;
  if (isPrefixOf(word, "false", 1) || isPrefixOf(word, "no", 1) || word === "0") return false;
  if (isPrefixOf(word, "on", 2)) return true;
  if (isPrefixOf(word, "off", 2)) return false;
  return undefined;
}

function isPrefixOf(word: string, full: string, lengthMin: number): boolean {
  return word.length >= lengthMin && word.length <= full.length && full.startsWith(word);
}
