/**
 * Where triggers are kept: per catalog, by table (or view) OID, in name order, the order
 * PostgreSQL fires them. `triggers.ts` creates, drops and fires them; this file has no
 * dependencies on PL/pgSQL, so the analyzer and the catalogs can ask about triggers.
 */
import type { ast } from "@tessera/sql";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";

export type TriggerEvent = "insert" | "update" | "delete" | "truncate";

export interface Trigger {
  /** pg_trigger.oid; kept by CREATE OR REPLACE. */
  readonly oid: number;
  readonly name: string;
  readonly relationOid: number;
  readonly functionOid: number;
  readonly before: boolean;
  /** INSTEAD OF (views only; `before` is false). */
  readonly instead?: boolean;
  readonly row: boolean;
  readonly events: readonly TriggerEvent[];
  readonly args: readonly string[];
  /**
   * UPDATE OF columns: indexes into the table's columns (pg_trigger.tgattr); the trigger
   * fires for an UPDATE only when its SET list names one of them. Empty: every UPDATE.
   */
  readonly columns: readonly number[];
  /** WHEN (condition), over NEW and OLD. */
  readonly when: ast.Node | undefined;
  /**
   * pg_trigger.tgenabled: 'O' fires (the default), 'D' is disabled (ALTER TABLE … DISABLE
   * TRIGGER), 'A' fires always, 'R' only in replica sessions (so never here).
   */
  readonly enabled: TriggerEnabled;
  /** REFERENCING OLD TABLE AS name (pg_trigger.tgoldtable). */
  readonly oldTable?: string;
  /** REFERENCING NEW TABLE AS name (pg_trigger.tgnewtable). */
  readonly newTable?: string;
  /**
   * pg_trigger.tgparentid: on a partition, the partitioned table's trigger this one is a
   * clone of (`trigger-clones.ts`).
   */
  readonly parentOid?: number;
}

export type TriggerEnabled = "O" | "D" | "A" | "R";

const stores = new WeakMap<Catalog, Map<number, Trigger[]>>();

function storeOf(catalog: Catalog): Map<number, Trigger[]> {
  let store = stores.get(catalog);
  if (store === undefined) {
    store = new Map();
    stores.set(catalog, store);
  }
  return store;
}

/** The triggers of table `oid`, in name order (the order PostgreSQL fires them). */
export function triggersOf(catalog: Catalog, oid: number): readonly Trigger[] {
  return stores.get(catalog)?.get(oid) ?? [];
}

/** Replaces the triggers of table `oid` (kept sorted by name, as PostgreSQL fires them). */
export function setTriggers(catalog: Catalog, oid: number, triggers: Trigger[]): void {
  triggers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (triggers.length === 0) storeOf(catalog).delete(oid);
  else storeOf(catalog).set(oid, triggers);
}

/**
 * Tables whose foreign key triggers are disabled (ALTER TABLE … DISABLE TRIGGER ALL): the
 * checks of their own keys and the actions of keys referencing them. Tessera checks foreign
 * keys without triggers, so this set stands for PostgreSQL's internal RI triggers' tgenabled.
 */
const keyTriggersDisabled = new WeakMap<Catalog, Set<number>>();

/** ENABLE or DISABLE TRIGGER ALL on table `oid`: its foreign key triggers. */
export function setKeyTriggersEnabled(catalog: Catalog, oid: number, enabled: boolean): void {
  let disabled = keyTriggersDisabled.get(catalog);
  if (disabled === undefined) keyTriggersDisabled.set(catalog, disabled = new Set());
  if (enabled) disabled.delete(oid);
  else disabled.add(oid);
}

/**
 * True when the foreign key triggers of table `oid` fire: not disabled, and the session is
 * not a replica (session_replication_role), where origin triggers do not fire.
 */
export function keyTriggersFire(catalog: Catalog, oid: number, replicationRole: string):
  boolean {
  return replicationRole !== "replica" && keyTriggersDisabled.get(catalog)?.has(oid) !== true;
}

/** True when view `rel` has an INSTEAD OF row trigger for `event` (enabled or not). */
export function hasInsteadOfTrigger(catalog: Catalog, rel: Relation, event: TriggerEvent):
  boolean {
  return rel.kind === "v" &&
    triggersOf(catalog, rel.oid).some((t) => t.instead === true && t.events.includes(event));
}

