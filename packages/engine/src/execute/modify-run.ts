/**
 * The row writer behind ModifyTable: INSERT, UPDATE and DELETE with Postgres's constraint
 * checks and messages (not-null 23502, check 23514, unique 23505, foreign key 23503), index
 * maintenance and an undo entry for every write, so a failing statement changes nothing.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Row, Value } from "@tessera/sql";
import { Scope } from "../analyze/scope.js";
import { analyzeExpr, asBoolean } from "../analyze/expr-analyze.js";
import { analyzeFrom } from "../analyze/from.js";
import type { ModifySpec } from "../analyze/modify.js";
import { checkUnique, uniqueViolation } from "../catalog/indexes.js";
import type { Relation } from "../catalog/relation.js";
import { outputValue } from "../catalog/type-io.js";
import type { ModifyPlan } from "../plan/plan.js";
import { isLive, sees, type RowVersion } from "../storage/table-store.js";
import { compileExpr, compilePredicate, type Compiled } from "./compile.js";
import type { Runtime } from "./runtime.js";

export function runModify(plan: ModifyPlan, rt: Runtime): Row[] {
  const rel = plan.relation;
  const spec = plan.spec as ModifySpec;
  const input = rt.build(plan.input);
  const returning = plan.returning?.map((e) => compileExpr(e)) ?? null;
  const out: Row[] = [];
  const emit = (row: Row): void => {
    rt.modified++;
    if (returning !== null) out.push(returning.map((f) => f(row, rt)));
  };
  const checks = compiledChecks(rel, rt);
  if (plan.operation === "insert") {
    for (let r = input.next(); r !== null; r = input.next()) {
      const row = [...r];
      if (!validate(rel, row, checks, rt, spec.onConflict === "nothing")) continue;
      insertRow(rel, row, rt);
      emit(row);
    }
    return out;
  }
  const versions = new Map<Row, RowVersion>();
  for (const v of rel.store.versions) if (sees(rt.snapshot, v)) versions.set(v.values, v);
  const targets: RowVersion[] = [];
  for (let r = input.next(); r !== null; r = input.next()) {
    const v = versions.get(r);
    if (v !== undefined && v.xmax === 0) targets.push(v);
  }
  const sets = spec.sets?.map((e) => (e === null ? null : compileExpr(e))) ?? null;
  for (const v of targets) {
    if (plan.operation === "delete") {
      checkReferences(rel, v.values, rt);
      deleteRow(rel, v, rt);
      emit(v.values);
      continue;
    }
    const row = v.values.map((old, i) => (sets![i] === null ? old : (sets![i] as Compiled)(v.values, rt)));
    deleteRow(rel, v, rt);
    validate(rel, row, checks, rt, false);
    insertRow(rel, row, rt);
    emit(row);
  }
  return out;
}

type Check = { name: string; test: (row: Row, rt: Runtime) => boolean };
const checkCache = new WeakMap<Relation, { version: number; checks: Check[] }>();

function compiledChecks(rel: Relation, rt: Runtime): Check[] {
  const cached = checkCache.get(rel);
  if (cached !== undefined && cached.version === rel.version && cached.checks.length === rel.checks.length) {
    return cached.checks;
  }
  const statement = { catalog: rt.catalog, path: [rel.schema, "pg_catalog"], ctx: rt.ctx,
    params: { types: [] }, nextSlot: 0, nextSubplanId: 0, nextCteId: 0 };
  const checks = rel.checks.map((c) => {
    const scope = new Scope(statement, undefined);
    analyzeFrom([{ RangeVar: { relname: rel.name, schemaname: rel.schema, inh: true } }], scope);
    const f = compileExpr(asBoolean(analyzeExpr(c.expr, scope), "CHECK", scope));
    return { name: c.name, test: (row: Row, r: Runtime) => f(row, r) !== false };
  });
  checkCache.set(rel, { version: rel.version, checks });
  return checks;
}

/** Formats "(1, null, abc)" for DETAIL lines. */
function failingRow(rel: Relation, row: Row, rt: Runtime): string {
  const parts = row.map((v, i) => (rel.columns[i]!.dropped ? undefined : v === null ? "null"
    : outputValue(rel.columns[i]!.type, v as Value, rt.ctx)));
  return `Failing row contains (${parts.filter((p) => p !== undefined).join(", ")}).`;
}

/** Checks a new row; returns false when ON CONFLICT DO NOTHING skips it. */
function validate(rel: Relation, row: Row, checks: Check[], rt: Runtime, skipConflict: boolean): boolean {
  rel.columns.forEach((c, i) => {
    if (c.notNull && !c.dropped && row[i] === null) {
      throw new SqlError(SqlState.notNullViolation,
        `null value in column "${c.name}" of relation "${rel.name}" violates not-null constraint`,
        { detail: failingRow(rel, row, rt), schema: rel.schema, table: rel.name, column: c.name });
    }
  });
  for (const c of checks) {
    if (!c.test(row, rt)) {
      throw new SqlError(SqlState.checkViolation,
        `new row for relation "${rel.name}" violates check constraint "${c.name}"`,
        { detail: failingRow(rel, row, rt), schema: rel.schema, table: rel.name, constraint: c.name });
    }
  }
  for (const index of rel.indexes) {
    if (!index.unique) continue;
    const key = index.columns.map((c) => row[c] as Value);
    if (skipConflict) {
      try {
        checkUnique(rel, index, key);
      } catch (error) {
        if (error instanceof SqlError && error.code === SqlState.uniqueViolation) return false;
        throw error;
      }
    } else {
      checkUnique(rel, index, key);
    }
  }
  checkForeignKeys(rel, row, rt);
  return true;
}

function checkForeignKeys(rel: Relation, row: Row, rt: Runtime): void {
  for (const fk of rel.foreignKeys) {
    const key = fk.columns.map((c) => row[c] as Value);
    if (key.includes(null)) continue;
    const ref = rt.catalog.relation(fk.refRelationOid)!;
    const index = ref.indexes.find((i) => i.unique && i.columns.every((c, k) => c === fk.refColumns[k]));
    const tree = index!.tree;
    let found = false;
    for (let i = tree.lowerBound(key); i < tree.upperBound(key); i++) {
      if (isLive(tree.entries[i]!.version)) found = true;
    }
    if (!found) {
      const cols = fk.columns.map((c) => rel.columns[c]!.name).join(", ");
      const vals = fk.columns.map((c) => outputValue(rel.columns[c]!.type, row[c] as Value, rt.ctx)).join(", ");
      throw new SqlError(SqlState.foreignKeyViolation,
        `insert or update on table "${rel.name}" violates foreign key constraint "${fk.name}"`,
        { detail: `Key (${cols})=(${vals}) is not present in table "${ref.name}".`,
          schema: rel.schema, table: rel.name, constraint: fk.name });
    }
  }
}

/** Raises 23503 when a row about to go is still referenced (NO ACTION / RESTRICT). */
function checkReferences(rel: Relation, row: Row, rt: Runtime): void {
  for (const other of rt.catalog.allRelations()) {
    for (const fk of other.foreignKeys) {
      if (fk.refRelationOid !== rel.oid) continue;
      const key = fk.refColumns.map((c) => row[c] as Value);
      const hit = other.store.versions.some((v) => isLive(v) &&
        fk.columns.every((c, k) => v.values[c] === key[k] ||
          (typeof key[k] === "object" && JSON.stringify(v.values[c]) === JSON.stringify(key[k]))));
      if (!hit) continue;
      const cols = fk.refColumns.map((c) => rel.columns[c]!.name).join(", ");
      const vals = fk.refColumns.map((c) => outputValue(rel.columns[c]!.type, row[c] as Value, rt.ctx)).join(", ");
      throw new SqlError(SqlState.foreignKeyViolation,
        `update or delete on table "${rel.name}" violates foreign key constraint "${fk.name}" on table "${other.name}"`,
        { detail: `Key (${cols})=(${vals}) is still referenced from table "${other.name}".` });
    }
  }
}

function insertRow(rel: Relation, row: Row, rt: Runtime): void {
  const version = rel.store.insert(row, rt.writeId);
  const entries = rel.indexes.map((index) => {
    const key = index.columns.map((c) => row[c] as Value);
    index.tree.insert(key, version);
    return { tree: index.tree, key };
  });
  rt.undo.record({ kind: "insert", store: rel.store, version, indexes: entries });
}

function deleteRow(rel: Relation, version: RowVersion, rt: Runtime): void {
  rel.store.delete(version, rt.writeId);
  rt.undo.record({ kind: "delete", store: rel.store, version });
}

export { uniqueViolation, compilePredicate };
