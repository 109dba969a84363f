/**
 * The functions that read the calling transaction: txid_current() and pg_current_xact_id()
 * (assigning an xid when the transaction has none, as Postgres does), their *_if_assigned
 * forms, txid_status() / pg_xact_status(), txid_current_snapshot() / pg_current_snapshot(),
 * and age(xid). The snapshot functions that need no engine are `@tessera/sql`'s (txid.ts).
 *
 * Numbers are the engine's own xids (`manager.ts`); the epoch is always 0, so a txid (bigint)
 * or an xid8 equals the 32-bit xid. A snapshot shows the calling statement's snapshot: xmax
 * the first xid not yet assigned when it was taken, xip the xids running then (the caller's
 * own included when it had one), xmin the lowest of those or xmax. Postgres leaves the
 * caller's own xid out of xip, and its xmax is one past the latest completed xid, so its
 * text can differ from ours while meaning the same.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { Value } from "@tessera/sql";
import type { EvalLike } from "../analyze/expr.js";
import { registerEngineFunction } from "../catalog/builtins.js";
import { Oid } from "../catalog/types.js";
import type { Engine } from "../engine.js";
import { evalContextOwner } from "../execute/eval-context.js";
import type { Runtime } from "../execute/runtime.js";
import type { Transaction } from "./transaction.js";
import type { TxnManager } from "./manager.js";
import { firstNormalXid, frozenXid } from "./stamp.js";

const xid8 = 5069;
const xid = 28;
const txidSnapshot = 2970;
const pgSnapshot = 5038;
const int4Max = 2147483647;

let registered = false;

/** Registers the functions once per process; each call finds its engine through its run. */
export function registerXactFunctions(): void {
  if (registered) return;
  registered = true;
  for (const [name, type] of [["txid_current", Oid.int8], ["pg_current_xact_id", xid8]] as const) {
    registerEngineFunction({ kind: "scalar", name, argTypes: [], returnType: type,
      strict: false, volatility: "s", impl: (_args, ctx) => asId(currentXid(ctx, true)) });
  }
  for (const [name, type] of [["txid_current_if_assigned", Oid.int8],
    ["pg_current_xact_id_if_assigned", xid8]] as const) {
    registerEngineFunction({ kind: "scalar", name, argTypes: [], returnType: type,
      strict: false, volatility: "s", impl: (_args, ctx) => {
        const assigned = currentXid(ctx, false);
        return assigned === 0 ? null : asId(assigned);
      } });
  }
  for (const [name, type] of [["txid_status", Oid.int8], ["pg_xact_status", xid8]] as const) {
    registerEngineFunction({ kind: "scalar", name, argTypes: [type], returnType: Oid.text,
      strict: true, volatility: "v", impl: ([id], ctx) => xactStatus(id as bigint, ctx) });
  }
  for (const [name, type] of [["txid_current_snapshot", txidSnapshot],
    ["pg_current_snapshot", pgSnapshot]] as const) {
    registerEngineFunction({ kind: "scalar", name, argTypes: [], returnType: type,
      strict: false, volatility: "s", impl: (_args, ctx) => currentSnapshot(ctx) });
  }
  registerEngineFunction({ kind: "scalar", name: "age", argTypes: [xid], returnType: Oid.int4,
    strict: true, volatility: "s", impl: ([id], ctx) => xidAge(id as number, ctx) });
}

/** A txid (bigint) and an xid8 (bigint too) with epoch 0 are the xid itself. */
function asId(value: number): Value {
  return BigInt(value);
}

interface CallerTxn {
  readonly txn: Transaction;
  readonly manager: TxnManager;
}

/** The engine and run evaluating a call (`Engine.runtime` records them). */
function runtimeOf(ctx: EvalLike): { engine: Engine; rt: Runtime } | undefined {
  return evalContextOwner(ctx) as { engine: Engine; rt: Runtime } | undefined;
}

/** The transaction of the statement making the call. */
function callerTxn(ctx: EvalLike, what: string): CallerTxn {
  const owner = runtimeOf(ctx);
  const run = owner?.engine.txns.runOf(owner.rt.ctx);
  if (owner === undefined || run === undefined) throw notSupported(`${what} outside a statement`);
  return { txn: run.txn, manager: owner.engine.txns.manager };
}

/** The caller's xid; with `assign`, one is given to a transaction that has none yet. */
function currentXid(ctx: EvalLike, assign: boolean): number {
  const { txn, manager } = callerTxn(ctx, "txid_current()");
  if (txn.xid === 0 && assign) manager.assignXid(txn);
  return txn.xid;
}

/** txid_status: committed, aborted or in progress; null when too old to know. */
function xactStatus(id: bigint, ctx: EvalLike): Value {
  const { manager } = callerTxn(ctx, "txid_status()");
  const value = BigInt.asUintN(64, id);
  if (value >= BigInt(manager.xidNext)) {
    throw new SqlError(SqlState.invalidParameterValue, `transaction ID ${value} is in the future`);
  }
  const xidNumber = Number(value);
  if (xidNumber === 0) return null;
  if (xidNumber < firstNormalXid) return "committed";
  if (manager.isRunning(xidNumber)) return "in progress";
  return manager.statusLog.statusOf(xidNumber) ?? null;
}

/** The calling statement's snapshot as snapshot text. */
function currentSnapshot(ctx: EvalLike): Value {
  const owner = runtimeOf(ctx);
  if (owner === undefined) throw notSupported("pg_current_snapshot() outside a statement");
  const snapshot = owner.rt.snapshot;
  const xip = [...snapshot.inProgress].filter((x) => x < snapshot.xmax).sort((a, b) => a - b);
  const xmin = xip[0] ?? snapshot.xmax;
  return `${xmin}:${snapshot.xmax}:${xip.join(",")}`;
}

/** age(xid): how many xids ago `id` was assigned, from the caller's xid or the next one. */
function xidAge(id: number, ctx: EvalLike): Value {
  if (id <= frozenXid) return int4Max;
  const { txn, manager } = callerTxn(ctx, "age(xid)");
  const now = txn.xid !== 0 ? txn.xid : manager.xidNext;
  return ((now - id) | 0);
}
