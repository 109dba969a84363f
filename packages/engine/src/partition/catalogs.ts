/**
 * Partitioning in the system catalogs: pg_inherits and pg_partitioned_table rows, the
 * relpartbound marker pg_get_expr prints, and the functions pg_get_partkeydef,
 * pg_get_partition_constraintdef, pg_partition_tree, pg_partition_root and
 * pg_partition_ancestors.
 */
import { makeArray, type Row, type Value } from "@tessera/sql";
import type { EvalLike } from "../analyze/expr.js";
import type { Catalog } from "../catalog/catalog.js";
import { registerEngineFunction, type ScalarDef, type SrfDef } from "../catalog/builtins.js";
import type { Relation } from "../catalog/relation.js";
import type { SystemRelationDef } from "../catalog/system-relations.js";
import { Oid } from "../catalog/types.js";
import { inheritsRows } from "../catalog/inheritance.js";
import { boundText, partitionConstraintText, partitionKeyText } from "./bound-text.js";
import { ancestorsOf, partitionsNow } from "./model.js";

const int2vector = 22;
/** The default btree operator class of common key types (pg_opclass OIDs). */
const btreeOpclass: Readonly<Record<number, number>> = { 16: 424, 20: 3124, 21: 1979,
  23: 1978, 25: 3126, 700: 1970, 701: 3123, 1042: 426, 1043: 3126, 1082: 3122, 1114: 3128,
  1184: 3127, 1700: 3125, 2950: 2968 };
const collatable = new Set([25, 1042, 1043]);
const oidvector = 30;

/** pg_class.relpartbound of a partition: a marker pg_get_expr turns into the bound's text. */
export function relPartBound(rel: Relation): string | null {
  return rel.partitionOf === undefined ? null : `{PARTITIONBOUND :relid ${rel.oid}}`;
}

/** pg_get_expr of a relpartbound marker, or undefined for other trees. */
export function partitionBoundExpr(catalog: Catalog, tree: string, ctx: EvalLike):
  string | null | undefined {
  const m = /^\{PARTITIONBOUND :relid (\d+)\}$/.exec(tree);
  if (m === null) return undefined;
  const rel = catalog.relation(Number(m[1]));
  const parent = rel?.partitionOf === undefined ? undefined
    : catalog.relation(rel.partitionOf.parentOid);
  if (rel?.partitionOf === undefined || parent === undefined) return null;
  return boundText(rel.partitionOf.bound, parent, ctx);
}

export function partitionCatalogs(catalog: Catalog): SystemRelationDef[] {
  return [{
    oid: 2611, schema: "pg_catalog", name: "pg_inherits",
    columns: [["inhrelid", Oid.oid], ["inhparent", Oid.oid], ["inhseqno", Oid.int4],
      ["inhdetachpending", Oid.bool]],
    rows: () => [...catalog.allRelations()].filter((r) => r.partitionOf !== undefined)
      .map((r): Row => [r.oid, r.partitionOf!.parentOid, 1, false])
      .concat(inheritsRows(catalog)),
  }, {
    oid: 3350, schema: "pg_catalog", name: "pg_partitioned_table",
    columns: [["partrelid", Oid.oid], ["partstrat", Oid.char], ["partnatts", Oid.int2],
      ["partdefid", Oid.oid], ["partattrs", int2vector], ["partclass", oidvector],
      ["partcollation", oidvector], ["partexprs", Oid.text]],
    rows: () => [...catalog.allRelations()].filter((r) => r.partitionKey !== undefined)
      .map((r) => partitionedRow(catalog, r)),
  }];
}

function partitionedRow(catalog: Catalog, rel: Relation): Row {
  const key = rel.partitionKey!;
  const n = key.columns.length;
  const vector = (type: number, items: Value[]): Value => makeArray(type, items, [n], [0]);
  const fallback = partitionsNow(catalog, rel).find((p) => p.partitionOf!.bound.kind ===
    "default");
  const types = key.columns.map((c) => rel.columns[c]!.type);
  return [rel.oid, key.strategy, n, fallback?.oid ?? 0,
    vector(Oid.int2, key.columns.map((c) => c + 1)),
    vector(Oid.oid, types.map((t) => btreeOpclass[t] ?? 0)),
    vector(Oid.oid, types.map((t) => (collatable.has(t) ? 100 : 0))), null];
}

function scalar(name: string, argTypes: number[], returnType: number,
  impl: (args: Value[], ctx: EvalLike) => Value): ScalarDef {
  return { kind: "scalar", name, argTypes, returnType, volatility: "s", strict: true, impl };
}

/** Registers the partitioning functions (after the catalog's stand-ins, which they replace). */
export function registerPartitionFunctions(catalog: Catalog): void {
  const rel = (oid: Value): Relation | undefined => catalog.relation(oid as number);
  registerEngineFunction(scalar("pg_get_partkeydef", [Oid.oid], Oid.text, ([oid]) => {
    const r = rel(oid!);
    return r?.partitionKey === undefined ? null : partitionKeyText(r);
  }));
  registerEngineFunction(scalar("pg_get_partition_constraintdef", [Oid.oid], Oid.text,
    ([oid], ctx) => {
      const r = rel(oid!);
      return r === undefined ? null : partitionConstraintText(catalog, r, ctx);
    }));
  registerEngineFunction(scalar("pg_partition_root", [Oid.regclass], Oid.regclass, ([oid]) => {
    const r = rel(oid!);
    if (r === undefined || r.partitionKey === undefined && r.partitionOf === undefined) {
      return null;
    }
    const chain = ancestorsOf(catalog, r);
    return (chain[chain.length - 1] ?? r).oid;
  }));
  const ancestors: SrfDef = { kind: "srf", name: "pg_partition_ancestors",
    argTypes: [Oid.regclass], returnType: Oid.regclass, volatility: "v", strict: true,
    outColumns: [{ name: "relid", type: Oid.regclass }],
    impl: ([oid]) => {
      const r = rel(oid!);
      if (r === undefined || r.partitionKey === undefined && r.partitionOf === undefined) {
        return [];
      }
      return [r, ...ancestorsOf(catalog, r)].map((a) => a.oid);
    } };
  registerEngineFunction(ancestors);
  registerEngineFunction(treeFunction(catalog));
}

function treeFunction(catalog: Catalog): SrfDef {
  return { kind: "srf", name: "pg_partition_tree", argTypes: [Oid.regclass],
    returnType: Oid.record, volatility: "v", strict: true,
    outColumns: [{ name: "relid", type: Oid.regclass },
      { name: "parentrelid", type: Oid.regclass }, { name: "isleaf", type: Oid.bool },
      { name: "level", type: Oid.int4 }],
    impl: ([oid]) => {
      const root = catalog.relation(oid as number);
      if (root === undefined || root.partitionKey === undefined &&
        root.partitionOf === undefined) return [];
      const rows: Value[][] = [];
      const visit = (r: Relation, parent: number | null, level: number): void => {
        rows.push([r.oid, parent, r.partitionKey === undefined, level]);
        for (const child of partitionsNow(catalog, r)) visit(child, r.oid, level + 1);
      };
      visit(root, root.partitionOf?.parentOid ?? null, 0);
      return rows;
    } };
}
