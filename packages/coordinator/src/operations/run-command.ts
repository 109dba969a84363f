/**
 * run_command_on_workers and run_command_on_shards (`citus-surface.md` §3.2): one command
 * per worker or per shard (`%s` / `%1$s` replaced by the shard's name), one row per command:
 * success and the single value, the command tag, or the error's first line.
 *
 * They are set-returning functions, and the engine evaluates those synchronously, so the
 * distributed engine runs the remote commands before the statement starts (`prefetch`)
 * when the call's arguments are constants, and the function reads the stored rows.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";
import { TypeOid, typeOf, defaultFormatContext, type FunctionDef, type Value, type ast }
  from "@tessera/sql";
import { shardNodes, type Cluster, type PlacementAddress } from "../cluster.js";
import { qualifiedShardName } from "../metadata/naming.js";
import { constantText, functionName } from "../planner/raw.js";
import { oid } from "@tessera/base";

const prefetched = new WeakMap<AbortSignal, Map<string, Value[][]>>();

const names = new Set(["run_command_on_workers", "run_command_on_shards"]);

/** Runs the run_command_on_* calls of `stmt` and keeps their rows for the statement. */
export async function prefetchRunCommands(cluster: Cluster, stmt: ast.Node,
  ctx: StatementContext): Promise<void> {
  const calls = findCalls(stmt);
  if (calls.length === 0) return;
  const results = new Map<string, Value[][]>();
  for (const call of calls) {
    const name = functionName(call)!;
    const args = (call.args ?? []).map((arg) => constantText(arg));
    if (args.some((arg) => arg === undefined || arg === null)) continue;
    const text = args as string[];
    if (name === "run_command_on_workers") {
      results.set(callKey(name, [text[0]!]), await onWorkers(cluster, text[0]!, ctx));
    } else {
      const relationId = Number(typeOf(TypeOid.regclass).input(text[0]!, -1,
        defaultFormatContext));
      results.set(callKey(name, [String(relationId), text[1] ?? ""]),
        await onShards(cluster, relationId, text[1] ?? "", ctx));
    }
  }
  prefetched.set(ctx.signal, results);
}

/** Tells whether a statement calls one of these functions. */
export function callsRunCommand(stmt: ast.Node): boolean {
  return findCalls(stmt).length > 0;
}

export function runCommandFunctions(): FunctionDef[] {
  const read = (name: string, key: string[], signal: AbortSignal): Value[][] => {
    const rows = prefetched.get(signal)?.get(callKey(name, key));
    if (rows === undefined) {
      throw new SqlError(SqlState.featureNotSupported,
        `${name}() is supported only with constant arguments`);
    }
    return rows;
  };
  return [{
    kind: "srf", name: "run_command_on_workers", volatility: "v", strict: true,
    argTypes: [TypeOid.text, TypeOid.bool], argNames: ["command", "parallel"], defaultCount: 1,
    returnType: TypeOid.record,
    outColumns: [{ name: "nodename", type: TypeOid.text }, { name: "nodeport", type: TypeOid.int4 },
      { name: "success", type: TypeOid.bool }, { name: "result", type: TypeOid.text }],
    impl: (args, ctx) => read("run_command_on_workers", [String(args[0])], ctx.signal),
  }, {
    kind: "srf", name: "run_command_on_shards", volatility: "v", strict: true,
    argTypes: [TypeOid.regclass, TypeOid.text, TypeOid.bool],
    argNames: ["table_name", "command", "parallel"], defaultCount: 1,
    returnType: TypeOid.record,
    outColumns: [{ name: "shardid", type: TypeOid.int8 }, { name: "success", type: TypeOid.bool },
      { name: "result", type: TypeOid.text }],
    impl: (args, ctx) => read("run_command_on_shards", [String(args[0]), String(args[1])],
      ctx.signal),
  }];
}

function callKey(name: string, args: readonly string[]): string {
  return JSON.stringify([name, ...args]);
}

function findCalls(stmt: unknown): ast.FuncCall[] {
  const calls: ast.FuncCall[] = [];
  const visit = (value: unknown): void => {
    if (typeof value !== "object" || value === null) return;
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    const record = value as Record<string, unknown>;
    const call = record["FuncCall"] as ast.FuncCall | undefined;
    if (call !== undefined && names.has(functionName(call) ?? "")) calls.push(call);
    Object.values(record).forEach(visit);
  };
  visit(stmt);
  return calls;
}

async function onWorkers(cluster: Cluster, command: string,
  ctx: StatementContext): Promise<Value[][]> {
  const workers = [...cluster.registry.activeWorkers()]
    .sort((a, b) => (a.nodename < b.nodename ? -1 : a.nodename > b.nodename ? 1
      : a.nodeport - b.nodeport));
  return Promise.all(workers.map(async (node): Promise<Value[]> => {
    const address = { host: node.nodename, port: node.nodeport, groupid: node.groupid };
    const [success, result] = await evaluate(cluster, address, command, ctx);
    return [node.nodename, node.nodeport, success, result];
  }));
}

async function onShards(cluster: Cluster, relationId: number, command: string,
  ctx: StatementContext): Promise<Value[][]> {
  const table = cluster.metadata.cache.table(oid(relationId));
  if (table === undefined) {
    throw new SqlError(SqlState.invalidTableDefinition, "relation is not distributed");
  }
  return Promise.all(table.shards.map(async (shard): Promise<Value[]> => {
    const name = qualifiedShardName({ schemaName: table.schemaName,
      relationName: table.relationName, shardId: shard.row.shardid });
    const text = command.replace(/%(1\$)?s/g, name).replace(/%%/g, "%");
    const node = shardNodes(cluster, shard)[0]!;
    const [success, result] = await evaluate(cluster, node, text, ctx);
    return [BigInt(shard.row.shardid), success, result];
  }));
}

/** Runs one command and sums it up as Citus's `EvaluateSingleQueryResult` does. */
async function evaluate(cluster: Cluster, node: PlacementAddress, command: string,
  ctx: StatementContext): Promise<[boolean, string]> {
  try {
    const result = await cluster.pools.run(node, command, [], ctx.signal);
    if (result.fields.length === 0) return [true, result.commandTag];
    if (result.fields.length > 1) return [false, "expected a single column in query target"];
    if (result.rows.length > 1) return [false, "expected a single row in query result"];
    return [true, result.rows[0]?.[0] ?? ""];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [false, `ERROR:  ${message}`];
  }
}
