/**
 * Partition bounds from their syntax (transformPartitionBound): FOR VALUES FROM (…) TO (…)
 * with MINVALUE/MAXVALUE, IN (…), WITH (MODULUS m, REMAINDER r) and DEFAULT, each value
 * evaluated and coerced to its key column's type; then the checks PostgreSQL makes against
 * the parent's other partitions (check_new_partition_bound): empty ranges, overlaps, a second
 * default partition.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast, Value } from "@tessera/sql";
import { compareValues, equalValues } from "@tessera/sql";
import { analyzeExpr } from "../analyze/expr-analyze.js";
import { coerceTo } from "../analyze/coerce.js";
import { Scope, type StatementScope } from "../analyze/scope.js";
import type { Relation } from "../catalog/relation.js";
import { compileExpr } from "../execute/compile.js";
import type { Runtime } from "../execute/runtime.js";
import { rangeDatumsText } from "./bound-text.js";
import { compareRangeDatums, keyTypes, partitionsNow, type PartitionBound,
  type RangeDatum } from "./model.js";

const strategyWord = { r: "range", l: "list", h: "hash" } as const;

/** Evaluates a bound's syntax against `parent`'s partition key. */
export function boundFromSpec(spec: ast.PartitionBoundSpec, parent: Relation,
  statement: StatementScope, rt: Runtime): PartitionBound {
  const key = parent.partitionKey!;
  if (spec.is_default === true) {
    if (key.strategy === "h") {
      throw new SqlError(SqlState.invalidTableDefinition,
        "a hash-partitioned table may not have a default partition");
    }
    return { kind: "default" };
  }
  if (spec.strategy !== key.strategy) {
    throw new SqlError(SqlState.invalidTableDefinition,
      `invalid bound specification for a ${strategyWord[key.strategy]} partition`,
      locationOf(spec.location));
  }
  const valueOf = (node: ast.Node, k: number): Value =>
    evalBoundValue(node, parent, key.columns[k]!, statement, rt);
  if (key.strategy === "h") return hashBound(spec);
  if (key.strategy === "l") {
    const values: Value[] = [];
    const type = parent.columns[key.columns[0]!]!.type;
    for (const node of spec.listdatums ?? []) {
      const v = valueOf(node, 0);
      if (!values.some((x) => (x === null ? v === null : v !== null && equalValues(x, v, type)))) {
        values.push(v);
      }
    }
    return { kind: "list", values };
  }
  const datums = (nodes: readonly ast.Node[] | undefined, word: string): RangeDatum[] => {
    const list = nodes ?? [];
    if (list.length !== key.columns.length) {
      throw new SqlError(SqlState.invalidTableDefinition,
        `${word} must specify exactly one value per partitioning column`);
    }
    return checkInfiniteDatums(list.map((node, k) => rangeDatum(node, () => valueOf(node, k))));
  };
  return { kind: "range", lower: datums(spec.lowerdatums, "FROM"),
    upper: datums(spec.upperdatums, "TO") };
}

function hashBound(spec: ast.PartitionBoundSpec): PartitionBound {
  const modulus = spec.modulus ?? 0;
  const remainder = spec.remainder ?? 0;
  if (modulus <= 0) {
    throw new SqlError(SqlState.invalidTableDefinition,
      "modulus for hash partition must be an integer value greater than zero");
  }
  if (remainder < 0) {
    throw new SqlError(SqlState.invalidTableDefinition,
      "remainder for hash partition must be an integer value greater than or equal to zero");
  }
  if (remainder >= modulus) {
    throw new SqlError(SqlState.invalidTableDefinition,
      "remainder for hash partition must be less than modulus");
  }
  return { kind: "hash", modulus, remainder };
}

/** After MINVALUE (MAXVALUE) every datum must be MINVALUE (MAXVALUE) too (42804). */
function checkInfiniteDatums(datums: RangeDatum[]): RangeDatum[] {
  const first = datums.findIndex((d) => d.kind !== "value");
  if (first < 0) return datums;
  const kind = datums[first]!.kind;
  if (datums.slice(first).some((d) => d.kind !== kind)) {
    const word = kind === "min" ? "MINVALUE" : "MAXVALUE";
    throw new SqlError(SqlState.datatypeMismatch,
      `every bound following ${word} must also be ${word}`);
  }
  return datums;
}

function rangeDatum(node: ast.Node, value: () => Value): RangeDatum {
  const word = bareWord(node);
  if (word === "minvalue") return { kind: "min" };
  if (word === "maxvalue") return { kind: "max" };
  const v = value();
  if (v === null) {
    throw new SqlError(SqlState.invalidTableDefinition, "cannot specify NULL in range bound");
  }
  return { kind: "value", value: v };
}

function bareWord(node: ast.Node): string | undefined {
  if (!("ColumnRef" in node)) return undefined;
  const fields = node.ColumnRef.fields ?? [];
  const first = fields[0];
  return fields.length === 1 && first !== undefined && "String" in first
    ? first.String.sval : undefined;
}

/** Evaluates one bound value as the key column's type (assignment coercion). */
function evalBoundValue(node: ast.Node, parent: Relation, column: number,
  statement: StatementScope, rt: Runtime): Value {
  if (JSON.stringify(node).includes("\"ColumnRef\"")) {
    throw new SqlError(SqlState.invalidObjectDefinition,
      "cannot use column reference in partition bound expression");
  }
  const c = parent.columns[column]!;
  const scope = new Scope(statement, undefined);
  const expr = coerceTo(analyzeExpr(node, scope), c.type, c.typmod, "a", statement.params);
  return compileExpr(expr)([], rt);
}

function locationOf(location: number | undefined): { location?: number } {
  return location === undefined || location < 0 ? {} : { location };
}

/**
 * Checks a new partition's bound against the parent's partitions (`except`: one being
 * re-attached is not there yet) and raises PostgreSQL's errors for empty or overlapping
 * bounds and a second default.
 */
export function checkNewBound(name: string, bound: PartitionBound, parent: Relation,
  statement: StatementScope): void {
  const types = keyTypes(parent);
  const others = partitionsNow(statement.catalog, parent);
  const overlap = (other: Relation): SqlError => new SqlError(SqlState.invalidObjectDefinition,
    `partition "${name}" would overlap partition "${other.name}"`);
  if (bound.kind === "default") {
    const existing = others.find((o) => o.partitionOf!.bound.kind === "default");
    if (existing !== undefined) {
      throw new SqlError(SqlState.invalidObjectDefinition,
        `partition "${name}" conflicts with existing default partition "${existing.name}"`);
    }
    return;
  }
  if (bound.kind === "range") {
    if (compareRangeDatums(bound.lower, bound.upper, types) >= 0) {
      const fmt = statement.ctx;
      throw new SqlError(SqlState.invalidObjectDefinition,
        `empty range bound specified for partition "${name}"`,
        { detail: `Specified lower bound ${rangeDatumsText(bound.lower, types, fmt)} is ` +
          `greater than or equal to upper bound ${rangeDatumsText(bound.upper, types, fmt)}.` });
    }
  }
  if (bound.kind === "hash") checkModuli(bound, others);
  for (const other of others) {
    const b = other.partitionOf!.bound;
    if (boundsOverlap(bound, b, types)) throw overlap(other);
  }
}

function boundsOverlap(a: PartitionBound, b: PartitionBound, types: readonly number[]): boolean {
  if (a.kind === "range" && b.kind === "range") {
    return compareRangeDatums(a.lower, b.upper, types) < 0 &&
      compareRangeDatums(b.lower, a.upper, types) < 0;
  }
  if (a.kind === "list" && b.kind === "list") {
    const type = types[0] ?? 0;
    return a.values.some((x) => b.values.some((y) =>
      (x === null || y === null ? x === y : compareValues(x, y, type) === 0)));
  }
  if (a.kind === "hash" && b.kind === "hash") {
    const [small, large] = a.modulus <= b.modulus ? [a, b] : [b, a];
    return large.remainder % small.modulus === small.remainder;
  }
  return false;
}

function checkModuli(bound: PartitionBound & { kind: "hash" }, others: readonly Relation[]):
  void {
  for (const other of others) {
    const b = other.partitionOf!.bound;
    if (b.kind !== "hash") continue;
    const [small, large] = bound.modulus <= b.modulus ? [bound.modulus, b.modulus]
      : [b.modulus, bound.modulus];
    if (large % small === 0) continue;
    const detail = bound.modulus < b.modulus
      ? `The new modulus ${bound.modulus} is not a factor of ${b.modulus}, the modulus of ` +
        `existing partition "${other.name}".`
      : `The new modulus ${bound.modulus} is not divisible by ${b.modulus}, the modulus of ` +
        `existing partition "${other.name}".`;
    throw new SqlError(SqlState.invalidObjectDefinition,
      "every hash partition modulus must be a factor of the next larger modulus", { detail });
  }
}

/** Refuses partition keys the engine cannot route by: expressions, unsupported strategies. */
export function refuseKeyExpression(): never {
  throw notSupported("partition keys on expressions (only columns can be partition keys)");
}
