/**
 * Statements whose WITH queries write (`WITH moved AS (DELETE … RETURNING *) INSERT INTO
 * archive SELECT * FROM moved`) run in rounds of tasks: the writing WITH queries as subplans
 * first, then the statement over their rows. Outside a transaction block each round would
 * commit by itself, so a failure in a later round would keep the earlier rounds' writes.
 * Citus runs such a statement as one coordinated transaction; so does this: the statement
 * runs in a block of its own (`asOneTransaction`), its rows are read to the end inside the
 * block, and the block commits before the first row is handed out, or rolls back on error.
 */
import type { Cursor, FetchResult, StatementContext } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import { asOneTransaction } from "../commands/ddl-transaction.js";
import type { ConnectionPools } from "../connection/pool.js";

const writingKinds = ["InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"];

/** Whether a statement's own WITH clause holds a data-modifying query. */
export function writesThroughWith(stmt: ast.Node): boolean {
  const body = "SelectStmt" in stmt ? stmt.SelectStmt : "InsertStmt" in stmt ? stmt.InsertStmt
    : "UpdateStmt" in stmt ? stmt.UpdateStmt : "DeleteStmt" in stmt ? stmt.DeleteStmt
    : undefined;
  return (body?.withClause?.ctes ?? []).some((node) => {
    const query = "CommonTableExpr" in node ? node.CommonTableExpr.ctequery : undefined;
    return query !== undefined && writingKinds.some((kind) => kind in query);
  });
}

/**
 * A cursor over the statement `open` starts, run whole in one transaction on its first
 * fetch (`asOneTransaction` with `ctx`); `joined` gives the context the statement's tasks
 * run in, inside that transaction.
 */
export function openAsOneTransaction(pools: ConnectionPools, ctx: StatementContext,
  joined: (ctx: StatementContext) => StatementContext,
  open: (ctx: StatementContext) => Cursor): Cursor {
  let result: Promise<FetchResult> | undefined;
  let handedOut = 0;
  const run = (): Promise<FetchResult> => asOneTransaction(pools, ctx, async (inner) => {
    const cursor = open(joined(inner));
    try {
      return await cursor.fetch(0);
    } finally {
      cursor.close();
    }
  });
  return {
    async fetch(maxRows: number): Promise<FetchResult> {
      result ??= run();
      const whole = await result;
      const end = maxRows === 0 ? whole.rows.length
        : Math.min(whole.rows.length, handedOut + maxRows);
      const rows = whole.rows.slice(handedOut, end);
      handedOut = end;
      return end < whole.rows.length ? { rows } : { ...whole, rows };
    },
    close: () => undefined,
  };
}
