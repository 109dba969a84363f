/**
 * Aggregates and window functions against PostgreSQL 15's printed results, including the
 * numeric scales of avg and the variance family.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Value } from "../types/value.js";
import { aggText, n, windowResults } from "./test-util.js";
import { T } from "./type-oids.js";
import { Decimal } from "./decimal.js";
import type { AggregateFunction } from "./defs.js";
import { lookupFunction } from "./registry.js";

const rows = (...xs: Value[]): Value[][] => xs.map((x) => [x]);
const ints = rows(1, 2, 3, 4, null);

test("integer aggregates", () => {
  const expected: [string, string][] = [
    ["avg", "2.5000000000000000"],
    ["sum", "10"],
    ["count", "4"],
    ["min", "1"],
    ["max", "4"],
    ["stddev", "1.2909944487358056"],
    ["variance", "1.6666666666666667"],
    ["var_pop", "1.2500000000000000"],
    ["stddev_pop", "1.1180339887498948"],
    ["bit_and", "0"],
    ["bit_or", "7"],
  ];
  for (const [name, value] of expected) {
    const types = name === "count" ? [T.any] : [T.int4];
    assert.equal(aggText(name, types, ints), value, name);
  }
  assert.equal(aggText("count", [], ints), "5");
  assert.equal(aggText("array_agg", [T.anynonarray], ints, [], [T.int4]), "{1,2,3,4,NULL}");
  assert.equal(aggText("jsonb_agg", [T.anyelement], ints, [], [T.int4]), "[1, 2, 3, 4, null]");
  assert.equal(aggText("json_agg", [T.anyelement], ints, [], [T.int4]), "[1, 2, 3, 4, null]");
  assert.equal(
    aggText(
      "string_agg",
      [T.text, T.text],
      [
        ["1", "-"],
        ["2", "-"],
        [null, "-"],
        ["3", "-"],
      ],
    ),
    "1-2-3",
  );
  assert.equal(aggText("sum", [T.int4], rows(null)), null);
  assert.equal(aggText("variance", [T.int4], rows(1, 1)), "0");
  assert.equal(aggText("variance", [T.int4], rows(1)), null);
});

test("numeric, float and interval aggregates", () => {
  const nums = rows(n("1.5"), n("2.25"), n("3.125"));
  assert.equal(aggText("avg", [T.numeric], nums), "2.2916666666666667");
  assert.equal(aggText("stddev", [T.numeric], nums), "0.81330088733096395985");
  assert.equal(aggText("variance", [T.numeric], nums), "0.66145833333333333333");
  assert.equal(aggText("sum", [T.numeric], nums), "6.875");
  const floats = rows(1, 2, 4);
  assert.equal(aggText("avg", [T.float8], floats), "2.3333333333333335");
  assert.equal(aggText("stddev", [T.float8], floats), "1.5275252316519468");
  assert.equal(aggText("variance", [T.float8], floats), "2.3333333333333335");
  assert.equal(aggText("stddev_pop", [T.float8], floats), "1.247219128924647");
  assert.equal(aggText("avg", [T.int8], rows(1n, 2n)), "1.5000000000000000");
  assert.equal(
    aggText(
      "avg",
      [T.interval],
      rows({ months: 0, days: 1, micros: 0n }, { months: 0, days: 0, micros: 7_200_000_000n }),
    ),
    "13:00:00",
  );
  assert.equal(
    aggText(
      "jsonb_object_agg",
      [T.any, T.any],
      [
        ["b", 1],
        ["a", 2],
      ],
      [],
      [T.text, T.int4],
    ),
    '{"a": 2, "b": 1}',
  );
  assert.equal(
    aggText(
      "json_object_agg",
      [T.any, T.any],
      [
        ["b", 1],
        ["a", 2],
      ],
      [],
      [T.text, T.int4],
    ),
    '{ "b" : 1, "a" : 2 }',
  );
});

test("ordered-set aggregates", () => {
  const sorted = rows(1, 2, 2, 10);
  assert.equal(aggText("percentile_cont", [T.float8], sorted, [0.25]), "1.75");
  assert.equal(aggText("percentile_cont", [T.float8], rows(1, 2, 3, 4), [0.5]), "2.5");
  assert.equal(aggText("percentile_disc", [T.anyelement], rows(1, 2, 3, 4), [0.5], [T.int4]), "2");
  assert.equal(aggText("mode", [T.anyelement], sorted, [], [T.int4]), "2");
});

test("window functions", () => {
  const column: Value[] = [10, 20, 30, 40, 50];
  assert.deepEqual(windowResults("row_number", [], column), [1n, 2n, 3n, 4n, 5n]);
  assert.deepEqual(windowResults("lag", [T.anyelement], column), [null, 10, 20, 30, 40]);
  assert.deepEqual(
    windowResults("lead", [T.anycompatible, T.int4, T.anycompatible], column, [2, -1]),
    [30, 40, 50, -1, -1],
  );
  assert.deepEqual(windowResults("ntile", [T.int4], [2, 2, 2, 2, 2]), [1, 1, 1, 2, 2]);
  assert.deepEqual(
    windowResults("nth_value", [T.anyelement, T.int4], column, [2]),
    [20, 20, 20, 20, 20],
  );
  assert.deepEqual(windowResults("last_value", [T.anyelement], column), [50, 50, 50, 50, 50]);
  assert.deepEqual(windowResults("percent_rank", [], column), [0, 0.25, 0.5, 0.75, 1]);
});

test("integer sums stay exact past 2^53 and agree between step and step1", () => {
  const max4 = 2147483647;
  const many = Array.from({ length: 3_000_000 }, () => [max4] as Value[]);
  const exact = (BigInt(max4) * 3_000_000n).toString();
  assert.equal(aggText("sum", [T.int4], many), exact);
  const def = lookupAggregate("sum", [T.int4]);
  const info = { argTypes: [T.int4], returnType: def.returnType };
  let state = def.stateInit(info);
  for (const row of many) state = def.transition1!(state, row[0]!);
  assert.equal(String(def.final(state, info, [])), exact);
  const halves = [def.stateInit(info), def.stateInit(info)];
  for (let i = 0; i < many.length; i++) halves[i % 2] = def.transition1!(halves[i % 2], -max4);
  assert.equal(String(def.final(def.combine!(halves[0], halves[1]), info, [])), `-${exact}`);
  const big8 = rows(2n ** 62n, 5n, -(2n ** 40n), 7n, null, 2n ** 62n);
  assert.equal(aggText("sum", [T.int8], big8), (2n ** 63n + 12n - 2n ** 40n).toString());
  assert.equal(aggText("avg", [T.int8], rows(1n, 2n, 4n)), "2.3333333333333333");
  assert.equal(aggText("sum", [T.int2], rows(null, null)), null);
});

function lookupAggregate(name: string, argTypes: readonly number[]): AggregateFunction {
  const def = lookupFunction(name).find((f) => f.kind === "aggregate"
    && f.argTypes.length === argTypes.length && f.argTypes.every((t, i) => t === argTypes[i]));
  if (def === undefined || def.kind !== "aggregate") throw new Error(`no aggregate ${name}`);
  return def;
}

test("variance of numeric NaN or infinity is NaN; float sums that overflow raise 22003", () => {
  assert.equal(aggText("var_pop", [T.numeric], rows(new Decimal(NaN))), "NaN");
  assert.equal(aggText("var_samp", [T.numeric], rows(new Decimal(NaN))), null);
  assert.equal(aggText("stddev", [T.numeric], rows(n("1"), n("Infinity"))), "NaN");
  assert.throws(() => aggText("var_pop", [T.float8], rows(1e200, -1e200)),
    { code: "22003" });
  assert.equal(aggText("var_pop", [T.float8], rows(Infinity, 1)), "NaN");
  assert.throws(() => aggText("corr", [T.float8, T.float8], [[1, 1e200], [2, 2e200]]),
    { code: "22003" });
  assert.equal(aggText("regr_sxx", [T.float8, T.float8], [[1, Infinity], [2, 2]]), "NaN");
});

test("bit_and, bit_or and bit_xor over bit strings", () => {
  const bits = rows("1100", "1010", null, "0110");
  assert.equal(aggText("bit_and", [T.bit], bits), "0000");
  assert.equal(aggText("bit_or", [T.bit], bits), "1110");
  assert.equal(aggText("bit_xor", [T.bit], bits), "0000");
  assert.equal(aggText("bit_or", [T.bit], rows(null)), null);
  assert.throws(() => aggText("bit_and", [T.bit], rows("101", "1")), { code: "22026" });
});
