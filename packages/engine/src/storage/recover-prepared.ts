/**
 * Recovery of prepared transactions: a PREPARE record's operations replay under the
 * transaction's own stamp, with undo (`Replayer.target`), into a rebuilt `Transaction`; a
 * later COMMIT of the same xid only forgets it (its rows are already in place, and its xid is
 * committed once nothing runs it), an ABORT undoes it. Those left at the end of the log are
 * prepared again, running under their old xids, as pg_prepared_xacts shows them.
 *
 * Utility statements (DDL) of a prepared transaction replay inside that transaction, as the
 * statements of backend 0's block: their catalog capture and row rewrites join its undo log,
 * so ROLLBACK PREPARED after a restart takes them back as it would have before, and they join
 * the catalog history only at COMMIT PREPARED. (The catalog has no MVCC: as before the
 * restart, other sessions see the DDL of a prepared transaction.)
 */
import { assert } from "@tessera/base";
import type { Xid } from "@tessera/base";
import type { TxnManager } from "../txn/manager.js";
import { stampOf } from "../txn/stamp.js";
import { Transaction, type PreparedInfo } from "../txn/transaction.js";
import { ByteReader } from "./byte-buffer.js";
import { decodeOp, OpKind } from "./redo.js";
import type { Replayer } from "./replay.js";

/** Splits a PREPARE payload (after its xid) into what pg_prepared_xacts shows and the ops. */
export function readPrepareHead(ops: Uint8Array): { info: PreparedInfo; rest: Uint8Array } {
  const input = new ByteReader(ops);
  const gid = input.string();
  const owner = input.string();
  const database = input.string();
  const preparedMicros = input.i64();
  return { info: { gid, owner, database, preparedMicros }, rest: ops.subarray(input.offset) };
}

/** The backend pid `Replayer` runs statements as. */
const replayBackendPid = 0;

export class RecoveredPrepared {
  private readonly byXid = new Map<number, Transaction>();

  /** `manager` runs a prepared transaction's DDL as backend 0's block while it replays. */
  constructor(private readonly manager: TxnManager) {}

  get size(): number {
    return this.byXid.size;
  }

  /** Replays a PREPARE record's operations into a rebuilt transaction. */
  async prepare(xid: number, info: PreparedInfo, bytes: Uint8Array, replayer: Replayer):
    Promise<void> {
    if (this.byXid.has(xid)) return;
    const txn = new Transaction(true, replayBackendPid);
    txn.xid = xid as Xid;
    txn.isolation = "read committed";
    txn.prepared = info;
    txn.nextCid = 1;
    replayer.target = { stamp: stampOf(xid as Xid, 0), undo: txn.undo };
    try {
      const input = new ByteReader(bytes);
      while (!input.done) {
        const start = input.offset;
        const op = decodeOp(input);
        txn.redo.push({ bytes: bytes.slice(start, input.offset),
          ddl: op.kind === OpKind.Utility && op.catalog });
        if (op.kind !== OpKind.Utility) {
          await replayer.apply(op);
          continue;
        }
        this.manager.attachReplay(txn);
        try {
          await replayer.apply(op);
        } finally {
          this.manager.leaveSession(txn);
        }
      }
    } finally {
      replayer.target = undefined;
    }
    this.byXid.set(xid, txn);
  }

  /** A COMMIT of `xid`: true when it was a prepared one (its rows are in place already). */
  commit(xid: number, history: Uint8Array[]): boolean {
    const txn = this.byXid.get(xid);
    if (txn === undefined) return false;
    for (const chunk of txn.redo) if (chunk.ddl) history.push(chunk.bytes);
    this.byXid.delete(xid);
    return true;
  }

  /** ROLLBACK PREPARED of `xid`: undoes its rows. */
  abort(xid: number): void {
    const txn = this.byXid.get(xid);
    if (txn === undefined) return;
    txn.undo.rollback();
    this.byXid.delete(xid);
  }

  /** The transactions still prepared at the end of the log. */
  remaining(): Transaction[] {
    const list = [...this.byXid.values()];
    for (const txn of list) assert(txn.prepared !== undefined, "recovered ones are prepared");
    return list;
  }
}
