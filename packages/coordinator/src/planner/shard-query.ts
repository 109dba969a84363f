/**
 * Shard queries: the SQL text of one task, made from the raw parse tree by swapping each
 * distributed or reference table for its shard and deparsing the result.
 *
 *     SELECT count(*) FROM events e JOIN devices ON e.device_id = devices.id WHERE ...
 *  -> SELECT count(*) FROM public.events_102008 AS e
 *       JOIN public.devices_102040 AS devices ON e.device_id = devices.id WHERE ...
 *
 * The caller decides which relations are Citus tables and which shard of each this task
 * reads (it resolved names and pruned on the analyzed tree); this file only edits the raw
 * tree, as STYLE.md asks, and prints it with pgsql-deparser (the same v18 grammar as
 * libpg-query). Three rules keep the text meaning what the user wrote:
 *
 * 1. Aliases stay. A table without an alias gets its own name as alias wherever Postgres
 *    allows one (FROM, JOIN, USING, the target of INSERT/UPDATE/DELETE/MERGE), so
 *    `events.device_id` still resolves; a `public.events.device_id` reference loses its
 *    schema for the same reason.
 * 2. CTE names shadow tables: an unqualified `FROM c` inside `WITH c AS (...)` is the CTE
 *    and is never swapped (a non-recursive CTE is visible to later CTEs and the body only).
 * 3. DDL names that Citus extends per shard (index, constraint, trigger names) get the same
 *    `_<shardid>` suffix (`shard-ddl-names.ts`).
 *
 * The input tree is never mutated: the rewrite returns a copy.
 */
import { assert, type ShardId } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { deparseSync } from "pgsql-deparser";
import { deparseUpdateSets } from "./update-set-deparse.js";
import { shardName } from "../metadata/naming.js";
import { extendDdlNames } from "./shard-ddl-names.js";
import { deparseWithTies } from "./with-ties-deparse.js";
import { carriesSample, restoreSamples } from "./table-sample.js";
import { isRecord, walkTree, type TreeRecord, type TreeVisitor } from "./tree-walk.js";

/** The shard a relation reference stands for in this task. */
export interface ShardRelation {
  readonly shardId: ShardId;
  /** Schema to qualify the shard name with; the reference's own schema is kept otherwise. */
  readonly schemaName?: string;
}

export interface ShardQueryOptions {
  /** Returns the shard for a relation reference, or undefined for a local table or a view. */
  readonly resolveRelation: (rangeVar: ast.RangeVar) => ShardRelation | undefined;
  /**
   * The shard whose per-shard object names (indexes, constraints) a DDL statement extends;
   * defaults to the shard of the statement's own relation.
   */
  readonly ddlShardId?: ShardId;
  /**
   * How an unaliased INSERT target is named: by default its table name; `null` for no alias
   * (Citus's single-row INSERT) or a given alias (Citus's multi-row `citus_table_alias`).
   * References to the target in RETURNING and ON CONFLICT follow the new name.
   */
  readonly insertAlias?: string | null;
}

/** Returns a copy of `stmt` with every Citus table swapped for its shard. */
export function rewriteForShard(stmt: ast.Node, options: ShardQueryOptions): ast.Node {
  const state: RewriteState = {
    options, schemaStripped: new Set(), firstShardId: undefined, insertRename: undefined,
    sampled: false,
  };
  const walked = walkTree(stmt, rangeVarVisitor(state));
  assert(isRecord(walked), "a rewritten statement is a node");
  const rewritten = state.insertRename === undefined
    ? walked
    : renameInsertTarget(walked, state.insertRename);
  const stripped = state.schemaStripped.size === 0
    ? rewritten
    : walkTree(rewritten, columnSchemaVisitor(state.schemaStripped));
  assert(isRecord(stripped), "a rewritten statement is a node");
  const ddlShardId = options.ddlShardId ?? state.firstShardId;
  const result = ddlShardId === undefined ? stripped : extendDdlNames(stripped, ddlShardId);
  // A sampled Citus table's TABLESAMPLE goes back around its shard (`table-sample.ts`).
  return (state.sampled ? restoreSamples(result) : result) as ast.Node;
}

/** Prints a statement tree as one line of SQL. */
export function deparseStatement(stmt: ast.Node): string {
  const text = deparseUpdateSets(stmt, (sets) =>
    deparseWithTies(sets, (tree) => deparseSync(tree, { pretty: false })));
  assert(text.length > 0, "a statement deparses to text");
  return text;
}

/** Returns the SQL text of `stmt` run against the shards `options` chooses. */
export function shardQueryText(stmt: ast.Node, options: ShardQueryOptions): string {
  return deparseStatement(rewriteForShard(stmt, options));
}

interface RewriteState {
  readonly options: ShardQueryOptions;
  /** "schema.table" of unaliased tables that got their name as alias. */
  readonly schemaStripped: Set<string>;
  firstShardId: ShardId | undefined;
  /** The INSERT target's old and new visible names, when `insertAlias` changed it. */
  insertRename: { readonly from: string; readonly to: string } | undefined;
  /** Set when a table reference carries a hidden TABLESAMPLE. */
  sampled: boolean;
}

/** Places where Postgres accepts an alias after a table name: parent node type and field. */
const aliasablePositions: ReadonlySet<string> = new Set([
  "SelectStmt.fromClause", "UpdateStmt.fromClause", "DeleteStmt.usingClause", "JoinExpr.larg",
  "JoinExpr.rarg", "InsertStmt.relation", "UpdateStmt.relation", "DeleteStmt.relation",
  "MergeStmt.relation", "MergeStmt.sourceRelation",
]);

function rangeVarVisitor(state: RewriteState): TreeVisitor {
  return {
    rangeVar(rangeVar, position, ctes) {
      if (rangeVar.schemaname === undefined && ctes.has(rangeVar.relname ?? "")) return undefined;
      if (carriesSample(rangeVar)) state.sampled = true;
      const shard = state.options.resolveRelation(rangeVar);
      if (shard === undefined) return undefined;
      state.firstShardId ??= shard.shardId;
      if (position === "InsertStmt.relation" && state.options.insertAlias !== undefined) {
        return swapInsertTarget(rangeVar, shard, state.options.insertAlias, state);
      }
      return swapRangeVar(rangeVar, shard, aliasablePositions.has(position), state);
    },
  };
}

function swapRangeVar(
  rangeVar: ast.RangeVar, shard: ShardRelation, aliasable: boolean, state: RewriteState,
): ast.RangeVar {
  const relname = rangeVar.relname;
  assert(relname !== undefined && relname.length > 0, "a resolved relation has a name");
  const swapped: ast.RangeVar = { ...rangeVar, relname: shardName(relname, shard.shardId) };
  if (shard.schemaName !== undefined) swapped.schemaname = shard.schemaName;
  if (aliasable && rangeVar.alias === undefined) {
    swapped.alias = { aliasname: relname };
    if (rangeVar.schemaname !== undefined) {
      state.schemaStripped.add(`${rangeVar.schemaname}.${relname}`);
    }
  }
  return swapped;
}

/** Names an unaliased INSERT target as `insertAlias` asks and records the rename. */
function swapInsertTarget(
  rangeVar: ast.RangeVar, shard: ShardRelation, insertAlias: string | null, state: RewriteState,
): ast.RangeVar {
  const swapped = swapRangeVar(rangeVar, shard, false, state);
  if (rangeVar.alias !== undefined) return swapped;
  assert(rangeVar.relname !== undefined && swapped.relname !== undefined, "named relations");
  if (insertAlias !== null) swapped.alias = { aliasname: insertAlias };
  state.insertRename = { from: rangeVar.relname, to: insertAlias ?? swapped.relname };
  return swapped;
}

/** Renames `target.col` and `schema.target.col` in RETURNING and ON CONFLICT. */
function renameInsertTarget(
  stmt: TreeRecord, rename: { readonly from: string; readonly to: string },
): TreeRecord {
  const insert = stmt["InsertStmt"];
  assert(isRecord(insert), "insertAlias renames only an INSERT's target");
  const visitor: TreeVisitor = {
    columnRef(ref) {
      const fields = ref.fields ?? [];
      const names = fields.map((field) => ("String" in field ? field.String.sval : undefined));
      const at = fields.length - 2; // the table part of [catalog.][schema.]table.column
      if (at < 0 || names[at] !== rename.from) return undefined;
      return { ...ref, fields: [{ String: { sval: rename.to } }, ...fields.slice(at + 1)] };
    },
  };
  const copy: TreeRecord = { ...insert };
  for (const key of ["returningClause", "onConflictClause"]) {
    if (copy[key] !== undefined) copy[key] = walkTree(copy[key], visitor);
  }
  return { InsertStmt: copy };
}

/** Drops the schema from `schema.table.column` refs whose table now goes by its alias. */
function columnSchemaVisitor(qualified: ReadonlySet<string>): TreeVisitor {
  return {
    columnRef(ref) {
      const fields = ref.fields ?? [];
      if (fields.length < 3) return undefined;
      const names = fields.map((field) => ("String" in field ? field.String.sval : undefined));
      const schemaAt = fields.length - 3;
      if (!qualified.has(`${names[schemaAt]}.${names[schemaAt + 1]}`)) return undefined;
      return { ...ref, fields: fields.slice(schemaAt + 1) };
    },
  };
}

