/**
 * A small, strict lexer for the statement-shape cache (`statement-shape-cache.ts`): it finds
 * the literal constants of one statement and the statement's *shape*, its text with every
 * literal replaced by a placeholder naming the literal's token class.
 *
 *   SELECT abalance FROM pgbench_accounts WHERE aid = 48213;
 *   -> key "SELECT abalance FROM pgbench_accounts WHERE aid = \0I;", literal 48213 (ICONST)
 *
 * It follows Postgres's scanner (src/backend/parser/scan.l) for the tokens it accepts: plain and
 * quoted identifiers, operators and punctuation, integers (ICONST when they fit int4, else
 * FCONST), decimals and reals such as 1.5, .5, 1. and 1e-3 (FCONST), and standard strings 'a''b'
 * (SCONST). Two texts with one key are the same token sequence up to the literals' values,
 * so the grammar derives the same tree for both. Whenever the text holds anything whose
 * meaning it is not sure of, it returns undefined and the caller parses normally: comments,
 * dollar quotes and `$n` parameters, E'' B'' X'' N'' U&'' strings, backslashes in strings
 * (standard_conforming_strings), adjacent strings (which concatenate), numbers with trailing
 * letters or underscores (0x1F, 1_000, 1e), more than one statement, and non-ASCII text (the
 * parser's locations count bytes).
 */

/** The token class of a literal, named as scan.l's tokens. */
export type LiteralClass = "iconst" | "fconst" | "sconst";

export interface ScannedLiteral {
  /** Offset of the literal's first character (for a string, its opening quote). */
  readonly start: number;
  /** Offset just past the literal. */
  readonly end: number;
  readonly kind: LiteralClass;
}

export interface StatementShape {
  /** The text with each literal replaced by "\0I", "\0F" or "\0S". */
  readonly key: string;
  readonly literals: readonly ScannedLiteral[];
}

/** Texts longer than this are not worth a cache entry; they parse normally. */
export const shapeTextLengthMax = 4_000;
/** Statements with more literals than this (bulk INSERT … VALUES) parse normally. */
export const shapeLiteralCountMax = 64;

const placeholder: Readonly<Record<LiteralClass, string>> = {
  iconst: "\0I",
  fconst: "\0F",
  sconst: "\0S",
};

/** Locations in the parse tree count bytes; with ASCII only they count characters too. */
const nonAscii = /[^\x00-\x7f]/;

/** Characters of scan.l's `op_chars` and `self`, which pass through verbatim. */
const operatorChars = new Set("~!@#^&|`?+-*/%<>=,()[].;:");

/**
 * Returns the statement's shape and literals, or undefined when the text holds anything the
 * scanner is not sure of (see the file comment).
 */
export function scanShape(sql: string): StatementShape | undefined {
  if (sql.length > shapeTextLengthMax || nonAscii.test(sql)) return undefined;
  const literals: ScannedLiteral[] = [];
  let i = 0;
  let sawEnd = false;
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (sawEnd) return undefined; // a second statement, or an empty one
    const next = scanToken(sql, i, literals);
    if (next === undefined) return undefined;
    if (c === 0x3b /* ; */) sawEnd = true;
    i = next;
    if (literals.length > shapeLiteralCountMax) return undefined;
  }
  return { key: shapeKey(sql, literals), literals };
}

/** Scans the token at `i` and returns the offset after it; records a literal it finds. */
function scanToken(sql: string, i: number, literals: ScannedLiteral[]): number | undefined {
  const c = sql.charCodeAt(i);
  if (isIdentStart(c)) return scanIdentifier(sql, i);
  if (c === 0x22 /* " */) return scanQuotedIdentifier(sql, i);
  if (c === 0x27 /* ' */) return scanString(sql, i, literals);
  if (isDigit(c) || (c === 0x2e /* . */ && isDigit(sql.charCodeAt(i + 1)))) {
    return scanNumber(sql, i, literals);
  }
  if (operatorChars.has(sql[i]!)) {
    // Comments may start inside an operator ("5--3" is 5 and a comment): give up on both.
    const pair = sql.slice(i, i + 2);
    if (pair === "--" || pair === "/*") return undefined;
    return i + 1;
  }
  return undefined; // $, \, {, non-ASCII, control characters…
}

/** Identifiers and keywords; one followed by a quote or U& starts a special string. */
function scanIdentifier(sql: string, i: number): number | undefined {
  let j = i + 1;
  while (j < sql.length && isIdentChar(sql.charCodeAt(j))) j++;
  const after = sql.charCodeAt(j);
  if (after === 0x27 /* ' */) return undefined; // E'', B'', X'', N'', or a typed literal
  if (after === 0x26 /* & */ && j === i + 1 && (sql[i] === "u" || sql[i] === "U")) {
    return undefined; // U&'' or U&""
  }
  return j;
}

/** "quoted ""identifiers""": the text passes through verbatim; empty ones are errors. */
function scanQuotedIdentifier(sql: string, i: number): number | undefined {
  let j = i + 1;
  for (;;) {
    const close = sql.indexOf('"', j);
    if (close < 0) return undefined;
    if (sql.charCodeAt(close + 1) === 0x22) {
      j = close + 2;
      continue;
    }
    return close === i + 1 ? undefined : close + 1;
  }
}

/** 'strings' with '' escapes; backslashes and adjacent strings make the scanner give up. */
function scanString(sql: string, i: number, literals: ScannedLiteral[]): number | undefined {
  let j = i + 1;
  for (;;) {
    const close = sql.indexOf("'", j);
    if (close < 0) return undefined;
    if (sql.charCodeAt(close + 1) === 0x27) {
      j = close + 2;
      continue;
    }
    if (sql.slice(i, close).includes("\\")) return undefined;
    let k = close + 1;
    while (k < sql.length && isSpace(sql.charCodeAt(k))) k++;
    if (sql.charCodeAt(k) === 0x27) return undefined; // 'a' 'b' may concatenate
    literals.push({ start: i, end: close + 1, kind: "sconst" });
    return close + 1;
  }
}

/** Integers, decimals and reals in decimal digits only; anything else gives up. */
function scanNumber(sql: string, i: number, literals: ScannedLiteral[]): number | undefined {
  let j = skipDigits(sql, i);
  let integer = true;
  if (sql.charCodeAt(j) === 0x2e /* . */) {
    if (sql.charCodeAt(j + 1) === 0x2e) return undefined; // 1..2
    integer = false;
    j = skipDigits(sql, j + 1);
  }
  const e = sql.charCodeAt(j);
  if (e === 0x65 || e === 0x45 /* e E */) {
    integer = false;
    let k = j + 1;
    const sign = sql.charCodeAt(k);
    if (sign === 0x2b || sign === 0x2d) k++;
    if (!isDigit(sql.charCodeAt(k))) return undefined; // 1e, 1e+ (realfail)
    j = skipDigits(sql, k);
  }
  const after = sql.charCodeAt(j);
  if (isIdentChar(after) || after === 0x2e) return undefined; // 0x1F, 1_000, 1.5.2, 12abc
  const kind = integer && fitsInt4(sql.slice(i, j)) ? "iconst" : "fconst";
  literals.push({ start: i, end: j, kind });
  return j;
}

/** True when a string of decimal digits is at most 2^31 - 1, as scan.l's strtoint. */
function fitsInt4(digits: string): boolean {
  const trimmed = digits.replace(/^0+(?=\d)/, "");
  if (trimmed.length < 10) return true;
  return trimmed.length === 10 && trimmed <= "2147483647";
}

function skipDigits(sql: string, i: number): number {
  let j = i;
  while (isDigit(sql.charCodeAt(j))) j++;
  return j;
}

function shapeKey(sql: string, literals: readonly ScannedLiteral[]): string {
  let key = "";
  let from = 0;
  for (const literal of literals) {
    key += sql.slice(from, literal.start) + placeholder[literal.kind];
    from = literal.end;
  }
  return key + sql.slice(from);
}

/** scan.l's `space`: space, tab, newline, carriage return, form feed, vertical tab. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** scan.l's `ident_start`, ASCII only (non-ASCII text gives up). */
function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

/** scan.l's `ident_cont`: letters, digits, underscore and dollar. */
function isIdentChar(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === 0x24;
}
