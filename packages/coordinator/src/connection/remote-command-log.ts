/**
 * citus.log_remote_commands: every command sent to a node is shown to the client as the
 * NOTICE Citus prints (`issuing <sql>`, DETAIL `on server user@host:port connectionId: N`)
 * and written to the coordinator's log as a pino "remote command" line.
 */
import { SqlError, SqlState, type Logger } from "@tessera/base";
import type { StatementContext } from "@tessera/engine";

let processLogger: Logger | undefined;

/** The coordinator's logger, for the log lines (set once at start-up). */
export function setRemoteCommandLogger(logger: Logger): void {
  processLogger = logger;
}

export function logRemoteCommand(ctx: StatementContext, user: string,
  node: { readonly host: string; readonly port: number }, connectionId: number | string,
  sql: string): void {
  const { host, port } = node;
  ctx.notice(new SqlError(SqlState.successfulCompletion, `issuing ${sql}`, {
    severity: "NOTICE",
    detail: `on server ${user}@${host}:${port} connectionId: ${connectionId}`,
  }));
  processLogger?.info({ node: `${host}:${port}`, connectionId, pid: ctx.backendPid,
    command: sql }, "remote command");
}
