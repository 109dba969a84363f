/**
 * The jsonpath parser: PostgreSQL's jsonpath_gram.y as recursive descent. Predicates and
 * expressions share one precedence ladder (|| < && < ! < comparison < + - < * / % < unary);
 * `@` outside a filter and `last` outside a subscript are rejected as jsonpath_in does.
 */
import { SqlError, SqlState } from "@tessera/base";
import { Decimal } from "decimal.js";
import {
  JP_ANY_LAST, type JpBinOp, type JpMethod, type JpNode, type JpStep, type JpSubscript,
  type JsonPath,
} from "./jsonpath-ast.js";
import { syntaxError, tokenize, type JpToken } from "./jsonpath-lex.js";
import { parseNumeric } from "./numeric.js";
import { withScale } from "./numeric.js";

const comparisons = new Set(["==", "!=", "<>", "<", ">", "<=", ">="]);
const methods = new Set(["type", "size", "double", "ceiling", "floor", "abs", "keyvalue"]);

/** Parses jsonpath text, as jsonpath_in. */
export function parseJsonPath(text: string): JsonPath {
  const parser = new Parser(tokenize(text));
  if (parser.peek().kind === "end") {
    throw new SqlError(SqlState.invalidTextRepresentation,
      `invalid input syntax for type jsonpath: "${text}"`);
  }
  let lax = true;
  if (parser.isWord("strict") || parser.isWord("lax")) {
    lax = parser.next().text === "lax";
  }
  const expr = parser.parseOr();
  if (parser.peek().kind !== "end") throw syntaxError(parser.peek());
  return { lax, expr };
}

class Parser {
  private pos = 0;
  private filterDepth = 0;
  private subscriptDepth = 0;

  constructor(private readonly tokens: readonly JpToken[]) {}

  peek(offset = 0): JpToken {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as JpToken;
  }

  next(): JpToken {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "punct" && t.text === text;
  }

  isWord(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "word" && t.text === text;
  }

  expectPunct(text: string): void {
    if (!this.isPunct(text)) throw syntaxError(this.peek());
    this.next();
  }

  parseOr(): JpNode {
    let left = this.parseAnd();
    while (this.isPunct("||")) {
      this.next();
      left = { k: "bin", op: "||", l: left, r: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): JpNode {
    let left = this.parseNot();
    while (this.isPunct("&&")) {
      this.next();
      left = { k: "bin", op: "&&", l: left, r: this.parseNot() };
    }
    return left;
  }

  private parseNot(): JpNode {
    if (!this.isPunct("!")) return this.parseComparison();
    this.next();
    if (!this.isPunct("(") && !this.isWord("exists")) throw syntaxError(this.peek());
    return { k: "not", arg: this.parseNot() };
  }

  private parseComparison(): JpNode {
    const left = this.parseAdditive();
    const t = this.peek();
    if (t.kind === "punct" && comparisons.has(t.text)) {
      this.next();
      const op = (t.text === "<>" ? "!=" : t.text) as JpBinOp;
      return { k: "bin", op, l: left, r: this.parseAdditive() };
    }
    if (this.isWord("starts") && this.isWord("with", 1)) {
      this.pos += 2;
      const init = this.next();
      if (init.kind !== "str" && init.kind !== "var") throw syntaxError(init);
      const r: JpNode = init.kind === "str" ? { k: "str", v: init.text } : this.variable(init);
      return { k: "bin", op: "starts with", l: left, r };
    }
    if (this.isWord("like_regex")) return this.parseLike(left);
    return left;
  }

  private parseLike(arg: JpNode): JpNode {
    this.next();
    const pattern = this.next();
    if (pattern.kind !== "str") throw syntaxError(pattern);
    let flags = "";
    if (this.isWord("flag")) {
      this.next();
      const f = this.next();
      if (f.kind !== "str") throw syntaxError(f);
      flags = normaliseFlags(f.text);
    }
    likeRegexCheck?.(pattern.text, flags);
    return { k: "like", arg, pattern: pattern.text, flags };
  }

  private parseAdditive(): JpNode {
    let left = this.parseMultiplicative();
    while (this.isPunct("+") || this.isPunct("-")) {
      const op = this.next().text as JpBinOp;
      left = { k: "bin", op, l: left, r: this.parseMultiplicative() };
    }
    return left;
  }

  private parseMultiplicative(): JpNode {
    let left = this.parseUnary();
    while (this.isPunct("*") || this.isPunct("/") || this.isPunct("%")) {
      const op = this.next().text as JpBinOp;
      left = { k: "bin", op, l: left, r: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): JpNode {
    if (!this.isPunct("+") && !this.isPunct("-")) return this.parseAccessor();
    const op = this.next().text as "+" | "-";
    const arg = this.parseUnary();
    if (arg.k === "num") return op === "+" ? arg : { k: "num", v: negate(arg.v) };
    return { k: "unary", op, arg };
  }

  private parseAccessor(): JpNode {
    const head = this.parsePrimary();
    const steps: JpStep[] = [];
    for (;;) {
      const step = this.parseStep();
      if (step === undefined) break;
      steps.push(step);
    }
    return steps.length === 0 ? head : { k: "chain", head, steps };
  }

  private parsePrimary(): JpNode {
    const t = this.next();
    switch (t.kind) {
      case "num": return { k: "num", v: parseNumeric(t.text) };
      case "str": return { k: "str", v: t.text };
      case "var": return this.variable(t);
      case "end": throw syntaxError(t);
      case "word": return this.wordPrimary(t);
      case "punct": break;
    }
    if (t.text === "$") return { k: "root" };
    if (t.text === "@") {
      if (this.filterDepth === 0) {
        throw new SqlError(SqlState.syntaxError, "@ is not allowed in root expressions");
      }
      return { k: "current" };
    }
    if (t.text !== "(") throw syntaxError(t);
    const inner = this.parseOr();
    this.expectPunct(")");
    if (this.isWord("is") && this.isWord("unknown", 1)) {
      this.pos += 2;
      return { k: "isUnknown", arg: inner };
    }
    return inner;
  }

  private wordPrimary(t: JpToken): JpNode {
    switch (t.text) {
      case "true": return { k: "bool", v: true };
      case "false": return { k: "bool", v: false };
      case "null": return { k: "null" };
      case "last":
        if (this.subscriptDepth === 0) {
          throw new SqlError(SqlState.syntaxError, "LAST is allowed only in array subscripts");
        }
        return { k: "last" };
      case "exists": {
        this.expectPunct("(");
        const arg = this.parseOr();
        this.expectPunct(")");
        return { k: "exists", arg };
      }
      default: throw syntaxError(t);
    }
  }

  private variable(t: JpToken): JpNode {
    return { k: "var", name: t.text };
  }

  private parseStep(): JpStep | undefined {
    if (this.isPunct("[")) return this.parseSubscripts();
    if (this.isPunct("?") && this.isPunct("(", 1)) {
      this.pos += 2;
      this.filterDepth++;
      const pred = this.parseOr();
      this.filterDepth--;
      this.expectPunct(")");
      return { k: "filter", pred };
    }
    if (!this.isPunct(".")) return undefined;
    this.next();
    const t = this.next();
    if (t.kind === "punct" && t.text === "*") return { k: "anyKey" };
    if (t.kind === "punct" && t.text === "**") return this.parseAnyBounds();
    if (t.kind === "str") return { k: "key", name: t.text };
    if (t.kind !== "word") throw syntaxError(t);
    if (this.isPunct("(") && (methods.has(t.text) || t.text === "datetime")) {
      this.next();
      return this.parseMethod(t.text as JpMethod);
    }
    return { k: "key", name: t.text };
  }

  private parseMethod(name: JpMethod): JpStep {
    if (name === "datetime" && this.peek().kind === "str") {
      const arg = this.next().text;
      this.expectPunct(")");
      return { k: "method", name, arg };
    }
    this.expectPunct(")");
    return { k: "method", name };
  }

  private parseAnyBounds(): JpStep {
    if (!this.isPunct("{")) return { k: "any", first: 0, last: JP_ANY_LAST };
    this.next();
    const first = this.anyLevel();
    let last = first;
    if (this.isWord("to")) {
      this.next();
      last = this.anyLevel();
    }
    this.expectPunct("}");
    return { k: "any", first, last };
  }

  private anyLevel(): number {
    const t = this.next();
    if (t.kind === "word" && t.text === "last") return JP_ANY_LAST;
    if (t.kind !== "num" || !/^\d+$/.test(t.text)) throw syntaxError(t);
    return Number(t.text);
  }

  private parseSubscripts(): JpStep {
    this.next();
    if (this.isPunct("*") && this.isPunct("]", 1)) {
      this.pos += 2;
      return { k: "anyArray" };
    }
    const subs: JpSubscript[] = [];
    this.subscriptDepth++;
    for (;;) {
      const from = this.parseAdditive();
      if (this.isWord("to")) {
        this.next();
        subs.push({ from, to: this.parseAdditive() });
      } else {
        subs.push({ from });
      }
      if (!this.isPunct(",")) break;
      this.next();
    }
    this.subscriptDepth--;
    this.expectPunct("]");
    return { k: "index", subs };
  }
}

function negate(v: Decimal): Decimal {
  return withScale(v.negated(), v.isFinite() ? Math.max(0, scaleOfText(v)) : 0);
}

function scaleOfText(v: Decimal): number {
  const recorded = (v as Decimal & { dscale?: number }).dscale;
  return recorded ?? v.decimalPlaces();
}

/** Compiles a like_regex pattern to raise its errors at parse time, as PostgreSQL does. */
export type LikeRegexCheck = (pattern: string, flags: string) => void;

let likeRegexCheck: LikeRegexCheck | undefined;

/** Installs the like_regex pattern check (the regex engine lives in the functions layer). */
export function setLikeRegexCheck(check: LikeRegexCheck): void {
  likeRegexCheck = check;
}

/** Checks like_regex flags and prints them in PostgreSQL's order (i, s, m, x, q). */
function normaliseFlags(flags: string): string {
  for (const f of flags) {
    if (!"ismxq".includes(f)) {
      throw new SqlError(SqlState.syntaxError, "invalid input syntax for type jsonpath",
        { detail: `Unrecognized flag character "${f}" in LIKE_REGEX predicate.` });
    }
  }
  if (flags.includes("x") && !flags.includes("q")) {
    throw new SqlError(SqlState.featureNotSupported,
      "XQuery \"x\" flag (expanded regular expressions) is not implemented");
  }
  return [..."ismxq"].filter((f) => flags.includes(f)).join("");
}
