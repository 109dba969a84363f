/**
 * Partition pruning (partprune.c, simplified): the WHERE conditions of a scan on a
 * partitioned table that compare a key column with a constant or a parameter (=, <, <=, >,
 * >=, IS [NOT] NULL) rule out the partitions whose bounds cannot hold a matching row. Range
 * bounds prune on their first column (exactly for one-column keys); a default partition is
 * pruned when an equality's value belongs to another partition.
 */
import type { Value } from "@tessera/sql";
import { compareValues } from "@tessera/sql";
import type { Expr } from "../analyze/expr.js";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";
import { conjuncts } from "../plan/filter.js";
import { keyTypes, partitionsOf, type PartitionBound } from "./model.js";
import { boundContains } from "./route.js";
import { hashRemainderFits } from "./hash.js";

type Op = "=" | "<" | "<=" | ">" | ">=" | "null" | "notnull";

export interface KeyCondition {
  /** The column's position in the table's rows. */
  readonly column: number;
  readonly op: Op;
  readonly value: Value;
}

const comparisons = new Set<string>(["=", "<", "<=", ">", ">="]);
const integers = new Set([20, 21, 23]);

/**
 * The conditions of `filter` on columns of the scanned table (rows starting at `offset`), with
 * their values from `valueOf` (undefined: not known now, the condition is left out).
 */
export function keyConditions(filter: Expr | null, offset: number, width: number,
  valueOf: (e: Expr) => Value | undefined): KeyCondition[] {
  const out: KeyCondition[] = [];
  const columnOf = (x: Expr): number | undefined =>
    x.kind === "var" && x.index >= offset && x.index < offset + width ? x.index - offset
      : undefined;
  for (const e of conjuncts(filter)) {
    if (e.kind === "nullTest") {
      const column = columnOf(e.arg);
      if (column === undefined) continue;
      out.push({ column, op: e.negated ? "notnull" : "null", value: null });
      continue;
    }
    if (e.kind !== "call" || !e.operator || e.args.length !== 2) continue;
    const [a, b] = e.args as [Expr, Expr];
    const sameKind = a.type === b.type || integers.has(a.type) && integers.has(b.type);
    if (!sameKind) continue;
    if (!comparisons.has(e.name)) continue;
    const op = e.name as Op;
    const ca = columnOf(a);
    const cb = columnOf(b);
    const [column, other, theOp] = ca !== undefined ? [ca, b, op]
      : cb !== undefined ? [cb, a, flipBack(op)] : [];
    if (column === undefined || other === undefined || theOp === undefined) continue;
    const value = valueOf(other);
    if (value === undefined) continue;
    out.push({ column, op: theOp, value });
  }
  return out;
}

function flipBack(op: Op): Op {
  return op === "<" ? ">" : op === ">" ? "<" : op === "<=" ? ">=" : op === ">=" ? "<=" : op;
}

/** The leaves under `root` that rows meeting `conds` may be in, in scan order. */
export function prunedLeaves(catalog: Catalog, root: Relation,
  conds: readonly KeyCondition[]): Relation[] {
  if (root.partitionKey === undefined) return [root];
  if (contradictory(root, conds)) return [];
  const out: Relation[] = [];
  const children = partitionsOf(catalog, root);
  for (const child of children) {
    if (!mayHold(root, child.partitionOf!.bound, children, conds)) continue;
    out.push(...prunedLeaves(catalog, child, conds));
  }
  return out;
}

/** True when two equalities on one key column ask for different values. */
function contradictory(rel: Relation, conds: readonly KeyCondition[]): boolean {
  const types = keyTypes(rel);
  return rel.partitionKey!.columns.some((col, k) => {
    const eqs = conds.filter((c) => c.column === col && c.op === "=" && c.value !== null);
    return eqs.some((e) => compareValues(e.value, eqs[0]!.value, types[k] ?? 0) !== 0);
  });
}

function mayHold(parent: Relation, bound: PartitionBound, siblings: readonly Relation[],
  conds: readonly KeyCondition[]): boolean {
  const key = parent.partitionKey!.columns;
  const types = keyTypes(parent);
  const on = conds.filter((c) => c.column === key[0]);
  if (conds.some((c) => c.value === null && c.op !== "null" && c.op !== "notnull" &&
    key.includes(c.column))) return false;
  const nullWanted = conds.some((c) => c.op === "null" && key.includes(c.column));
  switch (bound.kind) {
    case "hash": {
      const values = key.map((col) => conds.find((c) => c.column === col &&
        (c.op === "=" || c.op === "null")));
      if (values.some((c) => c === undefined)) return true;
      return hashRemainderFits(values.map((c) => c!.value), types, bound.modulus,
        bound.remainder);
    }
    case "list": {
      if (nullWanted) return bound.values.includes(null);
      // No condition on the key: even a partition for NULL alone may hold rows.
      if (on.length === 0) return true;
      return bound.values.some((v) => v !== null && on.every((c) => meets(v, c, types[0]!)));
    }
    case "range": {
      if (nullWanted) return false;
      const exact = key.length === 1;
      const lo = bound.lower[0]!;
      const hi = bound.upper[0]!;
      return on.every((c) => {
        const t = types[0]!;
        const aboveLo = (strict: boolean): boolean => lo.kind === "min" ? true
          : lo.kind === "max" ? false : strict ? compareValues(lo.value, c.value, t) < 0
            : compareValues(lo.value, c.value, t) <= 0;
        const belowHi = (strict: boolean): boolean => hi.kind === "max" ? true
          : hi.kind === "min" ? false : strict || exact ? compareValues(c.value, hi.value, t) < 0
            : compareValues(c.value, hi.value, t) <= 0;
        switch (c.op) {
          case "=": return aboveLo(false) && belowHi(false);
          case "<": return aboveLo(true);
          case "<=": return aboveLo(false);
          case ">": case ">=": return belowHi(false);
          default: return true;
        }
      });
    }
    case "default": {
      if (nullWanted) {
        return parent.partitionKey!.strategy === "r" ||
          !siblings.some((s) => s.partitionOf!.bound.kind === "list" &&
            (s.partitionOf!.bound as { values: readonly Value[] }).values.includes(null));
      }
      const eqs = key.map((col) => conds.find((c) => c.column === col && c.op === "="));
      if (eqs.some((e) => e === undefined)) {
        return key.length !== 1 || parent.partitionKey!.strategy !== "r" ||
          !rangesCover(siblings, on, types[0]!);
      }
      const value = eqs.map((e) => e!.value);
      return !siblings.some((s) => s.partitionOf!.bound.kind !== "default" &&
        boundContains(s.partitionOf!.bound, value, types));
    }
  }
}

function meets(v: Value, c: KeyCondition, type: number): boolean {
  const cmp = compareValues(v, c.value, type);
  switch (c.op) {
    case "=": return cmp === 0;
    case "<": return cmp < 0;
    case "<=": return cmp <= 0;
    case ">": return cmp > 0;
    case ">=": return cmp >= 0;
    default: return true;
  }
}

type Point = { readonly value: Value | "min" | "max"; readonly inclusive: boolean };

function comparePoints(a: Value | "min" | "max", b: Value | "min" | "max", type: number): number {
  if (a === b && (a === "min" || a === "max")) return 0;
  if (a === "min" || b === "max") return -1;
  if (a === "max" || b === "min") return 1;
  return compareValues(a, b, type);
}

/**
 * True when the one-column range partitions among `siblings` cover every value the
 * conditions allow, so the default partition holds none of them.
 */
function rangesCover(siblings: readonly Relation[], conds: readonly KeyCondition[],
  type: number): boolean {
  let lo: Point = { value: "min", inclusive: true };
  let hi: Point = { value: "max", inclusive: true };
  for (const c of conds) {
    if (c.op === ">" || c.op === ">=") {
      if (comparePoints(c.value, lo.value, type) >= 0) {
        lo = { value: c.value, inclusive: c.op === ">=" };
      }
    } else if (c.op === "<" || c.op === "<=") {
      if (comparePoints(c.value, hi.value, type) <= 0) {
        hi = { value: c.value, inclusive: c.op === "<=" };
      }
    } else if (c.op === "notnull") continue;
    else return false;
  }
  let cur: Value | "min" | "max" = lo.value;
  const covered = (): boolean => {
    const cmp = comparePoints(cur, hi.value, type);
    return cmp > 0 || cmp === 0 && !hi.inclusive && hi.value !== "max";
  };
  for (const s of siblings) {
    const b = s.partitionOf!.bound;
    if (b.kind !== "range") continue;
    const l = b.lower[0]!;
    const h = b.upper[0]!;
    const lv = l.kind === "value" ? l.value : l.kind;
    const hv = h.kind === "value" ? h.value : h.kind;
    if (comparePoints(lv, cur, type) > 0) return false;
    if (comparePoints(hv, cur, type) > 0) cur = hv;
    if (cur === "max" || covered()) return true;
  }
  return covered();
}
