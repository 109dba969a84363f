/**
 * pg_constraint and pg_attrdef. Our catalog keeps constraints on their table (primary key and
 * unique constraints as indexes with a constraint name, CHECKs and foreign keys in lists) and
 * defaults on their column; these relations show them with Postgres 15's columns.
 *
 * conbin and adbin are pg_node_tree in Postgres, text nobody parses but pg_get_expr. Ours
 * name the stored expression (`{DEFAULT :relid 16397 :attnum 4}`) so pg_get_expr can find
 * and print it, pretty or not.
 */
import { domainConstraintRows } from "./domain-rows.js";
import { makeArray, type Row, type Value } from "@tessera/sql";
import type { ast } from "@tessera/sql";
import type { Catalog } from "../catalog.js";
import type { CheckConstraint, ForeignKey, Index, Relation } from "../relation.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { constraintOid, indexByOid, namespaceOid } from "./oids.js";
import { partitionsUnder } from "../../partition/foreign-key-model.js";

const int2Array = 1005;
const oidArray = 1028;

/** One constraint as pg_constraint shows it, with what pg_get_constraintdef needs. */
export interface ConstraintInfo {
  readonly oid: number;
  readonly name: string;
  readonly type: "p" | "u" | "f" | "c" | "x";
  readonly relation: Relation;
  /** Key columns (0-based positions), empty for CHECK. */
  readonly columns: readonly number[];
  readonly indexOid: number;
  readonly refRelationOid: number;
  readonly refColumns: readonly number[];
  readonly onUpdate: string;
  readonly onDelete: string;
  /** The CHECK expression, else null. */
  readonly expr: ast.Node | null;
  /** condeferrable, condeferred (foreign keys: `txn/deferred-checks.ts`). */
  readonly deferrable?: boolean;
  readonly initDeferred?: boolean;
  /** The object the constraint is (an Index, a ForeignKey, a CheckConstraint). */
  readonly source: object;
  /** A partitioned table's constraint this one stands for (conparentid; conislocal false). */
  readonly parentOid?: number;
}

/** Every constraint of every relation. */
export function allConstraints(catalog: Catalog): ConstraintInfo[] {
  const out: ConstraintInfo[] = [];
  for (const rel of catalog.allRelations()) out.push(...relationConstraints(catalog, rel));
  return out;
}

function relationConstraints(catalog: Catalog, rel: Relation): ConstraintInfo[] {
  const base = { relation: rel, indexOid: 0, refRelationOid: 0, refColumns: [], onUpdate: " ",
    onDelete: " ", expr: null };
  const out: ConstraintInfo[] = [];
  for (const index of rel.indexes) {
    if (index.constraintName === null) continue;
    out.push({ ...base, oid: constraintOid(catalog, index), name: index.constraintName,
      type: index.primary ? "p" : index.exclusion !== undefined ? "x" : "u",
      columns: index.columns, indexOid: index.oid,
      source: index, deferrable: index.deferrable === true,
      initDeferred: index.initDeferred === true });
  }
  for (const check of rel.checks) {
    out.push({ ...base, oid: constraintOid(catalog, check), name: check.name, type: "c",
      columns: [], expr: check.expr, source: check });
  }
  for (const fk of rel.foreignKeys) out.push(...foreignKeyRows(catalog, rel, fk));
  return out;
}

/**
 * A foreign key's pg_constraint rows: its own, then (referencing a partitioned table) one per
 * partition under that table, each the child of its parent partition's row.
 */
function foreignKeyRows(catalog: Catalog, rel: Relation, fk: ForeignKey): ConstraintInfo[] {
  const row = (name: string, refOid: number, key: object, source: ForeignKey,
    parentOid: number | undefined): ConstraintInfo => {
    const ref = catalog.relation(refOid);
    const refIndex = ref?.indexes.find((i) => i.unique && i.columns.length ===
      fk.refColumns.length && i.columns.every((c) => fk.refColumns.includes(c)));
    return { relation: rel, expr: null, oid: constraintOid(catalog, key), name, type: "f",
      columns: fk.columns, indexOid: refIndex?.oid ?? 0, refRelationOid: refOid,
      refColumns: fk.refColumns, onUpdate: fk.onUpdate, onDelete: fk.onDelete, source,
      deferrable: fk.deferrable === true, initDeferred: fk.initDeferred === true,
      ...(parentOid !== undefined && { parentOid }) };
  };
  const parent = fk.inheritedFrom === undefined ? undefined
    : catalog.relation(rel.partitionOf?.parentOid ?? 0)?.foreignKeys
      .find((f) => f.name === fk.inheritedFrom);
  const own = row(fk.name, fk.refRelationOid, fk, fk,
    parent === undefined ? undefined : constraintOid(catalog, parent));
  const out = [own];
  const oids = new Map([[fk.refRelationOid, own.oid]]);
  const ref = catalog.relation(fk.refRelationOid);
  if (ref === undefined || fk.refPartitions === undefined) return out;
  for (const part of partitionsUnder(catalog, ref)) {
    const entry = fk.refPartitions.find((p) => p.relationOid === part.oid);
    if (entry === undefined) continue;
    const source = { ...fk, refRelationOid: part.oid, notValid: entry.notValid === true };
    const info = row(entry.name, part.oid, entry, source,
      oids.get(part.partitionOf!.parentOid) ?? own.oid);
    oids.set(part.oid, info.oid);
    out.push(info);
  }
  return out;
}

/** Finds a constraint by OID. */
export function constraintByOid(catalog: Catalog, oid: number): ConstraintInfo | undefined {
  return allConstraints(catalog).find((c) => c.oid === oid);
}

/** pg_constraint, as Postgres 15 lays it out. */
export function pgConstraint(catalog: Catalog): SystemRelationDef {
  return {
    oid: 2606, schema: "pg_catalog", name: "pg_constraint",
    columns: [["oid", Oid.oid], ["conname", Oid.name], ["connamespace", Oid.oid],
      ["contype", Oid.char], ["condeferrable", Oid.bool], ["condeferred", Oid.bool],
      ["convalidated", Oid.bool], ["conrelid", Oid.oid], ["contypid", Oid.oid],
      ["conindid", Oid.oid], ["conparentid", Oid.oid], ["confrelid", Oid.oid],
      ["confupdtype", Oid.char], ["confdeltype", Oid.char], ["confmatchtype", Oid.char],
      ["conislocal", Oid.bool], ["coninhcount", Oid.int4], ["connoinherit", Oid.bool],
      ["conkey", int2Array], ["confkey", int2Array], ["conpfeqop", oidArray],
      ["conppeqop", oidArray], ["conffeqop", oidArray], ["confdelsetcols", int2Array],
      ["conexclop", oidArray], ["conbin", Oid.text]],
    rows: () => [...allConstraints(catalog).map(constraintRow(catalog)),
      ...domainConstraintRows(catalog)],
  };
}

function constraintRow(catalog: Catalog): (c: ConstraintInfo) => Row {
  const attnums = (positions: readonly number[]): Value =>
    positions.length === 0 ? null : makeArray(Oid.int2, positions.map((p) => p + 1));
  return (c) => [c.oid, c.name, namespaceOid(catalog, c.relation.schema), c.type,
    c.deferrable === true, c.initDeferred === true,
    (c.source as { notValid?: boolean } | undefined)?.notValid !== true, c.relation.oid, 0,
    c.indexOid, c.parentOid ?? 0, c.refRelationOid, c.onUpdate, c.onDelete,
    c.type !== "f" ? " " : (c.source as ForeignKey).matchFull === true ? "f" : "s",
    c.parentOid === undefined && (c.source as CheckConstraint | undefined)?.inheritedOnly !== true,
    c.parentOid !== undefined ? 1 : (c.source as CheckConstraint | undefined)?.inhCount ?? 0,
    (c.source as CheckConstraint | undefined)?.noInherit === true,
    attnums(c.type === "c" ? columnsRead(c.relation, c.expr!) : c.columns),
    c.type === "f" ? attnums(c.refColumns) : null, null, null, null,
    c.type === "f" ? attnums((c.source as ForeignKey).deleteSetColumns ?? []) : null,
    c.type === "x" ? exclusionOperators(c) : null,
    c.type === "c" ? `{CHECK :conid ${c.oid}}` : null];
}

/** conexclop: the exclusion constraint's operators (`exclusion.ts`). */
function exclusionOperators(c: ConstraintInfo): Value {
  const spec = (c.source as Index).exclusion;
  return spec === undefined ? null : makeArray(Oid.oid, [...spec.operatorOids]);
}

/**
 * The positions of the columns of `rel` an expression reads, in order of first appearance,
 * as a CHECK constraint's conkey lists them.
 */
export function columnsRead(rel: Relation, expr: ast.Node): number[] {
  const positions: number[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "ColumnRef") {
        const last = (value as ast.ColumnRef).fields?.at(-1);
        const name = last !== undefined && "String" in last ? last.String.sval : undefined;
        const p = rel.columns.findIndex((c) => !c.dropped && c.name === name);
        if (p >= 0 && !positions.includes(p)) positions.push(p);
      }
      walk(value);
    }
  };
  walk(expr);
  return positions;
}

/** pg_attrdef: one row per column with a default or a generation expression. */
export function pgAttrdef(catalog: Catalog): SystemRelationDef {
  return {
    oid: 2604, schema: "pg_catalog", name: "pg_attrdef",
    columns: [["oid", Oid.oid], ["adrelid", Oid.oid], ["adnum", Oid.int2], ["adbin", Oid.text]],
    rows: () => {
      const rows: Row[] = [];
      for (const rel of catalog.allRelations()) {
        rel.columns.forEach((c, i) => {
          if ((c.defaultExpr === null && c.generated === null) || c.dropped ||
            c.identity !== null) return;
          rows.push([constraintOid(catalog, c), rel.oid, i + 1,
            `{DEFAULT :relid ${rel.oid} :attnum ${i + 1}}`]);
        });
      }
      return rows;
    },
  };
}

/** Reads the stored expression an adbin or conbin value names. */
export function storedExprOf(catalog: Catalog, tree: string):
  { relation: Relation; expr: ast.Node; type?: number } | undefined {
  const dflt = /^\{DEFAULT :relid (\d+) :attnum (\d+)\}$/.exec(tree);
  if (dflt !== null) {
    const relation = catalog.relation(Number(dflt[1]));
    const column = relation?.columns[Number(dflt[2]) - 1];
    const expr = column?.generated ?? column?.defaultExpr;
    if (relation === undefined || column === undefined || expr == null) return undefined;
    return { relation, expr, type: column.type };
  }
  const pred = /^\{INDPRED :indexrelid (\d+)\}$/.exec(tree);
  if (pred !== null) {
    const found = indexByOid(catalog, Number(pred[1]));
    const expr = found?.index.computed?.predicate;
    return expr == null ? undefined : { relation: found!.relation, expr };
  }
  const check = /^\{CHECK :conid (\d+)\}$/.exec(tree);
  if (check === null) return undefined;
  const found = constraintByOid(catalog, Number(check[1]));
  return found?.expr == null ? undefined : { relation: found.relation, expr: found.expr };
}
