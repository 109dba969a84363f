/**
 * Tuple routing (execPartition.c): the leaf partition a row belongs to, found level by level
 * from a partitioned table down, and the partition constraint a row written straight into a
 * partition must meet (ExecPartitionCheck), with PostgreSQL's 23514 errors.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Row, Value } from "@tessera/sql";
import { equalValues } from "@tessera/sql";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";
import { outputValue, type FormatSettings } from "../catalog/type-io.js";
import { compareKeyToBound, keyTypes, partitionsOf, type PartitionBound } from "./model.js";
import { hashRemainderFits } from "./hash.js";

/** True when a row with `key` belongs in a partition with `bound` (default: never here). */
export function boundContains(bound: PartitionBound, key: readonly Value[],
  types: readonly number[]): boolean {
  switch (bound.kind) {
    case "default": return false;
    case "list": {
      const v = key[0] ?? null;
      return bound.values.some((x) => (x === null || v === null ? x === v
        : equalValues(x, v, types[0] ?? 0)));
    }
    case "range":
      if (key.some((v) => v === null)) return false;
      return compareKeyToBound(key, bound.lower, types) >= 0 &&
        compareKeyToBound(key, bound.upper, types) < 0;
    case "hash":
      return hashRemainderFits(key, types, bound.modulus, bound.remainder);
  }
}

function keyOf(parent: Relation, row: Row): Value[] {
  return parent.partitionKey!.columns.map((c) => row[c] ?? null);
}

/** The partition of `parent` a row goes to (one level), or undefined. */
export function chooseChild(catalog: Catalog, parent: Relation, row: Row): Relation | undefined {
  const key = keyOf(parent, row);
  const types = keyTypes(parent);
  let fallback: Relation | undefined;
  for (const child of partitionsOf(catalog, parent)) {
    const bound = child.partitionOf!.bound;
    if (bound.kind === "default") fallback = child;
    else if (boundContains(bound, key, types)) return child;
  }
  return fallback;
}

function noPartition(parent: Relation, row: Row, fmt: FormatSettings): SqlError {
  const cols = parent.partitionKey!.columns;
  const names = cols.map((c) => parent.columns[c]!.name).join(", ");
  const values = cols.map((c) => {
    const v = row[c] ?? null;
    return v === null ? "null" : outputValue(parent.columns[c]!.type, v, fmt);
  }).join(", ");
  return new SqlError(SqlState.checkViolation,
    `no partition of relation "${parent.name}" found for row`,
    { detail: `Partition key of the failing row contains (${names}) = (${values}).`,
      schema: parent.schema, table: parent.name });
}

/** True when `row` meets the partition constraint of `rel` (its bound and its parents'). */
export function fitsPartition(catalog: Catalog, rel: Relation, row: Row): boolean {
  for (let r: Relation = rel; r.partitionOf !== undefined;) {
    const parent = catalog.relation(r.partitionOf.parentOid);
    if (parent === undefined) return true;
    const bound = r.partitionOf.bound;
    if (bound.kind === "default") {
      if (chooseChild(catalog, parent, row) !== r) return false;
    } else if (!boundContains(bound, keyOf(parent, row), keyTypes(parent))) return false;
    r = parent;
  }
  return true;
}

/** ExecPartitionCheck's error for a row written straight into a partition. */
export function partitionCheckError(rel: Relation, detail: string): SqlError {
  return new SqlError(SqlState.checkViolation,
    `new row for relation "${rel.name}" violates partition constraint`,
    { detail, schema: rel.schema, table: rel.name });
}

/** One partitioned table's routing facts, for the length of a statement. */
interface Level {
  readonly columns: readonly number[];
  readonly types: readonly number[];
  readonly children: readonly Relation[];
  readonly fallback: Relation | undefined;
}

/**
 * Routes the rows of one statement: each partitioned table's partitions, key types and
 * default partition are looked up once, not per row.
 */
export class Router {
  private readonly levels = new Map<Relation, Level>();

  constructor(private readonly catalog: Catalog, private readonly root: Relation,
    private readonly fmt: FormatSettings) {}

  private level(parent: Relation): Level {
    let level = this.levels.get(parent);
    if (level === undefined) {
      const children = partitionsOf(this.catalog, parent);
      level = { columns: parent.partitionKey!.columns, types: keyTypes(parent),
        children: children.filter((c) => c.partitionOf!.bound.kind !== "default"),
        fallback: children.find((c) => c.partitionOf!.bound.kind === "default") };
      this.levels.set(parent, level);
    }
    return level;
  }

  /** The leaf partition a row goes to; raises 23514 when there is none. */
  leafFor(row: Row): Relation {
    let target = this.root;
    while (target.partitionKey !== undefined) {
      const level = this.level(target);
      const key = level.columns.map((c) => row[c] ?? null);
      const child = level.children.find((c) =>
        boundContains(c.partitionOf!.bound, key, level.types)) ?? level.fallback;
      if (child === undefined) throw noPartition(target, row, this.fmt);
      target = child;
    }
    return target;
  }
}
