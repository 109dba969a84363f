/**
 * The SQL functions over `shard-transfer.ts`: citus_move_shard_placement and
 * citus_copy_shard_placement (by node name and port, and by node id), master_move_ and
 * master_copy_shard_placement, with Citus's signatures (STRICT; the transfer mode is text
 * here, checked against citus.shard_transfer_mode's labels).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { TypeOid, type FunctionDef, type ScalarFunction, type Value } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { missingReferencePlacements } from "./reference-replication.js";
import { contextOf } from "./statement-contexts.js";
import {
  transferMode, transferShards, type NodeName, type TransferKind, type TransferMode,
} from "./shard-transfer.js";

type AsyncImpl = (args: Value[], ctx: StatementContext) => Promise<Value>;

const mustAwait = (): Value => {
  throw new SqlError(SqlState.internalError, "this function must be awaited");
};

/** An awaited, volatile function with Citus's argument names. */
export function awaitedFunction(name: string, args: readonly (readonly [string, number])[],
  defaults: readonly Value[], options: { strict: boolean; returns: number },
  impl: AsyncImpl): ScalarFunction {
  return {
    kind: "scalar", name, volatility: "v", strict: options.strict,
    argTypes: args.map(([, type]) => type), argNames: args.map(([arg]) => arg),
    defaultCount: defaults.length, defaults: [...defaults], returnType: options.returns,
    impl: mustAwait,
    implAsync: (values, ctx) => impl(withDefaults(values, args.length, defaults),
      contextOf(ctx)),
  };
}

/** The arguments with the defaults of the trailing ones a positional call left out. */
export function withDefaults(values: readonly Value[], count: number,
  defaults: readonly Value[]): Value[] {
  const first = count - defaults.length;
  return Array.from({ length: count }, (_, i) =>
    (values[i] === undefined && i >= first ? defaults[i - first]! : values[i] ?? null));
}

/**
 * Refuses a transfer inside a transaction block: its metadata change cannot be undone. The
 * extended protocol's implicit transaction is no block (Postgres's IsTransactionBlock).
 */
export function refuseInBlock(ctx: StatementContext, name: string): void {
  if (ctx.transaction?.status !== "T" || ctx.transaction.isTransactionBlock === false) return;
  throw new SqlError(SqlState.featureNotSupported, `${name}() inside a transaction block is ` +
    "not supported by Tessera yet: it needs moving shards as part of a transaction");
}

const { int8, int4, text, bool, void: voidType } = TypeOid;

/** Returns the move and copy functions. */
export function transferFunctions(cluster: Cluster): FunctionDef[] {
  const byName = [["shard_id", int8], ["source_node_name", text], ["source_node_port", int4],
    ["target_node_name", text], ["target_node_port", int4],
    ["shard_transfer_mode", text]] as const;
  const byId = [["shard_id", int8], ["source_node_id", int4], ["target_node_id", int4],
    ["shard_transfer_mode", text]] as const;
  const options = { strict: true, returns: voidType };
  const named = (fn: string, kind: TransferKind, checkReferences: boolean): ScalarFunction =>
    awaitedFunction(fn, byName, ["auto"], options, async (args, ctx) => {
      refuseInBlock(ctx, fn);
      if (checkReferences) checkReferenceTables(cluster);
      await transfer(cluster, kind, {
        shardId: Number(args[0]), mode: transferMode(args[5]),
        source: { host: String(args[1]), port: Number(args[2]) },
        target: { host: String(args[3]), port: Number(args[4]) } }, ctx);
      return null;
    });
  const byNodeId = (fn: string, kind: TransferKind): ScalarFunction =>
    awaitedFunction(fn, byId, ["auto"], options, async (args, ctx) => {
      refuseInBlock(ctx, fn);
      await transfer(cluster, kind, { shardId: Number(args[0]), mode: transferMode(args[3]),
        source: nodeById(cluster, Number(args[1])),
        target: nodeById(cluster, Number(args[2])) }, ctx);
      return null;
    });
  const masterCopy = awaitedFunction("master_copy_shard_placement",
    [...byName.slice(0, 5), ["do_repair", bool], ["transfer_mode", text]], [true, "auto"],
    options, async (args, ctx) => {
      refuseInBlock(ctx, "master_copy_shard_placement");
      if (args[5] === true) {
        ctx.notice(new SqlError(SqlState.warning, "do_repair argument is deprecated",
          { severity: "WARNING" }));
      }
      await transfer(cluster, "copy", {
        shardId: Number(args[0]), mode: transferMode(args[6]),
        source: { host: String(args[1]), port: Number(args[2]) },
        target: { host: String(args[3]), port: Number(args[4]) } }, ctx);
      return null;
    });
  return [named("citus_move_shard_placement", "move", true),
    named("master_move_shard_placement", "move", true),
    byNodeId("citus_move_shard_placement", "move"),
    named("citus_copy_shard_placement", "copy", false),
    byNodeId("citus_copy_shard_placement", "copy"), masterCopy];
}

interface Transfer {
  readonly shardId: number;
  readonly mode: TransferMode;
  readonly source: NodeName;
  readonly target: NodeName;
}

function transfer(cluster: Cluster, kind: TransferKind, request: Transfer,
  ctx: StatementContext): Promise<void> {
  return transferShards(cluster, { kind, ...request }, {
    signal: ctx.signal,
    warning: (message, detail) => ctx.notice(new SqlError(SqlState.warning, message,
      { severity: "WARNING", detail })),
  });
}

/** `FindNodeWithNodeId` (missing_ok false). */
function nodeById(cluster: Cluster, nodeid: number): NodeName {
  const node = cluster.registry.list().find((n) => n.nodeid === nodeid);
  if (node === undefined) {
    throw new SqlError(SqlState.internalError, `could not find valid entry for node id ${nodeid}`);
  }
  return { host: node.nodename, port: node.nodeport };
}

/** citus_move_shard_placement first asks for every reference table on every node. */
function checkReferenceTables(cluster: Cluster): void {
  if (missingReferencePlacements(cluster).length === 0) return;
  throw new SqlError(SqlState.internalError, "there are missing reference tables on some nodes",
    { hint: "Copy reference tables first with replicate_reference_tables() or use " +
      "citus_rebalance_start() that will do it automatically." });
}
