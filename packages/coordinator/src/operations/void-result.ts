/**
 * A Citus UDF declared `RETURNS void` answers with the void value, which prints as an empty
 * string: `SELECT create_distributed_table('t', 'a')` returns one row whose column is '' and
 * `create_distributed_table(...) IS NULL` is false, as PG_RETURN_VOID() gives in PostgreSQL.
 * Our implementations end with `return null`; this wrapper turns that into the void value
 * (a strict function called with a null argument still returns null: the engine never calls
 * its implementation).
 */
import { TypeOid, type FunctionDef, type ScalarFunction, type Value } from "@tessera/sql";

/** The void value: what PostgreSQL's void output function prints. */
const voidValue = "";

/** Returns `def` with its null results read as the void value when it returns void. */
export function voidResultAsEmpty(def: FunctionDef): FunctionDef {
  if (def.kind !== "scalar" || def.returnType !== TypeOid.void) return def;
  const { impl, implAsync } = def;
  const asVoid = (value: Value): Value => value ?? voidValue;
  const wrapped: ScalarFunction = {
    ...def,
    impl: (args, ctx, call) => asVoid(impl(args, ctx, call)),
  };
  if (implAsync === undefined) return wrapped;
  return { ...wrapped,
    implAsync: async (args, ctx, call) => asVoid(await implAsync(args, ctx, call)) };
}
