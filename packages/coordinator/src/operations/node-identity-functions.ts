/**
 * Small Citus functions that answer from the coordinator's metadata (Citus 11's
 * `node_metadata.c` and `isolate_shards.c`):
 *
 *   citus_is_coordinator() → bool           true: this is group 0 and pg_dist_node has an
 *                                           active primary node
 *   citus_coordinator_nodeid() → int4       the group 0 row's node id, 0 without one
 *   citus_nodename_for_nodeid(nodeid int4) → text
 *   citus_nodeport_for_nodeid(nodeid int4) → int4      NULL for an unknown node id
 *   worker_hash(value "any") → int4         the distribution hash of a value of its own type
 *
 * worker_hash is Tessera's distribution hash (`metadata/hash.ts`, xxHash32 of a canonical
 * encoding), so `worker_hash(42)` is the hash get_shard_id_for_distribution_column places 42
 * by, though not the value Citus's PostgreSQL hash functions give. A type Tessera cannot
 * hash fails with Citus's 0A000 `cannot find a hash function for the input type`. An
 * untyped literal (`worker_hash('a')`) hashes as text, where PostgreSQL keeps it unknown
 * and Citus fails.
 *
 * Workers answer citus_is_coordinator and citus_coordinator_nodeid themselves
 * (`@tessera/worker`'s connection-check.ts): false and 0, as a Citus worker without metadata.
 */
import { SqlError, SqlState } from "@tessera/base";
import { TypeOid, type FunctionDef, type Value } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { hashValue, isHashableType } from "../metadata/hash.js";

/** The definitions to register in the coordinator's engine. */
export function nodeIdentityFunctions(cluster: Cluster): FunctionDef[] {
  const registry = cluster.registry;
  const nodeById = (args: Value[]) => registry.list().find((n) => n.nodeid === Number(args[0]));
  return [{
    kind: "scalar", name: "citus_is_coordinator", volatility: "v", strict: true, argTypes: [],
    returnType: TypeOid.bool,
    impl: () => registry.list().some((n) => n.isactive && n.noderole === "primary"),
  }, {
    kind: "scalar", name: "citus_coordinator_nodeid", volatility: "s", strict: true,
    argTypes: [], returnType: TypeOid.int4,
    impl: () => registry.list()
      .find((n) => n.groupid === 0 && n.noderole === "primary")?.nodeid ?? 0,
  }, {
    kind: "scalar", name: "citus_nodename_for_nodeid", volatility: "s", strict: true,
    argTypes: [TypeOid.int4], argNames: ["nodeid"], returnType: TypeOid.text,
    impl: (args) => nodeById(args)?.nodename ?? null,
  }, {
    kind: "scalar", name: "citus_nodeport_for_nodeid", volatility: "s", strict: true,
    argTypes: [TypeOid.int4], argNames: ["nodeid"], returnType: TypeOid.int4,
    impl: (args) => nodeById(args)?.nodeport ?? null,
  }, {
    kind: "scalar", name: "worker_hash", volatility: "i", strict: true,
    argTypes: [TypeOid.any], returnType: TypeOid.int4,
    impl: (args, _ctx, call) => workerHash(args[0] ?? null, call.argTypes[0] ?? TypeOid.unknown),
  }];
}

/** worker_hash: the int32 a value of type `typeOid` hashes to. */
function workerHash(value: Value, typeOid: number): Value {
  if (value === null) return null;
  if (typeOid === TypeOid.unknown || !isHashableType(typeOid)) {
    throw new SqlError(SqlState.featureNotSupported,
      "cannot find a hash function for the input type",
      { hint: "Cast input to a data type with a hash function." });
  }
  return hashValue(value, typeOid);
}
