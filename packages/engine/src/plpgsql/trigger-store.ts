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

/** True when view `rel` has an INSTEAD OF row trigger for `event` (enabled or not). */
export function hasInsteadOfTrigger(catalog: Catalog, rel: Relation, event: TriggerEvent):
  boolean {
  return rel.kind === "v" &&
    triggersOf(catalog, rel.oid).some((t) => t.instead === true && t.events.includes(event));
}

