/**
 * What is done to triggers besides creating, dropping and firing them (`triggers.ts`):
 *
 *   ALTER TABLE t {ENABLE [ALWAYS | REPLICA] | DISABLE} TRIGGER {name | ALL | USER}
 *   ALTER TRIGGER name ON t RENAME TO new_name
 *   pg_trigger rows and pg_get_triggerdef(oid [, pretty]), as psql's \d and pg_dump read them:
 *
 *     CREATE TRIGGER audit_ins AFTER INSERT OR UPDATE ON public.orders FOR EACH ROW
 *       EXECUTE FUNCTION audit()
 *
 * Tessera has no internal triggers (foreign keys are checked without them), so ALL and USER
 * name the same triggers.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast, Row } from "@tessera/sql";
import { deparseSync } from "pgsql-deparser";
import type { StatementScope } from "../analyze/scope.js";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";
import { sqlFunctionByOid } from "../catalog/sql-functions.js";
import { Oid } from "../catalog/types.js";
import type { Engine } from "../engine.js";
import { recordUndo } from "../ddl/enum-ddl.js";
import { quoteIdent } from "./source-text.js";
import { keyTriggersFire, setKeyTriggersEnabled } from "./trigger-store.js";
import { partitionsNow } from "../partition/model.js";
import { setTriggers, suppressRedundantUpdatesOid, triggersOf, type Trigger,
  type TriggerEnabled } from "./triggers.js";

/** tgenabled set by each ALTER TABLE subcommand. */
const enabledBySubtype: Readonly<Record<string, TriggerEnabled>> = {
  AT_EnableTrig: "O", AT_EnableAlwaysTrig: "A", AT_EnableReplicaTrig: "R", AT_DisableTrig: "D",
  AT_EnableTrigAll: "O", AT_DisableTrigAll: "D", AT_EnableTrigUser: "O", AT_DisableTrigUser: "D",
};

/** True for the ALTER TABLE subcommands `setTriggersEnabled` runs. */
export function isTriggerStateCommand(subtype: string): boolean {
  return subtype in enabledBySubtype;
}

/**
 * ALTER TABLE … ENABLE/DISABLE TRIGGER: sets tgenabled of the named trigger, or of every
 * trigger for ALL and USER. `undo` records how to take the change back.
 */
export function setTriggersEnabled(catalog: Catalog, rel: Relation, subtype: string,
  name: string, undo: (fn: () => void) => void): void {
  const enabled = enabledBySubtype[subtype]!;
  const every = subtype.endsWith("All") || subtype.endsWith("User");
  if (subtype.endsWith("All")) {
    const keysFired = keyTriggersFire(catalog, rel.oid, "origin");
    setKeyTriggersEnabled(catalog, rel.oid, enabled !== "D");
    undo(() => setKeyTriggersEnabled(catalog, rel.oid, keysFired));
  }
  const existing = triggersOf(catalog, rel.oid);
  if (!every && !existing.some((t) => t.name === name)) throw missingTrigger(name, rel.name);
  const changed = existing.filter((t) => every || t.name === name);
  setTriggers(catalog, rel.oid, existing.map((t) =>
    (changed.includes(t) ? { ...t, enabled } : t)));
  undo(() => setTriggers(catalog, rel.oid, [...existing]));
  // A partitioned table's triggers pass the change on to their clones.
  setClonesEnabled(catalog, rel, changed.map((t) => t.oid), enabled, undo);
}

function setClonesEnabled(catalog: Catalog, rel: Relation, oids: readonly number[],
  enabled: TriggerEnabled, undo: (fn: () => void) => void): void {
  if (rel.partitionKey === undefined || oids.length === 0) return;
  for (const child of partitionsNow(catalog, rel)) {
    const existing = triggersOf(catalog, child.oid);
    const clones = existing.filter((t) => t.parentOid !== undefined &&
      oids.includes(t.parentOid));
    if (clones.length === 0) continue;
    setTriggers(catalog, child.oid, existing.map((t) =>
      (clones.includes(t) ? { ...t, enabled } : t)));
    undo(() => setTriggers(catalog, child.oid, [...existing]));
    setClonesEnabled(catalog, child, clones.map((t) => t.oid), enabled, undo);
  }
}

/** ALTER TRIGGER name ON table RENAME TO new_name. */
export function renameTrigger(engine: Engine, stmt: ast.RenameStmt,
  statement: StatementScope): string {
  const rv = stmt.relation!;
  const rel = statement.catalog.findRelation(statement.path, rv.schemaname, rv.relname ?? "");
  if (rel === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname ?? ""}" does not exist`);
  }
  const from = stmt.subname ?? "";
  const to = stmt.newname ?? "";
  const existing = triggersOf(statement.catalog, rel.oid);
  const found = existing.find((t) => t.name === from);
  if (found === undefined) throw missingTrigger(from, rel.name);
  if (existing.some((t) => t.name === to)) {
    throw new SqlError(SqlState.duplicateObject,
      `trigger "${to}" for relation "${rel.name}" already exists`);
  }
  setTriggers(statement.catalog, rel.oid,
    existing.map((t) => (t === found ? { ...t, name: to } : t)));
  recordUndo(engine, statement, () => setTriggers(statement.catalog, rel.oid, [...existing]));
  return "ALTER TRIGGER";
}

function missingTrigger(name: string, table: string): SqlError {
  return new SqlError(SqlState.undefinedObject,
    `trigger "${name}" for table "${table}" does not exist`);
}

/** Every trigger of the catalog with its table, in table OID then name order. */
export function allTriggers(catalog: Catalog): { trigger: Trigger; relation: Relation }[] {
  const found: { trigger: Trigger; relation: Relation }[] = [];
  for (const relation of catalog.allRelations()) {
    for (const trigger of triggersOf(catalog, relation.oid)) found.push({ trigger, relation });
  }
  return found;
}

/** The trigger with pg_trigger.oid `oid`, or undefined. */
export function triggerByOid(catalog: Catalog, oid: number):
  { trigger: Trigger; relation: Relation } | undefined {
  return allTriggers(catalog).find((t) => t.trigger.oid === oid);
}

/**
 * pg_trigger.tgtype: ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32, INSTEAD 64.
 */
export function triggerTypeBits(trigger: Trigger): number {
  let bits = (trigger.row ? 1 : 0) | (trigger.before ? 2 : 0) |
    (trigger.instead === true ? 64 : 0);
  if (trigger.events.includes("insert")) bits |= 4;
  if (trigger.events.includes("delete")) bits |= 8;
  if (trigger.events.includes("update")) bits |= 16;
  if (trigger.events.includes("truncate")) bits |= 32;
  return bits;
}

/** pg_trigger's rows, in its column order (see `pg-misc.ts`). */
export function triggerRows(catalog: Catalog): Row[] {
  return allTriggers(catalog).map(({ trigger, relation }) => {
    const args = trigger.args.map((a) => `${a}\0`).join("");
    return [trigger.oid, relation.oid, trigger.parentOid ?? 0, trigger.name, trigger.functionOid,
      triggerTypeBits(trigger), trigger.enabled, false, 0, 0, 0, false, false,
      trigger.args.length, { kind: "array", elementType: Oid.int2,
        dims: trigger.columns.length === 0 ? [] : [trigger.columns.length],
        lowerBounds: trigger.columns.length === 0 ? [] : [0],
        items: trigger.columns.map((c) => c + 1) },
      Buffer.from(args, "utf8"),
      trigger.when === undefined ? null : deparseSync(trigger.when, { pretty: false }),
      trigger.oldTable ?? null, trigger.newTable ?? null];
  });
}

/**
 * pg_get_triggerdef: the CREATE TRIGGER that makes the trigger again. The table is schema-
 * qualified unless `pretty` and visible on `path`; the function is qualified unless visible.
 * `as` renames the trigger and its table (a Citus shard's: `audit_102008` on `t_102008`).
 */
export function triggerDefinition(catalog: Catalog, trigger: Trigger, relation: Relation,
  pretty: boolean, path: readonly string[], as?: { name: string; table: string }): string {
  const events = (["insert", "delete", "update", "truncate"] as const)
    .filter((e) => trigger.events.includes(e)).map((e) => (e === "update" &&
      trigger.columns.length > 0 ? `UPDATE OF ${trigger.columns.map((c) =>
        quoteIdent(relation.columns[c]?.name ?? "")).join(", ")}` : e.toUpperCase()))
    .join(" OR ");
  const table = as?.table ?? (pretty && path.includes(relation.schema)
    ? quoteIdent(relation.name) : `${quoteIdent(relation.schema)}.${quoteIdent(relation.name)}`);
  const fn = sqlFunctionByOid(catalog, trigger.functionOid);
  const fnName = trigger.functionOid === suppressRedundantUpdatesOid
    ? "suppress_redundant_updates_trigger" : fn === undefined ? `${trigger.functionOid}`
    : path.includes(fn.schema) ? quoteIdent(fn.name)
      : `${quoteIdent(fn.schema)}.${quoteIdent(fn.name)}`;
  let when = "";
  if (trigger.when !== undefined) {
    const condition = deparseSync(trigger.when, { pretty: false });
    when = pretty || !("A_Expr" in trigger.when) ? `WHEN (${condition}) `
      : `WHEN ((${condition})) `;
  }
  const tables = [["OLD", trigger.oldTable], ["NEW", trigger.newTable]]
    .flatMap(([kind, name]) => (name === undefined ? []
      : [`${kind} TABLE AS ${quoteIdent(name)} `]));
  const referencing = tables.length === 0 ? "" : `REFERENCING ${tables.join("")}`;
  return `CREATE TRIGGER ${quoteIdent(as?.name ?? trigger.name)} ` +
    `${timing(trigger)} ${events} ON ${table} ${referencing}` +
    `FOR EACH ${trigger.row ? "ROW" : "STATEMENT"} ${when}` +
    `EXECUTE FUNCTION ${fnName}(${trigger.args.map(literal).join(", ")})`;
}

function timing(trigger: Trigger): string {
  return trigger.instead === true ? "INSTEAD OF" : trigger.before ? "BEFORE" : "AFTER";
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
