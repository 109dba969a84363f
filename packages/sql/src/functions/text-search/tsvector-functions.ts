/**
 * Functions of tsvector values: to_tsvector (a document through a configuration), setweight,
 * strip, length, ts_delete, ts_filter, tsvector_to_array, array_to_tsvector, unnest, the
 * `||` concatenation (the right vector's positions follow the left's) and comparisons.
 *
 *   to_tsvector('english', 'The quick brown foxes') -> 'brown':3 'fox':4 'quick':2
 */
import { SqlError, SqlState } from "@tessera/base";
import { makeArray } from "../../types/array.js";
import {
  MAX_POSITION, compareTsVectors, makePosition, normalizeLexemes, positionOf, tsVectorOf,
  tsVectorValue, weightOf, type TsLexeme, type TsVector,
} from "../../types/tsvector.js";
import type { PgArray, Value } from "../../types/value.js";
import { fn, op, srf } from "../builders.js";
import type { FunctionDef, OperatorDef } from "../defs.js";
import { T } from "../type-oids.js";
import { jsonPartsOf, jsonVector, jsonbVector } from "./json-vector.js";
import type { Jsonb } from "../../types/value.js";
import { currentConfig, parseText } from "./ts-config.js";

const V = (v: Value | undefined): TsVector => tsVectorOf(v as string);

/** make_tsvector: lexemes with the positions where they occur, weight D. */
export function documentVector(config: number, text: string): TsVector {
  const byWord = new Map<string, number[]>();
  for (const { word, pos } of parseText(config, text)) {
    const list = byWord.get(word);
    if (list === undefined) byWord.set(word, [pos]);
    else if (list[list.length - 1] !== pos) list.push(pos);
  }
  return normalizeLexemes([...byWord].map(([word, positions]) =>
    ({ word, positions: positions.map((p) => makePosition(p, 0)) })));
}

const weightCodes: Record<string, number> = { A: 3, a: 3, B: 2, b: 2, C: 1, c: 1, D: 0, d: 0 };

function weightCode(char: string): number {
  const code = weightCodes[char];
  if (code === undefined) {
    throw new SqlError(SqlState.internalError,
      `unrecognized weight: ${char.length > 0 ? char.charCodeAt(0) : 0}`);
  }
  return code;
}

function setWeight(vector: TsVector, char: string, only?: ReadonlySet<string>): TsVector {
  const weight = weightCode(char);
  return vector.map((lexeme) => only !== undefined && !only.has(lexeme.word) ? lexeme
    : { word: lexeme.word,
      positions: lexeme.positions.map((p) => makePosition(positionOf(p), weight)) });
}

function textSet(array: PgArray, what: string): Set<string> {
  const out = new Set<string>();
  for (const item of array.items) {
    if (item === null) {
      throw new SqlError(SqlState.nullValueNotAllowed, `${what} array may not contain nulls`);
    }
    out.add(item as string);
  }
  return out;
}

/** tsvector_concat. */
export function concatVectors(a: TsVector, b: TsVector): TsVector {
  let maxPos = 0;
  for (const lexeme of a) {
    for (const p of lexeme.positions) maxPos = Math.max(maxPos, positionOf(p));
  }
  const merged = new Map<string, number[]>();
  for (const lexeme of a) merged.set(lexeme.word, [...lexeme.positions]);
  for (const lexeme of b) {
    const list = merged.get(lexeme.word) ?? [];
    for (const p of lexeme.positions) {
      const last = list[list.length - 1];
      if (list.length >= 256 || (last !== undefined && positionOf(last) === MAX_POSITION)) break;
      list.push(makePosition(Math.min(positionOf(p) + maxPos, MAX_POSITION), weightOf(p)));
    }
    merged.set(lexeme.word, list);
  }
  return normalizeLexemes([...merged].map(([word, positions]) => ({ word, positions })));
}

const weightLetters = ["D", "C", "B", "A"];

function unnestVector(vector: TsVector): Value[][] {
  return vector.map((lexeme) => lexeme.positions.length === 0 ? [lexeme.word, null, null] : [
    lexeme.word,
    makeArray(T.int2, lexeme.positions.map(positionOf)),
    makeArray(T.text, lexeme.positions.map((p) => weightLetters[weightOf(p)] as string)),
  ]);
}

function filterVector(vector: TsVector, weights: PgArray): TsVector {
  let mask = 0;
  for (const item of weights.items) {
    if (item === null) {
      throw new SqlError(SqlState.nullValueNotAllowed, "weight array may not contain nulls");
    }
    mask |= 1 << weightCode(item as string);
  }
  const out: TsLexeme[] = [];
  for (const lexeme of vector) {
    const positions = lexeme.positions.filter((p) => (mask & (1 << weightOf(p))) !== 0);
    if (positions.length > 0) out.push({ word: lexeme.word, positions });
  }
  return out;
}

function arrayToVector(array: PgArray): TsVector {
  const words = textSet(array, "lexeme");
  return normalizeLexemes([...words].map((word) => ({ word, positions: [] })));
}

export function tsvectorFunctions(): FunctionDef[] {
  const out = (v: TsVector): string => tsVectorValue(v);
  return [
    fn("to_tsvector", [T.regconfig, T.text], T.tsvector,
      (a) => out(documentVector(a[0] as number, a[1] as string))),
    fn("to_tsvector", [T.text], T.tsvector,
      (a, ctx) => out(documentVector(currentConfig(ctx), a[0] as string)), { volatility: "s" }),
    fn("to_tsvector", [T.regconfig, T.json], T.tsvector,
      (a) => out(jsonVector(a[0] as number, a[1] ?? null))),
    fn("to_tsvector", [T.regconfig, T.jsonb], T.tsvector,
      (a) => out(jsonbVector(a[0] as number, a[1] ?? null))),
    fn("to_tsvector", [T.json], T.tsvector,
      (a, ctx) => out(jsonVector(currentConfig(ctx), a[0] ?? null)), { volatility: "s" }),
    fn("to_tsvector", [T.jsonb], T.tsvector,
      (a, ctx) => out(jsonbVector(currentConfig(ctx), a[0] ?? null)), { volatility: "s" }),
    fn("json_to_tsvector", [T.regconfig, T.json, T.jsonb], T.tsvector,
      (a) => out(jsonVector(a[0] as number, a[1] ?? null, jsonPartsOf(a[2] as Jsonb)))),
    fn("jsonb_to_tsvector", [T.regconfig, T.jsonb, T.jsonb], T.tsvector,
      (a) => out(jsonbVector(a[0] as number, a[1] ?? null, jsonPartsOf(a[2] as Jsonb)))),
    fn("json_to_tsvector", [T.json, T.jsonb], T.tsvector, (a, ctx) =>
      out(jsonVector(currentConfig(ctx), a[0] ?? null, jsonPartsOf(a[1] as Jsonb))),
    { volatility: "s" }),
    fn("jsonb_to_tsvector", [T.jsonb, T.jsonb], T.tsvector, (a, ctx) =>
      out(jsonbVector(currentConfig(ctx), a[0] ?? null, jsonPartsOf(a[1] as Jsonb))),
    { volatility: "s" }),
    fn("setweight", [T.tsvector, T.char], T.tsvector,
      (a) => out(setWeight(V(a[0]), a[1] as string))),
    fn("setweight", [T.tsvector, T.char, T.textArray], T.tsvector,
      (a) => out(setWeight(V(a[0]), a[1] as string, textSet(a[2] as PgArray, "lexeme")))),
    fn("strip", [T.tsvector], T.tsvector,
      (a) => out(V(a[0]).map((l) => ({ word: l.word, positions: [] })))),
    fn("length", [T.tsvector], T.int4, (a) => V(a[0]).length),
    fn("ts_delete", [T.tsvector, T.text], T.tsvector,
      (a) => out(V(a[0]).filter((l) => l.word !== a[1]))),
    fn("ts_delete", [T.tsvector, T.textArray], T.tsvector, (a) => {
      const drop = textSet(a[1] as PgArray, "lexeme");
      return out(V(a[0]).filter((l) => !drop.has(l.word)));
    }),
    fn("ts_filter", [T.tsvector, T.charArray], T.tsvector,
      (a) => out(filterVector(V(a[0]), a[1] as PgArray))),
    fn("tsvector_to_array", [T.tsvector], T.textArray,
      (a) => makeArray(T.text, V(a[0]).map((l) => l.word))),
    fn("array_to_tsvector", [T.textArray], T.tsvector,
      (a) => out(arrayToVector(a[0] as PgArray))),
    srf("unnest", [T.tsvector], T.record, (a) => unnestVector(V(a[0])), {
      outColumns: [{ name: "lexeme", type: T.text }, { name: "positions", type: T.int2Array },
        { name: "weights", type: T.textArray }],
    }),
  ];
}

const comparisons: readonly [string, (c: number) => boolean, string, string][] = [
  ["=", (c) => c === 0, "<>", "="], ["<>", (c) => c !== 0, "=", "<>"],
  ["<", (c) => c < 0, ">=", ">"], ["<=", (c) => c <= 0, ">", ">="],
  [">", (c) => c > 0, "<=", "<"], [">=", (c) => c >= 0, "<", "<="],
];

/** The six comparison operators of `type`, ordered by `cmp`. */
export function comparisonOperatorsOf(type: number,
  cmp: (l: Value, r: Value) => number): OperatorDef[] {
  return comparisons.map(([name, test, negator, commutator]) => op(name, type, type, T.bool,
    (l, r) => test(cmp(l, r)), { negator, commutator, comparator: { cmp, test } }));
}

export function tsvectorOperators(): OperatorDef[] {
  return [
    op("||", T.tsvector, T.tsvector, T.tsvector,
      (l, r) => tsVectorValue(concatVectors(V(l), V(r)))),
    ...comparisonOperatorsOf(T.tsvector,
      (l, r) => l === r ? 0 : compareTsVectors(V(l), V(r))),
  ];
}

