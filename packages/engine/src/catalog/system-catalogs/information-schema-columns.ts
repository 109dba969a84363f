/**
 * information_schema.columns with PostgreSQL 15's 44 columns, computed the way its view
 * definition computes them: the type facts come from the helper functions of
 * `information_schema.sql` (`_pg_char_max_length`, `_pg_numeric_precision`,
 * `_pg_datetime_precision` …), which read a column's type OID and typmod. For example
 * `numeric(10,2)` has typmod ((10 << 16) | 2) + 4, so precision 10, radix 10 and scale 2;
 * `integer` has no typmod but a binary precision of 32, radix 2, scale 0.
 */
import { formatType, type Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import type { Column, Relation, Sequence } from "../relation.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid, typeInfo } from "../types.js";
import { userRelations } from "./information-schema.js";
import { columnVisible } from "./information-schema-visibility.js";
import { updatableColumns } from "./information-schema-views.js";
import { enumTypesOf } from "../enum-types.js";
import { baseTypeOf, domainOf, domainOfArray } from "../domains.js";
import { catalogView, storedExprText, type CatalogView } from "./object-defs.js";

const ident = Oid.name;
const chars = Oid.varchar;
const card = Oid.int4;
/** yes_or_no is a domain over varchar(3): typmod 3 + 4. */
const yesOrNo = [Oid.varchar, 7] as const;
const bit = 1560;
const varbit = 1562;
/** The database encoding is UTF8, at most 4 bytes a character (pg_encoding_max_length). */
const encodingBytesMax = 4;

export function infoColumns(catalog: Catalog): SystemRelationDef {
  return {
    oid: 13101, schema: "information_schema", name: "columns",
    columns: [["table_catalog", ident], ["table_schema", ident], ["table_name", ident],
      ["column_name", ident], ["ordinal_position", card], ["column_default", chars],
      ["is_nullable", ...yesOrNo], ["data_type", chars], ["character_maximum_length", card],
      ["character_octet_length", card], ["numeric_precision", card],
      ["numeric_precision_radix", card], ["numeric_scale", card],
      ["datetime_precision", card], ["interval_type", chars], ["interval_precision", card],
      ["character_set_catalog", ident], ["character_set_schema", ident],
      ["character_set_name", ident], ["collation_catalog", ident],
      ["collation_schema", ident], ["collation_name", ident], ["domain_catalog", ident],
      ["domain_schema", ident], ["domain_name", ident], ["udt_catalog", ident],
      ["udt_schema", ident], ["udt_name", ident], ["scope_catalog", ident],
      ["scope_schema", ident], ["scope_name", ident], ["maximum_cardinality", card],
      ["dtd_identifier", ident], ["is_self_referencing", ...yesOrNo],
      ["is_identity", ...yesOrNo], ["identity_generation", chars],
      ["identity_start", chars], ["identity_increment", chars],
      ["identity_maximum", chars], ["identity_minimum", chars],
      ["identity_cycle", ...yesOrNo], ["is_generated", chars],
      ["generation_expression", chars], ["is_updatable", ...yesOrNo]],
    rows: (ctx: StatementContext) => {
      const view = catalogView(catalog, ctx);
      const rows: Row[] = [];
      for (const r of userRelations(catalog)) {
        if (r.kind === "S") continue;
        const updatable = updatableColumns(catalog, ctx, r);
        r.columns.forEach((c, i) => {
          if (!c.dropped && columnVisible(catalog, ctx, r, i + 1)) {
            rows.push(columnRow(view, { catalog, ctx, relation: r, updatable }, c, i + 1));
          }
        });
      }
      return rows;
    },
  };
}

interface RowSource {
  readonly catalog: Catalog;
  readonly ctx: StatementContext;
  readonly relation: Relation;
  /** The columns pg_column_is_updatable says are (`information-schema-views.ts`). */
  readonly updatable: ReadonlySet<string>;
}

function columnRow(view: CatalogView, src: RowSource, given: Column, attnum: number): Row {
  const { ctx, relation: r } = src;
  // A domain column shows its base type (_pg_truetypid) and names the domain.
  const domain = domainOf(given.type);
  const c = domain === undefined ? given
    : { ...given, ...baseTypeOf(given.type, given.typmod) };
  const t = typeInfo(c.type);
  const expr = (e: Column["defaultExpr"]): string | null =>
    e === null ? null : storedExprText(view, r, e, false, { type: c.type });
  const seq = c.identity === null ? undefined : identitySequence(src, c);
  // A type outside pg_catalog (an enum) is USER-DEFINED, named by udt_schema and udt_name.
  const userType = enumTypesOf(src.catalog).get(c.type);
  return [ctx.database, r.schema, r.name, c.name, attnum,
    c.identity === null ? expr(given.defaultExpr) : null,
    c.notNull ? "NO" : "YES", t.category === "A" ? "ARRAY"
      : userType !== undefined ? "USER-DEFINED" : formatType(c.type),
    charMaxLength(c.type, c.typmod), charOctetLength(c.type, c.typmod),
    numericPrecision(c.type, c.typmod), numericRadix(c.type), numericScale(c.type, c.typmod),
    datetimePrecision(c.type, c.typmod), intervalType(c.type, c.typmod), null,
    null, null, null, null, null, null, domain === undefined ? null : ctx.database,
    domain?.schema ?? null, domain?.name ?? null, ctx.database,
    userType?.schema ?? domainOfArray(c.type)?.schema ?? "pg_catalog",
    userType?.name ?? t.name, null, null,
    null, null, String(attnum), "NO",
    c.identity === null ? "NO" : "YES",
    c.identity === null ? null : c.identity === "a" ? "ALWAYS" : "BY DEFAULT",
    seq?.start.toString() ?? null, seq?.increment.toString() ?? null,
    seq?.max.toString() ?? null, seq?.min.toString() ?? null, seq?.cycle === true ? "YES" : "NO",
    c.generated === null ? "NEVER" : "ALWAYS", expr(c.generated),
    src.updatable.has(c.name) ? "YES" : "NO"];
}

function identitySequence(src: RowSource, c: Column): Sequence | undefined {
  for (const s of src.catalog.allSequences()) {
    if (s.ownedBy?.relationOid === src.relation.oid && s.ownedBy.column === c.name) return s;
  }
  return undefined;
}

/** Returns _pg_char_max_length: declared characters of char/varchar, bits of bit/varbit. */
export function charMaxLength(type: number, typmod: number): number | null {
  if (typmod === -1) return null;
  if (type === Oid.bpchar || type === Oid.varchar) return typmod - 4;
  if (type === bit || type === varbit) return typmod;
  return null;
}

/** Returns _pg_char_octet_length: 2^30 for unbounded text, else 4 bytes a character. */
export function charOctetLength(type: number, typmod: number): number | null {
  if (type !== Oid.text && type !== Oid.bpchar && type !== Oid.varchar) return null;
  if (typmod === -1) return 2 ** 30;
  const max = charMaxLength(type, typmod);
  return max === null ? null : max * encodingBytesMax;
}

const binaryPrecisions: ReadonlyMap<number, number> = new Map([
  [Oid.int2, 16], [Oid.int4, 32], [Oid.int8, 64], [Oid.float4, 24], [Oid.float8, 53],
]);

/** Returns _pg_numeric_precision: bits for binary types, digits for numeric(p,s). */
export function numericPrecision(type: number, typmod: number): number | null {
  if (type === Oid.numeric) return typmod === -1 ? null : ((typmod - 4) >> 16) & 0xffff;
  return binaryPrecisions.get(type) ?? null;
}

function numericRadix(type: number): number | null {
  if (type === Oid.numeric) return 10;
  return binaryPrecisions.has(type) ? 2 : null;
}

/** Returns _pg_numeric_scale: 0 for integers, the declared scale of numeric(p,s). */
export function numericScale(type: number, typmod: number): number | null {
  if (type === Oid.int2 || type === Oid.int4 || type === Oid.int8) return 0;
  if (type === Oid.numeric) return typmod === -1 ? null : (typmod - 4) & 0xffff;
  return null;
}

/** Returns _pg_datetime_precision: fractional second digits, 6 when undeclared. */
export function datetimePrecision(type: number, typmod: number): number | null {
  switch (type) {
    case Oid.date: return 0;
    case Oid.time: case Oid.timetz: case Oid.timestamp: case Oid.timestamptz:
      return typmod < 0 ? 6 : typmod;
    case Oid.interval:
      return typmod < 0 || (typmod & 0xffff) === 0xffff ? 6 : typmod & 0xffff;
    default: return null;
  }
}

/** Returns the fields of an interval column ("DAY TO SECOND(2)"), as format_type spells them. */
function intervalType(type: number, typmod: number): string | null {
  if (type !== Oid.interval || typmod < 0) return null;
  const match = /^interval[()0-9]* (.*)$/.exec(formatType(type, typmod));
  return match === null ? null : match[1]!.toUpperCase();
}
