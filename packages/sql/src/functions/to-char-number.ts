/**
 * to_char for numbers (PostgreSQL docs table 9.28): digit positions 9 and 0, decimal point
 * (. or D), group separator (, or G), signs (S, SG, PL, MI, PR, and the default floating
 * sign), FM, EEEE, V, TH and RN, under the C locale.
 *
 * The value is rounded to the template's fraction digits, then the template is walked left
 * to right. A number with more integer digits than the template has positions prints as #s.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "../types/value.js";
import { Decimal } from "./decimal.js";
import { T } from "./type-oids.js";
import { float8ToText, float4ToText } from "./text-out.js";

interface NumFormat {
  fm: boolean;
  pre: number;
  post: number;
  zeroFrom: number;
  point: boolean;
  signMode: "float" | "S" | "SG" | "PL" | "MI" | "PR";
  eeee: boolean;
  roman: boolean;
  th: "" | "TH" | "th";
  shift: number;
  /** S stands after the digits: the sign is written there ("12-"), not in front. */
  signAfter: boolean;
  /** A float4/float8 value: printf rounds its exact binary value half to even. */
  float: boolean;
}

/** Marks each character of a double-quoted literal in a template skeleton. */
const literalMark = "\u0001";
/** L's blank while rendering, so FM's trimming of leading blanks leaves it. */
const currencyBlank = "\u0002";

export function numberToChar(v: Value, type: number, template: string): string {
  const d = toDecimal(v, type);
  const { skeleton, literals } = splitLiterals(template);
  const f = parseFormat(skeleton);
  f.float = type === T.float8 || type === T.float4;
  if (f.roman) {
    const roman = romanNumeral(d, f.fm);
    return skeleton.includes("rn") ? roman.toLowerCase() : roman;
  }
  if (f.eeee && (f.fm || f.signMode !== "float" || f.shift > 0)) {
    throw new SqlError(SqlState.syntaxError, '"EEEE" is incompatible with other formats');
  }
  if (!d.isFinite() && type === T.numeric) return specialToChar(d, skeleton, literals, f);
  const value = f.shift > 0 ? d.times(new Decimal(10).pow(f.shift)) : d;
  if (f.eeee) return scientific(value, f);
  return render(f.float ? floatTemplate(skeleton, value, type, f) : skeleton, literals, value, f);
}

/**
 * float8_to_char prints at most DBL_DIG (float4: FLT_DIG) digits: it drops fraction positions
 * past them, and with them the rest of the template (the point too when none is left).
 */
function floatTemplate(skeleton: string, value: Decimal, type: number, f: NumFormat): string {
  const intLength = value.abs().toFixed(0, Decimal.ROUND_HALF_EVEN).length;
  const max = type === T.float8 ? 15 : 6;
  const post = intLength >= max ? 0 : Math.min(f.post, max - intLength);
  if (!f.point || post >= f.post) return skeleton;
  f.post = post;
  const u = skeleton.toUpperCase();
  const pointAt = u.search(/[.D]/);
  let end = pointAt;
  for (let kept = 0; kept < post && end < u.length; end++) {
    if (u[end + 1] === "9" || u[end + 1] === "0") kept++;
  }
  return skeleton.slice(0, post === 0 ? pointAt : end + 1);
}

/**
 * Splits double-quoted literals out of a template as parse_format reads them: inside quotes
 * a backslash takes the next character literally; outside, \" is a literal quote.
 */
function splitLiterals(template: string): { skeleton: string; literals: string[] } {
  let skeleton = "";
  const literals: string[] = [];
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === "\\" && template[i + 1] === '"') {
      literals.push('"');
      skeleton += literalMark;
      i++;
    } else if (c === '"') {
      for (i++; i < template.length && template[i] !== '"'; i++) {
        if (template[i] === "\\" && i + 1 < template.length) i++;
        literals.push(template[i]!);
        skeleton += literalMark;
      }
    } else {
      skeleton += c;
    }
  }
  return { skeleton, literals };
}

/**
 * NaN and ±Infinity as numeric_to_char prints them: EEEE gives #s; otherwise the word takes
 * the integer positions and the output ends where the decimal point would be written.
 */
function specialToChar(d: Decimal, skeleton: string, literals: string[], f: NumFormat): string {
  if (f.eeee) return ` ${"#".repeat(f.pre)}.${"#".repeat(f.post + 4)}`;
  const word = d.isNaN() ? "NaN" : "Infinity";
  return render(skeleton, literals, d, f, word);
}

function toDecimal(v: Value, type: number): Decimal {
  if (type === T.float8 || type === T.float4) return exactDecimal(v as number);
  if (v instanceof Decimal) return v;
  return new Decimal(String(v));
}

/** The exact value of a double, as printf rounds it (half to even on exact ties). */
function exactDecimal(v: number): Decimal {
  if (!Number.isFinite(v)) return new Decimal(v);
  let x = v;
  let k = 0;
  while (!Number.isInteger(x)) {
    x *= 2;
    k++;
  }
  const digits = (BigInt(x) * 5n ** BigInt(k)).toString();
  return new Decimal(`${digits}e-${k}`);
}

function parseFormat(t: string): NumFormat {
  const f: NumFormat = {
    fm: false,
    pre: 0,
    post: 0,
    zeroFrom: -1,
    point: false,
    signMode: "float",
    eeee: false,
    roman: false,
    th: "",
    shift: 0,
    signAfter: false,
    float: false,
  };
  const u = t.toUpperCase();
  f.fm = u.includes("FM");
  f.eeee = u.includes("EEEE");
  f.roman = t.includes("RN") || t.includes("rn");
  f.th = t.includes("TH") ? "TH" : t.includes("th") ? "th" : "";
  if (u.includes("PR")) f.signMode = "PR";
  else if (u.includes("MI")) f.signMode = "MI";
  else if (u.includes("SG")) f.signMode = "SG";
  else if (u.includes("PL")) f.signMode = "PL";
  else if (u.includes("S")) f.signMode = "S";
  const firstDigit = u.search(/[90.D]/);
  f.signAfter = f.signMode === "S" && firstDigit >= 0 && u.indexOf("S") > firstDigit;
  for (let i = 0; i < u.length; i++) {
    const c = u[i];
    if (c === "9" || c === "0") {
      if (f.point) f.post++;
      else {
        if (c === "0" && f.zeroFrom < 0) f.zeroFrom = f.pre;
        f.pre++;
      }
    } else if ((c === "." || c === "D") && !f.point) {
      f.point = true;
    } else if (c === "V") {
      let n = 0;
      while (u[i + 1 + n] === "9" || u[i + 1 + n] === "0") n++;
      f.shift = n;
    }
  }
  return f;
}

function render(template: string, literals: string[], value: Decimal, f: NumFormat,
  word?: string): string {
  const rounded = word ?? value.abs().toFixed(f.post, f.float ? Decimal.ROUND_HALF_EVEN
    : Decimal.ROUND_HALF_UP);
  // The sign is the rounded value's, as numeric_to_char prints numeric_round's result:
  // -0.001 with two fraction digits is "0.00", not "-0.00".
  const negative = value.isNegative() && (word !== undefined || /[1-9]/.test(rounded));
  const [intText = "", fracText = ""] = rounded.split(".");
  // FM prints a zero's last integer position ("0."), where plain 9s leave it blank.
  const zeroInFm = f.fm && f.point && f.pre > 0 && word === undefined && !/[1-9]/.test(rounded);
  const intDigits = intText === "0" && (f.point || f.pre === 0) && !zeroInFm ? "" : intText;
  const overflow = intDigits.length > f.pre;
  let literal = 0;
  let pointAt = -1;
  let out = "";
  let started = false;
  let pos = 0;
  let fracPos = 0;
  let inFraction = false;
  const u = template.toUpperCase();
  // PR writes its "<" where a floating sign would go, before the first digit.
  const blankSign = f.fm ? "" : " ";
  const signChar = negative ? (f.signMode === "PR" ? "<" : "-")
    : f.signMode === "S" ? "+" : blankSign;
  const leads = f.signMode === "float" || (f.signMode === "S" && !f.signAfter) ||
    f.signMode === "PR" || f.signMode === "PL";
  for (let i = 0; i < template.length; i++) {
    const c = u[i] ?? "";
    if (c === literalMark) {
      out += literals[literal++] ?? "";
      continue;
    } else if (c === "F" && u[i + 1] === "M") {
      i++;
      continue;
    }
    if (c === "9" || c === "0") {
      if (inFraction) {
        out += overflow ? "#" : (fracText[fracPos] ?? "0");
        fracPos++;
        continue;
      }
      const digitIndex = pos - (f.pre - intDigits.length);
      const forcedZero = f.zeroFrom >= 0 && pos >= f.zeroFrom;
      if (overflow) {
        if (!started && leads) out += signChar;
        started = true;
        out += "#";
      } else if (digitIndex >= 0) {
        if (!started && leads) out += signChar;
        started = true;
        out += intDigits[digitIndex] ?? "";
      } else if (forcedZero) {
        if (!started && leads) out += signChar;
        started = true;
        out += "0";
      } else if (!f.fm) out += " ";
      pos++;
    } else if ((c === "." || c === "D") && !inFraction) {
      if (!started && leads) out += signChar;
      started = true;
      inFraction = true;
      pointAt = out.length;
      out += ".";
    } else if (c === "," || c === "G") {
      out += started ? "," : f.fm ? "" : " ";
    } else if (c === "S" && u[i + 1] === "G") {
      out += negative ? "-" : "+";
      i++;
    } else if (c === "P" && u[i + 1] === "L") {
      out += negative ? (f.fm ? "" : " ") : "+";
      i++;
    } else if (c === "M" && u[i + 1] === "I") {
      out += negative ? "-" : f.fm ? "" : " ";
      i++;
    } else if (c === "P" && u[i + 1] === "R") {
      i++;
    } else if (c === "S" && f.signAfter) {
      out += negative ? "-" : "+";
    } else if (c === "L") {
      // The C locale has no currency symbol: PostgreSQL writes a blank, which FM keeps.
      out += currencyBlank;
    } else if (c === "S" || c === "V") {
      continue;
    } else if (c === "T" && u[i + 1] === "H") {
      i++;
    } else {
      out += template[i];
    }
  }
  if (!started && !overflow && leads) out += signChar;
  if (word !== undefined && pointAt >= 0) return f.fm ? out.slice(0, pointAt).trimStart()
    : out.slice(0, pointAt);
  if (f.fm) out = trimFraction(out, template, f);
  if (f.signMode === "PR") out += negative ? ">" : f.fm ? "" : " ";
  if (f.th !== "" && !negative) out += ordinalSuffix(intText, f.th === "TH");
  const trimmed = f.fm ? out.replace(/^[\u0002 ]+/, (m) => m.replaceAll(" ", "")) : out;
  return trimmed.replaceAll(currencyBlank, " ");
}

/** FM drops trailing zeros that came from 9 positions after the point. */
function trimFraction(out: string, template: string, f: NumFormat): string {
  if (!f.point) return out;
  const zerosKept = (template.toUpperCase().split(/[.D]/)[1] ?? "").lastIndexOf("0") + 1;
  const pointAt = out.indexOf(".");
  if (pointAt < 0) return out;
  // With no fraction positions at all, FM drops the point too: FM999. prints 100.
  if (f.post === 0) return out.slice(0, pointAt) + out.slice(pointAt + 1);
  let end = out.length;
  const tailStart = out.slice(pointAt + 1).search(/[^0-9]/);
  const digitsEnd = tailStart < 0 ? out.length : pointAt + 1 + tailStart;
  end = digitsEnd;
  while (end > pointAt + 1 + zerosKept && out[end - 1] === "0") end--;
  return out.slice(0, end) + out.slice(digitsEnd);
}

function ordinalSuffix(intText: string, upper: boolean): string {
  const n = Number(intText.slice(-2));
  const s =
    n >= 11 && n <= 13
      ? "th"
      : n % 10 === 1
        ? "st"
        : n % 10 === 2
          ? "nd"
          : n % 10 === 3
            ? "rd"
            : "th";
  return upper ? s.toUpperCase() : s;
}

function scientific(value: Decimal, f: NumFormat): string {
  const text = value.abs().toExponential(f.post, Decimal.ROUND_HALF_UP);
  const [mantissa = "", exp = "0"] = text.split("e");
  const e = Number(exp);
  const body = `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  const sign = value.isNegative() ? "-" : f.fm ? "" : " ";
  return sign + body;
}

function romanNumeral(d: Decimal, fm: boolean): string {
  const n = d.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
  if (n < 1 || n > 3999) return "#".repeat(15);
  const table: readonly [number, string][] = [
    [1000, "M"],
    [900, "CM"],
    [500, "D"],
    [400, "CD"],
    [100, "C"],
    [90, "XC"],
    [50, "L"],
    [40, "XL"],
    [10, "X"],
    [9, "IX"],
    [5, "V"],
    [4, "IV"],
    [1, "I"],
  ];
  let rest = n;
  let out = "";
  for (const [value, letters] of table) {
    while (rest >= value) {
      out += letters;
      rest -= value;
    }
  }
  return fm ? out : out.padStart(15);
}
