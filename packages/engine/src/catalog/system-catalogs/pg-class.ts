/**
 * pg_class, pg_attribute, pg_index and pg_am: the relations of the catalog (tables, views,
 * sequences, indexes and the system relations themselves) with their columns, computed from
 * the in-memory catalog each time a scan starts. Column lists follow Postgres 15 in order;
 * types we lack stand in as text (pg_node_tree) and text[] (aclitem[]).
 */
import { columnAclArray } from "../column-privileges.js";
import { makeArray, type Row, type Value } from "@tessera/sql";
import type { Catalog } from "../catalog.js";
import type { Column, Index, Relation, Sequence } from "../relation.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { SysOid, isSystemRelation, namespaceOid, persistence } from "./oids.js";
import { typeDetails } from "./pg-type.js";
import { compositeAttributeColumns, compositeClassShapes } from "./composite-type-rows.js";
import { relPartBound } from "../../partition/catalogs.js";
import { triggersOf } from "../../plpgsql/triggers.js";
import { accessMethodOid, accessMethods, defaultOpclass, indexKeyType }
  from "../access-methods.js";
import { aclArray, ownerOf } from "../privileges.js";

const textArray = 1009;
const int2vector = 22;
const oidvector = 30;
const xid = 28;

/** pg_class: one row per table, view, sequence and index. */
export function pgClass(catalog: Catalog): SystemRelationDef {
  return {
    oid: 1259, schema: "pg_catalog", name: "pg_class",
    columns: [["oid", Oid.oid], ["relname", Oid.name], ["relnamespace", Oid.oid],
      ["reltype", Oid.oid], ["reloftype", Oid.oid], ["relowner", Oid.oid], ["relam", Oid.oid],
      ["relfilenode", Oid.oid], ["reltablespace", Oid.oid], ["relpages", Oid.int4],
      ["reltuples", Oid.float4], ["relallvisible", Oid.int4], ["reltoastrelid", Oid.oid],
      ["relhasindex", Oid.bool], ["relisshared", Oid.bool], ["relpersistence", Oid.char],
      ["relkind", Oid.char], ["relnatts", Oid.int2], ["relchecks", Oid.int2],
      ["relhasrules", Oid.bool], ["relhastriggers", Oid.bool], ["relhassubclass", Oid.bool],
      ["relrowsecurity", Oid.bool], ["relforcerowsecurity", Oid.bool],
      ["relispopulated", Oid.bool], ["relreplident", Oid.char], ["relispartition", Oid.bool],
      ["relrewrite", Oid.oid], ["relfrozenxid", xid], ["relminmxid", xid],
      ["relacl", textArray], ["reloptions", textArray], ["relpartbound", Oid.text]],
    rows: () => classRows(catalog),
  };
}

interface ClassShape {
  readonly oid: number;
  /** The relation whose owner it has: an index's table (itself when absent). */
  readonly ownerOid?: number;
  readonly name: string;
  readonly schema: string;
  readonly kind: string;
  readonly am: number;
  readonly natts: number;
  readonly checks: number;
  readonly hasIndex: boolean;
  /** Foreign keys are triggers in Postgres, on both tables; psql looks for them only then. */
  readonly hasTriggers: boolean;
  /** relispartition, relpartbound (`partition/catalogs.ts`), relhassubclass. */
  readonly partition?: { readonly is: boolean; readonly bound: string | null;
    readonly parent: boolean };
  /** reloptions: a view's options (`ddl/view-options.ts`). */
  readonly options?: readonly string[] | undefined;
}

function classRows(catalog: Catalog): Row[] {
  const shapes: ClassShape[] = [];
  const referenced = new Set<number>();
  for (const rel of catalog.allRelations()) {
    for (const fk of rel.foreignKeys) {
      referenced.add(fk.refRelationOid);
      for (const part of fk.refPartitions ?? []) referenced.add(part.relationOid);
    }
  }
  const plain = { checks: 0, hasIndex: false, hasTriggers: false };
  for (const rel of catalog.allRelations()) {
    const partitioned = rel.partitionKey !== undefined;
    // A materialized view is stored as a table is: relam heap.
    const table = (rel.kind === "r" || rel.kind === "m") && !partitioned;
    shapes.push({ oid: rel.oid, name: rel.name, schema: rel.schema,
      kind: partitioned ? "p" : rel.kind,
      am: table ? SysOid.heapAm : 0, natts: rel.columns.length, checks: rel.checks.length,
      hasIndex: rel.indexes.length > 0,
      hasTriggers: rel.foreignKeys.length > 0 || referenced.has(rel.oid) ||
        triggersOf(catalog, rel.oid).length > 0,
      partition: { is: rel.partitionOf !== undefined, bound: relPartBound(rel),
        parent: partitioned || rel.hasSubclass === true }, options: rel.viewOptions });
    for (const index of rel.indexes) {
      shapes.push({ ...plain, oid: index.oid, ownerOid: rel.oid, name: index.name,
        schema: rel.schema,
        kind: partitioned ? "I" : "i", am: accessMethodOid(index.method),
        natts: index.columns.length,
        partition: { is: rel.partitionOf !== undefined, bound: null, parent: false } });
    }
  }
  for (const seq of catalog.allSequences()) {
    shapes.push({ ...plain, oid: seq.oid, name: seq.name, schema: seq.schema, kind: "S",
      am: 0, natts: 3 });
  }
  shapes.push(...compositeClassShapes(catalog));
  return shapes.map((s): Row => {
    const fileNode = s.kind === "v" ? 0 : s.oid;
    return [s.oid, s.name, namespaceOid(catalog, s.schema), 0, 0,
      ownerOf(catalog, "table", s.ownerOid ?? s.oid),
      s.am, fileNode, 0, ...initialSize(s.kind, s.am), 0, 0, s.hasIndex, false,
      persistence(s.schema), s.kind,
      s.natts, s.checks, s.kind === "v", s.hasTriggers, s.partition?.parent === true, false,
      false, true, ["r", "p", "m"].includes(s.kind) ? "d" : "n", s.partition?.is === true, 0,
      s.kind === "r" ? 1 : 0, s.kind === "r" ? 1 : 0, aclArray(catalog, "table", s.oid),
      s.options === undefined ? null : makeArray(Oid.text, s.options),
      s.partition?.bound ?? null];
  });
}

/**
 * relpages and reltuples as PostgreSQL 15 leaves them before any VACUUM or ANALYZE: a
 * btree index is built with its metapage and 0 tuples counted, a partitioned index has no
 * storage and counts 0, a sequence holds one page with its one row, and everything else is
 * unknown (-1 tuples, 0 pages).
 */
function initialSize(kind: string, am: number): [number, number] {
  if (kind === "S") return [1, 1];
  if (kind === "i" && am === btreeAmOid) return [1, 0];
  return kind === "I" ? [0, 0] : [0, -1];
}

const btreeAmOid = 403;

/** pg_attribute: the columns of every relation, index and sequence. */
export function pgAttribute(catalog: Catalog): SystemRelationDef {
  return {
    oid: 1249, schema: "pg_catalog", name: "pg_attribute",
    columns: [["attrelid", Oid.oid], ["attname", Oid.name], ["atttypid", Oid.oid],
      ["attstattarget", Oid.int4], ["attlen", Oid.int2], ["attnum", Oid.int2],
      ["attndims", Oid.int4], ["attcacheoff", Oid.int4], ["atttypmod", Oid.int4],
      ["attbyval", Oid.bool], ["attalign", Oid.char], ["attstorage", Oid.char],
      ["attcompression", Oid.char], ["attnotnull", Oid.bool], ["atthasdef", Oid.bool],
      ["atthasmissing", Oid.bool], ["attidentity", Oid.char], ["attgenerated", Oid.char],
      ["attisdropped", Oid.bool], ["attislocal", Oid.bool], ["attinhcount", Oid.int4],
      ["attcollation", Oid.oid], ["attacl", textArray], ["attoptions", textArray],
      ["attfdwoptions", textArray], ["attmissingval", Oid.text]],
    rows: () => attributeRows(catalog),
  };
}

function attributeRows(catalog: Catalog): Row[] {
  const rows: Row[] = [];
  for (const rel of catalog.allRelations()) {
    if ((rel.kind === "r" || rel.kind === "m") && !isSystemRelation(rel)) {
      rows.push(...systemAttributes(rel.oid));
    }
    rel.columns.forEach((column, i) => {
      const row = attributeRow(rel.oid, column, i + 1);
      row[22] = columnAclArray(catalog, rel.oid, i + 1); // attacl: GRANT … (column)
      rows.push(row);
    });
    for (const index of rel.indexes) rows.push(...indexAttributes(rel, index));
  }
  for (const seq of catalog.allSequences()) {
    rows.push(...systemAttributes(seq.oid), ...sequenceAttributes(seq));
  }
  for (const { type, columns } of compositeAttributeColumns(catalog)) {
    columns.forEach((column, i) => rows.push(attributeRow(type.relOid, column, i + 1)));
  }
  return rows;
}

/** The system columns every table, materialized view and sequence has: [name, type, len]. */
const systemColumns: readonly (readonly [string, number, number])[] = [
  ["tableoid", Oid.oid, 4], ["cmax", 29, 4], ["xmax", xid, 4], ["cmin", 29, 4],
  ["xmin", xid, 4], ["ctid", 27, 6]];

/** pg_attribute's rows for the system columns, attnum -6 (tableoid) to -1 (ctid). */
function systemAttributes(relid: number): Row[] {
  return systemColumns.map(([name, type, len], i): Row => [relid, name, type, 0, len,
    i - systemColumns.length, 0, -1, -1, type !== 27, type === 27 ? "s" : "i", "p", "", true,
    false, false, "", "", false, true, 0, 0, null, null, null, null]);
}

function attributeRow(relid: number, c: Column, attnum: number): Row {
  const t = typeDetails(c.type);
  const name = c.dropped ? `........pg.dropped.${attnum}........` : c.name;
  return [relid, name, c.dropped ? 0 : c.type, -1, t.len, attnum, t.isArray ? 1 : 0, -1,
    c.typmod, t.byVal, t.align, t.storage, "", c.notNull,
    (c.defaultExpr !== null || c.generated !== null) && c.identity === null, false,
    c.identity ?? "", c.generated === null ? "" : "s", c.dropped, c.inheritedOnly !== true,
    c.inhCount ?? 0, t.collation,
    null, null, null, null];
}

function indexAttributes(rel: Relation, index: Index): Row[] {
  const taken = new Set<string>();
  return index.columns.map((position, i): Row => {
    // An expression column is named after its function (lower), else expr; then expr1, …
    const base = rel.columns[position]?.name ??
      /^([A-Za-z_][A-Za-z0-9_$]*)\(/.exec(index.computed?.names[i] ?? "")?.[1] ?? "expr";
    let name = base;
    for (let n = 1; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    const column = { ...rel.columns[position] ?? { type: index.computed?.types[i] ?? 0,
      typmod: -1, dropped: false }, name };
    const type = indexKeyType(index.method, index.opclasses?.[i], column.type);
    return attributeRow(index.oid, { ...column, type, typmod: type === column.type
      ? column.typmod : -1, notNull: false, defaultExpr: null, identity: null,
      generated: null }, i + 1);
  });
}

function sequenceAttributes(seq: Sequence): Row[] {
  const plain = (name: string, type: number): Column => ({ name, type, typmod: -1,
    notNull: true, defaultExpr: null, identity: null, generated: null, dropped: false });
  return [plain("last_value", Oid.int8), plain("log_cnt", Oid.int8), plain("is_called", Oid.bool)]
    .map((c, i) => attributeRow(seq.oid, c, i + 1));
}

/**
 * pg_index: one row per index. indoption is 3 (DESC, NULLS FIRST) for a DESC key; indexprs
 * and indpred name the index (`{INDPRED :indexrelid 16400}`) for pg_get_expr, as pg_attrdef's
 * adbin does (`pg-constraint.ts`).
 */
export function pgIndex(catalog: Catalog): SystemRelationDef {
  return {
    oid: 2610, schema: "pg_catalog", name: "pg_index",
    columns: [["indexrelid", Oid.oid], ["indrelid", Oid.oid], ["indnatts", Oid.int2],
      ["indnkeyatts", Oid.int2], ["indisunique", Oid.bool], ["indnullsnotdistinct", Oid.bool],
      ["indisprimary", Oid.bool], ["indisexclusion", Oid.bool], ["indimmediate", Oid.bool],
      ["indisclustered", Oid.bool], ["indisvalid", Oid.bool], ["indcheckxmin", Oid.bool],
      ["indisready", Oid.bool], ["indislive", Oid.bool], ["indisreplident", Oid.bool],
      ["indkey", int2vector], ["indcollation", oidvector], ["indclass", oidvector],
      ["indoption", int2vector], ["indexprs", Oid.text], ["indpred", Oid.text]],
    rows: () => {
      const rows: Row[] = [];
      for (const rel of catalog.allRelations()) {
        for (const index of rel.indexes) rows.push(indexRow(rel, index));
      }
      return rows;
    },
  };
}

function indexRow(rel: Relation, index: Index): Row {
  const n = index.columns.length;
  const vector = (element: number, items: Value[]): Value => makeArray(element, items, [n], [0]);
  const types = index.columns.map((p, k) => rel.columns[p]?.type ?? index.computed!.types[k]!);
  const collations = types.map((t) => typeDetails(t).collation);
  const classes = types.map((t, k) => index.opclasses?.[k] ??
    defaultOpclass(index.method ?? "btree", t)?.oid ?? 0);
  return [index.oid, rel.oid, n, n, index.unique, index.nullsNotDistinct === true,
    index.primary,
    index.exclusion !== undefined,
    index.deferrable !== true, index.clustered === true,
    true, false, true, true, false, vector(Oid.int2, index.columns.map((p) => p + 1)),
    vector(Oid.oid, collations), vector(Oid.oid, classes),
    vector(Oid.int2, index.columns.map((_, k) => (index.descending?.[k] === true ? 3 : 0))),
    index.columns.includes(-1) ? `{INDEXPRS :indexrelid ${index.oid}}` : null,
    index.computed?.predicate == null ? null : `{INDPRED :indexrelid ${index.oid}}`];
}

/** pg_am: the access methods, heap for tables and the index methods (`access-methods.ts`). */
export const pgAm: SystemRelationDef = {
  oid: 2601, schema: "pg_catalog", name: "pg_am",
  columns: [["oid", Oid.oid], ["amname", Oid.name], ["amhandler", Oid.regproc],
    ["amtype", Oid.char]],
  rows: () => accessMethods.map((m): Row => [m.oid, m.name, m.handler, m.type]),
};
