/**
 * tsquery: a tree of lexemes joined by ! (not), & (and), | (or) and <N> (followed by, at
 * distance N; <-> is <1>). The run-time value is the canonical text tsqueryout prints (a
 * string), re-read through a small cache with `tsQueryOf`, as tsvector's is.
 *
 *   '(a | b) & c:*AB'::tsquery -> ( 'a' | 'b' ) & 'c':*AB
 *
 * `parseTsQuery` is PostgreSQL's parse_tsquery: one grammar for tsquery input and to_tsquery,
 * which differ only in what an operand becomes (`OperandReader`): the word as it is, or the
 * lexemes a text search configuration makes of it (null marks a stop word, removed later).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { TypeIo } from "./type-io.js";
import { isSpaceCode } from "./type-io.js";
import { ByteReader, ByteWriter, utf8Encode } from "./binary.js";
import { invalidBinary } from "./errors.js";
import {
  checkLexemeLength, compareLexemes, quoteLexeme, readCString, readLexeme,
} from "./tsvector.js";

export interface TsQueryValue {
  readonly kind: "val";
  readonly word: string;
  /** Weight mask: A 8, B 4, C 2, D 1; 0 for any weight. */
  readonly weight: number;
  readonly prefix: boolean;
}

export type TsQueryNode =
  | TsQueryValue
  | { readonly kind: "stop" }
  | { readonly kind: "not"; readonly arg: TsQueryNode }
  | { readonly kind: "and" | "or"; readonly left: TsQueryNode; readonly right: TsQueryNode }
  | { readonly kind: "phrase"; readonly left: TsQueryNode; readonly right: TsQueryNode;
      readonly distance: number };

/** A query; null is the empty query (no lexemes). */
export type TsQuery = TsQueryNode | null;

/** Turns one operand (word, weight mask, prefix flag) into a subtree. */
export type OperandReader = (word: string, weight: number, prefix: boolean) => TsQueryNode;

export const MAX_DISTANCE = 16384;

export type Operator = "and" | "or" | "phrase" | "not";
const priority: Record<Operator, number> = { or: 1, and: 2, phrase: 3, not: 4 };

export type Token =
  | { kind: "operand"; node: TsQueryNode }
  | { kind: "op"; op: Operator; distance: number }
  | { kind: "open" } | { kind: "close" } | { kind: "end" };

/** Reads tsquery text; the caller decides what each operand becomes. */
export class QueryParser {
  protected i = 0;
  protected expectOperand = true;

  constructor(protected readonly text: string, protected readonly reader: OperandReader) {}

  protected syntax(): SqlError {
    return new SqlError(SqlState.syntaxError, `syntax error in tsquery: "${this.text}"`);
  }

  private noOperand(): SqlError {
    return new SqlError(SqlState.syntaxError, `no operand in tsquery: "${this.text}"`);
  }

  protected skipSpace(): void {
    while (this.i < this.text.length && isSpaceCode(this.text.charCodeAt(this.i))) this.i++;
  }

  next(): Token {
    this.skipSpace();
    const c = this.text[this.i];
    if (this.expectOperand) {
      if (c === undefined) return { kind: "end" };
      if (c === "!") { this.i++; return { kind: "op", op: "not", distance: 0 }; }
      if (c === "(") { this.i++; return { kind: "open" }; }
      if (c === ":" || c === "&" || c === "|" || c === ")" || c === "<") throw this.syntax();
      return this.operand();
    }
    if (c === undefined) return { kind: "end" };
    this.expectOperand = true;
    if (c === "&") { this.i++; return { kind: "op", op: "and", distance: 0 }; }
    if (c === "|") { this.i++; return { kind: "op", op: "or", distance: 0 }; }
    if (c === "<") return { kind: "op", op: "phrase", distance: this.phraseDistance() };
    if (c === ")") { this.i++; this.expectOperand = false; return { kind: "close" }; }
    throw this.syntax();
  }

  private phraseDistance(): number {
    const match = /^<(?:-|(\d+))>/.exec(this.text.slice(this.i, this.i + 24));
    if (match === null) throw this.syntax();
    this.i += match[0].length;
    if (match[1] === undefined) return 1;
    const distance = Number(match[1]);
    if (distance < 0 || distance > MAX_DISTANCE) {
      throw new SqlError(SqlState.invalidParameterValue, "distance in phrase operator must " +
        `be an integer value between zero and ${MAX_DISTANCE} inclusive`);
    }
    return distance;
  }

  private operand(): Token {
    const stop = (ch: string): boolean => ch === ":" || ch === "&" || ch === "|" ||
      ch === "!" || ch === "(" || ch === ")" || ch === "<";
    const { word, end } = readLexeme(this.text, this.i, stop, () => this.syntax());
    if (word === "") throw this.syntax();
    this.i = end;
    checkLexemeLength(word);
    let weight = 0;
    let prefix = false;
    if (this.text[this.i] === ":") {
      this.i++;
      for (;;) {
        const ch = this.text[this.i];
        const bit = ch === undefined ? undefined : weightBits[ch];
        if (ch === "*") prefix = true;
        else if (bit !== undefined) weight |= bit;
        else break;
        this.i++;
      }
      const after = this.text[this.i];
      if (after !== undefined && !isSpaceCode(after.charCodeAt(0)) && !stop(after)) {
        throw this.syntax();
      }
      if (after === ":") throw this.syntax();
    }
    this.expectOperand = false;
    return { kind: "operand", node: this.reader(word, weight, prefix) };
  }

  /** Shunting-yard over one parenthesised level (makepol). */
  expression(depth: number): TsQueryNode | undefined {
    const output: TsQueryNode[] = [];
    const ops: { op: Operator; distance: number }[] = [];
    const reduce = (): void => {
      const top = ops.pop() as { op: Operator; distance: number };
      if (top.op === "not") {
        const arg = output.pop();
        if (arg === undefined) throw this.noOperand();
        output.push({ kind: "not", arg });
        return;
      }
      const right = output.pop();
      const left = output.pop();
      if (right === undefined || left === undefined) throw this.noOperand();
      output.push(top.op === "phrase" ? { kind: "phrase", left, right, distance: top.distance }
        : { kind: top.op, left, right });
    };
    const clean = (op: Operator): void => {
      while (ops.length > 0) {
        const top = ops[ops.length - 1] as { op: Operator };
        if (op !== "not" && priority[op] > priority[top.op]) break;
        if (op === "not" && priority[op] >= priority[top.op]) break;
        reduce();
      }
    };
    for (;;) {
      const token = this.next();
      if (token.kind === "operand") output.push(token.node);
      else if (token.kind === "op") {
        clean(token.op);
        ops.push({ op: token.op, distance: token.distance });
      } else if (token.kind === "open") {
        const inner = this.expression(depth + 1);
        if (inner === undefined) throw this.syntax();
        output.push(inner);
        this.expectOperand = false;
      } else {
        if (token.kind === "close" && depth === 0) throw this.syntax();
        if (token.kind === "end" && depth > 0) throw this.syntax();
        clean("or");
        if (output.length > 1) throw this.syntax();
        return output[0];
      }
    }
  }
}

const weightBits: Record<string, number> = { a: 8, A: 8, b: 4, B: 4, c: 2, C: 2, d: 1, D: 1 };

/** Parses tsquery syntax; operands become what `reader` makes of them. Undefined if empty. */
export function parseTsQuerySyntax(text: string, reader: OperandReader): TsQueryNode | undefined {
  return new QueryParser(text, reader).expression(0);
}

/** tsquery_in: operands are taken as they are. */
export function parseTsQuery(text: string): TsQuery {
  return parseTsQuerySyntax(text, (word, weight, prefix) =>
    ({ kind: "val", word, weight, prefix })) ?? null;
}

function operandText(node: TsQueryValue): string {
  let out = quoteLexeme(node.word);
  if (node.weight !== 0 || node.prefix) {
    out += ":";
    if (node.prefix) out += "*";
    if ((node.weight & 8) !== 0) out += "A";
    if ((node.weight & 4) !== 0) out += "B";
    if ((node.weight & 2) !== 0) out += "C";
    if ((node.weight & 1) !== 0) out += "D";
  }
  return out;
}

function nodePriority(node: TsQueryNode): number {
  return node.kind === "val" || node.kind === "stop" ? 0 : priority[node.kind];
}

function infix(node: TsQueryNode, parentPriority: number, rightPhrase: boolean): string {
  if (node.kind === "val") return operandText(node);
  if (node.kind === "stop") return "";
  const own = nodePriority(node);
  if (node.kind === "not") {
    const inner = `!${infix(node.arg, own, false)}`;
    return own < parentPriority ? `( ${inner} )` : inner;
  }
  const paren = own < parentPriority || (node.kind === "phrase" && rightPhrase);
  const right = infix(node.right, own, node.kind === "phrase");
  const left = infix(node.left, own, false);
  const op = node.kind === "or" ? "|" : node.kind === "and" ? "&"
    : node.kind === "phrase" && node.distance !== 1 ? `<${node.distance}>` : "<->";
  const text = `${left} ${op} ${right}`;
  return paren ? `( ${text} )` : text;
}

export function printTsQuery(query: TsQuery): string {
  return query === null ? "" : infix(query, -1, false);
}

const cacheMax = 512;
const cache = new Map<string, TsQuery>();

/** Returns the parsed form of a tsquery value (its canonical text). */
export function tsQueryOf(value: string): TsQuery {
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  const query = parseTsQuery(value);
  if (cache.size >= cacheMax) cache.clear();
  cache.set(value, query);
  return query;
}

/** Prints a query and remembers its parsed form. */
export function tsQueryValue(query: TsQuery): string {
  const text = printTsQuery(query);
  if (cache.size >= cacheMax) cache.clear();
  cache.set(text, query);
  return text;
}

/** The legacy CRC-32 Postgres keeps per operand (valcrc), which its tsquery order compares. */
const crcTable: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = (c & 1) !== 0 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function legacyCrc32(word: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(word, "utf8")) {
    crc = ((crcTable[((crc >>> 24) ^ byte) & 0xff] as number) ^ (crc << 8)) >>> 0;
  }
  return (crc ^ 0xffffffff) | 0;
}

interface QueryShape { items: number; operandBytes: number }

function shape(node: TsQueryNode, acc: QueryShape): QueryShape {
  acc.items++;
  if (node.kind === "val") acc.operandBytes += Buffer.byteLength(node.word, "utf8") + 1;
  else if (node.kind === "not") shape(node.arg, acc);
  else if (node.kind !== "stop") { shape(node.left, acc); shape(node.right, acc); }
  return acc;
}

const operatorCodes = { not: 1, and: 2, or: 3, phrase: 4 } as const;

/** QTNodeCompare: values before operators; children right first, as Postgres stores them. */
function compareNodes(a: TsQueryNode, b: TsQueryNode): number {
  const ta = a.kind === "val" ? 1 : 2;
  const tb = b.kind === "val" ? 1 : 2;
  if (ta !== tb) return ta > tb ? -1 : 1;
  if (a.kind === "val" && b.kind === "val") {
    const ca = legacyCrc32(a.word);
    const cb = legacyCrc32(b.word);
    if (ca !== cb) return ca > cb ? -1 : 1;
    return compareLexemes(a.word, b.word);
  }
  if (a.kind === "val" || b.kind === "val" || a.kind === "stop" || b.kind === "stop") return 0;
  const oa = operatorCodes[a.kind];
  const ob = operatorCodes[b.kind];
  if (oa !== ob) return oa > ob ? -1 : 1;
  const kidsA = a.kind === "not" ? [a.arg] : [a.right, a.left];
  const kidsB = b.kind === "not" ? [b.arg] : [b.right, b.left];
  for (let i = 0; i < kidsA.length; i++) {
    const c = compareNodes(kidsA[i] as TsQueryNode, kidsB[i] as TsQueryNode);
    if (c !== 0) return c;
  }
  if (a.kind === "phrase" && b.kind === "phrase" && a.distance !== b.distance) {
    return a.distance > b.distance ? -1 : 1;
  }
  return 0;
}

/** tsquery_cmp: item count, stored size, then the trees. */
export function compareTsQueries(a: TsQuery, b: TsQuery): number {
  const sa = a === null ? { items: 0, operandBytes: 0 } : shape(a, { items: 0, operandBytes: 0 });
  const sb = b === null ? { items: 0, operandBytes: 0 } : shape(b, { items: 0, operandBytes: 0 });
  if (sa.items !== sb.items) return sa.items < sb.items ? -1 : 1;
  if (sa.operandBytes !== sb.operandBytes) return sa.operandBytes < sb.operandBytes ? -1 : 1;
  if (a === null || b === null) return 0;
  return compareNodes(a, b);
}

/** tsquerysend: the item count, then the items as Postgres stores them (operator, right, left). */
function sendTsQuery(query: TsQuery): Uint8Array {
  const out = new ByteWriter(64).int32(query === null ? 0 : shape(query, { items: 0,
    operandBytes: 0 }).items);
  const item = (node: TsQueryNode): void => {
    if (node.kind === "val") {
      out.int8(1).int8(node.weight).int8(node.prefix ? 1 : 0).bytes(utf8Encode(node.word)).int8(0);
    } else if (node.kind === "not") {
      out.int8(2).int8(operatorCodes.not);
      item(node.arg);
    } else if (node.kind !== "stop") {
      out.int8(2).int8(operatorCodes[node.kind]);
      if (node.kind === "phrase") out.int16(node.distance);
      item(node.right);
      item(node.left);
    }
  };
  if (query !== null) item(query);
  return out.finish();
}

/** tsqueryrecv. */
function receiveTsQuery(bytes: Uint8Array): TsQuery {
  const reader = new ByteReader(bytes);
  const size = reader.int32();
  if (size < 0) throw invalidBinary("invalid size of tsquery");
  let read = 0;
  const item = (): TsQueryNode => {
    if (read++ >= size) throw invalidBinary("malformed tsquery: operand not found");
    const type = reader.int8();
    if (type === 1) {
      const weight = reader.uint8();
      const prefix = reader.uint8() !== 0;
      if (weight > 15) throw invalidBinary("invalid tsquery: invalid weight bitmap");
      const word = readCString(reader);
      checkLexemeLength(word);
      return { kind: "val", word, weight, prefix };
    }
    if (type !== 2) throw invalidBinary(`unrecognized tsquery node type: ${type}`);
    const oper = reader.int8();
    if (oper === operatorCodes.not) return { kind: "not", arg: item() };
    if (oper === operatorCodes.phrase) {
      const distance = reader.int16();
      const right = item();
      return { kind: "phrase", left: item(), right, distance };
    }
    if (oper !== operatorCodes.and && oper !== operatorCodes.or) {
      throw invalidBinary(`unrecognized operator type: ${oper}`);
    }
    const right = item();
    return { kind: oper === operatorCodes.and ? "and" : "or", left: item(), right };
  };
  const query = size === 0 ? null : item();
  if (read !== size) throw invalidBinary("malformed tsquery: extra nodes");
  reader.end();
  return query;
}

export const tsqueryIo: TypeIo = {
  input: (text) => tsQueryValue(parseTsQuery(text)),
  send: (value) => sendTsQuery(tsQueryOf(value as string)),
  receive: (bytes) => tsQueryValue(receiveTsQuery(bytes)),
  output: (value) => value as string,
  compare: (a, b) => a === b ? 0 : compareTsQueries(tsQueryOf(a as string), tsQueryOf(b as string)),
  equals: (a, b) => a === b,
  hashKey: (value) => value as string,
};
