/**
 * User functions named in a distributed statement get their schema written in, as Citus's
 * deparser prints a function that the worker's search_path might not find: a worker runs a
 * task with its own default search_path, so `immutable_append(a, 2)` of a function created
 * in schema `app` (and propagated there) would not resolve on it:
 *
 *     UPDATE orders SET vals = immutable_append(vals, 2) WHERE id = 246   (search_path app)
 *  -> UPDATE orders SET vals = app.immutable_append(vals, 2) WHERE id = 246
 *
 * Only unqualified calls whose name is no built-in function and whose candidates along the
 * search path all sit in one schema are rewritten; the statement means the same thing on the
 * coordinator, whose analysis still resolves the call.
 */
import { allSqlFunctions, sqlFunctionsNamed } from "@tessera/engine";
import { lookupFunction, type ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";

type Catalog = Cluster["local"]["catalog"];

/** Returns `stmt` with its user function calls schema-qualified (or `stmt` itself). */
export function qualifyUserFunctions(stmt: ast.Node, catalog: Catalog,
  path: readonly string[]): ast.Node {
  const names = new Set(allSqlFunctions(catalog)
    .filter((fn) => fn.aggregate === undefined && fn.procedure === undefined)
    .map((fn) => fn.name));
  if (names.size === 0) return stmt;
  let changed = false;
  const walk = (value: unknown): unknown => {
    if (typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return value.map(walk);
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(record)) {
      out[key] = walk(inner);
      if (key !== "FuncCall") continue;
      const call = out[key] as ast.FuncCall;
      const schema = schemaOf(call, names, catalog, path);
      if (schema === undefined) continue;
      changed = true;
      out[key] = { ...call, funcname: [{ String: { sval: schema } }, ...call.funcname!] };
    }
    return out;
  };
  const result = walk(stmt) as ast.Node;
  return changed ? result : stmt;
}

/** The schema to write before an unqualified call of a user function, or undefined. */
function schemaOf(call: ast.FuncCall, names: ReadonlySet<string>, catalog: Catalog,
  path: readonly string[]): string | undefined {
  const parts = call.funcname ?? [];
  if (parts.length !== 1 || !("String" in parts[0]!)) return undefined;
  const name = parts[0].String.sval ?? "";
  if (!names.has(name) || lookupFunction(name).length > 0) return undefined;
  const schemas = new Set(sqlFunctionsNamed(catalog, path, undefined, name)
    .map((fn) => fn.schema));
  return schemas.size === 1 ? [...schemas][0] : undefined;
}
