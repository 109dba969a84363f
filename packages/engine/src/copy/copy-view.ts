/**
 * COPY … FROM into a view with an INSTEAD OF INSERT trigger (PostgreSQL's CopyFrom with
 * ExecIRInsertTriggers): nothing is stored; each row, read, defaulted and filtered by WHERE
 * as for a table, goes at once to the view's INSTEAD OF INSERT row triggers as NEW, in the
 * data's order. The view's statement triggers (BEFORE and AFTER INSERT … FOR EACH
 * STATEMENT) fire around the rows, as for INSERT. Every row handed over counts in the
 * command tag, whatever the triggers return, as PostgreSQL 15 counts them.
 *
 *   CREATE TRIGGER ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION v_ins();
 *   COPY v FROM STDIN;      -- v_ins() once per line
 */
import { assert, SqlError } from "@tessera/base";
import type { Row } from "@tessera/sql";
import type { Relation } from "../catalog/relation.js";
import type { Engine } from "../engine.js";
import type { Runtime } from "../execute/runtime.js";
import { insteadOfRow, modifyTriggers, type ModifyTriggers } from "../plpgsql/triggers.js";
import { withContext } from "./context.js";

export class ViewCopy {
  private readonly fire: (newRow: Row | null, oldRow: Row | null) => Row | null;
  private readonly statement: ModifyTriggers | undefined;
  private count = 0;

  /** Fires the view's BEFORE INSERT statement triggers. */
  constructor(private readonly engine: Engine, view: Relation, private readonly rt: Runtime) {
    const fire = insteadOfRow(view, "insert", rt);
    assert(fire !== undefined, "COPY FROM reaches a view only through its INSTEAD OF trigger");
    this.fire = fire;
    this.statement = modifyTriggers(view, "insert", rt);
  }

  /** Hands one row (full view width) to the triggers; errors end with the COPY's line. */
  insert(row: Row, lineContext: () => string): void {
    try {
      this.fire(row, null);
    } catch (error) {
      if (!(error instanceof SqlError)) throw error;
      // CONTEXT lists the innermost frame first: the trigger's, then the COPY line.
      const inner = error.fields.where;
      throw withContext(error, (inner === undefined ? "" : `${inner}\n`) + lineContext());
    }
    this.count++;
  }

  /** Fires the AFTER INSERT statement triggers; returns "COPY n". */
  finish(): string {
    this.statement?.finish();
    this.engine.catalog.lastWriteId = this.rt.writeId;
    return `COPY ${this.count}`;
  }

  /** Takes back what the triggers wrote. */
  abort(): void {
    this.rt.undo.rollback();
  }
}
