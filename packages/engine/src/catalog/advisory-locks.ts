/**
 * Advisory locks (Postgres's pg_advisory_lock family, utils/adt/lockfuncs.c), which
 * migration tools take around their work (Kysely, Knex, Flyway, Prisma). Session-level locks
 * are counted per holder and released by unlock, unlock_all or the end of the session
 * (`releaseAdvisoryLocks`); shared and exclusive locks are told apart.
 *
 * Not yet: waiting. A statement cannot block inside a function here, so where Postgres would
 * wait for another session's lock, pg_advisory_lock fails with 55P03 (lock_not_available)
 * and the pg_try_ variants return false. Transaction-level locks (pg_advisory_xact_lock) are
 * checked against other sessions' locks but not kept, since nothing tells a function when
 * its transaction ends.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "@tessera/sql";
import type { EvalLike } from "../analyze/expr.js";
import { registerEngineFunction } from "./builtins.js";
import { Oid } from "./types.js";

interface Holding {
  /** Holder backend pid → how many times it took the lock. */
  readonly holders: Map<number, number>;
  readonly shared: boolean;
}

const held = new Map<string, Holding>();

/** What a void function returns: Postgres prints void as the empty string, not NULL. */
const voidValue = "";

/** One held advisory lock as pg_locks shows it: Postgres's (classid, objid, objsubid) key. */
export interface AdvisoryLockRow {
  readonly classid: number;
  readonly objid: number;
  readonly objsubid: number;
  readonly pid: number;
  readonly shared: boolean;
}

/** The session-level advisory locks held now, one entry per holding session. */
export function heldAdvisoryLocks(): AdvisoryLockRow[] {
  const rows: AdvisoryLockRow[] = [];
  for (const [key, holding] of held) {
    let ids: [number, number, number];
    if (key.startsWith("b")) {
      const big = BigInt.asUintN(64, BigInt(key.slice(1)));
      ids = [Number(big >> 32n), Number(big & 0xffffffffn), 1];
    } else {
      const [a, b] = key.slice(1).split(":").map((part) => Number(part) >>> 0);
      ids = [a ?? 0, b ?? 0, 2];
    }
    for (const pid of holding.holders.keys()) {
      rows.push({ classid: ids[0], objid: ids[1], objsubid: ids[2], pid,
        shared: holding.shared });
    }
  }
  return rows;
}

type Mode = "lock" | "try" | "xact" | "try_xact" | "unlock";

/** The key of (bigint) or (int4, int4), as Postgres keeps them apart. */
function keyOf(args: Value[]): string {
  return args.length === 1 ? `b${String(args[0])}` : `i${String(args[0])}:${String(args[1])}`;
}

/** Takes the lock; false when another session holds it in a conflicting mode. */
function acquire(key: string, pid: number, shared: boolean, keep: boolean): boolean {
  const holding = held.get(key);
  if (holding !== undefined) {
    const others = [...holding.holders.keys()].some((p) => p !== pid);
    if (others && !(shared && holding.shared)) return false;
  }
  if (!keep) return true;
  const entry = holding ?? { holders: new Map<number, number>(), shared };
  entry.holders.set(pid, (entry.holders.get(pid) ?? 0) + 1);
  held.set(key, entry);
  return true;
}

/** Releases one hold; false (Postgres also warns) when the session holds no such lock. */
function release(key: string, pid: number, shared: boolean): boolean {
  const holding = held.get(key);
  const count = holding?.holders.get(pid);
  if (holding === undefined || count === undefined || holding.shared !== shared) return false;
  if (count > 1) holding.holders.set(pid, count - 1);
  else holding.holders.delete(pid);
  if (holding.holders.size === 0) held.delete(key);
  return true;
}

/** Drops every session-level advisory lock of `backendPid` (unlock_all, session end). */
export function releaseAdvisoryLocks(backendPid: number): void {
  for (const [key, holding] of [...held]) {
    holding.holders.delete(backendPid);
    if (holding.holders.size === 0) held.delete(key);
  }
}

function implFor(mode: Mode, shared: boolean): (args: Value[], ctx: EvalLike) => Value {
  return (args: Value[], ctx: EvalLike): Value => {
    const pid = ctx.backendPid ?? 0;
    const key = keyOf(args);
    if (mode === "unlock") return release(key, pid, shared);
    const keep = mode === "lock" || mode === "try";
    const ok = acquire(key, pid, shared, keep);
    if (mode === "try" || mode === "try_xact") return ok;
    if (!ok) {
      throw new SqlError(SqlState.lockNotAvailable, "could not obtain advisory lock: it is held " +
        "by another session, and waiting for advisory locks is not supported yet");
    }
    return voidValue;
  };
}

/** Registers pg_advisory_lock, pg_try_advisory_lock, pg_advisory_unlock … and their kin. */
export function registerAdvisoryLockFunctions(): void {
  const modes: [string, Mode, number][] = [
    ["pg_advisory_lock", "lock", Oid.void], ["pg_try_advisory_lock", "try", Oid.bool],
    ["pg_advisory_xact_lock", "xact", Oid.void],
    ["pg_try_advisory_xact_lock", "try_xact", Oid.bool],
    ["pg_advisory_unlock", "unlock", Oid.bool],
  ];
  for (const [name, mode, returnType] of modes) {
    for (const shared of [false, true]) {
      const fullName = shared ? `${name}_shared` : name;
      for (const argTypes of [[Oid.int8], [Oid.int4, Oid.int4]]) {
        registerEngineFunction({ kind: "scalar", name: fullName, argTypes, returnType,
          volatility: "v", strict: true, impl: implFor(mode, shared) });
      }
    }
  }
  registerEngineFunction({ kind: "scalar", name: "pg_advisory_unlock_all", argTypes: [],
    returnType: Oid.void, volatility: "v", strict: false,
    impl: (_args, ctx) => {
      releaseAdvisoryLocks(ctx.backendPid ?? 0);
      return voidValue;
    } });
}
