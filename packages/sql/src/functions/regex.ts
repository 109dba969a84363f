/**
 * PostgreSQL's advanced regular expressions (AREs) translated to JavaScript RegExps, and the
 * flag strings the regexp_* functions accept.
 *
 * The translation walks the pattern once. What differs between the dialects:
 *   ARE                      JavaScript (with the u and s flags)
 *   \m  \M  (word start/end)  \b(?=\w)  \b(?<=\w)
 *   \y  \Y  (word boundary)   \b  \B
 *   \A  \Z                    ^  $  (no m flag, so they anchor the whole string)
 *   \b  \a  \e                \x08  \x07  \x1B   (ARE's \b is a backspace)
 *   [[:alpha:]] [[:<:]]       [a-zA-Z] inside brackets; \b(?=\w) as a whole bracket
 *   \. \% (any non-alnum)     the literal character, escaped only if JavaScript needs it
 *   .  (matches newline)      .  with the s flag, or [^\n] under flags n and p
 *   (?i) leading options      flags
 * A pattern JavaScript still rejects raises 2201B, as PostgreSQL's own parse errors do.
 */
import { SqlError, SqlState } from "@tessera/base";

export interface RegexOptions {
  caseless: boolean;
  global: boolean;
  /** `.` and negated brackets skip newlines (flags n, m, p). */
  newlineDot: boolean;
  /** ^ and $ match at line starts and ends too (flags n, m, w). */
  newlineAnchor: boolean;
  expanded: boolean;
  literal: boolean;
}

/** Parses a regexp_* flags argument as PostgreSQL's parse_re_flags. */
export function parseFlags(flags: string, base: Partial<RegexOptions> = {}): RegexOptions {
  const o: RegexOptions = {
    caseless: false,
    global: false,
    newlineDot: false,
    newlineAnchor: false,
    expanded: false,
    literal: false,
    ...base,
  };
  for (const f of flags) {
    switch (f) {
      case "g":
        o.global = true;
        break;
      case "i":
        o.caseless = true;
        break;
      case "c":
        o.caseless = false;
        break;
      case "n":
      case "m":
        o.newlineDot = o.newlineAnchor = true;
        break;
      case "s":
        o.newlineDot = o.newlineAnchor = false;
        break;
      case "p":
        o.newlineDot = true;
        o.newlineAnchor = false;
        break;
      case "w":
        o.newlineDot = false;
        o.newlineAnchor = true;
        break;
      case "x":
        o.expanded = true;
        break;
      case "q":
        o.literal = true;
        break;
      case "t":
        o.expanded = false;
        break;
      case "b":
        // Basic REs (\( \) groups, literal + ? |) would need a translation of their own.
        throw new SqlError(SqlState.featureNotSupported,
          "basic regular expressions (option \"b\") are not supported");
      case "e":
        break;
      default:
        throw new SqlError(
          SqlState.invalidParameterValue,
          `invalid regular expression option: "${f}"`,
        );
    }
  }
  return o;
}

const cache = new Map<string, RegExp>();
const cacheSizeMax = 1000;

/** Returns a compiled JavaScript RegExp for an ARE; `global` adds the g flag for iteration. */
export function compileRegex(pattern: string, options: RegexOptions): RegExp {
  const o = options;
  const key = `${o.caseless ? "i" : ""}${o.newlineDot ? "n" : ""}${o.newlineAnchor ? "a" : ""}` +
    `${o.expanded ? "x" : ""}${o.literal ? "q" : ""}/${pattern}`;
  let re = cache.get(key);
  if (re === undefined) {
    re = translate(pattern, { ...options });
    if (cache.size >= cacheSizeMax) cache.clear();
    cache.set(key, re);
  }
  return new RegExp(re.source, re.flags);
}

function translate(pattern: string, o: RegexOptions): RegExp {
  let p = pattern;
  if (p.startsWith("***=")) {
    o.literal = true;
    p = p.slice(4);
  } else if (p.startsWith("***:")) {
    p = p.slice(4);
  }
  const embedded = o.literal ? null : /^\(\?([a-zA-Z]+)\)/.exec(p);
  if (embedded !== null) {
    const letters = embedded[1] ?? "";
    if (!/^[bceimnpqstwx]*$/.test(letters)) invalidRegex("invalid embedded option");
    Object.assign(o, parseFlags(letters, o));
    p = p.slice(embedded[0].length);
  }
  const fold = (ch: string): string => (o.caseless ? foldCase(ch) : ch);
  const source = o.literal ? Array.from(p).map((ch) => fold(literal(ch))).join("")
    : translateBody(p, o);
  // No i flag: PostgreSQL under the C locale folds ASCII letters only, so they are spelled
  // out in both cases ('É' ~* 'é' is false).
  // A backreference must match its group's text in either case, which only the i flag does.
  const caselessBackref = o.caseless && /(?:^|[^\\])(?:\\\\)*\\[1-9]/.test(source);
  const flags = "gu" + (o.newlineAnchor ? "m" : "") + "s" + (caselessBackref ? "i" : "");
  try {
    return new RegExp(source, flags);
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    throw new SqlError(SqlState.invalidRegularExpression,
      `invalid regular expression: ${postgresReason(message)}`);
  }
}

/**
 * PostgreSQL's wording (Spencer's regex library, regerror) for what the JavaScript engine
 * reports about a translated pattern; other reasons keep the engine's text after its
 * "/source/flags: " prefix.
 */
const regexReasons: readonly (readonly [RegExp, string])[] = [
  [/Unterminated group|Unmatched '\)'/, "parentheses () not balanced"],
  [/Unterminated character class/, "brackets [] not balanced"],
  [/Nothing to repeat/, "quantifier operand invalid"],
  [/numbers out of order|Incomplete quantifier/, "invalid repetition count(s)"],
  [/Invalid escape|\\ at end of pattern/, "invalid escape \\ sequence"],
];

function postgresReason(message: string): string {
  for (const [pattern, reason] of regexReasons) if (pattern.test(message)) return reason;
  return message.replace(/^Invalid regular expression: (\/.*\/[a-z]*: )?/, "");
}

function literal(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? "\\" + ch : ch;
}

const escapes: Record<string, string> = {
  m: "\\b(?=\\w)",
  M: "\\b(?<=\\w)",
  y: "\\b",
  Y: "\\B",
  A: "^",
  Z: "$(?![\\s\\S])",
  // Under the C locale only the six ASCII white-space characters are \s (JavaScript's \s
  // also takes U+00A0 and the other Unicode spaces).
  s: "[ \\t\\n\\r\\f\\v]",
  S: "[^ \\t\\n\\r\\f\\v]",
  b: "\\x08",
  a: "\\x07",
  e: "\\x1B",
};

function translateBody(p: string, o: RegexOptions): string {
  const cs = Array.from(p);
  let out = "";
  let groups = 0;
  for (let i = 0; i < cs.length; i++) {
    const ch = cs[i] ?? "";
    if (o.expanded && /\s/.test(ch)) continue;
    if (o.expanded && ch === "#") {
      while (i < cs.length && cs[i] !== "\n") i++;
      continue;
    }
    if (ch === "\\") {
      const next = cs[++i] ?? "";
      if (next === "") {
        throw new SqlError(
          SqlState.invalidRegularExpression,
          "invalid regular expression: invalid escape \\ sequence",
        );
      }
      if (/[1-9]/.test(next) && !/[0-9]/.test(cs[i + 1] ?? "") && Number(next) > groups) {
        invalidRegex("invalid backreference number");
      }
      out += /[A-Za-z0-9]/.test(next) ? (escapes[next] ?? "\\" + next) : literal(next);
    } else if (ch === "[") {
      const [text, end] = bracket(cs, i, o);
      out += text;
      i = end;
    } else if (ch === "." && o.newlineDot) {
      out += "[^\\n]";
    } else if (ch === "(" && cs[i + 1] !== "?") {
      groups++;
      out += ch;
    } else if (ch === "(" && cs[i + 1] === "?") {
      const [text, end] = groupOpening(cs, i);
      out += text;
      i = end;
    } else if (ch === "{") {
      const [text, end] = bound(cs, i);
      out += text;
      i = end;
    } else {
      out += ch === "}" ? "\\}" : o.caseless ? foldCase(ch) : ch;
    }
  }
  return out;
}

const otherCase = (ch: string): string =>
  /^[a-z]$/.test(ch) ? ch.toUpperCase() : /^[A-Z]$/.test(ch) ? ch.toLowerCase() : "";

/** An ASCII letter as a bracket of both its cases; any other character as it is. */
function foldCase(ch: string): string {
  const other = otherCase(ch);
  return other === "" ? ch : `[${ch}${other}]`;
}

/** The other-case counterparts of the ASCII letters in the range lo-hi, as bracket ranges. */
function foldRange(lo: string, hi: string): string {
  const from = lo.codePointAt(0) ?? 0;
  const to = hi.codePointAt(0) ?? 0;
  let out = "";
  for (const [first, last, shift] of [[97, 122, -32], [65, 90, 32]] as const) {
    const a = Math.max(from, first);
    const b = Math.min(to, last);
    if (a <= b) out += `${String.fromCharCode(a + shift)}-${String.fromCharCode(b + shift)}`;
  }
  return out;
}

function invalidRegex(reason: string): never {
  throw new SqlError(SqlState.invalidRegularExpression, `invalid regular expression: ${reason}`);
}

/**
 * `(?` at `cs[start]`: the lookaround and non-capturing groups ARE shares with JavaScript, or
 * a `(?#...)` comment, which is dropped. Anything else is PostgreSQL's error (embedded
 * options are taken off the front before the body is translated).
 */
function groupOpening(cs: string[], start: number): [string, number] {
  const next = cs[start + 2] ?? "";
  if (next === ":" || next === "=" || next === "!") return [`(?${next}`, start + 2];
  if (next === "<" && (cs[start + 3] === "=" || cs[start + 3] === "!")) {
    return [`(?<${cs[start + 3]}`, start + 3];
  }
  if (next === "#") {
    const close = cs.indexOf(")", start);
    if (close < 0) invalidRegex("parentheses () not balanced");
    return ["", close];
  }
  if (start === 0 && /[a-zA-Z]/.test(next)) invalidRegex("invalid embedded option");
  return invalidRegex("quantifier operand invalid");
}

/** The largest repetition count PostgreSQL's regex library allows (DUPMAX). */
const dupMax = 255;

/**
 * `{` at `cs[start]`: a bound `{m}`, `{m,}` or `{m,n}` (each count at most 255), or, when no
 * digit follows, a literal brace as in ARE.
 */
function bound(cs: string[], start: number): [string, number] {
  if (!/[0-9]/.test(cs[start + 1] ?? "")) return ["\\{", start];
  let end = start + 1;
  while (end < cs.length && /[0-9,]/.test(cs[end] ?? "")) end++;
  const body = cs.slice(start + 1, end).join("");
  const m = /^(\d+)(,(\d*))?$/.exec(body);
  if (cs[end] !== "}" || m === null) return invalidRegex("invalid repetition count(s)");
  const low = Number(m[1]);
  const high = m[3] === undefined || m[3] === "" ? undefined : Number(m[3]);
  if (low > dupMax || (high !== undefined && (high > dupMax || high < low))) {
    invalidRegex("invalid repetition count(s)");
  }
  return [`{${body}}`, end];
}

const classes: Record<string, string> = {
  alpha: "a-zA-Z",
  digit: "0-9",
  alnum: "a-zA-Z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  xdigit: "0-9A-Fa-f",
  cntrl: "\\x00-\\x1f\\x7f",
  print: " -~",
  graph: "!-~",
  word: "\\w",
};

/** Translates the bracket expression starting at `cs[start]`; returns it and its last index. */
function bracket(cs: string[], start: number, o: RegexOptions): [string, number] {
  const rest = cs.slice(start, start + 7).join("");
  if (rest === "[[:<:]]") return ["\\b(?=\\w)", start + 6];
  if (rest === "[[:>:]]") return ["\\b(?<=\\w)", start + 6];
  let i = start + 1;
  let out = "[";
  if (cs[i] === "^") {
    out += "^" + (o.newlineDot ? "\\n" : "");
    i++;
  }
  if (cs[i] === "]") {
    out += "\\]";
    i++;
  }
  for (; i < cs.length && cs[i] !== "]"; i++) {
    const ch = cs[i] ?? "";
    if (ch === "[" && (cs[i + 1] === ":" || cs[i + 1] === "." || cs[i + 1] === "=")) {
      const kind = cs[i + 1];
      const close = cs.join("").indexOf(`${kind}]`, 0);
      const end = findClose(cs, i + 2, `${kind}]`);
      if (end < 0 || close < 0) break;
      const name = cs.slice(i + 2, end).join("");
      const cased = o.caseless && (name === "upper" || name === "lower");
      out +=
        kind === ":"
          ? (cased ? "a-zA-Z" : classes[name] ?? invalidClass(name))
          : Array.from(collatingElement(name)).map(literal).join("");
      i = end + 1;
    } else if (ch === "\\") {
      const next = cs[++i] ?? "";
      out += next === "s" ? " \\t\\n\\r\\f\\v"
        : /[dwDSWntrfv]/.test(next) ? "\\" + next : literal(next);
    } else if (o.caseless && cs[i + 1] === "-" && cs[i + 2] !== undefined && cs[i + 2] !== "]"
      && cs[i + 2] !== "\\" && cs[i + 2] !== "[") {
      out += `${ch === "[" ? "\\[" : ch}-${cs[i + 2]}${foldRange(ch, cs[i + 2] ?? "")}`;
      i += 2;
    } else {
      out += (ch === "[" ? "\\[" : ch) + (o.caseless ? otherCase(ch) : "");
    }
  }
  if (i >= cs.length) {
    throw new SqlError(
      SqlState.invalidRegularExpression,
      "invalid regular expression: brackets [] not balanced",
    );
  }
  return [out + "]", i];
}

function findClose(cs: string[], from: number, close: string): number {
  for (let i = from; i + 1 < cs.length; i++) {
    if (cs[i] === close[0] && cs[i + 1] === close[1]) return i;
  }
  return -1;
}

function invalidClass(name: string): string {
  throw new SqlError(
    SqlState.invalidRegularExpression,
    `invalid regular expression: invalid character class${name === "" ? "" : ""}`,
  );
}

/**
 * The character a `[.name.]` collating element or `[=name=]` class names: one character as
 * itself, or one of the POSIX names of ASCII characters (regc_locale.c's table, in part).
 */
function collatingElement(name: string): string {
  if (Array.from(name).length === 1) return name;
  const ch = collatingNames[name];
  if (ch === undefined) invalidRegex("invalid collating element");
  return ch;
}

const collatingNames: Readonly<Record<string, string>> = {
  NUL: "\0", tab: "\t", newline: "\n", "vertical-tab": "\v", "form-feed": "\f",
  "carriage-return": "\r", space: " ", "exclamation-mark": "!", "quotation-mark": "\"",
  "number-sign": "#", "dollar-sign": "$", "percent-sign": "%", ampersand: "&",
  apostrophe: "'", "left-parenthesis": "(", "right-parenthesis": ")", asterisk: "*",
  "plus-sign": "+", comma: ",", hyphen: "-", "hyphen-minus": "-", period: ".",
  "full-stop": ".", slash: "/", solidus: "/", zero: "0", one: "1", two: "2", three: "3",
  four: "4", five: "5", six: "6", seven: "7", eight: "8", nine: "9", colon: ":",
  semicolon: ";", "less-than-sign": "<", "equals-sign": "=", "greater-than-sign": ">",
  "question-mark": "?", "commercial-at": "@", "left-square-bracket": "[", backslash: "\\",
  "reverse-solidus": "\\", "right-square-bracket": "]", circumflex: "^",
  "circumflex-accent": "^", underscore: "_", "low-line": "_", "grave-accent": "`",
  "left-brace": "{", "left-curly-bracket": "{", "vertical-line": "|", "right-brace": "}",
  "right-curly-bracket": "}", tilde: "~", DEL: "\x7f",
};
