/**
 * Registers a worker with its coordinator over the wire, as `SELECT citus_add_node(h, p)`.
 * Used by `tessera cluster` after it starts its workers, and by a worker started with
 * `--coordinator` (the compose file), which retries until the coordinator answers.
 */
import pg from "pg";
import { assert, type Logger } from "@tessera/base";

export interface RegisterNodeOptions {
  readonly coordinator: { host: string; port: number; user: string; password?: string };
  readonly node: { host: string; port: number };
  /** Attempts before giving up; one per second. */
  readonly attemptsMax: number;
  readonly logger: Logger;
}

/** Returns the node id the coordinator gave the node (the same one on every run). */
export async function registerNode(options: RegisterNodeOptions): Promise<number> {
  assert(options.attemptsMax >= 1, "at least one attempt");
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attemptsMax; attempt++) {
    const client = new pg.Client({
      host: options.coordinator.host,
      port: options.coordinator.port,
      user: options.coordinator.user,
      database: "postgres",
      connectionTimeoutMillis: 5_000,
      ...(options.coordinator.password !== undefined && { password: options.coordinator.password }),
    });
    try {
      await client.connect();
      const result = await client.query<{ nodeid: number }>(
        "SELECT citus_add_node($1, $2) AS nodeid",
        [options.node.host, options.node.port],
      );
      const nodeId = Number(result.rows[0]?.nodeid);
      assert(Number.isInteger(nodeId) && nodeId > 0, "citus_add_node returns a node id");
      return nodeId;
    } catch (error) {
      lastError = error;
      options.logger.debug({ attempt, error: String(error) }, "coordinator not ready");
      if (attempt < options.attemptsMax) await new Promise((r) => setTimeout(r, 1_000));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(
    `could not register ${options.node.host}:${options.node.port} with the ` +
      `coordinator at ${options.coordinator.host}:${options.coordinator.port}: ` +
        String(lastError),
  );
}
