/**
 * Partitioning as text, the way ruleutils prints it: pg_get_expr(relpartbound) ("FOR VALUES
 * FROM (MINVALUE) TO (10)", "FOR VALUES IN ('x', NULL)", "DEFAULT"), pg_get_partkeydef
 * ("RANGE (a)") and pg_get_partition_constraintdef ("((a IS NOT NULL) AND (a >= 10) …)").
 */
import type { Value } from "@tessera/sql";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";
import type { FormatSettings } from "../catalog/type-io.js";
import { deparseConst, quoteIdent } from "../plan/explain-deparse.js";
import { keyTypes, partitionsOf, type PartitionBound, type RangeDatum } from "./model.js";

/** A constant as a partition bound prints it (get_const_expr with showtype -1). */
function boundConst(type: number, value: Value, fmt: FormatSettings): string {
  return deparseConst(type, -1, value, fmt).replace(/::[^']*$/, "");
}

/** "(MINVALUE, 10)": a range bound's datums. */
export function rangeDatumsText(datums: readonly RangeDatum[], types: readonly number[],
  fmt: FormatSettings): string {
  return `(${datums.map((d, i) => (d.kind === "min" ? "MINVALUE" : d.kind === "max"
    ? "MAXVALUE" : boundConst(types[i] ?? 0, d.value, fmt))).join(", ")})`;
}

/** pg_get_expr(relpartbound, oid) of a partition of `parent`. */
export function boundText(bound: PartitionBound, parent: Relation, fmt: FormatSettings): string {
  const types = keyTypes(parent);
  switch (bound.kind) {
    case "default": return "DEFAULT";
    case "hash": return `FOR VALUES WITH (modulus ${bound.modulus}, remainder ${bound.remainder})`;
    case "list":
      return `FOR VALUES IN (${bound.values.map((v) => (v === null ? "NULL"
        : boundConst(types[0] ?? 0, v, fmt))).join(", ")})`;
    case "range":
      return `FOR VALUES FROM ${rangeDatumsText(bound.lower, types, fmt)} TO ` +
        rangeDatumsText(bound.upper, types, fmt);
  }
}

/** pg_get_partkeydef: "RANGE (a, b)". */
export function partitionKeyText(rel: Relation): string {
  const key = rel.partitionKey!;
  const word = key.strategy === "r" ? "RANGE" : key.strategy === "l" ? "LIST" : "HASH";
  return `${word} (${key.columns.map((c) => quoteIdent(rel.columns[c]!.name)).join(", ")})`;
}

/** A key column's name and a constant of its type, for constraint text. */
interface KeyText {
  readonly col: (k: number) => string;
  readonly lit: (k: number, v: Value) => string;
}

function keyText(parent: Relation, fmt: FormatSettings): KeyText {
  const key = parent.partitionKey!;
  return {
    col: (k) => quoteIdent(parent.columns[key.columns[k]!]!.name),
    lit: (k, v) => deparseConst(parent.columns[key.columns[k]!]!.type,
      parent.columns[key.columns[k]!]!.typmod, v, fmt),
  };
}

/**
 * The partition constraint of `rel` alone (get_qual_from_partbound): the list of quals that
 * are ANDed, or null when it has none (a lone default partition, MINVALUE to MAXVALUE).
 */
function boundQuals(catalog: Catalog, rel: Relation, parent: Relation, fmt: FormatSettings):
  string[] | null {
  const bound = rel.partitionOf!.bound;
  const t = keyText(parent, fmt);
  const n = parent.partitionKey!.columns.length;
  switch (bound.kind) {
    case "hash": {
      const cols = parent.partitionKey!.columns.map((_, k) => t.col(k)).join(", ");
      return [`satisfies_hash_partition('${parent.oid}'::oid, ${bound.modulus}, ` +
        `${bound.remainder}, ${cols})`];
    }
    case "list": return listParts(bound.values, t);
    case "range": return rangeQuals(bound.lower, bound.upper, n, t);
    case "default": return defaultQuals(catalog, rel, parent, fmt, t);
  }
}

/** The default partition's constraint: NOT (any sibling's), as get_qual_for_list/range. */
function defaultQuals(catalog: Catalog, rel: Relation, parent: Relation, fmt: FormatSettings,
  t: KeyText): string[] | null {
  const siblings = partitionsOf(catalog, parent).filter((o) => o !== rel)
    .map((o) => o.partitionOf!.bound);
  const n = parent.partitionKey!.columns.length;
  if (parent.partitionKey!.strategy === "l") {
    const values = siblings.flatMap((b) => (b.kind === "list" ? b.values : []));
    if (values.length === 0) return null;
    return [`(NOT ${listQual(values, t)})`];
  }
  const ranges = siblings.flatMap((b) => (b.kind === "range"
    ? [rangeQuals(b.lower, b.upper, n, t).slice(n)] : []))
    .map((q) => (q.length === 1 ? q[0]! : `(${q.join(" AND ")})`));
  if (ranges.length === 0) return null;
  const notNull = Array.from({ length: n }, (_, k) => `(${t.col(k)} IS NOT NULL)`);
  void fmt;
  return [`(NOT (${[...notNull, ranges.length === 1 ? ranges[0]!
    : `(${ranges.join(" OR ")})`].join(" AND ")}))`];
}

function listQual(values: readonly Value[], t: KeyText): string {
  const parts = listParts(values, t);
  return parts.length === 1 ? parts[0]! : `(${parts.join(" AND ")})`;
}

function listParts(values: readonly Value[], t: KeyText): string[] {
  const nonNull = values.filter((v) => v !== null);
  const hasNull = nonNull.length < values.length;
  const parts: string[] = [];
  if (nonNull.length === 1) parts.push(`(${t.col(0)} = ${t.lit(0, nonNull[0]!)})`);
  else if (nonNull.length > 1) {
    parts.push(`(${t.col(0)} = ANY (ARRAY[${nonNull.map((v) => t.lit(0, v)).join(", ")}]))`);
  }
  if (!hasNull) return [`(${t.col(0)} IS NOT NULL)`, parts[0]!];
  const isNull = `(${t.col(0)} IS NULL)`;
  return [parts.length === 0 ? isNull : `(${isNull} OR ${parts[0]!})`];
}

/**
 * get_qual_for_range: NOT NULL of every key column, equalities for the prefix where both
 * bounds hold the same value, then the lower and the upper bound as ORs of arms, each arm
 * equal on the columns before its own (`(a > 1) OR ((a = 1) AND (b >= 10))`).
 */
function rangeQuals(lower: readonly RangeDatum[], upper: readonly RangeDatum[], n: number,
  t: KeyText): string[] {
  const quals = Array.from({ length: n }, (_, k) => `(${t.col(k)} IS NOT NULL)`);
  let i = 0;
  for (; i < n; i++) {
    const lo = lower[i]!;
    const hi = upper[i]!;
    if (lo.kind !== "value" || hi.kind !== "value" || lo.value !== hi.value &&
      t.lit(i, lo.value) !== t.lit(i, hi.value)) break;
    quals.push(`(${t.col(i)} = ${t.lit(i, lo.value)})`);
  }
  if (i === n) return quals;
  for (const [datums, side] of [[lower, "lower"], [upper, "upper"]] as const) {
    const arms: string[] = [];
    for (let j = i; j < n; j++) {
      const d = datums[j]!;
      if (d.kind !== "value") break;
      const next = datums[j + 1]?.kind;
      const op = side === "lower" ? (next === undefined || next === "min" ? ">=" : ">")
        : next === "max" ? "<=" : "<";
      const parts: string[] = [];
      for (let k = i; k < j; k++) {
        const prior = datums[k]!;
        if (prior.kind === "value") parts.push(`(${t.col(k)} = ${t.lit(k, prior.value)})`);
      }
      parts.push(`(${t.col(j)} ${op} ${t.lit(j, d.value)})`);
      arms.push(parts.length === 1 ? parts[0]! : `(${parts.join(" AND ")})`);
    }
    if (arms.length > 0) quals.push(arms.length === 1 ? arms[0]! : `(${arms.join(" OR ")})`);
  }
  return quals;
}

/** pg_get_partition_constraintdef: the quals of `rel` and its ancestors, or null. */
export function partitionConstraintText(catalog: Catalog, rel: Relation, fmt: FormatSettings):
  string | null {
  const quals: string[] = [];
  for (let r: Relation | undefined = rel; r?.partitionOf !== undefined;) {
    const parent = catalog.relation(r.partitionOf.parentOid);
    if (parent === undefined) break;
    quals.unshift(...(boundQuals(catalog, r, parent, fmt) ?? []));
    r = parent;
  }
  if (quals.length === 0) return null;
  return quals.length === 1 ? quals[0]! : `(${quals.join(" AND ")})`;
}
