/**
 * Interactive psql 15 against a Tessera coordinator reads as against PostgreSQL 15.
 *
 * Tab completion: the same schema on both servers (on Tessera `events` distributed,
 * `devices` a reference table), then psql in a pseudo-terminal types table, column, schema
 * and keyword prefixes, presses Tab twice, and what psql echoes must be byte for byte the
 * same. That covers every catalog query psql's tab-complete.c sends for them, and shows the
 * coordinator offering its distributed tables as the plain tables they look like, never
 * their shards.
 *
 * The coordinator's `\d` of its distributed tables and of a view over them is PostgreSQL's
 * too. `\timing`: the on/off messages and the `Time: N ms` lines have PostgreSQL's shape.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { psql, startCluster, startReferencePostgres, type ReferencePostgres, type TesseraCluster }
  from "../harness/index.js";
import { readable, tabComplete } from "./psql-terminal.js";

const schema = `
CREATE TABLE devices (device_id bigint PRIMARY KEY, device_name text, device_type text);
CREATE TABLE events (event_id bigserial, device_id bigint NOT NULL, event_type text,
  payload jsonb, created_at timestamptz DEFAULT now(), PRIMARY KEY (device_id, event_id));
CREATE INDEX events_type_idx ON events (event_type);
CREATE VIEW device_events AS SELECT e.event_id, d.device_name
  FROM events e JOIN devices d ON d.device_id = e.device_id;
CREATE SEQUENCE event_seq;
CREATE SCHEMA metrics;
CREATE TABLE metrics.readings (device_id bigint, reading double precision);
`;

const distribute = `
SELECT create_reference_table('devices');
SELECT create_distributed_table('events', 'device_id');
`;

/** Lines typed before the two Tab presses. */
const lines = [
  "SELECT * FROM ev", "SELECT * FROM d", "SELECT * FROM events WHERE ",
  "SELECT * FROM events WHERE device_", "SELECT device_", "\\d dev", "\\d ", "\\d+ metrics.r",
  "\\dt ", "\\di ", "\\ds ", "\\dv ", "\\dn ", "\\du ", "\\c ",
  "ALTER TABLE events ADD ", "ALTER TABLE events DROP COLUMN ",
  "ALTER TABLE events ALTER COLUMN device_", "ALTER TABLE events RENAME COLUMN ",
  "ALTER TABLE ", "UPDATE events SET ", "INSERT INTO ev", "INSERT INTO events (",
  "CREATE INDEX ON events (", "DROP TABLE ", "DROP INDEX ", "DROP VIEW ", "DROP SEQUENCE ",
  "TRUNCATE ", "SELECT * FROM metrics.", "ANALYZE ", "VACUUM ", "GRANT SELECT ON ",
  "SET search_", "SHOW search_",
];

describe("psql tab completion matches PostgreSQL 15 on a coordinator", () => {
  let reference: ReferencePostgres;
  let tessera: TesseraCluster;
  before(async () => {
    [reference, tessera] = await Promise.all([startReferencePostgres(), startCluster()]);
    await psql(reference.port, schema, { extraArgs: ["-q"] });
    await psql(tessera.port, schema, { extraArgs: ["-q"] });
    await psql(tessera.port, distribute, { extraArgs: ["-q"] });
  });
  after(async () => {
    await Promise.all([reference?.stop(), tessera?.stop()]);
  });

  test("every typed prefix completes to the same text", async () => {
    const [expected, actual] = await Promise.all([tabComplete(reference.port, lines),
      tabComplete(tessera.port, lines)]);
    assert.equal(actual.length, lines.length);
    lines.forEach((line, i) => {
      assert.equal(readable(actual[i]!), readable(expected[i]!), `after typing ${line}`);
      assert.equal(actual[i], expected[i], `terminal output after typing ${line}`);
    });
  });

  test("a view over distributed tables describes as in PostgreSQL", async () => {
    for (const command of ["\\d+ device_events", "\\d events", "\\dt", "\\d"]) {
      assert.equal(await psql(tessera.port, command), await psql(reference.port, command),
        command);
    }
  });

  test("completions are the tables, not their shards", async () => {
    const [relations, tables] = await tabComplete(tessera.port, ["\\d ", "\\dt "]);
    assert.match(readable(tables!), /devices +events +information_schema\./);
    for (const listing of [relations!, tables!]) {
      assert.match(readable(listing), /\bevents\b/);
      assert.doesNotMatch(readable(listing), /(events|devices)_\d+/);
    }
  });
});

describe("psql \\timing matches PostgreSQL 15", () => {
  let reference: ReferencePostgres;
  let tessera: TesseraCluster;
  before(async () => {
    [reference, tessera] = await Promise.all([startReferencePostgres(), startCluster()]);
  });
  after(async () => {
    await Promise.all([reference?.stop(), tessera?.stop()]);
  });

  /** Runs the statements in one psql session with timing on, then turns it off. */
  async function timed(port: number): Promise<string> {
    const steps = ["\\timing on", "CREATE TABLE timed (id int PRIMARY KEY, v text)",
      "INSERT INTO timed SELECT g, 'v' || g FROM generate_series(1, 100) g",
      "SELECT count(*) FROM timed", "\\timing off", "SELECT 1"];
    return psql(port, "DROP TABLE timed", { extraArgs: steps.flatMap((s) => ["-c", s]) });
  }

  test("messages and Time lines have PostgreSQL's shape", async () => {
    const [expected, actual] = await Promise.all([timed(reference.port), timed(tessera.port)]);
    const shape = (text: string): string =>
      text.replace(/^Time: \d+\.\d{3} ms( \(\d{2}:\d{2}\.\d{3}\))?$/gm, "Time: N ms");
    assert.match(actual, /^Timing is on\.$/m);
    assert.match(actual, /^Timing is off\.$/m);
    assert.match(actual, /^Time: \d+\.\d{3} ms$/m);
    assert.equal(actual.match(/^Time: /gm)?.length, 3, actual);
    assert.equal(shape(actual), shape(expected));
  });
});
