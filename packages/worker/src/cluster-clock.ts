/**
 * Citus 11.2's cluster clock (`causal_clock.c`, `type_utils.c`): a node's hybrid logical
 * clock, a type for it, and the functions every node has.
 *
 *   cluster_clock                a pair (logical, counter) printed "(1666183457374,1)":
 *                                logical is milliseconds since the Unix epoch (42 bits),
 *                                counter ticks within one millisecond (22 bits, up to
 *                                4194303); ordered by logical, then counter
 *   citus_get_node_clock() → cluster_clock        ticks the node's clock and returns the
 *                                later of it and the wall clock
 *   citus_is_clock_after(clock_one cluster_clock, clock_two cluster_clock) → bool
 *   citus_internal_adjust_local_clock_to_remote(cluster_clock) → void
 *                                moves this node's clock up to a remote one (never back)
 *
 * The clock never goes back across restarts: every value it hands out is first written
 * to `cluster_clock` in the data directory (temp file, fsync, rename), and start-up begins
 * from the later of that value and the wall clock, as Citus persists it in a sequence.
 * A value is held as one bigint, logical << 22 | counter, so comparing values compares
 * clocks. Tessera's type has a fixed OID; text casts to it (`'(1,2)'::cluster_clock`) are
 * not resolved by name, but a quoted literal passed to these functions is read as one.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync }
  from "node:fs";
import { join } from "node:path";
import { SqlError, SqlState, assert } from "@tessera/base";
import {
  ByteReader, ByteWriter, TypeOid, registerUserType, typeByOid, type FunctionDef, type PgType,
  type Value,
} from "@tessera/sql";

/** The OID Tessera gives cluster_clock (Citus's comes from CREATE TYPE in its extension). */
export const clusterClockOid = 15_081;

const counterBits = 22n;
const counterMax = (1n << counterBits) - 1n;
const logicalMax = (1n << 42n) - 1n;
const fileName = "cluster_clock";

/** A clock value's text, as Citus's cluster_clock_out. */
export function clockText(value: bigint): string {
  return `(${value >> counterBits},${value & counterMax})`;
}

function parseClock(text: string): bigint {
  const invalid = (): SqlError => new SqlError(SqlState.invalidTextRepresentation,
    `invalid input syntax for type cluster_clock: "${text}"`);
  const match = /^\(\s*\+?(\d+),\s*([+-]?\d+)\)/.exec(text);
  if (match === null) throw invalid();
  const logical = BigInt(match[1]!);
  const counter = BigInt(match[2]!);
  if (logical > logicalMax || counter < 0n || counter > counterMax) throw invalid();
  return (logical << counterBits) | counter;
}

const clusterClockType: PgType = Object.freeze({
  oid: clusterClockOid, name: "cluster_clock", namespace: "pg_catalog", len: 12,
  byVal: false, category: "U", preferred: false, elementOid: 0, arrayOid: 0, delimiter: ",",
  sortable: true, hashable: true,
  input: (text: string) => parseClock(text),
  output: (value: Value) => clockText(value as bigint),
  receive: (bytes: Uint8Array) => {
    const reader = new ByteReader(bytes);
    const logical = BigInt.asUintN(64, reader.int64());
    const counter = BigInt(reader.int32());
    reader.end();
    return (logical << counterBits) | counter;
  },
  send: (value: Value) => new ByteWriter(12).int64((value as bigint) >> counterBits)
    .int32(Number((value as bigint) & counterMax)).finish(),
  compare: (a: Value, b: Value) => ((a as bigint) < (b as bigint) ? -1
    : (a as bigint) > (b as bigint) ? 1 : 0),
  hashKey: (value: Value) => String(value),
});

/** One node's clock, kept in memory and persisted in its data directory. */
class NodeClock {
  private value: bigint;

  constructor(private readonly path: string) {
    const persisted = existsSync(path) ? BigInt(readFileSync(path, "utf8").trim() || "0") : 0n;
    assert(persisted >= 0n, "a persisted cluster clock is not negative");
    this.value = persisted;
  }

  /** citus_get_node_clock: tick, then the later of the clock and the wall clock. */
  next(): bigint {
    const ticked = this.value + 1n;
    const wall = BigInt(Date.now()) << counterBits;
    this.save(ticked > wall ? ticked : wall);
    return this.value;
  }

  /** Moves the clock up to `remote`; a clock ahead of it stays. */
  adjust(remote: bigint): void {
    if (remote > this.value) this.save(remote);
  }

  private save(value: bigint): void {
    assert(value > this.value, "the cluster clock only moves forward");
    const temp = `${this.path}.tmp`;
    const fd = openSync(temp, "w", 0o600);
    try {
      writeSync(fd, `${value}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
    this.value = value;
  }
}

let nodeClock: NodeClock | undefined;

/** The node's clock, ticked: what citus_get_node_clock returns. */
export function nextNodeClock(): bigint {
  assert(nodeClock !== undefined, "clusterClockFunctions registers the clock first");
  return nodeClock.next();
}

/** Moves the node's clock up to `remote`. */
export function adjustNodeClock(remote: bigint): void {
  assert(nodeClock !== undefined, "clusterClockFunctions registers the clock first");
  nodeClock.adjust(remote);
}

/** Registers the type and returns the functions, for the daemon whose data is `dataDir`. */
export function clusterClockFunctions(dataDir: string): FunctionDef[] {
  if (typeByOid(clusterClockOid) === undefined) registerUserType(clusterClockType);
  nodeClock = new NodeClock(join(dataDir, fileName));
  return [{
    kind: "scalar", name: "citus_get_node_clock", volatility: "v", strict: true, argTypes: [],
    returnType: clusterClockOid, impl: () => nextNodeClock(),
  }, {
    kind: "scalar", name: "citus_is_clock_after", volatility: "i", strict: true,
    argTypes: [clusterClockOid, clusterClockOid], argNames: ["clock_one", "clock_two"],
    returnType: TypeOid.bool, impl: (args) => (args[0] as bigint) > (args[1] as bigint),
  }, {
    kind: "scalar", name: "citus_internal_adjust_local_clock_to_remote", volatility: "v",
    strict: true, argTypes: [clusterClockOid], argNames: ["clock_value"],
    returnType: TypeOid.void, impl: (args) => {
      adjustNodeClock(args[0] as bigint);
      return null;
    },
  }];
}
