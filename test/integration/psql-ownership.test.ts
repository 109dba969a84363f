/**
 * Owners and comments as psql 15 shows them after a pg_dump-style restore: objects created by
 * the superuser, given to other roles with ALTER … OWNER TO (tables with their serial and
 * identity sequences and indexes, views, materialized views, sequences, functions,
 * procedures, aggregates, enum and composite types, domains, schemas) and commented with
 * COMMENT ON (functions, procedures, aggregates, types, domains, schemas, indexes, sequences,
 * triggers, roles). Each listing runs through the real `psql -X -c` against PostgreSQL 15 and
 * a Tessera worker, and the outputs are compared byte for byte; the `+` listings with a Size
 * column are compared unaligned with the sizes masked.
 */
import { describe, test } from "node:test";
import { assertSamePsql, suiteBesidePostgres } from "../harness/index.js";

const schema = `
CREATE ROLE own_app;
CREATE ROLE own_ro;
CREATE SCHEMA own;
CREATE TABLE own.items (id serial PRIMARY KEY, name text NOT NULL,
  n int GENERATED ALWAYS AS IDENTITY);
CREATE INDEX items_name_idx ON own.items (name);
CREATE VIEW own.item_names AS SELECT name FROM own.items;
CREATE MATERIALIZED VIEW own.item_count AS SELECT count(*) AS n FROM own.items;
CREATE SEQUENCE own.tickets;
CREATE TYPE own.mood AS ENUM ('sad', 'happy');
CREATE TYPE own.pair AS (a int, b text);
CREATE DOMAIN own.posint AS int CHECK (VALUE > 0);
CREATE FUNCTION own.add_one(int) RETURNS int LANGUAGE sql AS 'SELECT $1 + 1';
CREATE PROCEDURE own.noop() LANGUAGE sql AS 'SELECT 1';
CREATE AGGREGATE own.total(int) (SFUNC = int4pl, STYPE = int);
CREATE FUNCTION own.touch() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER items_touch BEFORE INSERT ON own.items FOR EACH ROW
  EXECUTE FUNCTION own.touch();
ALTER SCHEMA own OWNER TO own_app;
ALTER TABLE own.items OWNER TO own_app;
ALTER VIEW own.item_names OWNER TO own_ro;
ALTER MATERIALIZED VIEW own.item_count OWNER TO own_app;
ALTER SEQUENCE own.tickets OWNER TO own_ro;
ALTER TYPE own.mood OWNER TO own_app;
ALTER TYPE own.pair OWNER TO own_ro;
ALTER DOMAIN own.posint OWNER TO own_app;
ALTER FUNCTION own.add_one(int) OWNER TO own_app;
ALTER PROCEDURE own.noop() OWNER TO own_ro;
ALTER AGGREGATE own.total(int) OWNER TO own_app;
ALTER FUNCTION own.touch() OWNER TO own_app;
COMMENT ON SCHEMA own IS 'owned things';
COMMENT ON TABLE own.items IS 'the items';
COMMENT ON COLUMN own.items.name IS 'its name';
COMMENT ON INDEX own.items_name_idx IS 'by name';
COMMENT ON SEQUENCE own.tickets IS 'ticket numbers';
COMMENT ON VIEW own.item_names IS 'names only';
COMMENT ON TYPE own.mood IS 'how it feels';
COMMENT ON TYPE own.pair IS 'two things';
COMMENT ON DOMAIN own.posint IS 'above zero';
COMMENT ON FUNCTION own.add_one(int) IS 'adds one';
COMMENT ON PROCEDURE own.noop() IS 'does nothing';
COMMENT ON AGGREGATE own.total(int) IS 'sums';
COMMENT ON TRIGGER items_touch ON own.items IS 'touches rows';
COMMENT ON ROLE own_app IS 'the application';
`;

const exact = [
  "\\dn+ own", "\\dt own.*", "\\dv own.*", "\\dm own.*", "\\ds own.*", "\\di own.*",
  "\\d own.items", "\\d+ own.items", "\\d+ own.item_names", "\\df own.*", "\\df+ own.*",
  "\\dfa own.*", "\\dT own.*", "\\dT+ own.*", "\\dD own.*", "\\dD+ own.*", "\\du+ own_app",
  "\\dd own.*", "\\dp own.*",
];

const sized = ["\\dt+ own.*", "\\di+ own.*", "\\ds+ own.*", "\\dv+ own.*", "\\dm+ own.*"];

/** Unaligned, so that masking a size keeps the other columns where they were. */
function maskSizes(output: string): string {
  return output.replace(/\|\d+ (bytes|kB|MB|GB)(?=\||\n)/g, "|SIZE");
}

describe("owners and comments in psql's listings against PostgreSQL 15", () => {
  const servers = suiteBesidePostgres(schema);

  for (const command of exact) {
    test(command, () => assertSamePsql(servers, command));
  }
  for (const command of sized) {
    test(`${command} (sizes masked)`, () => assertSamePsql(servers, command,
      { extraArgs: ["-A"], shape: maskSizes }));
  }
});
