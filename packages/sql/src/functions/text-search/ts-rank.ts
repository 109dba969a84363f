/**
 * ts_rank and ts_rank_cd with PostgreSQL's formulas (tsrank.c), in its float4 arithmetic:
 * ts_rank sums per-lexeme weights (or, for a query whose top is & or <->, combines the
 * proximity of every pair of query lexemes); ts_rank_cd sums cover densities, a cover being
 * the shortest stretch of the document that satisfies the query.
 *
 *   ts_rank(to_tsvector('a b c'), 'b') -> 0.0607927
 */
import { SqlError, SqlState } from "@tessera/base";
import { positionOf, weightOf, MAX_POSITION, type TsLexeme, type TsVector } from
  "../../types/tsvector.js";
import { compareLexemes } from "../../types/tsvector.js";
import type { TsQuery, TsQueryNode, TsQueryValue } from "../../types/tsquery.js";
import type { PgArray } from "../../types/value.js";
import { execute, matchingLexemes, weightMatches, type PhraseData } from "./ts-match.js";

const f = Math.fround;
const defaultWeights = [f(0.1), f(0.2), f(0.4), f(1.0)];
const NORM_LOGLENGTH = 1;
const NORM_LENGTH = 2;
const NORM_EXTDIST = 4;
const NORM_UNIQ = 8;
const NORM_LOGUNIQ = 16;
const NORM_RDIVRPLUS1 = 32;

/** The weights a float4[] argument gives (negative entries keep the default). */
export function weightsOf(array: PgArray | null): number[] {
  if (array === null) return defaultWeights;
  if (array.dims.length > 1) {
    throw new SqlError(SqlState.arraySubscriptError, "array of weight must be one-dimensional");
  }
  if (array.items.length < 4) {
    throw new SqlError(SqlState.arraySubscriptError, "array of weight is too short");
  }
  return defaultWeights.map((d, i) => {
    const w = array.items[i];
    if (w === null || w === undefined) {
      throw new SqlError(SqlState.nullValueNotAllowed, "array of weight must not contain nulls");
    }
    const value = w as number;
    if (value > 1) throw new SqlError(SqlState.invalidParameterValue, "weight out of range");
    return value >= 0 ? value : d;
  });
}

function operands(node: TsQueryNode, out: TsQueryValue[]): TsQueryValue[] {
  if (node.kind === "val") out.push(node);
  else if (node.kind === "not") operands(node.arg, out);
  else if (node.kind !== "stop") { operands(node.left, out); operands(node.right, out); }
  return out;
}

/** SortAndUniqItems: the query's operands, sorted and distinct by their text. */
function uniqueOperands(query: TsQueryNode): TsQueryValue[] {
  const sorted = operands(query, []).sort((a, b) => compareLexemes(a.word, b.word));
  return sorted.filter((o, i) => i === 0 || (sorted[i - 1] as TsQueryValue).word !== o.word);
}

/** A lexeme without positions counts as one at 16383 of weight D. */
const noPositions = [MAX_POSITION];

function positionsOf(lexeme: TsLexeme): readonly number[] {
  return lexeme.positions.length > 0 ? lexeme.positions : noPositions;
}

function countLength(vector: TsVector): number {
  let n = 0;
  for (const lexeme of vector) n += Math.max(lexeme.positions.length, 1);
  return n;
}

function rankOr(w: readonly number[], vector: TsVector, query: TsQueryNode): number {
  const items = uniqueOperands(query);
  let res = 0;
  for (const item of items) {
    for (const lexeme of matchingLexemes(vector, { ...item, prefix: item.prefix })) {
      const post = positionsOf(lexeme);
      let resj = 0;
      let wjm = -1;
      let jm = 0;
      for (let j = 0; j < post.length; j++) {
        const wp = w[weightOf(post[j] as number)] as number;
        resj = f(resj + f(wp / ((j + 1) * (j + 1))));
        if (wp > wjm) { wjm = wp; jm = j; }
      }
      res = f(res + f(f(wjm + resj) - f(wjm / ((jm + 1) * (jm + 1)))) / 1.64493406685);
    }
  }
  return items.length > 0 ? f(res / items.length) : res;
}

function wordDistance(d: number): number {
  if (d > 100) return f(1e-30);
  return f(1.0 / (1.005 + 0.05 * Math.exp(f(d) / 1.5 - 2.0)));
}

function rankAnd(w: readonly number[], vector: TsVector, query: TsQueryNode): number {
  const items = uniqueOperands(query);
  if (items.length < 2) return rankOr(w, vector, query);
  const pos: (readonly number[] | undefined)[] = new Array<undefined>(items.length);
  const isNull: boolean[] = new Array<boolean>(items.length).fill(false);
  let res = -1;
  for (let i = 0; i < items.length; i++) {
    for (const lexeme of matchingLexemes(vector, items[i] as TsQueryValue)) {
      pos[i] = positionsOf(lexeme);
      isNull[i] = lexeme.positions.length === 0;
      const post = pos[i] as readonly number[];
      for (let k = 0; k < i; k++) {
        const ct = pos[k];
        if (ct === undefined) continue;
        for (const pl of post) {
          for (const pc of ct) {
            let dist = Math.abs(positionOf(pl) - positionOf(pc));
            if (dist === 0 && !(isNull[i] || isNull[k])) continue;
            if (dist === 0) dist = MAX_POSITION + 1;
            const product = f(f((w[weightOf(pl)] as number) * (w[weightOf(pc)] as number)) *
              wordDistance(dist));
            const curw = f(Math.sqrt(product));
            res = res < 0 ? curw : f(1.0 - (1.0 - res) * (1.0 - curw));
          }
        }
      }
    }
  }
  return res;
}

/** ts_rank. */
export function tsRank(w: readonly number[], vector: TsVector, query: TsQuery,
  method: number): number {
  if (vector.length === 0 || query === null) return 0;
  let res = query.kind === "and" || query.kind === "phrase" ? rankAnd(w, vector, query)
    : rankOr(w, vector, query);
  if (res < 0) res = f(1e-20);
  if ((method & NORM_LOGLENGTH) !== 0) {
    res = f(res / (Math.log(countLength(vector) + 1) / Math.log(2.0)));
  }
  if ((method & NORM_LENGTH) !== 0) {
    const len = countLength(vector);
    if (len > 0) res = f(res / len);
  }
  if ((method & NORM_UNIQ) !== 0) res = f(res / vector.length);
  if ((method & NORM_LOGUNIQ) !== 0) res = f(res / (Math.log(vector.length + 1) / Math.log(2.0)));
  if ((method & NORM_RDIVRPLUS1) !== 0) res = f(res / (res + 1));
  return res;
}

interface DocEntry {
  readonly pos: number;
  readonly lexeme: number;
  readonly items: number[];
}

/** get_docrep: every matched position with the query operands found there, in order. */
function docRepresentation(vector: TsVector, all: readonly TsQueryValue[]): DocEntry[] {
  const raw: { pos: number; lexeme: number; item: number }[] = [];
  all.forEach((operand, item) => {
    for (const lexeme of matchingLexemes(vector, operand)) {
      const index = vector.indexOf(lexeme);
      for (const p of lexeme.positions) {
        if (weightMatches(p, operand.weight)) raw.push({ pos: p, lexeme: index, item });
      }
    }
  });
  raw.sort((a, b) => positionOf(a.pos) - positionOf(b.pos) ||
    weightOf(a.pos) - weightOf(b.pos) || a.lexeme - b.lexeme);
  const doc: DocEntry[] = [];
  for (const r of raw) {
    const last = doc[doc.length - 1];
    if (last !== undefined && last.pos === r.pos && last.lexeme === r.lexeme) {
      last.items.push(r.item);
    } else doc.push({ pos: r.pos, lexeme: r.lexeme, items: [r.item] });
  }
  return doc;
}

interface Cover { p: number; q: number; begin: number; end: number }

/** Finds the next cover at or after doc[start]; returns it and the next start, or null. */
function nextCover(doc: readonly DocEntry[], query: TsQueryNode, items: readonly TsQueryValue[],
  start: number): { cover: Cover; next: number } | null {
  for (let from = start; from < doc.length; from++) {
    const found = new Map<number, number[]>();
    const check = (operand: TsQueryValue, data: PhraseData | null): "yes" | "no" => {
      const positions = found.get(items.indexOf(operand));
      if (positions === undefined) return "no";
      if (data !== null) data.pos = [...positions].sort((a, b) => a - b);
      return "yes";
    };
    const add = (entry: DocEntry): void => {
      for (const item of entry.items) {
        const list = found.get(item) ?? [];
        const p = positionOf(entry.pos);
        if (!list.includes(p)) list.push(p);
        found.set(item, list);
      }
    };
    let end = -1;
    for (let i = from; i < doc.length; i++) {
      add(doc[i] as DocEntry);
      if (execute(query, check) !== "no") { end = i; break; }
    }
    if (end < 0) return null;
    found.clear();
    let begin = -1;
    for (let i = end; i >= from; i--) {
      add(doc[i] as DocEntry);
      if (execute(query, check) !== "no") { begin = i; break; }
    }
    if (begin < 0) continue;
    const p = positionOf((doc[begin] as DocEntry).pos);
    const q = positionOf((doc[end] as DocEntry).pos);
    if (p <= q) return { cover: { p, q, begin, end }, next: begin + 1 };
  }
  return null;
}

/** ts_rank_cd. */
export function tsRankCd(w: readonly number[], vector: TsVector, query: TsQuery,
  method: number): number {
  if (query === null) return 0;
  const invws = w.map((x) => 1.0 / x);
  const items = operands(query, []);
  const doc = docRepresentation(vector, items);
  if (doc.length === 0) return 0;
  let wdoc = 0;
  let sumDist = 0;
  let prevExtPos = 0;
  let nExtent = 0;
  let start = 0;
  for (;;) {
    const found = nextCover(doc, query, items, start);
    if (found === null) break;
    const { p, q, begin, end } = found.cover;
    let invSum = 0;
    for (let i = begin; i <= end; i++) {
      invSum += invws[weightOf((doc[i] as DocEntry).pos)] as number;
    }
    const cpos = (end - begin + 1) / invSum;
    let nNoise = (q - p) - (end - begin);
    if (nNoise < 0) nNoise = Math.trunc((end - begin) / 2);
    wdoc += cpos / (1 + nNoise);
    const curExtPos = (q + p) / 2.0;
    if (nExtent > 0 && curExtPos > prevExtPos) sumDist += 1.0 / (curExtPos - prevExtPos);
    prevExtPos = curExtPos;
    nExtent++;
    start = found.next;
  }
  if ((method & NORM_LOGLENGTH) !== 0) wdoc /= Math.log(countLength(vector) + 1);
  if ((method & NORM_LENGTH) !== 0) {
    const len = countLength(vector);
    if (len > 0) wdoc /= len;
  }
  if ((method & NORM_EXTDIST) !== 0 && nExtent > 0 && sumDist > 0) wdoc /= nExtent / sumDist;
  if ((method & NORM_UNIQ) !== 0) wdoc /= vector.length;
  if ((method & NORM_LOGUNIQ) !== 0) wdoc /= Math.log(vector.length + 1) / Math.log(2.0);
  if ((method & NORM_RDIVRPLUS1) !== 0) wdoc /= wdoc + 1;
  return f(wdoc);
}
