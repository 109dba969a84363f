/**
 * Transition tables of AFTER triggers: CREATE TRIGGER … REFERENCING OLD TABLE AS o NEW TABLE
 * AS n. The statement's changed rows (old versions, new versions) are captured as ModifyTable
 * writes them; the trigger function's queries (static and EXECUTE) read `o` and `n` like
 * tables. The analyzer sees them as WITH queries (`StatementScope.transitionTables`) whose
 * rows the function's runtime holds under negative CTE ids, so the plans PL/pgSQL caches per
 * statement stay valid from one firing to the next.
 *
 * Definition checks follow PostgreSQL 15: AFTER triggers only (42P17), one event, no column
 * list, no TRUNCATE, no ROW variables (0A000), OLD TABLE for DELETE / UPDATE and NEW TABLE for
 * INSERT / UPDATE, once each, under different names (42P17).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast, Row } from "@tessera/sql";
import type { CteDef } from "../analyze/scope.js";
import type { Relation } from "../catalog/relation.js";
import type { CteStore } from "../execute/runtime.js";

/** The names a trigger gives its transition tables (pg_trigger.tgoldtable / tgnewtable). */
export interface TransitionNames {
  readonly oldTable?: string;
  readonly newTable?: string;
}

/** What one firing's queries read: the tables' definitions and their rows by CTE id. */
export interface TransitionSet {
  readonly defs: ReadonlyMap<string, CteDef>;
  readonly rows: ReadonlyMap<number, CteStore>;
  /** Names and column types: a plan made for another set is made again. */
  readonly key: string;
}

const oldId = -1;
const newId = -2;

/** Checks the REFERENCING clause of CREATE TRIGGER; returns the names it gives. */
export function transitionNames(stmt: ast.CreateTrigStmt, rel: Relation): TransitionNames {
  const rels = stmt.transitionRels ?? [];
  if (rels.length === 0) return {};
  const events = stmt.events ?? 0;
  const invalid = (message: string): SqlError =>
    new SqlError(SqlState.invalidObjectDefinition, message);
  for (const node of rels) {
    if ("TriggerTransition" in node && node.TriggerTransition.isTable !== true) {
      throw new SqlError(SqlState.featureNotSupported,
        "ROW variable naming in the REFERENCING clause is not supported",
        { hint: "Use OLD TABLE or NEW TABLE for naming transition tables." });
    }
  }
  if (rel.kind === "v") {
    throw new SqlError(SqlState.wrongObjectType, `"${rel.name}" is a view`,
      { detail: "Triggers on views cannot have transition tables." });
  }
  if (stmt.row === true && (rel.partitionKey !== undefined || rel.partitionOf !== undefined)) {
    const partitioned = rel.partitionKey !== undefined;
    throw new SqlError(SqlState.featureNotSupported,
      `"${rel.name}" is a ${partitioned ? "partitioned table" : "partition"}`,
      { detail: "ROW triggers with transition tables are not supported on " +
        `${partitioned ? "partitioned tables" : "partitions"}.` });
  }
  if (((stmt.timing ?? 0) & (2 | 64)) !== 0) {
    throw invalid("transition table name can only be specified for an AFTER trigger");
  }
  if ((events & 32) !== 0) {
    throw new SqlError(SqlState.featureNotSupported,
      "TRUNCATE triggers with transition tables are not supported");
  }
  if ([4, 8, 16].filter((bit) => (events & bit) !== 0).length > 1) {
    throw new SqlError(SqlState.featureNotSupported,
      "transition tables cannot be specified for triggers with more than one event");
  }
  if ((stmt.columns ?? []).length > 0) {
    throw new SqlError(SqlState.featureNotSupported,
      "transition tables cannot be specified for triggers with column lists");
  }
  let oldTable: string | undefined;
  let newTable: string | undefined;
  for (const node of rels) {
    if (!("TriggerTransition" in node)) continue;
    const { name, isNew } = node.TriggerTransition;
    if (isNew === true) {
      if ((events & (4 | 16)) === 0) {
        throw invalid("NEW TABLE can only be specified for an INSERT or UPDATE trigger");
      }
      if (newTable !== undefined) throw invalid("NEW TABLE cannot be specified multiple times");
      newTable = name ?? "";
    } else {
      if ((events & (8 | 16)) === 0) {
        throw invalid("OLD TABLE can only be specified for a DELETE or UPDATE trigger");
      }
      if (oldTable !== undefined) throw invalid("OLD TABLE cannot be specified multiple times");
      oldTable = name ?? "";
    }
  }
  if (oldTable !== undefined && oldTable === newTable) {
    throw invalid("OLD TABLE name and NEW TABLE name cannot be the same");
  }
  return { ...(oldTable !== undefined && { oldTable }),
    ...(newTable !== undefined && { newTable }) };
}

/** The rows a statement changed, as the table stores them (dropped columns included). */
export interface CapturedRows {
  readonly oldRows: Row[];
  readonly newRows: Row[];
}

/** What a trigger with transition tables reads in its function, or undefined without them. */
export function transitionSet(names: TransitionNames, rel: Relation,
  captured: CapturedRows): TransitionSet | undefined {
  if (names.oldTable === undefined && names.newTable === undefined) return undefined;
  const live = rel.columns.flatMap((c, i) => (c.dropped ? [] : [i]));
  const columns = live.map((i) => ({ name: rel.columns[i]!.name, type: rel.columns[i]!.type,
    typmod: rel.columns[i]!.typmod }));
  const defs = new Map<string, CteDef>();
  const rows = new Map<number, CteStore>();
  const add = (name: string | undefined, id: number, source: readonly Row[]): void => {
    if (name === undefined) return;
    const plan = { kind: "result" as const, width: columns.length, rows: source.length };
    defs.set(name, { name, id, columns, plan, recursive: false, refCount: 0 });
    rows.set(id, { rows: source.map((row) => live.map((i) => row[i] ?? null)), fill: null });
  };
  add(names.oldTable, oldId, captured.oldRows);
  add(names.newTable, newId, captured.newRows);
  const types = columns.map((c) => `${c.name}:${c.type}:${c.typmod}`).join(",");
  return { defs, rows, key: `${names.oldTable ?? ""}|${names.newTable ?? ""}|${types}` };
}
