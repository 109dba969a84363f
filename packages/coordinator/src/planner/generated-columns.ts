/**
 * Generated columns (`GENERATED ALWAYS AS (expr) STORED`) of Citus tables. The shards hold
 * them as plain columns, so the coordinator computes them, as COPY does already: INSERT's
 * rows get each generated column from the row's other values, and an UPDATE (or ON CONFLICT
 * DO UPDATE) that sets a column a generated column reads also sets the generated column, to
 * its expression over the new values.
 *
 *   UPDATE t SET a = a + 1          (b GENERATED ALWAYS AS (a * 2))
 *     -> UPDATE t SET a = a + 1, b = ((a + 1)::int4 * 2)::int4
 */
import { domainDefault } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import type { ShellRelation } from "../operations/shard-ddl.js";
import { castTo, columnNames, columnRef, resTarget, unsupported } from "./raw.js";

type Column = ShellRelation["columns"][number];

export function generatedColumns(relation: ShellRelation): Column[] {
  return relation.columns.filter((c) => !c.dropped && c.generated !== null);
}

/**
 * Wraps the query that evaluates an INSERT's rows (every live column, in order, generated ones
 * as placeholders) so that generated columns are computed from the others.
 */
export function withGeneratedValues(rows: ast.Node, relation: ShellRelation): ast.Node {
  if (generatedColumns(relation).length === 0) return rows;
  const live = relation.columns.filter((c) => !c.dropped);
  const alias = "generated_source";
  return { SelectStmt: {
    targetList: live.map((c) => resTarget(c.generated === null ? columnRef(alias, c.name)
      : castTo(qualify(c.generated, alias), c.type, c.typmod))),
    fromClause: [{ RangeSubselect: { subquery: rows, alias: { aliasname: alias,
      colnames: live.map((c) => ({ String: { sval: c.name } })) } } }],
    limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } };
}

/**
 * Adds to an UPDATE's SET list (or ON CONFLICT DO UPDATE's) the generated columns that read a
 * column it sets; the list itself when none does.
 */
export function withGeneratedSets(targets: readonly ast.Node[], relation: ShellRelation):
  ast.Node[] {
  const generated = generatedColumns(relation);
  if (generated.length === 0) return [...targets];
  const sets = new Map<string, ast.Node>();
  let multiple = false;
  for (const target of targets) {
    if (!("ResTarget" in target)) continue;
    const res = target.ResTarget;
    const val = res.val;
    if (val !== undefined && "MultiAssignRef" in val) multiple = true;
    const column = relation.columns.find((c) => !c.dropped && c.name === res.name);
    if (column === undefined || val === undefined) continue;
    sets.set(column.name, "SetToDefault" in val ? defaultOf(column)
      : castTo(val, column.type, column.typmod));
  }
  const added: ast.Node[] = [];
  for (const column of generated) {
    const reads = columnsRead(column.generated!);
    if (!reads.some((name) => sets.has(name) || multiple)) continue;
    if (multiple) {
      throw unsupported("UPDATE of a distributed table with a generated column through a " +
        "multiple-column assignment is not supported yet");
    }
    added.push(resTarget(castTo(substitute(column.generated!, sets), column.type,
      column.typmod), column.name));
  }
  return [...targets, ...added];
}

function defaultOf(column: Column): ast.Node {
  return castTo(column.defaultExpr ?? domainDefault(column.type)?.expr ??
    { A_Const: { isnull: true } }, column.type, column.typmod);
}

/** The column names an expression reads (unqualified references, as generation allows). */
function columnsRead(expr: ast.Node): string[] {
  const names: string[] = [];
  visit(expr, (node) => {
    if (!("ColumnRef" in node)) return undefined;
    const name = columnNames(node.ColumnRef)?.at(-1);
    if (name !== undefined) names.push(name);
    return node;
  });
  return names;
}

/** A copy of `expr` with each column reference qualified by `alias`. */
function qualify(expr: ast.Node, alias: string): ast.Node {
  return visit(expr, (node) => {
    if (!("ColumnRef" in node)) return undefined;
    const name = columnNames(node.ColumnRef)?.at(-1);
    return name === undefined ? node : columnRef(alias, name);
  });
}

/** A copy of `expr` with the columns in `sets` replaced by their new values. */
function substitute(expr: ast.Node, sets: ReadonlyMap<string, ast.Node>): ast.Node {
  return visit(expr, (node) => {
    if (!("ColumnRef" in node)) return undefined;
    const name = columnNames(node.ColumnRef)?.at(-1);
    return name === undefined ? node : sets.get(name) ?? node;
  });
}

/**
 * Copies a raw tree; `replace` may return a node to put in place of one (not visited further)
 * or undefined to copy it and go on into its children. Bounded by the expression's size.
 */
function visit(node: ast.Node, replace: (node: ast.Node) => ast.Node | undefined): ast.Node {
  const copy = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(copy);
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && /^[A-Z]/.test(keys[0]!)) {
      const replaced = replace(record as ast.Node);
      if (replaced !== undefined) return replaced;
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = copy(record[key]);
    return out;
  };
  return copy(node) as ast.Node;
}
