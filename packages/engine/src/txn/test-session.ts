/**
 * A real `Session` for the transaction tests that answers with lines: rows as `a|b`, command
 * tags, `ERROR code message`, warnings and notices, and `ready E`/`ready T` when the session is
 * not idle afterwards. Unlike `TestClient`, it runs every statement (PREPARE TRANSACTION,
 * COMMIT PREPARED …) exactly as the protocol server would.
 */
import type { SqlError } from "@tessera/base";
import type { Engine } from "../engine.js";
import type { SessionOutput } from "../session/output.js";
import { Session } from "../session/session.js";

/** A session that answers with lines: rows `a|b`, tags, `ERROR code message`, warnings. */
export function lineClient(engine: Engine, pid: number): (sql: string) => Promise<string[]> {
  const lines: string[] = [];
  const text = new TextDecoder();
  const ignore = (): void => undefined;
  const output: SessionOutput = {
    rowDescription: ignore,
    dataRow: (cells) => lines.push(cells.map((c) => (c === null ? "null" : text.decode(c)))
      .join("|")),
    commandComplete: (tag) => lines.push(tag),
    error: (error: SqlError) => lines.push(`ERROR ${error.code} ${error.message}`),
    notice: (notice: SqlError) => lines.push(`${notice.severity ?? "NOTICE"} ${notice.message}`),
    readyForQuery: (status) => { if (status !== "I") lines.push(`ready ${status}`); },
    emptyQuery: ignore, parameterStatus: ignore, parseComplete: ignore, bindComplete: ignore,
    closeComplete: ignore, noData: ignore, parameterDescription: ignore, portalSuspended: ignore,
    copyInResponse: ignore, copyOutResponse: ignore, copyData: ignore, copyDone: ignore,
    flush: async () => undefined,
  };
  const session = new Session({ engine, output, user: "postgres", database: "postgres",
    backendPid: pid, parameters: {} });
  session.start();
  return async (sql) => {
    lines.length = 0;
    await session.simpleQuery(sql);
    return lines.slice();
  };
}

