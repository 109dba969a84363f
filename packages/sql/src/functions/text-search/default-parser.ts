/**
 * The default text search parser ("pg_catalog.default"): splits a document into typed tokens
 * (words, hyphenated words and their parts, numbers, e-mail addresses, hosts, URLs, file
 * paths, XML tags and entities), as ts_debug shows them. Spaces and punctuation between tokens
 * are not returned. Under PostgreSQL's C locale every non-ASCII character counts as a letter.
 *
 *   parseDocument("foo-bar 3.14") -> asciihword "foo-bar", hword_asciipart "foo",
 *                                    hword_asciipart "bar", float "3.14"
 *
 * The rules were matched against PostgreSQL 15's ts_debug for ordinary text; exotic inputs
 * (nested tags, unusual URL syntax) may split differently.
 */

export type TokenType =
  | "asciiword" | "word" | "numword" | "asciihword" | "hword" | "numhword"
  | "hword_asciipart" | "hword_part" | "hword_numpart" | "email" | "protocol" | "url"
  | "host" | "url_path" | "file" | "sfloat" | "float" | "int" | "uint" | "version" | "tag"
  | "entity";

export interface Token {
  readonly type: TokenType;
  readonly text: string;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** A letter: ASCII letters and, as under Postgres's C locale, any non-ASCII character. */
function isLetter(code: number): boolean {
  return isAsciiLetter(code) || code > 0x7f;
}

function isAlnum(code: number): boolean {
  return isLetter(code) || isDigit(code);
}

const tagPattern = /^<\/?[A-Za-z][A-Za-z0-9_:.-]*(?:\s+[^<>]*)?\/?>|^<!--[\s\S]*?-->/;
const entityPattern = /^&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);/;
const protocolPattern = /^[A-Za-z]+:\/\//;
const hostBody = "[A-Za-z0-9_][A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]+)*\\.[A-Za-z]{2,}";
const hostEnd = "(?![A-Za-z0-9])";
const emailPattern = new RegExp(`^[A-Za-z0-9_][A-Za-z0-9_.-]*@${hostBody}${hostEnd}`);
const hostPattern = new RegExp(`^${hostBody}${hostEnd}(?::[0-9]+)?`);
const urlPathPattern = /^\/[^\s"<>{}|^`\\]+/;
/** A path: non-ASCII letters only before the first dot or slash. */
const filePattern = new RegExp("^(?:(?:~|\\.{1,2})(?=\\/))?(?:\\/(?:\\.{1,2}\\/)*\\.?)?" +
  "[A-Za-z0-9_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff~-]*(?:[.][A-Za-z0-9_.~-]*)?" +
  "(?:\\/[A-Za-z0-9_.~-]+)*\\/?");
const ignoringTag = /^<(?:script|style)(?:\s[^>]*[^/>])?\s*>$/i;
const ignoreEnd = /^<\/(?:script|style)\s*>$/i;
const sfloatPattern = /^[+-]?[0-9]+(?:\.[0-9]+)?[eE][+-]?[0-9]+/;
const versionPattern = /^[0-9]+(?:\.[0-9]+){2,}/;
const floatPattern = /^[+-]?[0-9]+\.[0-9]+/;
const signedPattern = /^[+-][0-9]+/;

/** Splits `text` into tokens. */
export function parseDocument(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  // The body of <script> and <style> is not text: only its tags are tokens.
  let ignoring = false;
  while (i < text.length) {
    const count = tokens.length;
    const next = ignoring
      ? (text.charCodeAt(i) === 60 ? matchSimple(text.slice(i, i + 4096), tagPattern, "tag", i,
        tokens) : i)
      : scanAt(text, i, tokens);
    i = next > i ? next : i + 1;
    const last = tokens[tokens.length - 1];
    if (tokens.length > count && last?.type === "tag") {
      if (ignoringTag.test(last.text)) ignoring = true;
      else if (ignoreEnd.test(last.text)) ignoring = false;
    }
  }
  return tokens;
}

/** Scans one token at `i` (pushing it and its parts); returns the index after it, or `i`. */
function scanAt(text: string, i: number, out: Token[]): number {
  const code = text.charCodeAt(i);
  const rest = (): string => text.slice(i, i + 4096);
  if (code === 60) return matchSimple(rest(), tagPattern, "tag", i, out);
  if (code === 38) return matchSimple(rest(), entityPattern, "entity", i, out);
  if (code === 43 || code === 45) return scanSigned(rest(), i, out);
  if (code === 47 || code === 46 || code === 126) {
    // A leading "./", "../" or "~/" stays part of the name only at the start of the text.
    if (i > 0 && code !== 47) {
      const lead = /^(?:\.{1,2}|~)(?=\/)/.exec(rest());
      if (lead !== null) return scanFile(text.slice(i + lead[0].length, i + 4096),
        i + lead[0].length, out);
    }
    return scanFile(rest(), i, out);
  }
  if (!isAlnum(code)) return i;
  if (isLetter(code)) {
    const end = plainWordEnd(text, i);
    if (end > i) {
      const word = text.slice(i, end);
      out.push({ type: wordType(word), text: word });
      return end;
    }
  }
  if (isAsciiLetter(code)) {
    const protocol = protocolPattern.exec(rest());
    if (protocol !== null) {
      out.push({ type: "protocol", text: protocol[0] });
      return i + protocol[0].length;
    }
  }
  if (code < 0x80) {
    const networked = scanNetworked(rest(), i, out);
    if (networked > i) return networked;
  }
  const file = scanFile(rest(), i, out);
  if (file > i) return file;
  if (isDigit(code)) {
    const number = scanNumber(rest(), i, out);
    if (number > i) return number;
  }
  return scanWord(text, i, out);
}

function matchSimple(rest: string, pattern: RegExp, type: TokenType, i: number,
  out: Token[]): number {
  const match = pattern.exec(rest);
  if (match === null) return i;
  out.push({ type, text: match[0] });
  return i + match[0].length;
}

function scanSigned(rest: string, i: number, out: Token[]): number {
  // A version number has no sign: "-1.2.3" is a hyphen and 1.2.3.
  if (versionPattern.test(rest.slice(1))) return i;
  for (const [pattern, type] of [[sfloatPattern, "sfloat"], [floatPattern, "float"],
    [signedPattern, "int"]] as const) {
    const match = pattern.exec(rest);
    if (match !== null) {
      out.push({ type, text: match[0] });
      return i + match[0].length;
    }
  }
  return i;
}

/** E-mail addresses, URLs without a protocol, hosts. */
function scanNetworked(rest: string, i: number, out: Token[]): number {
  const email = emailPattern.exec(rest);
  if (email !== null) {
    out.push({ type: "email", text: email[0] });
    return i + email[0].length;
  }
  const host = hostPattern.exec(rest);
  if (host === null) return i;
  const path = urlPathPattern.exec(rest.slice(host[0].length));
  if (path !== null) {
    out.push({ type: "url", text: host[0] + path[0] });
    out.push({ type: "host", text: host[0] });
    out.push({ type: "url_path", text: path[0] });
    return i + host[0].length + path[0].length;
  }
  out.push({ type: "host", text: host[0] });
  return i + host[0].length;
}

/** File names: a path with a slash, or a dotted name whose first part is not a number. */
function scanFile(rest: string, i: number, out: Token[]): number {
  const match = filePattern.exec(rest);
  if (match === null) return i;
  let name = match[0];
  while (name.length > 1 && (name.endsWith("/") || name.endsWith("."))) name = name.slice(0, -1);
  const prefix = /^(?:~|\.{1,2})?\/?/.exec(name)?.[0] ?? "";
  const body = name.slice(prefix.length);
  const firstPart = body.split(/[./]/)[0] ?? "";
  if (prefix === "" && firstPart.includes("-")) return i;
  // A dotted number before a slash is a number ("3.14/x" is 3.14 then /x).
  if (prefix === "" && /^[0-9][^/]*\.[^/]*\//.test(body)) return i;
  // A non-ASCII first part makes a file only as a number's start ("±0.44"), never a path.
  if (/[^\x00-\x7f]/.test(firstPart) &&
    (body[firstPart.length] !== "." || !isDigit(firstPart.charCodeAt(firstPart.length - 1)))) {
    return i;
  }
  if (!name.includes("/")) {
    if (!body.includes(".") || /^[0-9]*$/.test(firstPart)) return i;
  }
  out.push({ type: "file", text: name });
  return i + name.length;
}

function scanNumber(rest: string, i: number, out: Token[]): number {
  for (const [pattern, type] of [[sfloatPattern, "sfloat"], [versionPattern, "version"],
    [floatPattern, "float"]] as const) {
    const match = pattern.exec(rest);
    if (match !== null) {
      out.push({ type, text: match[0] });
      return i + match[0].length;
    }
  }
  let j = 0;
  while (j < rest.length && isAlnum(rest.charCodeAt(j))) j++;
  const run = rest.slice(0, j);
  if (/^[0-9]+$/.test(run)) {
    out.push({ type: "uint", text: run });
    return i + j;
  }
  return i;
}

/**
 * The end of the alphanumeric run at `i` when nothing after it could make it part of a longer
 * token (an address, a path, a hyphenated word, a protocol), else `i`.
 */
function plainWordEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && isAlnum(text.charCodeAt(j))) j++;
  const next = text.charCodeAt(j);
  // . @ : / - _ ~ may continue the token; anything else ends a plain word.
  if (next === 46 || next === 64 || next === 58 || next === 47 || next === 45 || next === 95 ||
    next === 126) return i;
  return j;
}

/** A word, or a hyphenated word followed by its parts. */
function scanWord(text: string, i: number, out: Token[]): number {
  const parts: string[] = [];
  let j = i;
  for (;;) {
    const start = j;
    while (j < text.length && isAlnum(text.charCodeAt(j))) j++;
    parts.push(text.slice(start, j));
    if (text[j] === "-" && partHasLetter(text, j + 1)) {
      j++;
      continue;
    }
    break;
  }
  if (parts.length === 1) {
    out.push({ type: wordType(parts[0] as string), text: parts[0] as string });
    return j;
  }
  // After a hyphenated word, "-3" is a hyphen and an unsigned number.
  const after = text[j] === "-" && isDigit(text.charCodeAt(j + 1)) ? 1 : 0;
  const whole = text.slice(i, j);
  const hasDigit = /[0-9]/.test(whole);
  const ascii = /^[\x00-\x7f]*$/.test(whole);
  out.push({ type: hasDigit ? "numhword" : ascii ? "asciihword" : "hword", text: whole });
  for (const part of parts) {
    const type = /[0-9]/.test(part) ? "hword_numpart"
      : /^[\x00-\x7f]*$/.test(part) ? "hword_asciipart" : "hword_part";
    out.push({ type, text: part });
  }
  return j + after;
}

/** True when the alphanumeric run at `start` holds a letter (it may follow a hyphen). */
function partHasLetter(text: string, start: number): boolean {
  for (let k = start; k < text.length; k++) {
    const code = text.charCodeAt(k);
    if (isLetter(code)) return true;
    if (!isDigit(code)) return false;
  }
  return false;
}

function wordType(word: string): TokenType {
  if (/[0-9]/.test(word)) return "numword";
  return /^[\x00-\x7f]*$/.test(word) ? "asciiword" : "word";
}
