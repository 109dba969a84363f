/**
 * Subscripts and field selections on any expression (Postgres's transformIndirection and the
 * array and jsonb subscripting handlers): `(array['a', 'b'])[2]`, `ia[2:3]`, `m[1][2]`,
 * `doc['tags'][1]`, `(p).name` (`whole-row.ts`).
 *
 * An array subscript list is a fetch of one element, unless any subscript is a slice; then
 * every subscript is a slice, a plain `[i]` meaning `[1:i]` as in transformArraySubscripts,
 * and the result keeps the array type. Subscripts are coerced to integer. A jsonb subscript
 * list walks into objects and arrays, each subscript coerced to integer or text, and becomes
 * the `#>` operator over the path: `doc['tags'][1]` is `doc #> ARRAY['tags', '1']`.
 *
 * Both build a call whose `deparse` prints them the way EXPLAIN does.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import {
  arraySlice, arraySubscript, type ast, type PgArray, type PgGeometry, type Value,
} from "@tessera/sql";
import { Oid, formatTypeName, typeInfo } from "../catalog/types.js";
import { canCoerce, coerceTo } from "./coerce.js";
import type { CallExpr, Expr } from "./expr.js";
import { analyzeExpr, locationOf } from "./expr-analyze.js";
import { makeOperator } from "./expr-ops.js";
import type { Scope } from "./scope.js";
import { selectField } from "./whole-row.js";

/** Postgres's MAXDIM: arrays have at most six dimensions. */
const arrayDimsMax = 6;

/** Analyzes `arg` followed by its subscripts and field selections. */
export function analyzeIndirection(node: ast.A_Indirection, scope: Scope): Expr {
  let expr = analyzeExpr(node.arg!, scope);
  let subscripts: ast.A_Indices[] = [];
  for (const step of node.indirection ?? []) {
    if ("A_Indices" in step) {
      subscripts.push(step.A_Indices);
      continue;
    }
    if (subscripts.length > 0) expr = applySubscripts(expr, subscripts, scope);
    subscripts = [];
    if (!("String" in step)) throw notSupported("(…).* outside a select list");
    expr = selectField(expr, step.String.sval ?? "");
  }
  return subscripts.length === 0 ? expr : applySubscripts(expr, subscripts, scope);
}

function applySubscripts(container: Expr, list: readonly ast.A_Indices[], scope: Scope): Expr {
  const info = typeInfo(container.type);
  if (container.type === Oid.jsonb) return jsonbSubscripts(container, list, scope);
  if (container.type === Oid.name && list.length === 1 && list[0]!.is_slice !== true) {
    return nameByteCall(container, list[0]!, scope);
  }
  const geometric = geometryElements.get(container.type);
  if (geometric !== undefined) return geometryElementCall(container, list, scope, geometric);
  if (info.elem === 0 || container.type === Oid.unknown) {
    throw new SqlError(SqlState.datatypeMismatch, `cannot subscript type ${info.sqlName} ` +
      "because it does not support subscripting");
  }
  if (list.length > arrayDimsMax) {
    throw new SqlError(SqlState.programLimitExceeded, `number of array dimensions ` +
      `(${list.length}) exceeds the maximum allowed (${arrayDimsMax})`);
  }
  const slice = list.some((s) => s.is_slice === true);
  return slice ? arraySliceCall(container, list, scope) : arrayFetchCall(container, list, scope);
}

function arrayFetchCall(container: Expr, list: readonly ast.A_Indices[], scope: Scope): Expr {
  const indexes = list.map((s) => arraySubscriptExpr(s.uidx!, scope));
  const args = [container, ...indexes];
  return subscriptCall(container, args, typeInfo(container.type).elem, container.typmod,
    (values) => {
      const array = values[0];
      if (array === null || array === undefined) return null;
      const at: number[] = [];
      for (let i = 1; i < values.length; i++) {
        const v = values[i];
        if (v === null || v === undefined) return null;
        at.push(v as number);
      }
      return arraySubscript(array as PgArray, at);
    }, (texts) => texts.map((t) => `[${t}]`).join(""));
}

function arraySliceCall(container: Expr, list: readonly ast.A_Indices[], scope: Scope): Expr {
  const args: Expr[] = [container];
  const lowerAt: (number | null)[] = [];
  const upperAt: (number | null)[] = [];
  const place = (raw: ast.Node | undefined, plain: boolean): number | null => {
    if (raw === undefined && !plain) return null;
    args.push(raw === undefined ? int4(1) : arraySubscriptExpr(raw, scope));
    return args.length - 1;
  };
  for (const s of list) {
    lowerAt.push(place(s.lidx, s.is_slice !== true));
    upperAt.push(place(s.uidx, false));
  }
  const bound = (values: readonly Value[], at: number | null): number | null | undefined =>
    at === null ? null : (values[at] === null ? undefined : values[at] as number);
  return subscriptCall(container, args, container.type, container.typmod, (values) => {
    const array = values[0];
    if (array === null || array === undefined) return null;
    const bounds = [];
    for (let i = 0; i < list.length; i++) {
      const lower = bound(values, lowerAt[i]!);
      const upper = bound(values, upperAt[i]!);
      if (lower === undefined || upper === undefined) return null;
      bounds.push({ lower, upper });
    }
    return arraySlice(array as PgArray, bounds);
  }, (texts) => list.map((_, i) => {
    const lower = lowerAt[i] === null ? "" : texts[lowerAt[i]! - 1];
    const upper = upperAt[i] === null ? "" : texts[upperAt[i]! - 1];
    return `[${lower}:${upper}]`;
  }).join(""));
}

export function arraySubscriptExpr(raw: ast.Node, scope: Scope): Expr {
  const expr = analyzeExpr(raw, scope);
  if (!canCoerce(expr.type, Oid.int4, "a")) {
    throw new SqlError(SqlState.datatypeMismatch, "array subscript must have type integer",
      locationOf(locationIn(raw)));
  }
  return coerceTo(expr, Oid.int4, -1, "a", scope.statement.params);
}

function jsonbSubscripts(container: Expr, list: readonly ast.A_Indices[], scope: Scope): Expr {
  const path = jsonbSubscriptPath(list, scope);
  const array: Expr = { kind: "array", type: typeInfo(Oid.text).array, typmod: -1,
    elementType: Oid.text, elements: path };
  const call = makeOperator("#>", container, array, scope, undefined) as CallExpr;
  const texts = (all: readonly string[]): string => all.slice(1).map((t) => `[${t}]`).join("");
  return { ...call, deparse: (args) => `${parens(container, args[0]!)}${texts(args)}` };
}

/** jsonb subscripts as text path elements: integers (as text) or text; no slices. */
export function jsonbSubscriptPath(list: readonly ast.A_Indices[], scope: Scope): Expr[] {
  return list.map((s) => {
    if (s.is_slice === true) {
      throw new SqlError(SqlState.datatypeMismatch, "jsonb subscript does not support slices",
        locationOf(locationIn(s.lidx ?? s.uidx)));
    }
    const expr = analyzeExpr(s.uidx!, scope);
    const params = scope.statement.params;
    if (expr.type === Oid.unknown) return coerceTo(expr, Oid.text, -1, "i", params);
    if (canCoerce(expr.type, Oid.int4, "i")) {
      return coerceTo(coerceTo(expr, Oid.int4, -1, "i", params), Oid.text, -1, "e", params);
    }
    if (canCoerce(expr.type, Oid.text, "i")) return coerceTo(expr, Oid.text, -1, "i", params);
    throw new SqlError(SqlState.datatypeMismatch,
      `subscript type ${formatTypeName(expr.type, expr.typmod)} is not supported`,
      { ...locationOf(locationIn(s.uidx)),
        hint: "jsonb subscript must be coercible to either integer or text." });
  });
}

/** Builds the call for an array subscript; `impl` sees the container, then the bounds. */
function subscriptCall(container: Expr, args: readonly Expr[], type: number, typmod: number,
  impl: (values: readonly Value[]) => Value, suffix: (texts: readonly string[]) => string):
  Expr {
  return { kind: "call", name: "subscript", operator: false, args, strict: false,
    volatile: false, type, typmod, impl: (values) => impl(values),
    deparse: (texts) => `${parens(container, texts[0]!)}${suffix(texts.slice(1))}` };
}

/**
 * `name` is a fixed array of NAMEDATALEN (64) "char"s counted from 0, as pg_dump's
 * `typname[0] = '_'` reads it: a byte past the name's end is the empty "char", one outside
 * the array null.
 */
function nameByteCall(container: Expr, subscript: ast.A_Indices, scope: Scope): Expr {
  const index = arraySubscriptExpr(subscript.uidx!, scope);
  return subscriptCall(container, [container, index], Oid.char, -1, ([name, at]) => {
    if (name === null || name === undefined || at === null || at === undefined) return null;
    const i = at as number;
    if (i < 0 || i >= 64) return null;
    const byte = Buffer.from(name as string, "utf8")[i];
    return byte === undefined ? "" : String.fromCharCode(byte);
  }, (texts) => `[${texts[0]!}]`);
}

/** point[i] and line[i] are float8 fields, lseg[i] and box[i] points, counted from 0. */
const geometryElements: ReadonlyMap<number, { type: number; count: number }> = new Map([
  [600, { type: 701, count: 2 }], [628, { type: 701, count: 3 }],
  [601, { type: 600, count: 2 }], [603, { type: 600, count: 2 }],
]);

function geometryElementCall(container: Expr, list: readonly ast.A_Indices[], scope: Scope,
  element: { type: number; count: number }): Expr {
  if (list.some((s) => s.is_slice === true)) {
    throw new SqlError(SqlState.featureNotSupported,
      "slices of fixed-length arrays not implemented");
  }
  if (list.length > 1) throw notSupported("more than one subscript of a geometric value");
  const index = arraySubscriptExpr(list[0]!.uidx!, scope);
  return subscriptCall(container, [container, index], element.type, -1, ([shape, at]) => {
    if (shape === null || shape === undefined || at === null || at === undefined) return null;
    const i = at as number;
    if (i < 0 || i >= element.count) return null;
    const coords = (shape as PgGeometry).coords;
    if (element.type === 701) return coords[i]!;
    return { kind: "geometry", shape: "point", coords: coords.slice(i * 2, i * 2 + 2),
      closed: false };
  }, (texts) => `[${texts[0]!}]`);
}

function parens(container: Expr, text: string): string {
  return container.kind === "var" ? text : `(${text})`;
}

function int4(value: number): Expr {
  return { kind: "const", type: Oid.int4, typmod: -1, value };
}

function locationIn(raw: ast.Node | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const inner = Object.values(raw)[0] as { location?: number } | undefined;
  return inner?.location;
}
