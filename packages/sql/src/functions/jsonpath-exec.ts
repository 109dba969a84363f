/**
 * The jsonpath executor (PostgreSQL's jsonpath_exec.c): evaluates a parsed path over a jsonb
 * value to a sequence of items. Lax mode wraps and unwraps arrays and ignores structural
 * errors; strict mode raises them. Errors PostgreSQL may suppress (the `silent` argument,
 * predicates turning errors into unknown) are thrown as `JsonPathError`.
 */
import { SqlError, SqlState } from "@tessera/base";
import { Decimal as SqlNumber } from "decimal.js";
import type { JpNode, JpStep, JsonPath } from "../types/jsonpath-ast.js";
import { JSONB_NULL, type Jsonb, type JsonbObject } from "../types/value.js";
import { isJsonArray, isJsonObject, jsonNumber } from "./jsonb-util.js";
import {
  collectItems, applyMethod, arithmetic, asNumber, JsonPathError, negateItem,
} from "./jsonpath-methods.js";
import { evalPredicate, isPredicate, type Truth } from "./jsonpath-predicate.js";
import type { DatetimeSettings } from "./jsonpath-datetime.js";

export { JsonPathError } from "./jsonpath-methods.js";

export interface JpContext {
  readonly lax: boolean;
  readonly root: Jsonb;
  readonly vars: JsonbObject | null;
  readonly current: Jsonb;
  /** Size of the innermost array being subscripted, minus one: the value of `last`. */
  readonly last: number;
  readonly ignoreStructural: boolean;
  /** How datetime items compare (the *_tz functions may use the session's zone). */
  readonly datetime: DatetimeSettings;
}

const withoutTz: DatetimeSettings = { useTz: false, zone: () => "UTC" };

/**
 * Runs a path: every item it yields (datetime items among them, `jsonpath-datetime.ts`).
 * Throws JsonPathError for suppressible errors.
 */
export function executeJsonPath(path: JsonPath, root: Jsonb, vars: JsonbObject | null,
  datetime: DatetimeSettings = withoutTz): Jsonb[] {
  const ctx: JpContext = {
    lax: path.lax, root, vars, current: root, last: -1, ignoreStructural: path.lax, datetime,
  };
  return execNode(path.expr, ctx);
}

/** Raises a structural error, or yields nothing where they are ignored (lax mode, `.**`). */
export function structural(ctx: JpContext, code: string, message: string): Jsonb[] {
  if (ctx.ignoreStructural) return [];
  throw new JsonPathError(code, message);
}

function truthItem(t: Truth): Jsonb {
  return t === "u" ? JSONB_NULL : t === "t";
}

export function execNode(node: JpNode, ctx: JpContext): Jsonb[] {
  if (isPredicate(node)) return [truthItem(evalPredicate(node, ctx))];
  switch (node.k) {
    case "root": return [ctx.root];
    case "current": return [ctx.current];
    case "last": return [jsonNumber(new SqlNumber(ctx.last))];
    case "var": return [variable(node.name, ctx)];
    case "num": return [jsonNumber(node.v)];
    case "str": return [node.v];
    case "bool": return [node.v];
    case "null": return [JSONB_NULL];
    case "bin":
      return [arithmetic(node.op, execUnwrapped(node.l, ctx), execUnwrapped(node.r, ctx))];
    case "unary": return execUnwrapped(node.arg, ctx).map((v) => negateItem(node.op, v));
    case "chain": {
      const heads = execNode(node.head, ctx);
      return collectItems(heads, (v) => runSteps(node.steps, 0, v, ctx, ctx.lax));
    }
    default: throw new SqlError(SqlState.internalError, `unexpected jsonpath node ${node.k}`);
  }
}

/** Evaluates `node`, unwrapping array results in lax mode (an operand's sequence). */
export function execUnwrapped(node: JpNode, ctx: JpContext): Jsonb[] {
  const items = execNode(node, ctx);
  if (!ctx.lax) return items;
  return items.flatMap((v) => (isJsonArray(v) ? [...v] : [v]));
}

function variable(name: string, ctx: JpContext): Jsonb {
  const entry = ctx.vars?.entries.find(([k]) => k === name);
  if (entry === undefined) {
    throw new SqlError(SqlState.undefinedObject, `could not find jsonpath variable "${name}"`);
  }
  return entry[1];
}

export function runSteps(
  steps: readonly JpStep[], i: number, v: Jsonb, ctx: JpContext, unwrap: boolean,
): Jsonb[] {
  const step = steps[i];
  if (step === undefined) return [v];
  const next = (x: Jsonb, c: JpContext = ctx, u = ctx.lax): Jsonb[] =>
    runSteps(steps, i + 1, x, c, u);
  const each = (xs: readonly Jsonb[]): Jsonb[] =>
    collectItems(xs, (x) => runSteps(steps, i, x, ctx, false));
  switch (step.k) {
    case "key": {
      if (isJsonObject(v)) {
        const entry = v.entries.find(([k]) => k === step.name);
        if (entry !== undefined) return next(entry[1]);
        return structural(ctx, SqlState.sqlJsonMemberNotFound,
          `JSON object does not contain key "${step.name}"`);
      }
      if (unwrap && isJsonArray(v)) return each(v);
      return structural(ctx, SqlState.sqlJsonMemberNotFound,
        "jsonpath member accessor can only be applied to an object");
    }
    case "anyKey":
      if (isJsonObject(v)) return collectItems(v.entries, ([, x]) => next(x));
      if (unwrap && isJsonArray(v)) return each(v);
      return structural(ctx, SqlState.sqlJsonObjectNotFound,
        "jsonpath wildcard member accessor can only be applied to an object");
    case "anyArray":
      if (isJsonArray(v)) return collectItems(v, (x) => next(x));
      if (ctx.lax) return next(v);
      return structural(ctx, SqlState.sqlJsonArrayNotFound,
        "jsonpath wildcard array accessor can only be applied to an array");
    case "index": return subscripts(step.subs, v, ctx, next);
    case "any": return anyLevels(step.first, step.last, v, ctx, next);
    case "filter": {
      if (unwrap && isJsonArray(v)) return each(v);
      return evalPredicate(step.pred, { ...ctx, current: v }) === "t" ? next(v) : [];
    }
    case "method":
      if (unwrap && isJsonArray(v) && unwrapsArrays(step.name)) return each(v);
      return collectItems(applyMethod(step, v, ctx), (x) => next(x));
  }
}

function unwrapsArrays(method: string): boolean {
  return method !== "type" && method !== "size";
}

function subscripts(
  subs: readonly { from: JpNode; to?: JpNode }[], v: Jsonb, ctx: JpContext,
  next: (x: Jsonb) => Jsonb[],
): Jsonb[] {
  if (!isJsonArray(v) && !ctx.lax) {
    return structural(ctx, SqlState.sqlJsonArrayNotFound,
      "jsonpath array accessor can only be applied to an array");
  }
  const items: readonly Jsonb[] = isJsonArray(v) ? v : [v];
  const inner: JpContext = { ...ctx, last: items.length - 1 };
  const out: Jsonb[] = [];
  for (const sub of subs) {
    let from = arrayIndex(sub.from, inner);
    let to = sub.to === undefined ? from : arrayIndex(sub.to, inner);
    if (!ctx.ignoreStructural && (from < 0 || from > to || to >= items.length)) {
      throw new JsonPathError("22033", "jsonpath array subscript is out of bounds");
    }
    from = Math.max(from, 0);
    to = Math.min(to, items.length - 1);
    for (let i = from; i <= to; i++) out.push(...next(items[i] as Jsonb));
  }
  return out;
}

function arrayIndex(node: JpNode, ctx: JpContext): number {
  const found = execNode(node, ctx);
  const d = found.length === 1 ? asNumber(found[0] as Jsonb) : undefined;
  if (d === undefined) {
    throw new JsonPathError("22033", "jsonpath array subscript is not a single numeric value");
  }
  const n = d.truncated();
  if (!n.isFinite() || n.abs().gt(2147483647)) {
    throw new JsonPathError("22033", "jsonpath array subscript is out of integer range");
  }
  return n.toNumber();
}

function anyLevels(
  first: number, last: number, v: Jsonb, ctx: JpContext,
  next: (x: Jsonb, c: JpContext) => Jsonb[],
): Jsonb[] {
  const inner: JpContext = { ...ctx, ignoreStructural: true };
  const leavesOnly = first === 4294967295 && last === 4294967295;
  const out: Jsonb[] = [];
  if (first === 0) out.push(...next(v, inner));
  const walk = (x: Jsonb, level: number): void => {
    const children = isJsonArray(x) ? x : isJsonObject(x) ? x.entries.map(([, c]) => c) : [];
    for (const c of children) {
      const container = isJsonArray(c) || isJsonObject(c);
      if (level >= first || (leavesOnly && !container)) out.push(...next(c, inner));
      if (level < last && container) walk(c, level + 1);
    }
  };
  walk(v, 1);
  return out;
}
