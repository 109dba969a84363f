/**
 * nextval, currval and setval: functions over engine state, registered into the function
 * catalog when an Engine starts. The sequence is named by a text argument (regclass in
 * Postgres), resolved along the default search path.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "@tessera/sql";
import { registerEngineFunction } from "./builtins.js";
import type { Catalog } from "./catalog.js";
import type { Sequence } from "./relation.js";
import { Oid } from "./types.js";

let registered = false;
const catalogs: Catalog[] = [];

export function registerSequenceFunctions(catalog: Catalog): void {
  catalogs.push(catalog);
  if (registered) return;
  registered = true;
  const find = (name: Value): Sequence => findSequence(catalogs, String(name));
  registerEngineFunction({ kind: "scalar", name: "nextval", argTypes: [Oid.text],
    returnType: Oid.int8, strict: true, volatility: "v", impl: ([n]) => nextval(find(n!)) });
  registerEngineFunction({ kind: "scalar", name: "currval", argTypes: [Oid.text],
    returnType: Oid.int8, strict: true, volatility: "v", impl: ([n]) => {
      const seq = find(n!);
      if (seq.last === null) {
        throw new SqlError(SqlState.objectNotInPrerequisiteState,
          `currval of sequence "${seq.name}" is not yet defined in this session`);
      }
      return seq.last;
    } });
  registerEngineFunction({ kind: "scalar", name: "setval", argTypes: [Oid.text, Oid.int8],
    returnType: Oid.int8, strict: true, volatility: "v", impl: ([n, v]) => {
      const seq = find(n!);
      seq.last = v as bigint;
      return v!;
    } });
}

function findSequence(list: readonly Catalog[], raw: string): Sequence {
  const parts = raw.split(".");
  const name = parts.pop()!.replace(/^"|"$/g, "");
  const schema = parts.pop()?.replace(/^"|"$/g, "");
  for (let i = list.length - 1; i >= 0; i--) {
    const seq = list[i]!.findSequence(["public", "pg_catalog"], schema, name);
    if (seq !== undefined) return seq;
  }
  throw new SqlError(SqlState.undefinedTable, `relation "${raw}" does not exist`);
}

/** Advances a sequence, or raises 2200H at its end (unless it cycles). */
export function nextval(seq: Sequence): bigint {
  const next = seq.last === null ? seq.start : seq.last + seq.increment;
  if (next > seq.max || next < seq.min) {
    if (!seq.cycle) {
      throw new SqlError("2200H", `nextval: reached ${next > seq.max ? "maximum" : "minimum"} value of sequence "${seq.name}" (${next > seq.max ? seq.max : seq.min})`);
    }
    seq.last = seq.increment > 0n ? seq.min : seq.max;
    return seq.last;
  }
  seq.last = next;
  return next;
}
