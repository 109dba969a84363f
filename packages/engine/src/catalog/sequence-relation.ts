/**
 * A sequence read as a relation (`select last_value, is_called from s`): one row of
 * last_value, log_cnt and is_called, computed from the sequence when a scan starts, as
 * Postgres's single-row sequence relation holds them.
 */
import type { Row } from "@tessera/sql";
import { TableStore } from "../storage/table-store.js";
import type { Column, Relation, Sequence } from "./relation.js";
import { Oid } from "./types.js";

const relations = new WeakMap<Sequence, Relation>();

/** Returns the relation of a sequence (the same object for the same sequence). */
export function sequenceRelation(seq: Sequence): Relation {
  const cached = relations.get(seq);
  if (cached !== undefined) return cached;
  const column = (name: string, type: number): Column => ({ name, type, typmod: -1,
    notNull: true, defaultExpr: null, identity: null, generated: null, dropped: false });
  const relation: Relation = {
    oid: seq.oid, kind: "S", schema: seq.schema, name: seq.name,
    columns: [column("last_value", Oid.int8), column("log_cnt", Oid.int8),
      column("is_called", Oid.bool)],
    store: new TableStore(), indexes: [], checks: [], foreignKeys: [], viewQuery: null,
    version: 0, virtualRows: () => [sequenceRow(seq)],
  };
  relations.set(seq, relation);
  return relation;
}

function sequenceRow(seq: Sequence): Row {
  if (seq.restartAt !== null) return [seq.restartAt, 0n, false];
  return [seq.last ?? seq.start, BigInt(seq.logCount ?? 0), seq.last !== null];
}
