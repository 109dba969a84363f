/**
 * Dependencies between catalog objects, as Postgres's pg_depend records them, and the set of
 * objects a DROP removes (dependency.c's findDependentObjects).
 *
 * We keep no dependency table: the edges are read off the catalog when a DROP asks.
 *
 *     schema    <- tables, views, sequences in it                       (normal)
 *     table     <- its indexes, the sequences its columns own             (auto)
 *               <- foreign keys of other tables that reference it      (normal)
 *               <- views that read it                                  (normal)
 *     view      <- views that read it                                  (normal)
 *     sequence  <- column defaults that call nextval on it             (normal)
 *
 * A DROP walks these edges depth first from its targets, children in creation order. Auto
 * dependents go silently; a normal one is reported, unless the table that owns it (a foreign
 * key's or a default's table) goes too. Without CASCADE a reported dependent is an error
 * (2BP01); with it, a NOTICE lists what else goes. For `drop table a` with `b.x references a`
 * and `view va as select * from a`:
 *
 *     ERROR:  cannot drop table a because other objects depend on it
 *     DETAIL:  constraint b_x_fkey on table b depends on table a
 *     view va depends on table a
 */
import type { ast } from "@tessera/sql";
import type { Catalog } from "./catalog.js";
import { matchingIndex } from "../partition/model.js";
import { referencesTable } from "../partition/foreign-key-model.js";
import { splitQualifiedName } from "./qualified-name.js";
import type { ForeignKey, Index, Relation, Sequence } from "./relation.js";

export type DbObject =
  | { readonly kind: "relation"; readonly rel: Relation }
  | { readonly kind: "sequence"; readonly seq: Sequence }
  | { readonly kind: "index"; readonly rel: Relation; readonly index: Index }
  | { readonly kind: "schema"; readonly name: string }
  | { readonly kind: "fkey"; readonly rel: Relation; readonly fk: ForeignKey }
  | { readonly kind: "default"; readonly rel: Relation; readonly column: number };

/** An object a DROP removes, with the object it was reached from. */
export interface Doomed {
  readonly obj: DbObject;
  readonly on: DbObject | null;
  /** Reported to the user: a normal dependency whose owner does not go as well. */
  readonly reported: boolean;
}

interface Edge {
  readonly obj: DbObject;
  readonly auto: boolean;
  readonly order: number;
}

/** Returns everything dropping `targets` removes, targets first, in Postgres's order. */
export function objectsToDrop(catalog: Catalog, targets: readonly DbObject[]): Doomed[] {
  const seen = new Set<string>();
  const out: { obj: DbObject; on: DbObject | null; auto: boolean }[] = [];
  const visit = (obj: DbObject, on: DbObject | null, auto: boolean, depth: number): void => {
    const key = objectKey(obj);
    if (seen.has(key) || depth > 1000) return;
    seen.add(key);
    out.push({ obj, on, auto });
    for (const edge of dependentsOf(catalog, obj)) visit(edge.obj, obj, edge.auto, depth + 1);
  };
  for (const target of targets) seen.add(objectKey(target));
  for (const target of targets) {
    out.push({ obj: target, on: null, auto: true });
    for (const edge of dependentsOf(catalog, target)) visit(edge.obj, target, edge.auto, 1);
  }
  const going = new Set(out.filter((d) => d.obj.kind === "relation")
    .map((d) => (d.obj.kind === "relation" ? d.obj.rel.oid : 0)));
  return out.map((d) => ({ obj: d.obj, on: d.on,
    reported: d.on !== null && !d.auto && !ownerGoes(d.obj, going) }));
}

function ownerGoes(obj: DbObject, going: ReadonlySet<number>): boolean {
  return (obj.kind === "fkey" || obj.kind === "default" || obj.kind === "index") &&
    going.has(obj.rel.oid);
}

function objectKey(obj: DbObject): string {
  switch (obj.kind) {
    case "relation": return `r${obj.rel.oid}`;
    case "sequence": return `s${obj.seq.oid}`;
    case "index": return `i${obj.index.oid}`;
    case "schema": return `n${obj.name}`;
    case "fkey": return `f${obj.rel.oid}.${obj.fk.name}`;
    case "default": return `d${obj.rel.oid}.${obj.column}`;
  }
}

/** Returns the objects that depend on `obj` directly, in creation order. */
function dependentsOf(catalog: Catalog, obj: DbObject): Edge[] {
  const edges: Edge[] = [];
  switch (obj.kind) {
    case "schema":
      for (const rel of catalog.allRelations()) {
        if (rel.schema === obj.name) edges.push(normal({ kind: "relation", rel }, rel.oid));
      }
      for (const seq of catalog.allSequences()) {
        if (seq.schema !== obj.name) continue;
        edges.push({ obj: { kind: "sequence", seq }, auto: seq.ownedBy !== null, order: seq.oid });
      }
      break;
    case "relation":
      tableDependents(catalog, obj.rel, edges);
      break;
    case "fkey":
      for (const other of catalog.allRelations()) {
        if (other.partitionOf?.parentOid !== obj.rel.oid) continue;
        const copy = other.foreignKeys.find((f) => f.inheritedFrom === obj.fk.name);
        if (copy !== undefined) {
          edges.push({ obj: { kind: "fkey", rel: other, fk: copy }, auto: true, order: other.oid });
        }
      }
      break;
    case "index":
      for (const other of catalog.allRelations()) {
        if (other.partitionOf?.parentOid !== obj.rel.oid) continue;
        const own = matchingIndex(other, obj.index);
        if (own !== undefined) {
          edges.push({ obj: { kind: "index", rel: other, index: own }, auto: true,
            order: own.oid });
        }
      }
      break;
    case "sequence":
      for (const rel of catalog.allRelations()) {
        rel.columns.forEach((c, column) => {
          if (c.dropped || c.defaultExpr === null) return;
          if (!sequencesIn(catalog, rel, c.defaultExpr).includes(obj.seq.oid)) return;
          edges.push(normal({ kind: "default", rel, column }, rel.oid));
        });
      }
      break;
    default:
      break;
  }
  return edges.sort((a, b) => a.order - b.order);
}

const normal = (obj: DbObject, order: number): Edge => ({ obj, auto: false, order });

function tableDependents(catalog: Catalog, rel: Relation, edges: Edge[]): void {
  for (const other of catalog.allRelations()) {
    if (other.partitionOf?.parentOid !== rel.oid) continue;
    edges.push({ obj: { kind: "relation", rel: other }, auto: true, order: other.oid });
  }
  for (const index of rel.indexes) {
    edges.push({ obj: { kind: "index", rel, index }, auto: true, order: index.oid });
  }
  for (const seq of catalog.allSequences()) {
    if (seq.ownedBy?.relationOid !== rel.oid) continue;
    edges.push({ obj: { kind: "sequence", seq }, auto: true, order: seq.oid });
  }
  for (const other of catalog.allRelations()) {
    for (const fk of other.foreignKeys) {
      // A partition's copy of a foreign key goes with the one it copies.
      if (other === rel || fk.inheritedFrom !== undefined) continue;
      if (!referencesTable(catalog, fk, rel)) continue;
      edges.push(normal({ kind: "fkey", rel: other, fk }, other.oid));
    }
    if (other.viewDeps?.includes(rel.oid) === true ||
      other.inheritsFrom?.includes(rel.oid) === true) {
      edges.push(normal({ kind: "relation", rel: other }, other.oid));
    }
  }
}

/** Returns the OIDs of the sequences `nextval('…')` calls in a stored expression name. */
export function sequencesIn(catalog: Catalog, rel: Relation, expr: ast.Node): number[] {
  const out: number[] = [];
  walk(expr, 0, (node) => {
    if (!("FuncCall" in node)) return;
    const fn = node.FuncCall.funcname ?? [];
    const last = fn[fn.length - 1];
    if (last === undefined || !("String" in last) || last.String.sval !== "nextval") return;
    const name = literalIn(node.FuncCall.args?.[0]);
    if (name === undefined) return;
    const parts = splitQualifiedName(name);
    const seq = catalog.findSequence([rel.schema, "pg_catalog"],
      parts.length > 1 ? parts[0] : undefined, parts[parts.length - 1]!);
    if (seq !== undefined) out.push(seq.oid);
  });
  return out;
}

/**
 * The sequence name of nextval's argument when it is a regclass constant: a bare literal or
 * one cast to regclass. A name cast to text is looked up at each call, with no dependency.
 */
function literalIn(node: ast.Node | undefined): string | undefined {
  if (node === undefined) return undefined;
  if ("A_Const" in node) return node.A_Const.sval?.sval;
  if (!("TypeCast" in node)) return undefined;
  const names = node.TypeCast.typeName?.names ?? [];
  const last = names[names.length - 1];
  const type = last !== undefined && "String" in last ? last.String.sval : undefined;
  return type === "regclass" ? literalIn(node.TypeCast.arg) : undefined;
}

/** Calls `visit` on every node of a raw parse tree. */
export function walk(value: unknown, depth: number, visit: (node: ast.Node) => void): void {
  if (depth > 1000 || value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const item of value) walk(item, depth + 1, visit);
    return;
  }
  visit(value as ast.Node);
  for (const child of Object.values(value)) walk(child, depth + 1, visit);
}

/**
 * Describes an object as getObjectDescription does: "table t", "view s.v" (qualified when
 * the search path would not find it), "default value for column id of table t".
 */
export function describe(catalog: Catalog, path: readonly string[], obj: DbObject): string {
  const name = (schema: string, rel: string, oid: number): string =>
    catalog.lookupName(path, undefined, rel)?.oid === oid ? rel : `${schema}.${rel}`;
  switch (obj.kind) {
    case "relation": {
      const word = obj.rel.kind === "v" ? "view" : obj.rel.kind === "m" ? "materialized view"
        : "table";
      return `${word} ${name(obj.rel.schema, obj.rel.name, obj.rel.oid)}`;
    }
    case "sequence":
      return `sequence ${name(obj.seq.schema, obj.seq.name, obj.seq.oid)}`;
    case "index":
      return `index ${name(obj.rel.schema, obj.index.name, obj.index.oid)}`;
    case "schema":
      return `schema ${obj.name}`;
    case "fkey":
      return `constraint ${obj.fk.name} on ${describe(catalog, path,
        { kind: "relation", rel: obj.rel })}`;
    case "default":
      return `default value for column ${obj.rel.columns[obj.column]!.name} of ` +
        describe(catalog, path, { kind: "relation", rel: obj.rel });
  }
}
