/**
 * The sampling of a TABLESAMPLE scan (`analyze/tablesample.ts`): which row versions a
 * sampled scan keeps. Each decision is a hash of the seed and the version's address, so the
 * same seed over the same rows keeps the same sample, in any run:
 *
 *   BERNOULLI (p)   keeps a version when hash(seed, its ordinal) falls in the lowest p %
 *   SYSTEM (p)      keeps a whole block (the 291 versions one ctid block holds, as
 *                   `tidPerBlock`) when hash(seed, block) falls in the lowest p %
 *
 * Without REPEATABLE the seed comes from the session's random generator, new per scan.
 */
import { SqlError, SqlState } from "@tessera/base";
import { tidPerBlock } from "@tessera/sql";
import type { TableSampleSpec } from "../analyze/tablesample.js";
import type { RowVersion } from "../storage/table-store.js";
import { compileExpr } from "./compile.js";
import type { Runtime } from "./runtime.js";

const hashSpan = 2 ** 32;

/** Evaluates the sample's arguments; returns the test each visible version passes. */
export function openSample(spec: TableSampleSpec, rt: Runtime): (v: RowVersion) => boolean {
  const percent = compileExpr(spec.percent)([], rt);
  if (percent === null) {
    throw new SqlError(SqlState.invalidTablesampleArgument,
      "TABLESAMPLE parameter cannot be null");
  }
  const p = percent as number;
  if (!(p >= 0 && p <= 100)) {
    throw new SqlError(SqlState.invalidTablesampleArgument,
      "sample percentage must be between 0 and 100");
  }
  let seed: number;
  if (spec.repeatable === null) {
    seed = Math.floor(rt.evalContext.random() * hashSpan);
  } else {
    const given = compileExpr(spec.repeatable)([], rt);
    if (given === null) {
      throw new SqlError(SqlState.invalidTablesampleRepeat,
        "TABLESAMPLE REPEATABLE parameter cannot be null");
    }
    seed = seedOf(given as number);
  }
  if (p >= 100) return () => true;
  if (p <= 0) return () => false;
  const threshold = (p / 100) * hashSpan;
  if (spec.method === "bernoulli") return (v) => mixOrdinal(seed, v.ordinal ?? v.slot) < threshold;
  return (v) => mixOrdinal(seed, Math.floor((v.ordinal ?? v.slot) / tidPerBlock)) < threshold;
}

/** A 32-bit seed from a double: both halves of its bits, mixed. */
function seedOf(value: number): number {
  const bits = new Float64Array([value === 0 ? 0 : value]);
  const words = new Uint32Array(bits.buffer);
  return mix(words[0]!, words[1]!);
}

/** hash(seed, n) for a safe integer n, uniform in [0, 2^32). */
function mixOrdinal(seed: number, n: number): number {
  return mix(mix(seed, n >>> 0), Math.floor(n / hashSpan));
}

/** Murmur3's finalizer over a pair of 32-bit words. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
