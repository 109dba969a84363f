/**
 * Privilege checks for a statement, in one place before it is planned, as Postgres's
 * ExecCheckRTPerms checks a query's range table: every relation the statement names, with
 * the privileges its use needs, against the current role.
 *
 *   read (FROM, subqueries, WITH queries, COPY TO)       SELECT
 *   INSERT target (COPY FROM)                            INSERT, + SELECT with RETURNING
 *   UPDATE target / INSERT … ON CONFLICT DO UPDATE       UPDATE, + SELECT when columns are read
 *   DELETE target                                        DELETE, + SELECT when columns are read
 *   TRUNCATE                                             TRUNCATE
 *   CREATE TABLE / VIEW / SEQUENCE …                     CREATE on the schema
 *
 * A schema named explicitly needs USAGE ("permission denied for schema s"); a relation found
 * through search_path in a schema without USAGE is not found, as Postgres's lookup skips it.
 * A view is checked for the current role, and the relations it reads for the view's owner
 * (for the current role when the view has security_invoker, `ddl/view-options.ts`).
 * A privilege missing on a whole table may be held on the columns the statement uses
 * (GRANT SELECT (a) ON t …, `column-privileges.ts`); a failure names the table either way.
 * Superusers, and the cluster's internal user (no role), pass; so does recovery's replay.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import type { Catalog } from "./catalog.js";
import type { Relation, Sequence } from "./relation.js";
import { findRole, roleByOid, type Role } from "./roles.js";
import { heldPrivileges, holds, ownerOf, Priv, type AclKind } from "./privileges.js";
import { hasColumnAcls, heldColumnPrivileges } from "./column-privileges.js";
import { columnUseOf, type ColumnUse } from "./column-use.js";
import { walk } from "./depend.js";
import { viewOptionOn } from "../ddl/view-options.js";

const systemSchemas = new Set(["pg_catalog", "information_schema"]);

interface Use {
  readonly rv: ast.RangeVar;
  letters: string;
}

/** Throws 42501 when the current role lacks a privilege the statement needs. */
export function checkStatementPrivileges(catalog: Catalog, path: readonly string[],
  stmt: ast.Node, ctx: StatementContext): void {
  if (ctx.backendPid === 0) return;
  const role = findRole(catalog, ctx.user);
  if (role === undefined || role.superuser) return;
  const uses = usesOf(stmt);
  if (uses === undefined) return;
  for (const use of uses) checkUse(catalog, path, use, role, stmt);
  const created = createdIn(stmt);
  if (created !== undefined) {
    const schema = created.schemaname ?? catalog.creationSchema(path);
    checkSchema(catalog, schema, role, Priv.create);
  }
}

/** The relations a statement uses, or undefined for statements not checked here. */
function usesOf(stmt: ast.Node): Use[] | undefined {
  if ("ExplainStmt" in stmt) {
    const query = stmt.ExplainStmt.query;
    return query === undefined ? [] : usesOf(query);
  }
  if ("TruncateStmt" in stmt) {
    return (stmt.TruncateStmt.relations ?? []).flatMap((n) =>
      ("RangeVar" in n ? [{ rv: n.RangeVar, letters: Priv.truncate }] : []));
  }
  if ("CopyStmt" in stmt) {
    const copy = stmt.CopyStmt;
    if (copy.query !== undefined) return collect(copy.query);
    if (copy.relation === undefined) return [];
    return [{ rv: copy.relation, letters: copy.is_from === true ? Priv.insert : Priv.select }];
  }
  if ("CreateTableAsStmt" in stmt) {
    const query = stmt.CreateTableAsStmt.query;
    return query === undefined ? [] : collect(query);
  }
  if ("SelectStmt" in stmt || "InsertStmt" in stmt || "UpdateStmt" in stmt ||
    "DeleteStmt" in stmt || "MergeStmt" in stmt) {
    return collect(stmt);
  }
  if ("CreateStmt" in stmt || "ViewStmt" in stmt || "CreateSeqStmt" in stmt) return [];
  return undefined;
}

/** The new relation of a CREATE, whose schema needs CREATE. */
function createdIn(stmt: ast.Node): ast.RangeVar | undefined {
  if ("CreateStmt" in stmt) return temp(stmt.CreateStmt.relation);
  if ("ViewStmt" in stmt) return temp(stmt.ViewStmt.view);
  if ("CreateSeqStmt" in stmt) return temp(stmt.CreateSeqStmt.sequence);
  if ("CreateTableAsStmt" in stmt) return temp(stmt.CreateTableAsStmt.into?.rel);
  if ("SelectStmt" in stmt) return temp(stmt.SelectStmt.intoClause?.rel);
  return undefined;
}

function temp(rv: ast.RangeVar | undefined): ast.RangeVar | undefined {
  return rv === undefined || rv.relpersistence === "t" ? undefined : rv;
}

/** Walks a query: targets of writes get their letters, every other relation SELECT. */
function collect(query: ast.Node): Use[] {
  const uses: Use[] = [];
  const targets = new Set<ast.RangeVar>();
  const skipped = new Set<ast.RangeVar>();
  const ctes = new Set<string>();
  walk(query, 0, (node) => {
    if ("CommonTableExpr" in node) ctes.add(node.CommonTableExpr.ctename ?? "");
    if ("IntoClause" in node && node.IntoClause.rel !== undefined) skipped.add(node.IntoClause.rel);
    const target = writeTarget(node);
    if (target !== undefined) {
      targets.add(target.rv);
      uses.push(target);
    }
  });
  walk(query, 0, (node) => {
    if ("SelectStmt" in node && node.SelectStmt.intoClause?.rel !== undefined) {
      skipped.add(node.SelectStmt.intoClause.rel);
    }
    if (!("RangeVar" in node)) return;
    const rv = node.RangeVar;
    if (targets.has(rv) || skipped.has(rv)) return;
    if (rv.schemaname === undefined && ctes.has(rv.relname ?? "")) return;
    uses.push({ rv, letters: Priv.select });
  });
  return uses;
}

/** The target of an INSERT, UPDATE or DELETE node, with the privileges it needs. */
function writeTarget(node: ast.Node): Use | undefined {
  if ("InsertStmt" in node && node.InsertStmt.relation !== undefined) {
    const insert = node.InsertStmt;
    let letters: string = Priv.insert;
    if ((insert.returningClause?.exprs ?? []).length > 0) letters += Priv.select;
    const conflict = insert.onConflictClause;
    if (conflict?.action === "ONCONFLICT_UPDATE") {
      letters += Priv.update;
      if (readsColumns([conflict.targetList, conflict.whereClause])) letters += Priv.select;
    }
    return { rv: node.InsertStmt.relation, letters };
  }
  if ("UpdateStmt" in node && node.UpdateStmt.relation !== undefined) {
    const update = node.UpdateStmt;
    const reads = readsColumns([update.targetList?.map((t) => ("ResTarget" in t
      ? t.ResTarget.val : undefined)), update.whereClause, update.returningClause]);
    return { rv: node.UpdateStmt.relation, letters: Priv.update + (reads ? Priv.select : "") };
  }
  if ("DeleteStmt" in node && node.DeleteStmt.relation !== undefined) {
    const del = node.DeleteStmt;
    const reads = readsColumns([del.whereClause, del.returningClause]);
    return { rv: node.DeleteStmt.relation, letters: Priv.delete + (reads ? Priv.select : "") };
  }
  if ("MergeStmt" in node && node.MergeStmt.relation !== undefined) return mergeTarget(node);
  return undefined;
}

/** MERGE's target: each action's privilege, SELECT when ON or a WHEN clause reads columns. */
function mergeTarget(node: ast.Node & { MergeStmt: ast.MergeStmt }): Use {
  const merge = node.MergeStmt;
  const clauses = (merge.mergeWhenClauses ?? []).flatMap((n) =>
    ("MergeWhenClause" in n ? [n.MergeWhenClause] : []));
  const letters = new Set<string>();
  for (const clause of clauses) {
    if (clause.commandType === "CMD_INSERT") letters.add(Priv.insert);
    if (clause.commandType === "CMD_UPDATE") letters.add(Priv.update);
    if (clause.commandType === "CMD_DELETE") letters.add(Priv.delete);
  }
  const matched = clauses.filter((c) => c.matchKind === "MERGE_WHEN_MATCHED");
  if (readsColumns([merge.joinCondition, matched.map((c) => c.condition),
    matched.map((c) => c.targetList)])) letters.add(Priv.select);
  return { rv: merge.relation!, letters: [...letters].join("") };
}

function readsColumns(parts: unknown): boolean {
  let found = false;
  walk(parts, 0, (node) => {
    if ("ColumnRef" in node) found = true;
  });
  return found;
}

function checkUse(catalog: Catalog, path: readonly string[], use: Use, role: Role,
  stmt: ast.Node): void {
  const { rv } = use;
  const name = rv.relname ?? "";
  if (rv.schemaname !== undefined && catalog.schemaExists(rv.schemaname)) {
    checkSchema(catalog, rv.schemaname, role, Priv.usage);
  }
  const rel = catalog.findRelation(path, rv.schemaname, name);
  const seq = rel === undefined ? catalog.findSequence(path, rv.schemaname, name) : undefined;
  const found = rel ?? seq;
  if (found === undefined) return; // the analyzer reports it
  if (rv.schemaname === undefined && !schemaUsable(catalog, found.schema, role)) {
    throw new SqlError(SqlState.undefinedTable, `relation "${name}" does not exist`);
  }
  const columns = rel !== undefined && hasColumnAcls(catalog, rel.oid)
    ? (): ColumnUse => columnUseOf(stmt, rv, rel) : undefined;
  checkRelation(catalog, rel, seq, role, use.letters, 0, columns);
}

function checkRelation(catalog: Catalog, rel: Relation | undefined, seq: Sequence | undefined,
  role: Role, letters: string, depth: number, columns?: () => ColumnUse): void {
  const kind: AclKind = seq !== undefined ? "sequence" : "table";
  // The system catalogs and views: everyone may read them, as initdb grants.
  if (rel !== undefined && systemSchemas.has(rel.schema) && letters === Priv.select) return;
  const oid = (rel ?? seq)!.oid;
  if (!holds(catalog, kind, oid, role.oid, letters) &&
    !(rel !== undefined && columns !== undefined &&
      columnsAllow(catalog, rel, role, letters, columns()))) {
    throw new SqlError(SqlState.insufficientPrivilege,
      `permission denied for ${objectWord(rel)} ${(rel ?? seq)!.name}`);
  }
  if (rel?.kind !== "v" || depth > 50) return;
  const owner = viewOptionOn(rel, "security_invoker") ? role
    : roleByOid(catalog, ownerOf(catalog, "table", rel.oid));
  if (owner === undefined || owner.superuser) return;
  for (const dep of rel.viewDeps ?? []) {
    const inner = catalog.relation(dep);
    if (inner === undefined) continue;
    checkRelation(catalog, inner, undefined, owner, Priv.select, depth + 1);
  }
}

/**
 * The column-level check when the table-level one failed (ExecCheckRTEPerms): each privilege
 * missing on the table must be held on every column the statement uses that way, or on some
 * column when it uses none (`SELECT count(*)`, `INSERT … DEFAULT VALUES`).
 */
function columnsAllow(catalog: Catalog, rel: Relation, role: Role, letters: string,
  use: ColumnUse): boolean {
  const held = heldPrivileges(catalog, "table", rel.oid, role.oid).privs;
  const attnums = new Map(rel.columns.map((c, i) => [c.name, { attnum: i + 1, c }] as const));
  const live = rel.columns.flatMap((c, i) => (c.dropped ? [] : [i + 1]));
  for (const letter of letters) {
    if (held.includes(letter)) continue;
    const set = letter === Priv.select ? use.selected : letter === Priv.insert ? use.inserted
      : letter === Priv.update ? use.updated : undefined;
    if (set === undefined) return false;
    const has = (attnum: number): boolean =>
      heldColumnPrivileges(catalog, rel.oid, attnum, role.oid).includes(letter);
    if (set === "all") {
      if (!live.every(has)) return false;
    } else if (set.size === 0) {
      if (!live.some(has)) return false;
    } else {
      for (const name of set) {
        const found = attnums.get(name);
        if (found === undefined || found.c.dropped) continue; // the analyzer reports it
        if (!has(found.attnum)) return false;
      }
    }
  }
  return true;
}

function objectWord(rel: Relation | undefined): string {
  if (rel === undefined) return "sequence";
  return rel.kind === "v" ? "view" : rel.kind === "m" ? "materialized view" : "table";
}

function schemaUsable(catalog: Catalog, schema: string, role: Role): boolean {
  const oid = catalog.allSchemas().find(([n]) => n === schema)?.[1];
  if (oid === undefined || schema === "pg_catalog" || schema.startsWith("pg_temp")) return true;
  return holds(catalog, "schema", oid, role.oid, Priv.usage);
}

function checkSchema(catalog: Catalog, schema: string, role: Role, letter: string): void {
  const oid = catalog.allSchemas().find(([n]) => n === schema)?.[1];
  if (oid === undefined || schema === "pg_catalog" || schema.startsWith("pg_temp")) return;
  if (!holds(catalog, "schema", oid, role.oid, letter)) {
    throw new SqlError(SqlState.insufficientPrivilege, `permission denied for schema ${schema}`);
  }
}

/** nextval, currval, setval: the current role must hold one of `anyOf` on the sequence. */
export function checkSequenceUse(catalog: Catalog, seq: Sequence,
  ctx: { readonly user: string; readonly backendPid?: number }, anyOf: string): void {
  if (ctx.backendPid === 0) return;
  const role = findRole(catalog, ctx.user);
  if (role === undefined || role.superuser) return;
  if ([...anyOf].some((letter) => holds(catalog, "sequence", seq.oid, role.oid, letter))) return;
  throw new SqlError(SqlState.insufficientPrivilege, `permission denied for sequence ${seq.name}`);
}

/** Calling a function or procedure: EXECUTE on it, for the current role (42501 without). */
export function checkFunctionExecute(catalog: Catalog,
  fn: { readonly oid: number; readonly name: string; readonly procedure?: true },
  ctx: { readonly user: string; readonly backendPid?: number }): void {
  if (ctx.backendPid === 0) return;
  const role = findRole(catalog, ctx.user);
  if (role === undefined || role.superuser) return;
  if (holds(catalog, "function", fn.oid, role.oid, Priv.execute)) return;
  throw new SqlError(SqlState.insufficientPrivilege,
    `permission denied for ${fn.procedure === true ? "procedure" : "function"} ${fn.name}`);
}
