/**
 * The functions behind PostgreSQL's arithmetic operators and the larger/smaller pairs
 * (`int4pl`, `numeric_add`, `textcat`, `int4larger` …): pg_proc rows in PostgreSQL that
 * CREATE AGGREGATE names as state functions (`sfunc = int4pl`). Each is the operator of the
 * same types, looked up when first called; larger and smaller compare with `>` and `<` as
 * PostgreSQL's int4larger does (`arg1 > arg2 ? arg1 : arg2`).
 */
import { lookupOperator, type OperatorDef, type ScalarFunction, type Value } from "@tessera/sql";

const int2 = 21;
const int4 = 23;
const int8 = 20;
const float4 = 700;
const float8 = 701;
const numeric = 1700;
const text = 25;

/** Prefix of each numeric type's function names, as pg_proc spells them. */
const numericTypes: readonly [string, number][] = [["int2", int2], ["int4", int4],
  ["int8", int8], ["float4", float4], ["float8", float8]];

/** Operator functions as [name, operator, operand type]. */
function operatorTable(): [string, string, number][] {
  const out: [string, string, number][] = [];
  for (const [prefix, type] of numericTypes) {
    out.push([`${prefix}pl`, "+", type], [`${prefix}mi`, "-", type],
      [`${prefix}mul`, "*", type], [`${prefix}div`, "/", type]);
  }
  out.push(["numeric_add", "+", numeric], ["numeric_sub", "-", numeric],
    ["numeric_mul", "*", numeric], ["numeric_div", "/", numeric], ["int4mod", "%", int4],
    ["int8mod", "%", int8], ["numeric_mod", "%", numeric], ["textcat", "||", text]);
  return out;
}

/** [name, operator deciding, operand type] of the larger/smaller functions. */
function pickTable(): [string, string, number][] {
  const out: [string, string, number][] = [];
  for (const [prefix, type] of [...numericTypes, ["numeric", numeric] as [string, number]]) {
    out.push([`${prefix}larger`, ">", type], [`${prefix}smaller`, "<", type]);
  }
  out.push(["text_larger", ">", text], ["text_smaller", "<", text]);
  return out;
}

function operatorOf(name: string, type: number): OperatorDef {
  const found = lookupOperator(name).find((o) => o.left === type && o.right === type);
  if (found === undefined) throw new Error(`operator ${name} of type ${type} is built in`);
  return found;
}

function binary(name: string, type: number, result: number,
  impl: ScalarFunction["impl"]): ScalarFunction {
  return { kind: "scalar", name, argTypes: [type, type], returnType: result, strict: true,
    volatility: "i", impl };
}

/** The operator functions, to register among the engine's functions. */
export function operatorFunctionDefs(): ScalarFunction[] {
  const defs: ScalarFunction[] = [];
  for (const [name, symbol, type] of operatorTable()) {
    let op: OperatorDef | undefined;
    const result = type;
    defs.push(binary(name, type, result, (args, ctx) => {
      op ??= operatorOf(symbol, type);
      return op.impl(args[0]!, args[1]!, ctx, { argTypes: [type, type], returnType: result });
    }));
  }
  for (const [name, symbol, type] of pickTable()) {
    let op: OperatorDef | undefined;
    defs.push(binary(name, type, type, (args, ctx): Value => {
      op ??= operatorOf(symbol, type);
      const first = op.impl(args[0]!, args[1]!, ctx,
        { argTypes: [type, type], returnType: 16 });
      return first === true ? args[0]! : args[1]!;
    }));
  }
  defs.push(increment("int4inc", int4), increment("int8inc", int8));
  return defs;
}

/** int4inc, int8inc: x + 1 (count's state function). */
function increment(name: string, type: number): ScalarFunction {
  let op: OperatorDef | undefined;
  const one: Value = type === int8 ? 1n : 1;
  return { kind: "scalar", name, argTypes: [type], returnType: type, strict: true,
    volatility: "i", impl: (args, ctx) => {
      op ??= operatorOf("+", type);
      return op.impl(args[0]!, one, ctx, { argTypes: [type, type], returnType: type });
    } };
}
