/**
 * A tiny `BackendSession` for the protocol's tests: it answers every query with one row that
 * echoes the query text (or the first Bind parameter), and knows a few magic queries:
 *
 *     sleep        waits until cancelled, then fails with 57014
 *     rows N       returns N rows, flushing every 1,000
 *     notice       sends a NoticeResponse with every field, then one row
 *     fatal        throws a FATAL SqlError, which ends the connection
 *     (empty)      EmptyQueryResponse
 *
 * It is no SQL engine and no mock of one: it only gives real clients something to talk to.
 */
import { SqlError, SqlState, type Logger } from "@tessera/base";
import type { FieldDescription } from "../backend.js";
import type { FrontendMessage } from "../frontend.js";
import type { BackendSession, MessageSink, StartupInfo } from "../session-handler.js";
import type { ProtocolServerOptions } from "../server.js";
import type { AuthConfig } from "../auth/authenticate.js";

const textOid = 25;
const echoField: FieldDescription = { name: "echo", tableOid: 0, columnNumber: 0,
  typeOid: textOid, typeSize: -1, typeModifier: -1, format: 0 };

export class EchoSession implements BackendSession {
  closed = false;
  cancelled = 0;
  /** Rows produced so far, to watch a result wait for a slow client. */
  rowsProduced = 0;
  readonly received: FrontendMessage[] = [];
  private readonly statements = new Map<string, string>();
  private readonly portals = new Map<string, string>();
  private wakeSleeper: (() => void) | undefined;
  private failed = false;

  constructor(readonly startup: StartupInfo, private readonly sink: MessageSink) {}

  async handle(message: FrontendMessage, sink: MessageSink): Promise<void> {
    this.received.push(message);
    if (sink !== this.sink) throw new Error("handle() gets the sink openSession got");
    if (this.failed && message.type !== "sync") return;
    switch (message.type) {
      case "query":
        await this.query(message.sql, sink);
        sink.send({ type: "readyForQuery", status: "I" });
        return;
      case "parse":
        this.statements.set(message.name, message.sql);
        sink.send({ type: "parseComplete" });
        return;
      case "bind": {
        const first = message.params[0];
        const text = first === undefined || first === null ? null : Buffer.from(first).toString();
        this.portals.set(message.portal, text ?? this.statements.get(message.statement) ?? "");
        sink.send({ type: "bindComplete" });
        return;
      }
      case "describe":
        if (message.kind === "S") sink.send({ type: "parameterDescription", typeOids: [] });
        sink.send({ type: "rowDescription", fields: [echoField] });
        return;
      case "execute":
        this.row(this.portals.get(message.portal) ?? "", sink);
        sink.send({ type: "commandComplete", tag: "SELECT 1" });
        return;
      case "close":
        sink.send({ type: "closeComplete" });
        return;
      case "sync":
        this.failed = false;
        sink.send({ type: "readyForQuery", status: "I" });
        return;
      case "flush":
        await sink.flush();
        return;
      default:
        this.failed = true;
        sink.send({ type: "errorResponse", fields: { severity: "ERROR",
          code: SqlState.featureNotSupported, message: `${message.type} is not supported` } });
    }
  }

  cancel(): void {
    this.cancelled += 1;
    this.wakeSleeper?.();
  }

  close(): void {
    this.closed = true;
    this.wakeSleeper?.();
  }

  private async query(sql: string, sink: MessageSink): Promise<void> {
    if (sql === "") {
      sink.send({ type: "emptyQueryResponse" });
      return;
    }
    if (sql === "fatal") {
      throw new SqlError(SqlState.adminShutdown, "told to die", { severity: "FATAL" });
    }
    if (sql === "sleep") {
      await sink.flush();
      await new Promise<void>((resolve) => {
        this.wakeSleeper = resolve;
        setTimeout(resolve, 10_000).unref();
      });
      sink.send({ type: "errorResponse", fields: { severity: "ERROR",
        code: SqlState.queryCanceled, message: "canceling statement due to user request" } });
      return;
    }
    // "rows N" sends N rows, flushing every 1000 ("rows N flush K": every K).
    const rows = /^rows (\d+)(?: flush (\d+))?$/.exec(sql);
    const count = rows?.[1] === undefined ? 1 : Number(rows[1]);
    const flushEvery = rows?.[2] === undefined ? 1000 : Number(rows[2]);
    if (sql === "notice") sink.send({ type: "noticeResponse", fields: noticeFields });
    sink.send({ type: "rowDescription", fields: [echoField] });
    for (let i = 0; i < count; i++) {
      this.row(rows === null ? sql : String(i), sink);
      this.rowsProduced += 1;
      if (i % flushEvery === flushEvery - 1) await sink.flush();
    }
    sink.send({ type: "commandComplete", tag: `SELECT ${count}` });
  }

  private row(text: string, sink: MessageSink): void {
    sink.send({ type: "dataRow", cells: [Buffer.from(text, "utf8")] });
  }
}

const noticeFields = {
  severity: "NOTICE", code: "01000", message: "a notice", detail: "Detail.", hint: "Hint.",
  position: 3, internalPosition: 4, internalQuery: "select 2", where: "somewhere",
  schema: "public", table: "t", column: "c", dataType: "int4", constraint: "t_pkey",
  file: "echo.ts", line: 42, routine: "echo",
} as const;

/** Returns server options around EchoSessions; `sessions` collects every session opened. */
export function echoServerOptions(logger: Logger, auth: AuthConfig, sessions: EchoSession[],
  extra: Partial<ProtocolServerOptions> = {}): ProtocolServerOptions {
  return {
    host: "127.0.0.1",
    port: 0,
    auth,
    connectionCountMax: 20,
    logger,
    serverParameters: () => ({ server_version: "15.0", client_encoding: "UTF8",
      DateStyle: "ISO, MDY", integer_datetimes: "on", standard_conforming_strings: "on" }),
    openSession: (startup, sink) => {
      const session = new EchoSession(startup, sink);
      sessions.push(session);
      return session;
    },
    ...extra,
  };
}
