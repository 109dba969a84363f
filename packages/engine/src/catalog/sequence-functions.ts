/**
 * nextval, currval, setval and lastval: functions over engine state, registered into the
 * function catalog when an Engine starts. The sequence is named by a text argument (regclass in
 * Postgres), resolved along the calling session's search path (its temporary schema first).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "@tessera/sql";
import type { EvalLike } from "../analyze/expr.js";
import { registerEngineFunction } from "./builtins.js";
import type { Catalog } from "./catalog.js";
import type { Sequence } from "./relation.js";
import { Oid } from "./types.js";

import { checkSequenceUse } from "./permission-checks.js";
import { checkSequenceWritable } from "../execute/read-only-commands.js";
let registered = false;
const catalogs: Catalog[] = [];

export function registerSequenceFunctions(catalog: Catalog): void {
  catalogs.push(catalog);
  if (registered) return;
  registered = true;
  // Each takes the sequence by name (text) or, as pg_dump and PostgreSQL write it, regclass.
  for (const [type, find] of [[Oid.text, byName], [Oid.regclass, byOid]] as const) {
    registerEngineFunction({ kind: "scalar", name: "nextval", argTypes: [type],
      returnType: Oid.int8, strict: true, volatility: "v", impl: ([n], ctx) => {
        const seq = writable(find(n!, ctx), ctx, "Uw", "nextval");
        return remember(ctx, seq, nextval(seq), true);
      } });
    registerEngineFunction({ kind: "scalar", name: "currval", argTypes: [type],
      returnType: Oid.int8, strict: true, volatility: "v",
      impl: ([n], ctx) => currval(usable(find(n!, ctx), ctx, "rU"), ctx) });
    registerEngineFunction({ kind: "scalar", name: "setval", argTypes: [type, Oid.int8],
      returnType: Oid.int8, strict: true, volatility: "v", impl: ([n, v], ctx) => {
        const seq = writable(find(n!, ctx), ctx, "w", "setval");
        return remember(ctx, seq, setval(seq, v as bigint, true), false);
      } });
    registerEngineFunction({ kind: "scalar", name: "setval",
      argTypes: [type, Oid.int8, Oid.bool], returnType: Oid.int8, strict: true,
      volatility: "v", impl: ([n, v, called], ctx) => {
        const seq = writable(find(n!, ctx), ctx, "w", "setval");
        const value = setval(seq, v as bigint, called === true);
        return called === true ? remember(ctx, seq, value, false) : value;
      } });
  }
  registerEngineFunction({ kind: "scalar", name: "lastval", argTypes: [], returnType: Oid.int8,
    strict: false, volatility: "v", impl: (_args, ctx) => lastval(ctx) });
}

const byName = (name: Value, ctx: EvalLike): Sequence => findSequence(String(name), ctx);
const byOid = (oid: Value): Sequence => sequenceByOid(oid as number);

/**
 * What a session's sequence functions remember (PostgreSQL's SeqTable): the value each
 * sequence last gave it (currval), and the sequence nextval last advanced (lastval).
 */
interface SessionSequences {
  readonly current: Map<number, bigint>;
  lastUsed: number | undefined;
}

/** By backend pid. */
const sessions = new Map<number, SessionSequences>();

/** Sessions remembered at most (the oldest are forgotten): pids are not reused soon. */
const sessionsRememberedMax = 10_000;

function sessionOf(ctx: EvalLike): SessionSequences {
  const pid = ctx.backendPid ?? 0;
  let state = sessions.get(pid);
  if (state !== undefined) return state;
  state = { current: new Map(), lastUsed: undefined };
  sessions.set(pid, state);
  if (sessions.size > sessionsRememberedMax) sessions.delete(sessions.keys().next().value!);
  return state;
}

/** Records `value` as the session's currval of `seq` (and with `used`, its lastval). */
function remember(ctx: EvalLike, seq: Sequence, value: bigint, used: boolean): bigint {
  const state = sessionOf(ctx);
  state.current.set(seq.oid, value);
  if (used) state.lastUsed = seq.oid;
  return value;
}

function currval(seq: Sequence, ctx: EvalLike): bigint {
  const value = sessions.get(ctx.backendPid ?? 0)?.current.get(seq.oid);
  if (value === undefined) {
    throw new SqlError(SqlState.objectNotInPrerequisiteState,
      `currval of sequence "${seq.name}" is not yet defined in this session`);
  }
  return value;
}

/** The currval of the sequence nextval last advanced, while that sequence exists. */
function lastval(ctx: EvalLike): bigint {
  const state = sessions.get(ctx.backendPid ?? 0);
  const oid = state?.lastUsed;
  const value = oid === undefined ? undefined : state!.current.get(oid);
  if (value === undefined || !catalogs.some((c) => c.sequence(oid!) !== undefined)) {
    throw new SqlError(SqlState.objectNotInPrerequisiteState,
      "lastval is not yet defined in this session");
  }
  return value;
}

/** DISCARD SEQUENCES (and DISCARD ALL): the session forgets its currval and lastval. */
export function discardSequences(backendPid: number): void {
  sessions.delete(backendPid);
}

/** The sequence, once the current role is found to hold one of `anyOf` on it. */
function usable(seq: Sequence, ctx: EvalLike, anyOf: string): Sequence {
  const catalog = catalogs.find((c) => c.sequence(seq.oid) === seq);
  if (catalog !== undefined) checkSequenceUse(catalog, seq, ctx, anyOf);
  return seq;
}

/** `usable`, and refused in a READ ONLY transaction unless temporary (nextval, setval). */
function writable(seq: Sequence, ctx: EvalLike, anyOf: string, fn: string): Sequence {
  usable(seq, ctx, anyOf);
  checkSequenceWritable(seq.schema, ctx, fn);
  return seq;
}

/** Finds a sequence by OID (a regclass argument). */
function sequenceByOid(oid: number): Sequence {
  for (const catalog of catalogs) {
    const seq = catalog.sequence(oid);
    if (seq !== undefined) return seq;
  }
  throw new SqlError(SqlState.wrongObjectType, `relation with OID ${oid} is not a sequence`);
}

/** Finds a sequence by its (possibly qualified, possibly quoted) name along the path. */
function findSequence(raw: string, ctx: EvalLike): Sequence {
  const parts = raw.split(".");
  const name = unquote(parts.pop()!);
  const schemaPart = parts.pop();
  const schema = schemaPart === undefined ? undefined : unquote(schemaPart);
  for (let i = catalogs.length - 1; i >= 0; i--) {
    const catalog = catalogs[i]!;
    const path = catalog.searchPath(ctx.setting("search_path") || "\"$user\", public", ctx.user,
      ctx.backendPid ?? 0);
    const seq = catalog.findSequence(path, schema, name);
    if (seq !== undefined) return seq;
  }
  throw new SqlError(SqlState.undefinedTable, `relation "${raw}" does not exist`);
}

function unquote(part: string): string {
  return part.startsWith("\"") && part.endsWith("\"") ? part.slice(1, -1).replace(/""/g, "\"")
    : part.toLowerCase();
}

/** Postgres's SEQ_LOG_VALS: nextval logs this many values ahead. */
const sequenceLogValues = 32;

/** Advances a sequence, or raises 2200H at its end (unless it cycles). */
export function nextval(seq: Sequence): bigint {
  const logged = seq.restartAt !== null || (seq.logCount ?? 0) === 0;
  seq.logCount = logged ? sequenceLogValues : (seq.logCount ?? 1) - 1;
  if (seq.restartAt !== null) {
    seq.last = seq.restartAt;
    seq.restartAt = null;
    return seq.last;
  }
  const next = seq.last === null ? seq.start : seq.last + seq.increment;
  if (next > seq.max || next < seq.min) {
    const high = next > seq.max;
    if (!seq.cycle) {
      throw new SqlError(SqlState.sequenceGeneratorLimitExceeded,
        `nextval: reached ${high ? "maximum" : "minimum"} value of sequence "${seq.name}" ` +
        `(${high ? seq.max : seq.min})`);
    }
    seq.last = seq.increment > 0n ? seq.min : seq.max;
    return seq.last;
  }
  seq.last = next;
  return next;
}

/** Sets a sequence's value; with `called` false the next nextval returns `value` itself. */
function setval(seq: Sequence, value: bigint, called: boolean): bigint {
  if (value < seq.min || value > seq.max) {
    throw new SqlError(SqlState.numericValueOutOfRange,
      `setval: value ${value} is out of bounds for sequence "${seq.name}" ` +
      `(${seq.min}..${seq.max})`);
  }
  seq.logCount = 0;
  if (called) {
    seq.last = value;
    seq.restartAt = null;
  } else {
    seq.restartAt = value;
  }
  return value;
}
