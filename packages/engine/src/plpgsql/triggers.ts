/**
 * Triggers on plain tables: CREATE [OR REPLACE] TRIGGER … {BEFORE | AFTER} {INSERT | UPDATE |
 * DELETE} [OR …] ON t FOR EACH {ROW | STATEMENT} EXECUTE {FUNCTION | PROCEDURE} f(args) with
 * a PL/pgSQL function RETURNS trigger, DROP TRIGGER [IF EXISTS] name ON t. Triggers are kept
 * per catalog by table OID; ModifyTable fires them (`execute/modify-run.ts` through
 * `modifyTriggers`): BEFORE ROW triggers may change NEW or skip the row (NULL), AFTER ROW
 * triggers run once the statement's rows are written, STATEMENT triggers before and after.
 *
 * A WHEN condition is evaluated over NEW and OLD before the function is called; UPDATE OF
 * columns fire only for an UPDATE whose SET list names one of the columns.
 * TRUNCATE triggers (FOR EACH STATEMENT) fire around TRUNCATE (`truncateTriggers`).
 * AFTER triggers may name transition tables (REFERENCING OLD / NEW TABLE): the statement's
 * changed rows, which the function reads like tables (`transition-tables.ts`).
 * Views take INSTEAD OF {INSERT | UPDATE | DELETE} FOR EACH ROW triggers, which make them
 * writable (`execute/instead-of-run.ts` fires them through `insteadOfRow`), and statement
 * triggers, which fire only around such a write (as PostgreSQL's).
 * A partitioned table's row triggers are cloned onto its partitions (`trigger-clones.ts`),
 * which fire them. INSERT … ON CONFLICT DO UPDATE fires the UPDATE triggers for the rows it
 * updates. CREATE TRIGGER's checks of columns and WHEN are in `trigger-checks.ts`.
 * Refused with 0A000: constraint triggers, and COPY FROM into a table with row triggers.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast, PgRecord, Row, Value } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";
import { registerEngineFunction } from "../catalog/builtins.js";
import { sqlFunctionsNamed, sqlFunctionByOid } from "../catalog/sql-functions.js";
import { Oid } from "../catalog/types.js";
import type { Engine } from "../engine.js";
import { qualifiedName, recordUndo } from "../ddl/enum-ddl.js";
import type { Runtime } from "../execute/runtime.js";
import { sameValue } from "../execute/row-writer.js";
import { callFunction, plFunctionOf } from "./call.js";
import { runSync } from "./drive.js";
import { plSignature } from "./engine-call.js";
import { EngineHost, runtimeOf } from "./engine-host.js";
import { Frame } from "./frame.js";
import { evalScalar } from "./evaluate.js";
import { parsedTree, type ParsedExpr } from "./expressions.js";
import { transitionNames, transitionSet, type CapturedRows,
  type TransitionSet } from "./transition-tables.js";
import type { NameScope, PlFunction } from "./tree.js";
import { setTriggers, triggersOf, type Trigger, type TriggerEvent } from "./trigger-store.js";
import { cloneTrigger, dropClonesOf, refuseCloneDrop } from "./trigger-clones.js";
import { partitionsNow } from "../partition/model.js";
import { fitsPartition } from "../partition/route.js";
import { checkWhenReferences, refuseRepeatedColumns, withTableInUse } from "./trigger-checks.js";

export { hasInsteadOfTrigger, setTriggers, triggersOf, type Trigger, type TriggerEnabled,
  type TriggerEvent } from "./trigger-store.js";

/**
 * How many trigger functions are running, for pg_trigger_depth(). A trigger runs
 * synchronously (`runSync`), so no other session runs while the count is above zero.
 */
const triggerDepth = { current: 0 };

registerEngineFunction({
  kind: "scalar", name: "pg_trigger_depth", argTypes: [], returnType: Oid.int4,
  volatility: "s", strict: false, impl: () => triggerDepth.current,
});

const eventBits: [number, TriggerEvent][] = [[4, "insert"], [8, "delete"], [16, "update"],
  [32, "truncate"]];

export function createTrigger(engine: Engine, stmt: ast.CreateTrigStmt,
  statement: StatementScope): string {
  const { catalog, path } = statement;
  const name = stmt.trigname ?? "";
  const rv = stmt.relation!;
  const rel = catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
  if (rel === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname ?? ""}" does not exist`);
  }
  if (stmt.isconstraint === true) throw notSupported("constraint triggers");
  checkTiming(stmt, rel);
  const transition = transitionNames(stmt, rel);
  if (((stmt.events ?? 0) & 32) !== 0 && stmt.row === true) {
    throw new SqlError(SqlState.featureNotSupported,
      "TRUNCATE FOR EACH ROW triggers are not supported");
  }
  const columns = (stmt.columns ?? []).map((c) => columnIndex(rel, c));
  refuseRepeatedColumns(stmt);
  checkWhenReferences(stmt, rel);
  const fnName = qualifiedName(stmt.funcname);
  const fn = sqlFunctionsNamed(catalog, path, fnName.schema, fnName.name)
    .find((f) => f.argTypes.length === 0) ?? builtinTriggerFunction(fnName);
  if (fn === undefined) {
    throw new SqlError(SqlState.undefinedFunction, `function ${fnName.name}() does not exist`);
  }
  if (fn.returnType !== triggerType) {
    throw new SqlError(SqlState.invalidObjectDefinition,
      `function ${fnName.name} must return type trigger`);
  }
  const existing = triggersOf(catalog, rel.oid);
  const old = existing.find((t) => t.name === name);
  if (old !== undefined && stmt.replace !== true) {
    throw new SqlError(SqlState.duplicateObject,
      `trigger "${name}" for relation "${rel.name}" already exists`);
  }
  const trigger: Trigger = { oid: old?.oid ?? catalog.allocateOid(), name,
    relationOid: rel.oid, functionOid: fn.oid, enabled: old?.enabled ?? "O",
    before: ((stmt.timing ?? 0) & 2) !== 0, row: stmt.row === true,
    ...(((stmt.timing ?? 0) & 64) !== 0 && { instead: true }),
    events: eventBits.filter(([bit]) => ((stmt.events ?? 0) & bit) !== 0).map(([, e]) => e),
    args: (stmt.args ?? []).map((a) => ("String" in a ? a.String.sval ?? "" : "")),
    columns, when: stmt.whenClause, ...transition };
  setTriggers(catalog, rel.oid, [...existing.filter((t) => t !== old), trigger]);
  const undo = (fn: () => void): void => recordUndo(engine, statement, fn);
  undo(() => setTriggers(catalog, rel.oid, [...existing]));
  if (rel.partitionKey !== undefined && trigger.row) {
    for (const child of partitionsNow(catalog, rel)) cloneTrigger(catalog, trigger, child, undo);
  }
  return "CREATE TRIGGER";
}

/**
 * The checks PostgreSQL makes of a trigger's timing against its table's kind (42809): views
 * take only INSTEAD OF row triggers and statement triggers, tables no INSTEAD OF ones.
 */
function checkTiming(stmt: ast.CreateTrigStmt, rel: Relation): void {
  if (rel.kind !== "r" && rel.kind !== "v") {
    throw new SqlError(SqlState.wrongObjectType, `"${rel.name}" is not a table or view`);
  }
  const instead = ((stmt.timing ?? 0) & 64) !== 0;
  const what = rel.kind === "v" ? "view" : rel.partitionKey !== undefined ? "partitioned table"
    : "table";
  const wrong = (detail: string): SqlError => new SqlError(SqlState.wrongObjectType,
    `"${rel.name}" is a ${what}`, { detail });
  if (rel.kind === "v") {
    if (!instead && stmt.row === true) {
      throw wrong("Views cannot have row-level BEFORE or AFTER triggers.");
    }
    if ((stmt.events ?? 0) & 32) throw wrong("Views cannot have TRUNCATE triggers.");
  } else if (instead) {
    throw wrong(`Tables cannot have INSTEAD OF triggers.`);
  }
  if (instead && stmt.row !== true) {
    throw new SqlError(SqlState.featureNotSupported,
      "INSTEAD OF triggers must be FOR EACH ROW");
  }
  if (instead && stmt.whenClause !== undefined) {
    throw new SqlError(SqlState.featureNotSupported,
      "INSTEAD OF triggers cannot have WHEN conditions");
  }
  if (instead && (stmt.columns ?? []).length > 0) {
    throw new SqlError(SqlState.featureNotSupported,
      "INSTEAD OF triggers cannot have column lists");
  }
}

function columnIndex(rel: Relation, column: ast.Node): number {
  const name = "String" in column ? column.String.sval ?? "" : "";
  const index = rel.columns.findIndex((c) => !c.dropped && c.name === name);
  if (index < 0) {
    throw new SqlError(SqlState.undefinedColumn,
      `column "${name}" of relation "${rel.name}" does not exist`);
  }
  return index;
}

export const triggerType = 2279;
const textArray = 1009;

/** DROP TRIGGER [IF EXISTS] name ON table. */
export function dropTrigger(engine: Engine, stmt: ast.DropStmt, statement: StatementScope,
  notice: (message: string) => void): string {
  const { catalog, path } = statement;
  for (const object of stmt.objects ?? []) {
    const names = ("List" in object ? object.List.items ?? [] : [])
      .map((n) => ("String" in n ? n.String.sval ?? "" : ""));
    const name = names.pop() ?? "";
    const table = names.pop() ?? "";
    const rel = catalog.findRelation(path, names.pop(), table);
    const existing = rel === undefined ? [] : triggersOf(catalog, rel.oid);
    const found = existing.find((t) => t.name === name);
    if (rel === undefined || found === undefined) {
      if (stmt.missing_ok === true) {
        notice(rel === undefined ? `relation "${table}" does not exist, skipping`
          : `trigger "${name}" for relation "${table}" does not exist, skipping`);
        continue;
      }
      if (rel === undefined) {
        throw new SqlError(SqlState.undefinedTable, `relation "${table}" does not exist`);
      }
      throw new SqlError(SqlState.undefinedObject,
        `trigger "${name}" for table "${table}" does not exist`);
    }
    refuseCloneDrop(catalog, found, rel);
    setTriggers(catalog, rel.oid, existing.filter((t) => t !== found));
    const undo = (fn: () => void): void => recordUndo(engine, statement, fn);
    undo(() => setTriggers(catalog, rel.oid, [...existing]));
    for (const child of partitionsNow(catalog, rel)) {
      dropClonesOf(catalog, child, [found.oid], undo);
    }
  }
  return "DROP TRIGGER";
}

/** What ModifyTable calls: undefined when the table has no trigger for the operation. */
export interface ModifyTriggers {
  /** BEFORE ROW: the row to write (changed by the triggers), or null to skip it. */
  before(newRow: Row | null, oldRow: Row | null): Row | null;
  /** AFTER ROW: remembered, fired by `finish`. */
  after(newRow: Row | null, oldRow: Row | null): void;
  /** Fires the AFTER ROW triggers, then the AFTER STATEMENT ones. */
  finish(): void;
  /** Fires the AFTER ROW triggers alone (ON CONFLICT orders its two events' triggers). */
  finishRows(): void;
  /** MERGE, which orders events of several kinds itself: fires AFTER ROW triggers now. */
  afterNow(newRow: Row | null, oldRow: Row | null): void;
  /** MERGE: fires the AFTER STATEMENT triggers alone. */
  finishStatement(): void;
}

const notFired = Symbol("not fired");

/**
 * The triggers ModifyTable fires for `event` on `rel`. `sets` (UPDATE): the SET list by column,
 * null where not set, for UPDATE OF column triggers; undefined fires them all. `rowsOnly`: the
 * row triggers alone, for a partition a statement on its partitioned table reaches.
 */
export function modifyTriggers(rel: Relation, event: TriggerEvent, rt: Runtime,
  sets?: readonly unknown[] | null, rowsOnly = false): ModifyTriggers | undefined {
  const defined = triggersOf(rt.catalog, rel.oid);
  if (defined.length === 0) return undefined;
  const replica = rt.evalContext.setting("session_replication_role") === "replica";
  // A partitioned table's row triggers fire as their clones on the partitions.
  const all = defined.filter((t) => t.events.includes(event) && t.instead !== true &&
    (!rowsOnly || t.row) && !(t.row && rel.partitionKey !== undefined) &&
    (t.enabled === "A" || t.enabled === (replica ? "R" : "O")) &&
    (event !== "update" || t.columns.length === 0 || sets === undefined || sets === null ||
      t.columns.some((c) => (sets[c] ?? null) !== null)));
  if (all.length === 0) return undefined;
  // The statement's changed rows, for the triggers' transition tables.
  const captured: CapturedRows | undefined = all.some((t) => t.oldTable !== undefined ||
    t.newTable !== undefined) ? { oldRows: [], newRows: [] } : undefined;
  // `notFired` when the WHEN condition does not hold: the row goes on unchanged.
  const fire = (t: Trigger, newRow: Row | null, oldRow: Row | null): Value | typeof notFired =>
    (t.when !== undefined && !whenHolds(t, rel, rt, newRow, oldRow) ? notFired
      : fireTrigger(t, rel, event, rt, newRow, oldRow, transitionOf(t)));
  // Made once all rows are captured (AFTER triggers fire at the statement's end).
  const made = new Map<Trigger, TransitionSet | undefined>();
  const transitionOf = (t: Trigger): TransitionSet | undefined => {
    if (captured === undefined || t.before) return undefined;
    if (!made.has(t)) made.set(t, transitionSet(t, rel, captured));
    return made.get(t);
  };
  for (const t of all) if (t.before && !t.row) fire(t, null, null);
  const queued: [Row | null, Row | null][] = [];
  return {
    before(newRow, oldRow) {
      let row = newRow;
      for (const t of all) {
        if (!t.before || !t.row) continue;
        const result = fire(t, row, oldRow);
        if (result === notFired) continue;
        if (result === null) return null;
        if (event !== "delete") row = rowOf(rel, result as PgRecord);
        if (event === "insert") refuseMovedRow(t, rel, rt, row!);
      }
      return event === "delete" ? oldRow : row;
    },
    after(newRow, oldRow) {
      if (all.some((t) => !t.before && t.row)) queued.push([newRow, oldRow]);
      if (oldRow !== null) captured?.oldRows.push(oldRow);
      if (newRow !== null) captured?.newRows.push(newRow);
    },
    finish() {
      this.finishRows();
      this.finishStatement();
    },
    finishRows() {
      for (const [newRow, oldRow] of queued) {
        for (const t of all) if (!t.before && t.row) fire(t, newRow, oldRow);
      }
      queued.length = 0;
    },
    afterNow(newRow, oldRow) {
      // MERGE fires row triggers one row at a time: their transition tables would be partial.
      if (all.some((t) => !t.before && t.row && (t.oldTable ?? t.newTable) !== undefined)) {
        throw notSupported("MERGE into a table with row triggers with transition tables");
      }
      if (oldRow !== null) captured?.oldRows.push(oldRow);
      if (newRow !== null) captured?.newRows.push(newRow);
      for (const t of all) if (!t.before && t.row) fire(t, newRow, oldRow);
    },
    finishStatement() {
      for (const t of all) if (!t.before && !t.row) fire(t, null, null);
    },
  };
}

/**
 * 0A000 when a partitioned table's BEFORE ROW trigger, fired as its clone on partition `rel`,
 * changed the row so that it no longer belongs in `rel` (ExecBRInsertTriggers).
 */
function refuseMovedRow(t: Trigger, rel: Relation, rt: Runtime, row: Row): void {
  if (t.parentOid === undefined || rel.partitionOf === undefined) return;
  if (fitsPartition(rt.catalog, rel, row)) return;
  throw new SqlError(SqlState.featureNotSupported,
    "moving row to another partition during a BEFORE FOR EACH ROW trigger is not supported",
    { detail: `Before executing trigger "${t.name}", the row was to be in partition ` +
      `"${rel.schema}.${rel.name}".` });
}

/**
 * The INSTEAD OF row triggers of view `rel` for `event`, as one function of a row's NEW and
 * OLD: each trigger in name order gets the NEW the one before returned; null when one
 * returns NULL (the row is not counted), else the final NEW (DELETE: OLD), which RETURNING
 * reads (PostgreSQL's ExecIR*Triggers). Undefined when the view has none.
 */
export function insteadOfRow(rel: Relation, event: TriggerEvent, rt: Runtime):
  ((newRow: Row | null, oldRow: Row | null) => Row | null) | undefined {
  const defined = triggersOf(rt.catalog, rel.oid)
    .filter((t) => t.instead === true && t.events.includes(event));
  if (defined.length === 0) return undefined;
  const replica = rt.evalContext.setting("session_replication_role") === "replica";
  const fired = defined.filter((t) => t.enabled === "A" || t.enabled === (replica ? "R" : "O"));
  return (newRow, oldRow) => {
    let row = newRow;
    for (const t of fired) {
      const result = fireTrigger(t, rel, event, rt, row, oldRow);
      if (result === null) return null;
      if (event !== "delete") row = rowOf(rel, result as PgRecord);
    }
    return event === "delete" ? oldRow : row;
  };
}

/**
 * TRUNCATE's triggers on `tables`: fires their BEFORE TRUNCATE triggers now and returns what
 * fires the AFTER TRUNCATE ones (once every table is emptied).
 */
export function truncateTriggers(engine: Engine, statement: StatementScope,
  tables: readonly Relation[]): () => void {
  const fired = tables.flatMap((rel) => triggersOf(statement.catalog, rel.oid)
    .filter((t) => t.events.includes("truncate")).map((t) => ({ t, rel })));
  if (fired.length === 0) return () => undefined;
  const rt = engine.runtime([], statement.ctx);
  const replica = rt.evalContext.setting("session_replication_role") === "replica";
  const enabled = fired.filter(({ t }) => t.enabled === "A" ||
    t.enabled === (replica ? "R" : "O"));
  for (const { t, rel } of enabled) if (t.before) fireTrigger(t, rel, "truncate", rt, null, null);
  return () => {
    for (const { t, rel } of enabled) {
      if (!t.before) fireTrigger(t, rel, "truncate", rt, null, null);
    }
  };
}

/** Refuses writes that would bypass row triggers (COPY FROM, ON CONFLICT). */
export function refuseRowTriggers(catalog: Catalog, rel: Relation, what: string): void {
  if (triggersOf(catalog, rel.oid).some((t) => t.row && t.events.includes("insert"))) {
    throw notSupported(`${what} into a table with row triggers`);
  }
}

function liveColumns(rel: Relation): number[] {
  return rel.columns.flatMap((c, i) => (c.dropped ? [] : [i]));
}

function recordOf(rel: Relation, row: Row): PgRecord {
  const live = liveColumns(rel);
  return { kind: "record", fields: live.map((i) => (row[i] ?? null) as Value),
    types: live.map((i) => rel.columns[i]!.type), names: live.map((i) => rel.columns[i]!.name) };
}

function rowOf(rel: Relation, record: PgRecord): Row {
  const row = new Array<Value>(rel.columns.length).fill(null);
  liveColumns(rel).forEach((col, i) => {
    row[col] = record.fields[i] ?? null;
  });
  return row;
}

/** pg_proc.oid of suppress_redundant_updates_trigger(), the built-in trigger function. */
export const suppressRedundantUpdatesOid = 1291;

/** The built-in trigger function `name` names, as much of it as CREATE TRIGGER reads. */
function builtinTriggerFunction(name: { schema: string | undefined; name: string }):
  { oid: number; returnType: number } | undefined {
  if (name.name !== "suppress_redundant_updates_trigger") return undefined;
  if (name.schema !== undefined && name.schema !== "pg_catalog") return undefined;
  return { oid: suppressRedundantUpdatesOid, returnType: triggerType };
}

/**
 * suppress_redundant_updates_trigger(): a BEFORE UPDATE row trigger that skips an update
 * which changes no stored value (NULL), else passes NEW on.
 */
function suppressRedundantUpdate(t: Trigger, rel: Relation, event: TriggerEvent,
  newRow: Row | null, oldRow: Row | null): Value {
  const fail = (what: string): SqlError => new SqlError(SqlState.triggerProtocolViolated,
    `suppress_redundant_updates_trigger: must be called ${what}`);
  if (event !== "update") throw fail("on update");
  if (!t.before) throw fail("before update");
  if (!t.row) throw fail("for each row");
  const unchanged = rel.columns.every((c, i) => c.dropped ||
    sameValue(newRow?.[i] ?? null, oldRow?.[i] ?? null));
  return unchanged ? null : recordOf(rel, newRow!);
}

function fireTrigger(t: Trigger, rel: Relation, event: TriggerEvent, rt: Runtime,
  newRow: Row | null, oldRow: Row | null, transition?: TransitionSet): Value {
  if (t.functionOid === suppressRedundantUpdatesOid) {
    return suppressRedundantUpdate(t, rel, event, newRow, oldRow);
  }
  const bound = runtimeOf(rt.evalContext);
  const fn = sqlFunctionByOid(rt.catalog, t.functionOid);
  if (bound === undefined || fn === undefined) {
    throw new SqlError(SqlState.undefinedFunction, `function of trigger "${t.name}" is gone`);
  }
  const pl = plFunctionOf(fn, () => plSignature(fn));
  const setup = (frame: Frame): void => {
    const set = (name: string, value: Value, type: number): void => {
      const n = pl.datums.findIndex((d) => d.kind !== "row" && d.kind !== "recfield" &&
        d.name === name);
      if (n < 0) return;
      frame.values[n] = value;
      frame.types[n] = type;
    };
    set("new", newRow === null ? null : recordOf(rel, newRow), Oid.record);
    set("old", oldRow === null ? null : recordOf(rel, oldRow), Oid.record);
    // NEW and OLD have the table's row type: a field of a null one is null.
    const columns = liveColumns(rel).map((i) => ({ name: rel.columns[i]!.name,
      type: rel.columns[i]!.type }));
    pl.datums.forEach((d, n) => {
      if (d.kind === "rec" && (d.name === "new" || d.name === "old")) frame.columns[n] = columns;
    });
    set("tg_name", t.name, Oid.name);
    set("tg_when", t.instead === true ? "INSTEAD OF" : t.before ? "BEFORE" : "AFTER",
      Oid.text);
    set("tg_level", t.row ? "ROW" : "STATEMENT", Oid.text);
    set("tg_op", event.toUpperCase(), Oid.text);
    set("tg_relid", rel.oid, Oid.oid);
    set("tg_relname", rel.name, Oid.name);
    set("tg_table_name", rel.name, Oid.name);
    set("tg_table_schema", rel.schema, Oid.name);
    set("tg_nargs", t.args.length, Oid.int4);
    // TG_ARGV is null when the trigger has no arguments, as in PostgreSQL.
    set("tg_argv", t.args.length === 0 ? null : { kind: "array", elementType: Oid.text,
      dims: [t.args.length], lowerBounds: [0], items: [...t.args] }, textArray);
  };
  const host = new EngineHost(bound.engine, rt, fn.volatility, false, transition);
  triggerDepth.current += 1;
  let outcome;
  try {
    outcome = withTableInUse(rel.oid, () => runSync(callFunction(pl, host,
      { setOf: false, type: Oid.record, columns: undefined }, [], setup)));
  } finally {
    triggerDepth.current -= 1;
  }
  if ((t.before || t.instead === true) && t.row && outcome.value !== null &&
    typeof outcome.value === "object" && "kind" in outcome.value &&
    outcome.value.kind !== "record") {
    throw new SqlError(SqlState.datatypeMismatch,
      "returned row structure does not match the structure of the triggering table");
  }
  return outcome.value;
}

/** The WHEN condition's scope: NEW and OLD, as a function of no statements sees them. */
const whenFunction: PlFunction = {
  signature: "", foundVarno: 2, outVarno: undefined, argVarnos: [],
  body: { kind: "block", line: 0, label: undefined, declared: [], body: [],
    handlers: undefined, errorVars: [] },
  datums: [{ kind: "rec", name: "new", typeName: "record", init: undefined },
    { kind: "rec", name: "old", typeName: "record", init: undefined },
    { kind: "var", name: "found", typeName: "boolean", isConst: false, notNull: false,
      init: undefined }],
};
const whenScope: NameScope = { vars: new Map([["new", 0], ["old", 1]]), labels: new Map(),
  parent: undefined };
const whenTrees = new WeakMap<Trigger, ParsedExpr>();

/** True when the trigger's WHEN condition holds for these rows. */
function whenHolds(t: Trigger, rel: Relation, rt: Runtime, newRow: Row | null,
  oldRow: Row | null): boolean {
  const bound = runtimeOf(rt.evalContext);
  if (bound === undefined) throw notSupported("trigger WHEN conditions here");
  let parsed = whenTrees.get(t);
  if (parsed === undefined) {
    const when = withTableOid(t.when!, rel.oid);
    const select: ast.Node = { SelectStmt: { targetList: [{ ResTarget: { val: when } }],
      limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
    parsed = parsedTree(select, whenScope, (n) => n < 2);
    whenTrees.set(t, parsed);
  }
  const frame = new Frame(whenFunction, new EngineHost(bound.engine, rt, "s"),
    { setOf: false, type: Oid.bool, columns: undefined });
  frame.values[0] = newRow === null ? null : recordOf(rel, newRow);
  frame.values[1] = oldRow === null ? null : recordOf(rel, oldRow);
  const value = runSync(evalScalar(frame, parsed, "WHEN"));
  return value.value === true;
}

/**
 * `when` with OLD.tableoid and NEW.tableoid replaced by the table's OID, the one system
 * column a WHEN condition reads here (PostgreSQL fills it in the trigger's tuples).
 */
function withTableOid(when: ast.Node, oid: number): ast.Node {
  const replace = (value: unknown): unknown => {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map(replace);
    const node = value as Record<string, unknown>;
    const fields = (node as ast.Node & { ColumnRef?: ast.ColumnRef }).ColumnRef?.fields;
    if (fields?.length === 2 && "String" in fields[0]! && "String" in fields[1]! &&
      ["old", "new"].includes(fields[0].String.sval ?? "") &&
      fields[1].String.sval === "tableoid") {
      return { TypeCast: { arg: { A_Const: { ival: { ival: oid } } },
        typeName: { names: [{ String: { sval: "oid" } }], typemod: -1 } } };
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, replace(v)]));
  };
  return replace(when) as ast.Node;
}

export { sqlFunctionByOid };
