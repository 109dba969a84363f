/**
 * jsonpath: the run-time value is the canonical text jsonpath_out prints (a string), so it
 * rides through rows, casts and the wire unchanged; executors re-parse it through a small
 * cache with `jsonPathOf`.
 *
 *   '$."a"[*] ? (@ > 1)'::jsonpath -> $."a"[*]?(@ > 1)
 */
import { ByteReader, ByteWriter, utf8Decode, utf8Encode } from "./binary.js";
import { invalidBinary } from "./errors.js";
import { printJsonPath, type JsonPath } from "./jsonpath-ast.js";
import { parseJsonPath } from "./jsonpath-parse.js";
import { compareText } from "./text.js";
import type { TypeIo } from "./type-io.js";

export type { JsonPath } from "./jsonpath-ast.js";

const cacheMax = 256;
const cache = new Map<string, JsonPath>();

/** Parses jsonpath text and returns its canonical printing, as jsonpath_in then jsonpath_out. */
export function canonicalJsonPath(text: string): string {
  const path = parseJsonPath(text);
  const canonical = printJsonPath(path);
  remember(canonical, path);
  return canonical;
}

/** Returns the parsed form of a jsonpath value (its canonical text). */
export function jsonPathOf(value: string): JsonPath {
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  const path = parseJsonPath(value);
  remember(value, path);
  return path;
}

function remember(text: string, path: JsonPath): void {
  if (cache.size >= cacheMax) cache.clear();
  cache.set(text, path);
}

export const jsonpathIo: TypeIo = {
  input: (text) => canonicalJsonPath(text),
  output: (value) => value as string,
  receive(bytes) {
    const reader = new ByteReader(bytes);
    const version = reader.uint8();
    if (version !== 1) throw invalidBinary(`unsupported jsonpath version number: ${version}`);
    return canonicalJsonPath(utf8Decode(reader.bytes(reader.remaining)));
  },
  send: (value) => new ByteWriter().int8(1).bytes(utf8Encode(value as string)).finish(),
  compare: (a, b) => compareText(a as string, b as string),
  hashKey: (value) => value as string,
};
