/**
 * Runs an UPDATE through a view WITH CHECK OPTION over a Citus table: first the distributed
 * search for a row the UPDATE would turn into one the views do not show
 * (`planner/view-writes.ts`, `updateCheckQuery`), failing with 44000 if it finds one, then the
 * UPDATE itself, with the same parameters and in the same transaction block.
 */
import type { PreparedStatement } from "@tessera/engine";
import { cursorAfter } from "../executor/cursor.js";
import { checkUpdateRows, type ViewWriteChecks } from "../planner/view-writes.js";

/** `update` preceded by `search`, which must find no row. */
export function withUpdateChecks(update: PreparedStatement, search: PreparedStatement,
  checks: ViewWriteChecks): PreparedStatement {
  return {
    ...update,
    open: (params, ctx) => cursorAfter(async () => {
      const cursor = search.open(params, ctx);
      try {
        checkUpdateRows((await cursor.fetch(0)).rows, checks, ctx);
      } finally {
        cursor.close();
      }
    }, () => update.open(params, ctx)),
  };
}
