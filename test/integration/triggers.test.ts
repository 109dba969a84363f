/**
 * Triggers as a client sees them. On plain tables, beside PostgreSQL 15: ALTER TABLE …
 * ENABLE/DISABLE TRIGGER (one, ALL, USER), ALTER TRIGGER … RENAME, pg_trigger rows,
 * pg_get_triggerdef and psql's \d "Triggers:" section. On Citus tables, as Citus 11+: refused
 * with Citus's messages while citus.enable_unsafe_triggers is off; with it on, CREATE, RENAME,
 * ENABLE/DISABLE and DROP TRIGGER reach every shard and the trigger fires on the workers for
 * routed and multi-shard writes, and create_distributed_table of a table with triggers gives
 * its shards the triggers after copying its rows.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import {
  SideBySide, clusterBesidePostgres, failureOf, onWorkers as workerResults, psql,
  type ClusterBesidePostgres, type Rows,
} from "../harness/index.js";

const bumpFunction = "CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS " +
  "$$ BEGIN NEW.v := NEW.v + 100; RETURN NEW; END $$";

describe("triggers", () => {
  let tessera: pg.Client;
  let side: SideBySide;
  let servers: ClusterBesidePostgres;
  const q = async (sql: string): Promise<Rows> => (await tessera.query(sql)).rows as Rows;
  const both = (sql: string): Promise<void> => side.both(sql);
  const same = (sql: string): Promise<Rows> => side.same(sql);
  const onWorkers = (sql: string): Promise<string[]> => workerResults(tessera, sql);

  before(async () => {
    servers = await clusterBesidePostgres();
    ({ tessera, side } = servers);
    await both(bumpFunction);
  });
  after(async () => {
    await servers?.stop();
  });

  test("plain tables: enable, disable, rename and the catalog, as PostgreSQL", async () => {
    await both("CREATE TABLE lt (id int PRIMARY KEY, v int)");
    await both("CREATE TRIGGER lt_bump BEFORE INSERT OR UPDATE ON lt FOR EACH ROW " +
      "EXECUTE FUNCTION bump()");
    await both("CREATE TRIGGER lt_when AFTER DELETE ON lt FOR EACH ROW WHEN (old.v > 5) " +
      "EXECUTE FUNCTION bump('a', 'it''s')");
    await both("INSERT INTO lt VALUES (1, 1)");
    await both("ALTER TABLE lt DISABLE TRIGGER lt_bump");
    await both("INSERT INTO lt VALUES (2, 1)");
    await same("SELECT tgname, tgtype, tgenabled, tgnargs FROM pg_trigger " +
      "WHERE tgrelid = 'lt'::regclass ORDER BY 1");
    await both("ALTER TABLE lt ENABLE TRIGGER ALL");
    await both("INSERT INTO lt VALUES (3, 1)");
    await both("ALTER TABLE lt DISABLE TRIGGER USER");
    await both("UPDATE lt SET v = v + 1 WHERE id = 1");
    await both("ALTER TABLE lt ENABLE TRIGGER lt_bump");
    await same("SELECT * FROM lt ORDER BY id");
    await both("ALTER TRIGGER lt_bump ON lt RENAME TO lt_bump2");
    await side.sameFailure("ALTER TRIGGER nope ON lt RENAME TO x");
    await side.sameFailure("ALTER TRIGGER lt_bump2 ON lt RENAME TO lt_when");
    await side.sameFailure("ALTER TABLE lt DISABLE TRIGGER nope");
    await same("SELECT tgname, pg_get_triggerdef(oid), pg_get_triggerdef(oid, true) " +
      "FROM pg_trigger WHERE tgrelid = 'lt'::regclass ORDER BY 1");
    await same("SELECT relhastriggers FROM pg_class WHERE relname = 'lt'");
    assert.equal(await psql(servers.cluster.port, "\\d lt"),
      await psql(servers.reference.port, "\\d lt"));
    await both("BEGIN");
    await both("ALTER TABLE lt DISABLE TRIGGER lt_bump2");
    await both("ROLLBACK");
    await same("SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'lt'::regclass " +
      "ORDER BY 1");
  });

  test("Citus tables refuse triggers while citus.enable_unsafe_triggers is off", async () => {
    await q("CREATE TABLE dt (id int PRIMARY KEY, v int)");
    await q("SELECT create_distributed_table('dt', 'id')");
    await q("CREATE TABLE rt (id int PRIMARY KEY, v int)");
    await q("SELECT create_reference_table('rt')");
    assert.deepEqual((await q("SHOW citus.enable_unsafe_triggers")),
      [{ "citus.enable_unsafe_triggers": "off" }]);
    const onDistributed = await failureOf(tessera, "CREATE TRIGGER t BEFORE INSERT ON dt " +
      "FOR EACH ROW EXECUTE FUNCTION bump()");
    assert.equal(onDistributed.message, "triggers are not supported on distributed tables " +
      "when \"citus.enable_unsafe_triggers\" is set to \"false\"");
    assert.equal(onDistributed.code, "XX000");
    const onReference = await failureOf(tessera, "CREATE TRIGGER t BEFORE INSERT ON rt " +
      "FOR EACH ROW EXECUTE FUNCTION bump()");
    assert.equal(onReference.message, "triggers are not supported on reference tables");
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM pg_trigger"), [{ n: 2 }]);
    await q("CREATE TABLE wt (id int PRIMARY KEY, v int)");
    await q("CREATE TRIGGER wt_bump BEFORE INSERT ON wt FOR EACH ROW EXECUTE FUNCTION bump()");
    const withTriggers = await failureOf(tessera, "SELECT create_distributed_table('wt', 'id')");
    assert.equal(withTriggers.message, 'cannot distribute relation "wt" because it has triggers');
  });

  test("with citus.enable_unsafe_triggers on, triggers live on every shard", async () => {
    await q("SET citus.enable_unsafe_triggers TO on");
    await q("CREATE TRIGGER dt_bump BEFORE INSERT OR UPDATE ON dt FOR EACH ROW " +
      "EXECUTE FUNCTION bump()");
    assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_trigger WHERE tgname " +
      "LIKE 'dt_bump_%'"), ["16", "16"]);
    await q("INSERT INTO dt VALUES (1, 1), (2, 2), (3, 3)");
    await q("INSERT INTO dt VALUES (4, 4)");
    assert.deepEqual(await q("SELECT id, v FROM dt ORDER BY id"),
      [{ id: 1, v: 101 }, { id: 2, v: 102 }, { id: 3, v: 103 }, { id: 4, v: 104 }]);
    await q("UPDATE dt SET v = 0");
    assert.deepEqual(await q("SELECT sum(v)::int AS s FROM dt"), [{ s: 400 }]);
    await q("ALTER TABLE dt DISABLE TRIGGER dt_bump");
    await q("UPDATE dt SET v = 1 WHERE id = 1");
    assert.deepEqual(await q("SELECT v FROM dt WHERE id = 1"), [{ v: 1 }]);
    await q("ALTER TABLE dt ENABLE TRIGGER dt_bump");
    await q("ALTER TRIGGER dt_bump ON dt RENAME TO dt_plus");
    assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_trigger WHERE tgname " +
      "LIKE 'dt_plus_%' AND tgenabled = 'O'"), ["16", "16"]);
    await q("UPDATE dt SET v = 1 WHERE id = 2");
    assert.deepEqual(await q("SELECT v FROM dt WHERE id = 2"), [{ v: 101 }]);
    await q("DROP TRIGGER dt_plus ON dt");
    assert.deepEqual(await onWorkers("SELECT count(*) FROM pg_trigger"), ["0", "0"]);
    await q("INSERT INTO dt VALUES (5, 5)");
    assert.deepEqual(await q("SELECT v FROM dt WHERE id = 5"), [{ v: 5 }]);
  });

  test("a table distributed with triggers gets them after its rows are copied", async () => {
    await q("SET citus.enable_unsafe_triggers TO on");
    await q("INSERT INTO wt VALUES (1, 1)");
    await q("SELECT create_distributed_table('wt', 'id')");
    await q("SELECT truncate_local_data_after_distributing_table('wt')");
    assert.deepEqual(await q("SELECT v FROM wt"), [{ v: 101 }]);
    await q("INSERT INTO wt VALUES (2, 2)");
    assert.deepEqual(await q("SELECT id, v FROM wt ORDER BY id"),
      [{ id: 1, v: 101 }, { id: 2, v: 102 }]);
    await q("CREATE TRIGGER rt_bump BEFORE INSERT ON rt FOR EACH ROW EXECUTE FUNCTION bump()");
    await q("INSERT INTO rt VALUES (1, 1)");
    assert.deepEqual(await q("SELECT v FROM rt"), [{ v: 101 }]);
    const [shard] = await q("SELECT shardid FROM pg_dist_shard " +
      "WHERE logicalrelid = 'rt'::regclass");
    assert.deepEqual(await onWorkers(`SELECT v FROM public.rt_${String(shard!["shardid"])}`),
      ["101", "101"]);
  });
});
