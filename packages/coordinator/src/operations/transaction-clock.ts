/**
 * citus_get_transaction_clock() → cluster_clock (Citus 11.2's `causal_clock.c`): one clock
 * value for a distributed transaction, later than the clock of every node it touched.
 *
 * In a transaction block, every node the block has a connection to returns its clock
 * (`SELECT citus_get_node_clock()` on the block's own connection), the coordinator ticks
 * its own, and the largest is the transaction's clock; every one of those nodes and the
 * coordinator then move their clocks up to it
 * (`citus_internal_adjust_local_clock_to_remote`), so a later transaction anywhere gets a
 * later value. Outside a block, or before the block touched a node, it is the
 * coordinator's node clock. The clock itself, its type and the per-node functions are
 * `@tessera/worker`'s cluster-clock.ts.
 */
import { SqlError, SqlState } from "@tessera/base";
import { defaultFormatContext, typeOf, type FunctionDef, type Value } from "@tessera/sql";
import { adjustNodeClock, clockText, clusterClockOid, nextNodeClock } from "@tessera/worker";
import type { NodeAddress } from "../connection/pool.js";
import { blockOf } from "../connection/remote-transaction.js";
import { contextOf } from "./statement-contexts.js";

/** citus_get_transaction_clock, for the coordinator's engine. */
export function transactionClockFunctions(): FunctionDef[] {
  return [{
    kind: "scalar", name: "citus_get_transaction_clock", volatility: "v", strict: true,
    argTypes: [], returnType: clusterClockOid,
    impl: () => {
      throw new SqlError(SqlState.internalError, "this function must be awaited");
    },
    implAsync: async (_args, evalContext): Promise<Value> => {
      const ctx = contextOf(evalContext);
      const block = blockOf(ctx);
      const nodes = new Map<string, NodeAddress>();
      for (const backend of block?.backends() ?? []) {
        nodes.set(`${backend.node.host}:${backend.node.port}`, backend.node);
      }
      let highest = nextNodeClock();
      if (block === undefined || nodes.size === 0) return highest;
      for (const node of nodes.values()) {
        const result = await block.run(node, "SELECT citus_get_node_clock();", [], ctx.signal);
        const text = result.rows[0]?.[0];
        if (typeof text !== "string") continue;
        const clock = typeOf(clusterClockOid).input(text, -1, defaultFormatContext) as bigint;
        if (clock > highest) highest = clock;
      }
      for (const node of nodes.values()) {
        await block.run(node, "SELECT citus_internal_adjust_local_clock_to_remote(" +
          `'${clockText(highest)}')`, [], ctx.signal);
      }
      adjustNodeClock(highest);
      return highest;
    },
  }];
}
