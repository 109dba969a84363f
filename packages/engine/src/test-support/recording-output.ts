/**
 * A `SessionOutput` for unit tests that drive a `Session` directly: what the session says
 * becomes lines, rows as `a|b` (`null` for NULL), command tags and `ERROR code message`,
 * and on request `desc a,b` for row descriptions, `NOTICE message` (the severity, for
 * notices and warnings), `ready S` for ReadyForQuery and `suspended` for PortalSuspended.
 */
import type { SqlError } from "@tessera/base";
import type { SessionOutput } from "../session/output.js";

export interface RecordedKinds {
  readonly descriptions?: boolean;
  readonly notices?: boolean;
  readonly ready?: boolean;
  readonly suspended?: boolean;
}

export function recordingOutput(lines: string[], kinds: RecordedKinds = {}): SessionOutput {
  const text = new TextDecoder();
  const ignore = (): void => undefined;
  return {
    rowDescription: kinds.descriptions === true
      ? (columns) => lines.push(`desc ${columns.map((c) => c.name).join(",")}`) : ignore,
    dataRow: (cells) => lines.push(cells.map((c) => (c === null ? "null" : text.decode(c)))
      .join("|")),
    commandComplete: (tag) => lines.push(tag),
    error: (error: SqlError) => lines.push(`ERROR ${error.code} ${error.message}`),
    notice: kinds.notices === true
      ? (notice: SqlError) => lines.push(`${notice.severity ?? "NOTICE"} ${notice.message}`)
      : ignore,
    readyForQuery: kinds.ready === true ? (status) => lines.push(`ready ${status}`) : ignore,
    portalSuspended: kinds.suspended === true ? () => lines.push("suspended") : ignore,
    emptyQuery: ignore, parameterStatus: ignore, parseComplete: ignore, bindComplete: ignore,
    closeComplete: ignore, noData: ignore, parameterDescription: ignore,
    copyInResponse: ignore, copyOutResponse: ignore, copyData: ignore, copyDone: ignore,
    flush: async () => undefined,
  };
}
