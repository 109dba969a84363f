/**
 * Multirange types and functions against PostgreSQL 15's printed results: text input and its
 * canonical form, malformed literals, ordering, the set operators, containment and position
 * operators with ranges and elements, the aggregates (with their combine functions) and the
 * range -> multirange cast.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SqlError } from "@tessera/base";
import { defaultFormatContext } from "../types/context.js";
import { findCast } from "../types/casts.js";
import { typeOf } from "../types/registry.js";
import type { AggregateFunction } from "./defs.js";
import type { Value } from "../types/value.js";
import { lookupFunction } from "./registry.js";
import { aggText, opText, srfText, text } from "./test-util.js";
import { T } from "./type-oids.js";

const ctx = defaultFormatContext;
const mr = (s: string, type: number = T.int4multirange): Value => typeOf(type).input(s, -1, ctx);
const rg = (s: string, type: number = T.int4range): Value => typeOf(type).input(s, -1, ctx);
const out = (v: Value, type: number = T.int4multirange): string => typeOf(type).output(v, ctx);
const io = (s: string, type: number = T.int4multirange): string => out(mr(s, type), type);

function malformed(s: string): string {
  try {
    mr(s);
  } catch (error) {
    assert.ok(error instanceof SqlError);
    return `${error.code} ${error.message} ${error.detail ?? ""}`;
  }
  throw new Error(`'${s}' was accepted`);
}

test("text input is sorted, merged and printed without spaces", () => {
  assert.equal(io("{[1,3), [5,7)}"), "{[1,3),[5,7)}");
  assert.equal(io(" { [5,7) , [1,3] , empty, [2,4) } "), "{[1,4),[5,7)}");
  assert.equal(io("{}"), "{}");
  assert.equal(io("{ }"), "{}");
  assert.equal(io("{(,3), [1,)}"), "{(,)}");
  assert.equal(io("{[1,2), [2,3), [3,4)}"), "{[1,4)}");
  assert.equal(io("{[1.5,2.5), (2.5,3)}", T.nummultirange), "{[1.5,2.5),(2.5,3)}");
  assert.equal(io("{[1,2], [2,3)}", T.nummultirange), "{[1,3)}");
  assert.equal(io("{[\"2024-01-01 10:00\",\"2024-01-01 12:00\"), " +
    "[\"2024-01-01 11:00\",\"2024-01-01 13:00\")}", T.tsmultirange),
  "{[\"2024-01-01 10:00:00\",\"2024-01-01 13:00:00\")}");
  assert.equal(io("{[2024-01-01,2024-01-05]}", T.datemultirange), "{[2024-01-01,2024-01-06)}");
});

test("malformed literals fail as multirange_in does", () => {
  const bad = "22P02 malformed multirange literal:";
  assert.equal(malformed("[1,2)"), `${bad} "[1,2)" Missing left brace.`);
  assert.equal(malformed("{[1,2)"), `${bad} "{[1,2)" Unexpected end of input.`);
  assert.equal(malformed("{[1,2) [3,4)}"),
    `${bad} "{[1,2) [3,4)}" Expected comma or end of multirange.`);
  assert.equal(malformed("{[1,2)}x"), `${bad} "{[1,2)}x" Junk after closing right brace.`);
  assert.equal(malformed("{,}"), `${bad} "{,}" Expected range start.`);
  assert.equal(malformed("{emptyx}"), `${bad} "{emptyx}" Expected comma or end of multirange.`);
  assert.equal(malformed("{[1,2),}"), `${bad} "{[1,2),}" Expected range start.`);
  assert.match(malformed("{[3,1)}"), /^22000 range lower bound must be less than/);
});

test("ordering: empty first, then range by range, a prefix first", () => {
  const cmp = (a: string, b: string): number => Math.sign(typeOf(T.int4multirange)
    .compare(mr(a), mr(b)));
  assert.equal(cmp("{}", "{[1,2)}"), -1);
  assert.equal(cmp("{[1,2)}", "{[1,2),[3,4)}"), -1);
  assert.equal(cmp("{[1,2),[3,4)}", "{[1,3)}"), -1);
  assert.equal(cmp("{(,1)}", "{[0,1)}"), -1);
  assert.equal(cmp("{[1,3)}", "{[1,2),[2,3)}"), 0);
  assert.equal(typeOf(T.int4multirange).hashKey(mr("{[1,3)}")),
    typeOf(T.int4multirange).hashKey(mr("{[1,2),[2,3)}")));
});

test("union, intersection and difference", () => {
  const M = T.int4multirange;
  const N = T.nummultirange;
  assert.equal(opText("+", M, M, mr("{[1,3),[5,7)}"), mr("{[3,5)}")), "{[1,7)}");
  assert.equal(opText("-", M, M, mr("{[1,10)}"), mr("{[3,4),[6,7)}")), "{[1,3),[4,6),[7,10)}");
  assert.equal(opText("-", M, M, mr("{(,)}"), mr("{[1,3)}")), "{(,1),[3,)}");
  assert.equal(opText("-", N, N, mr("{[1,2]}", N), mr("{[1,2)}", N)), "{[2,2]}");
  assert.equal(opText("*", M, M, mr("{[1,3),[5,7)}"), mr("{[2,6)}")), "{[2,3),[5,6)}");
  assert.equal(opText("*", N, N, mr("{[1,2]}", N), mr("{[2,3]}", N)), "{[2,2]}");
  assert.equal(opText("*", M, M, mr("{}"), mr("{[1,2)}")), "{}");
});

test("containment and position with elements, ranges and multiranges", () => {
  const M = T.int4multirange;
  const R = T.int4range;
  const a = mr("{[1,3),[5,7)}");
  assert.equal(opText("@>", M, T.int4, a, 6), "t");
  assert.equal(opText("@>", M, T.int4, a, 4), "f");
  assert.equal(opText("@>", M, R, a, rg("[2,6)")), "f");
  assert.equal(opText("@>", R, M, rg("[1,10)"), a), "t");
  assert.equal(opText("@>", M, M, a, mr("{[1,2),[5,6)}")), "t");
  assert.equal(opText("@>", M, M, mr("{}"), mr("{}")), "t");
  assert.equal(opText("&&", M, R, a, rg("[3,5)")), "f");
  assert.equal(opText("<<", M, M, mr("{[1,3)}"), mr("{[3,5)}")), "t");
  assert.equal(opText("&<", R, M, rg("[1,7)"), a), "t");
  // Only the outer ends count: the last range's upper, the first range's lower.
  assert.equal(opText("-|-", M, R, mr("{[1,3),[7,9)}"), rg("[3,7)")), "f");
  assert.equal(opText("-|-", M, R, mr("{[1,3),[7,9)}"), rg("[9,11)")), "t");
  assert.equal(opText("-|-", M, M, mr("{}"), a), "f");
  assert.equal(text("range_merge", [M], [a]), "[1,7)");
  assert.equal(text("lower", [M], [a]), "1");
  assert.equal(text("upper_inf", [M], [mr("{[1,)}")]), "t");
  assert.deepEqual(srfText("unnest", [M], [a], R), ["[1,3)", "[5,7)"]);
});

test("constructors refuse null members; the cast wraps a range", () => {
  const M = T.int4multirange;
  assert.equal(text("int4multirange", [], []), "{}");
  assert.equal(text("int4multirange", [T.int4range], [rg("empty")]), "{}");
  const variadic = lookupFunction("int4multirange").find((f) => f.argTypes.length === 1 &&
    f.argTypes[0] !== T.int4range);
  assert.ok(variadic !== undefined && variadic.kind === "scalar");
  const array = { kind: "array" as const, elementType: T.int4range, dims: [2],
    lowerBounds: [1], items: [rg("[5,7)"), null] };
  assert.throws(() => variadic.impl([array], {} as never, { argTypes: [3905],
    returnType: M }), /multirange values cannot contain null members/);
  const cast = findCast(T.int4range, M);
  assert.equal(cast?.context, "e");
  assert.equal(out(cast!.fn(rg("[1,3)"), -1, ctx)), "{[1,3)}");
  assert.equal(out(cast!.fn(rg("empty"), -1, ctx)), "{}");
});

test("range_agg and range_intersect_agg, and their combine functions", () => {
  const M = T.int4multirange;
  const R = T.int4range;
  assert.equal(aggText("range_agg", [R], [[rg("[1,5)")], [rg("[3,9)")], [null],
    [rg("[20,30)")], [rg("empty")]]), "{[1,9),[20,30)}");
  assert.equal(aggText("range_agg", [R], [[null]]), null);
  assert.equal(aggText("range_agg", [R], [[rg("empty")]]), "{}");
  assert.equal(aggText("range_agg", [M], [[mr("{[1,3),[10,12)}")], [mr("{[2,5)}")]]),
    "{[1,5),[10,12)}");
  assert.equal(aggText("range_intersect_agg", [R], [[rg("[1,5)")], [rg("[3,9)")]]), "[3,5)");
  assert.equal(aggText("range_intersect_agg", [M], [[mr("{[1,5),[7,9)}")], [mr("{[3,8)}")]]),
    "{[3,5),[7,8)}");
  const def = lookupFunction("range_agg").find((f) => f.argTypes[0] === R) as AggregateFunction;
  const info = { argTypes: [R], returnType: M };
  const left = def.transition(def.stateInit(info), [rg("[1,3)")], info);
  const right = def.transition(def.stateInit(info), [rg("[3,4)")], info);
  assert.equal(out(def.final(def.combine!(left, right), info, [])), "{[1,4)}");
});

test("binary send and receive write PostgreSQL's bytes", () => {
  const cases: [number, string, string][] = [
    [T.int4range, "[1,5)", "0200000004000000010000000400000005"],
    [T.int4range, "empty", "01"],
    [T.int4range, "(,3]", "080000000400000004"],
    [T.int8multirange, "{(,0),[25,30]}", "000000020000000d0800000008000000000000000000000019" +
      "0200000008000000000000001900000008000000000000001f"],
    [T.datemultirange, "{[2024-01-01,2024-01-05), (2024-02-01,)}", "00000002000000110200" +
      "0000040000223e00000004000022420000000912000000040000225e"],
    [T.int4multirange, "{}", "00000000"],
  ];
  for (const [type, literal, hex] of cases) {
    const io = typeOf(type);
    const value = io.input(literal, -1, ctx);
    assert.equal(Buffer.from(io.send!(value, ctx)).toString("hex"), hex, literal);
    assert.equal(io.output(io.receive!(Buffer.from(hex, "hex"), -1, ctx), ctx),
      io.output(value, ctx));
  }
  assert.throws(() => typeOf(T.int4range).receive!(Buffer.from("0200000004000000050000000400" +
    "000001", "hex"), -1, ctx), /range lower bound must be less than or equal/);
  assert.throws(() => typeOf(T.int4multirange).receive!(Buffer.from("0000000100", "hex"), -1,
    ctx), /insufficient data left in message/);
});

test("range_agg over many ranges keeps its state small and stays linear-ish", () => {
  const R = T.int4range;
  const disjoint: Value[][] = [];
  for (let i = 20000; i > 0; i--) disjoint.push([rg(`[${3 * i},${3 * i + 1})`)]);
  const started = Date.now();
  const result = aggText("range_agg", [R], disjoint)!;
  assert.equal(result.split("),").length, 20000);
  assert.ok(result.startsWith("{[3,4),[6,7)"));
  const touching: Value[][] = [];
  for (let i = 0; i < 20000; i++) touching.push([rg(`[${i},${i + 1})`)]);
  assert.equal(aggText("range_agg", [R], touching), "{[0,20000)}");
  assert.ok(Date.now() - started < 15000, "not quadratic: 20000 rows take seconds at most");
});
