/**
 * tid: a row version's address, `(block,offset)`, the type of the system column ctid.
 *
 * A value is one safe integer, `block * 2^16 + offset` (block is 32 bits, offset 16, as in
 * Postgres's ItemPointerData), so numeric order is Postgres's tid order: by block, then by
 * offset. Tessera has no pages; `tidOfOrdinal` turns a table's per-version ordinal into an
 * address the way a heap would fill its pages, `tidPerBlock` versions to a block.
 *
 *   tidOfOrdinal(0)    -> (0,1)        tidOfOrdinal(291)  -> (1,1)
 *   tidInput("(3,7)")  -> 3 * 65536 + 7
 *
 * Input follows Postgres 15's tidin: a '(' anywhere before the first ',', the block read as
 * strtoul (so "-1" is 4294967295) ending at ',', the offset as strtol ending at ')', with
 * anything after ')' ignored.
 */
import { ByteReader, ByteWriter } from "./binary.js";
import { invalidInput } from "./errors.js";
import { compareNumbers, type TypeIo } from "./type-io.js";
import type { Value } from "./value.js";

/** Postgres's MaxHeapTuplesPerPage for 8 kB pages: the most versions one block can hold. */
export const tidPerBlock = 291;
const offsetSpan = 65536;
const blockMax = 0xffffffff;
const offsetMax = 0xffff;

/** Makes a tid value from its block and offset. */
export function makeTid(block: number, offset: number): number {
  return block * offsetSpan + offset;
}

export function tidBlock(tid: number): number {
  return Math.floor(tid / offsetSpan);
}

export function tidOffset(tid: number): number {
  return tid % offsetSpan;
}

/** The address of a table's `ordinal`-th row version (0-based), as a filled heap gives it. */
export function tidOfOrdinal(ordinal: number): number {
  return makeTid(Math.floor(ordinal / tidPerBlock), (ordinal % tidPerBlock) + 1);
}

/** Parses tid text as Postgres 15's tidin does. */
export function tidInput(text: string): number {
  const coords: number[] = [];
  for (let p = 0; p < text.length && coords.length < 2 && text[p] !== ")"; p++) {
    if (text[p] === "," || (text[p] === "(" && coords.length === 0)) coords.push(p + 1);
  }
  if (coords.length < 2) throw invalidInput("tid", text);
  const block = readDecimal(text, coords[0]!);
  if (text[block.end] !== ",") throw invalidInput("tid", text);
  const offset = readDecimal(text, coords[1]!);
  if (text[offset.end] !== ")") throw invalidInput("tid", text);
  let blockNumber = block.value;
  // strtoul: a minus sign negates modulo 2^64; Postgres accepts what fits 32 bits either way.
  if (block.negative) {
    if (blockNumber > 2 ** 31) throw invalidInput("tid", text);
    blockNumber = blockNumber === 0 ? 0 : 2 ** 32 - blockNumber;
  }
  if (blockNumber > blockMax) throw invalidInput("tid", text);
  const offsetNumber = offset.negative ? -offset.value : offset.value;
  if (offsetNumber < 0 || offsetNumber > offsetMax) throw invalidInput("tid", text);
  return makeTid(blockNumber, Math.abs(offsetNumber));
}

/**
 * Reads what C's `strtol(…, 10)` reads: spaces, a sign, digits. Without digits it reads
 * nothing: 0, ending where it started.
 */
function readDecimal(text: string, start: number):
  { value: number; negative: boolean; end: number } {
  let p = start;
  while (p < text.length && /\s/.test(text[p]!)) p++;
  let negative = false;
  if (text[p] === "+" || text[p] === "-") negative = text[p++] === "-";
  const digitsStart = p;
  let value = 0;
  while (p < text.length && text.charCodeAt(p) >= 48 && text.charCodeAt(p) <= 57) {
    // Past 2^53 the exact value no longer matters: it is out of range either way.
    value = Math.min(value * 10 + (text.charCodeAt(p) - 48), Number.MAX_SAFE_INTEGER);
    p++;
  }
  if (p === digitsStart) return { value: 0, negative: false, end: start };
  return { value, negative, end: p };
}

export function tidOutput(tid: number): string {
  return `(${tidBlock(tid)},${tidOffset(tid)})`;
}

export const tidIo: TypeIo = {
  input: (text) => tidInput(text),
  output: (value) => tidOutput(value as number),
  receive(bytes) {
    const reader = new ByteReader(bytes);
    const value = makeTid(reader.uint32(), reader.uint16());
    reader.end();
    return value;
  },
  send: (value: Value) => new ByteWriter(6).uint32(tidBlock(value as number))
    .int16(tidOffset(value as number)).finish(),
  compare: (a, b) => compareNumbers(a as number, b as number),
  equals: (a, b) => a === b,
  hashKey: (value) => value as number,
};
