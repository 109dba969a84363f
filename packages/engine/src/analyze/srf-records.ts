/**
 * Record-returning set functions in a select list: `SELECT json_each(j)` yields one record per
 * row, and `(json_each(j)).key` or `(information_schema._pg_expandarray(indkey)).n` select
 * its fields. In FROM the same functions give their columns directly (`from-rows.ts`); here
 * each row of output columns becomes a record whose typmod names its shape (`whole-row.ts`).
 */
import type { PgRecord, Value } from "@tessera/sql";
import { Oid } from "../catalog/types.js";
import type { Expr } from "./expr.js";
import type { SrfCall } from "./scope.js";
import { recordTypmod } from "./whole-row.js";

type OutColumns = readonly { readonly name: string; readonly type: number }[];

/** The type and typmod a select-list reference to the SRF has. */
export function srfResultType(returnType: number, out: OutColumns | undefined):
  { type: number; typmod: number } {
  if (out === undefined) return { type: returnType, typmod: -1 };
  // One OUT column and a non-record result (pg_partition_ancestors): the column's own type.
  if (out.length === 1 && returnType !== Oid.record) return { type: returnType, typmod: -1 };
  return { type: Oid.record,
    typmod: recordTypmod(out.map((c) => ({ name: c.name, type: c.type, typmod: -1 }))) };
}

/** The call a select list runs for the SRF: rows of output columns become records. */
export function srfTargetCall(srf: SrfCall): Expr {
  const out = srf.outColumns;
  const call = srf.call;
  if (out === null || call.kind !== "call") return call;
  // A scalar function with one named OUT column yields plain values (`from-function.ts`).
  if (out.length === 1 && srf.type !== Oid.record) return call;
  const types = out.map((c) => c.type);
  const names = out.map((c) => c.name);
  const impl = call.impl;
  return { ...call, impl: (values, ctx) => {
    const rows = impl(values, ctx) as unknown as Iterable<Value[]> | null;
    if (rows === null) return null;
    return asRecords(rows, types, names) as unknown as Value;
  } };
}

function* asRecords(rows: Iterable<Value[]>, types: readonly number[],
  names: readonly string[]): Generator<PgRecord> {
  for (const fields of rows) yield { kind: "record", fields, types, names };
}
