/**
 * The cursor of a command that returns no rows (DDL, utility statements, COPY to or from a
 * file): its first fetch runs the command and reports its tag; later fetches are empty.
 */
import type { Cursor, FetchResult } from "../api.js";

export function onceCursor(action: () => Promise<string> | string): Cursor {
  let done = false;
  return {
    fetch: async (): Promise<FetchResult> => {
      if (done) return { rows: [] };
      done = true;
      return { rows: [], commandTag: await action() };
    },
    close: () => { done = true; },
  };
}
