/**
 * Statements that may change what a shard is on its node (DDL, and the Citus functions that
 * create, move, split or drop shards), and the fast path's reaction to them: a node keeps a
 * prepared statement planned against the table it first saw, so the fast path
 * (`planner/fast-path.ts`) forgets its node-side statement names when such a statement is
 * planned, when it finishes, and when the transaction block it ran in ends. Texts prepared
 * after that get new names and are parsed and planned afresh on the nodes.
 *
 * The test is broad on purpose: anything but a plain SELECT, INSERT, UPDATE, DELETE or
 * EXPLAIN counts, and so does a SELECT that calls a function and names no Citus table (how
 * Citus's functions are called). Forgetting names costs only a new Parse per connection.
 */
import type {
  Cursor, FetchResult, PreparedStatement, StatementContext, TransactionParticipant,
} from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { blockOf } from "../connection/remote-transaction.js";
import { schemaChanged } from "../planner/fast-path.js";

const plainStatements = ["InsertStmt", "UpdateStmt", "DeleteStmt", "ExplainStmt",
  "VariableSetStmt", "VariableShowStmt", "TransactionStmt", "LockStmt", "ListenStmt",
  "UnlistenStmt", "NotifyStmt", "CommentStmt"];

/**
 * Whether a statement may change the definition of shards on the nodes; `local` when it
 * names no Citus table and runs in the coordinator's engine.
 */
export function changesSchema(stmt: ast.Node, local: boolean): boolean {
  if ("SelectStmt" in stmt) return local && callsFunction(stmt.SelectStmt);
  return !plainStatements.some((kind) => kind in stmt);
}

function callsFunction(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(callsFunction);
  if (typeof value !== "object" || value === null) return false;
  for (const [key, field] of Object.entries(value)) {
    if (key === "FuncCall" || callsFunction(field)) return true;
  }
  return false;
}

/** A schema-changing statement that forgets names now and once it has run. */
export function withSchemaChanges(prepared: PreparedStatement): PreparedStatement {
  schemaChanged();
  return {
    ...prepared,
    open: (params, ctx) => afterwards(prepared.open(params, ctx), ctx),
  };
}

function afterwards(cursor: Cursor, ctx: StatementContext): Cursor {
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    schemaChanged();
    watchBlockEnd(ctx);
  };
  return {
    async fetch(maxRows: number): Promise<FetchResult> {
      try {
        const result = await cursor.fetch(maxRows);
        if (result.commandTag !== undefined) finish();
        return result;
      } catch (error) {
        finish();
        throw error;
      }
    },
    close(): void {
      cursor.close();
      finish();
    },
  };
}

const watched = new WeakSet<TransactionParticipant>();

/**
 * Forgets names again when the statement's transaction block commits or rolls back (to a
 * savepoint, too): the block's participant keeps its identity, its ends also forget names.
 */
function watchBlockEnd(ctx: StatementContext): void {
  const block = blockOf(ctx);
  if (block === undefined || watched.has(block)) return;
  watched.add(block);
  const commit = block.commit.bind(block);
  const rollback = block.rollback.bind(block);
  const rollbackTo = block.rollbackTo.bind(block);
  block.commit = async (options): Promise<void> => {
    try {
      await commit(options);
    } finally {
      schemaChanged();
    }
  };
  block.rollback = (): void => {
    try {
      rollback();
    } finally {
      schemaChanged();
    }
  };
  block.rollbackTo = (depth): void => {
    try {
      rollbackTo(depth);
    } finally {
      schemaChanged();
    }
  };
}
