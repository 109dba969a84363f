/**
 * Joins the wire to the engine: a protocol `BackendSession` whose messages drive an engine
 * `Session`, and a `SessionOutput` whose events become backend messages. The bridge holds no
 * state of its own beyond the two ends; the order of messages is the protocol's guarantee.
 */
import { SqlError, SqlState, type Logger } from "@tessera/base";
import { Session, parseDurationMs, type ColumnInfo, type NotificationDelivery,
  type NotificationHub, type QueryEngine, type SessionOutput } from "@tessera/engine";
import {
  errorResponse,
  type BackendMessage,
  type BackendSession,
  type FrontendMessage,
  type MessageSink,
  type FormatCode,
} from "@tessera/protocol";
import { commandOfTag, type DaemonMetrics, type StatementKind, type StatementKindSource }
  from "./metrics.js";
import { IdleInTransactionTimer } from "./idle-timeout.js";
import type { BackendActivities, BackendActivity } from "./backend-activity.js";

export interface SessionStart {
  readonly user: string;
  readonly database: string;
  readonly processId: number;
  readonly parameters: Readonly<Record<string, string>>;
  /** The client's address, for pg_stat_activity.client_addr ("" for a Unix socket). */
  readonly remoteAddress?: string;
  /** The client's port and the server's address and port (TCP), for inet_client_port(). */
  readonly remotePort?: number;
  readonly localAddress?: string;
  readonly localPort?: number;
  /** Whether the connection runs over TLS, for pg_stat_ssl. */
  readonly tls?: boolean;
}

/** What every session of a daemon shares. */
export interface BridgeContext {
  readonly engine: QueryEngine;
  readonly registry: SessionRegistry;
  readonly metrics: DaemonMetrics;
  readonly logger: Logger;
  /** The coordinator's executor, naming statements that ran as tasks; without it all "local". */
  readonly statementKinds?: StatementKindSource;
  /** Ends a session's connection with its own FATAL (idle_in_transaction_session_timeout). */
  readonly terminate?: (processId: number, error: SqlError) => void;
  /** What each session is doing, for pg_stat_activity (`backend-activity.ts`). */
  readonly activities?: BackendActivities;
  /** The daemon's LISTEN/NOTIFY hub (`notify-hub.ts`); without it LISTEN is refused. */
  readonly notifications?: NotificationHub;
}

/** Opens an engine session for a freshly authenticated connection. */
export function openBridgedSession(
  context: BridgeContext,
  start: SessionStart,
  sink: MessageSink,
): BackendSession {
  const log = context.logger.child({ pid: start.processId });
  const clock = new StatementClock();
  const idle = new IdleInTransactionTimer(() => idleTimeoutMs(clock.session),
    (error) => context.terminate?.(start.processId, error));
  let activity: BackendActivity | undefined;
  const output = watchActivity(watchIdle(observed(outputTo(sink), context, clock, log,
    start.processId), idle), (status) => {
    // Notifications received during the transaction go out before its ReadyForQuery.
    session.notificationsIfUsed?.beforeReady(status);
    activity?.ready(status);
  });
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(start.parameters)) {
    if (name !== "user" && name !== "database") parameters[name] = value;
  }
  const session = new Session({
    engine: context.engine,
    output,
    user: start.user,
    database: start.database,
    backendPid: start.processId,
    parameters,
    ...(context.notifications !== undefined &&
      { notifications: { hub: context.notifications, delivery: notificationsTo(sink) } }),
  });
  clock.session = session;
  activity = context.activities?.open({ pid: start.processId, user: start.user,
    database: start.database, remoteAddress: start.remoteAddress ?? "",
    ...(start.remotePort !== undefined && { remotePort: start.remotePort }),
    ...(start.localAddress !== undefined && { localAddress: start.localAddress }),
    ...(start.localPort !== undefined && { localPort: start.localPort }),
    applicationName: () => session.settings.find("application_name") ?? null,
    tls: start.tls === true });
  session.start();
  context.registry.add(start.processId, session);
  context.metrics.connections.inc();
  log.info({ user: start.user, database: start.database }, "connection authorized");
  return {
    handle: (message) => {
      idle.stop();
      session.notificationsIfUsed?.busy();
      clock.arrived(message);
      activity?.arrived(message);
      return dispatch(session, message);
    },
    cancel: () => session.cancel(),
    close: () => {
      idle.stop();
      context.registry.remove(start.processId);
      context.activities?.close(start.processId);
      context.metrics.connections.dec();
      session.terminate();
      context.engine.dropSessionObjects?.(start.processId);
      log.info("disconnection");
    },
  };
}

/** Sends what a session receives from LISTEN as NotificationResponse messages. */
function notificationsTo(sink: MessageSink): NotificationDelivery {
  return {
    send: (n) => sink.send({ type: "notificationResponse", processId: n.processId,
      channel: n.channel, payload: n.payload }),
    flush: () => void sink.flush(),
  };
}

/** Restarts the idle-in-transaction clock at every ReadyForQuery. */
function watchIdle(output: SessionOutput, idle: IdleInTransactionTimer): SessionOutput {
  return {
    ...output,
    readyForQuery: (status) => {
      output.readyForQuery(status);
      idle.ready(status);
    },
  };
}

/** Tells the session's activity of every ReadyForQuery. */
function watchActivity(output: SessionOutput,
  ready: (status: "I" | "T" | "E") => void): SessionOutput {
  return {
    ...output,
    readyForQuery: (status) => {
      ready(status);
      output.readyForQuery(status);
    },
  };
}


function idleTimeoutMs(session: Session | undefined): number {
  return parseDurationMs(session?.settings.find("idle_in_transaction_session_timeout") ?? "0");
}

/** Times statements from their first message to ReadyForQuery, for metrics and the log. */
class StatementClock {
  session: Session | undefined;
  private startedMs: number | undefined;
  private text = "";

  arrived(message: FrontendMessage): void {
    if (message.type === "query") this.text = message.sql;
    else if (message.type === "parse") this.text = message.sql;
    else if (message.type !== "bind" && message.type !== "execute") return;
    this.startedMs ??= performance.now();
  }

  /** Ends the current statement; returns its duration and text, or undefined if none ran. */
  finish(): { ms: number; text: string } | undefined {
    if (this.startedMs === undefined) return undefined;
    const ms = performance.now() - this.startedMs;
    this.startedMs = undefined;
    return { ms, text: this.text };
  }
}

/** Wraps an output so completions, errors and ReadyForQuery feed metrics and the log. */
function observed(output: SessionOutput, context: BridgeContext, clock: StatementClock,
  log: Logger, pid: number): SessionOutput {
  const { metrics, statementKinds: source } = context;
  const series = new SessionSeries(metrics);
  // The most distributed kind among the statements since the last ReadyForQuery.
  let cycleKind = KindRank.local;
  const slowLog = new SlowStatementThreshold(clock);
  return {
    ...output,
    commandComplete: (tag) => {
      const kind = source === undefined ? KindRank.local : rankOf(source.take(pid));
      if (kind > cycleKind) cycleKind = kind;
      series.completed(tag, kind);
      output.commandComplete(tag);
    },
    error: (error) => {
      metrics.errors.inc({ sqlstate: error.code });
      output.error(error);
    },
    readyForQuery: (status) => {
      // A failed statement's tasks still say how its time was spent.
      const failed = source === undefined ? KindRank.local : rankOf(source.take(pid));
      const kind = failed > cycleKind ? failed : cycleKind;
      cycleKind = KindRank.local;
      const done = clock.finish();
      if (done !== undefined) {
        series.seconds(kind).observe(done.ms / 1000);
        const threshold = slowLog.ms();
        if (threshold >= 0 && done.ms >= threshold) {
          log.info({ durationMs: Number(done.ms.toFixed(3)), statement: done.text }, "statement");
        }
      }
      output.readyForQuery(status);
    },
  };
}

const enum KindRank { local = 0, router = 1, multiShard = 2 }
const kindNames: readonly StatementKind[] = ["local", "router", "multi-shard"];

function rankOf(kind: StatementKind | undefined): KindRank {
  if (kind === "router") return KindRank.router;
  return kind === "multi-shard" ? KindRank.multiShard : KindRank.local;
}

/**
 * One session's metric series. Label lookups hash their labels, so each (command, kind) and
 * each kind's histogram is resolved once per session, not per statement.
 */
class SessionSeries {
  private readonly histograms: ({ observe(seconds: number): void } | undefined)[] = [];
  private readonly counters = kindNames.map(() => new Map<string, { inc(): void }>());
  // The last tag's counter: a session mostly repeats one statement ("SELECT 1").
  private lastTag = "";
  private lastKind = KindRank.local;
  private lastCounter: { inc(): void } | undefined;

  constructor(private readonly metrics: DaemonMetrics) {}

  completed(tag: string, kind: KindRank): void {
    let counter = tag === this.lastTag && kind === this.lastKind ? this.lastCounter : undefined;
    if (counter === undefined) {
      const command = commandOfTag(tag);
      const byCommand = this.counters[kind]!;
      counter = byCommand.get(command);
      if (counter === undefined) {
        counter = this.metrics.statementCount(command, kindNames[kind]!);
        byCommand.set(command, counter);
      }
      this.lastTag = tag;
      this.lastKind = kind;
      this.lastCounter = counter;
    }
    counter.inc();
  }

  seconds(kind: KindRank): { observe(seconds: number): void } {
    return this.histograms[kind] ??= this.metrics.statementLatency(kindNames[kind]!);
  }
}

/** log_min_duration_statement in ms (-1: off), read again only after a setting changed. */
class SlowStatementThreshold {
  private version = -1;
  private threshold = -1;

  constructor(private readonly clock: StatementClock) {}

  ms(): number {
    const settings = this.clock.session?.settings;
    if (settings === undefined) return -1;
    if (settings.version !== this.version) {
      this.threshold = Number(settings.find("log_min_duration_statement") ?? -1);
      this.version = settings.version;
    }
    return this.threshold;
  }
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
  get(pid: number): Session | undefined {
    return this.sessions.get(pid);
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

/** Hands one message to the session; a wait comes back only from work that may suspend. */
function dispatch(session: Session, message: FrontendMessage): Promise<void> | void {
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

type RowDescriptionMessage = Extract<BackendMessage, { type: "rowDescription" }>;

/**
 * The RowDescription of the last columns and formats described: a prepared statement's
 * columns are one array for its life, so a session describing it again and again (Describe
 * before every Execute) reuses one message instead of building it per query.
 */
class RowDescriptions {
  private columns: readonly ColumnInfo[] | undefined;
  private formats: readonly number[] = [];
  private message: RowDescriptionMessage | undefined;

  of(columns: readonly ColumnInfo[], formats: readonly number[]): RowDescriptionMessage {
    if (this.message !== undefined && columns === this.columns &&
      sameCodes(formats, this.formats)) {
      return this.message;
    }
    const message: RowDescriptionMessage = {
      type: "rowDescription",
      fields: columns.map((c, i) => ({
        name: c.name, tableOid: c.tableOid, columnNumber: c.columnNumber, typeOid: c.typeOid,
        typeSize: c.typeSize, typeModifier: c.typeModifier, format: formats[i] === 1 ? 1 : 0,
      })),
    };
    this.columns = columns;
    this.formats = formats.slice();
    this.message = message;
    return message;
  }
}

function sameCodes(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Turns session events into backend messages on the connection's sink. */
function outputTo(sink: MessageSink): SessionOutput {
  const descriptions = new RowDescriptions();
  return {
    rowDescription: (columns, formats) => sink.send(descriptions.of(columns, formats)),
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
