/**
 * pg_aggregate's rows for the aggregates of CREATE AGGREGATE (`user-aggregates.ts`), in
 * PostgreSQL 15's columns: the support functions as regproc (0, printed `-`, where absent),
 * the state type, INITCOND as text. Built-in aggregates have no rows yet.
 */
import type { Row } from "@tessera/sql";
import { procOidByName } from "./system-catalogs/pg-proc.js";
import { liveSqlFunction } from "./sql-functions.js";
import { liveUserAggregates, type AggSupportFunction } from "./user-aggregates.js";

const regproc = 24;
const oid = 26;
const bool = 16;
const char = 18;
const int2 = 21;
const int4 = 23;
const text = 25;

/** pg_aggregate's columns, as PostgreSQL 15 has them. */
export const pgAggregateColumns: readonly (readonly [string, number])[] = [
  ["aggfnoid", regproc], ["aggkind", char], ["aggnumdirectargs", int2],
  ["aggtransfn", regproc], ["aggfinalfn", regproc], ["aggcombinefn", regproc],
  ["aggserialfn", regproc], ["aggdeserialfn", regproc], ["aggmtransfn", regproc],
  ["aggminvtransfn", regproc], ["aggmfinalfn", regproc], ["aggfinalextra", bool],
  ["aggmfinalextra", bool], ["aggfinalmodify", char], ["aggmfinalmodify", char],
  ["aggsortop", oid], ["aggtranstype", oid], ["aggtransspace", int4], ["aggmtranstype", oid],
  ["aggmtransspace", int4], ["agginitval", text], ["aggminitval", text],
];

function procOid(fn: AggSupportFunction | undefined): number {
  if (fn === undefined) return 0;
  return fn.oid !== 0 ? fn.oid : procOidByName(fn.name) ?? 0;
}

/** One row per live user aggregate. */
export function userAggregateRows(): Row[] {
  // DROP SCHEMA … CASCADE drops an aggregate's pg_proc row: its pg_aggregate row goes too.
  return liveUserAggregates().filter((agg) => liveSqlFunction(agg.oid) !== undefined)
    .map((agg): Row => [agg.oid, "n", 0, procOid(agg.transition),
    procOid(agg.final), procOid(agg.combine), 0, 0, 0, 0, 0, agg.finalExtra, false,
    agg.finalModify, "r", 0, agg.stateType, agg.stateSpace, 0, 0, agg.initText, null]);
}
