/**
 * jsonpath predicates, three-valued as in jsonpath_exec.c: comparisons over every pair of
 * operand items (lax stops at the first true; strict turns any unknown pair into unknown),
 * && || !, exists, like_regex, starts with and is unknown. An error while evaluating an
 * operand makes the predicate unknown.
 */
import type { JpNode } from "../types/jsonpath-ast.js";
import { setLikeRegexCheck } from "../types/jsonpath-parse.js";
import { compareNumeric } from "../types/numeric.js";
import type { Jsonb } from "../types/value.js";
import { isJsonArray, isJsonNull, isJsonObject } from "./jsonb-util.js";
import { execNode, execUnwrapped, type JpContext } from "./jsonpath-exec.js";
import { asNumber, JsonPathError } from "./jsonpath-methods.js";
import { compileRegex } from "./regex.js";
import { asDatetime, compareDatetime, isDatetime, type DatetimeSettings }
  from "./jsonpath-datetime.js";

export type Truth = "t" | "f" | "u";

const comparisonOps = new Set(["==", "!=", "<", ">", "<=", ">=", "starts with"]);

export function isPredicate(node: JpNode): boolean {
  switch (node.k) {
    case "not": case "isUnknown": case "exists": case "like": return true;
    case "bin": return node.op === "&&" || node.op === "||" || comparisonOps.has(node.op);
    default: return false;
  }
}

export function evalPredicate(node: JpNode, ctx: JpContext): Truth {
  switch (node.k) {
    case "not": {
      const t = evalPredicate(node.arg, ctx);
      return t === "u" ? "u" : t === "t" ? "f" : "t";
    }
    case "isUnknown": return evalPredicate(node.arg, ctx) === "u" ? "t" : "f";
    case "exists": {
      const items = operand(node.arg, ctx, false);
      return items === undefined ? "u" : items.length > 0 ? "t" : "f";
    }
    case "like": return likeRegex(node.arg, node.pattern, node.flags, ctx);
    case "bin": break;
    default: {
      const items = execNode(node, ctx);
      const v = items[0];
      if (items.length === 1 && typeof v === "boolean") return v ? "t" : "f";
      return "u";
    }
  }
  if (node.op === "&&" || node.op === "||") {
    const l = evalPredicate(node.l, ctx);
    if (node.op === "&&" && l === "f") return "f";
    if (node.op === "||" && l === "t") return "t";
    const r = evalPredicate(node.r, ctx);
    if (node.op === "&&") return r === "f" ? "f" : l === "u" || r === "u" ? "u" : "t";
    return r === "t" ? "t" : l === "u" || r === "u" ? "u" : "f";
  }
  const op = node.op;
  return pairs(node.l, node.r, ctx, (a, b) => compareItems(op, a, b, ctx.datetime));
}

/** Evaluates an operand; undefined when it raised a suppressible error. */
function operand(node: JpNode, ctx: JpContext, unwrap: boolean): Jsonb[] | undefined {
  try {
    return unwrap ? execUnwrapped(node, ctx) : execNode(node, ctx);
  } catch (e) {
    if (e instanceof JsonPathError) return undefined;
    throw e;
  }
}

function pairs(
  left: JpNode, right: JpNode | undefined, ctx: JpContext, test: (a: Jsonb, b: Jsonb) => Truth,
): Truth {
  const ls = operand(left, ctx, true);
  if (ls === undefined) return "u";
  const rs = right === undefined ? [null] : operand(right, ctx, true);
  if (rs === undefined) return "u";
  let error = false;
  let found = false;
  for (const l of ls) {
    for (const r of rs) {
      const t = test(l, r);
      if (t === "u") {
        if (!ctx.lax) return "u";
        error = true;
      } else if (t === "t") {
        if (ctx.lax) return "t";
        found = true;
      }
    }
  }
  return found ? "t" : error ? "u" : "f";
}

function kindOf(v: Jsonb): string {
  if (isDatetime(v)) return "datetime";
  if (isJsonNull(v)) return "null";
  if (isJsonArray(v) || isJsonObject(v)) return "container";
  if (typeof v === "object") return "number";
  return typeof v;
}

/** compareItems() of jsonpath_exec.c. */
export function compareItems(op: string, a: Jsonb, b: Jsonb, datetime: DatetimeSettings):
  Truth {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (op === "starts with") {
    if (typeof a !== "string" || typeof b !== "string") return "u";
    return a.startsWith(b) ? "t" : "f";
  }
  if (ka !== kb) {
    if (ka === "null" || kb === "null") return op === "!=" ? "t" : "f";
    return "u";
  }
  let cmp: number;
  switch (ka) {
    case "null": cmp = 0; break;
    case "boolean": cmp = a === b ? 0 : a === true ? 1 : -1; break;
    case "number": cmp = compareNumeric(asNumber(a)!, asNumber(b)!); break;
    case "string": cmp = compareCodePoints(a as string, b as string); break;
    case "datetime": {
      const c = compareDatetime(asDatetime(a)!, asDatetime(b)!, datetime);
      if (c === undefined) return "u";
      cmp = c;
      break;
    }
    default: return "u";
  }
  const result = op === "==" ? cmp === 0 : op === "!=" ? cmp !== 0 : op === "<" ? cmp < 0
    : op === ">" ? cmp > 0 : op === "<=" ? cmp <= 0 : cmp >= 0;
  return result ? "t" : "f";
}

function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]!.codePointAt(0) ?? 0) - (y[i]!.codePointAt(0) ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
}

/** The ARE a like_regex pattern compiles to, as jspConvertRegexFlags maps XQuery flags. */
function likeRegexOf(pattern: string, flags: string): RegExp {
  const literal = flags.includes("q");
  return compileRegex(pattern, {
    caseless: flags.includes("i"), global: false, expanded: false, literal,
    newlineDot: !literal && !flags.includes("s"), newlineAnchor: !literal && flags.includes("m"),
  });
}

setLikeRegexCheck((pattern, flags) => void likeRegexOf(pattern, flags));

function likeRegex(arg: JpNode, pattern: string, flags: string, ctx: JpContext): Truth {
  const regex = likeRegexOf(pattern, flags);
  return pairs(arg, undefined, ctx, (a) => {
    if (typeof a !== "string") return "u";
    regex.lastIndex = 0;
    return regex.test(a) ? "t" : "f";
  });
}
