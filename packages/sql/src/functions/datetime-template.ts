/**
 * The templates of to_timestamp and to_date, read as Postgres's parse_format reads them for
 * date/time ("DCH") formatting: a keyword at each position if one starts there (longest
 * first, with the FM/TM/FX prefixes and TH/th/SP suffixes), else one character, classed as
 * a space, a separator (printable ASCII that is not a letter or digit) or another character.
 * Double quotes make literal characters (a backslash inside them quotes the next one); outside
 * them a backslash matters only before a double quote.
 */

/** One keyword of the template. `name` is as Postgres spells it (case matters for names). */
export interface KeywordNode {
  readonly kind: "keyword";
  readonly name: string;
  /** Reads digits: decides whether the previous numeric field may run on. */
  readonly isDigit: boolean;
  readonly fm: boolean;
  readonly th: boolean;
}

export interface CharNode {
  readonly kind: "space" | "separator" | "char";
  readonly char: string;
}

export type TemplateNode = KeywordNode | CharNode;

/** Keywords and whether each reads digits, as Postgres's DCH_keywords. */
const keywordTable: readonly (readonly [string, boolean])[] = [
  ["A.D.", false], ["A.M.", false], ["AD", false], ["AM", false], ["B.C.", false],
  ["BC", false], ["CC", true], ["DAY", false], ["DDD", true], ["DD", true], ["DY", false],
  ["Day", false], ["Dy", false], ["D", true], ["FF1", true], ["FF2", true], ["FF3", true],
  ["FF4", true], ["FF5", true], ["FF6", true], ["FX", false], ["HH24", true], ["HH12", true],
  ["HH", true], ["IDDD", true], ["ID", true], ["IW", true], ["IYYY", true], ["IYY", true],
  ["IY", true], ["I", true], ["J", true], ["MI", true], ["MM", true], ["MONTH", false],
  ["MON", false], ["MS", true], ["Month", false], ["Mon", false], ["OF", false],
  ["P.M.", false], ["PM", false], ["Q", true], ["RM", false], ["SSSSS", true], ["SSSS", true],
  ["SS", true], ["TZH", false], ["TZM", true], ["TZ", false], ["US", true], ["WW", true],
  ["W", true], ["Y,YYY", true], ["YYYY", true], ["YYY", true], ["YY", true], ["Y", true],
  ["a.d.", false], ["a.m.", false], ["ad", false], ["am", false], ["b.c.", false],
  ["bc", false], ["cc", true], ["day", false], ["ddd", true], ["dd", true], ["dy", false],
  ["d", true], ["ff1", true], ["ff2", true], ["ff3", true], ["ff4", true], ["ff5", true],
  ["ff6", true], ["fx", false], ["hh24", true], ["hh12", true], ["hh", true], ["iddd", true],
  ["id", true], ["iw", true], ["iyyy", true], ["iyy", true], ["iy", true], ["i", true],
  ["j", true], ["mi", true], ["mm", true], ["month", false], ["mon", false], ["ms", true],
  ["p.m.", false], ["pm", false], ["q", true], ["rm", false], ["sssss", true],
  ["ssss", true], ["ss", true], ["tz", false], ["us", true], ["ww", true], ["w", true],
  ["y,yyy", true], ["yyyy", true], ["yyy", true], ["yy", true], ["y", true],
];

/** Longest first, so "DDD" wins over "DD" and "D". */
const keywords = [...keywordTable].sort((a, b) => b[0].length - a[0].length);

/** Printable ASCII that is neither a letter, a digit nor a space (is_separator_char). */
export function isSeparatorChar(ch: string | undefined): boolean {
  if (ch === undefined || ch.length === 0) return false;
  const code = ch.charCodeAt(0);
  return code > 0x20 && code < 0x7f && !/[A-Za-z0-9]/.test(ch);
}

const parsedTemplates = new Map<string, readonly TemplateNode[]>();
const parsedTemplatesMax = 256;

/** Splits a to_timestamp/to_date template into nodes; a query repeats one, so they are kept. */
export function parseTemplate(template: string): readonly TemplateNode[] {
  const cached = parsedTemplates.get(template);
  if (cached !== undefined) return cached;
  const nodes = splitTemplate(template);
  if (parsedTemplates.size >= parsedTemplatesMax) parsedTemplates.clear();
  parsedTemplates.set(template, nodes);
  return nodes;
}

function splitTemplate(template: string): TemplateNode[] {
  const nodes: TemplateNode[] = [];
  const chars = [...template];
  let i = 0;
  const startsWith = (text: string): boolean => chars.slice(i, i + text.length).join("") === text;
  while (i < chars.length) {
    let fm = false;
    if (startsWith("FM") || startsWith("fm") || startsWith("TM") || startsWith("tm")) {
      fm = chars[i]!.toUpperCase() === "F";
      i += 2;
    }
    const found = keywords.find(([name]) => startsWith(name));
    if (found !== undefined) {
      i += [...found[0]].length;
      let th = false;
      if (startsWith("TH") || startsWith("th") || startsWith("SP")) {
        th = found[1] && !startsWith("SP");
        i += 2;
      }
      nodes.push({ kind: "keyword", name: found[0], isDigit: found[1], fm, th });
      continue;
    }
    if (i >= chars.length) break;
    if (chars[i] === '"') {
      i++;
      while (i < chars.length && chars[i] !== '"') {
        if (chars[i] === "\\" && i + 1 < chars.length) i++;
        nodes.push({ kind: "char", char: chars[i]! });
        i++;
      }
      i++;
      continue;
    }
    if (chars[i] === "\\" && chars[i + 1] === '"') i++;
    const ch = chars[i]!;
    const kind = isSeparatorChar(ch) ? "separator" : /\s/.test(ch) ? "space" : "char";
    nodes.push({ kind, char: ch });
    i++;
  }
  return nodes;
}

/** True when the field after `index` cannot continue its digits (is_next_separator). */
export function nextIsSeparator(nodes: readonly TemplateNode[], index: number): boolean {
  const node = nodes[index];
  if (node === undefined) return false;
  if (node.kind === "keyword" && node.th) return true;
  const next = nodes[index + 1];
  if (next === undefined) return true;
  if (next.kind === "keyword") return !next.isDigit;
  return !/^[0-9]$/.test(next.char);
}
