/**
 * Plugs a statement's parameters into its raw tree as typed constants (`$1` becomes
 * `'42'::integer`), as Citus does before it prunes and deparses a task: the shard query then
 * needs no parameters, pruning sees constants, and EXPLAIN shows the values.
 */
import { assert, limits } from "@tessera/base";
import type { Value, ast } from "@tessera/sql";
import { valueText } from "../executor/tasks.js";
import { castTo } from "./raw.js";

/** Returns a copy of `tree` with every `$n` replaced by its value cast to its type. */
export function bindParams<T>(tree: T, params: readonly Value[],
  paramTypes: readonly number[]): T {
  if (params.length === 0) return tree;
  assert(params.length <= paramTypes.length, "every parameter has a type");
  const visit = (value: unknown, depth: number): unknown => {
    assert(depth <= limits.treeDepthMax * 4, "trees nest within the depth limit");
    if (Array.isArray(value)) return value.map((item) => visit(item, depth + 1));
    if (typeof value !== "object" || value === null) return value;
    const record = value as Record<string, unknown>;
    const ref = record["ParamRef"] as ast.ParamRef | undefined;
    if (ref !== undefined && Object.keys(record).length === 1) {
      const n = ref.number ?? 0;
      assert(n >= 1 && n <= params.length, "a parameter reference has a value");
      return constantOf(params[n - 1]!, paramTypes[n - 1]!);
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, visit(v, depth + 1)]));
  };
  return visit(tree, 0) as T;
}

function constantOf(value: Value, typeOid: number): ast.Node {
  const text = valueText(value, typeOid);
  const constant: ast.Node = text === null
    ? { A_Const: { isnull: true } }
    : { A_Const: { sval: { sval: text } } };
  return castTo(constant, typeOid, -1);
}
