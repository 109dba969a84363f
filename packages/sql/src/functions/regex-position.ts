/**
 * The position-based regular expression functions PostgreSQL 15 added: regexp_count,
 * regexp_instr and regexp_substr. Each searches from character `start` (1-based) and counts
 * non-overlapping matches; `n` picks one, `subexpr` a parenthesized group of it:
 *
 *   regexp_instr('abcabc', 'c', 1, 2)      -> 6      regexp_substr('abc123', '\d+') -> 123
 *   regexp_count('abcabc', 'b')            -> 2      regexp_instr('ab', 'b', 1, 1, 1) -> 3
 *
 * Positions are in characters, not UTF-16 code units.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "../types/value.js";
import type { ScalarFunction } from "./defs.js";
import { fn, num, str } from "./builders.js";
import { advance, regexp } from "./regex-functions.js";
import { execRegex } from "./regex-extent.js";
import { T } from "./type-oids.js";

interface Search {
  readonly text: string;
  readonly pattern: string;
  readonly start: number;
  readonly flags: string;
  readonly caller: string;
}

export function regexPositionFunctions(): ScalarFunction[] {
  const text = (a: Value[], i: number, fallback: string): string =>
    a[i] === undefined ? fallback : str(a[i] ?? "");
  const int = (a: Value[], i: number, fallback: number): number =>
    a[i] === undefined ? fallback : num(a[i] ?? 0);
  const search = (a: Value[], caller: string, flagsAt: number): Search => ({
    text: str(a[0] ?? ""), pattern: str(a[1] ?? ""), start: int(a, 2, 1),
    flags: text(a, flagsAt, ""), caller });
  const count = (a: Value[]): number => matches(search(a, "regexp_count()", 3), Infinity).length;
  const instr = (a: Value[]): number =>
    instrOf(search(a, "regexp_instr()", 5), int(a, 3, 1), int(a, 4, 0), int(a, 6, 0));
  const substr = (a: Value[]): Value =>
    substrOf(search(a, "regexp_substr()", 4), int(a, 3, 1), int(a, 5, 0));
  const t = T.text;
  const i = T.int4;
  return [
    fn("regexp_count", [t, t], i, count),
    fn("regexp_count", [t, t, i], i, count),
    fn("regexp_count", [t, t, i, t], i, count),
    ...[[t, t], [t, t, i], [t, t, i, i], [t, t, i, i, i], [t, t, i, i, i, t],
      [t, t, i, i, i, t, i]].map((args) => fn("regexp_instr", args, i, instr)),
    ...[[t, t], [t, t, i], [t, t, i, i], [t, t, i, i, t], [t, t, i, i, t, i]]
      .map((args) => fn("regexp_substr", args, t, substr)),
  ];
}

function instrOf(s: Search, n: number, endOption: number, subexpr: number): number {
  positive("n", n);
  if (endOption !== 0 && endOption !== 1) invalid("endoption", endOption);
  if (subexpr < 0) invalid("subexpr", subexpr);
  const m = matches(s, n)[n - 1];
  if (m === undefined) return 0;
  const span = m.indices?.[subexpr];
  if (span === undefined) return 0;
  return characterCount(s.text, endOption === 1 ? span[1] : span[0]) + 1;
}

function substrOf(s: Search, n: number, subexpr: number): Value {
  positive("n", n);
  if (subexpr < 0) invalid("subexpr", subexpr);
  const m = matches(s, n)[n - 1];
  return m === undefined ? null : m[subexpr] ?? null;
}

/** Returns up to `limit` non-overlapping matches found from character `start` on. */
function matches(s: Search, limit: number): RegExpExecArray[] {
  positive("start", s.start);
  const compiled = regexp(s.pattern, s.flags, s.caller);
  const re = new RegExp(compiled.source, `${compiled.flags}d`);
  const found: RegExpExecArray[] = [];
  re.lastIndex = codeUnitIndex(s.text, s.start - 1);
  let m: RegExpExecArray | null;
  while (found.length < limit && re.lastIndex <= s.text.length
    && (m = execRegex(re, s.text)) !== null) {
    found.push(m);
    if (m[0] === "") re.lastIndex = advance(s.text, re.lastIndex);
  }
  return found;
}

/** Returns where character `characters` begins; past the end, an index no search reaches. */
function codeUnitIndex(text: string, characters: number): number {
  let index = 0;
  for (let i = 0; i < characters; i++) {
    if (index >= text.length) return text.length + 1;
    index = advance(text, index);
  }
  return index;
}

function characterCount(text: string, codeUnits: number): number {
  return Array.from(text.slice(0, codeUnits)).length;
}

function positive(name: string, value: number): void {
  if (value <= 0) invalid(name, value);
}

function invalid(name: string, value: number): never {
  throw new SqlError(SqlState.invalidParameterValue,
    `invalid value for parameter "${name}": ${value}`);
}
