/**
 * SIMILAR TO: the grammar turns `a SIMILAR TO p [ESCAPE e]` into
 * `a ~ similar_to_escape(p [, e])`, and similar_to_escape rewrites the SQL pattern as an
 * anchored POSIX regular expression (PostgreSQL's similar_escape_internal):
 *
 *   'a(b|c)c'  -> ^(?:a(?:b|c)c)$        'a%' -> ^(?:a.*)$        'a_.'  -> ^(?:a.\.)$
 *
 * `%` and `_` are the wildcards, `[...]` passes through, the escape character (default
 * backslash) makes the next character literal, and escape-double-quote marks the part
 * substring(... similar ...) returns.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "../types/value.js";
import type { ScalarFunction } from "./defs.js";
import { fn, str } from "./builders.js";
import { T } from "./type-oids.js";
import { compileRegex, parseFlags } from "./regex.js";
import { execRegex } from "./regex-extent.js";

export function similarFunctions(): ScalarFunction[] {
  return [
    fn("similar_to_escape", [T.text], T.text, (a) => similarToRegex(str(a[0] ?? ""), "\\")),
    fn("similar_to_escape", [T.text, T.text], T.text,
      (a) => similarToRegex(str(a[0] ?? ""), str(a[1] ?? ""))),
    // substring(x SIMILAR p ESCAPE e) and substring(x FROM p FOR e)
    fn("substring", [T.text, T.text, T.text], T.text,
      (a) => similarSubstring(str(a[0] ?? ""), str(a[1] ?? ""), str(a[2] ?? ""))),
  ];
}

/**
 * The part of `text` between the pattern's escape-double-quotes (all of it without them),
 * or null when the pattern does not match the whole text. The part before the first
 * separator matches as little as it can: PostgreSQL marks it non-greedy (`{1,1}?`), which
 * in its regex engine makes the quantifiers inside lazy too; JavaScript needs them marked.
 */
function similarSubstring(text: string, pattern: string, escape: string): Value {
  const re = compileRegex(similarToRegex(pattern, escape, true), parseFlags(""));
  const m = execRegex(re, text);
  if (m === null) return null;
  return m.length > 1 ? (m[1] ?? null) : m[0];
}

/**
 * Rewrites a SIMILAR TO pattern as a POSIX regular expression; `lazyLead` writes the lead
 * part's wildcards lazily, for a JavaScript RegExp (substring's own use).
 */
export function similarToRegex(pattern: string, escape: string, lazyLead = false): string {
  const chars = Array.from(escape);
  if (chars.length > 1) {
    throw new SqlError(SqlState.invalidEscapeSequence, "invalid escape string",
      { hint: "Escape string must be empty or one character." });
  }
  const e = chars[0];
  let out = "^(?:";
  let afterEscape = false;
  let inClass = false;
  let quotes = 0;
  for (const c of pattern) {
    if (afterEscape) {
      if (c === "\"" && !inClass) {
        out += separator(quotes++);
      } else {
        out += `\\${c}`;
      }
      afterEscape = false;
    } else if (e !== undefined && c === e) {
      afterEscape = true;
    } else if (inClass) {
      out += c === "\\" ? "\\\\" : c;
      if (c === "]") inClass = false;
    } else {
      const lazy = lazyLead && quotes === 0 && "%*+?}".includes(c);
      out += plain(c) + (lazy ? "?" : "");
      if (c === "[") inClass = true;
    }
  }
  return `${out})$`;
}

function plain(c: string): string {
  switch (c) {
    case "%": return ".*";
    case "_": return ".";
    case "(": return "(?:";
    case "\\": case ".": case "^": case "$": return `\\${c}`;
    default: return c;
  }
}

/** The part separators an escape-double-quote becomes; a third is an error. */
function separator(index: number): string {
  if (index === 0) return "){1,1}?(";
  if (index === 1) return "){1,1}(?:";
  throw new SqlError("2200C",
    "SQL regular expression may not contain more than two escape-double-quote separators");
}
