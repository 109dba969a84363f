/**
 * jsonpath arithmetic and item methods (.type() .size() .double() .ceiling() .floor() .abs()
 * .keyvalue(), and .datetime() from `jsonpath-datetime.ts`), with jsonpath_exec.c's error
 * texts and SQLSTATEs. `JsonPathError` marks the errors the `silent` argument and predicates
 * may suppress.
 */
import { SqlError, SqlState } from "@tessera/base";
import { Decimal } from "decimal.js";
import type { JpStep } from "../types/jsonpath-ast.js";
import { parseNumeric } from "../types/numeric.js";
import { JSONB_NULL, type Jsonb } from "../types/value.js";
import { add, div, mod, mul, sub, withScale } from "./decimal.js";
import { isJsonArray, isJsonNull, isJsonObject, jsonNumber, makeObject } from "./jsonb-util.js";
import type { JpContext } from "./jsonpath-exec.js";
import { structural } from "./jsonpath-exec.js";
import { asDatetime, datetimeMethod, datetimeTypeNames } from "./jsonpath-datetime.js";

/** An error jsonpath may suppress (silent mode, or inside a predicate). */
export class JsonPathError extends SqlError {
  /** The items a path had produced before the error, which silent calls still return. */
  partial: Jsonb[] = [];
}

/**
 * flatMap that, when `f` raises a JsonPathError, records the items produced so far on it (in
 * PostgreSQL the found list keeps them): `strict $[*].a` over [{"a":1}, {}] has found 1.
 */
export function collectItems<T>(xs: readonly T[], f: (x: T) => Jsonb[]): Jsonb[] {
  const out: Jsonb[] = [];
  for (const x of xs) {
    try {
      out.push(...f(x));
    } catch (e) {
      if (e instanceof JsonPathError) e.partial = [...out, ...e.partial];
      throw e;
    }
  }
  return out;
}

/** The numeric of a jsonb number item, else undefined. */
export function asNumber(v: Jsonb): Decimal | undefined {
  if (typeof v === "object" && v !== null && !Array.isArray(v) && "kind" in v
    && v.kind === "number") return v.value;
  return undefined;
}

const opNames: Readonly<Record<string, (a: Decimal, b: Decimal) => Decimal>> = {
  "+": add, "-": sub, "*": mul, "/": div, "%": mod,
};

/** A binary arithmetic operator over two singleton numeric operands. */
export function arithmetic(op: string, ls: readonly Jsonb[], rs: readonly Jsonb[]): Jsonb {
  const l = ls.length === 1 ? asNumber(ls[0] as Jsonb) : undefined;
  if (l === undefined) {
    throw new JsonPathError("22038",
      `left operand of jsonpath operator ${op} is not a single numeric value`);
  }
  const r = rs.length === 1 ? asNumber(rs[0] as Jsonb) : undefined;
  if (r === undefined) {
    throw new JsonPathError("22038",
      `right operand of jsonpath operator ${op} is not a single numeric value`);
  }
  const f = opNames[op];
  if (f === undefined) throw new SqlError(SqlState.internalError, `jsonpath operator ${op}`);
  if ((op === "/" || op === "%") && r.isZero()) {
    throw new JsonPathError(SqlState.divisionByZero, "division by zero");
  }
  return jsonNumber(f(l, r));
}

export function negateItem(op: "+" | "-", v: Jsonb): Jsonb {
  const d = asNumber(v);
  if (d === undefined) {
    throw new JsonPathError("2203B",
      `operand of unary jsonpath operator ${op} is not a numeric value`);
  }
  return op === "+" ? v : jsonNumber(sub(withScale(new Decimal(0), 0), d));
}

function typeName(v: Jsonb): string {
  const datetime = asDatetime(v);
  if (datetime !== undefined) return datetimeTypeNames[datetime.type];
  if (isJsonNull(v)) return "null";
  if (isJsonArray(v)) return "array";
  if (isJsonObject(v)) return "object";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "boolean";
  return "number";
}

/** Applies an item method to one (already unwrapped) item. */
export function applyMethod(step: JpStep & { k: "method" }, v: Jsonb, ctx: JpContext): Jsonb[] {
  switch (step.name) {
    case "type": return [typeName(v)];
    case "size":
      if (isJsonArray(v)) return [jsonNumber(withScale(new Decimal(v.length), 0))];
      if (ctx.lax) return [jsonNumber(withScale(new Decimal(1), 0))];
      return structural(ctx, SqlState.sqlJsonArrayNotFound,
        "jsonpath item method .size() can only be applied to an array");
    case "abs": case "floor": case "ceiling": return [numericMethod(step.name, v)];
    case "double": return [double(v)];
    case "keyvalue": return keyvalue(v, ctx);
    case "datetime": return [datetimeMethod(v, step.arg)];
  }
}

function numericMethod(name: "abs" | "floor" | "ceiling", v: Jsonb): Jsonb {
  const d = asNumber(v);
  if (d === undefined) {
    throw new JsonPathError("22036",
      `jsonpath item method .${name}() can only be applied to a numeric value`);
  }
  if (name === "abs") return jsonNumber(d.isNegative() ? negateItemValue(d) : d);
  if (!d.isFinite()) return jsonNumber(d);
  return jsonNumber(withScale(name === "floor" ? d.floor() : d.ceil(), 0));
}

function negateItemValue(d: Decimal): Decimal {
  return sub(withScale(new Decimal(0), 0), d);
}

function double(v: Jsonb): Jsonb {
  const d = asNumber(v);
  let f: number;
  if (d !== undefined) {
    f = d.toNumber();
    if (!Number.isFinite(f)) {
      throw new JsonPathError("22003",
        "numeric argument of jsonpath item method .double() "
        + "is out of range for type double precision");
    }
  } else if (typeof v === "string") {
    f = parseDouble(v);
  } else {
    throw new JsonPathError("22036",
      "jsonpath item method .double() can only be applied to a string or numeric value");
  }
  return jsonNumber(parseNumeric(Number(f.toPrecision(15)).toString()));
}

function parseDouble(s: string): number {
  const t = s.trim();
  const f = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
  if (Number.isNaN(f)) {
    throw new JsonPathError("22036", "string argument of jsonpath item method .double() "
      + "is not a valid representation of a double precision number");
  }
  if (!Number.isFinite(f)) {
    throw new JsonPathError("22003", "string argument of jsonpath item method .double() "
      + "is out of range for type double precision");
  }
  return f;
}

function keyvalue(v: Jsonb, ctx: JpContext): Jsonb[] {
  if (!isJsonObject(v)) {
    throw new JsonPathError(SqlState.sqlJsonObjectNotFound,
      "jsonpath item method .keyvalue() can only be applied to an object");
  }
  const id = jsonNumber(withScale(new Decimal(0), 0));
  void ctx;
  return v.entries.map(([key, value]) =>
    makeObject([["id", id], ["key", key], ["value", value ?? JSONB_NULL]]));
}
