/**
 * The run_command_on_* functions (`citus-surface.md` §3.2): one command per worker, node,
 * shard or placement (`%s` / `%1$s` replaced by the shard's name, as `format()` does), one
 * row per command: success and the single value, the command tag, or the error's first line.
 *
 *   run_command_on_workers(cmd)                  nodename, nodeport, success, result
 *   run_command_on_all_nodes(cmd)                nodeid, success, result (coordinator too)
 *   run_command_on_coordinator(cmd)              nodeid, success, result
 *   run_command_on_shards(rel, cmd)              shardid, success, result
 *   run_command_on_placements(rel, cmd)          nodename, nodeport, shardid, success, result
 *   run_command_on_colocated_placements(r1, r2, cmd)
 *                                  nodename, nodeport, shardid1, shardid2, success, result
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
import type { CitusTable } from "../metadata/metadata-cache.js";
import type { DistNode } from "../metadata/node-registry.js";
import { tableShardName } from "../metadata/naming.js";
import { constantText, functionName } from "../planner/raw.js";
import { oid } from "@tessera/base";

const prefetched = new WeakMap<AbortSignal, Map<string, Value[][]>>();

/** How each function runs from its constant arguments: the rows, and the key they go by. */
interface Runner {
  /** The arguments that decide the rows (the `parallel` flags do not). */
  readonly keyArgs: number;
  /** Arguments that name relations, by position (read as regclass). */
  readonly relationArgs: readonly number[];
  run(cluster: Cluster, args: readonly string[], ctx: StatementContext): Promise<Value[][]>;
}

const runners: ReadonlyMap<string, Runner> = new Map<string, Runner>([
  ["run_command_on_workers", { keyArgs: 1, relationArgs: [],
    run: (cluster, [command], ctx) => onWorkers(cluster, command!, ctx) }],
  ["run_command_on_all_nodes", { keyArgs: 1, relationArgs: [],
    run: (cluster, [command], ctx) => onNodes(cluster, command!, ctx, false) }],
  ["run_command_on_coordinator", { keyArgs: 1, relationArgs: [],
    run: (cluster, [command], ctx) => onNodes(cluster, command!, ctx, true) }],
  ["run_command_on_shards", { keyArgs: 2, relationArgs: [0],
    run: (cluster, [relation, command], ctx) =>
      onShards(cluster, Number(relation), command!, ctx) }],
  ["run_command_on_placements", { keyArgs: 2, relationArgs: [0],
    run: (cluster, [relation, command], ctx) =>
      onPlacements(cluster, Number(relation), command!, ctx) }],
  ["run_command_on_colocated_placements", { keyArgs: 3, relationArgs: [0, 1],
    run: (cluster, [first, second, command], ctx) =>
      onColocatedPlacements(cluster, [Number(first), Number(second)], command!, ctx) }],
]);

/** Runs the run_command_on_* calls of `stmt` and keeps their rows for the statement. */
export async function prefetchRunCommands(cluster: Cluster, stmt: ast.Node,
  ctx: StatementContext): Promise<void> {
  const calls = findCalls(stmt);
  if (calls.length === 0) return;
  const results = new Map<string, Value[][]>();
  for (const call of calls) {
    const name = functionName(call)!;
    const runner = runners.get(name)!;
    const args = (call.args ?? []).map((arg) => constantText(arg));
    if (args.some((arg) => arg === undefined || arg === null)) continue;
    const key = (args as string[]).slice(0, runner.keyArgs).map((text, i) =>
      runner.relationArgs.includes(i) ? String(relationOid(text)) : text);
    if (key.length < runner.keyArgs) continue;
    results.set(callKey(name, key), await runner.run(cluster, key, ctx));
  }
  prefetched.set(ctx.signal, results);
}

function relationOid(text: string): number {
  return Number(typeOf(TypeOid.regclass).input(text, -1, defaultFormatContext));
}

/** Tells whether a statement calls one of these functions. */
export function callsRunCommand(stmt: ast.Node): boolean {
  return findCalls(stmt).length > 0;
}

export function runCommandFunctions(): FunctionDef[] {
  const read = (name: string, key: readonly Value[], signal: AbortSignal): Value[][] => {
    const rows = prefetched.get(signal)?.get(callKey(name, key.map(String)));
    if (rows === undefined) {
      throw new SqlError(SqlState.featureNotSupported,
        `${name}() is supported only with constant arguments`);
    }
    return rows;
  };
  const text = (name: string) => ({ name, type: TypeOid.text });
  const int4 = (name: string) => ({ name, type: TypeOid.int4 });
  const int8 = (name: string) => ({ name, type: TypeOid.int8 });
  const outcome = [{ name: "success", type: TypeOid.bool }, text("result")];
  const define = (name: string, argTypes: number[], argNames: string[], defaultCount: number,
    outColumns: { name: string; type: number }[]): FunctionDef => {
    const keyArgs = runners.get(name)!.keyArgs;
    return { kind: "srf", name, volatility: "v", strict: true, argTypes, argNames,
      defaultCount, returnType: TypeOid.record, outColumns,
      impl: (args, ctx) => read(name, args.slice(0, keyArgs), ctx.signal) };
  };
  const { text: t, bool: b, regclass: r } = TypeOid;
  return [
    define("run_command_on_workers", [t, b], ["command", "parallel"], 1,
      [text("nodename"), int4("nodeport"), ...outcome]),
    define("run_command_on_all_nodes", [t, b, b],
      ["command", "parallel", "give_warning_for_connection_errors"], 2,
      [int4("nodeid"), ...outcome]),
    define("run_command_on_coordinator", [t, b],
      ["command", "give_warning_for_connection_errors"], 1, [int4("nodeid"), ...outcome]),
    define("run_command_on_shards", [r, t, b], ["table_name", "command", "parallel"], 1,
      [int8("shardid"), ...outcome]),
    define("run_command_on_placements", [r, t, b], ["table_name", "command", "parallel"], 1,
      [text("nodename"), int4("nodeport"), int8("shardid"), ...outcome]),
    define("run_command_on_colocated_placements", [r, r, t, b],
      ["table_name1", "table_name2", "command", "parallel"], 1,
      [text("nodename"), int4("nodeport"), int8("shardid1"), int8("shardid2"), ...outcome]),
  ];
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
    if (call !== undefined && runners.has(functionName(call) ?? "")) calls.push(call);
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

/** run_command_on_all_nodes (every active node) or _coordinator (group 0 only). */
async function onNodes(cluster: Cluster, command: string, ctx: StatementContext,
  coordinatorOnly: boolean): Promise<Value[][]> {
  const nodes = cluster.registry.list()
    .filter((n) => n.isactive && n.noderole === "primary"
      && (!coordinatorOnly || n.groupid === 0))
    .sort((a, b) => a.nodeid - b.nodeid);
  if (coordinatorOnly && nodes.length === 0) {
    throw new SqlError(SqlState.raiseException, "the coordinator is not added to the metadata",
      { hint: "Add the node as a coordinator by using: " +
        "SELECT citus_set_coordinator_host('<hostname>')" });
  }
  return Promise.all(nodes.map(async (node): Promise<Value[]> => {
    const [success, result] = await evaluate(cluster, addressOf(node), command, ctx);
    return [node.nodeid, success, result];
  }));
}

function addressOf(node: DistNode): PlacementAddress {
  return { host: node.nodename, port: node.nodeport, groupid: node.groupid };
}

function citusTable(cluster: Cluster, relationId: number): CitusTable {
  const table = cluster.metadata.cache.table(oid(relationId));
  if (table === undefined) {
    throw new SqlError(SqlState.invalidTableDefinition, "relation is not distributed");
  }
  return table;
}

async function onShards(cluster: Cluster, relationId: number, command: string,
  ctx: StatementContext): Promise<Value[][]> {
  const table = citusTable(cluster, relationId);
  return Promise.all(table.shards.map(async (shard): Promise<Value[]> => {
    const text = formatCommand(command, [tableShardName(table, shard.row.shardid)]);
    const node = shardNodes(cluster, shard)[0]!;
    const [success, result] = await evaluate(cluster, node, text, ctx);
    return [BigInt(shard.row.shardid), success, result];
  }));
}

/** Every active placement, ordered by shard id, node name and port. */
async function onPlacements(cluster: Cluster, relationId: number, command: string,
  ctx: StatementContext): Promise<Value[][]> {
  const table = citusTable(cluster, relationId);
  const work = table.shards.flatMap((shard) => shardNodes(cluster, shard).map((node) =>
    ({ shardId: shard.row.shardid, node })));
  work.sort((a, b) => a.shardId - b.shardId || compareNodes(a.node, b.node));
  return Promise.all(work.map(async ({ shardId, node }): Promise<Value[]> => {
    const text = formatCommand(command, [tableShardName(table, shardId)]);
    const [success, result] = await evaluate(cluster, node, text, ctx);
    return [node.host, node.port, BigInt(shardId), success, result];
  }));
}

/** The placements of colocated shard pairs, each command naming both shards. */
async function onColocatedPlacements(cluster: Cluster, relationIds: readonly number[],
  command: string, ctx: StatementContext): Promise<Value[][]> {
  const [first, second] = relationIds.map((id) => citusTable(cluster, id)) as
    [CitusTable, CitusTable];
  if (first.partition.colocationid !== second.partition.colocationid
    || first.shards.length !== second.shards.length) {
    throw new SqlError(SqlState.raiseException, `tables ${displayName(first)} and ` +
      `${displayName(second)} are not co-located`);
  }
  const work = first.shards.flatMap((shard, i) => shardNodes(cluster, shard).map((node) =>
    ({ shardIds: [shard.row.shardid, second.shards[i]!.row.shardid] as const, node })));
  work.sort((a, b) => a.shardIds[0] - b.shardIds[0] || compareNodes(a.node, b.node));
  return Promise.all(work.map(async ({ shardIds, node }): Promise<Value[]> => {
    const text = formatCommand(command, [tableShardName(first, shardIds[0]),
      tableShardName(second, shardIds[1])]);
    const [success, result] = await evaluate(cluster, node, text, ctx);
    return [node.host, node.port, BigInt(shardIds[0]), BigInt(shardIds[1]), success, result];
  }));
}

/** How a regclass prints a table (its schema shown outside public). */
function displayName(table: CitusTable): string {
  return table.schemaName === "public" ? table.relationName
    : `${table.schemaName}.${table.relationName}`;
}

function compareNodes(a: PlacementAddress, b: PlacementAddress): number {
  return a.host < b.host ? -1 : a.host > b.host ? 1 : a.port - b.port;
}

/**
 * `format(command, names…)` for the `%s`, `%n$s` and `%%` the Citus wrappers pass through:
 * `%s` takes the next name, `%2$s` the second.
 */
export function formatCommand(command: string, names: readonly string[]): string {
  let next = 0;
  return command.replace(/%(?:(\d+)\$)?s|%%/g, (match, position: string | undefined) => {
    if (match === "%%") return "%";
    const index = position === undefined ? next++ : Number(position) - 1;
    if (position !== undefined) next = index + 1;
    const name = names[index];
    if (name === undefined) {
      throw new SqlError(SqlState.invalidParameterValue, "too few arguments for format()");
    }
    return name;
  });
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
