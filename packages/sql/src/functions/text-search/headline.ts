/**
 * ts_headline: an excerpt of a document around the query's matches, with the matching words
 * wrapped in StartSel/StopSel (PostgreSQL's prsd_headline with MaxFragments = 0). The
 * document is re-read as every token of the default parser plus the spaces and punctuation
 * between them; the excerpt is the best cover (a stretch satisfying the query), widened or
 * narrowed to MinWords..MaxWords words and to a good end point (not a short word or number).
 *
 *   ts_headline('english', 'The quick brown fox', 'fox') -> The quick brown <b>fox</b>
 */
import { SqlError, SqlState } from "@tessera/base";
import type { TsQuery, TsQueryNode, TsQueryValue } from "../../types/tsquery.js";
import { MAX_POSITION } from "../../types/tsvector.js";
import { parseDocument, type TokenType } from "./default-parser.js";
import { execute, type PhraseData } from "./ts-match.js";
import { markFragments } from "./headline-fragments.js";
import { lexize } from "./ts-config.js";

type WordType = TokenType | "blank";

export interface HeadlineWord {
  readonly text: string;
  readonly type: WordType;
  readonly bytes: number;
  item: TsQueryValue | null;
  repeated: boolean;
  pos: number;
  selected: boolean;
  in: boolean;
  replace: boolean;
  skip: boolean;
}

export interface Options {
  minWords: number;
  maxWords: number;
  shortWord: number;
  maxFragments: number;
  highlightAll: boolean;
  startSel: string;
  stopSel: string;
  fragmentDelimiter: string;
}

const compound: ReadonlySet<WordType> = new Set(["url", "numhword", "asciihword", "hword"]);
const numeric: ReadonlySet<WordType> = new Set(["sfloat", "version", "float", "int", "uint"]);
const ignored: ReadonlySet<WordType> = new Set(["tag", "protocol", "blank", "entity"]);

export function nonWord(type: WordType): boolean {
  return type === "blank" || type === "tag" || compound.has(type);
}

export function noEnd(type: WordType): boolean {
  return nonWord(type) || numeric.has(type) || ignored.has(type);
}

/** The query's operands in Postgres's stored order: operator, right side, left side. */
function queryItems(node: TsQueryNode | null, out: TsQueryValue[]): TsQueryValue[] {
  if (node === null || node.kind === "stop") return out;
  if (node.kind === "val") out.push(node);
  else if (node.kind === "not") queryItems(node.arg, out);
  else { queryItems(node.right, out); queryItems(node.left, out); }
  return out;
}

function word(text: string, type: WordType): HeadlineWord {
  return { text, type, bytes: Buffer.byteLength(text, "utf8"), item: null, repeated: false,
    pos: 0, selected: false, in: false, replace: false, skip: false };
}

/** hlparsetext: every token and gap, query operands marked on the words that match them. */
function parseForHeadline(config: number, text: string, query: TsQuery): HeadlineWord[] {
  const items = queryItems(query, []);
  const words: HeadlineWord[] = [];
  let cursor = 0;
  let vectorPos = 0;
  for (const token of parseDocument(text)) {
    const at = text.indexOf(token.text, cursor);
    if (at > cursor) words.push(word(text.slice(cursor, at), "blank"));
    const current = word(token.text, token.type);
    words.push(current);
    cursor = compound.has(token.type) ? at : at + token.text.length;
    const lexemes = lexize(config, token.type, token.text);
    if (lexemes === undefined) continue;
    vectorPos++;
    current.pos = Math.min(vectorPos, MAX_POSITION);
    for (const lexeme of lexemes) {
      for (const item of items) {
        const hit = item.prefix ? lexeme.startsWith(item.word) : lexeme === item.word;
        if (!hit) continue;
        if (current.item === null) current.item = item;
        else words.push({ ...current, item, repeated: true });
      }
    }
  }
  if (cursor < text.length) words.push(word(text.slice(cursor), "blank"));
  return words;
}

/** hlCover: the next shortest stretch from `start` whose words satisfy the query. */
export function nextCover(words: readonly HeadlineWord[], query: TsQueryNode, maxCover: number,
  start: number): [number, number] | null {
  const isItem = (i: number): boolean => (words[i] as HeadlineWord).item !== null;
  let pmin = start;
  while (pmin < words.length && !isItem(pmin)) pmin++;
  let pmax = pmin;
  while (pmin < words.length) {
    const lo = pmin;
    const hi = pmax;
    const check = (operand: TsQueryValue, data: PhraseData | null): "yes" | "no" => {
      const positions: number[] = [];
      for (let i = lo; i <= hi; i++) {
        const w = words[i] as HeadlineWord;
        if (w.item !== operand) continue;
        if (data === null) return "yes";
        if (positions.length === 0 || (positions[positions.length - 1] as number) < w.pos) {
          positions.push(w.pos);
        }
      }
      if (data !== null) data.pos = positions;
      return positions.length > 0 ? "yes" : "no";
    };
    if (execute(query, check) !== "no") return [pmin, pmax];
    let next = pmax + 1;
    while (next < words.length && !isItem(next)) next++;
    if (next < words.length && next - pmin < maxCover) {
      pmax = next;
      continue;
    }
    pmin++;
    while (pmin < words.length && !isItem(pmin)) pmin++;
    pmax = pmin;
  }
  return null;
}

/** mark_hl_words: picks the excerpt [begin, end]. */
function chooseExcerpt(words: readonly HeadlineWord[], query: TsQuery,
  o: Options): [number, number] {
  if (o.highlightAll) return [0, words.length - 1];
  const w = (i: number): HeadlineWord => words[i] as HeadlineWord;
  const counts = (i: number): boolean => !nonWord(w(i).type);
  const interesting = (i: number): boolean => w(i).item !== null && !w(i).repeated;
  const badEnd = (i: number): boolean =>
    (noEnd(w(i).type) || w(i).bytes <= o.shortWord) && !interesting(i);
  let best: { b: number; e: number; len: number; cover: boolean } | null = null;
  const maxCover = Math.max(o.maxWords * 10, 100);
  for (let p = 0; query !== null;) {
    const cover = nextCover(words, query, maxCover, p);
    if (cover === null) break;
    const [cp, cq] = cover;
    let curlen = 0;
    let poslen = 0;
    let posb = cp;
    let pose = cp;
    let i = cp;
    for (; i <= cq && curlen < o.maxWords; i++) {
      if (counts(i)) curlen++;
      if (interesting(i)) poslen++;
      pose = i;
    }
    if (curlen < o.maxWords) {
      for (i = i - 1; i < words.length && curlen < o.maxWords; i++) {
        if (i > cq) {
          if (counts(i)) curlen++;
          if (interesting(i)) poslen++;
        }
        pose = i;
        if (badEnd(i)) continue;
        if (curlen >= o.minWords) break;
      }
      if (curlen < o.minWords) {
        for (i = cp - 1; i >= 0; i--) {
          if (counts(i)) curlen++;
          if (interesting(i)) poslen++;
          if (curlen >= o.maxWords) break;
          if (badEnd(i)) continue;
          if (curlen >= o.minWords) break;
        }
        posb = i >= 0 ? i : 0;
      }
    } else {
      if (i > cq) i = cq;
      for (; curlen > o.minWords; i--) {
        if (!badEnd(i)) break;
        if (counts(i)) curlen--;
        if (interesting(i)) poslen--;
        pose = i - 1;
      }
    }
    const poscover = posb <= cp && pose >= cq;
    if (best === null || (poscover && !best.cover) ||
      (poscover === best.cover && poslen > best.len) ||
      (poscover === best.cover && poslen === best.len && !badEnd(pose) && badEnd(best.e))) {
      best = { b: posb, e: pose, len: poslen, cover: poscover };
    }
    p = cp + 1;
  }
  if (best !== null) return [best.b, best.e];
  let curlen = 0;
  let pose = 0;
  for (let i = 0; i < words.length && curlen < o.minWords; i++) {
    if (counts(i)) curlen++;
    pose = i;
  }
  return [0, pose];
}

/** mark_fragment: puts words [begin, end] in the headline. */
export function markFragment(words: HeadlineWord[], begin: number, end: number,
  highlightAll: boolean): void {
  for (let i = begin; i <= end; i++) {
    const w = words[i] as HeadlineWord;
    if (w.item !== null) w.selected = true;
    if (!highlightAll && w.type === "tag") w.replace = true;
    else if (compound.has(w.type)) w.skip = true;
    w.in = !w.repeated;
  }
}

/** generateHeadline: the marked words, fragments joined by the delimiter. */
function generate(words: HeadlineWord[], o: Options): string {
  let out = "";
  let inFragment = false;
  let fragments = 0;
  for (const w of words) {
    if (w.in && !w.repeated) {
      if (!inFragment) {
        inFragment = true;
        fragments++;
        if (fragments > 1) out += o.fragmentDelimiter;
      }
      if (w.replace) out += " ";
      else if (!w.skip) out += w.selected ? `${o.startSel}${w.text}${o.stopSel}` : w.text;
    } else if (!w.repeated) {
      inFragment = false;
    }
  }
  return out;
}

function invalid(message: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue, message);
}

/** Reads the options text ("MaxWords=10, StartSel=<<"), as prsd_headline. */
export function headlineOptions(text: string | null): Options {
  const o: Options = { minWords: 15, maxWords: 35, shortWord: 3, maxFragments: 0,
    highlightAll: false, startSel: "<b>", stopSel: "</b>", fragmentDelimiter: " ... " };
  const pattern = /\s*([^\s=,]+)\s*=\s*("(?:[^"]|"")*"|[^\s,]*)\s*,?/gy;
  const source = text ?? "";
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < source.length && (match = pattern.exec(source)) !== null) {
    const key = (match[1] as string).toLowerCase();
    let value = match[2] as string;
    if (value.startsWith("\"")) value = value.slice(1, -1).replace(/""/g, "\"");
    const int = (): number => Number.parseInt(value, 10) || 0;
    if (key === "maxwords") o.maxWords = int();
    else if (key === "minwords") o.minWords = int();
    else if (key === "shortword") o.shortWord = int();
    else if (key === "maxfragments") o.maxFragments = int();
    else if (key === "startsel") o.startSel = value;
    else if (key === "stopsel") o.stopSel = value;
    else if (key === "fragmentdelimiter") o.fragmentDelimiter = value;
    else if (key === "highlightall") {
      o.highlightAll = ["1", "on", "true", "t", "y", "yes"].includes(value.toLowerCase());
    } else throw invalid(`unrecognized headline parameter: "${match[1] as string}"`);
  }
  if (!o.highlightAll) {
    if (o.minWords >= o.maxWords) throw invalid("MinWords should be less than MaxWords");
    if (o.minWords <= 0) throw invalid("MinWords should be positive");
    if (o.shortWord < 0) throw invalid("ShortWord should be >= 0");
    if (o.maxFragments < 0) throw invalid("MaxFragments should be >= 0");
  }
  return o;
}

/** ts_headline(config, document, query, options). */
export function headline(config: number, document: string, query: TsQuery,
  optionsText: string | null): string {
  const options = headlineOptions(optionsText);
  const words = parseForHeadline(config, document, query);
  if (words.length === 0) return "";
  if (options.maxFragments === 0) {
    const [begin, end] = chooseExcerpt(words, query, options);
    markFragment(words, begin, end, options.highlightAll);
  } else {
    markFragments(words, query, options);
  }
  return generate(words, options);
}
