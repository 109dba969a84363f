/**
 * REINDEX and CLUSTER, with PostgreSQL's checks and errors (commands/indexcmds.c ReindexIndex
 * / ReindexTable / ReindexMultipleTables, commands/cluster.c):
 *
 *   REINDEX { INDEX | TABLE | SCHEMA | DATABASE | SYSTEM } name
 *   CLUSTER t USING idx | CLUSTER t | CLUSTER
 *
 * Tessera's B+tree indexes never hold more than their live and not yet vacuumed entries, so a
 * rebuild would produce the same tree: REINDEX checks its target and does nothing more.
 * CLUSTER marks the index the table is clustered on (pg_index.indisclustered, psql's
 * ", clustered"), which a later CLUSTER without USING takes again; rows keep their physical
 * order, which no query may rely on without ORDER BY.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import type { Index, Relation } from "../catalog/relation.js";

/** Statements that PostgreSQL runs only outside a transaction block, by their name. */
export function maintenanceOutsideBlock(stmt: ast.Node): string | undefined {
  if ("ReindexStmt" in stmt) {
    const reindex = stmt.ReindexStmt;
    const concurrently = (reindex.params ?? []).some((p) =>
      "DefElem" in p && p.DefElem.defname === "concurrently");
    if (concurrently) return "REINDEX CONCURRENTLY";
    const kind = reindex.kind ?? "";
    if (kind === "REINDEX_OBJECT_SCHEMA") return "REINDEX SCHEMA";
    if (kind === "REINDEX_OBJECT_DATABASE") return "REINDEX DATABASE";
    if (kind === "REINDEX_OBJECT_SYSTEM") return "REINDEX SYSTEM";
    return undefined;
  }
  if ("ClusterStmt" in stmt && stmt.ClusterStmt.relation === undefined) return "CLUSTER";
  return undefined;
}

export function reindex(stmt: ast.ReindexStmt, statement: StatementScope): string {
  const { catalog, path } = statement;
  switch (stmt.kind) {
    case "REINDEX_OBJECT_INDEX": {
      const rv = stmt.relation!;
      if (catalog.findIndex(path, rv.schemaname, rv.relname ?? "") !== undefined) {
        return "REINDEX";
      }
      throw wrongKind(relationNamed(statement, rv).name, "is not an index");
    }
    case "REINDEX_OBJECT_TABLE": {
      const rel = relationNamed(statement, stmt.relation!);
      if (rel.kind !== "r" && rel.kind !== "m") {
        throw wrongKind(rel.name, "is not a table or materialized view");
      }
      return "REINDEX";
    }
    case "REINDEX_OBJECT_SCHEMA": {
      const name = stmt.name ?? "";
      if (!catalog.schemaExists(name)) {
        throw new SqlError(SqlState.invalidSchemaName, `schema "${name}" does not exist`);
      }
      return "REINDEX";
    }
    default: {
      const name = stmt.name ?? "";
      if (name !== "" && name !== statement.ctx.database) {
        throw new SqlError(SqlState.featureNotSupported,
          "can only reindex the currently open database");
      }
      return "REINDEX";
    }
  }
}

/** CLUSTER; `undo` records how its transaction's rollback takes the mark back. */
export function cluster(stmt: ast.ClusterStmt, statement: StatementScope,
  undo: (fn: () => void) => void): string {
  if (stmt.relation === undefined) return "CLUSTER";
  const rel = relationNamed(statement, stmt.relation);
  if (rel.kind !== "r" && rel.kind !== "m") {
    throw wrongKind(rel.name, "is not a table or materialized view");
  }
  let index: Index | undefined;
  if (stmt.indexname === undefined) {
    index = rel.indexes.find((i) => i.clustered === true);
    if (index === undefined) {
      throw new SqlError(SqlState.undefinedObject,
        `there is no previously clustered index for table "${rel.name}"`);
    }
  } else {
    index = rel.indexes.find((i) => i.name === stmt.indexname);
    if (index === undefined) {
      const elsewhere = statement.catalog.findIndex(statement.path, rel.schema, stmt.indexname);
      if (elsewhere === undefined) {
        throw new SqlError(SqlState.undefinedObject,
          `index "${stmt.indexname}" for table "${rel.name}" does not exist`);
      }
      throw wrongKind(stmt.indexname, `is not an index for table "${rel.name}"`);
    }
  }
  if (index.method !== undefined && index.method !== "btree") {
    throw new SqlError(SqlState.featureNotSupported,
      `cannot cluster on index "${index.name}" because access method does not support ` +
      "clustering");
  }
  const before = rel.indexes.map((i) => i.clustered === true);
  for (const other of rel.indexes) other.clustered = other === index;
  undo(() => rel.indexes.forEach((i, k) => {
    i.clustered = before[k] === true;
  }));
  return "CLUSTER";
}

/** The table `rv` names; an index named there is "not a table", anything else missing. */
function relationNamed(statement: StatementScope, rv: ast.RangeVar): Relation {
  const { catalog, path } = statement;
  const rel = catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
  if (rel !== undefined) return rel;
  if (catalog.findIndex(path, rv.schemaname, rv.relname ?? "") !== undefined) {
    throw wrongKind(rv.relname ?? "", "is not a table or materialized view");
  }
  throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname ?? ""}" does not exist`);
}

function wrongKind(name: string, what: string): SqlError {
  return new SqlError(SqlState.wrongObjectType, `"${name}" ${what}`);
}
