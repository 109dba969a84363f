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
 * row for the function. colocate_with and force_delegation are accepted and not used.
 */
import { SqlError, SqlState } from "@tessera/base";
import { allSqlFunctions } from "@tessera/engine";
import { TypeOid, type FunctionDef, type Value } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { contextOf } from "./statement-contexts.js";
import { functionCreateSql, runOnWorkers } from "./type-function-propagation.js";

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
      const [oid, argName] = args;
      if (oid === null || oid === undefined) return null;
      const fn = allSqlFunctions(cluster.local.catalog).find((f) => f.oid === Number(oid));
      if (fn === undefined) {
        throw new SqlError(SqlState.featureNotSupported,
          "create_distributed_function of a built-in function is not supported");
      }
      if (argName !== null && argName !== undefined) {
        const text = String(argName);
        const byName = fn.argNames.indexOf(text);
        const byPosition = /^\$\d+$/.test(text) ? Number(text.slice(1)) - 1 : -1;
        if (byName < 0 && (byPosition < 0 || byPosition >= fn.argTypes.length)) {
          throw new SqlError(SqlState.invalidParameterValue,
            `cannot distribute the function "${fn.name}" since the distribution argument ` +
            "is not valid");
        }
      }
      await runOnWorkers(cluster, [functionCreateSql(cluster, fn)], contextOf(ctx));
      return null;
    },
  }];
}
