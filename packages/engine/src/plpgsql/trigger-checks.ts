/**
 * What CREATE TRIGGER checks of its column list and WHEN condition (PostgreSQL's
 * CreateTriggerFiringOn), and which triggers a column's DROP must take along: a trigger
 * depends on the columns of its UPDATE OF list and on those its WHEN condition reads.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";
import { walk } from "../catalog/depend.js";
import { setTriggers, triggersOf, type Trigger } from "./trigger-store.js";

const systemColumns: ReadonlySet<string> =
  new Set(["ctid", "xmin", "cmin", "xmax", "cmax", "tableoid"]);

/** 42701 when UPDATE OF names a column twice. */
export function refuseRepeatedColumns(stmt: ast.CreateTrigStmt): void {
  const seen = new Set<string>();
  for (const column of stmt.columns ?? []) {
    const name = "String" in column ? column.String.sval ?? "" : "";
    if (seen.has(name)) {
      throw new SqlError(SqlState.duplicateColumn, `column "${name}" specified more than once`);
    }
    seen.add(name);
  }
}

/** One OLD.x or NEW.x of a WHEN condition; `field` is undefined for a whole-row reference. */
interface RowReference {
  readonly row: "old" | "new";
  readonly field: string | undefined;
}

/** The OLD and NEW references of a WHEN condition, in the order they are written. */
function rowReferences(when: ast.Node): RowReference[] {
  const found: RowReference[] = [];
  walk(when, 0, (node) => {
    if (!("ColumnRef" in node)) return;
    const fields = node.ColumnRef.fields ?? [];
    const first = fields[0];
    const row = first !== undefined && "String" in first ? first.String.sval : undefined;
    if (row !== "old" && row !== "new") return;
    const second = fields[1];
    found.push({ row, field: second !== undefined && "String" in second
      ? second.String.sval : undefined });
  });
  return found;
}

/**
 * The checks of a WHEN condition's OLD and NEW references (42P17, 0A000): a statement
 * trigger reads no row, an INSERT trigger has no OLD, a DELETE trigger no NEW, and a BEFORE
 * trigger cannot read NEW's system or generated columns, which are not computed yet.
 */
export function checkWhenReferences(stmt: ast.CreateTrigStmt, rel: Relation): void {
  if (stmt.whenClause === undefined) return;
  const events = stmt.events ?? 0;
  const before = ((stmt.timing ?? 0) & 2) !== 0;
  const invalid = (message: string): SqlError =>
    new SqlError(SqlState.invalidObjectDefinition, message);
  for (const ref of rowReferences(stmt.whenClause)) {
    if (stmt.row !== true) {
      throw invalid("statement trigger's WHEN condition cannot reference column values");
    }
    if (ref.row === "old" && (events & 4) !== 0) {
      throw invalid("INSERT trigger's WHEN condition cannot reference OLD values");
    }
    if (ref.row === "old") continue;
    if ((events & 8) !== 0) {
      throw invalid("DELETE trigger's WHEN condition cannot reference NEW values");
    }
    if (!before) continue;
    if (ref.field !== undefined && systemColumns.has(ref.field)) {
      throw new SqlError(SqlState.featureNotSupported,
        "BEFORE trigger's WHEN condition cannot reference NEW system columns");
    }
    refuseGeneratedReference(rel, ref.field);
  }
}

function refuseGeneratedReference(rel: Relation, field: string | undefined): void {
  const live = rel.columns.filter((c) => !c.dropped);
  const generated = field === undefined ? live.some((c) => c.generated !== null)
    : live.some((c) => c.name === field && c.generated !== null);
  if (!generated) return;
  throw new SqlError(SqlState.featureNotSupported,
    "BEFORE trigger's WHEN condition cannot reference NEW generated columns",
    field === undefined
      ? { detail: "A whole-row reference is used and the table contains generated columns." }
      : { detail: `Column "${field}" is a generated column.` });
}

/**
 * True when trigger `t` depends on column `index` of its table: the column is in its UPDATE
 * OF list, or its WHEN condition names it (a whole-row OLD.* depends on the table alone).
 */
export function triggerDependsOnColumn(t: Trigger, rel: Relation, index: number): boolean {
  if (t.columns.includes(index)) return true;
  if (t.when === undefined) return false;
  const name = rel.columns[index]?.name;
  return rowReferences(t.when).some((ref) => ref.field === name);
}

/** What dropping a column needs of ALTER TABLE (`ddl/alter-table.ts`'s AlterContext). */
interface ColumnDrop {
  readonly catalog: Catalog;
  readonly rel: Relation;
  notice(message: string): void;
  undo(fn: () => void): void;
}

/**
 * DROP COLUMN and the triggers depending on the column: 2BP01 naming them, or with CASCADE
 * the triggers are dropped first (PostgreSQL's dependency on pg_trigger.tgattr and WHEN).
 */
export function dropColumnTriggers(a: ColumnDrop, index: number, cascade: boolean): void {
  const { catalog, rel } = a;
  const existing = triggersOf(catalog, rel.oid);
  const dependent = existing.filter((t) => triggerDependsOnColumn(t, rel, index));
  if (dependent.length === 0) return;
  const name = rel.columns[index]!.name;
  if (!cascade) {
    throw new SqlError(SqlState.dependentObjectsStillExist,
      `cannot drop column ${name} of table ${rel.name} because other objects depend on it`,
      { detail: dependent.map((t) => `trigger ${t.name} on table ${rel.name} depends on ` +
        `column ${name} of table ${rel.name}`).join("\n"),
      hint: "Use DROP ... CASCADE to drop the dependent objects too." });
  }
  for (const t of dependent) a.notice(`drop cascades to trigger ${t.name} on table ${rel.name}`);
  setTriggers(catalog, rel.oid, existing.filter((t) => !dependent.includes(t)));
  a.undo(() => setTriggers(catalog, rel.oid, [...existing]));
}

/**
 * Tables whose triggers are running, with how many: their statement is active, so DDL on
 * them is refused (PostgreSQL's CheckTableNotInUse). Triggers run synchronously, so no
 * other session runs while a count is above zero.
 */
const tablesInUse = new Map<number, number>();

/** Runs `fire` with table `oid` counted as in use. */
export function withTableInUse<T>(oid: number, fire: () => T): T {
  tablesInUse.set(oid, (tablesInUse.get(oid) ?? 0) + 1);
  try {
    return fire();
  } finally {
    const left = tablesInUse.get(oid)! - 1;
    if (left === 0) tablesInUse.delete(oid);
    else tablesInUse.set(oid, left);
  }
}

/** 55006 when a running statement of this session uses table `rel` (`what`: the command). */
export function refuseTableInUse(rel: Relation, what: string): void {
  if (!tablesInUse.has(rel.oid)) return;
  throw new SqlError(SqlState.objectInUse,
    `cannot ${what} "${rel.name}" because it is being used by active queries in this session`);
}
