/**
 * Transition tables (REFERENCING OLD / NEW TABLE) on Citus tables, with
 * citus.enable_unsafe_triggers on: the trigger reaches every shard with its REFERENCING clause
 * and fires on the workers, each placement seeing the rows its shard changed. (Plain tables are
 * compared with PostgreSQL 15 in test/differential/cases/trigger_transition_tables.sql.)
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import {
  clusterBesidePostgres, failureOf, onWorkers as workerResults, type ClusterBesidePostgres,
  type Rows,
} from "../harness/index.js";

describe("trigger transition tables on Citus tables", () => {
  let tessera: pg.Client;
  let servers: ClusterBesidePostgres;
  const q = async (sql: string): Promise<Rows> => (await tessera.query(sql)).rows as Rows;
  const onWorkers = (sql: string): Promise<string[]> => workerResults(tessera, sql);

  before(async () => {
    servers = await clusterBesidePostgres();
    ({ tessera } = servers);
  });
  after(async () => {
    await servers?.stop();
  });

  test("a reference table's placements each see the statement's rows", async () => {
    await q("SET citus.enable_unsafe_triggers TO on");
    await q("CREATE TABLE ref (id int PRIMARY KEY, v int)");
    await q("SELECT create_reference_table('ref')");
    await q("CREATE FUNCTION too_many() RETURNS trigger LANGUAGE plpgsql AS $$ " +
      "DECLARE n int; BEGIN SELECT count(*) INTO n FROM nt; " +
      "IF n > 2 THEN RAISE EXCEPTION 'new rows: %', n; END IF; RETURN NULL; END $$");
    await q("CREATE TRIGGER ref_limit AFTER INSERT ON ref REFERENCING NEW TABLE AS nt " +
      "FOR EACH STATEMENT EXECUTE FUNCTION too_many()");
    const defs = await onWorkers("SELECT pg_get_triggerdef(oid) FROM pg_trigger " +
      "WHERE tgname LIKE 'ref_limit_%'");
    for (const def of defs) assert.match(def, /REFERENCING NEW TABLE AS nt FOR EACH STATEMENT/);
    await q("INSERT INTO ref VALUES (1, 1), (2, 2)");
    const failure = await failureOf(tessera, "INSERT INTO ref VALUES (3, 3), (4, 4), (5, 5)");
    assert.match(failure.message, /new rows: 3/);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM ref"), [{ n: 2 }]);
  });
});
