/**
 * Operators and functions on json (text) values: -> ->> #> #>>, json_typeof,
 * json_array_length, json_each(_text), json_array_elements(_text), json_object_keys,
 * json_extract_path(_text) and json_strip_nulls. Unlike jsonb, json keeps its text, so a
 * member comes back exactly as written (whitespace, key order and duplicate keys included):
 *
 *   '{"b":1, "a": [1,  2], "b":3}'::json -> 'a'  ->  [1,  2]
 *   json_each of it                             ->  (b,1) (a,[1,  2]) (b,3)
 *
 * The text is walked once with the type system's JSON lexer into a tree of source spans.
 */
import { SqlError, SqlState } from "@tessera/base";
import { JsonLexer, Token } from "../types/json-lex.js";
import { escapeJson } from "../types/jsonb.js";
import type { PgArray, Value } from "../types/value.js";
import type { OperatorDef, ScalarFunction, SetReturningFunction } from "./defs.js";
import { fn, op, srf, str } from "./builders.js";
import { T } from "./type-oids.js";

type Node =
  | { readonly kind: "object"; readonly raw: string; readonly members: [string, Node][] }
  | { readonly kind: "array"; readonly raw: string; readonly items: Node[] }
  | { readonly kind: "scalar"; readonly raw: string; readonly token: Token;
    readonly text: string };

/** Parses validated json text into source spans. */
export function parseJsonSpans(input: string): Node {
  const lexer = new JsonLexer(input, true);
  lexer.next();
  return node(lexer);
}

function node(lexer: JsonLexer): Node {
  const start = lexer.start;
  const input = lexer.input;
  if (lexer.token === Token.ObjectStart) {
    const members: [string, Node][] = [];
    for (let t = lexer.next(); t !== Token.ObjectEnd; t = lexer.next()) {
      if (t === Token.Comma) continue;
      const key = lexer.text;
      lexer.next();
      lexer.next();
      members.push([key, node(lexer)]);
    }
    return { kind: "object", raw: input.slice(start, lexer.end), members };
  }
  if (lexer.token === Token.ArrayStart) {
    const items: Node[] = [];
    for (let t = lexer.next(); t !== Token.ArrayEnd; t = lexer.next()) {
      if (t === Token.Comma) continue;
      items.push(node(lexer));
    }
    return { kind: "array", raw: input.slice(start, lexer.end), items };
  }
  return { kind: "scalar", raw: lexer.tokenText(), token: lexer.token, text: lexer.text };
}

const J = (v: Value | undefined): Node => parseJsonSpans(str(v ?? "null"));

function field(n: Node | undefined, key: string): Node | undefined {
  if (n?.kind !== "object") return undefined;
  let found: Node | undefined;
  for (const [k, v] of n.members) if (k === key) found = v;
  return found;
}

function element(n: Node | undefined, index: number): Node | undefined {
  if (n?.kind !== "array") return undefined;
  return n.items[index < 0 ? n.items.length + index : index];
}

function path(n: Node, keys: PgArray): Node | undefined {
  let current: Node | undefined = n;
  for (const key of keys.items) {
    if (current === undefined || key === null) return undefined;
    const k = str(key);
    current = current.kind === "array"
      ? (/^-?\d+$/.test(k) ? element(current, Number(k)) : undefined)
      : field(current, k);
  }
  return current;
}

const raw = (n: Node | undefined): Value => (n === undefined ? null : n.raw);

/** The text ->> gives: a string unescaped, JSON null as SQL null, anything else as written. */
function text(n: Node | undefined): Value {
  if (n === undefined) return null;
  if (n.kind !== "scalar") return n.raw;
  if (n.token === Token.Null) return null;
  return n.token === Token.String ? n.text : n.raw;
}

function typeOf(n: Node): string {
  if (n.kind !== "scalar") return n.kind;
  switch (n.token) {
    case Token.String: return "string";
    case Token.Number: return "number";
    case Token.Null: return "null";
    default: return "boolean";
  }
}

function fail(what: string, n: Node): never {
  const kind = n.kind === "object" ? "an object" : "a scalar";
  throw new SqlError(SqlState.invalidParameterValue, what.replace("%s", kind));
}

export function jsonOperators(): OperatorDef[] {
  return [
    op("->", T.json, T.text, T.json, (l, r) => raw(field(J(l), str(r)))),
    op("->", T.json, T.int4, T.json, (l, r) => raw(element(J(l), r as number))),
    op("->>", T.json, T.text, T.text, (l, r) => text(field(J(l), str(r)))),
    op("->>", T.json, T.int4, T.text, (l, r) => text(element(J(l), r as number))),
    op("#>", T.json, T.textArray, T.json, (l, r) => raw(path(J(l), r as PgArray))),
    op("#>>", T.json, T.textArray, T.text, (l, r) => text(path(J(l), r as PgArray))),
  ];
}

export function jsonFunctions(): (ScalarFunction | SetReturningFunction)[] {
  const each = (v: Value | undefined, keysOnly: boolean): [string, Node][] => {
    const n = J(v);
    if (n.kind === "object") return n.members;
    const kind = n.kind === "array" ? "an array" : "a scalar";
    throw new SqlError(SqlState.invalidParameterValue, keysOnly
      ? `cannot call json_object_keys on ${kind}`
      : n.kind === "array" ? "cannot deconstruct an array as an object"
        : "cannot deconstruct a scalar");
  };
  const items = (v: Value | undefined, what: string): Node[] => {
    const n = J(v);
    if (n.kind !== "array") {
      throw new SqlError(SqlState.invalidParameterValue,
        `cannot ${what} ${n.kind === "object" ? "an object" : "a scalar"}`);
    }
    return n.items;
  };
  const kv = [{ name: "key", type: T.text }];
  return [
    fn("json_typeof", [T.json], T.text, (a) => typeOf(J(a[0]))),
    fn("json_array_length", [T.json], T.int4, (a) => {
      const n = J(a[0]);
      if (n.kind !== "array") fail("cannot get array length of %s", n);
      return n.items.length;
    }),
    fn("json_extract_path", [T.json, T.textArray], T.json,
      (a) => raw(path(J(a[0]), a[1] as PgArray)), { variadic: T.text }),
    fn("json_extract_path_text", [T.json, T.textArray], T.text,
      (a) => text(path(J(a[0]), a[1] as PgArray)), { variadic: T.text }),
    fn("json_strip_nulls", [T.json], T.json, (a) => stripNulls(J(a[0]))),
    srf("json_each", [T.json], T.record, (a) => each(a[0], false).map(([k, v]) =>
      [k, v.raw]), { outColumns: [...kv, { name: "value", type: T.json }] }),
    srf("json_each_text", [T.json], T.record, (a) => each(a[0], false).map(([k, v]) =>
      [k, text(v)]), { outColumns: [...kv, { name: "value", type: T.text }] }),
    srf("json_array_elements", [T.json], T.json,
      (a) => items(a[0], "extract elements from").map((n) => n.raw),
      { outColumns: [{ name: "value", type: T.json }] }),
    srf("json_array_elements_text", [T.json], T.text,
      (a) => items(a[0], "extract elements from").map(text),
      { outColumns: [{ name: "value", type: T.text }] }),
    srf("json_object_keys", [T.json], T.text, (a) => each(a[0], true)
      .map(([k]) => k)),
  ];
}

/** json_strip_nulls: drops object fields whose value is null and prints compactly. */
function stripNulls(n: Node): string {
  if (n.kind === "object") {
    const kept = n.members.filter(([, v]) => !(v.kind === "scalar" && v.token === Token.Null));
    return `{${kept.map(([k, v]) => `${escapeJson(k)}:${stripNulls(v)}`).join(",")}}`;
  }
  if (n.kind === "array") return `[${n.items.map(stripNulls).join(",")}]`;
  return n.token === Token.String ? escapeJson(n.text) : n.raw;
}
