/**
 * The context one statement of a session runs with, as a class: every statement makes one,
 * so it must be cheap to make and fast to read.
 *
 * Its abort signal is made on first use (most statements never look at it), so `signal` is a
 * getter. It stays an own, enumerable property, as an object literal's getter is, because
 * callers copy contexts with spread (`{ ...ctx, transaction }`), which copies own properties
 * only. It is defined with one shared descriptor: an object literal with a getter makes a new
 * accessor and a slow dictionary-mode object every time, which then slows every read of the
 * context in the engine.
 */
import { setMaxListeners } from "node:events";
import type { SqlError } from "@tessera/base";
import type { SettingOrigin } from "./setting-metadata.js";
import type {
  Cancellation, CursorInfo, PreparedStatementInfo, SessionCursors, SettingChanges,
  StatementContext, TransactionHandle,
} from "../api.js";

/**
 * A statement's abort: its AbortController, made when the signal is first asked for, and
 * plain listeners (`Cancellation`) for those who need no signal.
 */
export class StatementAbort implements Cancellation {
  private controller: AbortController | undefined;
  private listeners: (() => void)[] | undefined;
  aborted = false;

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      // A multi-shard statement listens once per task; that is not a leak.
      setMaxListeners(0, this.controller.signal);
      if (this.aborted) this.controller.abort();
    }
    return this.controller.signal;
  }

  listen(listener: () => void): () => void {
    const listeners = this.listeners ??= [];
    listeners.push(listener);
    return () => {
      const at = listeners.indexOf(listener);
      if (at >= 0) listeners.splice(at, 1);
    };
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.controller?.abort();
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }
}

/** What every statement context of one session shares: made once per session. */
export interface SessionContextShared {
  readonly setting: (name: string) => string;
  readonly settingNames: () => readonly string[];
  readonly settingOrigin: (name: string) => SettingOrigin;
  readonly preparedStatements: () => readonly PreparedStatementInfo[];
  readonly sqlCursors: () => readonly CursorInfo[];
  readonly cursors: SessionCursors;
  readonly setSetting: (name: string, value: string, local: boolean) => string;
  readonly settingChanges: SettingChanges;
  readonly notice: (notice: SqlError) => void;
  readonly random: () => number;
  readonly setSeed: (seed: number) => void;
  readonly user: string;
  readonly database: string;
  readonly backendPid: number;
  readonly transaction: TransactionHandle;
}

export class SessionStatementContext implements StatementContext {
  readonly setting: (name: string) => string;
  readonly settingNames: () => readonly string[];
  readonly settingOrigin: (name: string) => SettingOrigin;
  readonly preparedStatements: () => readonly PreparedStatementInfo[];
  readonly sqlCursors: () => readonly CursorInfo[];
  readonly cursors: SessionCursors;
  readonly setSetting: (name: string, value: string, local: boolean) => string;
  readonly settingChanges: SettingChanges;
  readonly notice: (notice: SqlError) => void;
  readonly database: string;
  readonly backendPid: number;
  declare readonly signal: AbortSignal;
  readonly cancellation: Cancellation;
  readonly transactionStartMicros: bigint;
  readonly statementStartMicros: bigint;
  readonly random: () => number;
  readonly setSeed: (seed: number) => void;
  readonly transaction: TransactionHandle;
  readonly #abort: StatementAbort;

  declare readonly user: string;
  readonly #shared: SessionContextShared;

  /** Read each time, own and enumerable as `signal`: a SECURITY DEFINER call changes it. */
  static readonly #userProperty: PropertyDescriptor = {
    get(this: SessionStatementContext): string {
      return this.#shared.user;
    },
    enumerable: true,
    configurable: false,
  };

  static readonly #signalProperty: PropertyDescriptor = {
    get(this: SessionStatementContext): AbortSignal {
      return this.#abort.signal;
    },
    enumerable: true,
    configurable: false,
  };

  constructor(shared: SessionContextShared, abort: StatementAbort,
    transactionStartMicros: bigint, statementStartMicros: bigint) {
    this.setting = shared.setting;
    this.settingNames = shared.settingNames;
    this.settingOrigin = shared.settingOrigin;
    this.preparedStatements = shared.preparedStatements;
    this.sqlCursors = shared.sqlCursors;
    this.cursors = shared.cursors;
    this.setSetting = shared.setSetting;
    this.settingChanges = shared.settingChanges;
    this.#shared = shared;
    this.notice = shared.notice;
    this.database = shared.database;
    this.backendPid = shared.backendPid;
    Object.defineProperty(this, "signal", SessionStatementContext.#signalProperty);
    Object.defineProperty(this, "user", SessionStatementContext.#userProperty);
    this.transactionStartMicros = transactionStartMicros;
    this.statementStartMicros = statementStartMicros;
    this.random = shared.random;
    this.setSeed = shared.setSeed;
    this.transaction = shared.transaction;
    this.#abort = abort;
    this.cancellation = abort;
  }
}
