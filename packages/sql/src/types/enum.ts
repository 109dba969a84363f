/**
 * Enum types (CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')): a value is the OID of its
 * label's pg_enum row, as in PostgreSQL, so RENAME VALUE changes no stored row and values
 * order by the labels' sort order (declaration order), not by their text.
 *
 *   const mood = new EnumLabels("mood", [{ oid: 16390, label: "sad", sortOrder: 1 }, ...]);
 *   makeEnumTypes(16388, 16389, mood)   -> the type and its array type, to register
 *   mood.input("ok")                    -> 16391;   mood.output(16391) -> "ok"
 *
 * The catalog (`@tessera/engine` catalog/enum-types.ts) owns the labels and registers the
 * types with `registerUserType`; this module is only their I/O and ordering.
 */
import { SqlError, SqlState } from "@tessera/base";
import { makeArrayIo } from "./array.js";
import type { PgType } from "./registry.js";
import { compareNumbers, type TypeIo } from "./type-io.js";
import type { Value } from "./value.js";

/** One pg_enum row. */
export interface EnumLabel {
  readonly oid: number;
  readonly label: string;
  /** enumsortorder: declaration order, halves for ADD VALUE BEFORE/AFTER. */
  readonly sortOrder: number;
}

/** The labels of one enum type, kept in sort order, with lookups both ways. */
export class EnumLabels {
  private ordered: EnumLabel[] = [];
  private readonly byOid = new Map<number, { label: string; position: number }>();
  private readonly byLabel = new Map<string, number>();

  constructor(public typeName: string, labels: readonly EnumLabel[]) {
    this.replace(labels);
  }

  /** The labels in sort order. */
  get labels(): readonly EnumLabel[] {
    return this.ordered;
  }

  /** Replaces every label (ADD VALUE, RENAME VALUE, or their undo). */
  replace(labels: readonly EnumLabel[]): void {
    this.ordered = [...labels].sort((a, b) => a.sortOrder - b.sortOrder);
    this.byOid.clear();
    this.byLabel.clear();
    this.ordered.forEach((l, position) => {
      this.byOid.set(l.oid, { label: l.label, position });
      this.byLabel.set(l.label, l.oid);
    });
  }

  /** enum_in: the label's OID, or 22P02 as PostgreSQL words it. */
  input(text: string): number {
    const oid = this.byLabel.get(text);
    if (oid === undefined) {
      throw new SqlError(SqlState.invalidTextRepresentation,
        `invalid input value for enum ${this.typeName}: "${text}"`);
    }
    return oid;
  }

  /** enum_out: the label of a value. */
  output(value: Value): string {
    const found = this.byOid.get(value as number);
    if (found === undefined) {
      throw new SqlError(SqlState.invalidBinaryRepresentation,
        `invalid internal value for enum: ${String(value)}`);
    }
    return found.label;
  }

  /** The position of a value in sort order (enum_cmp compares these). */
  position(value: Value): number {
    return this.byOid.get(value as number)?.position ?? -1;
  }
}

/** Builds the PgType of an enum and of its array type from the labels. */
export function makeEnumTypes(oid: number, arrayOid: number, labels: EnumLabels):
  { type: PgType; arrayType: PgType } {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const io: TypeIo = {
    input: (text) => labels.input(text),
    output: (value) => labels.output(value),
    receive: (bytes) => labels.input(decoder.decode(bytes)),
    send: (value) => encoder.encode(labels.output(value)),
    compare: (a, b) => compareNumbers(labels.position(a), labels.position(b)),
    equals: (a, b) => a === b,
    hashKey: (value) => value as number,
  };
  const common = { namespace: "pg_catalog" as const, byVal: true, preferred: false,
    delimiter: ",", sortable: true, hashable: true };
  const type: PgType = { ...io, ...common, oid, name: labels.typeName, len: 4, category: "E",
    elementOid: 0, arrayOid };
  const arrayType: PgType = { ...makeArrayIo(type), ...common, byVal: false, oid: arrayOid,
    name: `_${labels.typeName}`, len: -1, category: "A", elementOid: oid, arrayOid: 0 };
  return { type, arrayType };
}
