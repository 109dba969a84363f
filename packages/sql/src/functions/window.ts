/**
 * Window functions (PostgreSQL docs table 9.64). Each reads the partition through
 * `WindowRows` (defs.ts): the executor sorts the partition, finds the current row's peers
 * and frame, and calls `impl` once per row. Aggregates used as window functions
 * (`sum(x) OVER w`) are the executor's business: it feeds the frame to the aggregate.
 *
 *   row_number    currentRow + 1             rank        peerStart + 1
 *   dense_rank    peerGroupIndex + 1         percent_rank (rank - 1) / (rows - 1)
 *   cume_dist     peerEnd / rows             ntile(n)    PostgreSQL's bucket arithmetic
 *   lag/lead      argument at currentRow ∓ offset, else the default
 *   first_value, last_value, nth_value       inside the frame
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "../types/value.js";
import type { WindowFunction, WindowRows } from "./defs.js";
import { T } from "./type-oids.js";

function win(
  name: string,
  argTypes: readonly number[],
  returnType: number,
  impl: (rows: WindowRows) => Value,
): WindowFunction {
  return Object.freeze({ kind: "window", name, argTypes, returnType, volatility: "i", impl });
}

export function windowFunctions(): WindowFunction[] {
  const shifts: WindowFunction[] = [];
  for (const [name, sign] of [
    ["lag", -1],
    ["lead", 1],
  ] as const) {
    shifts.push(
      win(name, [T.anyelement], T.anyelement, (r) => shifted(r, sign, 1, false)),
      win(name, [T.anyelement, T.int4], T.anyelement, (r) =>
        shifted(r, sign, r.argAt(r.currentRow, 1), false),
      ),
      win(name, [T.anycompatible, T.int4, T.anycompatible], T.anycompatible, (r) =>
        shifted(r, sign, r.argAt(r.currentRow, 1), true),
      ),
    );
  }
  return [
    win("row_number", [], T.int8, (r) => BigInt(r.currentRow + 1)),
    win("rank", [], T.int8, (r) => BigInt(r.peerStart + 1)),
    win("dense_rank", [], T.int8, (r) => BigInt(r.peerGroupIndex + 1)),
    win("percent_rank", [], T.float8, (r) =>
      r.partitionRowCount <= 1 ? 0 : r.peerStart / (r.partitionRowCount - 1),
    ),
    win("cume_dist", [], T.float8, (r) => r.peerEnd / r.partitionRowCount),
    win("ntile", [T.int4], T.int4, ntile),
    ...shifts,
    win("first_value", [T.anyelement], T.anyelement, (r) =>
      r.frameEnd > r.frameStart ? r.argAt(r.frameStart, 0) : null,
    ),
    win("last_value", [T.anyelement], T.anyelement, (r) =>
      r.frameEnd > r.frameStart ? r.argAt(r.frameEnd - 1, 0) : null,
    ),
    win("nth_value", [T.anyelement, T.int4], T.anyelement, nthValue),
  ];
}

function shifted(r: WindowRows, sign: number, offsetValue: Value, withDefault: boolean): Value {
  if (offsetValue === null) return null;
  const offset = offsetValue as number;
  const target = r.currentRow + sign * offset;
  if (target < 0 || target >= r.partitionRowCount) {
    return withDefault ? r.argAt(r.currentRow, 2) : null;
  }
  return r.argAt(target, 0);
}

/**
 * ntile(n): the first (rows % n) buckets get one extra row, as PostgreSQL's window_ntile. n is
 * read once per partition, at its first row; while it reads null the row gets null and the
 * next row reads it again, and the buckets count from the row that read it.
 */
function ntile(r: WindowRows): Value {
  let first = 0;
  while (first <= r.currentRow && r.argAt(first, 0) === null) first++;
  if (first > r.currentRow) return null;
  const buckets = r.argAt(first, 0) as number;
  if (buckets <= 0) {
    throw new SqlError(
      SqlState.invalidArgumentForNtileFunction,
      "argument of ntile must be greater than zero",
    );
  }
  const total = r.partitionRowCount;
  const perBucket = Math.floor(total / buckets);
  const remainder = total % buckets;
  const bigRows = remainder * (perBucket + 1);
  const row = r.currentRow - first;
  if (row < bigRows) return Math.floor(row / (perBucket + 1)) + 1;
  return remainder + Math.floor((row - bigRows) / perBucket) + 1;
}

function nthValue(r: WindowRows): Value {
  const nValue = r.argAt(r.currentRow, 1);
  if (nValue === null) return null;
  const n = nValue as number;
  if (n <= 0) {
    throw new SqlError(
      SqlState.invalidArgumentForNthValueFunction,
      "argument of nth_value must be greater than zero",
    );
  }
  const row = r.frameStart + n - 1;
  return row < r.frameEnd ? r.argAt(row, 0) : null;
}
