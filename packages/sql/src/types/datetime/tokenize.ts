/**
 * Splits date/time input into typed fields, after Postgres's ParseDateTime:
 *
 *   '2024-01-02 03:04:05.5+01'  -> date "2024-01-02", time "03:04:05.5", tz "+01"
 *   'Jan 8, 1999 BC'            -> string "jan", number "8", number "1999", string "bc"
 *   '1 day -02:00'              -> number "1", string "day", tz "-02:00"
 *   '2024-01-02 Europe/Berlin'  -> date "2024-01-02", date "europe/berlin" (a zone name)
 *
 * Text is lowercased; stray punctuation such as commas separates fields and is dropped.
 * Returns undefined when a character cannot start any field (a syntax error).
 */
export type FieldKind = "number" | "date" | "time" | "string" | "tz" | "special";

export interface Field {
  readonly kind: FieldKind;
  readonly text: string;
}

export function tokenizeDateTime(input: string): Field[] | undefined {
  const text = input.toLowerCase();
  const fields: Field[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? "";
    if (isDigit(char)) i = readNumeric(text, i, fields);
    else if (char === ".") i = readRun(text, i + 1, isDigit, "number", fields, i);
    else if (isAlpha(char)) i = readWord(text, i, fields);
    else if (char === "+" || char === "-") {
      // Spaces after a sign are dropped: '1 month - 1 second' has the field "-1".
      let start = i + 1;
      while (isSpace(text[start] ?? "")) start++;
      const next = text[start] ?? "";
      if (isDigit(next) && start > i + 1) {
        const end = readRun(text, start, isTzChar, "tz", fields, start);
        const field = fields.pop();
        fields.push({ kind: "tz", text: char + (field?.text ?? "") });
        i = end;
      } else if (isDigit(next)) i = readRun(text, i + 1, isTzChar, "tz", fields, i);
      else if (isAlpha(next)) i = readRun(text, i + 1, isAlpha, "special", fields, i);
      else return undefined;
    } else if (isSpace(char) || isPunctuation(char)) i++;
    else return undefined;
  }
  return fields;
}

/** Reads a field starting with a digit: a time (has ':'), a date (has - / .) or a number. */
function readNumeric(text: string, from: number, fields: Field[]): number {
  let i = from;
  while (isDigit(text[i] ?? "")) i++;
  const next = text[i] ?? "";
  if (next === ":") return readRun(text, i, isTimeChar, "time", fields, from);
  if (next === "-" || next === "/" || next === ".") {
    const delimiter = next;
    let end = i + 1;
    if (isDigit(text[end] ?? "")) {
      while (isDigit(text[end] ?? "")) end++;
      // One '.' between digits is a fraction: "1.5", "1999.008".
      if (delimiter === "." && text[end] !== ".") {
        fields.push({ kind: "number", text: text.slice(from, end) });
        return end;
      }
      while (isDigit(text[end] ?? "") || text[end] === delimiter) end++;
    } else {
      while (isAlnum(text[end] ?? "") || text[end] === delimiter) end++;
    }
    fields.push({ kind: "date", text: text.slice(from, end) });
    return end;
  }
  fields.push({ kind: "number", text: text.slice(from, i) });
  return i;
}

/**
 * Reads a word. One followed by '/', '-' or '.' is a date ("jan-08-1999") or a zone; one
 * followed by '+' or a digit is a zone ("est5edt", "mst+7:00") unless it is a keyword of
 * the date/time grammar ("j2451545", "t10:30", "z+01").
 */
function readWord(text: string, from: number, fields: Field[]): number {
  let i = from;
  while (isAlpha(text[i] ?? "")) i++;
  const next = text[i] ?? "";
  const word = text.slice(from, i);
  const isDate = next === "/" || next === "-" || next === "." ||
    ((next === "+" || isDigit(next)) && !coreKeywords.has(word));
  if (!isDate) {
    fields.push({ kind: "string", text: word });
    return i;
  }
  while (i < text.length && isZoneChar(text[i] ?? "")) i++;
  fields.push({ kind: "date", text: text.slice(from, i) });
  return i;
}

/** The words of the date/time grammar itself (Postgres's datetktbl), not zone names. */
const coreKeywords: ReadonlySet<string> = new Set([
  "ad", "allballs", "am", "apr", "april", "at", "aug", "august", "bc", "d", "dec", "december",
  "dst", "dow", "doy", "epoch", "feb", "february", "fri", "friday", "h", "infinity", "isodow",
  "isoyear", "j", "jan", "january", "jd", "jul", "julian", "july", "jun", "june", "m", "mar",
  "march", "may", "mm", "mon", "monday", "nov", "november", "now", "oct", "october", "on",
  "pm", "s", "sat", "saturday", "sep", "sept", "september", "sun", "sunday", "t", "thu",
  "thur", "thurs", "thursday", "today", "tomorrow", "tue", "tues", "tuesday", "wed",
  "wednesday", "y", "yesterday", "z", "zulu",
]);

function readRun(text: string, from: number, accept: (char: string) => boolean, kind: FieldKind,
  fields: Field[], start: number): number {
  let i = from;
  while (i < text.length && accept(text[i] ?? "")) i++;
  fields.push({ kind, text: text.slice(start, i) });
  return i;
}

function isDigit(char: string): boolean {
  return char >= "0" && char <= "9";
}
function isAlpha(char: string): boolean {
  return (char >= "a" && char <= "z") || char.charCodeAt(0) >= 128;
}
function isAlnum(char: string): boolean {
  return isDigit(char) || isAlpha(char);
}
function isTimeChar(char: string): boolean {
  return isDigit(char) || char === ":" || char === ".";
}
/** A signed field runs on through ':', '.' and '-' ("-1-2" is a year-month), as ParseDateTime. */
function isTzChar(char: string): boolean {
  return isDigit(char) || char === ":" || char === "." || char === "-";
}
function isZoneChar(char: string): boolean {
  return isAlnum(char) || char === "/" || char === "_" || char === "-" || char === "+" ||
    char === "." || char === ":";
}
function isSpace(char: string): boolean {
  const code = char.charCodeAt(0);
  return code === 32 || (code >= 9 && code <= 13);
}
function isPunctuation(char: string): boolean {
  return /[!-/:-@[-`{-~]/.test(char);
}
