/**
 * The CHECKPOINT statement: writes a checkpoint now (or joins the one running), as Postgres's
 * does, and answers once it is on disk. An engine without a data directory has nothing to
 * write and answers at once. The checkpoint encodes rows while its file is written, so other
 * sessions keep running (`checkpoint-image.ts`).
 */
import type { Cursor, FetchResult, PreparedStatement } from "../api.js";

/** What the statement needs of the engine. */
export interface Checkpointer {
  checkpoint(): Promise<void>;
}

export function prepareCheckpoint(engine: Checkpointer): PreparedStatement {
  return { paramTypes: [], columns: null, open: (): Cursor => checkpointCursor(engine) };
}

function checkpointCursor(engine: Checkpointer): Cursor {
  let done = false;
  return {
    fetch: async (): Promise<FetchResult> => {
      if (done) return { rows: [] };
      done = true;
      await engine.checkpoint();
      return { rows: [], commandTag: "CHECKPOINT" };
    },
    close: () => { done = true; },
  };
}
