/**
 * Row triggers of the partitions a statement on a partitioned table reaches (ExecInsert and
 * ExecCrossPartitionUpdate fire the leaf's own row triggers): the leaf a row is routed to or
 * found in fires its BEFORE and AFTER ROW triggers; its statement triggers stay silent, as
 * only the table the statement names fires those.
 */
import type { Relation } from "../catalog/relation.js";
import type { Runtime } from "../execute/runtime.js";
import { modifyTriggers, type ModifyTriggers, type TriggerEvent } from "../plpgsql/triggers.js";

export class LeafTriggers {
  private readonly byLeaf = new Map<string, ModifyTriggers | undefined>();

  /** `sets`: an UPDATE's (or ON CONFLICT's) SET list by column, for UPDATE OF triggers. */
  constructor(private readonly rt: Runtime, private readonly sets?: readonly unknown[] | null) {}

  /** The row triggers `leaf` fires for `event`, or undefined when it has none. */
  of(leaf: Relation, event: TriggerEvent): ModifyTriggers | undefined {
    const key = `${leaf.oid}:${event}`;
    if (this.byLeaf.has(key)) return this.byLeaf.get(key);
    const triggers = modifyTriggers(leaf, event, this.rt,
      event === "update" ? this.sets : undefined, true);
    this.byLeaf.set(key, triggers);
    return triggers;
  }

  /** Fires the AFTER ROW triggers the statement queued, leaf by leaf. */
  finish(): void {
    for (const triggers of this.byLeaf.values()) triggers?.finish();
  }
}
