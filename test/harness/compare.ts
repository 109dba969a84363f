/**
 * Small client-side helpers the integration tests share: a statement's failure as the
 * driver reports it, a one-off query on a node by port, the same statement run against
 * real PostgreSQL and Tessera with the answers compared, and the cluster and reference
 * server such a comparison runs on.
 */
import assert from "node:assert/strict";
import { after, before } from "node:test";
import pg from "pg";
import { startCluster, type TesseraCluster } from "./cluster.js";
import { startReferencePostgres, type ReferencePostgres } from "./postgres.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { psql, psqlScript } from "./psql.js";

export type Rows = Record<string, unknown>[];

/** Runs `sql`, which must fail; returns the server's error. */
export async function failureOf(client: pg.Client, sql: string): Promise<pg.DatabaseError> {
  try {
    await client.query(sql);
  } catch (error) {
    assert.ok(error instanceof pg.DatabaseError, String(error));
    return error;
  }
  throw new Error(`expected ${sql} to fail`);
}

/** One query over a fresh connection to the node on `port` (a worker, usually). */
export async function queryNode(port: number, sql: string): Promise<Rows> {
  const node = new pg.Client({ host: "127.0.0.1", port, user: "postgres",
    database: "postgres" });
  await node.connect();
  try {
    return (await node.query(sql)).rows as Rows;
  } finally {
    await node.end();
  }
}

/** Each statement's rows, in order, over one fresh connection to `url`. */
export async function rowsOfEach(url: string, statements: readonly string[]):
  Promise<Rows[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Rows[] = [];
    for (const sql of statements) out.push((await client.query(sql)).rows as Rows);
    return out;
  } finally {
    await client.end();
  }
}

/** The same statements on real PostgreSQL and on Tessera. */
export class SideBySide {
  constructor(private readonly postgres: pg.Client, private readonly tessera: pg.Client) {}

  /** Runs a statement on both servers. */
  async both(sql: string): Promise<void> {
    await this.postgres.query(sql);
    await this.tessera.query(sql);
  }

  /** Runs a query on both servers and asserts the same rows. */
  async same(sql: string): Promise<Rows> {
    const expected = (await this.postgres.query(sql)).rows as Rows;
    const actual = (await this.tessera.query(sql)).rows as Rows;
    assert.deepEqual(actual, expected, sql);
    return actual;
  }

  /** The same error on both servers: code and message. */
  async sameFailure(sql: string): Promise<pg.DatabaseError> {
    const expected = await failureOf(this.postgres, sql);
    const actual = await failureOf(this.tessera, sql);
    assert.equal(actual.code, expected.code, sql);
    assert.equal(actual.message, expected.message, sql);
    return actual;
  }
}

/** A Tessera cluster and a reference PostgreSQL, a client on each and their `SideBySide`. */
export interface ClusterBesidePostgres {
  readonly cluster: TesseraCluster;
  readonly reference: ReferencePostgres;
  readonly tessera: pg.Client;
  readonly postgres: pg.Client;
  readonly side: SideBySide;
  /** Closes the clients and stops both servers. */
  stop(): Promise<void>;
}

/** Starts `tessera cluster --workers N` and a reference PostgreSQL, connected. */
export async function clusterBesidePostgres(workers = 2): Promise<ClusterBesidePostgres> {
  const [cluster, reference] = await Promise.all([startCluster({ workers }),
    startReferencePostgres()]);
  const tessera = new pg.Client({ connectionString: cluster.url });
  const postgres = new pg.Client({ connectionString: reference.url });
  await Promise.all([tessera.connect(), postgres.connect()]);
  return {
    cluster, reference, tessera, postgres, side: new SideBySide(postgres, tessera),
    stop: async () => {
      await Promise.all([tessera.end(), postgres.end()]);
      await Promise.all([cluster.stop(), reference.stop()]);
    },
  };
}

/**
 * One value per worker from `run_command_on_workers(sql)` on the coordinator, in port order;
 * fails the test when a worker reports an error.
 */
export async function onWorkers(coordinator: pg.Client, sql: string): Promise<string[]> {
  const { rows } = await coordinator.query<{ success: boolean; result: string }>(
    `SELECT success, result FROM run_command_on_workers($cmd$${sql}$cmd$) ORDER BY nodeport`);
  return rows.map((r) => {
    assert.equal(r.success, true, String(r.result));
    return String(r.result);
  });
}

/**
 * A reference PostgreSQL and a Tessera worker, both given `schema` by `psql -q`: the start of
 * the tests that compare psql's output on the two.
 */
export async function workerBesidePostgres(
  schema: string,
): Promise<[ReferencePostgres, TesseraCluster]> {
  const [reference, tessera] = await Promise.all([startReferencePostgres(),
    startCluster({ role: "worker" })]);
  await psql(reference.port, schema, { extraArgs: ["-q"] });
  await psql(tessera.port, schema, { extraArgs: ["-q"] });
  return [reference, tessera];
}

/**
 * The reference PostgreSQL and the Tessera worker of one `describe` suite, both loaded with
 * `schema`: started by a `before` hook and stopped by an `after` hook this registers, so call
 * it inside the suite; read the servers in the tests.
 */
export function suiteBesidePostgres(schema: string):
  { readonly reference: ReferencePostgres; readonly tessera: TesseraCluster } {
  let servers: [ReferencePostgres, TesseraCluster] | undefined;
  before(async () => {
    servers = await workerBesidePostgres(schema);
  });
  after(async () => {
    await Promise.all(servers?.map((server) => server.stop()) ?? []);
  });
  const started = (): [ReferencePostgres, TesseraCluster] => {
    assert.ok(servers !== undefined, "the suite's servers start in its before hook");
    return servers;
  };
  return {
    get reference() {
      return started()[0];
    },
    get tessera() {
      return started()[1];
    },
  };
}

/**
 * Asserts psql prints the same for `command` on both servers, run with `extraArgs` and
 * compared after `shape` (a mask of sizes, say), when given.
 */
export async function assertSamePsql(servers: { readonly reference: ReferencePostgres;
  readonly tessera: TesseraCluster }, command: string,
  options: { readonly extraArgs?: string[]; readonly shape?: (output: string) => string } = {},
): Promise<void> {
  const shape = options.shape ?? ((output: string): string => output);
  const run = async (port: number): Promise<string> =>
    shape(await psql(port, command, { extraArgs: options.extraArgs ?? [] }));
  assert.equal(await run(servers.tessera.port), await run(servers.reference.port));
}

/** A reference PostgreSQL, a Tessera worker and a Tessera coordinator, and a scratch folder. */
export interface ThreeServers {
  readonly reference: ReferencePostgres;
  readonly worker: TesseraCluster;
  readonly coordinator: TesseraCluster;
  readonly dir: string;
  /** The ports, reference first. */
  readonly ports: readonly number[];
  stop(): Promise<void>;
}

export async function startThreeServers(label: string): Promise<ThreeServers> {
  const [reference, worker, coordinator] = await Promise.all([startReferencePostgres(),
    startCluster({ role: "worker" }), startCluster({ role: "coordinator" })]);
  const dir = await mkdtemp(join(tmpdir(), `${label}-`));
  return {
    reference, worker, coordinator, dir,
    ports: [reference.port, worker.port, coordinator.port],
    stop: async () => {
      await Promise.all([reference.stop(), worker.stop(), coordinator.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs psql script `setup`, then `script` (as `<name>-<k>.sql`), on each of the three servers;
 * the outputs in port order, the file's name written `<name>.sql`.
 */
export async function psqlScriptsOnThree(servers: ThreeServers, setup: string, script: string,
  name: string): Promise<string[]> {
  const outputs = await Promise.all(servers.ports.map(async (port, k) => {
    await psqlScript(port, servers.dir, `setup-${k}.sql`, setup);
    return psqlScript(port, servers.dir, `${name}-${k}.sql`, script);
  }));
  return outputs.map((o) => o.replace(new RegExp(`${name}-\\d\\.sql`, "g"), `${name}.sql`));
}
