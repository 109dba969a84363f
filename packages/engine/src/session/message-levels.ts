/**
 * client_min_messages: which notices reach the client. As PostgreSQL's `ereport`, a message
 * is sent when its level ranks at or above the setting; INFO is always sent, and LOG ranks
 * between DEBUG1 and NOTICE for the client.
 */
import type { SqlError } from "@tessera/base";

const ranks: Readonly<Record<string, number>> = {
  debug5: 1, debug4: 2, debug3: 3, debug2: 4, debug1: 5, debug: 5, log: 6, notice: 7,
  warning: 8, error: 9,
};

/** Whether a notice of `notice`'s severity goes to a client whose setting is `minimum`. */
export function noticeReachesClient(notice: SqlError, minimum: string): boolean {
  const severity = notice.severity.toLowerCase();
  if (severity === "info") return true;
  const level = ranks[severity] ?? ranks.notice!;
  const floor = ranks[minimum.toLowerCase()] ?? ranks.notice!;
  return level >= floor;
}
