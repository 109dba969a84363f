/**
 * tsvector @@ tsquery: PostgreSQL's TS_execute. Outside phrases the query is boolean logic
 * over "does the vector hold this lexeme" (a prefix operand matches any lexeme it begins;
 * a weight mask keeps only positions of those weights). Under a phrase operator every
 * subquery yields the positions where it ends (or, negated, where it does not), and <N>
 * keeps right positions exactly N after a left one. A lexeme without positions (strip) can
 * only say "maybe" inside a phrase, which the top level counts as no.
 *
 *   'a:1 b:2'::tsvector @@ 'a <-> b' -> true;   'a:1 b:3'::tsvector @@ 'a <-> b' -> false
 */
import {
  compareLexemes, positionOf, weightOf, type TsLexeme, type TsVector,
} from "../../types/tsvector.js";
import type { TsQuery, TsQueryNode, TsQueryValue } from "../../types/tsquery.js";

export type Ternary = "yes" | "no" | "maybe";

/**
 * Answers for one operand: without `data`, whether it is present; with `data`, also where
 * (positions ascending, into `data.pos`).
 */
export type OperandCheck = (operand: TsQueryValue, data: PhraseData | null) => Ternary;

export interface PhraseData {
  pos: number[];
  negate: boolean;
  width: number;
}

/** Index of the first lexeme not ordered before `word`. */
function lowerBound(vector: TsVector, word: string): number {
  let lo = 0;
  let hi = vector.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareLexemes((vector[mid] as TsLexeme).word, word) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The lexemes an operand matches: one, or for a prefix every lexeme it begins. */
export function matchingLexemes(vector: TsVector, operand: TsQueryValue): TsLexeme[] {
  const start = lowerBound(vector, operand.word);
  const out: TsLexeme[] = [];
  for (let i = start; i < vector.length; i++) {
    const lexeme = vector[i] as TsLexeme;
    if (operand.prefix ? lexeme.word.startsWith(operand.word) : lexeme.word === operand.word) {
      out.push(lexeme);
      if (!operand.prefix) break;
    } else break;
  }
  return out;
}

/** True when position entry `entry` has a weight in the operand's mask (or no mask). */
export function weightMatches(entry: number, mask: number): boolean {
  return mask === 0 || (mask & (1 << weightOf(entry))) !== 0;
}

function operandFound(vector: TsVector, operand: TsQueryValue): boolean {
  for (const lexeme of matchingLexemes(vector, operand)) {
    if (lexeme.positions.length === 0) return true;
    if (lexeme.positions.some((p) => weightMatches(p, operand.weight))) return true;
  }
  return false;
}

function operandPositions(vector: TsVector, operand: TsQueryValue,
  data: PhraseData): Ternary {
  const set = new Set<number>();
  for (const lexeme of matchingLexemes(vector, operand)) {
    if (lexeme.positions.length === 0) return "maybe";
    for (const p of lexeme.positions) {
      if (weightMatches(p, operand.weight)) set.add(positionOf(p));
    }
  }
  data.pos = [...set].sort((a, b) => a - b);
  return data.pos.length > 0 ? "yes" : "no";
}

const BOTH = 1;
const L_ONLY = 2;
const R_ONLY = 4;

/** TS_phrase_output: merges the two position lists, emitting as `emit` says. */
function phraseOutput(data: PhraseData, l: PhraseData, r: PhraseData, emit: number,
  lOffset: number, rOffset: number): Ternary {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < l.pos.length || j < r.pos.length) {
    const lp = i < l.pos.length ? (l.pos[i] as number) + lOffset : Infinity;
    const rp = j < r.pos.length ? (r.pos[j] as number) + rOffset : Infinity;
    if (lp < rp) {
      if ((emit & L_ONLY) !== 0) out.push(lp);
      i++;
    } else if (lp === rp) {
      if ((emit & BOTH) !== 0) out.push(rp);
      i++;
      j++;
    } else {
      if ((emit & R_ONLY) !== 0) out.push(rp);
      j++;
    }
  }
  data.pos = out;
  data.negate = false;
  return out.length > 0 ? "yes" : "no";
}

function phraseNot(node: TsQueryNode, vector: OperandCheck, data: PhraseData): Ternary {
  const result = phraseExecute(node, vector, data);
  if (result === "no") {
    data.negate = true;
    return "yes";
  }
  if (result === "maybe") return "maybe";
  if (data.pos.length > 0) {
    data.negate = !data.negate;
    return "yes";
  }
  data.negate = false;
  return "no";
}

function phraseExecute(node: TsQueryNode, vector: OperandCheck, data: PhraseData): Ternary {
  if (node.kind === "val") return vector(node, data);
  if (node.kind === "stop") return "no";
  if (node.kind === "not") return phraseNot(node.arg, vector, data);
  const l: PhraseData = { pos: [], negate: false, width: 0 };
  const r: PhraseData = { pos: [], negate: false, width: 0 };
  const lm = phraseExecute(node.left, vector, l);
  if (node.kind !== "or" && lm === "no") return "no";
  const rm = phraseExecute(node.right, vector, r);
  if (node.kind !== "or" && rm === "no") return "no";
  if (node.kind === "or" && lm === "no" && rm === "no") return "no";
  if (lm === "maybe" || rm === "maybe") return "maybe";
  if (node.kind === "or") {
    if (lm === "no") l.width = 0;
    if (rm === "no") r.width = 0;
  }
  let lOffset: number;
  let rOffset: number;
  if (node.kind === "phrase") {
    lOffset = node.distance + r.width;
    rOffset = 0;
    data.width = node.distance + l.width + r.width;
  } else {
    const width = Math.max(l.width, r.width);
    lOffset = width - l.width;
    rOffset = width - r.width;
    data.width = width;
  }
  if (node.kind === "or") return phraseOr(data, l, r, lOffset, rOffset);
  if (l.negate && r.negate) {
    phraseOutput(data, l, r, BOTH | L_ONLY | R_ONLY, lOffset, rOffset);
    data.negate = true;
    return "yes";
  }
  if (l.negate) return phraseOutput(data, l, r, R_ONLY, lOffset, rOffset);
  if (r.negate) return phraseOutput(data, l, r, L_ONLY, lOffset, rOffset);
  return phraseOutput(data, l, r, BOTH, lOffset, rOffset);
}

function phraseOr(data: PhraseData, l: PhraseData, r: PhraseData, lOffset: number,
  rOffset: number): Ternary {
  if (l.negate && r.negate) {
    phraseOutput(data, l, r, BOTH, lOffset, rOffset);
  } else if (l.negate) {
    phraseOutput(data, l, r, L_ONLY, lOffset, rOffset);
  } else if (r.negate) {
    phraseOutput(data, l, r, R_ONLY, lOffset, rOffset);
  } else {
    return phraseOutput(data, l, r, BOTH | L_ONLY | R_ONLY, lOffset, rOffset);
  }
  data.negate = true;
  return "yes";
}

/** TS_execute over any operand source (a vector, or ts_rank_cd's cover window). */
export function execute(node: TsQueryNode, vector: OperandCheck): Ternary {
  switch (node.kind) {
    case "val": return vector(node, null);
    case "stop": return "no";
    case "not": {
      const arg = execute(node.arg, vector);
      return arg === "yes" ? "no" : arg === "no" ? "yes" : "maybe";
    }
    case "and": {
      const l = execute(node.left, vector);
      if (l === "no") return "no";
      const r = execute(node.right, vector);
      return r === "no" ? "no" : l === "yes" && r === "yes" ? "yes" : "maybe";
    }
    case "or": {
      const l = execute(node.left, vector);
      if (l === "yes") return "yes";
      const r = execute(node.right, vector);
      return r === "yes" ? "yes" : l === "no" && r === "no" ? "no" : "maybe";
    }
    case "phrase": {
      const result = phraseExecute(node, vector, { pos: [], negate: false, width: 0 });
      return result === "maybe" ? "no" : result;
    }
  }
}

/** ts_match_vq: does the vector satisfy the query (an empty query matches nothing)? */
export function tsMatch(vector: TsVector, query: TsQuery): boolean {
  if (query === null) return false;
  return execute(query, (operand, data) => data === null
    ? (operandFound(vector, operand) ? "yes" : "no")
    : operandPositions(vector, operand, data)) !== "no";
}
