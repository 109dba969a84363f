/**
 * A cluster started, queried and killed with SIGKILL once per call, on one data directory and
 * port (the coordinator knows its workers by port): what a test needs to check that values
 * survive a crash. Each call returns the rows of each statement.
 */
import pg from "pg";
import { startCluster } from "./cluster.js";

export function crashRuns(dataDir: string, port: number,
  workers = 1): (sqls: readonly string[]) => Promise<unknown[]> {
  return async (sqls) => {
    const cluster = await startCluster({ workers, dataDir, port });
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    const results: unknown[] = [];
    try {
      for (const sql of sqls) results.push((await client.query(sql)).rows);
    } finally {
      await client.end();
      await cluster.stop({ keepData: true, signal: "SIGKILL" });
    }
    return results;
  };
}
