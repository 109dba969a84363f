/**
 * The daemon's LISTEN/NOTIFY hub: which sessions of this process listen on which channel,
 * and the SQL functions pg_notify() and pg_listening_channels().
 *
 * Postgres passes notifications through a shared queue in its SLRU files; within one Tessera
 * process a committed transaction hands its notifications straight to the listening
 * sessions, which send them to their clients or keep them until their own transaction ends
 * (the engine's `session/notifications.ts`). Like Postgres (and Citus, where they work on the
 * node the client is connected to), notifications never leave the node: a coordinator does
 * not pass them to its workers.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Notification, NotificationHub, NotificationListener, Session }
  from "@tessera/engine";
import { TypeOid, type EvalContext, type FunctionDef, type Value } from "@tessera/sql";

export class NotifyHub implements NotificationHub {
  private readonly channels = new Map<string, Set<NotificationListener>>();

  listen(listener: NotificationListener, channel: string): void {
    let listeners = this.channels.get(channel);
    if (listeners === undefined) {
      listeners = new Set();
      this.channels.set(channel, listeners);
    }
    listeners.add(listener);
  }

  unlisten(listener: NotificationListener, channel: string): void {
    const listeners = this.channels.get(channel);
    if (listeners === undefined) return;
    listeners.delete(listener);
    if (listeners.size === 0) this.channels.delete(channel);
  }

  publish(notifications: readonly Notification[]): void {
    for (const notification of notifications) {
      const listeners = this.channels.get(notification.channel);
      if (listeners === undefined) continue;
      // A copy: a listener's delivery never changes the set, but stay safe against it.
      for (const listener of [...listeners]) listener.receive(notification);
    }
  }
}

/** Finds a live session of this daemon by backend pid. */
export type SessionOf = (pid: number) => Session | undefined;

/** pg_notify(channel, payload) and pg_listening_channels(), acting on the calling session. */
export function notifyFunctions(sessionOf: SessionOf): FunctionDef[] {
  const sessionCalling = (ctx: EvalContext): Session => {
    const session = sessionOf(ctx.backendPid ?? 0);
    if (session === undefined) {
      throw new SqlError(SqlState.featureNotSupported,
        "pg_notify() is not supported outside a client session");
    }
    return session;
  };
  return [{
    kind: "scalar", name: "pg_notify", argTypes: [TypeOid.text, TypeOid.text],
    returnType: TypeOid.void, volatility: "v", strict: false,
    impl: (args: Value[], ctx: EvalContext) => {
      // Not strict: a null channel or payload counts as empty, as in Postgres. A void
      // result is an empty value, not NULL.
      sessionCalling(ctx).notifications.notify(textOrEmpty(args[0]), textOrEmpty(args[1]));
      return "";
    },
  }, {
    kind: "srf", name: "pg_listening_channels", argTypes: [], returnType: TypeOid.text,
    volatility: "s", strict: true,
    impl: (_args: Value[], ctx: EvalContext) =>
      sessionOf(ctx.backendPid ?? 0)?.notificationsIfUsed?.channels() ?? [],
  }];
}

function textOrEmpty(value: Value | undefined): string {
  return typeof value === "string" ? value : "";
}
