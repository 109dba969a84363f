/**
 * Step 1 of distributed planning: which relations does a statement name, and which of them
 * are Citus tables? The answer decides between the local engine (no Citus table) and the
 * distributed planner, and hands the planner each Citus table with its alias and position.
 *
 * A view is looked through: queries have their views over Citus tables expanded before this
 * step (`view-expansion.ts`); a statement that still names one here (one the expansion does
 * not cover) is refused, since reading the empty shell tables would be a wrong answer.
 */
import { oid, type Oid } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Catalog } from "./catalog-type.js";
import type { CitusTable, MetadataCache } from "../metadata/metadata-cache.js";
import type { ShellRelation } from "../operations/shard-ddl.js";
import { walkTree } from "./tree-walk.js";
import { citusTableRead } from "./view-expansion.js";
import { unsupported } from "./raw.js";

/** One relation reference of the statement. */
export interface TableRef {
  readonly rangeVar: ast.RangeVar;
  /** The name the query uses for it: its alias, or its own name. */
  readonly alias: string;
  /** "ParentType.field" of the reference (SelectStmt.fromClause, JoinExpr.larg …). */
  readonly position: string;
  readonly relation: ShellRelation;
  readonly citus: CitusTable | undefined;
}

export interface Classification {
  readonly refs: readonly TableRef[];
  readonly citus: readonly TableRef[];
}

/** Finds the relation references of `stmt` and marks the Citus tables among them. */
export function classify(stmt: ast.Node, catalog: Catalog, path: readonly string[],
  cache: MetadataCache): Classification {
  const refs: TableRef[] = [];
  walkTree(stmt, {
    rangeVar(rangeVar, position, ctes) {
      if (rangeVar.schemaname === undefined && ctes.has(rangeVar.relname ?? "")) return undefined;
      const relation = catalog.findRelation(path, rangeVar.schemaname, rangeVar.relname ?? "");
      if (relation === undefined) return undefined;
      const citus = cache.table(oid(relation.oid));
      if (citus === undefined && relation.kind === "v") checkView(relation, catalog, cache);
      refs.push({ rangeVar, alias: rangeVar.alias?.aliasname ?? rangeVar.relname ?? "",
        position, relation, citus });
      return undefined;
    },
  });
  const citus = refs.filter((ref) => ref.citus !== undefined);
  // A sample of the top-level FROM of a SELECT is pushed down (`table-sample.ts`); one
  // anywhere else would be read as the empty shell table by the planner.
  const sampled = citus.find((ref) => ref.position === "RangeTableSample.relation");
  if (sampled !== undefined) {
    throw unsupported("TABLESAMPLE on a distributed table is only supported in the FROM " +
      "list of a SELECT", `Table "${sampled.relation.name}" is a Citus table.`);
  }
  return { refs, citus };
}

/** True when `rangeVar` names a Citus table (not a CTE: the caller knows those). */
export function isCitusTable(rangeVar: ast.RangeVar, catalog: Catalog, path: readonly string[],
  cache: MetadataCache): boolean {
  const relation = catalog.findRelation(path, rangeVar.schemaname, rangeVar.relname ?? "");
  return relation !== undefined && cache.table(oid(relation.oid)) !== undefined;
}

/** Returns the Citus tables a DROP TABLE names. */
export function droppedCitusTables(stmt: ast.DropStmt, catalog: Catalog, path: readonly string[],
  cache: MetadataCache): { relation: ShellRelation; table: CitusTable }[] {
  if (stmt.removeType !== "OBJECT_TABLE") return [];
  const found: { relation: ShellRelation; table: CitusTable }[] = [];
  for (const object of stmt.objects ?? []) {
    if (!("List" in object)) continue;
    const names = (object.List.items ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
    const name = names.at(-1) ?? "";
    const schema = names.length > 1 ? names.at(-2) : undefined;
    const relation = catalog.findRelation(path, schema, name);
    const table = relation === undefined ? undefined : cache.table(oid(relation.oid));
    if (relation !== undefined && table !== undefined) found.push({ relation, table });
  }
  return found;
}

/** Refuses a view whose query reads a Citus table, looking through nested views. */
function checkView(view: ShellRelation, catalog: Catalog, cache: MetadataCache): void {
  const table = citusTableRead(view, catalog, cache, 0);
  if (table !== undefined) {
    throw unsupported(`views on distributed tables are not supported yet`,
      `View "${view.name}" reads the distributed table "${table.name}".`);
  }
}

/** The oid of a relation reference, branded. */
export function relationOid(ref: TableRef): Oid {
  return oid(ref.relation.oid);
}
