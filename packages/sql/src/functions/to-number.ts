/**
 * to_number(text, format), as PostgreSQL's NUM_processor reading characters: the format is
 * walked node by node with one cursor into the input. Digit and decimal nodes read a digit
 * or the decimal point (a sign before the first digit, '<' under PR); `,` and `G` skip a
 * matching separator; `L` skips the currency symbol's width (one character under the C
 * locale); MI, PL and SG read a sign where they stand; any other format character skips one
 * input character. The digits read go through numeric input with the format's precision and
 * scale, so to_number('$ 12.50', 'L99D99') is 12.50 and to_number('-12', 'S99') is -12.
 */
import { makeNumericTypmod, parseNumeric, applyNumericTypmod } from "../types/numeric.js";
import { SqlError, SqlState } from "@tessera/base";
import { dec, mul, type Decimal } from "./decimal.js";
import { numericPower } from "./numeric-math.js";

type Key = "digit" | "decimal" | "comma" | "group" | "currency" | "MI" | "PL" | "SG" | "S" |
  "PR" | "FM" | "other";

interface Node {
  readonly key: Key | null;
  readonly text: string;
}

const keywords: readonly [string, Key][] = [
  ["EEEE", "other"], ["FM", "FM"], ["MI", "MI"], ["PL", "PL"], ["PR", "PR"], ["SG", "SG"],
  ["RN", "other"], ["TH", "other"], ["9", "digit"], ["0", "digit"], [".", "decimal"],
  ["D", "decimal"], [",", "comma"], ["G", "group"], ["L", "currency"], ["S", "S"],
  ["V", "other"], ["B", "other"], ["C", "other"], ["E", "other"],
];

interface Reader {
  readonly input: string;
  pos: number;
  sign: "" | "-" | "+";
  digits: string;
  pre: number;
  post: number;
  readDecimal: boolean;
}

/** Reads `input` by `format`; returns the numeric to_number gives. */
export function toNumber(input: string, format: string): Decimal | null {
  // An empty format gives NULL, as numeric_to_number does.
  if (format === "") return null;
  const nodes = parseFormat(format);
  if (nodes.some((n) => n.text === "EEEE")) {
    throw new SqlError(SqlState.featureNotSupported, '"EEEE" not supported for input');
  }
  const post = fractionDigits(nodes);
  const scale = Math.max(post, 0);
  const pre = nodes.filter((n) => n.key === "digit").length - scale;
  const signAfterDigits = signIsPost(nodes);
  const bracket = nodes.some((n) => n.key === "PR");
  const looseSign = nodes.some((n) => n.key === "MI" || n.key === "PL" || n.key === "SG");
  const multi = multiplierDigits(nodes);
  const r: Reader = { input, pos: 0, sign: "", digits: "", pre: 0, post: 0,
    readDecimal: false };
  for (const node of nodes) {
    if (r.pos >= input.length) break;
    if (node.key === null) {
      r.pos += 1;
      continue;
    }
    if (!readNode(r, node.key, { post, bracket, signAfterDigits, looseSign })) continue;
    r.pos += 1;
  }
  // As numeric_to_number, the sign slot is a blank when positive: errors quote it.
  const text = `${r.sign === "-" ? "-" : " "}${r.digits}`;
  // Postgres keeps the fraction digits read, not the format's (NUM_processor's read_post).
  const typmod = makeNumericTypmod(Math.max(pre + r.post, 1), r.post);
  const value = applyNumericTypmod(parseNumeric(text), typmod);
  return multi === 0 ? value : mul(value, numericPower(dec(10), dec(-multi)));
}

/** Digit positions after V: the value read is divided by 10 to that power. */
function multiplierDigits(nodes: readonly Node[]): number {
  const v = nodes.findIndex((n) => n.text === "V");
  if (v < 0) return 0;
  return nodes.slice(v + 1).filter((n) => n.key === "digit").length;
}

interface Shape {
  readonly post: number;
  readonly bracket: boolean;
  readonly signAfterDigits: boolean;
  readonly looseSign: boolean;
}

/** Applies one format node; false means the input cursor stays where it is. */
function readNode(r: Reader, key: Key, shape: Shape): boolean {
  const c = r.input[r.pos];
  switch (key) {
    case "digit":
    case "decimal":
      readNumberPart(r, key, shape);
      return true;
    case "comma":
    case "group":
      return c === ",";
    case "currency":
      // The currency symbol is skipped when present; a digit belongs to the number.
      return c === undefined || !((c >= "0" && c <= "9") || c === ".");
    case "MI":
      if (c === "-") r.sign = "-";
      return true;
    case "PL":
      if (c === "+") r.sign = "+";
      return true;
    case "SG":
      if (c === "-" || c === "+") r.sign = c;
      return true;
    default:
      return false;
  }
}

/** NUM_numpart_from_char: a sign before the first digit, then a digit or the point. */
function readNumberPart(r: Reader, key: Key, shape: Shape): void {
  if (r.input[r.pos] === " ") r.pos++;
  if (r.pos >= r.input.length) return;
  if (r.sign === "" && key === "digit" && r.pre + r.post === 0) {
    const c = r.input[r.pos];
    if (c === "-" || (shape.bracket && c === "<")) {
      r.sign = "-";
      r.pos++;
    } else if (c === "+") {
      r.sign = "+";
      r.pos++;
    }
  }
  if (r.pos >= r.input.length) return;
  const c = r.input[r.pos]!;
  if (c >= "0" && c <= "9") {
    if (r.readDecimal && r.post === shape.post) return;
    r.digits += c;
    if (r.readDecimal) r.post++;
    else r.pre++;
  } else if (c === "." && shape.post >= 0 && !r.readDecimal) {
    r.digits += ".";
    r.readDecimal = true;
  } else {
    readLooseSign(r, shape);
    return;
  }
  readTrailingSign(r, shape);
}

/** With S after the digits, a sign right behind the last digit read belongs to the number. */
function readTrailingSign(r: Reader, shape: Shape): void {
  if (r.sign !== "" || !shape.signAfterDigits) return;
  const next = r.input[r.pos + 1];
  if (next === undefined || (next >= "0" && next <= "9")) return;
  if (next === "-" || next === "+") {
    r.sign = next;
    r.pos++;
  }
}

/** Without S, a sign where a digit was expected after the number belongs to MI/PL/SG. */
function readLooseSign(r: Reader, shape: Shape): void {
  if (r.sign !== "" || shape.signAfterDigits || !shape.looseSign) return;
  if (r.pre + r.post === 0) return;
  const c = r.input[r.pos];
  if (c === "-" || c === "+") r.sign = c;
}

function parseFormat(format: string): Node[] {
  const nodes: Node[] = [];
  let i = 0;
  while (i < format.length) {
    const rest = format.slice(i).toUpperCase();
    const hit = keywords.find(([word]) => rest.startsWith(word));
    if (hit === undefined) {
      nodes.push({ key: null, text: format[i]! });
      i++;
    } else {
      nodes.push({ key: hit[1], text: hit[0] });
      i += hit[0].length;
    }
  }
  return nodes;
}

/** Digit positions after the first decimal node; -1 when the format has no point. */
function fractionDigits(nodes: readonly Node[]): number {
  const point = nodes.findIndex((n) => n.key === "decimal");
  if (point < 0) return -1;
  return nodes.slice(point + 1).filter((n) => n.key === "digit").length;
}

/** True when S comes after the first digit position (Postgres's NUM_LSIGN_POST). */
function signIsPost(nodes: readonly Node[]): boolean {
  const s = nodes.findIndex((n) => n.key === "S");
  const digit = nodes.findIndex((n) => n.key === "digit");
  return s >= 0 && digit >= 0 && s > digit;
}
