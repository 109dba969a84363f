/**
 * Which table locks a statement takes, as Postgres takes them: a query's relations from its
 * plan (AccessShare for what it reads, RowShare for FOR UPDATE/SHARE, RowExclusive for the
 * target of INSERT/UPDATE/DELETE), a utility statement's from its parse tree (DDL mostly
 * AccessExclusive, CREATE INDEX Share, VACUUM and ANALYZE ShareUpdateExclusive, LOCK TABLE
 * the mode it names). Each request remembers the relation and its version as planned, so
 * that the statement can tell, once it holds its locks, whether it must be planned again.
 *
 * Not locked (yet): the views a query names (their tables are), the indexes a plan reads,
 * tables read only through foreign-key checks or inside functions.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { FetchResult, PreparedStatement } from "../api.js";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";
import type { Plan } from "../plan/plan.js";
import { LockMode, type RelationLockMode } from "./relation-locks.js";

export interface LockRequest {
  readonly oid: number;
  readonly mode: RelationLockMode;
  readonly name: string;
  /** The relation as planned and its version then: a change means planning again. */
  readonly relation: Relation;
  readonly version: number;
}

/** A statement's lock requests, with LOCK TABLE's options. */
export interface StatementLocks {
  readonly requests: readonly LockRequest[];
  /** LOCK TABLE: refused outside a transaction block. */
  readonly lockTable?: boolean;
  readonly nowait?: boolean;
}

export const noLocks: StatementLocks = { requests: [] };

/** Collects requests, one per relation, keeping the strongest mode asked for. */
class Requests {
  private readonly byOid = new Map<number, LockRequest>();

  constructor(private readonly catalog: Catalog) {}

  /** Asks for `mode` on `rel`; relations the catalog does not keep (made per use) are not. */
  add(rel: Relation | undefined, mode: RelationLockMode): void {
    if (rel === undefined || this.catalog.relation(rel.oid) !== rel) return;
    const had = this.byOid.get(rel.oid);
    if (had !== undefined && had.mode >= mode) return;
    this.byOid.set(rel.oid, { oid: rel.oid, mode, name: rel.name, relation: rel,
      version: rel.version });
  }

  done(extra?: Partial<StatementLocks>): StatementLocks {
    if (this.byOid.size === 0 && extra === undefined) return noLocks;
    return { requests: [...this.byOid.values()], ...extra };
  }
}

/** The locks of a planned query: its scans and its modify target, subplans included. */
export function planLocks(plan: Plan, catalog: Catalog): StatementLocks {
  const requests = new Requests(catalog);
  const seen = new Set<object>();
  const visit = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== "object" || depth > 200 || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) return;
    const node = value as { readonly kind?: unknown; readonly relation?: Relation;
      readonly lock?: unknown };
    if (node.kind === "modify") requests.add(node.relation, LockMode.rowExclusive);
    else if (node.kind === "seqScan" || node.kind === "indexScan") {
      requests.add(node.relation, node.lock === undefined ? LockMode.accessShare
        : LockMode.rowShare);
    }
    for (const [key, child] of Object.entries(value)) {
      if (key !== "relation" && key !== "index") visit(child, depth + 1);
    }
  };
  visit(plan, 0);
  return requests.done();
}

/** The locks of a utility statement (DDL, VACUUM, LOCK TABLE …); none for others. */
export function utilityLocks(stmt: ast.Node, catalog: Catalog, path: readonly string[]):
  StatementLocks {
  const requests = new Requests(catalog);
  const find = (rv: ast.RangeVar | undefined): Relation | undefined => rv === undefined
    ? undefined : catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
  const rangeVars = (nodes: readonly ast.Node[] | undefined): ast.RangeVar[] =>
    (nodes ?? []).flatMap((n) => ("RangeVar" in n ? [n.RangeVar] : []));
  if ("LockStmt" in stmt) {
    const mode = (stmt.LockStmt.mode ?? LockMode.accessExclusive) as RelationLockMode;
    for (const rv of rangeVars(stmt.LockStmt.relations)) requests.add(find(rv), mode);
    return requests.done({ lockTable: true, nowait: stmt.LockStmt.nowait === true });
  }
  if ("AlterTableStmt" in stmt) {
    const alter = stmt.AlterTableStmt;
    requests.add(find(alter.relation), alterTableMode(alter));
    for (const fk of foreignKeyTargets(alter.cmds)) {
      requests.add(find(fk), LockMode.shareRowExclusive);
    }
  } else if ("DropStmt" in stmt) {
    dropLocks(stmt.DropStmt, catalog, path, requests);
  } else if ("TruncateStmt" in stmt) {
    for (const rv of rangeVars(stmt.TruncateStmt.relations)) {
      requests.add(find(rv), LockMode.accessExclusive);
    }
  } else if ("IndexStmt" in stmt) {
    requests.add(find(stmt.IndexStmt.relation), stmt.IndexStmt.concurrent === true
      ? LockMode.shareUpdateExclusive : LockMode.share);
  } else if ("ReindexStmt" in stmt) {
    requests.add(find(stmt.ReindexStmt.relation), LockMode.share);
  } else if ("ClusterStmt" in stmt) {
    requests.add(find(stmt.ClusterStmt.relation), LockMode.accessExclusive);
  } else if ("VacuumStmt" in stmt) {
    vacuumLocks(stmt.VacuumStmt, find, requests);
  } else if ("RenameStmt" in stmt) {
    requests.add(find(stmt.RenameStmt.relation), LockMode.accessExclusive);
  } else if ("CreateTrigStmt" in stmt) {
    requests.add(find(stmt.CreateTrigStmt.relation), LockMode.shareRowExclusive);
  } else if ("CreateStmt" in stmt) {
    for (const fk of foreignKeyTargets(stmt.CreateStmt.tableElts)) {
      requests.add(find(fk), LockMode.shareRowExclusive);
    }
  }
  return requests.done();
}

/** ALTER TABLE's mode: the strongest its subcommands need (AlterTableGetLockLevel). */
function alterTableMode(alter: ast.AlterTableStmt): RelationLockMode {
  let mode: RelationLockMode = LockMode.accessShare;
  for (const node of alter.cmds ?? []) {
    if (!("AlterTableCmd" in node)) continue;
    const cmd = node.AlterTableCmd;
    const one = cmdMode(cmd);
    if (one > mode) mode = one;
  }
  return mode === LockMode.accessShare ? LockMode.accessExclusive : mode;
}

function cmdMode(cmd: ast.AlterTableCmd): RelationLockMode {
  switch (cmd.subtype) {
    case "AT_SetStatistics": case "AT_ClusterOn": case "AT_DropCluster":
    case "AT_ValidateConstraint":
      return LockMode.shareUpdateExclusive;
    case "AT_EnableTrig": case "AT_EnableAlwaysTrig": case "AT_EnableReplicaTrig":
    case "AT_EnableTrigAll": case "AT_EnableTrigUser": case "AT_DisableTrig":
    case "AT_DisableTrigAll": case "AT_DisableTrigUser":
      return LockMode.shareRowExclusive;
    case "AT_AddConstraint": {
      const def = cmd.def;
      const foreign = def !== undefined && "Constraint" in def &&
        def.Constraint.contype === "CONSTR_FOREIGN";
      return foreign ? LockMode.shareRowExclusive : LockMode.accessExclusive;
    }
    default:
      return LockMode.accessExclusive;
  }
}

/** The tables foreign keys among `nodes` (table elements or ALTER subcommands) reference. */
function foreignKeyTargets(nodes: readonly ast.Node[] | undefined): ast.RangeVar[] {
  const out: ast.RangeVar[] = [];
  const fromConstraint = (node: ast.Node | undefined): void => {
    if (node === undefined || !("Constraint" in node)) return;
    const constraint = node.Constraint;
    if (constraint.contype === "CONSTR_FOREIGN" && constraint.pktable !== undefined) {
      out.push(constraint.pktable);
    }
  };
  for (const node of nodes ?? []) {
    fromConstraint(node);
    if ("ColumnDef" in node) for (const c of node.ColumnDef.constraints ?? []) fromConstraint(c);
    if ("AlterTableCmd" in node) {
      const def = node.AlterTableCmd.def;
      fromConstraint(def);
      if (def !== undefined && "ColumnDef" in def) {
        for (const c of def.ColumnDef.constraints ?? []) fromConstraint(c);
      }
    }
  }
  return out;
}

/** DROP TABLE / VIEW / INDEX: AccessExclusive on the relation (an index's table too). */
function dropLocks(drop: ast.DropStmt, catalog: Catalog, path: readonly string[],
  requests: Requests): void {
  const type = drop.removeType;
  if (type !== "OBJECT_TABLE" && type !== "OBJECT_VIEW" && type !== "OBJECT_INDEX") return;
  for (const obj of drop.objects ?? []) {
    const parts = ("List" in obj ? obj.List.items ?? [] : [obj])
      .map((n) => ("String" in n ? n.String.sval ?? "" : ""));
    const name = parts[parts.length - 1] ?? "";
    const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
    if (type === "OBJECT_INDEX") {
      requests.add(catalog.findIndex(path, schema, name)?.relation, LockMode.accessExclusive);
    } else {
      requests.add(catalog.findRelation(path, schema, name), LockMode.accessExclusive);
    }
  }
}

/** VACUUM FULL takes AccessExclusive, plain VACUUM and ANALYZE ShareUpdateExclusive. */
function vacuumLocks(vacuum: ast.VacuumStmt,
  find: (rv: ast.RangeVar | undefined) => Relation | undefined, requests: Requests): void {
  const full = (vacuum.options ?? []).some((o) => "DefElem" in o &&
    o.DefElem.defname === "full" && !isFalse(o.DefElem.arg));
  const mode = full ? LockMode.accessExclusive : LockMode.shareUpdateExclusive;
  for (const rel of vacuum.rels ?? []) {
    if ("VacuumRelation" in rel) requests.add(find(rel.VacuumRelation.relation), mode);
  }
}

function isFalse(arg: ast.Node | undefined): boolean {
  if (arg === undefined) return false;
  if ("Boolean" in arg) return arg.Boolean.boolval !== true;
  if ("String" in arg) return ["false", "off", "0"].includes(arg.String.sval ?? "");
  if ("Integer" in arg) return (arg.Integer.ival ?? 0) === 0;
  return false;
}

/**
 * LOCK TABLE: a statement whose only work is taking its locks (refused outside a transaction
 * block when it runs, first). The relations must exist: 42P01 as Postgres says it.
 */
export function prepareLockTable(stmt: ast.LockStmt, catalog: Catalog,
  path: readonly string[]): { prepared: PreparedStatement; locks: StatementLocks } {
  const checkExists = (): void => {
    for (const node of stmt.relations ?? []) {
      if (!("RangeVar" in node)) continue;
      const rv = node.RangeVar;
      if (catalog.findRelation(path, rv.schemaname, rv.relname ?? "") === undefined) {
        const name = rv.schemaname === undefined ? rv.relname ?? ""
          : `${rv.schemaname}.${rv.relname ?? ""}`;
        throw new SqlError(SqlState.undefinedTable, `relation "${name}" does not exist`);
      }
    }
  };
  const prepared: PreparedStatement = {
    paramTypes: [], columns: null,
    open: () => {
      checkExists();
      let done = false;
      return {
        fetch: async (): Promise<FetchResult> => {
          if (done) return { rows: [] };
          done = true;
          return { rows: [], commandTag: "LOCK TABLE" };
        },
        close: () => { done = true; },
      };
    },
  };
  return { prepared, locks: utilityLocks({ LockStmt: stmt }, catalog, path) };
}

/** COPY's table: RowExclusive to load it, AccessShare to read it; none for COPY (query). */
export function copyTarget(stmt: ast.CopyStmt, catalog: Catalog, path: readonly string[]):
  { relation: Relation; mode: RelationLockMode } | undefined {
  const rv = stmt.relation;
  if (rv === undefined) return undefined;
  const relation = catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
  if (relation === undefined || catalog.relation(relation.oid) !== relation) return undefined;
  return { relation, mode: stmt.is_from === true ? LockMode.rowExclusive : LockMode.accessShare };
}
