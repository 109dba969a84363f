/**
 * CREATE TABLE t (LIKE source [INCLUDING … | EXCLUDING …], …): copies the source's columns
 * with their types and NOT NULL, and as the options ask their defaults, generated
 * expressions, identity (with a new sequence of the same settings), CHECK constraints, and
 * primary key and unique constraints (named for the new table, as Postgres names them).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { exclusionConstraintNode } from "./exclusion.js";
import type { Catalog } from "./catalog.js";
import { createOwnedSequence } from "./create-table.js";
import type { Relation } from "./relation.js";

/** Postgres's TableLikeOption bits (parsenodes.h). */
const like = {
  constraints: 1 << 2, defaults: 1 << 3, generated: 1 << 4, identity: 1 << 5, indexes: 1 << 6,
} as const;

export function addLikeColumns(catalog: Catalog, path: readonly string[], relation: Relation,
  clause: ast.TableLikeClause, deferred: ast.Constraint[]): void {
  const rv = clause.relation!;
  const source = catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
  if (source === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname}" does not exist`);
  }
  const options = clause.options ?? 0;
  const has = (bit: number): boolean => (options & bit) !== 0;
  for (const c of source.columns) {
    if (c.dropped) continue;
    if (relation.columns.some((x) => x.name === c.name && !x.dropped)) {
      throw new SqlError(SqlState.duplicateColumn, `column "${c.name}" specified more than once`);
    }
    const generated = has(like.generated) ? c.generated : null;
    relation.columns.push({ ...c, generated,
      defaultExpr: has(like.defaults) && c.identity === null ? c.defaultExpr : null,
      identity: has(like.identity) ? c.identity : null });
    if (has(like.identity) && c.identity !== null) copyIdentity(catalog, source, relation, c.name);
  }
  if (has(like.constraints)) {
    for (const check of source.checks) relation.checks.push({ ...check });
  }
  if (has(like.indexes)) {
    for (const index of source.indexes) {
      if (index.exclusion !== undefined) {
        deferred.push(exclusionConstraintNode(source, index));
        continue;
      }
      if (index.constraintName === null || index.computed !== undefined) continue;
      const keys = index.columns.map((p) => ({ String: { sval: source.columns[p]!.name } }));
      deferred.push({ contype: index.primary ? "CONSTR_PRIMARY" : "CONSTR_UNIQUE", keys });
    }
  }
}

/** Gives an identity column copied by LIKE its own sequence, with the source's settings. */
function copyIdentity(catalog: Catalog, source: Relation, relation: Relation, column: string):
  void {
  const column0 = relation.columns[relation.columns.length - 1]!;
  const name = createOwnedSequence(catalog, relation, column, column0.type, undefined);
  column0.defaultExpr = { FuncCall: { funcname: [{ String: { sval: "nextval" } }],
    args: [{ A_Const: { sval: { sval: name } } }] } };
  const from = [...catalog.allSequences()].find((s) =>
    s.ownedBy?.relationOid === source.oid && s.ownedBy.column === column);
  const to = [...catalog.allSequences()].find((s) =>
    s.ownedBy?.relationOid === relation.oid && s.ownedBy.column === column);
  if (from === undefined || to === undefined) return;
  Object.assign(to, { start: from.start, increment: from.increment, min: from.min,
    max: from.max, cycle: from.cycle, cache: from.cache });
}
