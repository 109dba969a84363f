/**
 * Named composite types (CREATE TYPE name AS (a int, b text)): their values are records
 * (`PgRecord`) whose field types are the type's attributes. Text input follows record_in —
 * `(1,"a b",)` with a field quoted by double quotes (a doubled quote inside is one quote), a
 * backslash taking the next character literally, and an empty unquoted field meaning null —
 * and output, ordering and hashing are the anonymous record's (`record.ts`).
 */
import { SqlError, SqlState } from "@tessera/base";
import { makeArrayIo } from "./array.js";
import type { FormatContext } from "./context.js";
import { makeRecordIo, type TypeIoLookup } from "./record.js";
import type { PgType } from "./registry.js";
import { isSpaceCode, type TypeIo } from "./type-io.js";
import type { PgRecord, Value } from "./value.js";

/** One attribute of a composite type: its name, type OID and typmod. */
export interface CompositeAttribute {
  readonly name: string;
  readonly type: number;
  readonly typmod: number;
}

function malformed(text: string, detail: string): SqlError {
  return new SqlError(SqlState.invalidTextRepresentation,
    `malformed record literal: "${text}"`, { detail });
}

/** Splits record text into its raw fields (null for an empty unquoted field). */
export function splitRecordText(text: string): (string | null)[] {
  let i = 0;
  while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
  if (text[i] !== "(") throw malformed(text, "Missing left parenthesis.");
  i++;
  const fields: (string | null)[] = [];
  for (;;) {
    let value = "";
    let quoted = false;
    let inQuotes = false;
    for (;;) {
      const ch = text[i];
      if (ch === undefined) throw malformed(text, "Unexpected end of input.");
      if (!inQuotes && (ch === "," || ch === ")")) break;
      i++;
      if (ch === "\\") {
        const next = text[i];
        if (next === undefined) throw malformed(text, "Unexpected end of input.");
        value += next;
        i++;
      } else if (ch === '"') {
        if (inQuotes && text[i] === '"') {
          value += '"';
          i++;
        } else {
          inQuotes = !inQuotes;
          quoted = true;
        }
      } else {
        value += ch;
      }
    }
    fields.push(value === "" && !quoted ? null : value);
    if (text[i++] === ")") break;
  }
  while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
  if (i < text.length) throw malformed(text, "Junk after right parenthesis.");
  return fields;
}

/** Parses record text into a record of `attributes` through each field type's input. */
export function parseRecordText(text: string, attributes: readonly CompositeAttribute[],
  lookup: TypeIoLookup, ctx: FormatContext): PgRecord {
  const raw = splitRecordText(text);
  if (raw.length < attributes.length) throw malformed(text, "Too few columns.");
  if (raw.length > attributes.length) throw malformed(text, "Too many columns.");
  const fields: Value[] = attributes.map((a, i) => {
    const field = raw[i] ?? null;
    return field === null ? null : lookup(a.type).input(field, a.typmod, ctx);
  });
  return { kind: "record", fields, types: attributes.map((a) => a.type),
    names: attributes.map((a) => a.name) };
}

/**
 * Builds the PgType of a composite type and of its array type. `attributes` is read at
 * each use, so ALTER TYPE's changes show without registering again.
 */
export function makeCompositeTypes(oid: number, arrayOid: number, name: string,
  attributes: () => readonly CompositeAttribute[], lookup: TypeIoLookup):
  { type: PgType; arrayType: PgType } {
  const record = makeRecordIo(lookup);
  const io: TypeIo = {
    ...record,
    input: (text, _typmod, ctx) => parseRecordText(text, attributes(), lookup, ctx),
  };
  const common = { namespace: "pg_catalog" as const, byVal: false, preferred: false,
    delimiter: ",", sortable: true, hashable: true };
  const type: PgType = { ...io, ...common, oid, name, len: -1, category: "C",
    elementOid: 0, arrayOid };
  const arrayType: PgType = { ...makeArrayIo(type), ...common, oid: arrayOid,
    name: `_${name}`, len: -1, category: "A", elementOid: oid, arrayOid: 0 };
  return { type, arrayType };
}
