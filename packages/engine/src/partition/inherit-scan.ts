/**
 * Scans and writes through a table other tables inherit from (`catalog/inheritance.ts`),
 * as PostgreSQL expands an inheritance parent: an Append over the parent's own scan and one
 * scan per descendant, each child's row turned into the parent's layout (its columns matched
 * by name; a child may have more columns, in another order). Row ids name the member as a
 * partitioned table's do (`rowIdOf`), so UPDATE and DELETE find the row in its own table.
 * `FROM ONLY t` (`SeqScanPlan.onlyTable`) scans t alone.
 */
import type { Row, Value } from "@tessera/sql";
import type { Catalog } from "../catalog/catalog.js";
import { columnMap, descendantsOf } from "../catalog/inheritance.js";
import type { Relation } from "../catalog/relation.js";
import { systemColumnCount } from "../analyze/system-columns.js";
import { compilePredicate } from "../execute/compile.js";
import type { StatementWriter, TableWriter } from "../execute/row-writer.js";
import type { NodeState, Runtime } from "../execute/runtime.js";
import type { Plan, SeqScanPlan } from "../plan/plan.js";
import type { ShownChild, ShownNode } from "../plan/explain-text.js";
import type { Prop } from "../plan/explain-props.js";
import type { RowVersion } from "../storage/table-store.js";
import { rowIdOf } from "./append-scan.js";
import { PartitionTargets } from "./modify-targets.js";

const memberSpan = 65536;

/** True when a scan of `scan.relation` reads the tables inheriting from it too. */
export function expandsToChildren(scan: { relation: Relation; onlyTable?: boolean }): boolean {
  return scan.onlyTable !== true && scan.relation.hasSubclass === true &&
    scan.relation.partitionKey === undefined;
}

/** The tables a scan of `rel` reads: itself, then its descendants level by level. */
export function scanMembers(catalog: Catalog, rel: Relation): Relation[] {
  return [rel, ...descendantsOf(catalog, rel)];
}

/** The scan of one member, in the member's own layout (the parent's filter comes later). */
function memberPlan(scan: SeqScanPlan, member: Relation, alias: string): SeqScanPlan {
  if (member === scan.relation) return { ...scan, alias, onlyTable: true };
  const width = member.columns.length + (scan.rowId === true ? 1 : 0) +
    (scan.systemColumns === true ? systemColumnCount : 0);
  return { ...scan, relation: member, alias, onlyTable: true, filter: null, offset: 0, width,
    rows: Math.max(member.store.liveCount, 1) };
}

/** Turns a member's row into the parent's layout, with the member's row id. */
function toParentRow(scan: SeqScanPlan, member: Relation, ordinal: number):
  (row: Row) => Row {
  const parentWidth = scan.relation.columns.length;
  const rowId = scan.rowId === true;
  if (member === scan.relation) {
    if (!rowId) return (row) => row;
    return (row) => {
      const out = row.slice();
      out[parentWidth] = rowIdOf(ordinal, row[parentWidth] as number);
      return out;
    };
  }
  const map = columnMap(scan.relation, member);
  const own = member.columns.length;
  const extra = scan.systemColumns === true ? systemColumnCount : 0;
  return (row) => {
    const out: Value[] = map.map((at) => (at < 0 ? null : row[at] ?? null));
    if (rowId) out.push(rowIdOf(ordinal, row[own] as number));
    const from = own + (rowId ? 1 : 0);
    for (let k = 0; k < extra; k++) out.push(row[from + k] ?? null);
    return out;
  };
}

export function buildInheritanceScan(plan: SeqScanPlan, rt: Runtime): NodeState {
  const members = scanMembers(rt.catalog, plan.relation);
  const filter = compilePredicate(plan.filter, plan.offset);
  const parts = members.map((member, ordinal) => ({
    state: rt.build(memberPlan(plan, member, plan.alias)),
    convert: toParentRow(plan, member, ordinal),
    filtered: member !== plan.relation && filter !== null }));
  let i = 0;
  return {
    next(): Row | null {
      while (i < parts.length) {
        const part = parts[i]!;
        const row = part.state.next();
        if (row === null) {
          i++;
          continue;
        }
        const out = part.convert(row);
        if (part.filtered && !filter!(out, rt)) continue;
        return out;
      }
      return null;
    },
    rescan(): void {
      for (const part of parts) part.state.rescan();
      i = 0;
    },
  };
}

/**
 * UPDATE and DELETE through an inheritance parent: the row id names the member table and
 * the version; an updated row (in the parent's layout) goes back into the member's layout,
 * keeping the member's own columns. INSERT writes the parent alone.
 */
export class InheritanceTargets extends PartitionTargets {
  private readonly members: Relation[];

  constructor(private readonly top: Relation, private readonly out: StatementWriter) {
    super(top, out);
    this.members = scanMembers(out.rt.catalog, top);
  }

  override route(_row: Row): TableWriter {
    return this.out.table(this.top);
  }

  override locate(rowId: number): { writer: TableWriter; version: RowVersion; old?: Row } {
    const member = this.members[rowId % memberSpan]!;
    const version = member.store.at(Math.floor(rowId / memberSpan));
    const writer = this.out.table(member);
    if (member === this.top) return { writer, version };
    const map = columnMap(this.top, member);
    return { writer, version, old: map.map((at) => (at < 0 ? null : version.values[at] ?? null)) };
  }

  override update(writer: TableWriter, version: RowVersion, row: Row):
    { version: RowVersion; tableOid: number } {
    if (writer.rel === this.top) {
      return { version: writer.update(version, row), tableOid: writer.rel.oid };
    }
    const stored = version.values.slice();
    columnMap(this.top, writer.rel).forEach((at, i) => {
      if (at >= 0) stored[at] = row[i] ?? null;
    });
    return { version: writer.update(version, stored), tableOid: writer.rel.oid };
  }
}

/** The modify plan's scan of its target table (UPDATE and DELETE mark it with row ids). */
export function targetScan(plan: Plan, target: Relation): SeqScanPlan | undefined {
  if (plan.kind === "seqScan" && plan.relation === target && plan.rowId === true) return plan;
  for (const key of ["input", "left", "right"] as const) {
    const child = (plan as unknown as Record<string, Plan | undefined>)[key];
    if (child === undefined) continue;
    const found = targetScan(child, target);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * EXPLAIN of an expanded scan: an Append over one Seq Scan per member (`p_1`, `p_2` …),
 * under a Result when it feeds UPDATE (`target`), as PostgreSQL's plan projects there.
 */
export function inheritanceScanNode(scan: SeqScanPlan, catalog: Catalog,
  build: (plan: Plan) => ShownNode, target: boolean): ShownNode {
  const members = scanMembers(catalog, scan.relation);
  if (members.length === 1) return build({ ...scan, onlyTable: true });
  const children: ShownChild[] = members.map((m, i) => ({ relationship: "Member",
    label: null, node: build({ ...memberPlan(scan, m, `${scan.alias}_${i + 1}`),
      filter: scan.filter, offset: scan.offset }) }));
  let cost: ShownNode["cost"] = { startup: 0, total: 0, rows: 0, width: 0 };
  for (const c of children) {
    const k = c.node.cost;
    cost = k === null || cost === null ? null : { startup: cost.startup, total: cost.total +
      k.total, rows: cost.rows + k.rows, width: Math.max(cost.width, k.width) };
  }
  const append: ShownNode = { plan: scan, synthetic: "append", title: "Append", refName: "",
    actual: null, props: [], cost, children };
  if (!target || scan.lock !== undefined) return append;
  return { plan: scan, synthetic: "result", title: "Result", refName: "", actual: null,
    props: [], cost, children: [{ relationship: "Outer", label: null, node: append }] };
}

/**
 * The member lines of UPDATE or DELETE through an inheritance parent ("Update on c p_2");
 * `scan` is the target scan when it feeds UPDATE (its Append shows under a Result).
 */
export function inheritanceModifyProps(modify: Plan & { kind: "modify" }, catalog: Catalog):
  { props: Prop[]; scan: SeqScanPlan | undefined } | undefined {
  if (modify.operation !== "update" && modify.operation !== "delete") return undefined;
  if (modify.relation.hasSubclass !== true) return undefined;
  const scan = targetScan(modify.input, modify.relation);
  if (scan === undefined || !expandsToChildren(scan)) return undefined;
  const members = scanMembers(catalog, modify.relation);
  if (members.length === 1) return { props: [], scan: undefined };
  const word = modify.operation === "update" ? "Update" : "Delete";
  const props = members.map((m, i): Prop =>
    ({ text: `${word} on ${m.name} ${scan.alias}_${i + 1}`, fields: [] }));
  return { props, scan: modify.operation === "update" && modify.input === scan ? scan
    : undefined };
}

/** The targets of UPDATE or DELETE whose scan reads an inheritance parent's children. */
export function inheritanceTargets(plan: Plan & { kind: "modify" }, writes: StatementWriter):
  PartitionTargets | null {
  if (plan.operation === "insert" || plan.relation.hasSubclass !== true) return null;
  const scan = targetScan(plan.input, plan.relation);
  return scan !== undefined && expandsToChildren(scan)
    ? new InheritanceTargets(plan.relation, writes) : null;
}
