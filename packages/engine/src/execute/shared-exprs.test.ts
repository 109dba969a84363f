/**
 * Shared subexpressions: equal built-in calls in a node's expressions run once per row, and
 * again on the next row; calls whose meaning lives in their closure, and volatile ones, are
 * never shared.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Row, Value } from "@tessera/sql";
import type { Expr } from "../analyze/expr.js";
import { compileExprShared } from "./compile.js";
import type { Runtime } from "./runtime.js";
import { findSharedExprs, nextRow } from "./shared-exprs.js";

const int4 = 23;
const rt = { evalContext: {}, params: [] } as unknown as Runtime;

function column(index: number): Expr {
  return { kind: "var", index, name: `t.c${index}`, tableOid: 1, attnum: index + 1, type: int4,
    typmod: -1 };
}

/** `-c0` as a counted call: each evaluation bumps `calls.n`. */
function negate(calls: { n: number }, shape: Partial<Expr & { kind: "call" }> = {}): Expr {
  return { kind: "call", name: "-", operator: true, args: [column(0)], strict: true,
    volatile: false, type: int4, typmod: -1,
    impl: (args: Value[]) => { calls.n++; return -(args[0] as number); }, ...shape } as Expr;
}

/** `op(-c0, k)` with a constant `k`: two of these repeat the `-c0` under them. */
function plus(inner: Expr, k: number): Expr {
  return { kind: "call", name: "+", operator: true, args: [inner,
    { kind: "const", value: k, type: int4, typmod: -1 }], strict: true, volatile: false,
  type: int4, typmod: -1, impl: (args: Value[]) => (args[0] as number) + (args[1] as number) };
}

function evaluate(exprs: readonly Expr[], rows: readonly Row[]): Value[][] {
  const shared = findSharedExprs({}, () => exprs);
  const compiled = exprs.map((e) => compileExprShared(e, shared));
  return rows.map((row) => {
    if (shared !== null) nextRow(shared);
    return compiled.map((f) => f(row, rt));
  });
}

test("an equal built-in call under two expressions runs once per row", () => {
  const calls = { n: 0 };
  const exprs = [plus(negate(calls), 1), plus(negate(calls), 2), negate(calls)];
  assert.deepEqual(evaluate(exprs, [[5], [7]]), [[-4, -3, -5], [-6, -5, -7]]);
  assert.equal(calls.n, 2);
});

test("volatile calls and calls outside the built-ins run at every occurrence", () => {
  const volatile = { n: 0 };
  evaluate([plus(negate(volatile, { volatile: true }), 1), plus(negate(volatile,
    { volatile: true }), 2)], [[5], [7]]);
  assert.equal(volatile.n, 4);
  // A call that is neither an operator nor a built-in function (a field selection, a user
  // function): its closure may differ where its key does not.
  const opaque = { n: 0 };
  evaluate([plus(negate(opaque, { operator: false }), 1), plus(negate(opaque,
    { operator: false }), 2)], [[5]]);
  assert.equal(opaque.n, 2);
});

test("a node whose expressions repeat nothing compiles as before", () => {
  const calls = { n: 0 };
  assert.equal(findSharedExprs({}, () => [negate(calls), column(0)]), null);
});
