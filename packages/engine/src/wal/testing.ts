/**
 * Helpers for the WAL tests: a seeded random source whose seed is printed on failure and
 * replayed with SEED=..., and self-checking record payloads.
 */
import { assert } from "@tessera/base";

/** mulberry32: a small, fast, seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  assert(Number.isInteger(seed), "a seed is an integer");
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns an integer in [0, bound). */
export function randomInt(random: () => number, bound: number): number {
  assert(bound > 0, "a random bound is positive");
  return Math.floor(random() * bound);
}

/**
 * Runs `body` once per seed; SEED=n runs only seed n. A failure names its seed, so any
 * failing case can be replayed alone.
 */
export async function forEachSeed(
  count: number, body: (seed: number, random: () => number) => Promise<void>,
): Promise<void> {
  const only = process.env["SEED"];
  const seeds = only === undefined
    ? Array.from({ length: count }, (_, i) => 1000 + i)
    : [Number(only)];
  for (const seed of seeds) {
    try {
      await body(seed, seededRandom(seed));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`failed with SEED=${seed}: ${message}`, { cause: error });
    }
  }
}

/** A payload that carries its id and a filler derived from it, so damage is detectable. */
export function payloadFor(id: number, fillerBytes: number): Uint8Array {
  const bytes = new Uint8Array(4 + fillerBytes);
  new DataView(bytes.buffer).setUint32(0, id, true);
  for (let i = 4; i < bytes.length; i++) bytes[i] = (id * 7 + i) & 0xff;
  return bytes;
}

/** Returns the id of a `payloadFor` payload after checking its filler. */
export function idOf(payload: Uint8Array): number {
  assert(payload.length >= 4, "a test payload holds its id");
  const id = new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0, true);
  for (let i = 4; i < payload.length; i++) {
    assert(payload[i] === ((id * 7 + i) & 0xff), `payload of record ${id} is intact`);
  }
  return id;
}

/** Collects an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
