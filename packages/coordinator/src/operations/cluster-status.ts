/**
 * What `tessera status` shows: the coordinator's nodes with their shard counts and sizes,
 * read over the wire from pg_dist_node and (once distributed tables exist) citus_shards.
 */
import pg from "pg";

export interface NodeStatus {
  readonly nodeid: number;
  readonly host: string;
  readonly port: number;
  readonly active: boolean;
  readonly shards: number;
  readonly bytes: number;
}

export interface StatusTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
}

export async function clusterStatus(target: StatusTarget): Promise<NodeStatus[]> {
  const client = new pg.Client({
    host: target.host, port: target.port, user: target.user, database: "postgres",
    connectionTimeoutMillis: 5_000,
    ...(target.password !== undefined && { password: target.password }),
  });
  await client.connect();
  try {
    const nodes = await client.query<{ nodeid: number; nodename: string; nodeport: number;
      isactive: boolean }>(
      "select nodeid, nodename, nodeport, isactive from pg_dist_node order by nodeid");
    const shards = await shardsPerNode(client);
    return nodes.rows.map((n) => {
      const s = shards.get(`${n.nodename}:${n.nodeport}`);
      return { nodeid: n.nodeid, host: n.nodename, port: n.nodeport, active: n.isactive,
        shards: s?.count ?? 0, bytes: s?.bytes ?? 0 };
    });
  } finally {
    await client.end();
  }
}

/** Shard count and bytes per node; empty while citus_shards does not exist yet. */
async function shardsPerNode(client: pg.Client): Promise<Map<string, { count: number;
  bytes: number }>> {
  const result = new Map<string, { count: number; bytes: number }>();
  const exists = await client.query("select 1 from pg_class where relname = 'citus_shards'")
    .then((r) => r.rowCount !== 0, () => false);
  if (!exists) return result;
  const rows = await client.query<{ nodename: string; nodeport: number; count: string;
    bytes: string }>("select nodename, nodeport, count(*) as count, "
    + "coalesce(sum(shard_size), 0) as bytes from citus_shards group by nodename, nodeport");
  for (const row of rows.rows) {
    result.set(`${row.nodename}:${row.nodeport}`, { count: Number(row.count),
      bytes: Number(row.bytes) });
  }
  return result;
}
