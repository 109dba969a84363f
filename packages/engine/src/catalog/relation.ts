/**
 * Catalog entries: tables, views, sequences and indexes with their columns and constraints,
 * as Postgres's pg_class, pg_attribute, pg_constraint and pg_index describe them. A table
 * owns its row store and its indexes' B-trees.
 */
import type { ast, Row, Value } from "@tessera/sql";
import type { TableStore } from "../storage/table-store.js";
import type { BTree } from "../storage/btree.js";
import type { StatementContext } from "../api.js";
import type { Runtime } from "../execute/runtime.js";
import type { PartitionKey, PartitionOf } from "../partition/model.js";
import type { IndexMethod } from "./access-methods.js";
import type { ExclusionSpec } from "./exclusion.js";

export interface Column {
  name: string;
  type: number;
  typmod: number;
  notNull: boolean;
  /** The raw default expression, or null. */
  defaultExpr: ast.Node | null;
  /** 'a' ALWAYS or 'd' BY DEFAULT for identity columns, else null. */
  identity: "a" | "d" | null;
  /** The expression of a GENERATED ALWAYS AS (…) STORED column, or null. */
  generated: ast.Node | null;
  /** Set when the column was dropped; it keeps its slot in every row. */
  dropped: boolean;
  /** Table inheritance (`catalog/inheritance.ts`): pg_attribute.attinhcount, absent 0. */
  inhCount?: number | undefined;
  /** Set when the column comes from parents only (pg_attribute.attislocal false). */
  inheritedOnly?: boolean | undefined;
}

/**
 * The key of an expression or partial index (CREATE INDEX ON t (lower(x)) WHERE …), which
 * rows cannot give by position alone. Planning uses only plain indexes.
 */
export interface ComputedKey {
  /** Per key column: the raw expression (its `columns` entry is -1), or null for a column. */
  readonly exprs: readonly (ast.Node | null)[];
  /** The raw WHERE of a partial index, or null. */
  readonly predicate: ast.Node | null;
  /** The WHERE as pg_get_indexdef prints it ("(q > 0)"), or null. */
  readonly predicateText: string | null;
  /** Key column texts for messages: "lower(alt_code)". */
  readonly names: readonly string[];
  /** The key columns' types, for comparisons and messages. */
  readonly types: readonly number[];
  /** Returns the key of a stored row, or null when a partial index leaves the row out. */
  readonly keyOf: (row: Row, rt: Runtime) => Value[] | null;
}

export interface Index {
  readonly oid: number;
  name: string;
  readonly relationOid: number;
  /** Positions of the key columns in the table's rows; -1 for an expression. */
  readonly columns: readonly number[];
  /** Set for expression and partial indexes. */
  readonly computed?: ComputedKey;
  /** Set when some key column is DESC: per key column, whether it is. */
  readonly descending?: readonly boolean[];
  /**
   * The access method when not btree (`access-methods.ts`). A hash index is a B-tree used for
   * equality only; gist, gin, brin and spgist ones hold no entries (`computed` leaves every row
   * out), so neither the planner nor constraints ever use them.
   */
  readonly method?: IndexMethod;
  /** Per key column: the operator class (pg_index.indclass) CREATE INDEX resolved. */
  readonly opclasses?: readonly number[];
  readonly unique: boolean;
  readonly primary: boolean;
  readonly tree: BTree;
  /** The owning constraint's name for pkey/unique constraints, else null. */
  readonly constraintName: string | null;
  /** A DEFERRABLE [INITIALLY DEFERRED] unique constraint's (`txn/deferred-checks.ts`). */
  deferrable?: boolean;
  /** The index CLUSTER last ordered the table by (`ddl/reindex-cluster.ts`). */
  clustered?: boolean;
  initDeferred?: boolean;
  /** UNIQUE NULLS NOT DISTINCT: keys holding nulls conflict too; absent means distinct. */
  nullsNotDistinct?: boolean;
  /** Set for the index of an EXCLUDE constraint (`exclusion.ts`). */
  exclusion?: ExclusionSpec;
}

export type FkAction = "a" | "r" | "c" | "n" | "d";

export interface ForeignKey {
  readonly name: string;
  readonly columns: readonly number[];
  readonly refRelationOid: number;
  readonly refColumns: readonly number[];
  readonly onDelete: FkAction;
  readonly onUpdate: FkAction;
  /** DEFERRABLE, and INITIALLY DEFERRED (`txn/deferred-checks.ts`); absent means false. */
  readonly deferrable?: boolean;
  readonly initDeferred?: boolean;
  /** MATCH FULL: a key with some but not all columns null is refused; absent means SIMPLE. */
  readonly matchFull?: boolean;
  /** ON DELETE SET NULL / SET DEFAULT (cols): the columns the action sets; absent means all. */
  readonly deleteSetColumns?: readonly number[];
  /** Added NOT VALID and not validated since (pg_constraint.convalidated false). */
  readonly notValid?: boolean;
  /** A partition's copy of its parent's foreign key: the parent's constraint name. */
  readonly inheritedFrom?: string;
  /**
   * A foreign key to a partitioned table: the constraint PostgreSQL adds for each partition
   * under it (`partition/foreign-keys.ts`), named when the partition joined.
   */
  readonly refPartitions?: ReferencedPartition[];
}

/** The pg_constraint row of a foreign key for one partition of the table it references. */
export interface ReferencedPartition {
  readonly relationOid: number;
  readonly name: string;
  /** The key was NOT VALID when the row was made (PostgreSQL 15's VALIDATE leaves it so). */
  readonly notValid?: boolean;
}

export interface CheckConstraint {
  readonly name: string;
  readonly expr: ast.Node;
  /** Added NOT VALID and not validated since (pg_constraint.convalidated false). */
  readonly notValid?: boolean;
  /** Table inheritance: pg_constraint.coninhcount (absent 0), and conislocal false. */
  readonly inhCount?: number;
  readonly inheritedOnly?: boolean;
  /** CHECK … NO INHERIT: children do not get it (pg_constraint.connoinherit). */
  readonly noInherit?: boolean;
}

/** pg_class.relkind: table, view, materialized view (`ddl/materialized-views.ts`), sequence. */
export type RelationKind = "r" | "v" | "m" | "S";

export interface Relation {
  readonly oid: number;
  readonly kind: RelationKind;
  schema: string;
  name: string;
  columns: Column[];
  readonly store: TableStore;
  indexes: Index[];
  checks: CheckConstraint[];
  foreignKeys: ForeignKey[];
  /** For views: the stored raw query and its column names. */
  viewQuery: ast.Node | null;
  /** For views: WITH [LOCAL | CASCADED] CHECK OPTION (`analyze/view-write.ts`). */
  viewCheck?: "local" | "cascaded";
  /** For views: pg_class.reloptions as `name=value` (`ddl/view-options.ts`), absent if none. */
  viewOptions?: readonly string[];
  /** For materialized views: whether REFRESH (or CREATE … WITH DATA) filled it. */
  matviewPopulated?: boolean;
  /** For views: the OIDs of the tables and views the query reads (pg_depend's edges). */
  viewDeps?: readonly number[];
  /** Bumped on every change of shape, so compiled constraint checks can be cached. */
  version: number;
  /** For a partitioned table (relkind 'p'): its partition key (`partition/`). */
  partitionKey?: PartitionKey;
  /** For a partition: its parent and bound (`partition/`). */
  partitionOf?: PartitionOf;
  /** Table inheritance (`catalog/inheritance.ts`): the parents' OIDs in inhseqno order. */
  inheritsFrom?: readonly number[] | undefined;
  /** pg_class.relhassubclass: set when a child first inherits, kept as PostgreSQL keeps it. */
  hasSubclass?: boolean | undefined;
  /**
   * For system relations (pg_type, pg_dist_node …): the rows, computed from the catalog or
   * the host's state each time a scan starts. Such relations cannot be written by SQL.
   */
  readonly virtualRows?: (ctx: StatementContext) => Row[];
}

export interface Sequence {
  readonly oid: number;
  schema: string;
  name: string;
  type: number;
  start: bigint;
  increment: bigint;
  min: bigint;
  max: bigint;
  cycle: boolean;
  /** The last value handed out, or null before the first nextval. */
  last: bigint | null;
  /** Set by RESTART and setval(…, false): the value the next nextval returns. */
  restartAt: bigint | null;
  /** CACHE: accepted and reported; values are not preallocated. */
  cache: bigint;
  /**
   * Values nextval may still hand out before Postgres would write WAL again (log_cnt): 32
   * after a logging call, one less per call, 0 after setval or RESTART. Unset means 0.
   */
  logCount?: number;
  /** "table.column" owning it (serial, identity), or null. */
  ownedBy: { relationOid: number; column: string } | null;
}

export type DefaultValue = Value;
