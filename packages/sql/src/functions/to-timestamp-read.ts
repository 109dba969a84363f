/**
 * Reading the input of to_timestamp and to_date against a parsed template, as Postgres's
 * DCH_from_char: outside FX mode spaces before and after a field are skipped, a template space or
 * separator matches one space or separator if there is one, any other template character
 * skips one input character, and a numeric field reads a fixed width when the next template
 * node is digits too, else every digit there is. The fields land in `FromChar`; assembling a
 * date from them is to-timestamp.ts's job.
 */
import { SqlError, SqlState } from "@tessera/base";
import {
  isSeparatorChar, nextIsSeparator, type CharNode, type KeywordNode, type TemplateNode,
} from "./datetime-template.js";

/** What the input said, field by field; 0 means "not given", as Postgres's TmFromChar. */
export interface FromChar {
  mode: "none" | "gregorian" | "isoweek";
  hh: number; pm: boolean; clock12: boolean; mi: number; ss: number; ssss: number;
  d: number; dd: number; ddd: number; mm: number; ms: number; us: number;
  year: number; yysz: number; bc: boolean; cc: number; j: number; ww: number; w: number;
  tzsign: number; tzh: number; tzm: number;
  /** Digits of FF1..FF6, to which to_timestamp rounds its result; 0 when none. */
  ff: number;
}

const months = ["january", "february", "march", "april", "may", "june", "july", "august",
  "september", "october", "november", "december"];
const days = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const romanMonths = ["xii", "xi", "x", "ix", "viii", "vii", "vi", "v", "iv", "iii", "ii", "i"];
const formatHint = 'If your source string is not fixed-width, try using the "FM" modifier.';

function formatError(message: string, detail?: string, hint?: string): SqlError {
  return new SqlError(SqlState.invalidDatetimeFormat, message, {
    ...(detail === undefined ? {} : { detail }), ...(hint === undefined ? {} : { hint }),
  });
}

/** Numeric fields: where the value goes and how many characters a fixed-width read takes. */
const numericFields: Record<string, readonly [keyof FromChar, number, FromChar["mode"]]> = {
  HH: ["hh", 2, "none"], HH12: ["hh", 2, "none"], HH24: ["hh", 2, "none"], MI: ["mi", 2, "none"],
  SS: ["ss", 2, "none"], SSSS: ["ssss", 4, "none"], SSSSS: ["ssss", 5, "none"],
  DD: ["dd", 2, "gregorian"], DDD: ["ddd", 3, "gregorian"], IDDD: ["ddd", 3, "isoweek"],
  MM: ["mm", 2, "gregorian"], D: ["d", 1, "gregorian"], ID: ["d", 1, "isoweek"],
  WW: ["ww", 2, "gregorian"], IW: ["ww", 2, "isoweek"], W: ["w", 1, "gregorian"],
  CC: ["cc", 2, "none"], J: ["j", 1, "none"], Q: ["ssss", 1, "none"],
  YYYY: ["year", 4, "gregorian"], YYY: ["year", 3, "gregorian"], YY: ["year", 2, "gregorian"],
  Y: ["year", 1, "gregorian"], IYYY: ["year", 4, "isoweek"], IYY: ["year", 3, "isoweek"],
  IY: ["year", 2, "isoweek"], I: ["year", 1, "isoweek"],
  MS: ["ms", 3, "none"], US: ["us", 6, "none"], TZM: ["tzm", 2, "none"],
  FF1: ["us", 1, "none"], FF2: ["us", 2, "none"], FF3: ["us", 3, "none"],
  FF4: ["us", 4, "none"], FF5: ["us", 5, "none"], FF6: ["us", 6, "none"],
};

/** The reading position in the input. */
interface Cursor {
  readonly input: string;
  pos: number;
}

/**
 * Reads `input` by `nodes` into a fresh FromChar. `std`: the standard mode of jsonpath's
 * .datetime(template) (PostgreSQL's DCH_from_char with std): fixed format, separators and
 * characters must match, and input and template must end together.
 */
export function readInput(input: string, nodes: readonly TemplateNode[], std = false):
  FromChar {
  const out: FromChar = {
    mode: "none", hh: 0, pm: false, clock12: false, mi: 0, ss: 0, ssss: 0, d: 0, dd: 0,
    ddd: 0, mm: 0, ms: 0, us: 0, year: 0, yysz: 0, bc: false, cc: 0, j: 0, ww: 0, w: 0,
    tzsign: 0, tzh: 0, tzm: 0, ff: 0,
  };
  const c: Cursor = { input, pos: 0 };
  let fx = std;
  let extraSkip = 0;
  let n = 0;
  for (; n < nodes.length && c.pos < input.length; n++) {
    const node = nodes[n]!;
    const isFx = node.kind === "keyword" && node.name.toUpperCase() === "FX";
    if (!fx && !isFx && (node.kind === "keyword" || n === 0)) {
      while (c.pos < input.length && /\s/.test(input[c.pos]!)) {
        c.pos++;
        extraSkip++;
      }
    }
    if (std && node.kind !== "keyword") {
      matchStd(c, node);
      continue;
    }
    if (node.kind === "space" || node.kind === "separator") {
      if (fx) {
        c.pos++;
      } else {
        extraSkip--;
        const ch = input[c.pos];
        if (ch !== undefined && (/\s/.test(ch) || isSeparatorChar(ch))) {
          c.pos++;
          extraSkip++;
        }
      }
      continue;
    }
    if (node.kind === "char") {
      if (!fx && extraSkip > 0) extraSkip--;
      else c.pos++;
      continue;
    }
    if (isFx) {
      fx = true;
      continue;
    }
    readKeyword(c, nodes, n, out, extraSkip);
    if (node.kind === "keyword" && node.th) c.pos = Math.min(input.length, c.pos + 2);
    if (!fx) {
      // Spaces after a field are skipped too, and counted afresh.
      extraSkip = 0;
      while (c.pos < input.length && /\s/.test(input[c.pos]!)) {
        c.pos++;
        extraSkip++;
      }
    }
  }
  if (std) endStd(c, n < nodes.length);
  return out;
}

/** Standard mode: a template separator, space or character matches itself only. */
function matchStd(c: Cursor, node: CharNode): void {
  const text = node.char;
  if (c.input.startsWith(text, c.pos)) {
    c.pos += text.length;
    return;
  }
  throw formatError(node.kind === "char" ? `unmatched format character "${text}"`
    : `unmatched format separator "${text}"`);
}

/** Standard mode: the template must be used up, and nothing but spaces may follow. */
function endStd(c: Cursor, templateLeft: boolean): void {
  if (templateLeft) throw formatError("input string is too short for datetime format");
  if (c.input.slice(c.pos).trim() !== "") {
    throw formatError("trailing characters remain in input string after datetime format");
  }
}

function setMode(out: FromChar, mode: FromChar["mode"]): void {
  if (mode === "none") return;
  if (out.mode !== "none" && out.mode !== mode) {
    throw formatError("invalid combination of date conventions", undefined,
      "Do not mix Gregorian and ISO week date conventions in a formatting template.");
  }
  out.mode = mode;
}

/** Sets a field, refusing a second, different value (from_char_set_int). */
function setInt(out: FromChar, key: keyof FromChar, value: number, node: KeywordNode): void {
  const current = out[key];
  if (typeof current === "number" && current !== 0 && current !== value) {
    throw formatError(`conflicting values for "${node.name}" field in formatting string`,
      "This value contradicts a previous setting for the same field type.");
  }
  (out as unknown as Record<string, number>)[key] = value;
}

function readKeyword(c: Cursor, nodes: readonly TemplateNode[], n: number, out: FromChar,
  extraSkip: number): void {
  const node = nodes[n] as KeywordNode;
  const upper = node.name.toUpperCase();
  switch (upper) {
    case "A.M.": case "P.M.": case "AM": case "PM":
      out.clock12 = true;
      out.pm = readName(c, node, upper.length === 2 ? ["am", "pm"] : ["a.m.", "p.m."]) === 1;
      return;
    case "A.D.": case "B.C.": case "AD": case "BC":
      out.bc = readName(c, node, upper.length === 2 ? ["ad", "bc"] : ["a.d.", "b.c."]) === 1;
      return;
    case "MONTH": case "MON": {
      const names = upper === "MONTH" ? months : months.map((m) => m.slice(0, 3));
      setMode(out, "gregorian");
      setInt(out, "mm", readName(c, node, names) + 1, node);
      return;
    }
    case "DAY": case "DY": {
      const names = upper === "DAY" ? days : days.map((d) => d.slice(0, 3));
      setInt(out, "d", readName(c, node, names) + 1, node);
      return;
    }
    case "RM":
      setMode(out, "gregorian");
      setInt(out, "mm", 12 - readName(c, node, romanMonths), node);
      return;
    case "TZ": case "OF":
      throw new SqlError(SqlState.featureNotSupported,
        `formatting field "${node.name}" is only supported in to_char`);
    case "TZH": {
      const ch = c.input[c.pos];
      if (ch === "+" || ch === "-" || ch === " ") {
        out.tzsign = ch === "-" ? -1 : 1;
        c.pos++;
      } else {
        out.tzsign = extraSkip > 0 && c.input[c.pos - 1] === "-" ? -1 : 1;
      }
      out.tzh = readInt(c, 2, node, nodes, n).value;
      return;
    }
    case "Y,YYY": {
      const m = /^\s*(-?\d+),(\d{1,3})/.exec(c.input.slice(c.pos));
      if (m === null) throw formatError('invalid input string for "Y,YYY"');
      setMode(out, "gregorian");
      setInt(out, "year", Number(m[1]) * 1000 + Number(m[2]), node);
      out.yysz = 4;
      c.pos += m[0].length;
      return;
    }
    default:
      readNumeric(c, nodes, n, out, upper);
  }
}

function readNumeric(c: Cursor, nodes: readonly TemplateNode[], n: number, out: FromChar,
  upper: string): void {
  const node = nodes[n] as KeywordNode;
  const spec = numericFields[upper];
  if (spec === undefined) return;
  const [key, width, mode] = spec;
  setMode(out, mode);
  if (upper === "TZM" && out.tzsign === 0) out.tzsign = 1;
  const { value, length } = readInt(c, width, node, nodes, n);
  if (upper === "Q") return;
  if (upper.startsWith("FF")) out.ff = width;
  let v = value;
  if (key === "ms") v *= length === 1 ? 100 : length === 2 ? 10 : 1;
  if (key === "us") v *= 10 ** Math.max(0, 6 - length);
  if (key === "year" && width < 4 && length < 4) v = nearest2020(v);
  if (upper === "ID") v = v + 1 > 7 ? 1 : v + 1;
  if (upper === "HH" || upper === "HH12") out.clock12 = true;
  setInt(out, key, v, node);
  if (key === "year") out.yysz = width;
}

/** Completes a year given in fewer than four digits to the one nearest 2020. */
function nearest2020(year: number): number {
  if (year < 70) return year + 2000;
  if (year < 100) return year + 1900;
  if (year < 520) return year + 2000;
  if (year < 1000) return year + 1000;
  return year;
}

/** Matches the longest-listed name that starts the input, case-insensitively. */
function readName(c: Cursor, node: KeywordNode, names: readonly string[]): number {
  const rest = c.input.slice(c.pos).toLowerCase();
  const index = names.findIndex((name) => rest.startsWith(name));
  if (index < 0) {
    const word = c.input.slice(c.pos).split(/\s/)[0] ?? "";
    throw formatError(`invalid value "${word}" for "${node.name}"`,
      "The given value did not match any of the allowed values for this field.");
  }
  c.pos += names[index]!.length;
  return index;
}

/** Reads an integer field (from_char_parse_int_len): fixed width, or all digits there. */
function readInt(c: Cursor, width: number, node: KeywordNode, nodes: readonly TemplateNode[],
  n: number): { value: number; length: number } {
  while (c.pos < c.input.length && /\s/.test(c.input[c.pos]!)) c.pos++;
  const copy = [...c.input.slice(c.pos)].slice(0, width).join("");
  let text: string;
  if (node.fm || nextIsSeparator(nodes, n)) {
    text = /^\s*[+-]?\d*/.exec(c.input.slice(c.pos))![0];
    if (!/\d/.test(text)) text = "";
  } else {
    if (copy.length < width) {
      throw formatError(`source string too short for "${node.name}" formatting field`,
        `Field requires ${width} characters, but only ${copy.length} remain.`, formatHint);
    }
    text = /^\s*[+-]?\d*/.exec(copy)![0];
    if (!/\d/.test(text)) text = "";
    if (text.length > 0 && text.length < width) {
      throw formatError(`invalid value "${copy}" for "${node.name}"`,
        `Field requires ${width} characters, but only ${text.length} could be parsed.`,
        formatHint);
    }
  }
  if (text === "") {
    throw formatError(`invalid value "${copy}" for "${node.name}"`, "Value must be an integer.");
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < -2147483648 || value > 2147483647) {
    throw new SqlError(SqlState.datetimeFieldOverflow,
      `value for "${node.name}" in source string is out of range`,
      { detail: "Value must be in the range -2147483648 to 2147483647." });
  }
  c.pos += text.length;
  return { value, length: text.replace(/^\s*[+-]?/, "").length };
}
