import { strict as assert } from "node:assert";
import { before, test } from "node:test";
import { SqlError } from "@tessera/base";
import { initParser, parseStatements, type Value, type ast } from "@tessera/sql";
import { hashValue, initHash } from "../metadata/hash.js";
import { buildHashRanges, shardIndexForHash } from "../metadata/shard-ranges.js";
import {
  pruneShards, type ConstantResult, type PruneContext, type PruneTarget,
} from "./prune.js";

const int8 = 20;
const ranges = buildHashRanges(32);
const events: PruneTarget = { alias: "e", typeOid: int8, ranges };
const all = ranges.map((_, index) => index);

before(async () => {
  await initParser();
  await initHash();
});

/** `e.id` (or bare `id`) is events' distribution column, `u.id` is users'. */
function resolveColumn(ref: ast.ColumnRef): { alias: string; typeOid: number } | undefined {
  const names = (ref.fields ?? []).map((f) => ("String" in f ? f.String.sval : "*"));
  if (names.length === 1 && names[0] === "id") return { alias: "e", typeOid: int8 };
  if (names.length === 2 && names[1] === "id" && (names[0] === "e" || names[0] === "u")) {
    return { alias: names[0], typeOid: int8 };
  }
  return undefined;
}

/** A tiny evaluator: integer literals, integral strings, $n, casts; 1.5 is not an int8. */
function evaluateConstant(params: readonly Value[]) {
  const evaluate = (expr: ast.Node): ConstantResult => {
    if ("TypeCast" in expr && expr.TypeCast.arg !== undefined) return evaluate(expr.TypeCast.arg);
    if ("ParamRef" in expr) {
      const value = params[(expr.ParamRef.number ?? 0) - 1];
      return value === undefined ? { ok: false } : { ok: true, value };
    }
    if (!("A_Const" in expr)) return { ok: false };
    const constant = expr.A_Const;
    if (constant.isnull === true) return { ok: true, value: null };
    if (constant.ival !== undefined) return { ok: true, value: BigInt(constant.ival.ival ?? 0) };
    const text = constant.sval?.sval ?? constant.fval?.fval;
    if (text !== undefined && /^-?\d+$/.test(text)) return { ok: true, value: BigInt(text) };
    return { ok: false };
  };
  return evaluate;
}

function context(params: readonly Value[] = []): PruneContext {
  return {
    resolveColumn,
    evaluateConstant: evaluateConstant(params),
    evaluateArray: (expr) => {
      if (!("ParamRef" in expr)) return { ok: false };
      const value = params[(expr.ParamRef.number ?? 0) - 1];
      if (typeof value !== "object" || value === null || !("kind" in value)) return { ok: false };
      return value.kind === "array" ? { ok: true, values: value.items } : { ok: false };
    },
  };
}

function whereOf(sql: string): ast.Node | undefined {
  const [parsed] = parseStatements(sql);
  assert.ok(parsed !== undefined && "SelectStmt" in parsed.stmt);
  return parsed.stmt.SelectStmt.whereClause;
}

function prune(where: string, params: readonly Value[] = [], target = events): readonly number[] {
  const sql = `SELECT 1 FROM events e JOIN users u ON e.id = u.id ${where}`;
  return pruneShards(whereOf(sql), target, context(params)).shardIndexes;
}

const int8Array = (...items: Value[]): Value =>
  ({ kind: "array", elementType: int8, dims: [items.length], lowerBounds: [1], items });
const shardOf = (key: number): number => shardIndexForHash(ranges, hashValue(BigInt(key), int8));
const shardsOf = (...keys: number[]): number[] =>
  [...new Set(keys.map(shardOf))].sort((a, b) => a - b);

test("no WHERE, or a WHERE without the distribution column, reads every shard", () => {
  assert.deepEqual(prune(""), all);
  assert.deepEqual(prune("WHERE e.x = 1"), all);
  assert.deepEqual(prune("WHERE true"), all);
  assert.deepEqual(prune("WHERE e.x > 5 AND e.y = 'a'"), all);
});

test("equality with a constant pins one shard, either side, any spelling", () => {
  assert.deepEqual(prune("WHERE e.id = 5"), shardsOf(5));
  assert.deepEqual(prune("WHERE 5 = e.id"), shardsOf(5));
  assert.deepEqual(prune("WHERE id = 5"), shardsOf(5));
  assert.deepEqual(prune("WHERE e.id = '5'"), shardsOf(5));
  assert.deepEqual(prune("WHERE e.id = 5::bigint"), shardsOf(5));
  assert.deepEqual(prune("WHERE e.id = -7"), shardsOf(-7));
  assert.deepEqual(prune("WHERE e.id OPERATOR(pg_catalog.=) 5"), shardsOf(5));
  assert.deepEqual(prune("WHERE e.id IS NOT DISTINCT FROM 5"), shardsOf(5));
});

test("parameters are constants too", () => {
  assert.deepEqual(prune("WHERE e.id = $1", [42n]), shardsOf(42));
  assert.deepEqual(prune("WHERE e.id = $2 OR e.id = $1", [1n, 2n]), shardsOf(1, 2));
  assert.deepEqual(prune("WHERE e.id = ANY($1)", [int8Array(3n, 4n, null)]), shardsOf(3, 4));
  assert.deepEqual(prune("WHERE e.id = $1"), all, "an unbound parameter is unknown");
});

test("IN lists, ANY(ARRAY[...]) and OR of equalities unite", () => {
  assert.deepEqual(prune("WHERE e.id IN (1, 2, 3)"), shardsOf(1, 2, 3));
  assert.deepEqual(prune("WHERE e.id IN (1, NULL)"), shardsOf(1), "NULL never matches");
  assert.deepEqual(prune("WHERE e.id = ANY(ARRAY[7, 8])"), shardsOf(7, 8));
  assert.deepEqual(prune("WHERE e.id = 1 OR e.id = 2 OR e.id IN (3)"), shardsOf(1, 2, 3));
  assert.deepEqual(prune("WHERE e.id IN (1, e.x)"), all, "one non-constant widens the list");
});

test("AND intersects and treats unknown as neutral", () => {
  assert.deepEqual(prune("WHERE e.id = 5 AND e.x > 3"), shardsOf(5));
  assert.deepEqual(prune("WHERE e.x > 3 AND (e.id = 5 OR e.id = 6)"), shardsOf(5, 6));
  assert.deepEqual(prune("WHERE e.id IN (1, 2, 3) AND e.id IN (2, 3, 4)"), shardsOf(2, 3));
  assert.deepEqual(prune("WHERE e.id = 1 AND e.id = 1"), shardsOf(1));
  assert.deepEqual(prune("WHERE e.id = 1 AND e.id = 2"), [], "a contradiction reads nothing");
});

test("OR-of-AND: each branch narrows, the union widens (STYLE.md's example)", () => {
  assert.deepEqual(prune("WHERE (e.id = 1 AND e.x > 5) OR (e.id IN (2, 3) AND e.id = 3)"),
    shardsOf(1, 3));
  assert.deepEqual(prune("WHERE (e.id = 1 OR e.id = 2) AND (e.id = 2 OR e.id = 3)"),
    shardsOf(2));
  assert.deepEqual(prune("WHERE (e.id = 1 AND e.x = 2) OR e.x = 3"), all,
    "a branch without the column widens to all shards");
});

test("what the pruner cannot reason about widens to all shards", () => {
  for (const where of [
    "WHERE NOT (e.id = 5)", "WHERE e.id <> 5", "WHERE e.id > 5", "WHERE e.id BETWEEN 1 AND 2",
    "WHERE e.id IS NULL", "WHERE e.id + 0 = 5", "WHERE e.id = e.x", "WHERE e.id::int = 5",
    "WHERE e.id = 1.5", "WHERE e.id = (SELECT 1)", "WHERE e.id IN (SELECT 1)",
    "WHERE e.id NOT IN (1, 2)", "WHERE e.id = ANY('{1,2}')", "WHERE e.id IS DISTINCT FROM 1",
    "WHERE e.id OPERATOR(myschema.=) 5", "WHERE e.id IS NOT DISTINCT FROM NULL",
    "WHERE CASE WHEN e.id = 1 THEN true END", "WHERE e.id = ALL(ARRAY[1])",
  ]) {
    assert.deepEqual(prune(where), all, where);
  }
});

test("a clause no row passes reads no shard", () => {
  assert.deepEqual(prune("WHERE false"), []);
  assert.deepEqual(prune("WHERE NULL"), []);
  assert.deepEqual(prune("WHERE e.id = NULL"), []);
  assert.deepEqual(prune("WHERE e.id IN (NULL)"), []);
  assert.deepEqual(prune("WHERE e.id = 5 AND false"), []);
  assert.deepEqual(prune("WHERE e.id = 5 OR false"), shardsOf(5));
});

test("constraints belong to one alias: u.id does not prune e", () => {
  const users: PruneTarget = { alias: "u", typeOid: int8, ranges };
  assert.deepEqual(prune("WHERE u.id = 5"), all);
  assert.deepEqual(prune("WHERE u.id = 5", [], users), shardsOf(5));
  assert.deepEqual(prune("WHERE e.id = 5 AND u.id = 6", [], users), shardsOf(6));
  assert.deepEqual(prune("WHERE e.id = 5 OR u.id = 6"), all);
});

test("the result carries the allowed values for the router", () => {
  const result = pruneShards(whereOf("SELECT 1 FROM events e WHERE e.id IN (4, 4, 9)"), events,
    context());
  assert.deepEqual(result.values, [4n, 9n]);
  assert.equal(pruneShards(undefined, events, context()).values, null);
});

test("a small shard count still maps every value into its range", () => {
  const two: PruneTarget = { alias: "e", typeOid: int8, ranges: buildHashRanges(2) };
  const result = prune("WHERE e.id IN (1, 2, 3, 4, 5, 6, 7, 8)", [], two);
  assert.ok(result.length >= 1 && result.length <= 2);
});

test("absurdly deep boolean nesting is statement_too_complex, not a crash", () => {
  let expr: ast.Node = { A_Const: { boolval: { boolval: true } } };
  for (let depth = 0; depth < 1_100; depth++) {
    expr = { BoolExpr: { boolop: depth % 2 === 0 ? "AND_EXPR" : "OR_EXPR", args: [expr, expr] } };
  }
  assert.throws(() => pruneShards(expr, events, context()),
    (error: unknown) => error instanceof SqlError && error.code === "54001");
});
