/**
 * Foreign keys on Citus tables (`citus-surface.md` §6 #3–#9, Citus's
 * `commands/foreign_constraint.c`). A foreign key is enforced by each node on its own shards,
 * so the referencing and referenced rows must live on the same node:
 *
 *   distributed -> colocated distributed, distribution columns at the same position   allowed
 *   distributed -> reference, reference -> reference                                  allowed
 *   single-shard -> single-shard of the same colocation group                         allowed
 *   distributed -> local table                                   #8 (42P16), refused
 *   reference or local -> distributed                            #4 / #9, refused
 *
 * A shard's foreign keys point at the colocated shard of the same index (events_102041 ->
 * devices_102009) or at the reference table's single shard, which every node holds.
 */
import { SqlError, SqlState, oid, type ShardId } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import type { CitusTable } from "../metadata/metadata-cache.js";
import { quoteIdentifier, shardObjectName } from "../metadata/naming.js";
import { qualifiedShard, type ShellRelation } from "../operations/shard-ddl.js";

type ForeignKey = ShellRelation["foreignKeys"][number];

/** What a table is (or is about to become) for the foreign key rules. */
export type TableKind =
  | { readonly kind: "hash"; readonly colocationId: number | null; readonly column: number }
  | { readonly kind: "reference" }
  | { readonly kind: "single-shard"; readonly colocationId: number }
  | { readonly kind: "local" };

/** Checks the foreign keys from and to `relation` as it becomes a Citus table of `kind`. */
export function checkDistributeForeignKeys(cluster: Cluster, relation: ShellRelation,
  kind: TableKind): void {
  for (const fk of relation.foreignKeys) {
    const referenced = cluster.local.catalog.relation(fk.refRelationOid);
    if (referenced === undefined || referenced.oid === relation.oid) continue;
    checkForeignKey(cluster, {
      kind, columns: fk.columns, onDelete: fk.onDelete, onUpdate: fk.onUpdate,
      referenced, refColumns: fk.refColumns,
    });
  }
  if (kind.kind === "local") return;
  for (const other of cluster.local.catalog.allRelations()) {
    if (other.oid === relation.oid) continue;
    if (!other.foreignKeys.some((fk) => fk.refRelationOid === relation.oid)) continue;
    const citus = cluster.metadata.cache.table(oid(other.oid));
    if (citus !== undefined) continue;
    if (kind.kind === "reference") continue;
    throw new SqlError(SqlState.featureNotSupported,
      `relation ${relation.name} is referenced by a foreign key from ${other.name}`,
      { detail: "foreign keys from a regular table to a distributed table are not supported." });
  }
}

interface ForeignKeyShape {
  readonly kind: TableKind;
  readonly columns: readonly number[];
  readonly onDelete: string;
  readonly onUpdate: string;
  readonly referenced: ShellRelation;
  /** Empty: the referenced table's primary key. */
  readonly refColumns: readonly number[];
}

/** Checks one foreign key of a table of `shape.kind` against Citus's rules. */
export function checkForeignKey(cluster: Cluster, shape: ForeignKeyShape): void {
  const target = cluster.metadata.cache.table(oid(shape.referenced.oid));
  const kind = shape.kind;
  if (target === undefined) {
    if (kind.kind === "local") return;
    throw referencedNotCitus(shape.referenced.name);
  }
  if (target.kind === "reference") return;
  // Single-shard tables of one group share their node (`operations/single-shard-tables.ts`).
  if (kind.kind === "single-shard" && target.kind === "single-shard" &&
    target.partition.colocationid === kind.colocationId) return;
  if (kind.kind !== "hash" || target.kind !== "hash") {
    throw new SqlError(SqlState.featureNotSupported, "cannot create foreign key constraint " +
      "since foreign keys from reference tables and local tables to distributed tables are " +
      "not supported", { detail: "Reference tables and local tables can only have foreign " +
      "keys to reference tables and local tables" });
  }
  if (kind.colocationId !== target.partition.colocationid) {
    throw new SqlError(SqlState.featureNotSupported, "cannot create foreign key constraint " +
      "since relations are not colocated or not referencing a reference table", {
      detail: "A distributed table can only have foreign keys if it is referencing another " +
        "colocated hash distributed table or a reference table" });
  }
  const at = shape.columns.indexOf(kind.column);
  const refColumns = shape.refColumns.length > 0 ? shape.refColumns
    : shape.referenced.indexes.find((i) => i.primary)?.columns ?? [];
  const targetColumn = (target.distributionColumn?.attnum ?? 0) - 1;
  if (at < 0 || refColumns[at] !== targetColumn) {
    throw cannotCreate("Foreign keys are supported in two cases, either in between two " +
      "colocated tables including partition column in the same ordinal in the both tables or " +
      "from distributed to reference tables");
  }
  if (shape.onDelete === "n" || shape.onDelete === "d") {
    throw cannotCreate("SET NULL or SET DEFAULT is not supported in ON DELETE operation when " +
      "distribution key is included in the foreign key constraint");
  }
  if (shape.onUpdate === "n" || shape.onUpdate === "d" || shape.onUpdate === "c") {
    throw cannotCreate("SET NULL, SET DEFAULT or CASCADE is not supported in ON UPDATE " +
      "operation when distribution key included in the foreign constraint.");
  }
}

/** Citus §6 #8: a Citus table referencing a plain local table. */
export function referencedNotCitus(name: string): SqlError {
  return new SqlError(SqlState.invalidTableDefinition,
    `referenced table "${name}" must be a distributed table or a reference table`, {
      detail: "To enforce foreign keys, the referencing and referenced rows need to be " +
        "stored on the same node.",
      hint: `You could use SELECT create_reference_table('${name}') to replicate the ` +
        "referenced table to all nodes or consider dropping the foreign key",
    });
}

function cannotCreate(detail: string): SqlError {
  return new SqlError(SqlState.featureNotSupported, "cannot create foreign key constraint",
    { detail });
}

/**
 * The FOREIGN KEY clauses of shard `index` (id `shardId`) of `relation`. A partition's copies
 * of its parent's foreign keys are left out: its shard takes them from the parent's shard
 * when attached to it, as PostgreSQL gives an attached partition its parent's foreign keys.
 */
export function shardForeignKeys(cluster: Cluster, relation: ShellRelation, index: number,
  shardId: ShardId): string[] {
  return relation.foreignKeys.filter((fk) => fk.inheritedFrom === undefined).map((fk) => {
    const referenced = cluster.local.catalog.relation(fk.refRelationOid);
    const target = cluster.metadata.cache.table(oid(fk.refRelationOid));
    const self = fk.refRelationOid === relation.oid;
    if (referenced === undefined || (target === undefined && !self)) {
      throw referencedNotCitus(referenced?.name ?? String(fk.refRelationOid));
    }
    const refId = self ? shardId : shardIdAt(target!, index);
    const names = (cols: readonly number[], of: ShellRelation): string =>
      cols.map((c) => quoteIdentifier(of.columns[c]!.name)).join(", ");
    return `CONSTRAINT ${quoteIdentifier(shardObjectName(fk.name, shardId))} ` +
      `FOREIGN KEY (${names(fk.columns, relation)}) REFERENCES ` +
      `${qualifiedShard(referenced, refId)} (${names(fk.refColumns, referenced)})` +
      `${action("DELETE", fk.onDelete)}${action("UPDATE", fk.onUpdate)}`;
  });
}

/** `ALTER TABLE shard ADD FOREIGN KEY …` for each of `relation`'s keys on one of its shards. */
export function shardForeignKeyCommands(cluster: Cluster, relation: ShellRelation,
  index: number, shardId: ShardId): string[] {
  return shardForeignKeys(cluster, relation, index, shardId).map((fk) =>
    `ALTER TABLE ${qualifiedShard(relation, shardId)} ADD ${fk}`);
}

function shardIdAt(table: CitusTable, index: number): ShardId {
  const shard = table.kind === "hash" ? table.shards[index] : table.shards[0];
  if (shard === undefined) throw referencedNotCitus(table.relationName);
  return shard.row.shardid;
}

const actions: Readonly<Record<string, string>> = {
  a: "", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT",
};

function action(event: string, code: ForeignKey["onDelete"]): string {
  const text = actions[code] ?? "";
  return text === "" ? "" : ` ON ${event} ${text}`;
}

/** Column positions of a raw FOREIGN KEY's column names in `relation` (-1 when unknown). */
export function columnPositions(relation: ShellRelation, names: readonly ast.Node[]): number[] {
  return names.map((n) => {
    const name = "String" in n ? n.String.sval ?? "" : "";
    return relation.columns.findIndex((c) => !c.dropped && c.name === name);
  });
}
