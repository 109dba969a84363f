/**
 * Anonymous records (ROW(1, 'a')) and the pseudo-types. A record prints as record_out does:
 * `(1,"a b",,"")` — a null field is empty, and a field is quoted when it is empty or holds
 * a quote, backslash, parenthesis, comma or whitespace, with quotes and backslashes doubled.
 * Records compare field by field (nulls last), as record_cmp.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { FormatContext } from "./context.js";
import { isSpaceCode, type TypeIo } from "./type-io.js";
import type { PgRecord } from "./value.js";

/** The part of the registry a record needs: each field's type I/O by OID. */
export type TypeIoLookup = (oid: number) => TypeIo;

export function makeRecordIo(lookup: TypeIoLookup): TypeIo {
  return {
    input() {
      throw new SqlError(SqlState.featureNotSupported,
        "input of anonymous composite types is not implemented");
    },
    output: (value, ctx) => formatRecord(value as PgRecord, lookup, ctx),
    send: (value, ctx) => sendRecord(value as PgRecord, lookup, ctx),
    compare: (a, b) => compareRecords(a as PgRecord, b as PgRecord, lookup),
    hashKey: (value) => recordKey(value as PgRecord, lookup),
  };
}

export function formatRecord(record: PgRecord, lookup: TypeIoLookup, ctx: FormatContext): string {
  const parts = record.fields.map((field, i) => {
    if (field === null) return "";
    const text = lookup(record.types[i] ?? 0).output(field, ctx);
    return quoteRecordField(text);
  });
  return "(" + parts.join(",") + ")";
}

/**
 * record_send: the field count, then each field's type OID, its length (-1 for null) and its
 * binary form. A field of a type without one fails as its own column would.
 */
function sendRecord(record: PgRecord, lookup: TypeIoLookup, ctx: FormatContext): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 4;
  record.fields.forEach((field, i) => {
    const oid = record.types[i] ?? 0;
    const io = lookup(oid);
    if (field !== null && io.send === undefined) {
      throw new SqlError(SqlState.featureNotSupported,
        `binary output of a record field of type ${oid} is not supported`);
    }
    const body = field === null ? undefined : io.send!(field, ctx);
    const head = new Uint8Array(8);
    const view = new DataView(head.buffer);
    view.setUint32(0, oid);
    view.setInt32(4, body === undefined ? -1 : body.length);
    parts.push(head);
    size += 8;
    if (body !== undefined) {
      parts.push(body);
      size += body.length;
    }
  });
  const out = new Uint8Array(size);
  new DataView(out.buffer).setInt32(0, record.fields.length);
  let at = 4;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function quoteRecordField(text: string): string {
  if (text.length === 0) return '""';
  let needsQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const special = code === 34 || code === 92 || code === 40 || code === 41 || code === 44;
    if (special || isSpaceCode(code)) {
      needsQuotes = true;
      break;
    }
  }
  if (!needsQuotes) return text;
  return '"' + text.replace(/["\\]/g, "$&$&") + '"';
}

function compareRecords(a: PgRecord, b: PgRecord, lookup: TypeIoLookup): number {
  const count = Math.min(a.fields.length, b.fields.length);
  for (let i = 0; i < count; i++) {
    const x = a.fields[i] ?? null;
    const y = b.fields[i] ?? null;
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
      continue;
    }
    const result = lookup(a.types[i] ?? 0).compare(x, y);
    if (result !== 0) return result;
  }
  return a.fields.length - b.fields.length;
}

function recordKey(record: PgRecord, lookup: TypeIoLookup): string {
  let key = "";
  record.fields.forEach((field, i) => {
    if (field === null) {
      key += "N;";
      return;
    }
    const fieldKey = lookup(record.types[i] ?? 0).hashKey(field);
    key += typeof fieldKey === "number" ? `n${fieldKey};` : `s${fieldKey.length}:${fieldKey};`;
  });
  return key;
}

/** Pseudo-types (any, anyelement, ...): no value of theirs can be read. */
export function makePseudoIo(name: string): TypeIo {
  return {
    input() {
      throw new SqlError(SqlState.featureNotSupported, `cannot accept a value of type ${name}`);
    },
    output() {
      throw new SqlError(SqlState.featureNotSupported, `cannot display a value of type ${name}`);
    },
    compare: () => 0,
    hashKey: () => 0,
  };
}

/** void: input accepts anything, output is the empty string. */
export const voidIo: TypeIo = {
  input: () => null,
  output: () => "",
  compare: () => 0,
  hashKey: () => 0,
};
