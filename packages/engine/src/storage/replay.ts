/**
 * Replay: applies redo operations to an engine during recovery, from the checkpoint's
 * catalog history and rows and then from the WAL's committed transactions.
 *
 * Utility statements run through the engine as a session would run them, with the
 * search_path and user they ran with and the OID counter where it stood, so tables get back
 * their OIDs. Rows go straight into the row store and its indexes, with the frozen stamp
 * (committed for everyone), without constraint checks: they passed them when first written.
 * A delete finds a live row with the same encoded values; rows that are equal in every
 * value are interchangeable, so any one of them will do.
 *
 * A prepared transaction's rows (a PREPARE record) go in under its own stamp instead, with
 * undo, so they stay invisible until COMMIT PREPARED and ROLLBACK PREPARED can take them back:
 * `target` names that stamp and undo log while its operations replay.
 */
import { assert, type Logger } from "@tessera/base";
import type { Row, Value } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import { indexKey } from "../catalog/indexes.js";
import type { Relation } from "../catalog/relation.js";
import type { Engine } from "../engine.js";
import type { Runtime } from "../execute/runtime.js";
import { SessionSettings } from "../session/settings.js";
import { frozenXid, stampOf } from "../txn/stamp.js";
import { ByteWriter } from "./byte-buffer.js";
import { OpKind, type RedoOp, type UtilityOp } from "./redo.js";
import type { RowVersion } from "./table-store.js";
import { encodeRow } from "./value-codec.js";
import type { UndoLog } from "./undo.js";

/** Where replayed rows of a prepared transaction go: its stamp and its undo log. */
export interface ReplayTarget {
  readonly stamp: number;
  readonly undo: UndoLog;
}

const frozenStamp = stampOf(frozenXid, 0);

export class Replayer {
  private readonly live = new Map<number, Map<string, RowVersion[]>>();
  private readonly missing = new Set<number>();
  private readonly settings = new SessionSettings(() => undefined);
  private oidMax = 0;
  private rt: Runtime | undefined;
  opCount = 0;
  /** Set while a prepared transaction's operations replay. */
  target: ReplayTarget | undefined;
  failedCount = 0;

  constructor(private readonly engine: Engine, private readonly logger: Logger) {}

  async apply(op: RedoOp): Promise<void> {
    this.opCount++;
    if (op.kind === OpKind.Utility) return this.utility(op);
    const rel = this.engine.catalog.relation(op.oid);
    if (rel === undefined || (rel.kind !== "r" && rel.kind !== "m") ||
      rel.virtualRows !== undefined) {
      if (!this.missing.has(op.oid)) this.logger.warn({ oid: op.oid }, "replay: no such table");
      this.missing.add(op.oid);
      return;
    }
    if (op.kind === OpKind.Insert) this.insert(rel, op.row);
    else this.delete(rel, op.row);
  }

  /** Inserts a row (from the WAL or a checkpoint) with its index entries. */
  insert(rel: Relation, stored: Row): void {
    const row = fitRow(stored, rel.columns.length);
    const stamp = this.target?.stamp ?? frozenStamp;
    const version = rel.store.insert(row, stamp);
    this.rt ??= this.engine.runtime([], this.context("public", "postgres"));
    const indexes: { tree: typeof rel.indexes[number]["tree"]; key: Value[] }[] = [];
    for (const index of rel.indexes) {
      const key = indexKey(index, row, this.rt);
      if (key !== null) index.tree.insert(key, version);
      if (key !== null) indexes.push({ tree: index.tree, key });
    }
    this.target?.undo.record({ kind: "insert", store: rel.store, version, indexes });
    this.live.get(rel.oid)?.get(rowKey(row))?.push(version) ??
      this.live.get(rel.oid)?.set(rowKey(row), [version]);
    assert(version.xmin === stamp, "replayed rows carry their stamp");
  }

  private delete(rel: Relation, stored: Row): void {
    const row = fitRow(stored, rel.columns.length);
    let byKey = this.live.get(rel.oid);
    if (byKey === undefined) {
      byKey = new Map();
      for (const version of rel.store.versions) {
        if (version.xmin === 0 || version.xmax !== 0) continue;
        const key = rowKey(version.values);
        byKey.get(key)?.push(version) ?? byKey.set(key, [version]);
      }
      this.live.set(rel.oid, byKey);
    }
    const version = byKey.get(rowKey(row))?.pop();
    if (version === undefined) {
      this.failedCount++;
      this.logger.error({ table: rel.name }, "replay: a deleted row is not in its table");
      return;
    }
    rel.store.delete(version, this.target?.stamp ?? frozenStamp);
    this.target?.undo.record({ kind: "delete", store: rel.store, version });
  }

  private async utility(op: UtilityOp): Promise<void> {
    const catalog = this.engine.catalog;
    this.oidMax = Math.max(this.oidMax, catalog.oidNext);
    catalog.oidNext = op.oidNext;
    this.live.clear();
    const ctx = this.context(op.searchPath, op.user);
    try {
      const prepared = this.engine.prepare(op.stmt, [], ctx);
      const cursor = prepared.open([], ctx);
      try {
        await cursor.fetch(0);
      } finally {
        cursor.close();
      }
    } catch (error) {
      this.failedCount++;
      this.logger.error({ err: error, stmt: Object.keys(op.stmt)[0] },
        "replay: a logged utility statement failed");
    }
    this.oidMax = Math.max(this.oidMax, catalog.oidNext);
  }

  /** Leaves the OID counter past every OID replay handed out. */
  finish(): void {
    const catalog = this.engine.catalog;
    if (this.oidMax > catalog.oidNext) catalog.oidNext = this.oidMax;
    this.live.clear();
  }

  private context(searchPath: string, user: string): StatementContext {
    const settings = this.settings;
    return {
      setting: (name) => (name.toLowerCase() === "search_path" ? searchPath
        : safeGet(settings, name)),
      notice: () => undefined,
      user, database: "postgres", backendPid: 0, signal: new AbortController().signal,
      transactionStartMicros: 0n, statementStartMicros: 0n,
      random: () => Math.random(), setSeed: () => undefined,
    };
  }
}

/** A stored row fitted to the table's width: a checkpoint may hold rows of a wider table. */
function fitRow(row: Row, width: number): Row {
  if (row.length === width) return row;
  const fitted: Value[] = row.slice(0, width);
  while (fitted.length < width) fitted.push(null);
  return fitted;
}

function rowKey(row: Row): string {
  const out = new ByteWriter();
  encodeRow(out, row);
  return Buffer.from(out.finish()).toString("latin1");
}

function safeGet(settings: SessionSettings, name: string): string {
  try {
    return settings.get(name);
  } catch {
    return "";
  }
}
