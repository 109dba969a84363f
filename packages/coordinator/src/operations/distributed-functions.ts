/**
 * create_distributed_function(function_name regprocedure, distribution_arg_name text DEFAULT
 * NULL, colocate_with text DEFAULT 'default', force_delegation bool DEFAULT NULL), as Citus
 * declares it. Tessera propagates every SQL function to the workers when it is created
 * (`commands/type-function-ddl.ts`), so fragments pushed down to a worker can call it; this
 * function checks its arguments as Citus does and sends the function to every active worker
 * again (CREATE OR REPLACE), so a function created with DDL propagation off gets there too.
 *
 * Call delegation (running `select f(…)` on the worker that holds the distribution
 * argument's shard) is not done: a call runs on the coordinator, and pg_dist_object keeps no
 * row for the function. colocate_with is checked as Citus checks it (`function-colocation.ts`),
 * force_delegation is accepted and not used.
 */
import { SqlError, SqlState } from "@tessera/base";
import { allSqlFunctions } from "@tessera/engine";
import { TypeOid, type FunctionDef, type Value } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { contextOf } from "./statement-contexts.js";
import { functionCreateSql, runOnWorkers } from "./type-function-propagation.js";
import { checkFunctionColocation } from "./function-colocation.js";

/** GetDistributionArgIndex: the argument `text` names ("$n" or a name), else Citus's error. */
function distributionArgument(fn: { readonly name: string; readonly argNames: readonly string[];
  readonly argTypes: readonly number[] }, text: string): number {
  const invalid = (trailer: string): SqlError => new SqlError(SqlState.invalidParameterValue,
    `cannot distribute the function "${fn.name}" since the distribution argument is not ` +
    `valid${trailer}`, { hint: "Either provide a valid function argument name or a valid " +
      "\"$paramIndex\" to create_distributed_function()" });
  if (text.startsWith("$")) {
    const index = Number(text.slice(1));
    if (!Number.isInteger(index) || index < 1 || index > fn.argTypes.length) throw invalid("");
    return index - 1;
  }
  const byName = fn.argNames.findIndex((n) => n.toLowerCase() === text.toLowerCase());
  if (byName < 0 || byName >= fn.argTypes.length) throw invalid(" ");
  return byName;
}

/** Returns the definitions to register in the coordinator's engine. */
export function distributedFunctionFunctions(cluster: Cluster): FunctionDef[] {
  const mustAwait = (): Value => {
    throw new SqlError(SqlState.internalError, "this function must be awaited");
  };
  return [{
    kind: "scalar", name: "create_distributed_function", volatility: "v", strict: false,
    argTypes: [TypeOid.regprocedure, TypeOid.text, TypeOid.text, TypeOid.bool],
    argNames: ["function_name", "distribution_arg_name", "colocate_with", "force_delegation"],
    defaultCount: 3, defaults: [null, "default", null], returnType: TypeOid.void,
    impl: mustAwait,
    implAsync: async (args, ctx) => {
      const [oid, argName, colocate] = args;
      if (oid === null || oid === undefined) return null;
      if (colocate === null) {
        throw new SqlError(SqlState.internalError, "colocate_with parameter should not be NULL",
          { hint: "To use the default value, set colocate_with option to \"default\"" });
      }
      const fn = allSqlFunctions(cluster.local.catalog).find((f) => f.oid === Number(oid));
      if (fn === undefined) {
        throw new SqlError(SqlState.featureNotSupported,
          "create_distributed_function of a built-in function is not supported");
      }
      const argument = argName === null || argName === undefined ? undefined
        : distributionArgument(fn, String(argName));
      checkFunctionColocation(cluster, { functionName: fn.name,
        argumentType: argument === undefined ? undefined : fn.argTypes[argument],
        colocateWith: colocate === undefined ? "default" : String(colocate) }, contextOf(ctx));
      await runOnWorkers(cluster, [functionCreateSql(cluster, fn)], contextOf(ctx));
      return null;
    },
  }];
}
