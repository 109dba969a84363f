/**
 * System columns of a table read by name, as Postgres's heap has them: ctid (tid), xmin
 * (xid), cmin (cid), xmax (xid), cmax (cid) and tableoid (oid). None is part of `*`. Views,
 * subqueries and functions have none, so the names stay unknown there (42703, as Postgres).
 *
 * tableoid of a plain table is a constant, its own OID (pg_dump reads it from every catalog).
 * The others vary by row version, so a scan that must produce them appends them to each row
 * it returns, after the table's columns (and after the row id of an UPDATE/DELETE target):
 *
 *   [a, b, c | ctid, xmin, cmin, xmax, cmax, tableoid]       SELECT ctid, * FROM t
 *
 * Whether a FROM item is scanned that way is known only once a name refers to one of them,
 * after the row layout was fixed. So analysis runs in two passes, and only for statements
 * that use these columns: the first meeting of such a name throws `SystemColumnsWanted`,
 * `planWithSystemColumns` catches it and analyzes the statement again with every table scan
 * widened (`StatementScope.systemColumns`). Where a statement is analyzed without that
 * wrapper the error stays what it says: 0A000. RETURNING reads the written versions': INSERT's
 * and UPDATE's new ones, DELETE's old one with its new xmax (`execute/modify-run.ts`).
 *
 * What the values mean here (`execute/system-values.ts`): ctid numbers a table's versions
 * in insertion order as a heap fills 291-row blocks, (0,1), (0,2), …; an UPDATE makes a new
 * version with a new ctid, and nothing renumbers them (vacuum keeps them; a restart numbers
 * the loaded rows afresh). xmin and xmax are the xids of the inserting and deleting
 * transactions, 0 for no delete; a row lock (FOR UPDATE) is kept aside, not in xmax. cmin
 * and cmax both show the raw command id, as Postgres's one t_cid field: the deleting
 * command's when deleted, else the inserting one's (no combo ids).
 */
import { SqlError, SqlState } from "@tessera/base";
import { Oid } from "../catalog/types.js";
import type { Relation } from "../catalog/relation.js";
import { constant, type Expr } from "./expr.js";
import { someExpr } from "./expr-map.js";
import type { RangeItem, StatementScope } from "./scope.js";

/** The system columns in the order scans append them (Postgres's attnums -1 to -6). */
export const systemColumnNames = ["ctid", "xmin", "cmin", "xmax", "cmax", "tableoid"] as const;
const systemColumnTypes = [27, 28, 29, 28, 29, Oid.oid] as const;
export const systemColumnCount = systemColumnNames.length;

/**
 * A system column met in a statement analyzed without widened scans: `planWithSystemColumns`
 * analyzes again with them. Elsewhere it reaches the user as what it is, 0A000.
 */
export class SystemColumnsWanted extends SqlError {
  constructor(name: string) {
    super(SqlState.featureNotSupported, `system column "${name}" is not supported here`);
  }
}

/**
 * A whole-row reference to a derived table on the nullable side of an outer join, met
 * without presence columns: the second pass gives derived tables one (`whole-row.ts`).
 */
export class PresenceColumnsWanted extends SystemColumnsWanted {
  constructor() {
    super("presence");
    this.message = "whole-row reference of a null-extended derived table is not supported here";
  }
}

/** The system column `name` of a FROM item, or undefined when it has none of that name. */
export function systemColumn(statement: StatementScope, item: RangeItem, name: string):
  Expr | undefined {
  const position = (systemColumnNames as readonly string[]).indexOf(name);
  if (position < 0 || item.relationOid === 0 || item.proposed === true) return undefined;
  const relation = statement.catalog.relation(item.relationOid);
  if (relation === undefined) return undefined;
  if (!hasSystemColumns(relation.kind)) return undefined;
  const partitioned = relation.partitionKey !== undefined || relation.hasSubclass === true;
  if (name === "tableoid" && !partitioned) return constant(Oid.oid, relation.oid);
  const alias = item.alias === "" ? "" : `${item.alias}.`;
  const type = systemColumnTypes[position]!;
  if (item.systemOffset === undefined && statement.systemColumns === "named") {
    return { kind: "call", name, operator: false, args: [], strict: false, volatile: false,
      type, typmod: -1, deparse: () => `${alias}${name}`,
      impl: () => { throw new SystemColumnsWanted(name); } };
  }
  if (item.systemOffset === undefined) {
    if (statement.systemColumns !== true) throw new SystemColumnsWanted(name);
    throw new SqlError(SqlState.featureNotSupported,
      `system column "${name}" is not supported in this statement`);
  }
  return { kind: "var", index: item.systemOffset + position, type, typmod: -1,
    name: `${alias}${name}`, tableOid: 0, attnum: 0 };
}

/** True for the scans of `relation` kinds that can carry system columns. */
export function hasSystemColumns(kind: string): boolean {
  return kind === "r" || kind === "m";
}

/**
 * Runs `analyze` (the analysis of one whole statement); when it met a system column, runs
 * it again on the same statement state with every table scan widened; when it met the whole
 * row of a null-extended derived table, derived tables carry a presence column too.
 */
export function planWithSystemColumns<T>(statement: StatementScope,
  analyze: () => T): T {
  const before = { nextSlot: statement.nextSlot, nextSubplanId: statement.nextSubplanId,
    nextCteId: statement.nextCteId, asyncCalls: statement.asyncCalls?.length ?? 0 };
  for (;;) {
    try {
      return analyze();
    } catch (error) {
      if (!(error instanceof SystemColumnsWanted)) throw error;
      const presence = error instanceof PresenceColumnsWanted;
      if (presence ? statement.presenceColumns === true : statement.systemColumns === true) {
        throw error;
      }
      if (presence) statement.presenceColumns = true;
      statement.systemColumns = true;
    }
    statement.nextSlot = before.nextSlot;
    statement.nextSubplanId = before.nextSubplanId;
    statement.nextCteId = before.nextCteId;
    statement.asyncCalls?.splice(before.asyncCalls);
  }
}

/**
 * INSERT … RETURNING into a partitioned table: Postgres returns the routed row from a slot
 * without transaction ids, so xmin, cmin, xmax and cmax raise 0A000 there (ctid and
 * tableoid work). As Postgres, then; we raise it when planning, not at the first row.
 */
export function refuseRoutedSystemColumns(returning: readonly Expr[] | null,
  relation: Relation): void {
  const first = relation.columns.length + 1;
  const last = relation.columns.length + 4;
  const reads = (e: Expr): boolean => e.kind === "var" && e.index >= first && e.index <= last;
  if (returning?.some((e) => someExpr(e, reads)) === true) {
    throw new SqlError(SqlState.featureNotSupported,
      "cannot retrieve a system column in this context");
  }
}
