/**
 * The text search catalog entries: query construction (to_tsquery & co.), the @@ match
 * operators, tsquery operators (&& || !! <-> @> <@) and functions (numnode, querytree,
 * tsquery_phrase), ranking, get_current_ts_config, plus the tsvector family from
 * `tsvector-functions.ts`. The registry takes `textSearchFunctions` and
 * `textSearchOperators`.
 */
import { SqlError, SqlState } from "@tessera/base";
import {
  MAX_DISTANCE, compareTsQueries, printTsQuery, tsQueryOf, tsQueryValue, type TsQuery,
  type TsQueryNode,
} from "../../types/tsquery.js";
import { tsVectorOf } from "../../types/tsvector.js";
import type { PgArray, Value } from "../../types/value.js";
import { fn, op } from "../builders.js";
import type { FunctionDef, OperatorDef } from "../defs.js";
import { T } from "../type-oids.js";
import { headline } from "./headline.js";
import { jsonHeadline, jsonbHeadline } from "./json-headline.js";
import type { Jsonb } from "../../types/value.js";
import { currentConfig } from "./ts-config.js";
import { tsMatch } from "./ts-match.js";
import { tsRank, tsRankCd, weightsOf } from "./ts-rank.js";
import {
  phraseToTsQuery, plainToTsQuery, toTsQuery, websearchToTsQuery,
} from "./tsquery-build.js";
import {
  comparisonOperatorsOf, documentVector, tsvectorFunctions, tsvectorOperators,
} from "./tsvector-functions.js";

const Q = (v: Value | undefined): TsQuery => tsQueryOf(v as string);

type Builder = (config: number, text: string) => TsQuery;

function queryBuilders(name: string, build: Builder): FunctionDef[] {
  return [
    fn(name, [T.regconfig, T.text], T.tsquery,
      (a) => tsQueryValue(build(a[0] as number, a[1] as string))),
    fn(name, [T.text], T.tsquery,
      (a, ctx) => tsQueryValue(build(currentConfig(ctx), a[0] as string)), { volatility: "s" }),
  ];
}

function countNodes(node: TsQuery): number {
  if (node === null || node.kind === "stop") return 0;
  if (node.kind === "val") return 1;
  if (node.kind === "not") return 1 + countNodes(node.arg);
  return 1 + countNodes(node.left) + countNodes(node.right);
}

/** clean_NOT_intree: the part of a query an index could answer. */
function withoutNot(node: TsQueryNode): TsQueryNode | null {
  if (node.kind === "val" || node.kind === "stop") return node;
  if (node.kind === "not") return null;
  const left = withoutNot(node.left);
  const right = withoutNot(node.right);
  if (node.kind === "or") return left === null || right === null ? null : { ...node, left, right };
  if (left === null) return right;
  if (right === null) return left;
  return { ...node, left, right };
}

function queryTree(query: TsQuery): string {
  if (query === null) return "";
  const kept = withoutNot(query);
  return kept === null ? "T" : printTsQuery(kept);
}

function combine(kind: "and" | "or", a: TsQuery, b: TsQuery): TsQuery {
  if (a === null) return b;
  if (b === null) return a;
  return { kind, left: a, right: b };
}

function phrase(a: TsQuery, b: TsQuery, distance: number): TsQuery {
  if (distance < 0 || distance > MAX_DISTANCE) {
    throw new SqlError(SqlState.invalidParameterValue,
      `distance in phrase operator must be an integer value between zero and ${MAX_DISTANCE} ` +
      "inclusive");
  }
  if (a === null) return b;
  if (b === null) return a;
  return { kind: "phrase", left: a, right: b, distance };
}

function operandWords(node: TsQuery, out: Set<string>): Set<string> {
  if (node === null || node.kind === "stop") return out;
  if (node.kind === "val") out.add(node.word);
  else if (node.kind === "not") operandWords(node.arg, out);
  else { operandWords(node.left, out); operandWords(node.right, out); }
  return out;
}

/** tsq_mcontains: every operand of `b` is an operand of `a`. */
function queryContains(a: TsQuery, b: TsQuery): boolean {
  const have = operandWords(a, new Set());
  for (const word of operandWords(b, new Set())) if (!have.has(word)) return false;
  return true;
}

type Ranker = typeof tsRank;

function rankFunctions(name: string, rank: Ranker): FunctionDef[] {
  const run = (w: PgArray | null, v: Value | undefined, q: Value | undefined,
    method: Value | undefined): number =>
    rank(weightsOf(w), tsVectorOf(v as string), Q(q), method as number);
  return [
    fn(name, [T.tsvector, T.tsquery], T.float4, (a) => run(null, a[0], a[1], 0)),
    fn(name, [T.tsvector, T.tsquery, T.int4], T.float4, (a) => run(null, a[0], a[1], a[2])),
    fn(name, [T.float4Array, T.tsvector, T.tsquery], T.float4,
      (a) => run(a[0] as PgArray, a[1], a[2], 0)),
    fn(name, [T.float4Array, T.tsvector, T.tsquery, T.int4], T.float4,
      (a) => run(a[0] as PgArray, a[1], a[2], a[3])),
  ];
}

/** ts_headline over json and jsonb, with and without a configuration and options. */
function jsonHeadlines(): FunctionDef[] {
  const defs: FunctionDef[] = [];
  for (const type of [T.json, T.jsonb]) {
    const run = (config: number, doc: Value | undefined, q: Value | undefined,
      options: Value | undefined): Value => type === T.json
      ? jsonHeadline(config, doc as string, Q(q), (options ?? null) as string | null)
      : jsonbHeadline(config, doc as Jsonb, Q(q), (options ?? null) as string | null);
    defs.push(
      fn("ts_headline", [T.regconfig, type, T.tsquery, T.text], type,
        (a) => run(a[0] as number, a[1], a[2], a[3])),
      fn("ts_headline", [T.regconfig, type, T.tsquery], type,
        (a) => run(a[0] as number, a[1], a[2], undefined)),
      fn("ts_headline", [type, T.tsquery, T.text], type,
        (a, ctx) => run(currentConfig(ctx), a[0], a[1], a[2]), { volatility: "s" }),
      fn("ts_headline", [type, T.tsquery], type,
        (a, ctx) => run(currentConfig(ctx), a[0], a[1], undefined), { volatility: "s" }),
    );
  }
  return defs;
}

export function textSearchFunctions(): FunctionDef[] {
  return [
    ...tsvectorFunctions(),
    ...queryBuilders("to_tsquery", toTsQuery),
    ...queryBuilders("plainto_tsquery", plainToTsQuery),
    ...queryBuilders("phraseto_tsquery", phraseToTsQuery),
    ...queryBuilders("websearch_to_tsquery", websearchToTsQuery),
    fn("numnode", [T.tsquery], T.int4, (a) => countNodes(Q(a[0]))),
    fn("querytree", [T.tsquery], T.text, (a) => queryTree(Q(a[0]))),
    fn("tsquery_phrase", [T.tsquery, T.tsquery], T.tsquery,
      (a) => tsQueryValue(phrase(Q(a[0]), Q(a[1]), 1))),
    fn("tsquery_phrase", [T.tsquery, T.tsquery, T.int4], T.tsquery,
      (a) => tsQueryValue(phrase(Q(a[0]), Q(a[1]), a[2] as number))),
    fn("get_current_ts_config", [], T.regconfig, (_a, ctx) => currentConfig(ctx),
      { volatility: "s" }),
    fn("ts_headline", [T.regconfig, T.text, T.tsquery, T.text], T.text,
      (a) => headline(a[0] as number, a[1] as string, Q(a[2]), a[3] as string)),
    fn("ts_headline", [T.regconfig, T.text, T.tsquery], T.text,
      (a) => headline(a[0] as number, a[1] as string, Q(a[2]), null)),
    fn("ts_headline", [T.text, T.tsquery, T.text], T.text,
      (a, ctx) => headline(currentConfig(ctx), a[0] as string, Q(a[1]), a[2] as string),
      { volatility: "s" }),
    fn("ts_headline", [T.text, T.tsquery], T.text,
      (a, ctx) => headline(currentConfig(ctx), a[0] as string, Q(a[1]), null),
      { volatility: "s" }),
    ...jsonHeadlines(),
    ...rankFunctions("ts_rank", tsRank),
    ...rankFunctions("ts_rank_cd", tsRankCd),
  ];
}

function matchOperators(name: string): OperatorDef[] {
  const vq = (v: Value, q: Value): boolean => tsMatch(tsVectorOf(v as string), Q(q));
  return [
    op(name, T.tsvector, T.tsquery, T.bool, (l, r) => vq(l, r), { commutator: name }),
    op(name, T.tsquery, T.tsvector, T.bool, (l, r) => vq(r, l), { commutator: name }),
    op(name, T.text, T.tsquery, T.bool,
      (l, r, ctx) => tsMatch(documentVector(currentConfig(ctx), l as string), Q(r))),
    op(name, T.text, T.text, T.bool, (l, r, ctx) => {
      const config = currentConfig(ctx);
      return tsMatch(documentVector(config, l as string), plainToTsQuery(config, r as string));
    }),
  ];
}

export function textSearchOperators(): OperatorDef[] {
  return [
    ...tsvectorOperators(),
    ...matchOperators("@@"),
    ...matchOperators("@@@"),
    op("&&", T.tsquery, T.tsquery, T.tsquery,
      (l, r) => tsQueryValue(combine("and", Q(l), Q(r)))),
    op("||", T.tsquery, T.tsquery, T.tsquery, (l, r) => tsQueryValue(combine("or", Q(l), Q(r)))),
    op("!!", 0, T.tsquery, T.tsquery, (_l, r) => {
      const q = Q(r);
      return tsQueryValue(q === null ? null : { kind: "not", arg: q });
    }),
    op("<->", T.tsquery, T.tsquery, T.tsquery, (l, r) => tsQueryValue(phrase(Q(l), Q(r), 1))),
    op("@>", T.tsquery, T.tsquery, T.bool, (l, r) => queryContains(Q(l), Q(r)),
      { commutator: "<@" }),
    op("<@", T.tsquery, T.tsquery, T.bool, (l, r) => queryContains(Q(r), Q(l)),
      { commutator: "@>" }),
    ...comparisonOperatorsOf(T.tsquery, (l, r) => l === r ? 0 : compareTsQueries(Q(l), Q(r))),
  ];
}
