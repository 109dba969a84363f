/**
 * LIKE and ILIKE (`~~`, `~~*`, `!~~`, `!~~*`; bytea has LIKE only) and like_escape, which
 * the analyzer calls for `x LIKE p ESCAPE e` (PostgreSQL parses that as
 * `x ~~ like_escape(p, e)`).
 *
 * A pattern compiles once to an anchored JavaScript RegExp: `%` becomes `[\s\S]*`, `_` one
 * code point, the escape character (backslash) makes the next character literal. ILIKE folds
 * ASCII letters only, as PostgreSQL does under the C locale.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "../types/value.js";
import type { OperatorDef, ScalarFunction } from "./defs.js";
import { fn, op, str } from "./builders.js";
import { asciiLower } from "./string.js";
import { T } from "./type-oids.js";

const cache = new Map<string, RegExp>();
const cacheSizeMax = 1000;

/** Returns true when `s` matches LIKE pattern `pattern` (backslash escapes). */
export function like(s: string, pattern: string, caseless: boolean): boolean {
  const key = (caseless ? "i" : "c") + pattern;
  let re = cache.get(key);
  if (re === undefined) {
    re = compileLike(caseless ? asciiLower(pattern) : pattern);
    if (cache.size >= cacheSizeMax) cache.clear();
    cache.set(key, re);
  }
  return re.test(caseless ? asciiLower(s) : s);
}

/**
 * The text_pattern_ops comparisons `~<~ ~<=~ ~>=~ ~>~`: byte-wise (UTF-8) order whatever the
 * collation; the bpchar ones ignore trailing spaces first.
 */
function patternOperators(): OperatorDef[] {
  const tests: readonly [string, (c: number) => boolean, string, string][] = [
    ["~<~", (c) => c < 0, "~>=~", "~>~"],
    ["~<=~", (c) => c <= 0, "~>~", "~>=~"],
    ["~>=~", (c) => c >= 0, "~<~", "~<=~"],
    ["~>~", (c) => c > 0, "~<=~", "~<~"],
  ];
  const unpad = (v: Value): string => str(v).replace(/ +$/, "");
  return tests.flatMap(([name, test, negator, commutator]) => [
    op(name, T.text, T.text, T.bool,
      (l: Value, r: Value) => test(Buffer.compare(Buffer.from(str(l)), Buffer.from(str(r)))),
      { negator, commutator }),
    op(name, T.bpchar, T.bpchar, T.bool,
      (l: Value, r: Value) =>
        test(Buffer.compare(Buffer.from(unpad(l)), Buffer.from(unpad(r)))),
      { negator, commutator }),
  ]);
}

/** One character per byte, so LIKE's `%`, `_` and `\` keep their byte values. */
const bytesAsText = (v: Value): string => Buffer.from(v as Uint8Array).toString("latin1");

/** bytealike: LIKE over bytes (no ILIKE exists for bytea). */
function byteLike(value: Value, pattern: Value): boolean {
  return like(bytesAsText(value), bytesAsText(pattern), false);
}

function compileLike(pattern: string): RegExp {
  let source = "";
  const cs = Array.from(pattern);
  for (let i = 0; i < cs.length; i++) {
    const ch = cs[i] ?? "";
    if (ch === "\\") {
      i++;
      if (i >= cs.length) {
        throw new SqlError(
          SqlState.invalidEscapeSequence,
          "LIKE pattern must not end with escape character",
        );
      }
      source += escapeRegex(cs[i] ?? "");
    } else if (ch === "%") {
      source += "[\\s\\S]*";
    } else if (ch === "_") {
      source += "[\\s\\S]";
    } else {
      source += escapeRegex(ch);
    }
  }
  return new RegExp(`^${source}$`, "u");
}

export function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? "\\" + ch : ch;
}

/** Rewrites a pattern with escape character `escape` into one with backslash escapes. */
export function likeEscape(pattern: string, escape: string): string {
  const cs = Array.from(escape);
  if (cs.length > 1) {
    throw new SqlError(SqlState.invalidEscapeSequence, "invalid escape string", {
      hint: "Escape string must be empty or one character.",
    });
  }
  const e = cs[0];
  let out = "";
  const ps = Array.from(pattern);
  for (let i = 0; i < ps.length; i++) {
    const ch = ps[i] ?? "";
    if (e !== undefined && ch === e) {
      i++;
      if (i >= ps.length) {
        throw new SqlError(
          SqlState.invalidEscapeSequence,
          "LIKE pattern must not end with escape character",
        );
      }
      out += "\\" + (ps[i] ?? "");
    } else if (ch === "\\") {
      out += "\\\\";
    } else {
      out += ch;
    }
  }
  return out;
}

/** Returns the LIKE family operators on text, bpchar and name. */
export function likeOperators(): OperatorDef[] {
  const ops: OperatorDef[] = [];
  const variants: readonly [string, boolean, boolean, string][] = [
    ["~~", false, false, "!~~"],
    ["!~~", false, true, "~~"],
    ["~~*", true, false, "!~~*"],
    ["!~~*", true, true, "~~*"],
  ];
  ops.push(...patternOperators());
  ops.push(op("~~", T.bytea, T.bytea, T.bool, (l: Value, r: Value) => byteLike(l, r),
    { negator: "!~~" }));
  ops.push(op("!~~", T.bytea, T.bytea, T.bool, (l: Value, r: Value) => !byteLike(l, r),
    { negator: "~~" }));
  for (const left of [T.text, T.bpchar, T.name]) {
    for (const [name, caseless, negate, negator] of variants) {
      ops.push(
        op(
          name,
          left,
          T.text,
          T.bool,
          (l: Value, r: Value) => like(str(l), str(r), caseless) !== negate,
          { negator },
        ),
      );
    }
  }
  return ops;
}

export function likeFunctions(): ScalarFunction[] {
  return [
    fn("like_escape", [T.text, T.text], T.text, (a) =>
      likeEscape(str(a[0] ?? ""), str(a[1] ?? "")),
    ),
    fn("like", [T.text, T.text], T.bool, (a) => like(str(a[0] ?? ""), str(a[1] ?? ""), false)),
    fn("notlike", [T.text, T.text], T.bool, (a) => !like(str(a[0] ?? ""), str(a[1] ?? ""), false)),
    fn("texticlike", [T.text, T.text], T.bool,
      (a) => like(str(a[0] ?? ""), str(a[1] ?? ""), true)),
    fn("texticnlike", [T.text, T.text], T.bool,
      (a) => !like(str(a[0] ?? ""), str(a[1] ?? ""), true)),
    fn("like", [T.bytea, T.bytea], T.bool, (a) => byteLike(a[0]!, a[1]!)),
    fn("notlike", [T.bytea, T.bytea], T.bool, (a) => !byteLike(a[0]!, a[1]!)),
    fn("like_escape", [T.bytea, T.bytea], T.bytea, (a) =>
      new Uint8Array(Buffer.from(likeEscape(bytesAsText(a[0]!), bytesAsText(a[1]!)), "latin1"))),
  ];
}
