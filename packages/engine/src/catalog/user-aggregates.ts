/**
 * The aggregates of one database (CREATE AGGREGATE): PostgreSQL's pg_aggregate rows. Each
 * aggregate is also a pg_proc row, kept among the SQL functions (`sql-functions.ts`, with
 * `aggregate` set), so regprocedure, \df, \da, ownership and DROP SCHEMA see it as
 * PostgreSQL's do; this store holds what pg_aggregate adds: the state, final and combine
 * functions, the state type and the initial condition.
 *
 * A support function is kept by name and the argument types it was found with, and is
 * looked up again by each call's analysis (`analyze/user-aggregate-call.ts`), so a built-in
 * and a SQL or PL/pgSQL function are called the same way.
 */
import type { Catalog } from "./catalog.js";
import { liveSqlFunction, type SqlFunction } from "./sql-functions.js";

/** One support function of an aggregate, as CREATE AGGREGATE found it. */
export interface AggSupportFunction {
  /** The function's schema; pg_catalog for a built-in. */
  readonly schema: string;
  readonly name: string;
  /** Its OID (pg_proc), for pg_aggregate; 0 when the built-in has none. */
  readonly oid: number;
  /** The declared argument types of the function found (polymorphic ones stay so). */
  readonly argTypes: readonly number[];
  readonly returnType: number;
  readonly strict: boolean;
}

/** pg_aggregate.aggfinalmodify: read-only, shareable, read-write. */
export type FinalModify = "r" | "s" | "w";

export interface UserAggregate {
  /** The aggregate's pg_proc OID (its SqlFunction's). */
  readonly oid: number;
  readonly transition: AggSupportFunction;
  readonly final: AggSupportFunction | undefined;
  readonly combine: AggSupportFunction | undefined;
  /** FINALFUNC_EXTRA: the final function also takes one (null) argument per input. */
  readonly finalExtra: boolean;
  readonly finalModify: FinalModify;
  /** STYPE as declared (anyarray, anycompatible … resolve per call). */
  readonly stateType: number;
  /** INITCOND as written; null when absent (the state starts null). */
  readonly initText: string | null;
  /** SSPACE, pg_aggregate.aggtransspace. */
  readonly stateSpace: number;
}

const stores = new WeakMap<Catalog, Map<number, UserAggregate>>();
/** Every live aggregate of the process by OID, for lookups without a catalog (pg_aggregate). */
const liveByOid = new Map<number, UserAggregate>();

function storeOf(catalog: Catalog): Map<number, UserAggregate> {
  let store = stores.get(catalog);
  if (store === undefined) {
    store = new Map();
    stores.set(catalog, store);
  }
  return store;
}

export function addUserAggregate(catalog: Catalog, agg: UserAggregate): void {
  storeOf(catalog).set(agg.oid, agg);
  liveByOid.set(agg.oid, agg);
}

export function removeUserAggregate(catalog: Catalog, agg: UserAggregate): void {
  if (storeOf(catalog).get(agg.oid) === agg) storeOf(catalog).delete(agg.oid);
  if (liveByOid.get(agg.oid) === agg) liveByOid.delete(agg.oid);
}

/** The aggregate whose pg_proc OID is `oid` in `catalog`, or undefined. */
export function userAggregateOf(catalog: Catalog, oid: number): UserAggregate | undefined {
  return stores.get(catalog)?.get(oid);
}

/** Every aggregate of the process (one catalog in a daemon), for pg_aggregate. */
export function liveUserAggregates(): UserAggregate[] {
  return [...liveByOid.values()];
}

/**
 * True when the aggregate can be computed in parts and the parts combined: it has a combine
 * function and a state type that is neither polymorphic nor internal, so a partial state
 * can travel as text and be read back (Citus's worker_partial_agg / coord_combine_agg).
 */
export function combinable(agg: UserAggregate, polymorphic: (type: number) => boolean):
  boolean {
  return agg.combine !== undefined && !polymorphic(agg.stateType) && agg.stateType !== 2281;
}

/**
 * The live aggregates named `name` with their pg_proc rows, for the coordinator's planner,
 * which decides on raw trees (a call of a user aggregate splits like an aggregate).
 */
export function liveUserAggregatesNamed(name: string):
  { readonly fn: SqlFunction; readonly agg: UserAggregate }[] {
  const out: { fn: SqlFunction; agg: UserAggregate }[] = [];
  for (const agg of liveByOid.values()) {
    const fn = liveSqlFunction(agg.oid);
    if (fn !== undefined && fn.name === name) out.push({ fn, agg });
  }
  return out;
}
