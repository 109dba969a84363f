/**
 * ts_headline over json and jsonb: every string value (not keys) becomes its own headline,
 * the document keeping its shape (json is rewritten without whitespace).
 *
 *   ts_headline('{"a": "the fat cat"}'::json, 'fat') -> {"a":"the <b>fat</b> cat"}
 */
import { JsonLexer, Token } from "../../types/json-lex.js";
import { escapeJson, makeObject } from "../../types/jsonb.js";
import type { TsQuery } from "../../types/tsquery.js";
import type { Jsonb } from "../../types/value.js";
import { headline } from "./headline.js";

/**
 * A json document with each string value replaced by its headline, rebuilt without
 * whitespace as Postgres's transform_json_string_values writes it (keys re-escaped, numbers
 * and literals as written).
 */
export function jsonHeadline(config: number, json: string, query: TsQuery,
  options: string | null): string {
  const lexer = new JsonLexer(json, true);
  const tokens: { token: Token; raw: string; text: string }[] = [];
  for (let token = lexer.next(); token !== Token.End; token = lexer.next()) {
    tokens.push({ token, raw: lexer.tokenText(), text: lexer.text });
  }
  let out = "";
  tokens.forEach(({ token, raw, text }, i) => {
    if (token !== Token.String) out += raw;
    else if (tokens[i + 1]?.token === Token.Colon) out += escapeJson(text);
    else out += escapeJson(headline(config, text, query, options));
  });
  return out;
}

/** A jsonb document with each string value replaced by its headline. */
export function jsonbHeadline(config: number, value: Jsonb, query: TsQuery,
  options: string | null): Jsonb {
  if (typeof value === "string") return headline(config, value, query, options);
  if (Array.isArray(value)) {
    return (value as readonly Jsonb[]).map((item) => jsonbHeadline(config, item, query, options));
  }
  if (value !== null && typeof value === "object" && "kind" in value &&
    value.kind === "object") {
    return makeObject(value.entries.map(([key, member]): [string, Jsonb] =>
      [key, jsonbHeadline(config, member, query, options)]));
  }
  return value;
}
