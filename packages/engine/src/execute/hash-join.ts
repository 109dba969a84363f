/**
 * Hash join (Postgres's nodeHashjoin.c): reads one input (the build side, the right one
 * unless the plan says otherwise) into a table keyed by the join keys, then probes it with
 * each row of the other. Inner, left, right and full joins; an unmatched row of a preserved
 * side is padded with nulls, build-side ones after the probe side is exhausted.
 *
 * Output rows are always the left input's columns then the right's, whichever side is
 * hashed. Keys of different integer types (int4 = int8) hash alike, as bigints.
 */
import type { Row, Value } from "@tessera/sql";
import { hashKeyOf } from "../catalog/type-io.js";
import { Oid } from "../catalog/types.js";
import type { HashJoinPlan } from "../plan/plan.js";
import { compileExpr, compilePredicate, type Compiled } from "./compile.js";
import type { NodeState, Runtime } from "./runtime.js";
import { checkMemory } from "./memory-limit.js";

interface Entry {
  readonly row: Row;
  matched: boolean;
}

export function buildHashJoin(plan: HashJoinPlan, rt: Runtime): NodeState {
  const buildLeft = plan.buildSide === "left";
  const left = rt.build(plan.left);
  const right = rt.build(plan.right);
  const leftKeys = keyFunctions(plan, "left");
  const rightKeys = keyFunctions(plan, "right");
  const [buildInput, probeInput] = buildLeft ? [left, right] : [right, left];
  const [buildKeys, probeKeys] = buildLeft ? [leftKeys, rightKeys] : [rightKeys, leftKeys];
  const rightWidth = plan.width - plan.leftWidth;
  const [buildWidth, probeWidth] = buildLeft ? [plan.leftWidth, rightWidth]
    : [rightWidth, plan.leftWidth];
  const join = (probe: Row, build: Row): Row =>
    (buildLeft ? concatRows(build, probe) : concatRows(probe, build));
  const cond = compilePredicate(plan.cond, plan.offset);
  const filter = compilePredicate(plan.filter, plan.offset);
  const t = plan.joinType;
  const keepProbe = t === "full" || (buildLeft ? t === "right" : t === "left");
  const keepBuild = t === "full" || (buildLeft ? t === "left" : t === "right");
  const buildNulls: Row = new Array<Value>(buildWidth).fill(null);
  const probeNulls: Row = new Array<Value>(probeWidth).fill(null);
  let table: Map<unknown, Entry[]> | null = null;
  const all: Entry[] = [];
  let current: Row | null = null;
  let bucket: Entry[] = [];
  let pos = 0;
  let matched = false;
  let tail = -1;
  const keyOf = (fns: readonly Compiled[], row: Row): unknown => hashKey(fns, row, rt);
  const build = (): void => {
    all.length = 0;
    table = buildTable(buildInput, (r) => keyOf(buildKeys, r), keepBuild ? all : null);
  };
  const emit = (row: Row): Row | null => (filter === null || filter(row, rt) ? row : null);
  const probeNext = (): Row | null => {
    for (;;) {
      if (current === null) {
        current = probeInput.next();
        if (current === null) return null;
        const key = keyOf(probeKeys, current);
        bucket = key === null ? [] : table!.get(key) ?? [];
        pos = 0;
        matched = false;
      }
      while (pos < bucket.length) {
        const entry = bucket[pos++]!;
        const row = join(current, entry.row);
        if (cond !== null && !cond(row, rt)) continue;
        matched = true;
        entry.matched = true;
        const out = emit(row);
        if (out !== null) return out;
      }
      const unmatched = current;
      current = null;
      if (!matched && keepProbe) {
        const out = emit(join(unmatched, buildNulls));
        if (out !== null) return out;
      }
    }
  };
  const tailNext = (): Row | null => {
    if (!keepBuild) return null;
    if (tail < 0) tail = 0;
    while (tail < all.length) {
      const entry = all[tail++]!;
      if (entry.matched) continue;
      const out = emit(buildLeft ? entry.row.concat(probeNulls) : probeNulls.concat(entry.row));
      if (out !== null) return out;
    }
    return null;
  };
  return {
    next(): Row | null {
      if (table === null) build();
      return probeNext() ?? tailNext();
    },
    rescan(): void {
      left.rescan();
      right.rescan();
      table = null;
      current = null;
      tail = -1;
    },
  };
}

/** Reads the build input into a table by key; rows with a null key only go to `all`. */
function buildTable(input: NodeState, keyOf: (r: Row) => unknown, all: Entry[] | null):
  Map<unknown, Entry[]> {
  const table = new Map<unknown, Entry[]>();
  for (let r = input.next(); r !== null; r = input.next()) {
    checkMemory();
    const entry = { row: r, matched: false };
    all?.push(entry);
    const key = keyOf(r);
    if (key === null) continue;
    const list = table.get(key);
    if (list === undefined) table.set(key, [entry]);
    else list.push(entry);
  }
  return table;
}

/** Compiles one side's keys, each converted so equal values of both sides hash alike. */
function keyFunctions(plan: HashJoinPlan, side: "left" | "right"): Compiled[] {
  const base = side === "left" ? plan.offset : plan.offset + plan.leftWidth;
  const keys = side === "left" ? plan.leftKeys : plan.rightKeys;
  const others = side === "left" ? plan.rightKeys : plan.leftKeys;
  return keys.map((e, i) => {
    const f = compileExpr(e, base);
    if (e.type === Oid.bpchar) {
      // bpchar equality ignores trailing spaces: 'a'::char(4) = 'a'::char(2).
      return (row, rt) => {
        const v = f(row, rt);
        return v === null ? null : (v as string).replace(/ +$/, "");
      };
    }
    if (e.type === others[i]!.type || !isInteger(e.type)) return f;
    return (row, rt) => {
      const v = f(row, rt);
      return v === null ? null : BigInt(v as number | bigint);
    };
  });
}

/** `a.concat(b)` for rows, without concat's generic (spreadable, holey) machinery. */
export function concatRows(a: Row, b: Row): Row {
  const n = a.length;
  const m = b.length;
  const out = new Array<Value>(n + m);
  for (let i = 0; i < n; i++) out[i] = a[i]!;
  for (let j = 0; j < m; j++) out[n + j] = b[j]!;
  return out;
}

export function isInteger(type: number): boolean {
  return type === Oid.int2 || type === Oid.int4 || type === Oid.int8;
}

function hashKey(fns: readonly Compiled[], row: Row, rt: Runtime): unknown {
  if (fns.length === 1) return hashKeyOf(fns[0]!(row, rt));
  const parts: unknown[] = [];
  for (const f of fns) {
    const v = f(row, rt);
    if (v === null) return null;
    parts.push(hashKeyOf(v));
  }
  return JSON.stringify(parts, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x));
}
