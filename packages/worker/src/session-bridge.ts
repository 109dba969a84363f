/**
 * Joins the wire to the engine: a protocol `BackendSession` whose messages drive an engine
 * `Session`, and a `SessionOutput` whose events become backend messages. The bridge holds no
 * state of its own beyond the two ends; the order of messages is the protocol's guarantee.
 */
import { SqlError, SqlState } from "@tessera/base";
import { Session, type QueryEngine, type SessionOutput } from "@tessera/engine";
import {
  errorResponse,
  type BackendSession,
  type FrontendMessage,
  type MessageSink,
  type FormatCode,
} from "@tessera/protocol";

export interface SessionStart {
  readonly user: string;
  readonly database: string;
  readonly processId: number;
  readonly parameters: Readonly<Record<string, string>>;
}

/** Opens an engine session for a freshly authenticated connection. */
export function openBridgedSession(
  engine: QueryEngine,
  start: SessionStart,
  sink: MessageSink,
  registry: SessionRegistry,
): BackendSession {
  const output = outputTo(sink);
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(start.parameters)) {
    if (name !== "user" && name !== "database") parameters[name] = value;
  }
  const session = new Session({
    engine,
    output,
    user: start.user,
    database: start.database,
    backendPid: start.processId,
    parameters,
  });
  session.start();
  registry.add(start.processId, session);
  return {
    handle: (message) => dispatch(session, message),
    cancel: () => session.cancel(),
    close: () => {
      registry.remove(start.processId);
      session.terminate();
      engine.dropSessionObjects?.(start.processId);
    },
  };
}

/** The live sessions of one daemon by backend pid, for pg_cancel_backend and shutdown. */
export class SessionRegistry {
  private readonly sessions = new Map<number, Session>();
  add(pid: number, session: Session): void {
    this.sessions.set(pid, session);
  }
  remove(pid: number): void {
    this.sessions.delete(pid);
  }
  cancel(pid: number): boolean {
    const session = this.sessions.get(pid);
    session?.cancel();
    return session !== undefined;
  }
  get size(): number {
    return this.sessions.size;
  }
}

async function dispatch(session: Session, message: FrontendMessage): Promise<void> {
  switch (message.type) {
    case "query":
      return session.simpleQuery(message.sql);
    case "parse":
      return session.parse(message.name, message.sql, message.paramTypes);
    case "bind":
      return session.bind(
        message.portal,
        message.statement,
        message.paramFormats,
        message.params,
        message.resultFormats,
      );
    case "describe":
      return session.describe(message.kind, message.name);
    case "execute":
      return session.execute(message.portal, message.maxRows);
    case "close":
      return session.close(message.kind, message.name);
    case "flush":
      return session.output.flush();
    case "sync":
      return session.sync();
    case "copyData":
      return session.copyData(message.data);
    case "copyDone":
      return session.copyDone();
    case "copyFail":
      return session.copyFail(message.message);
    case "functionCall":
      session.output.error(
        new SqlError(
          SqlState.featureNotSupported,
          "the fastpath function call protocol is not supported",
        ),
      );
      session.output.readyForQuery(session.block.status);
      return session.output.flush();
    case "terminate":
      return;
  }
}

function formatCodes(formats: readonly number[]): FormatCode[] {
  return formats.map((f) => (f === 1 ? 1 : 0));
}

/** Turns session events into backend messages on the connection's sink. */
function outputTo(sink: MessageSink): SessionOutput {
  return {
    rowDescription: (columns, formats) =>
      sink.send({
        type: "rowDescription",
        fields: columns.map((c, i) => ({ ...c, format: formats[i] === 1 ? 1 : 0 })),
      }),
    dataRow: (cells) => sink.send({ type: "dataRow", cells }),
    commandComplete: (tag) => sink.send({ type: "commandComplete", tag }),
    emptyQuery: () => sink.send({ type: "emptyQueryResponse" }),
    error: (error) => sink.send(errorResponse(error)),
    notice: (notice) => {
      const severity = notice.severity === "ERROR" ? "NOTICE" : notice.severity;
      const message = errorResponse(notice, severity);
      if (message.type === "errorResponse") {
        sink.send({ type: "noticeResponse", fields: message.fields });
      }
    },
    readyForQuery: (status) => sink.send({ type: "readyForQuery", status }),
    parameterStatus: (name, value) => sink.send({ type: "parameterStatus", name, value }),
    parseComplete: () => sink.send({ type: "parseComplete" }),
    bindComplete: () => sink.send({ type: "bindComplete" }),
    closeComplete: () => sink.send({ type: "closeComplete" }),
    noData: () => sink.send({ type: "noData" }),
    parameterDescription: (typeOids) => sink.send({ type: "parameterDescription", typeOids }),
    portalSuspended: () => sink.send({ type: "portalSuspended" }),
    copyInResponse: (format, columnFormats) =>
      sink.send({
        type: "copyInResponse",
        format: format === 1 ? 1 : 0,
        columnFormats: formatCodes(columnFormats),
      }),
    copyOutResponse: (format, columnFormats) =>
      sink.send({
        type: "copyOutResponse",
        format: format === 1 ? 1 : 0,
        columnFormats: formatCodes(columnFormats),
      }),
    copyData: (data) => sink.send({ type: "copyData", data }),
    copyDone: () => sink.send({ type: "copyDone" }),
    flush: () => sink.flush(),
  };
}
