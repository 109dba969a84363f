/**
 * Operators of tid, xid, xid8 and cid, and the functions over snapshot values that need no
 * engine: pg_snapshot_xmin/xmax/xip, pg_visible_in_snapshot and their txid_* twins (which
 * take and return bigint where the pg_* ones use xid8). The functions that read the running
 * transaction (txid_current(), pg_current_snapshot(), txid_status(), age(xid)) belong to the
 * engine, which knows the transaction (`engine/src/txn/xact-functions.ts`).
 *
 * Operators are Postgres 15's pg_operator rows for these types: tid and xid8 have all six
 * comparisons, xid only = and <> (also against integer, read as an unsigned 32-bit xid),
 * cid only =. min and max aggregate tid and xid8 (`DELETE … WHERE ctid NOT IN (SELECT
 * min(ctid) … GROUP BY k)` removes duplicates).
 */
import type { Value } from "../types/value.js";
import { XactTypeOid as X, parseSnapshot, visibleInSnapshot } from "../types/xact-ids.js";
import type { AggregateFunction, FunctionDef, OperatorDef } from "./defs.js";
import { agg } from "./aggregate-util.js";
import { big, fn, op, srf, str } from "./builders.js";
import { T } from "./type-oids.js";

const comparisons: readonly [string, (c: number) => boolean, string, string][] = [
  ["=", (c) => c === 0, "<>", "="],
  ["<>", (c) => c !== 0, "=", "<>"],
  ["<", (c) => c < 0, ">=", ">"],
  ["<=", (c) => c <= 0, ">", ">="],
  [">", (c) => c > 0, "<=", "<"],
  [">=", (c) => c >= 0, "<", "<="],
];

const compareIds = (l: Value, r: Value): number => {
  const a = l as number | bigint;
  const b = r as number | bigint;
  return a < b ? -1 : a > b ? 1 : 0;
};

/** The operators of the transaction id types. */
export function txidOperators(): OperatorDef[] {
  const ops: OperatorDef[] = [];
  const set = (type: number, names: readonly string[]): void => {
    for (const [name, test, negator, commutator] of comparisons) {
      if (!names.includes(name)) continue;
      ops.push(op(name, type, type, T.bool, (l, r) => test(compareIds(l, r)),
        { negator, commutator, comparator: { cmp: compareIds, test } }));
    }
  };
  const all = ["=", "<>", "<", "<=", ">", ">="];
  set(X.tid, all);
  set(X.xid8, all);
  set(X.xid, ["=", "<>"]);
  set(X.cid, ["="]);
  // xideqint4 and xidneqint4: the integer read as an xid (its bits unsigned).
  ops.push(op("=", X.xid, T.int4, T.bool, (l, r) => l === (r as number) >>> 0,
    { negator: "<>" }));
  ops.push(op("<>", X.xid, T.int4, T.bool, (l, r) => l !== (r as number) >>> 0,
    { negator: "=" }));
  return ops;
}

/** The snapshot functions of both spellings. */
export function txidFunctions(): FunctionDef[] {
  const defs: FunctionDef[] = [];
  for (const [prefix, snapshot, id] of
    [["pg", X.pgSnapshot, X.xid8], ["txid", X.txidSnapshot, T.int8]] as const) {
    const asId = (xid: bigint): Value => (id === T.int8 ? BigInt.asIntN(64, xid) : xid);
    const fromId = (v: Value): bigint => BigInt.asUintN(64, big(v));
    defs.push(
      fn(`${prefix}_snapshot_xmin`, [snapshot], id, ([s]) => asId(parseSnapshot(str(s!)).xmin)),
      fn(`${prefix}_snapshot_xmax`, [snapshot], id, ([s]) => asId(parseSnapshot(str(s!)).xmax)),
      srf(`${prefix}_snapshot_xip`, [snapshot], id,
        ([s]) => parseSnapshot(str(s!)).xip.map(asId)),
      fn(`${prefix}_visible_in_snapshot`, [id, snapshot], T.bool,
        ([x, s]) => visibleInSnapshot(fromId(x!), parseSnapshot(str(s!)))),
    );
  }
  return defs;
}

/** min(tid), max(tid), min(xid8), max(xid8). */
export function txidAggregates(): AggregateFunction[] {
  const defs: AggregateFunction[] = [];
  for (const type of [X.tid, X.xid8]) {
    for (const name of ["min", "max"] as const) {
      const sign = name === "min" ? 1 : -1;
      const better = (a: Value, b: Value): Value =>
        a === null ? b : b === null ? a : sign * compareIds(b, a) < 0 ? b : a;
      defs.push(agg<{ value: Value }>({
        name, argTypes: [type], returnType: type,
        init: () => ({ value: null }),
        step: (s, a) => {
          s.value = better(s.value, a[0] ?? null);
          return s;
        },
        final: (s) => s.value,
        combine: (a, b) => ({ value: better(a.value, b.value) }),
      }));
    }
  }
  return defs;
}
