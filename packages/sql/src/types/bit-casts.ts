/**
 * pg_cast rows of bit and bit varying: integers to and from bit strings (explicit), and the
 * binary-coercible pair bit <-> varbit (implicit; the typmod then checks the length).
 * int4 -> bit(n) keeps the integer's low n bits, sign-extended past its width:
 * `255::bit(8)` is 11111111, `-1::bit(40)` forty ones.
 */
import { bitsFromInt, bitsToInt } from "./bit.js";
import type { CastRow } from "./cast-table.js";
import { TypeOid as T } from "./oids.js";

export const bitCastRows: readonly CastRow[] = [
  [T.int4, T.bit, "e", "f", (v, typmod) => bitsFromInt(BigInt(v as number), typmod), true],
  [T.int8, T.bit, "e", "f", (v, typmod) => bitsFromInt(v as bigint, typmod), true],
  [T.bit, T.int4, "e", "f", (v) => Number(bitsToInt(v as string, 32))],
  [T.bit, T.int8, "e", "f", (v) => bitsToInt(v as string, 64)],
  [T.bit, T.varbit, "i", "b", (v) => v],
  [T.varbit, T.bit, "i", "b", (v) => v],
];
