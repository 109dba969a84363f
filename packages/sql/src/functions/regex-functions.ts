/**
 * The POSIX regular expression operators (~ ~* !~ !~*) and functions (regexp_match,
 * regexp_matches, regexp_replace, regexp_split_to_array/table, regexp_like,
 * substring(text from pattern)), over the ARE translation in regex.ts; regexp_count,
 * regexp_instr and regexp_substr are in regex-position.ts.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "../types/value.js";
import type { OperatorDef, ScalarFunction, SetReturningFunction } from "./defs.js";
import { fn, op, srf, str } from "./builders.js";
import { makeArray } from "./array-util.js";
import { compileRegex, parseFlags, type RegexOptions } from "./regex.js";
import { execRegex } from "./regex-extent.js";
import { T } from "./type-oids.js";

function test(s: string, pattern: string, caseless: boolean): boolean {
  return compileRegex(pattern, parseFlags(caseless ? "i" : "")).test(s);
}

export function regexOperators(): OperatorDef[] {
  const variants: readonly [string, boolean, boolean, string][] = [
    ["~", false, false, "!~"],
    ["!~", false, true, "~"],
    ["~*", true, false, "!~*"],
    ["!~*", true, true, "~*"],
  ];
  return [T.text, T.bpchar, T.name].flatMap((left) =>
    variants.map(([name, ci, neg, negator]) =>
      op(name, left, T.text, T.bool, (l, r) => test(str(l), str(r), ci) !== neg, { negator }),
    ),
  );
}

const s = (a: Value[], i: number): string => str(a[i] ?? "");

export function regexFunctions(): (ScalarFunction | SetReturningFunction)[] {
  const withFlags = (n: number): number[][] => [Array(n).fill(T.text), Array(n + 1).fill(T.text)];
  return [
    ...withFlags(2).map((args) =>
      fn("regexp_match", args, T.textArray, (a) => regexpMatch(s(a, 0), s(a, 1), s(a, 2))),
    ),
    ...withFlags(2).map((args) =>
      srf("regexp_matches", args, T.textArray, (a) => regexpMatches(s(a, 0), s(a, 1), s(a, 2))),
    ),
    ...withFlags(3).map((args) =>
      fn("regexp_replace", args, T.text, (a) => regexpReplace(s(a, 0), s(a, 1), s(a, 2), s(a, 3))),
    ),
    ...[[T.int4], [T.int4, T.int4], [T.int4, T.int4, T.text]].map((rest) =>
      fn("regexp_replace", [T.text, T.text, T.text, ...rest], T.text, (a) =>
        regexpReplace(s(a, 0), s(a, 1), s(a, 2), s(a, 5), {
          start: a[3] as number,
          // Without N only the first match is replaced.
          n: a[4] === undefined ? 1 : (a[4] as number),
        }),
      ),
    ),
    ...withFlags(2).map((args) =>
      fn("regexp_split_to_array", args, T.textArray, (a) =>
        makeArray(T.text, split(s(a, 0), s(a, 1), s(a, 2), "regexp_split_to_array()")),
      ),
    ),
    ...withFlags(2).map((args) =>
      srf("regexp_split_to_table", args, T.text, (a) => split(s(a, 0), s(a, 1), s(a, 2))),
    ),
    ...withFlags(2).map((args) =>
      fn("regexp_like", args, T.bool, (a) =>
        regexp(s(a, 1), s(a, 2), "regexp_like()").test(s(a, 0)),
      ),
    ),
    fn("substring", [T.text, T.text], T.text, (a) => regexSubstring(s(a, 0), s(a, 1))),
    fn("textregexeq", [T.text, T.text], T.bool, (a) => test(s(a, 0), s(a, 1), false)),
    fn("textregexne", [T.text, T.text], T.bool, (a) => !test(s(a, 0), s(a, 1), false)),
    fn("texticregexeq", [T.text, T.text], T.bool, (a) => test(s(a, 0), s(a, 1), true)),
    fn("texticregexne", [T.text, T.text], T.bool, (a) => !test(s(a, 0), s(a, 1), true)),
  ];
}

export function regexp(pattern: string, flags: string, noGlobalIn?: string): RegExp {
  const o: RegexOptions = parseFlags(flags);
  if (o.global && noGlobalIn !== undefined) {
    throw new SqlError(
      SqlState.invalidParameterValue,
      `${noGlobalIn} does not support the "global" option`,
      noGlobalIn === "regexp_match()" ? { hint: "Use the regexp_matches function instead." } : {},
    );
  }
  return compileRegex(pattern, o);
}

function captures(m: RegExpExecArray): Value {
  const groups = m.length > 1 ? m.slice(1).map((g) => g ?? null) : [m[0]];
  return makeArray(T.text, groups);
}

function regexpMatch(text: string, pattern: string, flags: string): Value {
  const m = execRegex(regexp(pattern, flags, "regexp_match()"), text);
  return m === null ? null : captures(m);
}

function* regexpMatches(text: string, pattern: string, flags: string): Iterable<Value> {
  for (const m of matchAll(text, pattern, flags)) yield captures(m);
}

/** Returns the matches PostgreSQL reports: all with g, else the first; empty ones advance. */
function matchAll(text: string, pattern: string, flags: string): RegExpExecArray[] {
  const global = parseFlags(flags).global;
  const re = regexp(pattern, flags);
  const found: RegExpExecArray[] = [];
  let m: RegExpExecArray | null;
  while ((m = execRegex(re, text)) !== null) {
    found.push(m);
    if (!global) break;
    if (m[0] === "") re.lastIndex = advance(text, re.lastIndex);
  }
  return found;
}

export function advance(text: string, index: number): number {
  const c = text.codePointAt(index) ?? 0;
  return index + (c > 0xffff ? 2 : 1);
}

/**
 * regexp_replace: from character `start` (1-based), replaces the `n`th match (0: every match);
 * the g flag means n = 0 when `n` is not given.
 */
function regexpReplace(
  text: string,
  pattern: string,
  replacement: string,
  flags: string,
  position?: { start: number; n: number },
): string {
  const start = position?.start ?? 1;
  if (start <= 0) invalidParameter("start", start);
  if (position !== undefined && position.n < 0) invalidParameter("n", position.n);
  // An explicit N wins over the g flag.
  const n = position?.n ?? (parseFlags(flags).global ? 0 : 1);
  const re = regexp(pattern, flags);
  re.lastIndex = characterIndex(text, start - 1);
  if (re.lastIndex > text.length) return text;
  let out = "";
  let last = 0;
  let seen = 0;
  let m: RegExpExecArray | null;
  while ((m = execRegex(re, text)) !== null) {
    seen++;
    if (n === 0 || seen === n) {
      out += text.slice(last, m.index) + expand(replacement, m);
      last = m.index + m[0].length;
      if (n !== 0) break;
    }
    if (m[0] === "") re.lastIndex = advance(text, re.lastIndex);
    if (re.lastIndex > text.length) break;
  }
  return out + text.slice(last);
}

export function invalidParameter(name: string, value: number): never {
  throw new SqlError(SqlState.invalidParameterValue,
    `invalid value for parameter "${name}": ${value}`);
}

/** Returns where character `characters` begins, or past the end when the text is shorter. */
export function characterIndex(text: string, characters: number): number {
  let index = 0;
  for (let i = 0; i < characters; i++) {
    if (index >= text.length) return text.length + 1;
    index = advance(text, index);
  }
  return index;
}

/**
 * Expands a replacement string: \1..\9 a group (empty when the pattern has fewer), \& the
 * whole match, \\ a backslash; any other backslash stays as written.
 */
function expand(replacement: string, m: RegExpExecArray): string {
  return replacement.replace(/\\([1-9&\\])/g, (_all, c: string) => {
    if (c === "\\") return "\\";
    if (c === "&") return m[0];
    return m[Number(c)] ?? "";
  });
}

/** Splits as PostgreSQL: empty matches at the start, end, or right after a match are skipped. */
function split(
  text: string,
  pattern: string,
  flags: string,
  caller = "regexp_split_to_table()",
): string[] {
  const re = regexp(pattern, flags, caller);
  const pieces: string[] = [];
  let prevEnd = 0;
  let searchFrom = 0;
  while (searchFrom <= text.length) {
    re.lastIndex = searchFrom;
    const m = execRegex(re, text);
    if (m === null) break;
    const end = m.index + m[0].length;
    if (m.index < text.length && end > prevEnd) {
      pieces.push(text.slice(prevEnd, m.index));
      prevEnd = end;
    }
    searchFrom = m[0] === "" ? advance(text, end) : end;
  }
  pieces.push(text.slice(prevEnd));
  return pieces;
}

function regexSubstring(text: string, pattern: string): Value {
  const m = execRegex(compileRegex(pattern, parseFlags("")), text);
  if (m === null) return null;
  return m.length > 1 ? (m[1] ?? null) : m[0];
}
