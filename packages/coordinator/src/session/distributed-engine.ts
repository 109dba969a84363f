/**
 * The coordinator's query engine: local or distributed? Statements that name no Citus table
 * go to the local engine unchanged (local tables, pg_catalog, pg_dist_*, the Citus
 * functions); the rest go to the distributed planner by statement kind:
 *
 *   SELECT                     planner/distributed-select.ts  (router or multi-shard)
 *   EXPLAIN SELECT             executor/explain.ts
 *   EXPLAIN INSERT/UPDATE/DELETE   executor/explain-modify.ts
 *   INSERT / UPDATE / DELETE   planner/distributed-modify.ts
 *   MERGE                      planner/distributed-merge.ts
 *   COPY FROM STDIN            commands/copy.ts
 *   CREATE INDEX, ALTER TABLE, TRUNCATE, DROP TABLE, DROP INDEX   commands/ddl.ts
 *   LOCK TABLE                 commands/distributed-lock.ts
 *
 * Anything else that names a Citus table is 0A000, never a run against the shell table.
 *
 * A SELECT that pins one hash-distributed table to one shard by its distribution column goes
 * the fast path first (planner/fast-path.ts, executor/fast-path-exec.ts); the general planner
 * is made only when an execution needs it.
 *
 * Inside a transaction block every statement runs with the block's DistributedTransaction
 * (connection/remote-transaction.ts): its tasks share one connection per node, in one remote
 * transaction per node that ends with the block.
 *
 * Statements that may change table definitions on the nodes (session/schema-changes.ts) make
 * the fast path prepare its node-side statements anew.
 */
import { prepareDomainDdl } from "../commands/domain-ddl.js";
import { hideCitusSamples } from "../planner/table-sample.js";
import { oid } from "@tessera/base";
import type {
  CopyInSink, CopyOutSource, Cursor, Engine, PreparedStatement, QueryEngine, StatementContext,
} from "@tessera/engine";
import { checkStatementPrivileges } from "@tessera/engine";
import { checkCopyFromWritable, checkUtilityWritable } from "@tessera/engine";
import type { Value, ast } from "@tessera/sql";
import { citusSetting, type Cluster } from "../cluster.js";
import { startDistributedCopy } from "../commands/copy.js";
import { abandonSession, blockOf, inBlock } from "../connection/remote-transaction.js";
import { movesUnderway, statementFenceWait } from "../operations/move-gate.js";
import { startDistributedCopyOut } from "../commands/copy-out.js";
import {
  prepareDistributedDdl, prepareDistributedDrop, prepareIndexDrop,
} from "../commands/ddl.js";
import { prepareCitusTrigger, prepareTriggerDrop } from "../commands/citus-triggers.js";
import { isUnqualifiedVacuum, prepareMaintenance } from "../commands/maintenance.js";
import { preparePartitionDdl } from "../commands/partition-ddl.js";
import { prepareSchemaDdl } from "../commands/schema-ddl.js";
import { prepareDistributedLock } from "../commands/distributed-lock.js";
import {
  prepareTypeFunctionDdl, refuseSqlFunctionsOnCitusTables,
} from "../commands/type-function-ddl.js";
import { prepareDistributedRename, prepareIndexRename } from "../commands/renames.js";
import { installPlpgsqlGuard, preparePlpgsql } from "../commands/plpgsql.js";
import { cursorAfter, preparedStatement } from "../executor/cursor.js";
import { executionStats } from "../executor/execution-stats.js";
import { openAsOneTransaction, writesThroughWith } from "../executor/writing-with.js";
import { runFastPath } from "../executor/fast-path-exec.js";
import { explainPlanned } from "../executor/plan-explain.js";
import {
  checkExplainOptions, explainColumn, explainFlags,
} from "../executor/explain-options.js";
import { prepareExplainModify } from "../executor/explain-modify.js";
import { runPlannedSelect } from "../executor/recursive-exec.js";
import { openSelect } from "../executor/select-exec.js";
import type { DistributedSelect } from "../planner/distributed-select.js";
import { callsRunCommand, prefetchRunCommands } from "../operations/run-command.js";
import { prefetchShardSizes, readsShardSizes } from "../operations/shard-sizes.js";
import { prefetchActivity, readsActivityViews } from "../operations/activity-views.js";
import { prefetchUtilities, readsUtilities } from "../operations/utility-prefetch.js";
import { rememberContext } from "../operations/statement-contexts.js";
import { citusTypesAsText } from "./citus-types.js";
import { expandCitusViews, isViewDdl } from "../planner/view-expansion.js";
import { classify, droppedCitusTables, isCitusTable, type Classification }
  from "../planner/classify.js";
import { planFastPath } from "../planner/fast-path.js";
import { qualifyUserFunctions } from "../planner/qualify-functions.js";
import { planSelect, type PlannedSelect } from "../planner/recursive.js";
import { changesSchema, withSchemaChanges } from "./schema-changes.js";
import { prepareInsert, prepareUpdateOrDelete } from "../planner/distributed-modify.js";
import { prepareMerge } from "../planner/distributed-merge.js";
import { unsupported } from "../planner/raw.js";
import { prepareTenantTable } from "../operations/schema-sharding.js";
import {
  registerInsertChecks, rewriteCitusViewWrite, updateCheckQuery, type ViewWriteChecks,
} from "../planner/view-writes.js";
import { withUpdateChecks } from "../commands/view-write-checks.js";
import { prepareCreateTableAs } from "../commands/create-table-as.js";
import { prepareCitusMatview } from "../commands/materialized-views.js";
import { prepareRoleDdl } from "../commands/role-ddl.js";
import { prepareExtensionDdl } from "../commands/extension-ddl.js";
import { refusedWhenReadOnly } from "../planner/read-only-writes.js";

/** citus.enable_fast_path_router_planner, on unless the session turned it off. */
function fastPathOn(ctx: StatementContext): boolean {
  const value = citusSetting(ctx, "citus.enable_fast_path_router_planner", "on").toLowerCase();
  return !["off", "false", "0", "no"].includes(value);
}

export class DistributedEngine implements QueryEngine {
  constructor(private readonly cluster: Cluster) {
    installPlpgsqlGuard(cluster);
  }

  private get local(): Engine {
    return this.cluster.local;
  }

  /** SET ROLE / SET SESSION AUTHORIZATION, against the coordinator's roles. */
  checkRoleSwitch(kind: "role" | "session_authorization", target: string, user: string): void {
    this.local.checkRoleSwitch(kind, target, user);
  }

  prepare(stmt: ast.Node, paramTypes: readonly number[], statementCtx: StatementContext):
    PreparedStatement {
    const prepared = this.prepareInBlock(stmt, paramTypes, this.inBlock(statementCtx));
    // A WITH query that writes: the statement's rounds of tasks commit together.
    const writing = writesThroughWith(stmt) && this.cluster.metadata.cache.tables().next()
      .done !== true;
    return { ...prepared, open: (params, runCtx) => {
      // A READ ONLY transaction refuses DDL before any of it runs (as the engine does).
      checkUtilityWritable(stmt, this.inBlock(runCtx));
      if (writing && blockOf(this.inBlock(runCtx)) === undefined) {
        return openAsOneTransaction(this.cluster.pools, runCtx, (ctx) => this.inBlock(ctx),
          (ctx) => prepared.open(params, ctx));
      }
      return movesUnderway() ? this.openPastMoves(stmt, prepared, params, runCtx)
        : prepared.open(params, this.inBlock(runCtx));
    } };
  }

  /**
   * A statement outside a transaction block on tables whose shards are being moved waits
   * for the move, then is planned again for the new placements (operations/move-gate.ts).
   */
  private openPastMoves(stmt: ast.Node, prepared: PreparedStatement,
    params: readonly Value[], runCtx: StatementContext): Cursor {
    const ctx = this.inBlock(runCtx);
    const wait = blockOf(ctx) === undefined ? statementFenceWait(this.cluster, stmt, ctx)
      : undefined;
    if (wait === undefined) return prepared.open(params, ctx);
    return cursorAfter(() => wait, () =>
      this.prepare(stmt, prepared.paramTypes, runCtx).open(params, runCtx));
  }

  /** The statement's context, joined to the session's transaction block if it has one. */
  private inBlock(ctx: StatementContext): StatementContext {
    return inBlock(this.cluster.pools, ctx);
  }

  private prepareInBlock(stmt: ast.Node, paramTypes: readonly number[], ctx: StatementContext):
    PreparedStatement {
    const prepared = this.prepareStatement(stmt, paramTypes, ctx);
    const local = this.localStatements.has(prepared);
    return changesSchema(stmt, local) ? withSchemaChanges(prepared) : prepared;
  }

  /** Statements prepareLocal made, for `changesSchema`. */
  private readonly localStatements = new WeakSet<PreparedStatement>();

  private prepareStatement(stmt: ast.Node, paramTypes: readonly number[],
    ctx: StatementContext): PreparedStatement {
    rememberContext(ctx);
    const schemaDdl = prepareSchemaDdl(this.cluster, stmt);
    if (schemaDdl !== undefined) return schemaDdl;
    const domainDdl = prepareDomainDdl(this.cluster, stmt, ctx);
    if (domainDdl !== undefined) return domainDdl;
    const typeFunctionDdl = prepareTypeFunctionDdl(this.cluster, stmt);
    if (typeFunctionDdl !== undefined) return typeFunctionDdl;
    const roleDdl = prepareRoleDdl(this.cluster, stmt);
    if (roleDdl !== undefined) return roleDdl;
    const extensionDdl = prepareExtensionDdl(this.cluster, stmt);
    if (extensionDdl !== undefined) return extensionDdl;
    const plpgsql = preparePlpgsql(this.cluster, stmt, (s, t, c) => this.prepare(s, t, c),
      (s, t, c) => this.prepareLocal(s, t, c), paramTypes, ctx);
    if (plpgsql !== undefined) return plpgsql;
    const tenantTable = prepareTenantTable(this.cluster, stmt, ctx);
    if (tenantTable !== undefined) return tenantTable;
    const partitionDdl = preparePartitionDdl(this.cluster, stmt,
      () => this.local.statementScope(paramTypes, ctx).path);
    if (partitionDdl !== undefined) return partitionDdl;
    const cache = this.cluster.metadata.cache;
    if (cache.tables().next().done === true) return this.prepareLocal(stmt, paramTypes, ctx);
    const path = this.local.statementScope(paramTypes, ctx).path;
    // Privileges are checked here, against the shell tables, as Citus checks them.
    checkStatementPrivileges(this.local.catalog, path, stmt, ctx);
    refuseSqlFunctionsOnCitusTables(this.cluster, stmt, path);
    if ("DropStmt" in stmt) {
      const dropped = droppedCitusTables(stmt.DropStmt, this.local.catalog, path, cache);
      if (dropped.length > 0) return prepareDistributedDrop(this.cluster, stmt, dropped);
    }
    const indexRename = prepareIndexRename(this.cluster, stmt, path);
    if (indexRename !== undefined) return indexRename;
    const indexDrop = prepareIndexDrop(this.cluster, stmt, path);
    if (indexDrop !== undefined) return indexDrop;
    const triggerDrop = prepareTriggerDrop(this.cluster, stmt, path, ctx);
    if (triggerDrop !== undefined) return triggerDrop;
    // A view is kept on the coordinator; queries expand it (`view-expansion.ts`).
    if (isViewDdl(stmt, this.local.catalog, path)) return this.prepareLocal(stmt, paramTypes, ctx);
    // A write through a view over a Citus table becomes a write to the table.
    const written = rewriteCitusViewWrite(stmt, this.local, path, cache,
      () => this.local.statementScope(paramTypes, ctx));
    const source = written?.stmt ?? stmt;
    const expanded = expandsViews(source)
      ? expandCitusViews(source, this.local.catalog, path, cache) : source;
    // Each shard samples its rows: TABLESAMPLE stays out of planning (`table-sample.ts`).
    const sampled = hideCitusSamples(expanded, (rv) => isCitusTable(rv, this.local.catalog,
      path, cache)) ?? expanded;
    // Workers resolve names with their own search_path (`qualify-functions.ts`).
    const query = qualifyUserFunctions(sampled, this.local.catalog, path);
    const classification = classify(query, this.local.catalog, path, cache);
    const matview = "RefreshMatViewStmt" in stmt || (classification.citus.length > 0 &&
      "CreateTableAsStmt" in stmt)
      ? prepareCitusMatview(this.cluster, stmt, query, paramTypes, ctx) : undefined;
    if (matview !== undefined) return matview;
    if (isUnqualifiedVacuum(stmt)) return prepareMaintenance(this.cluster, stmt, classification)!;
    // A new table may name Citus tables in its foreign keys; it is local until distributed.
    if (classification.citus.length === 0 || "CreateStmt" in stmt) {
      return this.prepareLocal(stmt, paramTypes, ctx);
    }
    return refusedWhenReadOnly(query,
      this.prepareDistributed(query, classification, paramTypes, ctx, written?.checks));
  }

  private prepareDistributed(stmt: ast.Node, classification: Classification,
    paramTypes: readonly number[], ctx: StatementContext, checks?: ViewWriteChecks):
    PreparedStatement {
    const cluster = this.cluster;
    const createAs = prepareCreateTableAs(cluster, stmt, classification, paramTypes, ctx);
    if (createAs !== undefined) return createAs;
    if ("SelectStmt" in stmt) {
      const fast = fastPathOn(ctx)
        ? planFastPath(cluster, stmt.SelectStmt, classification, paramTypes, ctx) : undefined;
      if (fast !== undefined) {
        let general: PlannedSelect | undefined;
        const select = stmt.SelectStmt;
        return preparedStatement(fast.columns, fast.paramTypes, (params, runCtx) =>
          runFastPath(cluster, fast, params, runCtx, () =>
            general ??= planSelect(cluster, select, classification, paramTypes, runCtx)));
      }
      const planned = planSelect(cluster, stmt.SelectStmt, classification, paramTypes, ctx);
      if (!("subplans" in planned) && !("pieces" in planned)) {
        const direct = planned as DistributedSelect;
        return { paramTypes: direct.paramTypes, columns: direct.columns,
          open: (params, runCtx) => openSelect(cluster, direct, params, runCtx) };
      }
      return preparedStatement(planned.columns, planned.paramTypes,
        (params, runCtx) => runPlannedSelect(cluster, planned, params, runCtx));
    }
    if ("ExplainStmt" in stmt) return this.prepareExplain(stmt.ExplainStmt, classification, ctx);
    if ("InsertStmt" in stmt) {
      if (checks !== undefined) registerInsertChecks(stmt.InsertStmt, checks);
      return prepareInsert(cluster, stmt.InsertStmt, classification, paramTypes, ctx);
    }
    if ("UpdateStmt" in stmt || "DeleteStmt" in stmt) {
      const prepared = prepareUpdateOrDelete(cluster, stmt, classification, paramTypes, ctx);
      return checks === undefined || !("UpdateStmt" in stmt) ? prepared
        : withUpdateChecks(prepared, this.prepare(updateCheckQuery(stmt.UpdateStmt, checks),
          paramTypes, ctx), checks);
    }
    const trigger = prepareCitusTrigger(cluster, stmt, classification, ctx);
    if (trigger !== undefined) return trigger;
    const maintenance = prepareMaintenance(cluster, stmt, classification);
    if (maintenance !== undefined) return maintenance;
    const renamed = prepareDistributedRename(cluster, stmt, classification);
    if (renamed !== undefined) return renamed;
    if ("IndexStmt" in stmt || "AlterTableStmt" in stmt || "TruncateStmt" in stmt) {
      return prepareDistributedDdl(cluster, stmt, classification);
    }
    if ("LockStmt" in stmt) return prepareDistributedLock(cluster, stmt.LockStmt, classification);
    if ("MergeStmt" in stmt) {
      return prepareMerge(cluster, stmt.MergeStmt, classification, paramTypes, ctx,
        { prepare: (s, types, c) => this.prepare(s, types, c) });
    }
    throw unsupported(`${Object.keys(stmt)[0] ?? "this statement"} on distributed tables is ` +
      "not supported yet");
  }

  private prepareExplain(explain: ast.ExplainStmt, classification: Classification,
    ctx: StatementContext): PreparedStatement {
    checkExplainOptions(explain.options ?? []);
    const query = explain.query;
    if (query === undefined || !("SelectStmt" in query)) {
      return prepareExplainModify(this.cluster, explain, classification, ctx);
    }
    const options = explain.options ?? [];
    const planned = planSelect(this.cluster, query.SelectStmt, classification, [], ctx);
    return preparedStatement([explainColumn(options)], planned.paramTypes,
      async (params, runCtx) => {
      const lines = await explainPlanned(this.cluster, planned, options, explainFlags(options),
        params, runCtx);
      return { rows: lines.map((line) => [line]), commandTag: "EXPLAIN" };
    });
  }

  /** The local engine, with run_command_on_* calls run before the statement starts. */
  private prepareLocal(stmt: ast.Node, paramTypes: readonly number[],
    ctx: StatementContext): PreparedStatement {
    const prepared = this.prepareLocalStatement(stmt, paramTypes, ctx);
    this.localStatements.add(prepared);
    return prepared;
  }

  private prepareLocalStatement(stmt: ast.Node, paramTypes: readonly number[],
    ctx: StatementContext): PreparedStatement {
    const local = citusTypesAsText(stmt);
    const prepared = this.local.prepare(local, paramTypes, ctx);
    const runCommands = callsRunCommand(local);
    const sizes = readsShardSizes(local);
    const activity = readsActivityViews(local);
    const utilities = readsUtilities(local);
    if (!runCommands && !sizes && !activity && !utilities) {
      return { ...prepared, open: (params, runCtx) => {
        rememberContext(runCtx);
        return prepared.open(params, runCtx);
      } };
    }
    const prefetch = async (runCtx: StatementContext): Promise<void> => {
      if (runCommands) await prefetchRunCommands(this.cluster, local, runCtx);
      if (sizes) await prefetchShardSizes(this.cluster, runCtx);
      if (activity) await prefetchActivity(this.cluster, runCtx);
      if (utilities) await prefetchUtilities(this.cluster, local, runCtx);
    };
    return {
      ...prepared,
      open: (params, runCtx) => {
        rememberContext(runCtx);
        return cursorAfter(() => prefetch(runCtx), () => prepared.open(params, runCtx));
      },
    };
  }

  copyIn(stmt: ast.CopyStmt, statementCtx: StatementContext): CopyInSink {
    const ctx = this.inBlock(statementCtx);
    rememberContext(ctx);
    const target = this.citusTarget(stmt, ctx);
    if (target === undefined) return this.local.copyIn(stmt, ctx);
    checkCopyFromWritable(target.relation.schema, ctx);
    return startDistributedCopy(this.cluster, stmt, target, ctx);
  }

  copyOut(stmt: ast.CopyStmt, statementCtx: StatementContext): CopyOutSource {
    const ctx = this.inBlock(statementCtx);
    const path = this.local.statementScope([], ctx).path;
    const cache = this.cluster.metadata.cache;
    const touches = stmt.query !== undefined
      ? classify(stmt.query, this.local.catalog, path, cache).citus.length > 0
      : this.citusTarget(stmt, ctx) !== undefined;
    if (touches) {
      return startDistributedCopyOut(stmt, ctx, (query, runCtx) => this.prepare(query, [], runCtx));
    }
    return this.local.copyOut(stmt, ctx);
  }

  dropSessionObjects(backendPid: number): void {
    abandonSession(backendPid);
    executionStats(this.cluster).forget(backendPid);
    this.local.dropSessionObjects(backendPid);
  }

  private citusTarget(stmt: ast.CopyStmt, ctx: StatementContext) {
    const rangeVar = stmt.relation;
    if (rangeVar === undefined) return undefined;
    const path = this.local.statementScope([], ctx).path;
    const relation = this.local.catalog.findRelation(path, rangeVar.schemaname,
      rangeVar.relname ?? "");
    const table = relation === undefined ? undefined
      : this.cluster.metadata.cache.table(oid(relation.oid));
    return relation === undefined || table === undefined ? undefined : { table, relation };
  }
}

/** Statements whose FROM items may name views over Citus tables, to expand. */
function expandsViews(stmt: ast.Node): boolean {
  return "SelectStmt" in stmt || "InsertStmt" in stmt || "UpdateStmt" in stmt ||
    "DeleteStmt" in stmt || "ExplainStmt" in stmt || "CreateTableAsStmt" in stmt;
}
