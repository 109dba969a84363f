/**
 * Queries from text: to_tsquery (tsquery syntax, each operand normalised by a configuration),
 * plainto_tsquery (words joined by &), phraseto_tsquery (words joined by <->, stop words
 * widening the distance) and websearch_to_tsquery (quoted phrases, `or`, `-word`).
 * Stop words leave placeholders that `removeStopWords` takes out afterwards, as PostgreSQL's
 * cleanup_tsquery_stopwords does.
 *
 *   phraseto_tsquery('english', 'the cat of the house') -> 'cat' <3> 'hous'
 */
import {
  QueryParser, parseTsQuerySyntax, type Token, type TsQuery, type TsQueryNode,
} from "../../types/tsquery.js";
import { isSpaceCode } from "../../types/type-io.js";
import { parseText } from "./ts-config.js";

const stop: TsQueryNode = { kind: "stop" };

function join(op: "and" | "phrase", left: TsQueryNode, right: TsQueryNode): TsQueryNode {
  return op === "and" ? { kind: "and", left, right }
    : { kind: "phrase", left, right, distance: 1 };
}

/** pushval_morph: the lexemes `text` yields, joined by `op`, stop words as placeholders. */
export function morph(config: number, text: string, weight: number, prefix: boolean,
  op: "and" | "phrase"): TsQueryNode {
  const words = parseText(config, text);
  if (words.length === 0) return stop;
  let result: TsQueryNode | undefined;
  let pos = 0;
  for (const word of words) {
    if (pos > 0 && word.pos === pos) {
      const value: TsQueryNode = { kind: "val", word: word.word, weight, prefix };
      result = result === undefined ? value : { kind: "or", left: result, right: value };
      continue;
    }
    while (pos > 0 && pos + 1 < word.pos) {
      result = join(op, result as TsQueryNode, stop);
      pos++;
    }
    pos = word.pos;
    const value: TsQueryNode = { kind: "val", word: word.word, weight, prefix };
    result = result === undefined ? value : join(op, result, value);
  }
  return result as TsQueryNode;
}

interface Cleaned { node: TsQueryNode | null; ladd: number; radd: number }

/** clean_stopword_intree: drops placeholders, moving their width into phrase distances. */
function clean(node: TsQueryNode): Cleaned {
  if (node.kind === "val") return { node, ladd: 0, radd: 0 };
  if (node.kind === "stop") return { node: null, ladd: 0, radd: 0 };
  if (node.kind === "not") {
    const arg = clean(node.arg);
    return { node: arg.node === null ? null : { kind: "not", arg: arg.node },
      ladd: arg.ladd, radd: arg.radd };
  }
  const l = clean(node.left);
  const r = clean(node.right);
  const isPhrase = node.kind === "phrase";
  const distance = node.kind === "phrase" ? node.distance : 0;
  if (l.node === null && r.node === null) {
    const add = isPhrase ? l.ladd + distance + r.radd : 0;
    return { node: null, ladd: add, radd: add };
  }
  if (l.node === null) {
    return { node: r.node, ladd: isPhrase ? l.ladd + distance + r.ladd : 0,
      radd: isPhrase ? r.radd : 0 };
  }
  if (r.node === null) {
    return { node: l.node, ladd: isPhrase ? l.ladd : 0,
      radd: isPhrase ? l.radd + distance + r.radd : 0 };
  }
  if (node.kind === "phrase") {
    return { node: { kind: "phrase", left: l.node, right: r.node,
      distance: Math.min(distance + l.radd + r.ladd, 16384) }, ladd: l.ladd, radd: r.radd };
  }
  return { node: { kind: node.kind, left: l.node, right: r.node }, ladd: 0, radd: 0 };
}

export function removeStopWords(node: TsQueryNode | undefined): TsQuery {
  return node === undefined ? null : clean(node).node;
}

export function toTsQuery(config: number, text: string): TsQuery {
  return removeStopWords(parseTsQuerySyntax(text, (word, weight, prefix) =>
    morph(config, word, weight, prefix, "phrase")));
}

export function plainToTsQuery(config: number, text: string): TsQuery {
  return removeStopWords(morph(config, text, 0, false, "and"));
}

export function phraseToTsQuery(config: number, text: string): TsQuery {
  return removeStopWords(morph(config, text, 0, false, "phrase"));
}

const websearchOperators = "!&|()<";

/** gettoken_query_websearch: quotes, `or`, a leading `-`; anything else joins with &. */
class WebSearchParser extends QueryParser {
  /** An operator waits for its operand; at the end a placeholder stands in (then dropped). */
  private dangling = false;

  override next(): Token {
    const token = this.scan();
    this.dangling = token.kind === "op";
    return token;
  }

  private scan(): Token {
    for (;;) {
      const c = this.text[this.i];
      if (this.expectOperand) {
        if (c === undefined) {
          if (!this.dangling) return { kind: "end" };
          this.expectOperand = false;
          return { kind: "operand", node: stop };
        }
        if (c === "-") { this.i++; return { kind: "op", op: "not", distance: 0 }; }
        if (c === "\"") return this.quoted();
        if (websearchOperators.includes(c) || isSpaceCode(c.charCodeAt(0))) {
          this.i++;
          continue;
        }
        const word = this.plainWord();
        this.expectOperand = false;
        return { kind: "operand", node: this.reader(word, 0, false) };
      }
      if (c === undefined) return { kind: "end" };
      if (c === "\"" || c === "-") {
        this.expectOperand = true;
        return { kind: "op", op: "and", distance: 0 };
      }
      if (this.orOperator()) {
        this.expectOperand = true;
        return { kind: "op", op: "or", distance: 0 };
      }
      if (!isSpaceCode(c.charCodeAt(0)) && !websearchOperators.includes(c)) {
        this.expectOperand = true;
        return { kind: "op", op: "and", distance: 0 };
      }
      this.i++;
    }
  }

  /**
   * A word: its first character whatever it is, then up to a space, quote, colon or operator
   * character; a backslash escapes the next character.
   */
  private plainWord(): string {
    let word = "";
    const start = this.i;
    while (this.i < this.text.length) {
      const ch = this.text[this.i] as string;
      if (ch === "\\" && this.i + 1 < this.text.length) {
        word += this.text[this.i + 1];
        this.i += 2;
        continue;
      }
      if (this.i > start && (isSpaceCode(ch.charCodeAt(0)) || ch === "\"" || ch === ":" ||
        websearchOperators.includes(ch))) break;
      word += ch;
      this.i++;
    }
    return word;
  }

  private quoted(): Token {
    const start = this.i + 1;
    let end = start;
    while (end < this.text.length && this.text[end] !== "\"") end++;
    this.i = end < this.text.length ? end + 1 : end;
    this.expectOperand = false;
    return { kind: "operand", node: this.reader(this.text.slice(start, end), 0, false) };
  }

  /** parse_or_operator: "or" not part of a word and followed by something. */
  private orOperator(): boolean {
    if (this.text.slice(this.i, this.i + 2).toLowerCase() !== "or") return false;
    let j = this.i + 2;
    const after = this.text[j];
    if (after === undefined || after === "-" || after === "_" || /[A-Za-z0-9\u0080-\uffff]/
      .test(after)) return false;
    for (;;) {
      j++;
      if (j >= this.text.length) return false;
      if (!isSpaceCode(this.text.charCodeAt(j))) break;
    }
    this.i += 2;
    return true;
  }
}

export function websearchToTsQuery(config: number, text: string): TsQuery {
  const parser = new WebSearchParser(text, (word) => morph(config, word, 0, false, "phrase"));
  return removeStopWords(parser.expression(0));
}
