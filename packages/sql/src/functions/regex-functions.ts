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
    ...withFlags(2).map((args) =>
      fn("regexp_split_to_array", args, T.textArray, (a) =>
        makeArray(T.text, split(s(a, 0), s(a, 1), s(a, 2))),
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
  ];
}

export function regexp(pattern: string, flags: string, noGlobalIn?: string): RegExp {
  const o: RegexOptions = parseFlags(flags);
  if (o.global && noGlobalIn !== undefined) {
    throw new SqlError(
      SqlState.invalidParameterValue,
      `${noGlobalIn} does not support the "global" option`,
      { hint: "Use the regexp_matches function instead." },
    );
  }
  return compileRegex(pattern, o);
}

function captures(m: RegExpExecArray): Value {
  const groups = m.length > 1 ? m.slice(1).map((g) => g ?? null) : [m[0]];
  return makeArray(T.text, groups);
}

function regexpMatch(text: string, pattern: string, flags: string): Value {
  const m = regexp(pattern, flags, "regexp_match()").exec(text);
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
  while ((m = re.exec(text)) !== null) {
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

function regexpReplace(text: string, pattern: string, replacement: string, flags: string): string {
  const o = parseFlags(flags);
  const re = regexp(pattern, flags);
  let out = "";
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    out += text.slice(last, m.index) + expand(replacement, m);
    last = m.index + m[0].length;
    if (!o.global) break;
    if (m[0] === "") re.lastIndex = advance(text, re.lastIndex);
  }
  return out + text.slice(last);
}

/** Expands \1..\9, \& and \\ in a replacement string. */
function expand(replacement: string, m: RegExpExecArray): string {
  return replacement.replace(/\\([0-9&\\])/g, (_all, c: string) => {
    if (c === "\\") return "\\";
    if (c === "&" || c === "0") return m[0];
    return m[Number(c)] ?? "";
  });
}

/** Splits as PostgreSQL: empty matches at the start, end, or right after a match are skipped. */
function split(text: string, pattern: string, flags: string): string[] {
  const re = regexp(pattern, flags, "regexp_split_to_table()");
  const pieces: string[] = [];
  let prevEnd = 0;
  let searchFrom = 0;
  while (searchFrom <= text.length) {
    re.lastIndex = searchFrom;
    const m = re.exec(text);
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
  const m = compileRegex(pattern, parseFlags("")).exec(text);
  if (m === null) return null;
  return m.length > 1 ? (m[1] ?? null) : m[0];
}
