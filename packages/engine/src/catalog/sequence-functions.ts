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
  const find = (name: Value, ctx: EvalLike): Sequence => findSequence(String(name), ctx);
  registerEngineFunction({ kind: "scalar", name: "nextval", argTypes: [Oid.text],
    returnType: Oid.int8, strict: true, volatility: "v",
    impl: ([n], ctx) =>
      remember(ctx, nextval(writable(find(n!, ctx), ctx, "Uw", "nextval"))) });
  // nextval('s'::regclass), as pg_dump writes a serial column's default.
  registerEngineFunction({ kind: "scalar", name: "nextval", argTypes: [Oid.regclass],
    returnType: Oid.int8, strict: true, volatility: "v",
    impl: ([oid], ctx) => remember(ctx, nextval(writable(sequenceByOid(oid as number), ctx,
      "Uw", "nextval"))) });
  registerEngineFunction({ kind: "scalar", name: "lastval", argTypes: [], returnType: Oid.int8,
    strict: false, volatility: "v", impl: (_args, ctx) => {
      const last = lastBySession.get(ctx.backendPid ?? 0);
      if (last === undefined) {
        throw new SqlError(SqlState.objectNotInPrerequisiteState,
          "lastval is not yet defined in this session");
      }
      return last;
    } });
  registerEngineFunction({ kind: "scalar", name: "currval", argTypes: [Oid.text],
    returnType: Oid.int8, strict: true, volatility: "v", impl: ([n], ctx) => {
      const seq = usable(find(n!, ctx), ctx, "rU");
      if (seq.last === null) {
        throw new SqlError(SqlState.objectNotInPrerequisiteState,
          `currval of sequence "${seq.name}" is not yet defined in this session`);
      }
      return seq.last;
    } });
  registerEngineFunction({ kind: "scalar", name: "setval", argTypes: [Oid.text, Oid.int8],
    returnType: Oid.int8, strict: true, volatility: "v",
    impl: ([n, v], ctx) =>
      setval(writable(find(n!, ctx), ctx, "w", "setval"), v as bigint, true) });
  registerEngineFunction({ kind: "scalar", name: "setval",
    argTypes: [Oid.text, Oid.int8, Oid.bool], returnType: Oid.int8, strict: true,
    volatility: "v", impl: ([n, v, called], ctx) =>
      setval(writable(find(n!, ctx), ctx, "w", "setval"), v as bigint, called === true) });
}

/** lastval(): the value nextval last returned to each session (by backend pid). */
const lastBySession = new Map<number, bigint>();

/** Sessions remembered at most (the oldest are forgotten): pids are not reused soon. */
const sessionsRememberedMax = 10_000;

function remember(ctx: EvalLike, value: bigint): bigint {
  const pid = ctx.backendPid ?? 0;
  lastBySession.delete(pid);
  lastBySession.set(pid, value);
  if (lastBySession.size > sessionsRememberedMax) {
    lastBySession.delete(lastBySession.keys().next().value!);
  }
  return value;
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
