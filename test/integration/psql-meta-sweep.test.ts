/**
 * A sweep of psql 15's backslash commands, with and without `+` and with patterns, over a
 * schema with every kind of object (schemas, every constraint kind, btree / hash / partial /
 * expression / unique / EXCLUDE indexes, views, a materialized view, sequences, a partitioned
 * table, enum / composite / domain types, SQL and PL/pgSQL functions and a procedure, a
 * trigger, comments, roles, grants, default privileges): each runs through the real
 * `psql -X -c` against PostgreSQL 15 and a Tessera worker, and the outputs are compared.
 *
 * Compared byte for byte: `exact` below. Compared with the sizes masked (`sized`): the `+`
 * listings with a Size column (a Tessera table's bytes are an estimate, `relation-size.ts`;
 * a database's and tablespace's are not measured), printed unaligned so the mask does not
 * shift the columns. `\dx` is compared without the `citus` row every Tessera node lists, as a
 * Citus node does. `\sf` is compared for user functions and procedures; `\gdesc`,
 * `\crosstabview`, `\gset`, `\x` and `\pset` ride along in `exact`.
 *
 * Listed subsets, compared through patterns (`subset`): text search objects (Tessera has the
 * `simple` and `english` configurations and what they use, `text-search-catalogs.ts`).
 *
 * Shape only, the column headers (`shaped`), for catalogs Tessera fills partly:
 * `\dC` (pg_cast), `\dconfig` (non-default settings differ by server),
 * `\dA*` (operator classes and families: Tessera's subset of access methods' classes),
 * `\dL+` (plpgsql's handler functions are not pg_proc rows), `\dS pg_class` and
 * `\d pg_namespace` (system catalogs have Tessera's columns and no indexes), `\do+` (pg_operator
 * is another module's). Not run: `\dF+` (it casts to regdictionary, a type Tessera lacks)
 * and `\dFp+`, `\dFt+` (the parser's and templates' C functions are not pg_proc rows).
 *
 * Known gaps kept out of the schema: CREATE TYPE … AS RANGE, COMMENT ON TYPE / FUNCTION,
 * OUT / INOUT parameters of procedures (0A000 on Tessera; parameter defaults, VARIADIC and
 * LANGUAGE sql procedures work but are not in this schema); a CHECK over a domain-typed
 * column deparses without PostgreSQL's `::base` cast; extensions' member functions and types
 * (btree_gist, pgcrypto, uuid-ossp) are built into pg_catalog, not listed under public by
 * `\df` / `\dT`.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  assertSamePsql, psql, startCluster, startReferencePostgres, suiteBesidePostgres,
  type ReferencePostgres, type TesseraCluster,
} from "../harness/index.js";

const schema = `
CREATE SCHEMA inv;
COMMENT ON SCHEMA inv IS 'inventory schema';
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE inv.pair AS (a integer, b text);
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE DOMAIN inv.email AS text NOT NULL DEFAULT 'x@y' CHECK (VALUE LIKE '%@%');
CREATE TABLE authors (
  id serial PRIMARY KEY,
  name text NOT NULL,
  email inv.email,
  m mood DEFAULT 'ok',
  score posint,
  CONSTRAINT authors_name_uq UNIQUE (name),
  CONSTRAINT authors_name_ck CHECK (length(name) < 1000)
);
COMMENT ON TABLE authors IS 'people who write';
COMMENT ON COLUMN authors.name IS 'full name';
CREATE TABLE books (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  author_id integer NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
  title varchar(200) NOT NULL,
  price numeric(8,2) DEFAULT 0,
  pages integer,
  isbn text,
  published daterange,
  tags text[],
  meta jsonb,
  price_x2 numeric GENERATED ALWAYS AS (price * 2) STORED,
  EXCLUDE USING gist (published WITH &&)
);
CREATE INDEX books_title_idx ON books (title);
CREATE INDEX books_isbn_hash ON books USING hash (isbn);
CREATE INDEX books_cheap_idx ON books (price) WHERE price < 10;
CREATE INDEX books_lower_title_idx ON books (lower(title));
CREATE UNIQUE INDEX books_isbn_uq ON books (isbn);
CREATE TABLE inv.stock (
  book_id bigint REFERENCES books(id),
  qty integer NOT NULL DEFAULT 0,
  loc text,
  PRIMARY KEY (book_id, loc)
);
CREATE VIEW cheap_books AS SELECT id, title, price FROM books WHERE price < 10;
COMMENT ON VIEW cheap_books IS 'bargains';
CREATE MATERIALIZED VIEW author_counts AS
  SELECT author_id, count(*) AS n FROM books GROUP BY author_id;
CREATE SEQUENCE inv.ticket_seq START 10 INCREMENT 2 MAXVALUE 1000 CYCLE;
CREATE TABLE measurements (id int, logdate date NOT NULL, v numeric) PARTITION BY RANGE (logdate);
CREATE TABLE measurements_2023 PARTITION OF measurements
  FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE measurements_2024 PARTITION OF measurements
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE FUNCTION add_one(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
CREATE FUNCTION inv.total_qty() RETURNS bigint LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT coalesce(sum(qty), 0) FROM inv.stock);
END $$;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.price := coalesce(NEW.price, 0);
  RETURN NEW;
END $$;
CREATE PROCEDURE restock(b bigint, n integer) LANGUAGE plpgsql AS $$
BEGIN
  UPDATE inv.stock SET qty = qty + n WHERE book_id = b;
END $$;
CREATE FUNCTION top_books(n integer) RETURNS TABLE (book_id bigint, book_title text)
  LANGUAGE sql STABLE AS 'SELECT id, title::text FROM books ORDER BY id LIMIT n';
CREATE FUNCTION all_prices() RETURNS SETOF numeric LANGUAGE sql AS 'SELECT price FROM books';
CREATE FUNCTION inv.split_qty(IN q integer, OUT half integer, OUT rest integer)
  LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
  half := q / 2;
  rest := q - half;
END $$;
CREATE TRIGGER books_touch BEFORE INSERT OR UPDATE ON books
  FOR EACH ROW EXECUTE FUNCTION touch();
CREATE ROLE reader NOLOGIN;
CREATE ROLE writer LOGIN CONNECTION LIMIT 5;
GRANT reader TO writer;
GRANT SELECT ON books TO reader;
GRANT SELECT, INSERT, UPDATE ON authors TO writer;
GRANT USAGE ON SCHEMA inv TO reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA inv GRANT SELECT ON TABLES TO reader;
`;

const exact = [
  "\\d", "\\d authors", "\\d+ authors", "\\d books", "\\d+ books", "\\d inv.stock",
  "\\d cheap_books", "\\d+ cheap_books", "\\d author_counts", "\\d inv.ticket_seq",
  "\\d books_title_idx", "\\d books_cheap_idx", "\\d measurements", "\\d+ measurements",
  "\\d measurements_2023", "\\dt", "\\dt inv.*", "\\dt *.stock", "\\dt public.*", "\\di",
  "\\ds", "\\dv", "\\dm", "\\dE", "\\dn", "\\dn+", "\\df", "\\df+", "\\df inv.*",
  "\\df add_one", "\\df+ add_one", "\\dfa", "\\dfn", "\\dfp", "\\dft", "\\dfw", "\\dT",
  "\\dT+", "\\dT inv.*", "\\dT mood", "\\dT+ mood", "\\dD", "\\dD+", "\\dD inv.email", "\\do",
  "\\dc", "\\dd", "\\ddp", "\\dp", "\\dp books", "\\dp inv.*", "\\z", "\\z authors", "\\dl",
  "\\dL", "\\dy", "\\dFp", "\\dA", "\\dA+", "\\db", "\\dg", "\\du", "\\du+", "\\drds", "\\dRp",
  "\\dRs", "\\des", "\\det", "\\deu", "\\dew", "\\dX", "\\dP", "\\dtS pg_class", "\\l",
  "\\sf add_one", "\\sf+ inv.total_qty", "\\sf restock", "\\sf touch", "\\sv cheap_books",
  "\\sf top_books", "\\sf all_prices", "\\sf inv.split_qty", "\\df+ inv.split_qty",
  "\\x on \\\\ \\d authors", "\\pset border 2 \\\\ \\dv", "\\pset format csv \\\\ \\dt",
  "SELECT pg_get_function_arguments('restock'::regproc), pg_get_function_result('restock'"
    + "::regproc), pg_get_function_identity_arguments('add_one'::regproc)",
];

/** Query buffers ended by a meta-command: psql reads them from a script (`-f`), not `-c`. */
const script = `SELECT id, name, email, m, score FROM authors \\gdesc
SELECT 1 AS one, 'x'::text AS two, 1.5::numeric(4,2) AS n \\gdesc
SELECT * FROM (VALUES ('a', 'x', 1), ('a', 'y', 2), ('b', 'x', 3)) v(r, c, n) \\crosstabview
SELECT 42 AS answer, 'b' AS letter \\gset
\\echo :answer :letter
SELECT name FROM authors \\gx
`;

const sized = ["\\dt+", "\\di+", "\\ds+", "\\dv+", "\\dm+", "\\dP+", "\\l+", "\\db+"];

const subset = ["\\dF english", "\\dF simple", "\\dFd english_stem", "\\dFd simple",
  "\\dFt simple", "\\dFt snowball", "\\dFp default",
  "SELECT * FROM ts_token_type('default')",
  "SELECT m.* FROM pg_ts_config_map m JOIN pg_ts_config c ON c.oid = m.mapcfg"
    + " WHERE c.cfgname IN ('english', 'simple') ORDER BY 1, 2"];

const shaped = ["\\dC", "\\dconfig", "\\dAc", "\\dAf", "\\dAo", "\\dAp", "\\dL+",
  "\\dS pg_class", "\\d pg_namespace", "\\do+"];

/** Unaligned, so that masking a size keeps the other columns where they were. */
function maskSizes(output: string): string {
  return output.replace(/\|\d+ (bytes|kB|MB|GB)(?=\||\n)/g, "|SIZE");
}

/** The column names of an aligned listing: its second line, split at the bars. */
function headers(output: string): string[] {
  const line = output.split("\n")[1] ?? "";
  return line.split("|").map((cell) => cell.trim());
}

/** Drops the row of the citus extension, which every Tessera node has, and recounts. */
function withoutCitus(output: string): string {
  if (!/^ citus +\|/m.test(output)) return output;
  return output.replace(/^ citus +\|.*\n/m, "")
    .replace(/\((\d+) rows?\)/, (_, n: string) => {
      const rows = Number(n) - 1;
      return `(${rows} ${rows === 1 ? "row" : "rows"})`;
    });
}

describe("psql meta-commands sweep against PostgreSQL 15", () => {
  const servers = suiteBesidePostgres(schema);

  for (const command of [...exact, ...subset]) {
    test(command, () => assertSamePsql(servers, command));
  }
  for (const command of sized) {
    test(`${command} (sizes masked)`, () => assertSamePsql(servers, command,
      { extraArgs: ["-A"], shape: maskSizes }));
  }
  for (const command of shaped) {
    test(`${command} (column headers)`, async () => {
      const expected = headers(await psql(servers.reference.port, command));
      assert.ok(expected.length > 1, `no listing: ${command}`);
      assert.deepEqual(headers(await psql(servers.tessera.port, command)), expected);
    });
  }
  test("\\gdesc, \\crosstabview, \\gset, \\gx from a script", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "psql-sweep-")), "script.sql");
    writeFileSync(file, script);
    const run = (port: number): Promise<string> => psql(port, "\\echo done",
      { extraArgs: ["-f", file] });
    const expected = await run(servers.reference.port);
    assert.match(expected, /42 b/);
    assert.equal(await run(servers.tessera.port), expected);
  });
  test("\\sf of a built-in function is refused with 0A000", async () => {
    await assert.rejects(psql(servers.tessera.port, "\\sf lower"),
      (e: { stderr?: string }) => /not supported/.test(e.stderr ?? ""));
  });
  test("\\dx and \\dx NAME after CREATE EXTENSION (citus row aside)", async () => {
    const extensions = "CREATE EXTENSION \"uuid-ossp\"; CREATE EXTENSION pgcrypto;" +
      " CREATE EXTENSION btree_gist;";
    await psql(servers.reference.port, extensions, { extraArgs: ["-q"] });
    await psql(servers.tessera.port, extensions, { extraArgs: ["-q"] });
    for (const command of ["\\dx", "\\dx uuid-ossp", "\\dx pgcrypto", "\\dx btree_gist"]) {
      assert.equal(withoutCitus(await psql(servers.tessera.port, command)),
        await psql(servers.reference.port, command), command);
    }
  });
});

/** A Citus coordinator lists distributed tables as PostgreSQL lists tables; shards stay hidden. */
const distributed = `
CREATE SCHEMA sales;
CREATE TABLE sales.events (id bigint PRIMARY KEY, tenant int NOT NULL, payload jsonb,
  at timestamptz DEFAULT now());
CREATE INDEX events_tenant_idx ON sales.events (tenant);
CREATE TABLE regions (code text PRIMARY KEY, name text NOT NULL);
CREATE FUNCTION sales.double_it(v integer) RETURNS integer LANGUAGE sql IMMUTABLE
  AS 'SELECT v * 2';
`;

const distribute = `SELECT create_distributed_table('sales.events', 'id');
SELECT create_reference_table('regions');`;

describe("psql meta-commands through the coordinator", () => {
  let reference: ReferencePostgres;
  let tessera: TesseraCluster;
  before(async () => {
    [reference, tessera] = await Promise.all([startReferencePostgres(), startCluster()]);
    await psql(reference.port, distributed, { extraArgs: ["-q"] });
    await psql(tessera.port, distributed, { extraArgs: ["-q"] });
    await psql(tessera.port, distribute, { extraArgs: ["-q"] });
  });
  after(async () => {
    await Promise.all([reference?.stop(), tessera?.stop()]);
  });

  for (const command of ["\\d sales.events", "\\d regions", "\\dt", "\\dt sales.*", "\\di",
    "\\di sales.*", "\\dn", "\\df sales.*", "\\d"]) {
    test(command, async () => {
      assert.equal(await psql(tessera.port, command), await psql(reference.port, command));
    });
  }
});
