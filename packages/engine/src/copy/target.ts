/**
 * The table side of COPY (Postgres's CopyGetAttnums): the relation, the columns the data
 * holds in order, and the FORCE_* column lists resolved against them.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { locationOf } from "../analyze/expr-analyze.js";
import type { StatementScope } from "../analyze/scope.js";
import type { Relation } from "../catalog/relation.js";
import { hasInsteadOfTrigger } from "../plpgsql/trigger-store.js";
import type { CopyOptions } from "./options.js";

export interface CopyTarget {
  readonly rel: Relation;
  /** Stored positions of the columns the data holds, in data order. */
  readonly columns: readonly number[];
  /** Per data column: FORCE_QUOTE, FORCE_NOT_NULL, FORCE_NULL. */
  readonly forceQuote: readonly boolean[];
  readonly forceNotNull: readonly boolean[];
  readonly forceNull: readonly boolean[];
}

/** Resolves the table and column list of `COPY table [(columns)]`. */
export function copyTarget(stmt: ast.CopyStmt, statement: StatementScope,
  options: CopyOptions): CopyTarget {
  const rv = stmt.relation!;
  const rel = statement.catalog.findRelation(statement.path, rv.schemaname, rv.relname ?? "");
  if (rel === undefined) {
    const name = rv.schemaname === undefined ? rv.relname : `${rv.schemaname}.${rv.relname}`;
    throw new SqlError(SqlState.undefinedTable, `relation "${name}" does not exist`,
      locationOf(rv.location));
  }
  const isFrom = stmt.is_from === true;
  // A view takes COPY FROM through its INSTEAD OF INSERT triggers (`copy-view.ts`).
  const throughTrigger = rel.kind === "v" && isFrom &&
    hasInsteadOfTrigger(statement.catalog, rel, "insert");
  if (rel.kind === "v" && !throughTrigger) {
    throw new SqlError(SqlState.wrongObjectType,
      `cannot copy ${isFrom ? "to" : "from"} view "${rel.name}"`,
      { hint: isFrom ? "To enable copying to a view, provide an INSTEAD OF INSERT trigger."
        : "Try the COPY (SELECT ...) TO variant." });
  }
  if (!isFrom && rel.partitionKey !== undefined) {
    throw new SqlError(SqlState.wrongObjectType,
      `cannot copy from partitioned table "${rel.name}"`,
      { hint: "Try the COPY (SELECT ...) TO variant." });
  }
  const names = (stmt.attlist ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const columns = names.length === 0
    ? rel.columns.flatMap((c, i) => (c.dropped ? [] : [i]))
    : names.map((name, k) => {
      const i = columnPosition(rel, name);
      if (names.indexOf(name) !== k) {
        throw new SqlError(SqlState.duplicateColumn, `column "${name}" specified more than once`);
      }
      return i;
    });
  const flags = (list: readonly string[] | "all", option: string): boolean[] => {
    if (list === "all") return columns.map(() => true);
    const out = columns.map(() => false);
    for (const name of list) {
      const k = columns.indexOf(columnPosition(rel, name));
      if (k < 0) {
        throw new SqlError(SqlState.invalidColumnReference,
          `${option} column "${name}" not referenced by COPY`);
      }
      out[k] = true;
    }
    return out;
  };
  return { rel, columns, forceQuote: flags(options.forceQuote, "FORCE_QUOTE"),
    forceNotNull: flags(options.forceNotNull, "FORCE_NOT_NULL"),
    forceNull: flags(options.forceNull, "FORCE_NULL") };
}

function columnPosition(rel: Relation, name: string): number {
  const i = rel.columns.findIndex((c) => c.name === name && !c.dropped);
  if (i < 0) {
    throw new SqlError(SqlState.undefinedColumn,
      `column "${name}" of relation "${rel.name}" does not exist`);
  }
  return i;
}
